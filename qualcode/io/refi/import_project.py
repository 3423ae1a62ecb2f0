"""Read a REFI-QDA project exchange file (.qdpx) into plain project data, with a report.

The archive is checked for safety before anything is read (see `safety`); the XML is
parsed without DTDs and checked against the schema (violations are reported, not fatal:
real tools write slightly invalid files). Everything is read before anything is written,
so the caller can refuse the file or write it in one step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.io.refi import conventions as cv
from qualcode.io.refi.errors import ExchangeFileError
from qualcode.io.refi.import_cases import VariableReader, read_cases, read_users
from qualcode.io.refi.import_codes import read_codes
from qualcode.io.refi.import_codings import SelectionPlace, map_codings
from qualcode.io.refi.import_notes import KIND_BY_SET, NoteResolver, RawNote, read_notes, read_sets
from qualcode.io.refi.import_sources import RawSource, SourceFiles, SourceReader, excerpt, report_dropped
from qualcode.io.refi.model import CoderData, Deviation, DocumentData, MemoData, NodeData, ProjectData, TurnData
from qualcode.io.refi.positions import CODE_POINTS, Counting, SourceText, score_countings
from qualcode.io.refi.reading import Guids, Report, kid, kids, local, namespace, text_of
from qualcode.io.refi.safety import DEFAULT_LIMITS, Limits, SafeArchive, parse_xml
from qualcode.io.refi.schemas import PROJECT_NS, validate_bytes

SCHEMA_REPORT_LIMIT = 5


@dataclass
class ImportedProject:
    data: ProjectData
    deviations: list[Deviation]
    producer: str
    counting: str
    dropped_codings: int = 0  # codings whose source could not be imported (listed in the deviations)


def read_qdpx(path: Path, *, progress: Progress | None = None, limits: Limits = DEFAULT_LIMITS) -> ImportedProject:
    """Everything in a .qdpx as project data (nothing is written anywhere)."""
    progress = progress or NullProgress()
    with SafeArchive(path, limits) as archive:
        report = Report()
        qde = _find_qde(archive.names, path, report)
        xml = archive.read(qde)
        root = parse_xml(xml, f"'{qde}' in '{path.name}'")
        check_root(root, xml, report, qde)
        files = SourceFiles(archive.names, archive.read, report)
        return ProjectReader(root, files, report, progress).read()


def _find_qde(names: list[str], path: Path, report: Report) -> str:
    candidates = [n for n in names if "/" not in n.replace("\\", "/") and n.lower().endswith(".qde")]
    if not candidates:
        raise ExchangeFileError(f"'{path.name}' is not a REFI-QDA project: it holds no project.qde.")
    if len(candidates) > 1:
        raise ExchangeFileError(f"'{path.name}' holds several project files ({', '.join(candidates)}); "
                                "a REFI-QDA project has exactly one.")
    if candidates[0] != "project.qde":
        report.add("qde-name", f"the project XML is named '{candidates[0]}' rather than 'project.qde'; read anyway")
    return candidates[0]


def check_root(root: Element, xml: bytes, report: Report, what: str) -> None:
    name = local(root.tag)
    if name == "CodeBook":
        raise ExchangeFileError(f"{what} is a REFI-QDA codebook, not a project: import it as a codebook (.qdc).")
    if name != "Project":
        raise ExchangeFileError(f"{what} is not a REFI-QDA project (its root is <{name}>, not <Project>).")
    ns = namespace(root)
    if ns != PROJECT_NS:
        report.add("namespace", f"the XML namespace is '{ns or 'none'}', not '{PROJECT_NS}'; read by element names")
        return
    errors = validate_bytes(xml, "project", limit=SCHEMA_REPORT_LIMIT + 1)
    for error in errors[:SCHEMA_REPORT_LIMIT]:
        report.add("schema", f"does not follow the REFI-QDA schema: {error}", what)
    if len(errors) > SCHEMA_REPORT_LIMIT:
        report.add("schema", "… and more schema violations; QualCode read what it could", what)


def producer_counting(origin: str) -> tuple[Counting, str] | None:
    """How a known producer counts positions, and why; None for producers QualCode does not know."""
    producer = origin.strip().lower()
    if producer.startswith("nvivo"):
        return Counting(utf16=True), "NVivo counts UTF-16 code units"
    if "atlas.ti" in producer:
        return Counting(crlf_as_one=True), "ATLAS.ti counts a CRLF line break once"
    if cv.is_qualcode_origin(origin):
        return CODE_POINTS, "QualCode counts code points"
    if producer.startswith("maxqda"):
        return CODE_POINTS, "MAXQDA counts code points"
    return None


SCORED_SELECTIONS = 4000


def _sample(texts: list[tuple[SourceText, list[tuple[int, int]]]]) -> list[tuple[SourceText, list[tuple[int, int]]]]:
    """At most `SCORED_SELECTIONS` selections, spread evenly over the texts that need a decision."""
    total = sum(len(sel) for text, sel in texts if text.has_astral() or text.has_crlf())
    if total <= SCORED_SELECTIONS:
        return texts
    step = total / SCORED_SELECTIONS
    return [(text, sel[::max(1, round(step))]) for text, sel in texts]


def _clearly_better(best: int, expected: int, ends: int) -> bool:
    """Whether the data fit another counting so much better that the producer's own is wrong."""
    return best > expected and best - expected >= max(2, ends // 10)


def decide_counting(origin: str, sources: list[RawSource], report: Report) -> Counting:
    """How this file's producer counts positions (see `positions`).

    A known producer's convention is used unless the selections themselves fit another
    counting clearly better (a producer's export option, a file rewritten by another
    tool); for unknown producers the data decide. Whenever the choice matters (a text has
    CRLF line ends or characters beyond U+FFFF), the report says which counting was used
    and why.
    """
    selections = _sample([(s.text, [(x.start, x.end) for x in s.selections]) for s in sources])
    scores = score_countings(selections)
    ends = 2 * sum(len(sel) for text, sel in selections if text.has_astral() or text.has_crlf())
    known = producer_counting(origin)
    name = origin.strip() or "unknown"
    if not scores:
        return known[0] if known else CODE_POINTS
    best = max(scores, key=lambda c: (scores[c], c == (known[0] if known else CODE_POINTS)))
    if known is not None:
        expected, reason = known
        expected_score = scores.get(expected, scores[CODE_POINTS])
        if _clearly_better(scores[best], expected_score, ends):
            report.add("position-unit", f"positions were read as {best.describe()}: the file comes from '{name}', "
                                        f"whose convention is {expected.describe()}, but its selections fit word "
                                        f"boundaries far better this way ({scores[best]} of {ends} selection ends "
                                        f"against {expected_score})")
            return best
        if expected != CODE_POINTS or not cv.is_qualcode_origin(origin):  # QualCode's own files need no note
            report.add("position-unit", f"positions were read as {expected.describe()}: {reason}")
        return expected
    report.add("position-unit", f"positions were read as {best.describe()}: the producer '{name}' is not one "
                                f"whose counting QualCode knows, and its selections fit word boundaries best this "
                                f"way ({scores[best]} of {ends} selection ends, against {scores[CODE_POINTS]} "
                                "as code points)")
    return best


class ProjectReader:
    def __init__(self, root: Element, files: SourceFiles, report: Report, progress: Progress) -> None:
        self.root = root
        self.files = files
        self.report = report
        self.progress = progress
        self.guids = Guids(report)

    def read(self) -> ImportedProject:
        root, report, guids = self.root, self.report, self.guids
        origin = root.get("origin") or ""
        data = ProjectData(title=" ".join((root.get("name") or "").split()),
                           methodology=text_of(root, "Description") or "",
                           created_at=cv.time_in(root.get("creationDateTime")))
        users = read_users(root, guids, report)
        tree = read_codes(kid(kid(root, "CodeBook"), "Codes"), guids, report)
        variables = VariableReader(root, guids, report)
        sources = SourceReader(self.files, guids, report)
        sources.read_all(kid(root, "Sources"), self.progress)
        check_cancelled(self.progress)
        notes = read_notes(kid(root, "Notes"), guids, report, self._note_text(sources))
        resolver = NoteResolver(notes, report)
        anchors = resolver.classify()
        counting = decide_counting(origin, sources.sources, report)

        documents: dict[str, DocumentData] = {}
        for source in sources.sources:
            if not source.text.text.strip():
                report.add("source-empty", "has no text; not imported", f"source '{source.name}'")
                sources.drop(f"source '{source.name}'",
                             sum(len(x.codings) for x in source.selections) + len(source.whole_codings),
                             "its text is empty")
                continue
            documents[source.uid] = DocumentData(source.uid, source.name, source.text.text, source.kind,
                                                 imported_at=cv.time_in(source.created), memo=source.description)
        nodes = {n.uid: n for n in tree.nodes}
        result = map_codings(sources.sources, documents, set(nodes), counting, anchors, report,
                             own_file=cv.is_qualcode_origin(origin))
        check_cancelled(self.progress)

        # memos from every kind of reference to a note
        for element in kids(root, "NoteRef"):
            resolver.memo(guids.canonical(element.get("targetGUID")) or "", "project", "")
        for source in sources.sources:
            for ref in source.note_refs:
                if source.uid in documents:
                    resolver.memo(ref, "document", source.uid)
                else:
                    resolver.memo(ref, "project", "", about=f"On the source '{source.name}'")
        for node_uid, refs in tree.note_refs.items():
            for ref in refs:
                field = resolver.field_memo(ref, node_uid)
                if field is not None:
                    nodes[node_uid].memo = field.text
                else:
                    resolver.memo(ref, "node", node_uid)
        codings = {c.uid: c for c in result.codings}
        for coding_uid, refs in result.coding_notes.items():
            for ref in refs:
                field = resolver.field_memo(ref, coding_uid)
                if field is not None:
                    codings[coding_uid].memo = field.text
                    codings[coding_uid].exemplar = field.name == cv.EXEMPLAR_NOTE_NAME
                else:
                    resolver.memo(ref, "coding", coding_uid)
        for selection_uid, refs in result.selection_notes:
            place = result.selections[selection_uid]
            quote = excerpt(documents[place.document_uid].text[place.start:place.end])
            for ref in refs:
                if len(place.coding_uids) == 1:
                    resolver.memo(ref, "coding", place.coding_uids[0])
                else:
                    resolver.memo(ref, "document", place.document_uid, about=f"On “{quote}”")
        self._links(resolver, documents, nodes, result.coding_alias, result.selections)
        kinds = self._sets(resolver, data, nodes, documents, notes)
        resolver.note_to_note_refs()
        resolver.leftovers()
        for number, (document_uid, title, text) in enumerate(result.comments):
            resolver.outcome.memos.append(MemoData(cv.derived_guid("comment", document_uid, str(number)), "document",
                                                   document_uid, title, text))

        for source in sources.sources:
            if source.uid in documents:
                variables.add_values(source.uid, "document", source.values, f"source '{source.name}'")
        cases, case_memos = read_cases(root, guids, report, variables, {u: d.name for u, d in documents.items()},
                                       {u: n.name for u, n in nodes.items()})
        attributes = variables.finish()

        data.nodes = tree.nodes
        data.documents = list(documents.values())
        data.codings = result.codings
        data.cases = cases
        data.attributes = attributes.attributes
        data.values = attributes.values
        data.memos = resolver.outcome.memos + case_memos + attributes.memos
        data.journal = resolver.outcome.journal
        data.configurations = resolver.outcome.configurations
        for uid, kind in kinds.items():
            if uid in documents:
                documents[uid].kind = kind
        data.coders = self._coders(users, data, result.users)
        self._extension(resolver.outcome.extension, data)
        graphs = len(list(kids(kid(root, "Graphs"), "Graph")))
        if graphs:
            report.add("graphs", f"{graphs} graph(s) were not imported (QualCode draws its own theme maps)")
        crlf = sum(s.text.has_crlf() for s in sources.sources)
        if crlf:
            report.add("crlf", f"{crlf} source text(s) use CRLF line ends; QualCode keeps LF and mapped the positions")
        dropped = report_dropped(sources.dropped, report)
        guids.summarise()
        self.progress.update(1, 1, "Read")
        # how positions were counted only means something when there were positions to count
        counted = counting.describe() if any(s.selections for s in sources.sources) else ""
        return ImportedProject(data, report.deviations, origin, counted, dropped)

    def _note_text(self, sources: SourceReader) -> Callable[[Element, str], str | None]:
        def read(element: Element, where: str) -> str | None:
            inline = text_of(element, "PlainTextContent")
            if inline is not None and not element.get("plainTextPath"):
                return inline
            text = sources.source_text(element, where)
            return text.raw if text is not None else inline

        return read

    def _links(self, resolver: NoteResolver, documents: dict[str, DocumentData], nodes: dict[str, NodeData],
               codings: dict[str, str], selections: dict[str, SelectionPlace]) -> None:
        cases = {self.guids.canonical(c.get("guid")) for c in kids(kid(self.root, "Cases"), "Case")}
        other: list[str] = []
        for link in kids(kid(self.root, "Links"), "Link"):
            origin = self.guids.canonical(link.get("originGUID")) or ""
            target = self.guids.canonical(link.get("targetGUID")) or ""
            if origin in resolver.notes and target not in resolver.notes:
                note, about = origin, target
            elif target in resolver.notes and origin not in resolver.notes:
                note, about = target, origin
            else:
                other.append(f"{link.get('name') or 'Link'}: {link.get('originGUID')} → {link.get('targetGUID')}")
                continue
            if about in cases:
                resolver.memo(note, "case", about)
            elif about in documents:
                resolver.memo(note, "document", about)
            elif about in nodes:
                resolver.memo(note, "node", about)
            elif about in codings:
                resolver.memo(note, "coding", codings[about])
            elif about in selections:
                place = selections[about]
                resolver.memo(note, "document", place.document_uid)
            elif about in resolver.configuration_notes:
                resolver.memo(note, "configuration", resolver.configuration_notes[about])
            else:
                resolver.memo(note, "project", "")
        if other:
            self.report.add("links", f"{len(other)} link(s) between things other than notes have no place in QualCode; "
                                     "kept as a project memo 'Links in the imported file'")
            resolver.outcome.memos.append(MemoData(cv.derived_guid("links"), "project", "",
                                                   "Links in the imported file", "\n".join(other)))

    def _sets(self, resolver: NoteResolver, data: ProjectData, nodes: dict[str, NodeData],
              documents: dict[str, DocumentData], notes: dict[str, RawNote]) -> dict[str, str]:
        kinds: dict[str, str] = {}
        configurations = {c.uid.lower() for c in resolver.outcome.configurations}
        ours = {cv.configuration_set_guid(uid) for uid in configurations}
        ours |= {cv.concept_set_guid(c.concept) for c in resolver.outcome.configurations}
        # sources QualCode could not import are still named as the file names them
        listed_sources = kid(self.root, "Sources")
        source_names = {self.guids.canonical(e.get("guid")): " ".join((e.get("name") or "").split())
                        for e in (list(listed_sources) if listed_sources is not None else []) if e.get("name")}
        for guid, name, description, members in read_sets(kid(self.root, "Sets"), self.guids):
            if guid in KIND_BY_SET:
                for source in members["source"]:
                    kinds.setdefault(source, KIND_BY_SET[guid])
            elif guid == cv.journal_set_guid() or (name == cv.JOURNAL_SET_NAME and not members["code"]):
                resolver.journal(members["note"])
            elif guid in ours:
                continue
            else:
                listed = [("Code", nodes[u].name if u in nodes else u) for u in members["code"]]
                listed += [("Source", documents[u].name if u in documents else source_names.get(u, u))
                           for u in members["source"]]
                listed += [("Note", notes[u].name if u in notes and notes[u].name else u) for u in members["note"]]
                self.report.add("set", f"has no equivalent in QualCode; kept as the project memo 'Set: {name}' and "
                                       "exported again as a set", f"set '{name}'")
                resolver.outcome.memos.append(MemoData(guid or cv.derived_guid("set", name), "project", "",
                                                       cv.SET_MEMO_PREFIX + name,
                                                       cv.render_set_memo(description, listed)))
        return kinds

    def _coders(self, users: dict[str, CoderData], data: ProjectData, coding_users: set[str]) -> list[CoderData]:
        coders = dict(users)
        for memo in data.memos:
            if memo.coder_uid and memo.coder_uid not in coders:
                memo.coder_uid = None
        referenced = set(coding_users) | {j.coder_uid for j in data.journal if j.coder_uid}
        for uid in sorted(referenced - set(coders)):
            name = f"Unknown user {cv.guid_out(uid)[:8]}"
            self.report.add("unknown-user", "codings or notes name a user who is not in the file's user list; "
                                            f"called '{name}'")
            coders[uid] = CoderData(uid, name)
        return list(coders.values())

    def _extension(self, extension: dict[str, object] | None, data: ProjectData) -> None:
        if not extension:
            return
        project = extension.get("project")
        if isinstance(project, dict):
            data.uid = project.get("uid") if isinstance(project.get("uid"), str) else ""  # type: ignore[assignment]
            data.created_at = cv.time_from_json(project.get("created_at")) or data.created_at
        colours = extension.get("coders")
        if isinstance(colours, dict):
            for coder in data.coders:
                entry = colours.get(coder.uid)
                if isinstance(entry, dict) and isinstance(entry.get("color"), str):
                    coder.color = entry["color"]
        documents = extension.get("documents")
        if isinstance(documents, dict):
            for document in data.documents:
                entry = documents.get(document.uid)
                if isinstance(entry, dict):
                    self._document_extension(document, entry)
        untitled = extension.get("untitled_journal")
        if isinstance(untitled, list):
            for entry in data.journal:
                if entry.uid in untitled:
                    entry.title = ""
        nodes = extension.get("nodes")
        if isinstance(nodes, dict):
            for node in data.nodes:
                entry = nodes.get(node.uid)
                if isinstance(entry, dict):
                    node.created_at = cv.time_from_json(entry.get("created_at"))

    def _document_extension(self, document: DocumentData, entry: dict[str, object]) -> None:
        if isinstance(entry.get("source_filename"), str):
            document.source_filename = entry["source_filename"]  # type: ignore[assignment]
        turns = entry.get("turns")
        if not isinstance(turns, list):
            return
        kept: list[TurnData] = []
        for turn in turns:
            if (isinstance(turn, list) and len(turn) == 4 and all(isinstance(v, int) for v in turn[:2])
                    and 0 <= turn[0] < turn[1] <= len(document.text)):
                timestamp = turn[3] if isinstance(turn[3], int | float) else None
                kept.append(TurnData(turn[0], turn[1], str(turn[2] or ""), timestamp))
        if len(kept) != len(turns):
            self.report.add("turns", f"{len(turns) - len(kept)} speaker turn(s) no longer fit the text; left out",
                            f"source '{document.name}'")
        document.turns = kept
