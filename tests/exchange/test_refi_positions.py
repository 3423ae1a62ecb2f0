"""How producers' positions map onto QualCode's normalised text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.io.refi.positions import CODE_POINTS, Counting, SourceText, choose_counting, decode_text

UTF16 = Counting(utf16=True)
CRLF1 = Counting(crlf_as_one=True)


def utf16_index(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def test_code_points_on_normalised_text_map_to_themselves() -> None:
    source = SourceText("Hello 🤣 world")
    assert source.map(6, 7) == source.map(6, 7, CODE_POINTS)
    assert source.text[6:7] == "🤣"
    assert source.map(6, 7).problems == ()


def test_utf16_positions_after_emoji_are_mapped_back() -> None:
    text = "Ha 🤣🤣🤣 ok\nnext 👍 line"
    source = SourceText(text)
    start, end = text.index("next"), text.index(" line")
    mapped = source.map(utf16_index(text, start), utf16_index(text, end), UTF16)
    assert source.text[mapped.start:mapped.end] == "next 👍"
    assert mapped.problems == ()


def test_nvivo_windows_bom_and_crlf_are_counted_the_way_nvivo_counts() -> None:
    raw, notes = decode_text("\ufeffLine one 🙂\r\nLine two\r\n".encode())
    assert notes == ["starts with a UTF-8 byte-order mark (not counted in positions)"]
    source = SourceText(raw)
    start = raw.index("two")  # CR and LF each counted, BOM not
    mapped = source.map(utf16_index(raw, start), utf16_index(raw, start + 3), UTF16)
    assert source.text == "Line one 🙂\nLine two\n"
    assert source.text[mapped.start:mapped.end] == "two"


def test_atlas_crlf_counted_once() -> None:
    raw = "first\r\nsecond\r\nthird"
    source = SourceText(raw)
    collapsed = raw.replace("\r\n", "\n")
    start = collapsed.index("third")
    assert source.text[slice(*_span(source.map(start, start + 5, CRLF1)))] == "third"
    assert source.text[slice(*_span(source.map(start, start + 5)))] == "\nthi"  # read as plain code points


def _span(mapped: object) -> tuple[int, int]:
    return mapped.start, mapped.end  # type: ignore[attr-defined]


def test_positions_that_do_not_fit_are_clamped_and_reported() -> None:
    source = SourceText("short text")
    past = source.map(6, 40)
    assert (past.start, past.end) == (6, 10)
    assert past.problems == ("ends at 40, past the end of the text (10); cut at 10",)
    inverted = source.map(5, 2)
    assert (inverted.start, inverted.end) == (2, 5) and "turned round" in inverted.problems[0]
    beyond = source.map(20, 30)
    assert beyond.start == beyond.end == 10


def test_positions_inside_a_character_move_outwards_and_are_reported() -> None:
    source = SourceText("a🤣b\r\nc")
    inside_pair = source.map(2, 4, UTF16)  # 2 is the second half of the emoji
    assert (inside_pair.start, inside_pair.end) == (1, 3)
    assert "inside a character beyond U+FFFF" in inside_pair.problems[0]
    inside_crlf = source.map(1, 4)  # 4 is between CR and LF
    assert source.text[inside_crlf.start:inside_crlf.end] == "🤣b\n"
    assert "between the CR and LF" in inside_crlf.problems[0]


def test_decomposed_accents_are_composed_and_positions_follow() -> None:
    source = SourceText("cafe\u0301 au lait")
    assert source.text == "café au lait"
    mapped = source.map(6, 8)  # "au" in the decomposed text
    assert source.text[mapped.start:mapped.end] == "au" and mapped.problems == ()
    cut = source.map(0, 4)  # ends between 'e' and its accent
    assert source.text[cut.start:cut.end] == "café" and cut.problems


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["a", " ", "\u00e9", "🤣", "\n", "\r\n", "東", "e\u0301", "𝕏"]), max_size=40)
       .map("".join), st.data())
def test_whole_characters_always_survive_the_utf16_crlf_round(text: str, data: st.DataObject) -> None:
    raw = text.replace("\n", "\r\n") if data.draw(st.booleans()) else text
    source = SourceText(raw)
    a = data.draw(st.integers(0, len(raw)))
    b = data.draw(st.integers(a, len(raw)))
    mapped = source.map(utf16_index(raw, a), utf16_index(raw, b), UTF16)
    assert 0 <= mapped.start <= mapped.end <= len(source.text)
    from qualcode.domain.text import normalise_text

    if not mapped.problems:
        assert source.text[mapped.start:mapped.end] == normalise_text(raw[a:b]).removeprefix("\ufeff")


def test_unknown_producers_get_the_counting_that_fits_words() -> None:
    text = "Emoji 😀😀😀 then words follow here and there 🎉 more words"
    source = SourceText(text)
    words = ["then", "words", "follow", "here", "there", "more"]
    selections = [(utf16_index(text, text.index(w)), utf16_index(text, text.index(w) + len(w))) for w in words]
    counting, best, plain = choose_counting([(source, selections)])
    assert counting == UTF16 and best > plain
    plain_selections = [(text.index(w), text.index(w) + len(w)) for w in words]
    assert choose_counting([(source, plain_selections)])[0] == CODE_POINTS


def test_text_that_is_not_utf8_is_read_and_reported() -> None:
    french = "Café crème, déjà vu. L'infirmière était très gentille et nous a expliqué le programme à l'avance."
    text, notes = decode_text(french.encode("cp1252"))
    assert "déjà" in text and "not UTF-8" in notes[0]
    text16, notes16 = decode_text("\ufeffhello".encode("utf-16"))
    assert text16 == "hello" and "UTF-16" in notes16[0]
