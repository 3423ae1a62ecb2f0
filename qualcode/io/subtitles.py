"""Subtitle transcripts (.vtt WebVTT, .srt SubRip) from Zoom, Teams, Otter and captioners.

Cues are read with webvtt-py. The speaker comes from a voice tag (`<v Name>`, Teams) or
a "Name:" label at the start of the cue (Zoom, most captioners). Consecutive cues of the
same speaker are joined into one turn, written as one line "Name: words"; the turn keeps
the start time of its first cue. Without any speakers, cues are joined into paragraphs at
pauses of two seconds or more, each a turn with its time but no speaker.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from qualcode.io.base import TurnMark, file_error, tidy_text
from qualcode.io.text import decode, read_bytes, refuse_other_formats
from qualcode.io.turns import parse_timestamp, speaker_kind

_LABEL = re.compile(r"(?P<label>[^\W\d_][^\n:]{0,39}?):\s+")
PAUSE_SECONDS = 2.0


@dataclass(frozen=True)
class _Cue:
    start: float
    end: float
    speaker: str
    words: str


def read_subtitles(path: Path, *, encoding: str | None = None) -> tuple[str, tuple[TurnMark, ...], str]:
    """Text, turns and encoding of a .vtt or .srt file."""
    data = read_bytes(path)
    if not encoding:
        refuse_other_formats(path, data, "a subtitle file")
    source, used = decode(path, data, encoding)
    source = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    srt = path.suffix.lower() == ".srt"
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = (webvtt.from_buffer(io.StringIO(source), format="srt") if srt
                    else webvtt.from_string(source, strict=True)).captions
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError) as exc:
        kind = "SubRip (.srt)" if srt else "WebVTT (.vtt)"
        detail = str(exc).strip().split("\n")[0][:80]
        raise file_error(path, f"is not a valid {kind} file ({detail or type(exc).__name__}).") from None
    cues = [_cue(c.start, c.end, c.voice, c.text) for c in captions]
    cues = [c for c in cues if c.words]
    if not cues:
        raise file_error(path, "the subtitle file has no captions with text.")
    text, turns = _assemble(cues)
    return text, turns, used


def _cue(start: str, end: str, voice: str | None, text: str) -> _Cue:
    words = " ".join(tidy_text(html.unescape(re.sub(r"</?[^>\n]+>", "", text))).split())
    speaker = " ".join(tidy_text(voice or "").split())
    if not speaker:
        match = _LABEL.match(words)
        if match and speaker_kind(match["label"].strip()):
            speaker = match["label"].strip()
            words = words[match.end():]
    return _Cue(parse_timestamp(start), parse_timestamp(end), speaker, words)


def _assemble(cues: list[_Cue]) -> tuple[str, tuple[TurnMark, ...]]:
    with_speakers = any(c.speaker for c in cues)
    groups: list[list[_Cue]] = []
    for cue in cues:
        previous = groups[-1][-1] if groups else None
        same = previous is not None and (
            (cue.speaker == previous.speaker or not cue.speaker) if with_speakers
            else cue.start - previous.end < PAUSE_SECONDS
        )
        if same:
            groups[-1].append(cue)
        else:
            groups.append([cue])
    lines: list[str] = []
    turns: list[TurnMark] = []
    position = 0
    for group in groups:
        speaker = group[0].speaker
        label = f"{speaker}: " if speaker else ""
        words = " ".join(c.words for c in group)
        start = position + len(label)
        turns.append(TurnMark(start, start + len(words), speaker, group[0].start))
        lines.append(label + words)
        position += len(lines[-1]) + 1
    return "\n".join(lines), tuple(turns)
