"""Importing transcripts: one file, or many with progress, cancel and per-file transactions.

Stable API (the import wizard and `qualcode import` call it):

    preview_file(path, *, encoding=None) -> FilePreview
        Read a file without touching a project: format, encoding, characters, speakers
        found (with turn counts and a suggested interviewer flag), the first lines. For the
        wizard's speaker -> case mapping step.

    import_document(session, *, path, options=ImportOptions(), read=None,
                    speaker_cases=None) -> FileOutcome
        Import one file in the caller's session (one unit of work). Duplicate text (same
        SHA-256 as a document already in the project) is skipped or imported as a copy
        as `options.duplicates` says. Raises UnreadableFileError for a bad file.

    import_files(project, *, paths, options=ImportOptions(), progress=NullProgress(),
                 speaker_cases_by_path=None) -> ImportReport
        Import many files, each in its own transaction: a bad file is reported in its
        FileOutcome and the others still land. `progress.update(done, total, message)`
        is called per file; when `progress.cancelled()` turns true the files not yet
        started are reported as NOT_STARTED and the report says `cancelled`. Files
        already imported stay (each was committed on its own). Every FileOutcome carries
        the `Change`s it made, so the GUI can put them on the undo stack.

Speaker -> case mapping: `ImportOptions.speaker_cases` maps a speaker label to a case
name ("R" -> "P3"), created if the project has no such case; the document is linked to
it and the speaker's turns are stored under the case name. A case name may use
"{stem}" (the file name without extension) or "{id}" (its first word: "P03" for
"P03_interview.docx"), so one mapping serves a whole folder.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import DocumentKind, parse_enum
from qualcode.domain.errors import QualCodeError, ValidationError
from qualcode.domain.progress import NullProgress, Progress
from qualcode.domain.spans import Span
from qualcode.domain.text import text_sha256
from qualcode.io.base import ReadDocument
from qualcode.io.documents import read_document
from qualcode.io.turns import is_interviewer
from qualcode.services import documents as document_service
from qualcode.services._common import clean_name, require
from qualcode.services.cases import cases as case_service
from qualcode.services.coding import speakers as speaker_service
from qualcode.services.coding.sentences import sentences_of_text
from qualcode.services.commands import Change
from qualcode.store.models import Case, Coder, Document

if TYPE_CHECKING:
    from qualcode.store.project import Project

log = logging.getLogger(__name__)


class DuplicatePolicy(StrEnum):
    SKIP = "skip"  # leave the file out and say which document already has its text
    COPY = "copy"  # import it anyway under a distinct name


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"  # skipped: the project already has this exact text
    FAILED = "failed"
    NOT_STARTED = "not_started"  # the import was cancelled before this file


@dataclass(frozen=True)
class ImportOptions:
    kind: str = DocumentKind.INTERVIEW
    duplicates: str = DuplicatePolicy.SKIP
    encoding: str | None = None  # plain-text formats only; None = detect
    detect_speakers: bool = True
    speaker_cases: Mapping[str, str] = field(default_factory=dict)
    interviewer_speakers: tuple[str, ...] | None = None  # None = guess ("Interviewer", "I", "Q" ...)
    exclude_interviewer: bool = False  # mark interviewer turns so retrieval can leave them out
    autocode_speakers: bool = False  # code each speaker's turns to "Speaker: <name>" (needs coder_id)
    sentences: bool = True  # segment sentences now, so "code this sentence" is instant later
    coder_id: int | None = None


@dataclass(frozen=True)
class SpeakerPreview:
    speaker: str
    turns: int
    interviewer: bool  # suggested: the label conventionally marks an interviewer


@dataclass(frozen=True)
class FilePreview:
    path: Path
    format: str
    encoding: str | None
    characters: int
    words: int
    speakers: tuple[SpeakerPreview, ...]
    first_lines: tuple[str, ...]


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: ImportStatus
    message: str
    document_id: int | None = None
    name: str = ""
    format: str = ""
    characters: int = 0
    turns: int = 0
    speakers: tuple[str, ...] = ()
    duplicate_of: int | None = None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    outcomes: tuple[FileOutcome, ...]
    cancelled: bool = False

    def with_status(self, status: ImportStatus) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status is status]

    @property
    def imported(self) -> list[FileOutcome]:
        return self.with_status(ImportStatus.IMPORTED)

    @property
    def failed(self) -> list[FileOutcome]:
        return self.with_status(ImportStatus.FAILED)

    @property
    def document_ids(self) -> list[int]:
        return [o.document_id for o in self.imported if o.document_id is not None]

    @property
    def changes(self) -> list[Change]:
        return [change for outcome in self.outcomes for change in outcome.changes]

    def summary(self) -> str:
        counts = Counter(o.status for o in self.outcomes)
        parts = [f"{counts[ImportStatus.IMPORTED]} imported"]
        if counts[ImportStatus.DUPLICATE]:
            parts.append(f"{counts[ImportStatus.DUPLICATE]} skipped as duplicates")
        if counts[ImportStatus.FAILED]:
            parts.append(f"{counts[ImportStatus.FAILED]} failed")
        if self.cancelled:
            parts.append(f"cancelled before {counts[ImportStatus.NOT_STARTED]} more")
        return ", ".join(parts) + "."


def preview_file(path: str | Path, *, encoding: str | None = None) -> FilePreview:
    """What importing `path` would bring in (raises UnreadableFileError for a bad file)."""
    path = Path(path)
    read = read_document(path, encoding=encoding)
    counts = Counter(turn.speaker for turn in read.turns if turn.speaker)
    speakers = tuple(SpeakerPreview(s, counts[s], is_interviewer(s)) for s in read.speakers)
    lines = tuple(line for line in read.text.split("\n")[:12] if line.strip())[:8]
    return FilePreview(path, read.format, read.encoding, len(read.text), len(read.text.split()), speakers, lines)


def file_id(path: Path) -> str:
    """The first word of a file name: "P03" for "P03_interview wave1.docx"."""
    return re.split(r"[\s_\-.]+", path.stem, maxsplit=1)[0] or path.stem


def resolve_case_name(template: str, path: Path) -> str:
    return template.replace("{stem}", path.stem).replace("{id}", file_id(path))


def _unique_name(session: Session, base: str) -> str:
    taken = {n.lower() for n in session.scalars(
        select(Document.name).where(func.lower(Document.name).like(f"{base.lower()}%")))}
    if base.lower() not in taken:
        return base
    number = 2
    while f"{base} ({number})".lower() in taken:
        number += 1
    return f"{base} ({number})"


def _case_id(session: Session, name: str, coder_id: int | None, changes: list[Change]) -> int:
    existing = session.scalar(select(Case.id).where(func.lower(Case.name) == name.lower()))
    if existing is not None:
        return int(existing)
    change = case_service.create_case(session, name=name, coder_id=coder_id)
    changes.append(change)
    return int(change.result)


def import_document(
    session: Session,
    *,
    path: str | Path,
    options: ImportOptions = ImportOptions(),
    read: ReadDocument | None = None,
    speaker_cases: Mapping[str, str] | None = None,
) -> FileOutcome:
    """Import one file into the caller's session; see the module docstring."""
    path = Path(path)
    kind = parse_enum(DocumentKind, options.kind, "document kind").value
    policy = parse_enum(DuplicatePolicy, options.duplicates, "duplicate choice")
    if options.autocode_speakers and options.coder_id is None:
        raise ValidationError("Auto-coding speakers needs a coder: choose who the codings belong to.")
    if options.coder_id is not None:
        require(session, Coder, options.coder_id, "coder")
    if read is None:
        read = read_document(path, encoding=options.encoding, detect_speakers=options.detect_speakers)
    existing = document_service.find_by_hash(session, text_sha256(read.text))
    if existing and policy is DuplicatePolicy.SKIP:
        return FileOutcome(path, ImportStatus.DUPLICATE,
                           f"'{path.name}' has the same text as '{existing[0].name}', already in the project: skipped.",
                           name=existing[0].name, format=read.format, characters=len(read.text),
                           duplicate_of=existing[0].id)
    # Checked before anything is stored: the name is also the turns' speaker label (at most
    # 200 characters, which a PostgreSQL server enforces where SQLite would not).
    mapping = {label: clean_name(resolve_case_name(case, path), "case", max_length=200) for label, case in
               (speaker_cases if speaker_cases is not None else options.speaker_cases).items() if case.strip()}
    turns = [document_service.TurnSpec(t.start, t.end, mapping.get(t.speaker, t.speaker), t.timestamp)
             for t in read.turns]
    name = _unique_name(session, path.stem or path.name)
    changes: list[Change] = []
    change = document_service.add_document(session, name=name, text=read.text, kind=kind, source_filename=path.name,
                                           turns=turns, coder_id=options.coder_id)
    changes.append(change)
    document_id = int(change.result)
    for case_name in dict.fromkeys(mapping[s] for s in read.speakers if s in mapping):
        case_id = _case_id(session, case_name, options.coder_id, changes)
        changes.append(case_service.link_documents(session, case_id=case_id, document_ids=[document_id],
                                                   coder_id=options.coder_id))
    speakers = tuple(dict.fromkeys(t.speaker for t in turns if t.speaker))
    if options.exclude_interviewer:
        chosen = options.interviewer_speakers
        interviewers = [s for s in speakers if (s in chosen if chosen is not None else is_interviewer(s))]
        if interviewers:
            changes += speaker_service.set_interviewer_speakers(
                session, document_id=document_id, speakers=interviewers, coder_id=options.coder_id)
    if options.autocode_speakers and speakers and options.coder_id is not None:
        changes += speaker_service.autocode_speakers(session, document_id=document_id, coder_id=options.coder_id)
    copy_note = f" (a copy of '{existing[0].name}')" if existing else ""
    message = f"'{path.name}' imported as '{name}'{copy_note}: {len(read.text.split()):,} words, {len(turns)} turns."
    if read.notes:
        message += f" The reader noted: {'; '.join(read.notes)}"
    return FileOutcome(path, ImportStatus.IMPORTED, message, document_id, name, read.format, len(read.text),
                       len(turns), speakers, existing[0].id if existing else None, tuple(changes))


def import_files(
    project: Project,
    *,
    paths: Sequence[str | Path],
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
    speaker_cases_by_path: Mapping[Path, Mapping[str, str]] | None = None,
) -> ImportReport:
    """Import many files, each in its own transaction; see the module docstring."""
    progress = progress or NullProgress()
    files = [Path(p) for p in paths]
    outcomes: list[FileOutcome] = []
    total = len(files)
    for index, path in enumerate(files):
        if progress.cancelled():
            outcomes += [FileOutcome(p, ImportStatus.NOT_STARTED, f"'{p.name}' was not imported: cancelled.")
                         for p in files[index:]]
            return ImportReport(tuple(outcomes), cancelled=True)
        progress.update(index, total, f"Importing {path.name}")
        outcomes.append(_import_one(project, path, options, (speaker_cases_by_path or {}).get(path)))
    progress.update(total, total, "Import finished")
    project.checkpoint()  # the project file alone now holds the whole import
    return ImportReport(tuple(outcomes))


def _import_one(project: Project, path: Path, options: ImportOptions,
                speaker_cases: Mapping[str, str] | None) -> FileOutcome:
    try:
        read = read_document(path, encoding=options.encoding, detect_speakers=options.detect_speakers)
        with project.session() as session:
            outcome = import_document(session, path=path, options=options, read=read, speaker_cases=speaker_cases)
    except QualCodeError as exc:
        message = str(exc)
        named = message if message.startswith(f"'{path.name}'") else f"'{path.name}': {message}"
        return FileOutcome(path, ImportStatus.FAILED, named)
    except Exception as exc:
        log.exception("import of %s failed", path)
        return FileOutcome(path, ImportStatus.FAILED,
                           f"'{path.name}': could not be imported ({type(exc).__name__}: {exc}).")
    if outcome.status is ImportStatus.IMPORTED and options.sentences:
        sentences_of_text(read.text, [Span(t.start, t.end) for t in read.turns])
    return outcome
