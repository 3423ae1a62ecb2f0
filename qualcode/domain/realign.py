"""Re-anchoring spans from one version of a text onto another (a typo fixed in one copy).

The two texts are aligned coarse to fine: by lines, then words inside changed lines, then
characters inside changed words (edit-distance opcodes from rapidfuzz at each level), which
keeps the work close to linear for the usual handful of corrections. The result is the list
of blocks both texts share. A span is carried over when its characters lie in shared text;
when the alignment is ambiguous (repeated words), its exact text is looked up near where it
should be; a span whose own text was edited is kept on what survives of it and flagged; a
span wholly inside removed text is lost.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qualcode.domain.spans import Span

_SMALL = 4000  # chunks shorter than this go straight to character alignment
_WORDS = re.compile(r"\S+|\s+")


class Anchoring(StrEnum):
    EXACT = "exact"  # same text, at the same or a shifted place
    CHANGED = "changed"  # the span's own text was edited; kept on what survives of it
    LOST = "lost"  # all of the span's text was removed


@dataclass(frozen=True, slots=True)
class Block:
    """`old[a:a+size] == new[b:b+size]`."""

    a: int
    b: int
    size: int


@dataclass(frozen=True, slots=True)
class Reanchored:
    span: Span | None
    anchoring: Anchoring


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


_LEVELS: tuple[Callable[[str], list[str]], ...] = (_lines, _words)


def _opcodes(a: Sequence[str] | str, b: Sequence[str] | str) -> list[tuple[str, int, int, int, int]]:
    from rapidfuzz.distance import Levenshtein

    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in Levenshtein.opcodes(a, b)]


def _align(old: str, new: str, a0: int, b0: int, level: int, out: list[Block]) -> None:
    """Append the shared blocks of `old` and `new` (offset by a0, b0) to `out`."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    if prefix:
        out.append(Block(a0, b0, prefix))
    mid_old, mid_new = old[prefix: len(old) - suffix], new[prefix: len(new) - suffix]
    if mid_old and mid_new:
        if level >= len(_LEVELS) or max(len(mid_old), len(mid_new)) <= _SMALL:
            for tag, i1, i2, j1, _j2 in _opcodes(mid_old, mid_new):
                if tag == "equal":
                    out.append(Block(a0 + prefix + i1, b0 + prefix + j1, i2 - i1))
        else:
            _align_units(mid_old, mid_new, a0 + prefix, b0 + prefix, level, out)
    if suffix:
        out.append(Block(a0 + len(old) - suffix, b0 + len(new) - suffix, suffix))


def _align_units(old: str, new: str, a0: int, b0: int, level: int, out: list[Block]) -> None:
    units_old, units_new = _LEVELS[level](old), _LEVELS[level](new)
    starts_old = _starts(units_old)
    starts_new = _starts(units_new)
    pending: tuple[int, int, int, int] | None = None  # a run of changed units: i1, i2, j1, j2

    def flush() -> None:
        if pending is not None:
            i1, i2, j1, j2 = pending
            _align(old[starts_old[i1]:starts_old[i2]], new[starts_new[j1]:starts_new[j2]],
                   a0 + starts_old[i1], b0 + starts_new[j1], level + 1, out)

    for tag, i1, i2, j1, j2 in _opcodes(units_old, units_new):
        if tag == "equal":
            flush()
            pending = None
            out.append(Block(a0 + starts_old[i1], b0 + starts_new[j1], starts_old[i2] - starts_old[i1]))
        else:
            pending = (i1, i2, j1, j2) if pending is None else (pending[0], i2, pending[2], j2)
    flush()


def _starts(units: list[str]) -> list[int]:
    starts = [0]
    for unit in units:
        starts.append(starts[-1] + len(unit))
    return starts


def _coalesce(blocks: list[Block]) -> list[Block]:
    merged: list[Block] = []
    for block in sorted(blocks, key=lambda blk: blk.a):
        if block.size <= 0:
            continue
        last = merged[-1] if merged else None
        if last is not None and last.a + last.size == block.a and last.b + last.size == block.b:
            merged[-1] = Block(last.a, last.b, last.size + block.size)
        else:
            merged.append(block)
    return merged


class Alignment:
    """The shared blocks of an old and a new version of a text, and span re-anchoring."""

    def __init__(self, old: str, new: str, blocks: Sequence[Block]) -> None:
        self.old = old
        self.new = new
        self.blocks = list(blocks)
        self._block_starts = [block.a for block in self.blocks]

    @classmethod
    def of(cls, old: str, new: str) -> Alignment:
        if old == new:
            return cls(old, new, [Block(0, 0, len(old))] if old else [])
        blocks: list[Block] = []
        _align(old, new, 0, 0, 0, blocks)
        return cls(old, new, _coalesce(blocks))

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def differences(self) -> list[tuple[int, int, int, int]]:
        """The changed stretches between the shared blocks: (old start, old end, new start, new end)."""
        result: list[tuple[int, int, int, int]] = []
        a = b = 0
        for block in [*self.blocks, Block(len(self.old), len(self.new), 0)]:
            if block.a > a or block.b > b:
                result.append((a, block.a, b, block.b))
            a, b = block.a + block.size, block.b + block.size
        return result

    def _block_at(self, position: int) -> Block | None:
        """The shared block holding old character `position`, if it survived."""
        index = bisect_right(self._block_starts, position) - 1
        if index >= 0:
            block = self.blocks[index]
            if position < block.a + block.size:
                return block
        return None

    def _project(self, position: int) -> int:
        """Where old offset `position` would fall in the new text (nearest shared block)."""
        index = bisect_right(self._block_starts, position) - 1
        if index < 0:
            return min(position, len(self.new))
        block = self.blocks[index]
        return min(block.b + min(position - block.a, block.size), len(self.new))

    def _find_near(self, passage: str, around: int) -> int | None:
        """Start of the occurrence of `passage` in the new text nearest to `around`."""
        window = max(256, 4 * len(passage))
        while True:
            lo = max(0, around - window)
            hi = min(len(self.new), around + window + len(passage))
            best: int | None = None
            at = self.new.find(passage, lo, hi)
            while at != -1:
                if best is None or abs(at - around) < abs(best - around):
                    best = at
                if at > around:
                    break
                at = self.new.find(passage, at + 1, hi)
            if best is not None:
                return best
            if lo == 0 and hi == len(self.new):
                return None
            window *= 4

    def reanchor(self, start: int, end: int) -> Reanchored:
        """Carry `old[start:end]` over to the new text."""
        if not self.changed:
            return Reanchored(Span(start, end), Anchoring.EXACT)
        passage = self.old[start:end]
        first, last = self._block_at(start), self._block_at(end - 1)
        if first is not None and last is not None:
            new_start = first.b + start - first.a
            new_end = last.b + end - 1 - last.a + 1
            if self.new[new_start:new_end] == passage:
                return Reanchored(Span(new_start, new_end), Anchoring.EXACT)
        found = self._find_near(passage, self._project(start))
        if found is not None:
            return Reanchored(Span(found, found + len(passage)), Anchoring.EXACT)
        return self._surviving(start, end)

    def _surviving(self, start: int, end: int) -> Reanchored:
        """The span from its first to its last surviving character, flagged as changed."""
        index = max(0, bisect_right(self._block_starts, start) - 1)
        new_start: int | None = None
        new_end: int | None = None
        while index < len(self.blocks) and self.blocks[index].a < end:
            block = self.blocks[index]
            lo, hi = max(start, block.a), min(end, block.a + block.size)
            if lo < hi:
                if new_start is None:
                    new_start = block.b + lo - block.a
                new_end = block.b + hi - block.a
            index += 1
        if new_start is None or new_end is None or new_end <= new_start:
            return Reanchored(None, Anchoring.LOST)
        return Reanchored(Span(new_start, new_end), Anchoring.CHANGED)
