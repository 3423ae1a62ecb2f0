"""Half-open spans of code-point offsets into a document's text, and how edits move them.

Offsets are Python `str` indices: `text[start:end]` is the spanned passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def check_span(start: int, end: int, text_length: int, *, what: str = "span") -> Span:
    """Validate a span against a text of `text_length` code points."""
    if start < 0 or end > text_length:
        raise ValidationError(f"The {what} {start}-{end} lies outside the text (0-{text_length}).")
    if end <= start:
        raise ValidationError(f"The {what} {start}-{end} is empty or inverted.")
    return Span(start, end)


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace `text[start:end]` with `replacement`."""

    start: int
    end: int
    replacement: str

    @property
    def delta(self) -> int:
        return len(self.replacement) - (self.end - self.start)

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]


def remap_span(span: Span, edit: TextEdit) -> Span | None:
    """Where `span` lies after `edit`, or None when its text is gone.

    - Before the edit: unchanged. After it: shifted by the length change.
    - Containing the edit: keeps its ends and so covers the replacement.
    - Partly inside the replaced text: trimmed to the part outside it.
    - Wholly inside the replaced text: dropped (its words no longer exist).
    An insertion at a span's first character shifts the span; at its end, leaves it.
    """
    s, e = span.start, span.end
    a, b = edit.start, edit.end
    if e <= a and not (a == b == e and s == e):
        return span
    if s >= b:
        return Span(s + edit.delta, e + edit.delta)
    if s <= a and e >= b:
        new = Span(s, e + edit.delta)
    elif s < a:  # starts before, ends inside the replaced text: trim its tail
        new = Span(s, a)
    elif e > b:  # starts inside, ends after: trim its head
        new = Span(a + len(edit.replacement), e + edit.delta)
    else:
        return None
    return new if new.end > new.start else None
