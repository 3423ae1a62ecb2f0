"""Sources of a .qdpx as QualCode documents, and their selections as codings.

Text comes from the plain-text file a source names (any folder case, any path scheme that
points inside the archive), from inline PlainTextContent, from a PDF's plain-text
representation, from an audio/video transcript, or (reported) from a .docx when that is
all there is. Selections are first collected as the producer wrote them; once the file's
way of counting is known they are mapped onto the normalised text (see `positions`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from qualcode.domain.ids import normalise_uid
from qualcode.domain.progress import Progress, check_cancelled
from qualcode.io.refi import conventions as cv
from qualcode.io.refi.positions import SourceText, decode_text
from qualcode.io.refi.reading import Guids, Report, kid, kids, local, text_of

MEDIA = ("PictureSource", "AudioSource", "VideoSource")


@dataclass
class RawCoding:
    uid: str
    code: str | None
    user: str | None
    created: str | None
    note_refs: list[str]


@dataclass
class RawSelection:
    uid: str
    start: int
    end: int
    name: str
    description: str
    codings: list[RawCoding]
    note_refs: list[str]
    user: str | None
    created: str | None


@dataclass
class RawValue:
    variable: str | None
    value: str | None
    tag: str


@dataclass
class RawSource:
    uid: str
    name: str
    kind: str
    text: SourceText
    created: str | None
    description: str
    selections: list[RawSelection] = field(default_factory=list)
    whole_codings: list[RawCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    values: list[RawValue] = field(default_factory=list)
    other_guids: list[str] = field(default_factory=list)  # e.g. the PDF's own guid beside its representation


class SourceFiles:
    """The files of an archive's sources folder, found without regard to folder case."""

    def __init__(self, names: list[str], read: Callable[[str], bytes], report: Report) -> None:
        self._read = read
        self._by_name: dict[str, str] = {}
        folders: set[str] = set()
        for name in names:
            parts = name.replace("\\", "/").split("/")
            if len(parts) >= 2 and parts[0].lower() == "sources" and parts[-1] and not parts[-1].startswith("."):
                folders.add(parts[0])
                self._by_name.setdefault(parts[-1].lower(), name)
            elif len(parts) == 1 and not name.lower().endswith(".qde") and not name.startswith("."):
                self._by_name.setdefault(name.lower(), name)
        for folder in sorted(folders - {"sources"}):
            report.add("folder-case", f"the sources folder is named '{folder}/' rather than 'sources/'; read anyway")

    def find(self, path: str | None) -> tuple[str | None, str]:
        """(entry name, '') for a path inside the archive, or (None, why not)."""
        if not path:
            return None, "no path"
        value = path.strip()
        lower = value.lower()
        if lower.startswith("internal://"):
            value = value[len("internal://"):]
        elif lower.startswith(("relative://", "absolute://")):
            return None, f"it is an external file ({path}), not part of the archive"
        base = value.replace("\\", "/").rsplit("/", 1)[-1].lower()
        entry = self._by_name.get(base)
        return (entry, "") if entry else (None, f"'{path}' is not in the archive")

    def read(self, entry: str) -> bytes:
        return self._read(entry)


def _docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


class SourceReader:
    def __init__(self, files: SourceFiles, guids: Guids, report: Report) -> None:
        self.files = files
        self.guids = guids
        self.report = report
        self.sources: list[RawSource] = []
        self.dropped: list[tuple[str, int, str]] = []  # (where, codings, why) for sources not imported
        self.schemeless: list[str] = []  # paths written without internal:// (qc)
        self.unnamed: list[str] = []  # sources without a name, named after their file

    # -- text -----------------------------------------------------------------------------------

    def source_text(self, element: Element, where: str) -> SourceText | None:
        inline = text_of(element, "PlainTextContent")
        plain_path = element.get("plainTextPath")
        if plain_path:
            entry, why = self.files.find(plain_path)
            if entry and "://" not in plain_path:
                self.schemeless.append(plain_path)
            if entry:
                if inline is not None:
                    self.report.add("text-twice", "gives both PlainTextContent and plainTextPath; the file is used",
                                    where)
                raw, notes = decode_text(self.files.read(entry))
                for note in notes:
                    self.report.add("text-encoding", f"its text file {note}", where)
                return SourceText(raw)
            if inline is None:
                self.report.add("missing-file", f"its plain text cannot be read: {why}", where)
        if inline is not None:
            return SourceText(inline)
        rich_path = element.get("richTextPath")
        if rich_path:
            entry, why = self.files.find(rich_path)
            if entry and entry.lower().endswith(".docx"):
                try:
                    text = _docx_text(self.files.read(entry))
                except Exception as exc:  # python-docx raises many kinds for damaged files
                    self.report.add("missing-file", f"its .docx cannot be read ({exc})", where)
                    return None
                self.report.add("docx-only", "comes only as a .docx; its text was extracted, and the positions of "
                                             "its codings refer to a plain text the file lacks: check them", where)
                return SourceText(text)
            self.report.add("missing-file", f"its rich text cannot be read: {why or 'not a .docx'}", where)
        return None

    # -- selections ------------------------------------------------------------------------------

    def _codings(self, parent: Element, where: str) -> list[RawCoding]:
        codings = []
        for coding in kids(parent, "Coding"):
            uid = self.guids.define("coding", coding.get("guid"), where)
            code_ref = kid(coding, "CodeRef")
            codings.append(RawCoding(
                uid, self.guids.canonical(code_ref.get("targetGUID")) if code_ref is not None else None,
                self.guids.canonical(coding.get("creatingUser")), coding.get("creationDateTime"),
                self._refs(coding)))
        return codings

    def _refs(self, element: Element) -> list[str]:
        return [g for g in (self.guids.canonical(r.get("targetGUID")) for r in kids(element, "NoteRef")) if g]

    def _selection(self, element: Element, where: str, start: int, end: int) -> RawSelection:
        uid = self.guids.define("selection", element.get("guid"), where)
        return RawSelection(uid, start, end, element.get("name") or "", text_of(element, "Description") or "",
                            self._codings(element, where), self._refs(element),
                            self.guids.canonical(element.get("creatingUser")), element.get("creationDateTime"))

    def _text_selections(self, element: Element, source_where: str) -> list[RawSelection]:
        selections = []
        for selection in kids(element, "PlainTextSelection"):
            where = f"{source_where}, selection {selection.get('guid') or '(no guid)'}"
            try:
                start = int((selection.get("startPosition") or "").strip())
                end = int((selection.get("endPosition") or "").strip())
            except ValueError:
                self.report.add("selection-unreadable", "has no readable start and end positions; left out", where)
                continue
            selections.append(self._selection(selection, where, start, end))
        return selections

    # -- sources ----------------------------------------------------------------------------------

    def read_all(self, sources: Element | None, progress: Progress | None = None) -> None:
        if sources is None:
            return
        media: dict[str, list[str]] = {}
        elements = list(sources)
        for index, element in enumerate(elements):
            kind = local(element.tag)
            name = " ".join((element.get("name") or "").split())
            if progress is not None:
                check_cancelled(progress)
                progress.update(index, len(elements), f"Reading '{name}'")
            if kind == "TextSource":
                self._read_text_source(element, element, name, "interview")
            elif kind == "PDFSource":
                self._read_pdf(element, name)
            elif kind in MEDIA:
                media.setdefault(kind, []).append(name or element.get("guid") or "?")
                for transcript in kids(element, "Transcript"):
                    self._read_transcript(transcript, name)
                outside = sum(count_codings(child) for child in element if local(child.tag) != "Transcript")
                self.drop(f"source '{name or element.get('guid')}'", outside,
                          f"it is {kind.removesuffix('Source').lower()}, which QualCode does not code")
        if self.schemeless:
            self.report.add("path-scheme", f"{len(self.schemeless)} source path(s) have no internal:// scheme "
                                           f"(e.g. '{self.schemeless[0]}'); read as files inside the archive")
        if self.unnamed:
            self.report.add("source-name", f"{len(self.unnamed)} source(s) have no name; each is named after its "
                                           f"file (e.g. '{self.unnamed[0]}')")
        for kind, names in media.items():
            shown = ", ".join(f"'{n}'" for n in names[:5]) + (" …" if len(names) > 5 else "")
            self.report.add("media-source", f"{len(names)} {kind.removesuffix('Source').lower()} source(s) were not "
                                            f"imported: QualCode works with text ({shown})")

    def _new_source(self, element: Element, name: str, kind: str, text: SourceText, where: str) -> RawSource:
        uid = self.guids.define("source", element.get("guid"), where)
        if not name:
            name = _file_name(element.get("plainTextPath") or element.get("path") or "")
            if name:
                self.unnamed.append(name)
        source = RawSource(uid, name or f"Source {len(self.sources) + 1}", kind, text,
                           element.get("creationDateTime"), text_of(element, "Description") or "")
        self.sources.append(source)
        return source

    def _finish(self, source: RawSource, element: Element, where: str) -> None:
        source.whole_codings += self._codings(element, where)
        source.note_refs += self._refs(element)
        for value in kids(element, "VariableValue"):
            source.values.append(read_value(value, self.guids))

    def _read_text_source(self, element: Element, text_element: Element, name: str, kind: str) -> None:
        where = f"source '{name or element.get('guid')}'"
        text = self.source_text(text_element, where)
        if text is None:
            self.report.add("source-skipped", "has no text QualCode can read; not imported", where)
            self.drop(where, count_codings(element), "its text is missing")
            return
        source = self._new_source(element, name, kind, text, where)
        source.selections = self._text_selections(text_element, where)
        self._finish(source, element, where)

    def _read_pdf(self, element: Element, name: str) -> None:
        where = f"source '{name or element.get('guid')}'"
        representation = kid(element, "Representation")
        text = self.source_text(representation, where) if representation is not None else None
        if text is None:
            self.report.add("source-skipped", "is a PDF without a plain-text representation; not imported", where)
            self.drop(where, count_codings(element), "it is a PDF without a plain text")
            return
        source = self._new_source(element, name, "literature", text, where)
        source.selections = self._text_selections(representation, where)  # type: ignore[arg-type]
        source.whole_codings += self._codings(representation, where)  # type: ignore[arg-type]
        rep_guid = self.guids.canonical(representation.get("guid")) if representation is not None else None
        if rep_guid:
            source.other_guids.append(rep_guid)
        for selection in kids(element, "PDFSelection"):
            self.report.add("pdf-area", "is an area of a PDF page; QualCode codes text, so it was left out "
                                        f"({len(list(kids(selection, 'Coding')))} coding(s))",
                            f"{where}, selection {selection.get('guid')}")
        self._finish(source, element, where)

    def _read_transcript(self, transcript: Element, media_name: str) -> None:
        name = " ".join((transcript.get("name") or "").split()) or f"{media_name} (transcript)"
        where = f"transcript '{name}'"
        text = self.source_text(transcript, where)
        if text is None:
            self.report.add("source-skipped", "has no text QualCode can read; not imported", where)
            self.drop(where, count_codings(transcript), "its text is missing")
            return
        source = self._new_source(transcript, name, "interview", text, where)
        points = {self.guids.canonical(p.get("guid")): p.get("position") for p in kids(transcript, "SyncPoint")}
        for selection in kids(transcript, "TranscriptSelection"):
            sel_where = f"{where}, selection {selection.get('guid')}"
            try:
                start = int(points[self.guids.canonical(selection.get("fromSyncPoint"))] or "")
                end = int(points[self.guids.canonical(selection.get("toSyncPoint"))] or "")
            except (KeyError, ValueError):
                self.report.add("selection-unreadable", "names sync points without positions; left out", sel_where)
                continue
            source.selections.append(self._selection(selection, sel_where, start, end))
        source.note_refs += self._refs(transcript)


    def drop(self, where: str, codings: int, why: str) -> None:
        """Note codings lost with a source that is not imported (reported together at the end)."""
        if codings:
            self.dropped.append((where, codings, why))


def _file_name(path: str) -> str:
    """The file name a path ends in, unless it is only a GUID (then it says nothing)."""
    base = path.split("://", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem = base.rsplit(".", 1)[0]
    return "" if not stem or normalise_uid(stem) is not None else base


def count_codings(element: Element) -> int:
    """The Coding elements anywhere inside `element` (a source and its selections)."""
    return sum(1 for child in element.iter() if local(child.tag) == "Coding")


def report_dropped(dropped: list[tuple[str, int, str]], report: Report) -> int:
    """One line listing every source whose codings were not imported; the number of codings."""
    total = sum(count for _, count, _ in dropped)
    if total:
        listed = "; ".join(f"{where}: {count} ({why})" for where, count, why in dropped)
        report.add("codings-dropped", f"{total} coding(s) were not imported because their source was not: {listed}")
    return total


def read_value(element: Element, guids: Guids) -> RawValue:
    ref = kid(element, "VariableRef")
    for child in element:
        tag = local(child.tag)
        if tag.endswith("Value"):
            return RawValue(guids.canonical(ref.get("targetGUID")) if ref is not None else None, child.text or "", tag)
    return RawValue(guids.canonical(ref.get("targetGUID")) if ref is not None else None, None, "")


def excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def selection_where(source: RawSource, selection: RawSelection) -> str:
    return f"source '{source.name}', selection {cv.guid_out(selection.uid)}"
