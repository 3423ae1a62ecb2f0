"""Re-anchoring spans onto an edited copy of a text."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.domain.realign import Alignment, Anchoring
from qualcode.domain.spans import Span

WORDS = ["the", "nurse", "said", "we", "waited", "for", "hours", "and", "then", "left", "a", "I", "was", "\n"]


def test_fixing_a_typo_shifts_the_codings_after_it_and_keeps_their_text() -> None:
    old = "I was waitng for hours.\nThe nurse never came back.\n"
    new = "I was waiting for hours.\nThe nurse never came back.\n"
    alignment = Alignment.of(old, new)
    nurse = old.index("The nurse")
    moved = alignment.reanchor(nurse, nurse + len("The nurse never came"))
    assert moved.anchoring is Anchoring.EXACT
    assert moved.span == Span(nurse + 1, nurse + 1 + len("The nurse never came"))
    assert new[moved.span.start:moved.span.end] == "The nurse never came"


def test_a_coding_over_the_corrected_word_is_kept_and_flagged_as_changed() -> None:
    old = "I was waitng for hours."
    new = "I was waiting for hours."
    result = Alignment.of(old, new).reanchor(2, 12)  # "was waitng"
    assert result.anchoring is Anchoring.CHANGED
    assert result.span is not None and new[result.span.start:result.span.end] == "was waiting"


def test_a_coding_wholly_inside_deleted_text_is_lost() -> None:
    old = "Keep this. Remove this sentence entirely. Keep that."
    new = "Keep this. Keep that."
    start = old.index("Remove")
    result = Alignment.of(old, new).reanchor(start, start + len("Remove this sentence"))
    assert result.anchoring is Anchoring.LOST and result.span is None


def test_identical_texts_leave_spans_where_they_are() -> None:
    text = "same text"
    assert Alignment.of(text, text).reanchor(0, 4).span == Span(0, 4)


def test_long_texts_with_scattered_edits_align_line_by_line() -> None:
    rng = random.Random(7)
    lines = [" ".join(rng.choice(WORDS[:-1]) for _ in range(rng.randint(5, 30))) + "\n" for _ in range(2000)]
    old = "".join(lines)
    edited = list(lines)
    for index in rng.sample(range(len(edited)), 25):
        edited[index] = edited[index].replace("the", "teh", 1) + "(inaudible)\n"
    new = "".join(edited)
    alignment = Alignment.of(old, new)
    shared = sum(block.size for block in alignment.blocks)
    assert shared >= len(old) - 25 * 3
    for block in alignment.blocks:
        assert old[block.a:block.a + block.size] == new[block.b:block.b + block.size]


@st.composite
def edited_texts(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int]]]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=80))
    text = " ".join(words)
    n = len(text)
    cuts = sorted(set(draw(st.lists(st.integers(0, n), min_size=0, max_size=12))))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        edits.append((a, b, draw(st.sampled_from(["", "x", "uh, ", "waited", "the nurse "]))))
    spans = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 40)), max_size=25))
    return text, edits, [(s, min(n, s + length)) for s, length in spans]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for a, b, replacement in sorted(edits, reverse=True):
        text = text[:a] + replacement + text[b:]
    return text


def _untouched(span: tuple[int, int], edits: list[tuple[int, int, str]]) -> bool:
    s, e = span
    for a, b, replacement in edits:
        if a < e and b > s:  # overlaps replaced text
            return False
        if a == b and s < a < e and replacement:  # insertion inside the span
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(edited_texts())
def test_reanchoring_keeps_every_untouched_coding_on_exactly_its_text(case) -> None:
    text, edits, spans = case
    new = _apply(text, edits)
    alignment = Alignment.of(text, new)
    for start, end in spans:
        result = alignment.reanchor(start, end)
        if _untouched((start, end), edits):
            assert result.anchoring is Anchoring.EXACT
            assert result.span is not None
            assert new[result.span.start:result.span.end] == text[start:end]
            if new.count(text[start:end]) == 1:  # unambiguous: it must be the very same passage
                shift = sum(len(r) - (b - a) for a, b, r in edits if b <= start and not (a == b == start and not r))
                assert result.span == Span(start + shift, end + shift)
        if result.span is not None:
            assert 0 <= result.span.start < result.span.end <= len(new)
        if result.anchoring is Anchoring.CHANGED:
            assert result.span is not None


@settings(max_examples=200, deadline=None)
@given(edited_texts())
def test_shared_blocks_are_really_shared_and_in_order(case) -> None:
    text, edits, _spans = case
    new = _apply(text, edits)
    blocks = Alignment.of(text, new).blocks
    for block in blocks:
        assert text[block.a:block.a + block.size] == new[block.b:block.b + block.size]
    for left, right in itertools.pairwise(blocks):
        assert left.a + left.size <= right.a and left.b + left.size <= right.b
