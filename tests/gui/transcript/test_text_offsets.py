from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.gui.transcript.text_offsets import OffsetMap


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_plain_text_positions_are_identical() -> None:
    offsets = OffsetMap("Interviewer: How was the clinic?")
    assert offsets.to_qt(13) == 13
    assert offsets.to_model(13) == 13
    assert offsets.qt_length == 32


def test_emoji_shift_every_later_position_by_one() -> None:
    text = "P3: it was 😀 fine 😀😀 really"
    offsets = OffsetMap(text)
    start = text.index("fine")
    qt_start = offsets.to_qt(start)
    assert qt_start == start + 1
    assert offsets.to_model(qt_start) == start
    really = text.index("really")
    assert offsets.to_qt(really) == really + 3
    assert offsets.qt_length == utf16_length(text)


def test_position_inside_a_surrogate_pair_maps_to_the_character_start() -> None:
    text = "a𝄞b"  # U+1D11E musical symbol G clef, outside the BMP
    offsets = OffsetMap(text)
    assert offsets.to_qt(1) == 1
    assert offsets.to_qt(2) == 3
    assert offsets.to_model(2) == 1  # between the surrogates
    assert offsets.to_model(3) == 2


def test_qt_selection_of_non_bmp_word_round_trips_to_model_slice() -> None:
    text = "Sie sagte: 𠜎𠜱 heißt 'gut' 👍🏽 ok"
    offsets = OffsetMap(text)
    start, end = text.index("𠜎"), text.index("heißt") + len("heißt")
    qt_text = text.encode("utf-16-le")
    qt_start, qt_end = offsets.to_qt(start), offsets.to_qt(end)
    assert qt_text[qt_start * 2:qt_end * 2].decode("utf-16-le") == text[start:end]
    assert text[offsets.to_model(qt_start):offsets.to_model(qt_end)] == "𠜎𠜱 heißt"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_conversion_agrees_with_utf16_encoding(text: str) -> None:
    offsets = OffsetMap(text)
    for offset in range(len(text) + 1):
        qt = offsets.to_qt(offset)
        assert qt == utf16_length(text[:offset])
        assert offsets.to_model(qt) == offset
    assert offsets.qt_length == utf16_length(text)
