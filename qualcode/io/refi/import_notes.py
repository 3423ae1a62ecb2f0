"""Notes, Links and Sets of a .qdpx as QualCode memos, journal entries and CMO configurations.

A note becomes a memo on what references it (NoteRef from the project, a source, a code,
a coding, a selection or another note; or a Link between the note and a case, source,
code...). QualCode's own conventions are recognised first: the memo fields of codes and
codings, the reflexive journal set, CMO configuration notes and the project data note.
Sets and links that QualCode has no place for are kept as project memos and reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from qualcode.io.refi import conventions as cv
from qualcode.io.refi.cmo_notes import CMO_FORMAT, configuration_from_json
from qualcode.io.refi.model import ConfigurationData, JournalData, MemoData
from qualcode.io.refi.reading import Guids, Report, kids, text_of


@dataclass
class RawNote:
    uid: str
    name: str
    text: str
    user: str | None
    created: str | None
    modified: str | None
    description: str
    refs: list[str]


@dataclass
class NoteOutcome:
    memos: list[MemoData] = field(default_factory=list)
    journal: list[JournalData] = field(default_factory=list)
    configurations: list[ConfigurationData] = field(default_factory=list)
    extension: dict[str, Any] | None = None
    kinds: dict[str, str] = field(default_factory=dict)  # source uid -> document kind


def read_notes(notes: Element | None, guids: Guids, report: Report,
               read_text: Callable[[Element, str], str | None]) -> dict[str, RawNote]:
    found: dict[str, RawNote] = {}
    for note in kids(notes, "Note"):
        name = note.get("name") or ""
        where = f"note '{name}'" if name else f"note {note.get('guid') or ''}".strip()
        uid = guids.define("note", note.get("guid"), where)
        text = read_text(note, where)
        found[uid] = RawNote(uid, name, text or "", guids.canonical(note.get("creatingUser")),
                             note.get("creationDateTime"), note.get("modifiedDateTime"),
                             text_of(note, "Description") or "",
                             [g for g in (guids.canonical(r.get("targetGUID")) for r in kids(note, "NoteRef")) if g])
    return found


class NoteResolver:
    """Turns notes into memos once every possible target is known."""

    def __init__(self, notes: dict[str, RawNote], report: Report) -> None:
        self.notes = notes
        self.report = report
        self.outcome = NoteOutcome()
        self.used: dict[str, int] = {}
        self.claimed: set[str] = set()  # notes that are not memos (journal, CMO, project data)
        self.configuration_notes: dict[str, str] = {}  # note uid -> configuration uid
        self._order = {uid: index for index, uid in enumerate(notes)}
        self._memo_order: dict[str, tuple[int, int]] = {}

    def classify(self) -> set[str]:
        """Find CMO configurations and the project data note; return the evidence uids to skip."""
        anchors: set[str] = set()
        for uid, note in self.notes.items():
            cmo = cv.load_json(CMO_FORMAT, note.description)
            if cmo is not None:
                configuration = configuration_from_json(cmo)
                if configuration is not None:
                    self.outcome.configurations.append(configuration)
                    self.configuration_notes[uid] = configuration.uid.lower()
                    self.claimed.add(uid)
                    anchors |= {e.uid.lower() for e in configuration.evidence}
                    continue
            extension = cv.load_json("qualcode-project", note.description)
            if extension is not None and note.name == cv.EXTENSION_NOTE_NAME:
                self.outcome.extension = extension
                self.claimed.add(uid)
        return anchors

    def memo(self, note_uid: str, target_type: str, target_uid: str, *, about: str = "") -> None:
        note = self.notes.get(note_uid)
        if note is None or note_uid in self.claimed:
            return
        count = self.used.get(note_uid, 0)
        self.used[note_uid] = count + 1
        uid = note.uid if count == 0 else cv.derived_guid("note-copy", note.uid, str(count))
        if count == 1:
            self.report.add("note-shared", "is attached to several things; QualCode keeps a copy of it on each",
                            f"note '{note.name or cv.guid_out(note.uid)}'")
        title = note.name or about
        self._memo_order[uid] = (self._order[note_uid], count)
        self.outcome.memos.append(MemoData(uid, target_type, target_uid, title, note.text, note.user,
                                           cv.time_in(note.created), cv.time_in(note.modified)))

    def field_memo(self, note_uid: str, owner_uid: str) -> RawNote | None:
        """The note carrying the memo field of `owner_uid`, when `note_uid` is that note."""
        if note_uid == cv.memo_note_guid(owner_uid) and note_uid in self.notes:
            self.claimed.add(note_uid)
            self.used[note_uid] = 1
            return self.notes[note_uid]
        return None

    def journal(self, members: list[str]) -> None:
        for uid in members:
            note = self.notes.get(uid)
            if note is None or uid in self.claimed:
                continue
            self.claimed.add(uid)
            self.used[uid] = 1
            self.outcome.journal.append(JournalData(uid, note.user, note.name, note.text, cv.time_in(note.created)))

    def note_to_note_refs(self) -> None:
        """Notes referenced from a configuration's note are memos on that configuration."""
        for uid, note in self.notes.items():
            configuration = self.configuration_notes.get(uid)
            for ref in note.refs:
                if configuration is not None:
                    self.memo(ref, "configuration", configuration)
                else:
                    self.memo(ref, "project", "", about=f"On the note '{note.name}'")

    def leftovers(self) -> None:
        """Notes nothing refers to become project memos."""
        for uid in self.notes:
            if uid not in self.claimed and uid not in self.used:
                self.memo(uid, "project", "")
        # memos in the order of the file's notes, whatever referred to them first
        self.outcome.memos.sort(key=lambda memo: self._memo_order.get(memo.uid, (len(self._order), 0)))


def read_sets(sets: Element | None, guids: Guids) -> list[tuple[str, str, str, dict[str, list[str]]]]:
    """(guid, name, description, members by kind) of every Set."""
    found = []
    for element in kids(sets, "Set"):
        members: dict[str, list[str]] = {"code": [], "source": [], "note": []}
        for tag, kind in (("MemberCode", "code"), ("MemberSource", "source"), ("MemberNote", "note")):
            for member in kids(element, tag):
                target = guids.canonical(member.get("targetGUID") or member.get("guid"))
                if target:
                    members[kind].append(target)
        found.append((guids.canonical(element.get("guid")) or "", element.get("name") or "",
                      text_of(element, "Description") or "", members))
    return found


KIND_BY_SET = {cv.kind_set_guid(kind): kind for kind in cv.KIND_SET_NAMES}
