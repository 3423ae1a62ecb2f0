"""Read any supported transcript file into a `ReadDocument` (text + speaker turns).

    read_document(path, *, encoding=None, detect_speakers=True) -> ReadDocument

The format is chosen by the file's extension (see `SUPPORTED`); each reader refuses a
file whose content is not that format with one message naming the file and the problem
(`UnreadableFileError`). Text comes back in QualCode's form (NFC, '\\n', one paragraph per
line); turns index that text. Subtitle files carry their own turns and timestamps; other
formats are searched for speaker labels ("P3:", "Interviewer:", "[00:01:23] Speaker 2:").
"""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import replace
from pathlib import Path

from qualcode.io.base import ReadDocument, TurnMark, check_text, collapse_blank_lines, file_error, tidy_text
from qualcode.io.turns import detect_turns

SUPPORTED: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".docx": "docx", ".odt": "odt", ".rtf": "rtf", ".pdf": "pdf",
    ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".vtt": "vtt", ".srt": "srt",
}
_ADVICE = {
    ".doc": "old Word (.doc) files cannot be read: save it as .docx and import that.",
    ".pages": "Pages documents cannot be read: export it as .docx or .pdf first.",
    ".xlsx": "this is a spreadsheet: import it as a case sheet instead.",
    ".csv": "this is a table: import it as a case sheet instead.",
}


def supported_suffixes() -> tuple[str, ...]:
    return tuple(SUPPORTED)


def read_document(path: str | Path, *, encoding: str | None = None, detect_speakers: bool = True) -> ReadDocument:
    """Read one transcript file. `encoding` applies to plain-text formats only."""
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = SUPPORTED.get(suffix)
    if fmt is None:
        advice = _ADVICE.get(suffix)
        if advice:
            raise file_error(path, advice)
        known = ", ".join(sorted(set(SUPPORTED)))
        raise file_error(path, f"QualCode cannot import '{suffix or 'extensionless'}' files (it reads {known}).")
    notes: list[str] = []
    try:
        with _library_output_to(notes):
            read = _read(path, fmt, encoding, detect_speakers)
    except RecursionError:
        raise file_error(path, "is nested too deeply to read (the file is damaged, or made to break readers).") from None
    except (zlib.error, zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
        raise file_error(path, f"is damaged: a compressed part of it cannot be unpacked ({exc}).") from None
    return replace(read, notes=tuple(_summary(notes))) if notes else read


def _read(path: Path, fmt: str, encoding: str | None, detect_speakers: bool) -> ReadDocument:
    used: str | None = None
    turns: tuple[TurnMark, ...] = ()
    if fmt in ("vtt", "srt"):
        from qualcode.io.subtitles import read_subtitles

        raw, turns, used = read_subtitles(path, encoding=encoding)
        text = tidy_text(raw)
        if text != raw:  # normalisation moved characters: find the turns again
            turns = detect_turns(text)
        return ReadDocument(check_text(path, text), turns, fmt, used)
    raw, used = _READERS[fmt](path, encoding)
    text = check_text(path, tidy_text(raw))
    if fmt == "pdf":
        text = collapse_blank_lines(text)
    return ReadDocument(text, detect_turns(text) if detect_speakers else (), fmt, used)


class _Collect(logging.Handler):
    def __init__(self, notes: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(record.getMessage())


@contextmanager
def _library_output_to(notes: list[str]) -> Iterator[None]:
    """What reader libraries print, warn or log (odfpy's "SAX FAILED TO PARSE" with a whole
    document's XML, pypdf's warnings) goes into `notes`, not onto the user's terminal."""
    out, err = io.StringIO(), io.StringIO()
    handler = _Collect(notes)
    loggers = [logging.getLogger(name) for name in ("pypdf", "docx", "odf", "bs4", "markdown_it")]
    saved = [(logger.propagate, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught, redirect_stdout(out), redirect_stderr(err):
            warnings.simplefilter("always")
            yield
    finally:
        for logger, (propagate, _level) in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.propagate = propagate
        notes.extend(str(w.message) for w in caught)
        printed = out.getvalue() + err.getvalue()
        if "SAX FAILED TO PARSE" in printed:  # odfpy, followed by the whole part's XML
            notes.append("part of the document's XML could not be parsed, so some of its text may be missing")
        else:
            notes.extend(line for line in printed.splitlines() if line.strip())


def _summary(notes: list[str]) -> list[str]:
    """Library messages, each cut to one short line, duplicates once, at most five."""
    lines = [" ".join(note.split())[:160] for note in notes if note.strip()]
    unique = list(dict.fromkeys(lines))
    return unique[:5] + ([f"... and {len(unique) - 5} more"] if len(unique) > 5 else [])


def _txt(path: Path, encoding: str | None) -> tuple[str, str | None]:
    from qualcode.io.text import read_text_file

    return read_text_file(path, encoding=encoding)


def _docx(path: Path, _encoding: str | None) -> tuple[str, str | None]:
    from qualcode.io.office import read_docx

    return read_docx(path), None


def _odt(path: Path, _encoding: str | None) -> tuple[str, str | None]:
    from qualcode.io.office import read_odt

    return read_odt(path), None


def _rtf(path: Path, _encoding: str | None) -> tuple[str, str | None]:
    from qualcode.io.rtf import read_rtf

    return read_rtf(path), None


def _pdf(path: Path, _encoding: str | None) -> tuple[str, str | None]:
    from qualcode.io.pdf import read_pdf

    return read_pdf(path), None


def _md(path: Path, encoding: str | None) -> tuple[str, str | None]:
    from qualcode.io.markup import read_markdown

    return read_markdown(path, encoding=encoding)


def _html(path: Path, encoding: str | None) -> tuple[str, str | None]:
    from qualcode.io.markup import read_html

    return read_html(path, encoding=encoding)


_READERS: dict[str, Callable[[Path, str | None], tuple[str, str | None]]] = {
    "txt": _txt, "docx": _docx, "odt": _odt, "rtf": _rtf, "pdf": _pdf, "md": _md, "html": _html,
}
