"""Write a project as a REFI-QDA project exchange file (.qdpx): project.qde plus sources/.

The XML follows Project-mrt2019.xsd and is validated against it before anything is
written; the archive is written beside the target and moved into place at the end, so a
failure leaves no half-written file. Texts go to `sources/<GUID>.txt` (UTF-8, no BOM, LF,
exactly the text the positions refer to); positions are code points, end exclusive.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from pathlib import Path
from typing import Any

from qualcode.domain.ids import normalise_uid
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.io.refi import conventions as cv
from qualcode.io.refi.cmo_notes import configuration_json, configuration_text, evidence_anchor_name
from qualcode.io.refi.errors import ExchangeFileError
from qualcode.io.refi.model import CodingData, Deviation, DocumentData, MemoData, ProjectData
from qualcode.io.refi.schemas import PROJECT_NS, PROJECT_SCHEMA_LOCATION, XSI_NS, schema_errors
from qualcode.io.refi.writing import ExportResult, write_codes, write_zip_atomically
from qualcode.io.refi.xmltext import ElementMaker, is_xml_safe, markup_attribute, markup_text

MAX_INTERNAL_FILE = 2**31 - 1
_VARIABLE_TYPES = {"text": "Text", "category": "Text", "number": "Float", "date": "Date"}
_NAME_EXCERPT = 60
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# a speaker turn as the extension note keeps it: [start, end, speaker, timestamp] (a tuple is written as a list)
_TURN_FIELDS = attrgetter("start", "end", "speaker", "timestamp")


def _in_selection_order(codings: list[CodingData]) -> list[tuple[datetime, CodingData]]:
    """The codings in order of place, then time to the second (what the file keeps), so a re-export
    gives the same file; each with that time (`datetime.max` when it has none)."""
    keyed = sorted((c.start, c.end, (c.created_at or datetime.max).replace(microsecond=0), c.uid, index)
                   for index, c in enumerate(codings))
    return [(second, codings[index]) for _, _, second, _, index in keyed]


def _excerpt(text: str) -> str:
    # A passage is usually far longer than its name: flatten only a head long enough to fill
    # the name (flattening never lengthens text), the whole passage only when the head falls short.
    head = text[: 2 * _NAME_EXCERPT]
    flat = " ".join(head.split())
    if len(flat) <= _NAME_EXCERPT and len(head) < len(text):
        flat = " ".join(text.split())
    return flat if len(flat) <= _NAME_EXCERPT else flat[: _NAME_EXCERPT - 1] + "…"


class _ProjectWriter:
    def __init__(self, data: ProjectData, origin: str) -> None:
        from lxml import etree

        self.data = data
        self.origin = origin
        self.e = ElementMaker(PROJECT_NS)
        self.deviations: list[Deviation] = []
        self.root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS, "xsi": XSI_NS})
        self.notes: list[tuple[dict[str, str | None], str, str | None, list[str]]] = []
        self.note_refs: dict[tuple[str, str], list[str]] = defaultdict(list)  # (type, uid) -> note guids
        self.links: list[tuple[str, str, str]] = []  # (link guid, note guid, target guid)
        self.project_notes: list[str] = []
        self.evidence_by_document: dict[str, list[tuple[str, int, int, str, str]]] = defaultdict(list)
        self.set_memos: list[MemoData] = []
        self.note_files: list[tuple[str, str]] = []  # (file name in sources/, text) of notes kept as files
        self.now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)

    # -- notes (memos, memo fields, CMO configurations, the extension note) --------------------

    def add_note(self, guid: str, name: str | None, text: str, *, user: str | None = None,
                 created: datetime | None = None, modified: datetime | None = None,
                 description: str | None = None, as_file: bool = False) -> str:
        """Plan one Note; every note gets both dates (the export's time when QualCode has none).

        `as_file`: the text goes to sources/<guid>.txt (plainTextPath) instead of inline.
        """
        created = created or modified or self.data.created_at or self.now
        attrs = {"guid": cv.guid_out(guid), "name": name or None,
                 "creatingUser": cv.guid_out(user) if user else None,
                 "creationDateTime": cv.time_out(created), "modifiedDateTime": cv.time_out(modified or created)}
        if as_file:
            attrs["plainTextPath"] = f"internal://{attrs['guid']}.txt"
            self.note_files.append((f"{attrs['guid']}.txt", text))
        refs = self.note_refs.get(("note", guid.lower()), [])
        self.notes.append((attrs, text, description, refs))
        return attrs["guid"] or ""

    def plan_notes(self) -> None:
        data = self.data
        known = {
            "project": {""},
            "document": {d.uid.lower() for d in data.documents},
            "node": {n.uid.lower() for n in data.nodes},
            "coding": {c.uid.lower() for c in data.codings},
            "case": {c.uid.lower() for c in data.cases},
            "configuration": {c.uid.lower() for c in data.configurations},
        }
        for memo in data.memos:
            if memo.target_type == "project" and cv.parse_set_memo(memo.title, memo.text) is not None:
                self.set_memos.append(memo)  # a set from another tool, written as a Set again
                continue
            target = memo.target_uid.lower()
            if target not in known.get(memo.target_type, set()):
                self.deviations.append(Deviation(
                    "memo-without-target",
                    f"the memo is about a {memo.target_type} no longer in the project; it is written as a "
                    "project memo", f"memo '{memo.title or memo.uid}'"))
                memo = MemoData(memo.uid, "project", "", memo.title, memo.text, memo.coder_uid,
                                memo.created_at, memo.updated_at)
                target = ""
            guid = cv.guid_out(memo.uid)
            if memo.target_type == "project":
                self.project_notes.append(guid)
            elif memo.target_type == "case":
                self.links.append((cv.guid_out(cv.memo_link_guid(memo.uid)), guid, cv.guid_out(memo.target_uid)))
            else:
                kind = "note" if memo.target_type == "configuration" else memo.target_type
                self.note_refs[(kind, target)].append(guid)
            self._pending_memos.append(memo)
        for node in data.nodes:
            if node.memo:
                guid = cv.memo_note_guid(node.uid)
                self.note_refs[("node", node.uid.lower())].append(cv.guid_out(guid))
        for coding in data.codings:
            if coding.memo or coding.exemplar:
                guid = cv.memo_note_guid(coding.uid)
                self.note_refs[("coding", coding.uid.lower())].append(cv.guid_out(guid))

    _pending_memos: list[MemoData]

    def write_notes(self) -> None:
        data = self.data
        for configuration in data.configurations:
            self.add_note(configuration.uid, cv.configuration_note_name(configuration.label),
                          configuration_text(configuration, data), created=configuration.created_at,
                          description=configuration_json(configuration))
        for memo in self._pending_memos:
            self.add_note(memo.uid, memo.title, memo.text, user=memo.coder_uid, created=memo.created_at,
                          modified=memo.updated_at)
        for node in data.nodes:
            if node.memo:
                self.add_note(cv.memo_note_guid(node.uid), cv.MEMO_NOTE_NAME, node.memo)
        for coding in data.codings:
            if coding.memo or coding.exemplar:
                name = cv.EXEMPLAR_NOTE_NAME if coding.exemplar else cv.MEMO_NOTE_NAME
                self.add_note(cv.memo_note_guid(coding.uid), name, coding.memo, user=coding.coder_uid,
                              created=coding.created_at)
        for entry in data.journal:
            title = entry.title or (f"Journal {entry.created_at:%Y-%m-%d %H:%M}" if entry.created_at else "Journal")
            self.add_note(entry.uid, title, entry.text, user=entry.coder_uid, created=entry.created_at, as_file=True)
        extension = self.add_note(cv.extension_note_guid(data.uid or data.title), cv.EXTENSION_NOTE_NAME,
                                  cv.EXTENSION_NOTE_TEXT, description=self.extension_json())
        self.project_notes.append(extension)
        if not self.notes:
            return
        notes = self.e.sub(self.root, "Notes")
        for attrs, text, description, refs in self.notes:
            where = f"note '{attrs.get('name') or attrs['guid']}'"
            note = self.e.sub(notes, "Note", attrs, where=where)
            if description:
                self.e.sub(note, "Description", text=description, where=where)
            if not attrs.get("plainTextPath"):
                self.e.sub(note, "PlainTextContent", text=text, where=where)
            for ref in refs:
                self.e.sub(note, "NoteRef", {"targetGUID": ref})

    def extension_json(self) -> str:
        data = self.data
        return cv.dump_json("qualcode-project", {
            "project": {"uid": data.uid, "created_at": cv.time_json(data.created_at)},
            "coders": {c.uid: {"color": c.color} for c in data.coders if c.color},
            "documents": {d.uid: {"source_filename": d.source_filename, "kind": d.kind,
                                  "turns": list(map(_TURN_FIELDS, d.turns))}
                          for d in data.documents if d.source_filename or d.turns},
            "nodes": {n.uid: {"created_at": cv.time_json(n.created_at)} for n in data.nodes if n.created_at},
            # journal entries without a title are written with one (readers need a name); this undoes it
            "untitled_journal": [e.uid for e in data.journal if not e.title],
        })

    # -- the parts of the project, in schema order ------------------------------------------------

    def write_project(self) -> None:
        data = self.data
        root = self.root
        root.set(f"{{{XSI_NS}}}schemaLocation", PROJECT_SCHEMA_LOCATION)
        root.set("name", self.e.clean(data.title or "QualCode project", "project name"))
        root.set("origin", self.origin)
        if data.created_at:
            root.set("creationDateTime", cv.time_out(data.created_at) or "")
        root.set("modifiedDateTime", cv.time_out(datetime.now(UTC).replace(tzinfo=None)) or "")
        if data.coders:
            users = self.e.sub(root, "Users")
            for coder in data.coders:
                self.e.sub(users, "User", {"guid": cv.guid_out(coder.uid), "name": coder.name})

    def write_codebook(self) -> None:
        if not self.data.nodes:
            return
        codes = self.e.sub(self.e.sub(self.root, "CodeBook"), "Codes")
        write_codes(self.e, codes, self.data.nodes, self.deviations,
                    note_refs=lambda uid: self.note_refs.get(("node", uid.lower()), []))

    def write_variables_and_cases(self) -> None:
        data = self.data
        if data.attributes:
            variables = self.e.sub(self.root, "Variables")
            for attribute in data.attributes:
                variable = self.e.sub(variables, "Variable", {
                    "guid": cv.guid_out(attribute.uid), "name": attribute.name,
                    "typeOfVariable": _VARIABLE_TYPES.get(attribute.type, "Text")})
                self.e.sub(variable, "Description",
                           text=cv.render_variable_description(attribute.scope, attribute.type))
        if data.cases:
            cases = self.e.sub(self.root, "Cases")
            for case in data.cases:
                element = self.e.sub(cases, "Case", {"guid": cv.guid_out(case.uid), "name": case.name})
                if case.memo:
                    self.e.sub(element, "Description", text=case.memo, where=f"case '{case.name}'")
                self.write_values(element, case.uid)
                for document_uid in case.document_uids:
                    self.e.sub(element, "SourceRef", {"targetGUID": cv.guid_out(document_uid)})

    def write_values(self, parent: Any, owner_uid: str) -> None:
        for value in self._values.get(owner_uid.lower(), []):
            attribute = self._attributes[value.attribute_uid.lower()]
            element = self.e.sub(parent, "VariableValue")
            self.e.sub(element, "VariableRef", {"targetGUID": cv.guid_out(attribute.uid)})
            tag, text = "TextValue", value.value
            if attribute.type == "number":
                try:
                    tag, text = "FloatValue", format(Decimal(value.value), "f")
                except InvalidOperation:
                    self._odd_value(attribute.name, value.value, "a number")
            elif attribute.type == "date":
                try:
                    tag, text = "DateValue", datetime.strptime(value.value, "%Y-%m-%d").date().isoformat()
                except ValueError:
                    self._odd_value(attribute.name, value.value, "a date")
            self.e.sub(element, tag, text=text, where=f"value of '{attribute.name}'")

    def _odd_value(self, name: str, value: str, expected: str) -> None:
        self.deviations.append(Deviation("value-type", f"'{value}' is not {expected}; written as text",
                                         f"attribute '{name}'"))

    def write_sources(self, progress: Progress) -> None:
        data = self.data
        if not data.documents:
            return
        by_document: dict[str, list[CodingData]] = defaultdict(list)
        for coding in data.codings:
            by_document[coding.document_uid.lower()].append(coding)
        sources = self.e.sub(self.root, "Sources")
        total = len(data.documents)
        for index, document in enumerate(data.documents):
            check_cancelled(progress)
            progress.update(index, total, f"Writing '{document.name}'")
            self.write_source(sources, document, by_document.get(document.uid.lower(), []))

    def write_source(self, sources: Any, document: DocumentData, codings: list[CodingData]) -> None:
        guid = cv.guid_out(document.uid)
        where = f"source '{document.name}'"
        source = self.e.sub(sources, "TextSource", {
            "guid": guid, "name": document.name, "plainTextPath": f"internal://{guid}.txt",
            "creationDateTime": cv.time_out(document.imported_at)}, where=where)
        if document.memo:
            self.e.sub(source, "Description", text=document.memo, where=where)
        self.write_selections(source, document, codings, where)
        for evidence_uid, start, end, name, configuration_uid in self.evidence_by_document.get(
                document.uid.lower(), []):
            selection = self.e.sub(source, "PlainTextSelection", {
                "guid": cv.guid_out(evidence_uid), "name": name, "startPosition": str(start),
                "endPosition": str(end)}, where=where)
            self.e.sub(selection, "NoteRef", {"targetGUID": cv.guid_out(configuration_uid)})
        for ref in self.note_refs.get(("document", document.uid.lower()), []):
            self.e.sub(source, "NoteRef", {"targetGUID": ref})
        self.write_values(source, document.uid)

    def write_selections(self, source: Any, document: DocumentData, codings: list[CodingData], where: str) -> None:
        """One selection per coding (NVivo's way): each selection has exactly one coder.

        The bulk of a large export, so the selections are written as markup and parsed by lxml
        in one go (the whole project is still validated against the schema before it is
        written). The text is checked once for characters XML cannot hold instead of every
        name cut from it.
        """
        if not codings:
            return
        text = document.text
        safe = is_xml_safe(text)
        note_refs = self.note_refs
        clean = self.e.clean
        names: dict[tuple[int, int], str] = {}
        # the attributes selection and coding share, written once per coder and per second
        creators: dict[str | None, str] = {}
        times: dict[datetime | None, str] = {}
        markup: list[str] = []
        for second, coding in _in_selection_order(codings):
            start, end = coding.start, coding.end
            name = names.get((start, end))
            if name is None:
                name = _excerpt(text[start:end])
                names[(start, end)] = name = markup_attribute(name if safe else clean(name, where))
            by = creators.get(coding.coder_uid)
            if by is None:
                by = creators[coding.coder_uid] = (
                    f' creatingUser="{cv.guid_out(coding.coder_uid)}"' if coding.coder_uid else "")
            moment = second if coding.created_at is not None else None
            when = times.get(moment)
            if when is None:
                when = times[moment] = f' creationDateTime="{cv.time_out(moment)}"' if moment else ""
            uid = coding.uid.lower()
            refs = note_refs.get(("coding", uid))
            described = f"<Description>{markup_text(clean(coding.memo, where))}</Description>" if coding.memo else ""
            noted = "".join(f'<NoteRef targetGUID="{ref}"/>' for ref in refs) if refs else ""
            markup.append(
                f'<PlainTextSelection guid="{cv.derived_guid("selection", uid)}" name="{name}" startPosition="{start}" '
                f'endPosition="{end}"{by}{when}>{described}<Coding guid="{cv.guid_out(coding.uid)}"{by}{when}>'
                f'<CodeRef targetGUID="{cv.guid_out(coding.node_uid)}"/>{noted}</Coding></PlainTextSelection>')
        self.e.append_markup(source, "".join(markup))

    def plan_evidence(self) -> None:
        for configuration in self.data.configurations:
            roles = {c.uid.lower(): c.role for c in configuration.components}
            for evidence in configuration.evidence:
                if evidence.document_uid and evidence.start is not None and evidence.end is not None:
                    name = evidence_anchor_name(configuration, roles.get(evidence.component_uid.lower(), ""),
                                                evidence.stance)
                    self.evidence_by_document[evidence.document_uid.lower()].append(
                        (evidence.uid, evidence.start, evidence.end, name, configuration.uid))

    def write_links(self) -> None:
        if not self.links:
            return
        links = self.e.sub(self.root, "Links")
        for guid, origin, target in self.links:
            self.e.sub(links, "Link", {"guid": guid, "name": cv.MEMO_NOTE_NAME, "direction": "OneWay",
                                       "originGUID": origin, "targetGUID": target})

    def write_sets(self) -> None:
        data = self.data
        planned: list[tuple[str, str, list[str], list[str], list[str]]] = []
        kinds: dict[str, list[str]] = defaultdict(list)
        for document in data.documents:
            kinds[document.kind].append(cv.guid_out(document.uid))
        for kind, members in kinds.items():
            name = cv.KIND_SET_NAMES.get(kind, kind)
            planned.append((cv.kind_set_guid(kind), name, [], members, []))
        if data.journal:
            planned.append((cv.journal_set_guid(), cv.JOURNAL_SET_NAME, [], [],
                            [cv.guid_out(e.uid) for e in data.journal]))
        concepts: dict[str, list[str]] = defaultdict(list)
        for configuration in data.configurations:
            note = cv.guid_out(configuration.uid)
            planned.append((cv.configuration_set_guid(configuration.uid),
                            cv.configuration_set_name(configuration.label),
                            [cv.guid_out(uid) for uid in configuration.node_uids], [], [note]))
            if configuration.concept:
                concepts[configuration.concept].append(note)
        for concept, notes in concepts.items():
            planned.append((cv.concept_set_guid(concept), cv.CMO_CONCEPT_PREFIX + concept, [], [], notes))
        descriptions: dict[str, str] = {}
        for memo in self.set_memos:
            set_name, description, listed = cv.parse_set_memo(memo.title, memo.text) or ("", "", [])
            found = self.set_members(set_name, listed)
            planned.append((memo.uid, set_name, found["Code"], found["Source"], found["Note"]))
            descriptions[memo.uid] = description
        if not planned:
            return
        sets = self.e.sub(self.root, "Sets")
        for guid, name, codes, sources, notes in planned:
            element = self.e.sub(sets, "Set", {"guid": cv.guid_out(guid), "name": name})
            if descriptions.get(guid):
                self.e.sub(element, "Description", text=descriptions[guid], where=f"set '{name}'")
            for tag, members in (("MemberCode", codes), ("MemberSource", sources), ("MemberNote", notes)):
                for member in members:
                    self.e.sub(element, tag, {"targetGUID": member})

    def set_members(self, name: str, members: list[tuple[str, str]]) -> dict[str, list[str]]:
        """The GUIDs of a kept set's members, found by name; what cannot be found is reported."""
        data = self.data
        by_name: dict[str, dict[str, list[str]]] = {"Code": defaultdict(list), "Source": defaultdict(list),
                                                    "Note": defaultdict(list)}
        for node in data.nodes:
            by_name["Code"][node.name].append(node.uid)
        for document in data.documents:
            by_name["Source"][document.name].append(document.uid)
        written = {memo.uid.lower() for memo in self._pending_memos} | {e.uid.lower() for e in data.journal}
        for memo in self._pending_memos:
            by_name["Note"][memo.title].append(memo.uid)
        for entry in data.journal:
            by_name["Note"][entry.title].append(entry.uid)
        found: dict[str, list[str]] = {"Code": [], "Source": [], "Note": []}
        missing: list[str] = []
        for kind, member in members:
            uids = by_name[kind].get(member) or ([member] if normalise_uid(member) and member.lower() in written
                                                 else [])
            if not uids:
                missing.append(f"{kind.lower()} '{member}'")
                continue
            if len(uids) > 1:
                self.deviations.append(Deviation("set-member", f"{len(uids)} {kind.lower()}s are named '{member}'; "
                                                               "all are in the set", f"set '{name}'"))
            found[kind] += [cv.guid_out(uid) for uid in uids if cv.guid_out(uid) not in found[kind]]
        if missing:
            self.deviations.append(Deviation("set-member", "lists what the project does not hold, left out: "
                                                           + ", ".join(missing), f"set '{name}'"))
        return found

    def write_tail(self) -> None:
        if self.data.methodology:
            self.e.sub(self.root, "Description", text=self.data.methodology, where="project description")
        for guid in self.project_notes:
            self.e.sub(self.root, "NoteRef", {"targetGUID": guid})

    def build(self, progress: Progress) -> Any:
        data = self.data
        self._pending_memos = []
        self._attributes = {a.uid.lower(): a for a in data.attributes}
        self._values: dict[str, list[Any]] = defaultdict(list)
        for value in data.values:
            if value.attribute_uid.lower() in self._attributes:
                self._values[value.owner_uid.lower()].append(value)
        self.plan_notes()
        self.plan_evidence()
        self.write_project()
        self.write_codebook()
        self.write_variables_and_cases()
        self.write_sources(progress)
        self.write_notes()
        self.write_links()
        self.write_sets()
        self.write_tail()
        for where in dict.fromkeys(self.e.replaced):
            self.deviations.append(Deviation("xml-character", "characters XML cannot hold were replaced by �",
                                             where))
        return self.root


def write_qdpx(data: ProjectData, path: Path, *, origin: str, progress: Progress | None = None) -> ExportResult:
    """Write `data` as a .qdpx at `path` (replaced only when everything succeeded)."""
    from lxml import etree

    progress = progress or NullProgress()
    writer = _ProjectWriter(data, origin)
    root = writer.build(progress)
    errors = schema_errors(root, "project")
    if errors:
        raise ExchangeFileError(
            "QualCode built a project file that does not follow the REFI-QDA schema, so nothing was written "
            f"({errors[0]}). Please report this."
        )
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    files: list[tuple[str, bytes]] = [("project.qde", xml)]
    for document in data.documents:
        raw = document.text.encode("utf-8", errors="replace")
        if len(raw) > MAX_INTERNAL_FILE:
            raise ExchangeFileError(
                f"'{document.name}' is {len(raw):,} bytes; REFI-QDA allows at most {MAX_INTERNAL_FILE:,} per "
                "source file, so nothing was written."
            )
        files.append((f"sources/{cv.guid_out(document.uid)}.txt", raw))
    for name, text in writer.note_files:
        files.append((f"sources/{name}", text.encode("utf-8", errors="replace")))
    check_cancelled(progress)
    write_zip_atomically(path, files, progress)
    counts = {"documents": len(data.documents), "codes": len(data.nodes), "codings": len(data.codings),
              "coders": len(data.coders), "cases": len(data.cases), "memos": len(data.memos),
              "cmo_configurations": len(data.configurations)}
    return ExportResult(path, tuple(writer.deviations + _portability_notes(data)), counts)


def _portability_notes(data: ProjectData) -> list[Deviation]:
    """What other tools are known to read differently in this project."""
    notes = []
    for document in data.documents:
        if not document.text.isascii() and _ASTRAL.search(document.text):
            notes.append(Deviation(
                "non-bmp-text",
                "the text holds characters beyond U+FFFF (e.g. emoji); NVivo counts them twice, so it may show "
                "codings after them shifted", f"source '{document.name}'"))
    return notes
