"""Speaker turns in plain text: "P3:", "Interviewer:", "I:", "R:", "[00:01:23] Speaker 2:",
"SPEAKER NAME:", "Hannah Fielding (Researcher):", a "Label<TAB>" table column, and
Otter-style "Speaker 1  0:03" lines with the words below.

A label counts as a speaker when it looks like one (a role word, an id like P3 or LW02,
capitals, or a capitalised name of at most four words) and recurs: a single "Note:" or
"Date of interview:" in a header is left as text. A turn covers the words after the label,
up to the next speaker's label.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qualcode.io.base import TurnMark

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_PREFIX = re.compile(
    rf"""[ \t]*
    (?:[\[(]?(?P<ts>{_TIME})[\])]?[ \t]+)?          # [00:01:23] before the label
    (?P<label>[^\W\d_][^\n:\t\[\]]{{0,39}}?)        # the label starts with a letter
    (?:[ \t]*[\[(](?P<ts2>{_TIME})[\])])?           # or after it: Speaker 2 (00:01:23):
    [ \t]*(?::(?!//)|\t)[ \t]*""",
    re.X,
)
_LABEL_LINE = re.compile(rf"[ \t]*(?P<label>[^\W\d_][^\n:\t]{{0,39}}?)[ \t]+(?P<ts>{_TIME})[ \t]*$")
_ROLE = re.compile(
    r"(?i)(interviewer|interviewee|respondent|participant|facilitator|moderator|researcher|speaker"
    r"|int|resp|iv|ie|ir|q|a|i|r|p)(\s*\d{1,3})?"
)
_ID = re.compile(r"[A-Z]{1,4}\d{1,3}")
_PARTICLES = {"de", "da", "del", "der", "van", "von", "le", "la", "al", "el", "bin", "ibn", "du", "dos", "of"}
_INTERVIEWER = re.compile(r"(?i)(interviewer|int|iv|i|q|facilitator|moderator|researcher)")


@dataclass(frozen=True, slots=True)
class _Candidate:
    line_start: int
    content_start: int
    label: str
    timestamp: float | None


def parse_timestamp(value: str) -> float:
    """Seconds in "01:02:03", "1:02:03.5", "02:03" (minutes:seconds) or "00:01:23,250"."""
    parts = value.replace(",", ".").split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    return hours * 3600 + minutes * 60 + seconds


def speaker_kind(label: str) -> str | None:
    """'strong' for role words, ids and capitals; 'name' for a capitalised name; else None."""
    words = label.split()
    if not words or len(words) > 4 or len(label) > 40:
        return None
    if _ROLE.fullmatch(label) or _ID.fullmatch(label):
        return "strong"
    letters = [c for c in label if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters) and len(words) <= 3:
        return "strong"
    for word in words:
        core = word.strip("().'’-")
        if not core:
            continue
        if not (core[0].isupper() or core.lower() in _PARTICLES or word.startswith("(")):
            return None
    return "name"


def is_interviewer(label: str) -> bool:
    """Labels that conventionally mark the interviewer ("Interviewer", "I", "Int", "Q")."""
    return bool(_INTERVIEWER.fullmatch(label.strip()))


def _candidates(text: str) -> list[_Candidate]:
    found = []
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        match = _LABEL_LINE.match(line)
        if match and position <= len(text) and speaker_kind(label := " ".join(match["label"].split())):
            found.append(_Candidate(line_start, position, label, parse_timestamp(match["ts"])))
            continue
        match = _PREFIX.match(line)
        if match and speaker_kind(label := " ".join(match["label"].split())):
            stamp = match["ts"] or match["ts2"]
            found.append(_Candidate(line_start, line_start + match.end(), label,
                                    parse_timestamp(stamp) if stamp else None))
    return found


def detect_turns(text: str) -> tuple[TurnMark, ...]:
    """Speaker turns found in `text` (already in QualCode's text form)."""
    candidates = _candidates(text)
    counts = Counter(c.label for c in candidates)
    few = len(candidates) < 4
    accepted = {label for label, n in counts.items() if n >= 2 or (few and speaker_kind(label) == "strong")}
    chosen = [c for c in candidates if c.label in accepted]
    if len(chosen) < 2:
        return ()
    turns = []
    for index, candidate in enumerate(chosen):
        end = chosen[index + 1].line_start if index + 1 < len(chosen) else len(text)
        start = candidate.content_start
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            turns.append(TurnMark(start, end, candidate.label, candidate.timestamp))
    return tuple(turns)
