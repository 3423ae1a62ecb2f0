"""Rebuild the sample transcripts that are not plain text from `source/`.

The transcripts are entirely fictional. Each source file holds one speaker turn per line
("Label: words"); a first line starting with "# " is a title, a line without a label is a
note. Run `python resources/samples/make_samples.py` after editing a source; the output
is deterministic (fixed timestamps, fixed document properties).

- P01, LW02 -> .docx (title heading, italic note, bold speaker labels as transcribers do)
- P02 -> .vtt as a Zoom recording exports it (numbered cues, "Name: words")
- P04 -> .vtt as Microsoft Teams exports it (voice tags, "<v Name>words</v>")
- P03 -> .txt with "[hh:mm:ss] Speaker N:" prefixes, as a transcription service returns it
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
WORDS_PER_SECOND = 2.6
CUE_WORDS = 18
_LABEL = re.compile(r"^([^:]{1,40}): (.*)$")


def read_turns(name: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Header lines (before the first turn) and (speaker, words) turns of a source file."""
    header: list[str] = []
    turns: list[tuple[str, str]] = []
    for line in (SOURCE / name).read_text(encoding="utf-8").splitlines():
        match = _LABEL.match(line)
        if match and len(match.group(1).split()) <= 3:
            turns.append((match.group(1), match.group(2)))
        elif turns:
            raise ValueError(f"{name}: a line after the first turn has no speaker label: {line!r}")
        else:
            header.append(line)
    return header, turns


def cues(words: str) -> list[str]:
    """Split a turn into subtitle-sized cues at sentence ends where possible."""
    sentences = re.split(r"(?<=[.?!])\s+", words)
    out: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        tokens = sentence.split()
        if current and len(current) + len(tokens) > CUE_WORDS:
            out.append(" ".join(current))
            current = []
        current.extend(tokens)
        while len(current) > CUE_WORDS * 2:
            out.append(" ".join(current[:CUE_WORDS]))
            current = current[CUE_WORDS:]
    if current:
        out.append(" ".join(current))
    return out


def clock(seconds: float, *, millis: bool = True) -> str:
    whole = int(seconds)
    text = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"{text}.{int(round((seconds - whole) * 1000)) % 1000:03d}" if millis else text


def timed_cues(turns: list[tuple[str, str]]) -> list[tuple[float, float, str, str]]:
    """(start, end, speaker, words) per cue, timed at a steady speaking rate."""
    out = []
    t = 2.0
    for speaker, words in turns:
        for cue in cues(words):
            duration = max(1.2, len(cue.split()) / WORDS_PER_SECOND)
            out.append((t, t + duration, speaker, cue))
            t += duration + 0.3
        t += 0.8
    return out


def write_docx(source: str, target: str) -> None:
    import docx
    from docx.shared import Pt

    header, turns = read_turns(source)
    document = docx.Document()
    document.core_properties.author = "Linkways evaluation team"
    document.core_properties.created = datetime(2024, 4, 3, 10, 0)
    document.core_properties.modified = datetime(2024, 4, 3, 10, 0)
    document.core_properties.last_modified_by = "Linkways evaluation team"
    document.styles["Normal"].font.size = Pt(11)
    for line in header:
        if line.startswith("# "):
            document.add_heading(line[2:], level=1)
        else:
            document.add_paragraph().add_run(line).italic = True
    for speaker, words in turns:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(f" {words}")
    document.save(HERE / target)


def write_zoom_vtt(source: str, target: str) -> None:
    _, turns = read_turns(source)
    lines = ["WEBVTT", ""]
    for number, (start, end, speaker, words) in enumerate(timed_cues(turns), 1):
        lines += [str(number), f"{clock(start)} --> {clock(end)}", f"{speaker}: {words}", ""]
    (HERE / target).write_text("\n".join(lines), encoding="utf-8")


def write_teams_vtt(source: str, target: str) -> None:
    _, turns = read_turns(source)
    lines = ["WEBVTT", ""]
    for number, (start, end, speaker, words) in enumerate(timed_cues(turns), 1):
        lines += [f"5f1c2d3e-{number:04d}/{number % 7}-0", f"{clock(start)} --> {clock(end)}",
                  f"<v {speaker}>{words}</v>", ""]
    (HERE / target).write_text("\n".join(lines), encoding="utf-8")


def write_timestamped_txt(source: str, target: str, title: str) -> None:
    _, turns = read_turns(source)
    lines = [title, ""]
    t = 4.0
    for speaker, words in turns:
        lines.append(f"[{clock(t, millis=False)}] {speaker}: {words}")
        t += len(words.split()) / WORDS_PER_SECOND + 1.5
    (HERE / target).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    write_docx("P01_interview_wave1.txt", "P01_interview_wave1.docx")
    write_docx("LW02_interview_wave1.txt", "LW02_interview_wave1.docx")
    write_zoom_vtt("P02_interview_wave1.txt", "P02_interview_wave1.vtt")
    write_teams_vtt("P04_interview_wave1.txt", "P04_interview_wave1.vtt")
    write_timestamped_txt(
        "P03_followup_wave2.txt", "P03_followup_wave2.txt",
        "Linkways evaluation, follow-up interview P03 (wave 2), 9 January 2025. Speaker 1 = interviewer.",
    )


if __name__ == "__main__":
    main()
