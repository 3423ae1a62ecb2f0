"""Write imported exchange data into a project as one undoable command.

Into a new project everything is inserted with the file's uids. Into the open project,
what is already there is matched instead of duplicated: coders by uid then name, nodes by
uid then parent and name, documents by uid (same text) then by text, cases by uid then
name, attributes by name and scope; codings, memos and configurations already present are
skipped. Everything that could not be kept as it was is reported.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import AttributeType, DocumentKind, Origin
from qualcode.domain.errors import ValidationError
from qualcode.domain.ids import new_uid
from qualcode.domain.progress import Progress, check_cancelled
from qualcode.domain.text import normalise_text, text_sha256
from qualcode.io.refi.model import Deviation, ProjectData
from qualcode.services._common import check_color
from qualcode.services.cases.cases import canonical_value
from qualcode.services.codebook.nodes import LEVEL_COLORS
from qualcode.services.commands import Change, Command, Recorder
from qualcode.services.exchange._cmo import write_configurations
from qualcode.services.exchange._rows import clean_label, existing_uids
from qualcode.store import models as m

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
_CHUNK = 500
# Tableau 20 without its greys: distinct, and readable as highlight colours
_CODE_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#8cd17d", "#b6992d", "#86bcb6", "#d4a6c8",
                 "#499894", "#f1ce63", "#d37295", "#fabfd2")


def distinct_colours(avoid: set[str]) -> Iterator[str]:
    """Colours for codes a file gives none, each different from the others and from `avoid`.

    The palette first, then hues round the colour wheel by the golden angle (never the same
    twice), at two lightnesses.
    """
    avoid = {c.lower() for c in avoid}
    for colour in _CODE_PALETTE:
        if colour not in avoid:
            yield colour
    n = 0
    while True:
        hue = (n * 0.61803398875 + 0.1) % 1.0
        red, green, blue = colorsys.hls_to_rgb(hue, 0.55 if n % 2 else 0.42, 0.62)
        colour = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        n += 1
        if colour not in avoid:
            avoid.add(colour)
            yield colour


@dataclass(frozen=True)
class ImportOptions:
    into_existing: bool
    fallback_coder_id: int | None = None
    fallback_coder_name: str = ""
    title: str = "Import"


class _Writer:
    def __init__(self, session: Session, data: ProjectData, options: ImportOptions, progress: Progress) -> None:
        self.session = session
        self.data = data
        self.options = options
        self.progress = progress
        self.deviations: list[Deviation] = []
        self.counts: dict[str, int] = {}
        self.coders: dict[str, int] = {}
        self.nodes: dict[str, int] = {}
        self.node_uid: dict[str, str] = {}  # incoming uid -> uid in the project
        self.documents: dict[str, int] = {}
        self.document_uid: dict[str, str] = {}
        self.lengths: dict[int, int] = {}
        self.cases: dict[str, int] = {}
        self.case_uid: dict[str, str] = {}
        self.attributes: dict[str, tuple[int, AttributeType, str]] = {}
        self.codings: dict[str, int] = {}
        self.coding_uid: dict[str, str] = {}
        self.configuration_uid: dict[str, str] = {}
        self._fallback: int | None = options.fallback_coder_id

    def note(self, kind: str, message: str, where: str = "") -> None:
        self.deviations.append(Deviation(kind, message, where))

    def count(self, name: str, number: int = 1) -> None:
        if number:
            self.counts[name] = self.counts.get(name, 0) + number

    # -- coders ---------------------------------------------------------------------------------

    def write_coders(self, rec: Recorder) -> None:
        by_uid = dict(self.session.execute(select(m.Coder.uid, m.Coder.id)).tuples().all())
        by_name = {name.lower(): id_ for name, id_ in self.session.execute(select(m.Coder.name, m.Coder.id))}
        total = len(by_uid)
        for coder in self.data.coders:
            if coder.uid in by_uid:
                self.coders[coder.uid] = by_uid[coder.uid]
                continue
            name = clean_label(coder.name, "Unnamed coder", 200)
            if self.options.into_existing and name.lower() in by_name:
                self.coders[coder.uid] = by_name[name.lower()]
                continue
            base, number = name, 2
            while name.lower() in by_name:
                name = f"{base} ({number})"
                number += 1
            if name != base:
                self.note("duplicate-coder-name", f"another coder has this name; renamed '{name}'",
                          f"coder '{base}'")
            try:
                color = check_color(coder.color) if coder.color else _PALETTE[total % len(_PALETTE)]
            except ValidationError:
                color = _PALETTE[total % len(_PALETTE)]
            id_ = int(rec.insert(m.Coder, uid=coder.uid, name=name, color=color))
            self.coders[coder.uid] = by_name[name.lower()] = id_
            total += 1
            self.count("coders")

    def fallback_coder(self, rec: Recorder) -> int:
        if self._fallback is None:
            name = clean_label(self.options.fallback_coder_name, "Imported", 200)
            existing = self.session.scalar(select(m.Coder.id).where(func.lower(m.Coder.name) == name.lower()))
            self._fallback = int(existing) if existing is not None else int(rec.insert(m.Coder, name=name))
        return self._fallback

    def coder_for(self, rec: Recorder, uid: str | None) -> int:
        return self.coders[uid] if uid is not None and uid in self.coders else self.fallback_coder(rec)

    # -- attributes, nodes, documents, cases -----------------------------------------------------------

    def write_attributes(self, rec: Recorder) -> None:
        existing = {(a.name.lower(), a.scope): a for a in self.session.scalars(select(m.Attribute))}
        taken = existing_uids(self.session, m.Attribute, [a.uid for a in self.data.attributes])
        for attribute in self.data.attributes:
            name = clean_label(attribute.name, "Unnamed attribute", 200)
            scope = attribute.scope if attribute.scope in ("case", "document") else "case"
            try:
                kind = AttributeType(attribute.type)
            except ValueError:
                kind = AttributeType.TEXT
            found = existing.get((name.lower(), scope))
            if found is not None:
                if found.type != kind.value:
                    self.note("attribute-type", f"is {found.type} in this project but {kind.value} in the file; "
                                                "values are read as " + found.type, f"attribute '{name}'")
                self.attributes[attribute.uid] = (found.id, AttributeType(found.type), scope)
                continue
            uid = attribute.uid if attribute.uid not in taken else None
            values: dict[str, Any] = {"name": name, "type": kind.value, "scope": scope}
            if uid:
                values["uid"] = uid
            id_ = int(rec.insert(m.Attribute, **values))
            self.attributes[attribute.uid] = (id_, kind, scope)
            self.count("attributes")

    def write_nodes(self, rec: Recorder) -> None:
        rows = list(self.session.execute(select(m.Node.id, m.Node.uid, m.Node.name, m.Node.parent_id, m.Node.level,
                                                m.Node.position)))
        by_uid = {r.uid: r.id for r in rows}
        by_place = {(r.parent_id, r.name.lower()): r.id for r in rows}
        levels = {r.id: r.level for r in rows}
        next_position: dict[int | None, int] = {}
        for r in rows:
            next_position[r.parent_id] = max(next_position.get(r.parent_id, 0), r.position + 1)
        used = {str(c) for c in self.session.scalars(select(m.Node.color).distinct())}
        fresh = distinct_colours(used | {n.color for n in self.data.nodes if n.color} | set(LEVEL_COLORS.values()))
        for node in self.data.nodes:
            parent_id = self.nodes.get(node.parent_uid) if node.parent_uid else None
            name = clean_label(node.name, "Unnamed code")
            matched = by_uid.get(node.uid) or by_place.get((parent_id, name.lower()))
            if matched is not None:
                self.nodes[node.uid] = matched
                self.node_uid[node.uid] = self.session.get(m.Node, matched).uid  # type: ignore[union-attr]
                continue
            level = node.level if node.level in (1, 2, 3, 4) else 1
            if parent_id is not None and levels[parent_id] <= level:
                self.note("level-rule", "would sit under a theme that is not a higher level in this project; placed "
                                        "at the top level", f"code '{name}'")
                parent_id = None
                base, number = name, 2
                while (None, name.lower()) in by_place:
                    name = f"{base} ({number})"
                    number += 1
            try:
                color = check_color(node.color) if node.color else next(fresh)
            except ValidationError:
                color = next(fresh)
            origin = node.origin if node.origin in {o.value for o in Origin} else Origin.INDUCTIVE.value
            values: dict[str, Any] = {
                "uid": node.uid, "name": name, "level": level, "parent_id": parent_id,
                "position": next_position.get(parent_id, 0), "definition": node.definition,
                "inclusion": node.inclusion, "exclusion": node.exclusion, "color": color, "origin": origin,
                "memo": node.memo}
            if node.created_at is not None:
                values["created_at"] = node.created_at
            id_ = int(rec.insert(m.Node, **values))
            next_position[parent_id] = next_position.get(parent_id, 0) + 1
            self.nodes[node.uid] = by_uid[node.uid] = by_place[(parent_id, name.lower())] = id_
            self.node_uid[node.uid] = node.uid
            levels[id_] = level
            self.count("codes")

    def write_documents(self, rec: Recorder) -> None:
        by_uid = {r.uid: (r.id, r.text_sha256) for r in self.session.execute(
            select(m.Document.uid, m.Document.id, m.Document.text_sha256))}
        by_hash: dict[str, tuple[int, str]] = {}
        for r in self.session.execute(select(m.Document.text_sha256, m.Document.id, m.Document.uid)):
            by_hash.setdefault(r.text_sha256, (r.id, r.uid))
        total = len(self.data.documents)
        for index, document in enumerate(self.data.documents):
            check_cancelled(self.progress)
            self.progress.update(index, total, f"Storing '{document.name}'")
            text = document.text
            if normalise_text(text) != text:
                raise ValidationError(f"The text of '{document.name}' is not normalised; this is a bug in the reader.")
            digest = text_sha256(text)
            name = clean_label(document.name, f"Document {index + 1}")
            uid: str | None = document.uid
            if document.uid in by_uid:
                id_, existing_hash = by_uid[document.uid]
                if existing_hash == digest:
                    self._reuse_document(document.uid, id_, document.uid, len(text))
                    continue
                self.note("document-changed", "is already in this project with a different text; imported as a "
                                              "separate document", f"source '{name}'")
                uid = None
            elif self.options.into_existing and digest in by_hash:
                id_, existing_uid = by_hash[digest]
                self.note("document-same-text", "has the same text as a document already in this project; its "
                                                "codings were added to that document", f"source '{name}'")
                self._reuse_document(document.uid, id_, existing_uid, len(text))
                continue
            kind = document.kind if document.kind in {k.value for k in DocumentKind} else DocumentKind.INTERVIEW.value
            values: dict[str, Any] = {"name": name, "kind": kind, "text": text, "text_sha256": digest,
                                      "source_filename": document.source_filename, "memo": document.memo}
            if uid:
                values["uid"] = uid
            if document.imported_at is not None:
                values["imported_at"] = document.imported_at
            id_ = int(rec.insert(m.Document, **values))
            self.documents[document.uid] = id_
            self.document_uid[document.uid] = uid or str(self.session.scalar(
                select(m.Document.uid).where(m.Document.id == id_)))
            self.lengths[id_] = len(text)
            rec.insert_many(m.Turn, [{"document_id": id_, "start": t.start, "end": t.end, "speaker": t.speaker,
                                      "timestamp": t.timestamp} for t in document.turns
                                     if 0 <= t.start < t.end <= len(text)])
            by_hash.setdefault(digest, (id_, self.document_uid[document.uid]))
            self.count("documents")

    def _reuse_document(self, incoming: str, id_: int, uid: str, length: int) -> None:
        self.documents[incoming] = id_
        self.document_uid[incoming] = uid
        self.lengths[id_] = length

    def write_cases(self, rec: Recorder) -> None:
        by_uid = {r.uid: (r.id, r.name) for r in self.session.execute(select(m.Case.uid, m.Case.id, m.Case.name))}
        by_name = {name.lower(): (id_, uid) for uid, (id_, name) in by_uid.items()}
        links = set(self.session.execute(select(m.case_document.c.case_id, m.case_document.c.document_id))
                    .tuples().all())
        for case in self.data.cases:
            name = clean_label(case.name, "Unnamed case")
            if case.uid in by_uid:
                id_ = by_uid[case.uid][0]
                self.case_uid[case.uid] = case.uid
            elif name.lower() in by_name:
                id_, self.case_uid[case.uid] = by_name[name.lower()]
            else:
                id_ = int(rec.insert(m.Case, uid=case.uid, name=name, memo=case.memo))
                by_name[name.lower()] = (id_, case.uid)
                self.case_uid[case.uid] = case.uid
                self.count("cases")
            self.cases[case.uid] = id_
            for document_uid in case.document_uids:
                document_id = self.documents.get(document_uid)
                if document_id is not None and (id_, document_id) not in links:
                    rec.insert(m.case_document, case_id=id_, document_id=document_id)
                    links.add((id_, document_id))

    def write_values(self, rec: Recorder) -> None:
        existing = {(r.attribute_id, r.case_id, r.document_id): r.value
                    for r in self.session.execute(select(m.AttributeValue.attribute_id, m.AttributeValue.case_id,
                                                         m.AttributeValue.document_id, m.AttributeValue.value))}
        rows: list[dict[str, Any]] = []
        for value in self.data.values:
            attribute = self.attributes.get(value.attribute_uid)
            if attribute is None:
                continue
            attribute_id, kind, scope = attribute
            owner = (self.cases if scope == "case" else self.documents).get(value.owner_uid)
            if owner is None:
                continue
            try:
                stored = canonical_value(kind, value.value)
            except ValidationError as exc:
                self.note("attribute-value", f"{exc} Left out.", f"attribute value '{value.value}'")
                continue
            key = (attribute_id, owner if scope == "case" else None, owner if scope == "document" else None)
            if key in existing:
                if existing[key] != stored:
                    self.note("attribute-value", f"the project already has '{existing[key]}' here; kept",
                              f"attribute value '{value.value}'")
                continue
            existing[key] = stored
            rows.append({"attribute_id": attribute_id, "case_id": key[1], "document_id": key[2], "value": stored})
        rec.insert_many(m.AttributeValue, rows)

    # -- codings, memos, journal, configurations -------------------------------------------------------

    def write_codings(self, rec: Recorder) -> None:
        incoming = self.data.codings
        taken = existing_uids(self.session, m.Coding, [c.uid for c in incoming])
        keys: set[tuple[int, int, int, int, int]] = set()
        if self.options.into_existing:
            reused = [id_ for id_ in self.documents.values()]
            for index in range(0, len(reused), _CHUNK):
                keys |= set(self.session.execute(select(m.Coding.document_id, m.Coding.start, m.Coding.end,
                                                        m.Coding.node_id, m.Coding.coder_id)
                                                 .where(m.Coding.document_id.in_(reused[index:index + _CHUNK])))
                            .tuples().all())
        rows: list[dict[str, Any]] = []
        uids: list[str] = []
        skipped = 0
        for coding in incoming:
            document_id = self.documents.get(coding.document_uid)
            node_id = self.nodes.get(coding.node_uid)
            if document_id is None or node_id is None:
                continue
            if not (0 <= coding.start < coding.end <= self.lengths[document_id]):
                self.note("coding-span", f"covers {coding.start}-{coding.end}, outside its text; left out",
                          f"coding {coding.uid}")
                continue
            coder_id = self.coder_for(rec, coding.coder_uid)
            key = (document_id, coding.start, coding.end, node_id, coder_id)
            if key in keys:
                skipped += 1
                continue
            keys.add(key)
            row: dict[str, Any] = {"document_id": document_id, "start": coding.start, "end": coding.end,
                                   "node_id": node_id, "coder_id": coder_id, "memo": coding.memo,
                                   "exemplar": coding.exemplar}
            row["uid"] = coding.uid if coding.uid not in taken else new_uid()
            if coding.created_at is not None:
                row["created_at"] = coding.created_at
            rows.append(row)
            uids.append(coding.uid)
        ids = rec.insert_many(m.Coding, rows)
        for uid, row, id_ in zip(uids, rows, ids, strict=True):
            self.codings[uid] = int(id_)
            self.coding_uid[uid] = row["uid"]
        if skipped:
            self.note("coding-present", f"{skipped} coding(s) are already in this project; not added again")
        self.count("codings", len(rows))

    def _target(self, target_type: str, target_uid: str) -> str | None:
        maps = {"document": self.document_uid, "node": self.node_uid, "case": self.case_uid,
                "coding": self.coding_uid, "configuration": self.configuration_uid}
        if target_type == "project":
            return ""
        return maps.get(target_type, {}).get(target_uid)

    def write_memos(self, rec: Recorder) -> None:
        taken = existing_uids(self.session, m.Memo, [memo.uid for memo in self.data.memos])
        rows = []
        for memo in self.data.memos:
            if memo.uid in taken:
                continue
            target = self._target(memo.target_type, memo.target_uid)
            target_type = memo.target_type
            if target is None:
                self.note("memo-target", f"is about a {memo.target_type} that was not imported; kept as a project "
                                         "memo", f"memo '{memo.title}'")
                target_type, target = "project", ""
            row: dict[str, Any] = {"uid": memo.uid, "target_type": target_type, "target_uid": target,
                                   "title": memo.title[:300], "text": memo.text,
                                   "coder_id": self.coders.get(memo.coder_uid) if memo.coder_uid else None}
            for key in ("created_at", "updated_at"):
                if getattr(memo, key) is not None:
                    row[key] = getattr(memo, key)
            rows.append(row)
        rec.insert_many(m.Memo, rows)
        self.count("memos", len(rows))
        taken = existing_uids(self.session, m.JournalEntry, [entry.uid for entry in self.data.journal])
        journal = []
        for entry in self.data.journal:
            if entry.uid in taken:
                continue
            row = {"uid": entry.uid, "coder_id": self.coder_for(rec, entry.coder_uid), "title": entry.title,
                   "text": entry.text}
            if entry.created_at is not None:
                row["created_at"] = entry.created_at
            journal.append(row)
        rec.insert_many(m.JournalEntry, journal)
        self.count("journal_entries", len(journal))

    def write_project_info(self, rec: Recorder) -> None:
        data = self.data
        info_id = self.session.scalar(select(m.ProjectInfo.id).order_by(m.ProjectInfo.id))
        if self.options.into_existing or info_id is None:
            current = self.session.scalar(select(m.ProjectInfo.methodology).where(m.ProjectInfo.id == info_id))
            if data.methodology.strip() and data.methodology != current:
                rec.insert(m.Memo, target_type="project", target_uid="",
                           title=f"Description of '{data.title or 'the imported project'}'", text=data.methodology)
            return
        values: dict[str, Any] = {"methodology": data.methodology}
        if data.title:
            values["title"] = data.title[:300]
        if data.created_at is not None:
            values["created_at"] = data.created_at
        if data.uid and not existing_uids(self.session, m.ProjectInfo, [data.uid]):
            values["uid"] = data.uid
        rec.update(m.ProjectInfo, info_id, **values)

    def run(self, rec: Recorder) -> dict[str, int]:
        steps = (self.write_coders, self.write_attributes, self.write_nodes, self.write_documents, self.write_cases,
                 self.write_values, self.write_codings, lambda rec: write_configurations(self, rec), self.write_memos,
                 self.write_project_info)
        for step in steps:
            check_cancelled(self.progress)
            step(rec)
        return self.counts


def write_project_data(session: Session, data: ProjectData, options: ImportOptions,
                       progress: Progress) -> tuple[Change, dict[str, int], list[Deviation]]:
    """Write `data` into the project in one undoable command; (change, counts added, deviations)."""
    writer = _Writer(session, data, options, progress)
    change = Command(options.title, writer.run, action="import exchange file",
                     details={"title": options.title, "documents": len(data.documents), "codings": len(data.codings)},
                     coder_id=options.fallback_coder_id).apply(session)
    return change, writer.counts, writer.deviations
