from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.errors import ValidationError
from qualcode.domain.spans import Span, TextEdit, check_span, remap_span

TEXT = "Tom Smith said the group helped him."


@pytest.mark.parametrize(
    ("span", "edit", "expected"),
    [
        (Span(15, 35), TextEdit(0, 9, "[P1]"), Span(10, 30)),  # after the edit: shifted
        (Span(0, 3), TextEdit(10, 14, "spoke"), Span(0, 3)),  # before the edit: unchanged
        (Span(0, 14), TextEdit(0, 9, "[P1]"), Span(0, 9)),  # containing: covers the replacement
        (Span(0, 9), TextEdit(0, 9, "[P1]"), Span(0, 4)),  # exactly the edit: the replacement
        (Span(4, 14), TextEdit(0, 9, "[P1]"), Span(4, 9)),  # starts inside: head trimmed
        (Span(0, 6), TextEdit(4, 14, "X"), Span(0, 4)),  # ends inside: tail trimmed
        (Span(4, 8), TextEdit(0, 9, "[P1]"), None),  # wholly inside replaced text: dropped
        (Span(0, 9), TextEdit(0, 9, ""), None),  # deleted text: dropped
        (Span(4, 9), TextEdit(4, 4, "Mr "), Span(7, 12)),  # insertion at its start: shifted
        (Span(0, 4), TextEdit(4, 4, "Mr "), Span(0, 4)),  # insertion at its end: unchanged
        (Span(0, 9), TextEdit(4, 4, "J. "), Span(0, 12)),  # insertion inside: grows
    ],
)
def test_remap_span_rules(span: Span, edit: TextEdit, expected: Span | None) -> None:
    assert remap_span(span, edit) == expected


def test_anonymising_a_name_keeps_the_coded_words() -> None:
    span = Span(10, 35)  # "said the group helped him"
    edit = TextEdit(0, 9, "[Participant 1]")
    new = remap_span(span, edit)
    assert new is not None
    assert edit.apply(TEXT)[new.start : new.end] == TEXT[span.start : span.end]


def test_check_span_names_the_problem() -> None:
    with pytest.raises(ValidationError, match="outside the text"):
        check_span(5, 50, 20)
    with pytest.raises(ValidationError, match="empty or inverted"):
        check_span(9, 3, 20)
    with pytest.raises(ValidationError, match="outside the text"):
        check_span(-1, 3, 20)
    assert check_span(0, 20, 20) == Span(0, 20)


texts = st.text(alphabet=st.sampled_from("ab é😀𝄞\n"), min_size=1, max_size=40)


@st.composite
def span_and_edit(draw: st.DrawFn) -> tuple[str, Span, TextEdit]:
    text = draw(texts)
    s = draw(st.integers(0, len(text) - 1))
    e = draw(st.integers(s + 1, len(text)))
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    replacement = draw(st.text(alphabet=st.sampled_from("xyz😀"), max_size=6))
    return text, Span(s, e), TextEdit(a, b, replacement)


@given(span_and_edit())
def test_remapped_spans_keep_their_text_or_the_replacement(case: tuple[str, Span, TextEdit]) -> None:
    text, span, edit = case
    new_text = edit.apply(text)
    new = remap_span(span, edit)
    disjoint = span.end <= edit.start or span.start >= edit.end
    if disjoint and not (edit.start == edit.end and span.start < edit.start < span.end):
        # Untouched spans cover exactly the same characters.
        assert new is not None
        assert new_text[new.start : new.end] == text[span.start : span.end]
    elif span.start <= edit.start and span.end >= edit.end:
        # Spans containing the edit cover their old text with the replacement inside.
        expected = text[span.start : edit.start] + edit.replacement + text[edit.end : span.end]
        if expected:
            assert new is not None
            assert new_text[new.start : new.end] == expected
        else:
            assert new is None
    elif new is not None:
        # Trimmed spans keep only text from outside the edit, which is unchanged.
        kept = new_text[new.start : new.end]
        assert kept in (text[span.start : edit.start], text[edit.end : span.end])
    else:
        assert edit.start <= span.start and span.end <= edit.end
    if new is not None:
        assert 0 <= new.start < new.end <= len(new_text)
