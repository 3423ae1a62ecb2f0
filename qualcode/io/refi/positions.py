"""Selection positions in exchanged texts: how producers count, and mapping to QualCode offsets.

The standard counts Unicode code points from 0, end exclusive, in the plain-text file.
Real producers deviate (see NOTES in the package docs):
- NVivo counts UTF-16 code units, so each character beyond U+FFFF counts twice;
- NVivo for Windows writes a UTF-8 BOM (not counted) and CRLF line ends (CR and LF each
  counted); ATLAS.ti reportedly writes CRLF but counts each CRLF once.

QualCode stores NFC text with LF line ends. `SourceText` takes the file's text exactly as
decoded (BOM removed, nothing else touched), applies a producer's positions to it, and
maps them onto the normalised text. A position that falls inside a character (between
the halves of a surrogate pair, between CR and LF, inside a sequence that normalisation
composed) is moved outwards to the nearest whole character, and the move is reported.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from qualcode.domain.text import normalise_text

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n")


@dataclass(frozen=True)
class Counting:
    """How a producer counts positions in a text."""

    utf16: bool = False  # UTF-16 code units instead of code points
    crlf_as_one: bool = False  # a CRLF pair counts as one position

    def describe(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        return unit + (", each CRLF counted once" if self.crlf_as_one else "")


CODE_POINTS = Counting()
CANDIDATES = (CODE_POINTS, Counting(utf16=True), Counting(crlf_as_one=True), Counting(utf16=True, crlf_as_one=True))


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """The text of a plain-text source (UTF-8 per the standard) and what was odd about it.

    One leading BOM is removed (producers do not count it); nothing else is changed, so
    positions still apply. Text that is not UTF-8 is decoded by best guess and reported.
    """
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("starts with a UTF-8 byte-order mark (not counted in positions)")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append("is UTF-16, not UTF-8 as the standard requires")
        return data.decode("utf-16").removeprefix("\ufeff"), notes
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    # Windows Western is by far the commonest non-UTF-8 text in this field: prefer it on a near tie.
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    if best is not None and western is not None and western.chaos <= best.chaos + 0.1:
        best = western
    if best is not None and best.encoding:
        notes.append(f"is not UTF-8; read as {best.encoding}, so positions may not fit")
        return str(best), notes
    notes.append("is not valid UTF-8; unreadable bytes were replaced, so positions may not fit")
    return data.decode("utf-8", errors="replace"), notes


@dataclass(frozen=True)
class MappedSelection:
    start: int
    end: int
    problems: tuple[str, ...] = ()  # what did not fit, in the producer's positions


class SourceText:
    """A source's text as the producer wrote it, and its positions mapped to QualCode's text."""

    def __init__(self, raw: str) -> None:
        self.raw = raw.removeprefix("\ufeff")
        self.text = normalise_text(self.raw)
        self._astral_cache: dict[bool, list[int]] = {}

    # -- the producer's view ----------------------------------------------------------------

    @cached_property
    def _lf(self) -> str:
        """The text with CRLF collapsed to one character (what a CRLF-as-one producer counts)."""
        return self.raw.replace("\r\n", "\n").replace("\r", "\n")

    @cached_property
    def _crlf_starts(self) -> list[int]:
        return [m.start() for m in _CRLF.finditer(self.raw)]

    def _counted(self, counting: Counting) -> str:
        return self._lf if counting.crlf_as_one else self.raw

    def _astral_starts(self, counting: Counting) -> list[int]:
        """UTF-16 index of the first unit of each non-BMP character in the counted text."""
        key = counting.crlf_as_one
        if key not in self._astral_cache:
            counted = self._counted(counting)
            self._astral_cache[key] = [m.start() + j for j, m in enumerate(_ASTRAL.finditer(counted))]
        return self._astral_cache[key]

    def has_astral(self) -> bool:
        return _ASTRAL.search(self.raw) is not None

    def has_crlf(self) -> bool:
        return bool(self._crlf_starts)

    def length(self, counting: Counting) -> int:
        extra = len(self._astral_starts(counting)) if counting.utf16 else 0
        return len(self._counted(counting)) + extra

    # -- mapping ----------------------------------------------------------------------------

    def _units_to_counted(self, pos: int, counting: Counting, side: str, astral: list[int]) -> tuple[int, str]:
        if not counting.utf16 or not astral:
            return pos, ""
        before = bisect_right(astral, pos - 2)  # characters wholly before pos
        if before < len(astral) and astral[before] == pos - 1:
            # pos lies between the two halves of one character: move outwards.
            return (pos - before - 1 if side == "start" else pos - before), "falls inside a character beyond U+FFFF"
        return pos - before, ""

    def _counted_to_lf(self, pos: int, counting: Counting, side: str) -> tuple[int, str]:
        """From an index into the counted text to an index into the LF text."""
        if counting.crlf_as_one or not self._crlf_starts:
            return pos, ""
        starts = self._crlf_starts
        pairs_before = bisect_right(starts, pos - 2)  # pairs wholly before pos
        if pairs_before < len(starts) and starts[pairs_before] == pos - 1:
            lf = starts[pairs_before] - pairs_before  # index of the LF in the LF text
            return (lf if side == "start" else lf + 1), "falls between the CR and LF of a line break"
        return pos - pairs_before, ""

    @cached_property
    def _nfc_map(self) -> tuple[list[int], list[int]] | None:
        """Index maps LF text -> normalised text for starts and ends, or None when NFC already."""
        lf = self._lf
        if unicodedata.is_normalized("NFC", lf):
            return None
        return _segment_maps(lf, self.text)

    def _lf_to_text(self, pos: int, side: str) -> tuple[int, str]:
        maps = self._nfc_map
        if maps is None:
            return pos, ""
        starts, ends = maps
        mapped = starts[pos] if side == "start" else ends[pos]
        exact = starts[pos] == ends[pos]
        return mapped, "" if exact else "falls inside a character that Unicode normalisation composed"

    def map(self, start: int, end: int, counting: Counting = CODE_POINTS) -> MappedSelection:
        """A producer's selection [start, end) as offsets into `text`, with what did not fit.

        Positions outside the text are clamped to it (reported); an inverted selection is
        turned round (reported). The result may be empty: the caller decides what to do.
        """
        problems: list[str] = []
        length = self.length(counting)
        if start > end:
            problems.append(f"starts after it ends ({start} > {end}); turned round")
            start, end = end, start
        if start < 0:
            problems.append(f"starts before the text ({start}); moved to 0")
            start = 0
        if end > length:
            problems.append(f"ends at {end}, past the end of the text ({length}); cut at {length}")
            end = length
        if start > length:
            start = length
        astral = self._astral_starts(counting) if counting.utf16 else []
        mapped: list[int] = []
        for pos, side in ((start, "start"), (end, "end")):
            counted, note1 = self._units_to_counted(pos, counting, side, astral)
            lf, note2 = self._counted_to_lf(counted, counting, side)
            final, note3 = self._lf_to_text(lf, side)
            for note in (note1, note2, note3):
                if note:
                    problems.append(f"{side} {pos} {note}; moved to the whole character")
            mapped.append(final)
        return MappedSelection(mapped[0], max(mapped[0], mapped[1]), tuple(problems))

    def on_word_boundary(self, pos: int) -> bool:
        text = self.text
        if pos <= 0 or pos >= len(text):
            return True
        return not (text[pos - 1].isalnum() and text[pos].isalnum())


def _segment_maps(lf: str, text: str) -> tuple[list[int], list[int]]:
    """Start and end maps from `lf` to its NFC form `text`, segment by segment.

    Segments begin at characters with combining class 0; each is normalised alone. When
    that does not reproduce `text` (rare compositions across starters), lines are used.
    """
    bounds = [i for i, ch in enumerate(lf) if unicodedata.combining(ch) == 0] + [len(lf)]
    if not bounds or bounds[0] != 0:
        bounds.insert(0, 0)
    pieces = [unicodedata.normalize("NFC", lf[a:b]) for a, b in pairwise(bounds)]
    if "".join(pieces) != text:
        bounds = [0, *[m.end() for m in re.finditer("\n", lf)]]
        if bounds[-1] != len(lf):
            bounds.append(len(lf))
        pieces = [unicodedata.normalize("NFC", lf[a:b]) for a, b in pairwise(bounds)]
    starts = [0] * (len(lf) + 1)
    ends = [0] * (len(lf) + 1)
    out = 0
    for (a, b), piece in zip(pairwise(bounds), pieces, strict=True):
        same = piece == lf[a:b]
        for i in range(a, b):
            starts[i] = out + (i - a) if same else out
            ends[i] = out + (i - a) if same or i == a else out + len(piece)
        out += len(piece)
    starts[len(lf)] = ends[len(lf)] = out
    return starts, ends


def score_countings(texts: list[tuple[SourceText, list[tuple[int, int]]]]) -> dict[Counting, int]:
    """For each counting that changes something in these texts: how many selection starts
    and ends fall on word boundaries when the positions are read that way.

    Empty when no text has a CRLF or a character beyond U+FFFF (every counting agrees).
    Code points are always scored when anything is.
    """
    relevant = [(s, sel) for s, sel in texts if (s.has_astral() or s.has_crlf()) and sel]
    if not relevant:
        return {}
    scores: dict[Counting, int] = {}
    for counting in CANDIDATES:
        if counting.utf16 and not any(s.has_astral() for s, _ in relevant):
            continue
        if counting.crlf_as_one and not any(s.has_crlf() for s, _ in relevant):
            continue
        score = 0
        for source, selections in relevant:
            length = source.length(counting)
            for start, end in selections:
                if not (0 <= start <= end <= length):
                    continue
                mapped = source.map(start, end, counting)
                if mapped.problems:
                    continue
                score += source.on_word_boundary(mapped.start) + source.on_word_boundary(mapped.end)
        scores[counting] = score
    return scores


def choose_counting(texts: list[tuple[SourceText, list[tuple[int, int]]]]) -> tuple[Counting, int, int]:
    """The counting under which most selection ends fall on word boundaries.

    For files from producers QualCode does not know. Returns the counting, its score
    and the score of plain code points; only countings that change something compete.
    """
    scores = score_countings(texts)
    if not scores:
        return CODE_POINTS, 0, 0
    best = max(scores, key=lambda c: (scores[c], c == CODE_POINTS))
    return best, scores[best], scores[CODE_POINTS]
