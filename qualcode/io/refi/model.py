"""A QualCode project as plain data: what the REFI-QDA writers take and the readers give.

The services layer turns a project file into `ProjectData` (for export) and writes a
`ProjectData` into a project (after import); this package turns it into QDA-XML and back.
Offsets are code points into the normalised text, half-open, as everywhere in QualCode.
Timestamps are naive UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class CoderData:
    uid: str
    name: str
    color: str = ""


@dataclass
class NodeData:
    uid: str
    name: str
    level: int
    parent_uid: str | None = None
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    color: str = ""
    origin: str = "inductive"
    memo: str = ""
    created_at: datetime | None = None


@dataclass
class TurnData:
    start: int
    end: int
    speaker: str = ""
    timestamp: float | None = None


@dataclass
class DocumentData:
    uid: str
    name: str
    text: str
    kind: str = "interview"
    source_filename: str = ""
    imported_at: datetime | None = None
    memo: str = ""
    turns: list[TurnData] = field(default_factory=list)


@dataclass
class CodingData:
    uid: str
    document_uid: str
    start: int
    end: int
    node_uid: str
    coder_uid: str | None  # None: the file does not say who coded it
    created_at: datetime | None = None
    memo: str = ""
    exemplar: bool = False


@dataclass
class AttributeData:
    uid: str
    name: str
    type: str = "text"  # qualcode.domain.enums.AttributeType value
    scope: str = "case"  # qualcode.domain.enums.AttributeScope value


@dataclass
class ValueData:
    """A value of an attribute for one case or one document (`owner_uid`), as text."""

    attribute_uid: str
    owner_uid: str
    value: str


@dataclass
class CaseData:
    uid: str
    name: str
    memo: str = ""
    document_uids: list[str] = field(default_factory=list)


@dataclass
class MemoData:
    uid: str
    target_type: str  # qualcode.domain.enums.MemoTarget value
    target_uid: str
    title: str
    text: str
    coder_uid: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class JournalData:
    uid: str
    coder_uid: str | None
    title: str
    text: str
    created_at: datetime | None = None


@dataclass
class ComponentData:
    uid: str
    role: str
    statement: str
    position: int = 0


@dataclass
class EvidenceData:
    uid: str
    component_uid: str
    coder_uid: str | None
    document_uid: str | None = None
    start: int | None = None
    end: int | None = None
    coding_uid: str | None = None
    stance: str = "supports"
    memo: str = ""
    created_at: datetime | None = None


@dataclass
class ConfigurationData:
    uid: str
    label: str
    concept: str = ""
    template: str = "CMO"
    roles: str = "C,M,O"
    status: str = "proposed"
    origin: str = "data"
    refined_from_uid: str | None = None
    memo: str = ""
    created_at: datetime | None = None
    node_uids: list[str] = field(default_factory=list)
    components: list[ComponentData] = field(default_factory=list)
    evidence: list[EvidenceData] = field(default_factory=list)


@dataclass
class ProjectData:
    title: str = ""
    methodology: str = ""
    uid: str = ""
    created_at: datetime | None = None
    coders: list[CoderData] = field(default_factory=list)
    nodes: list[NodeData] = field(default_factory=list)  # parents before children, siblings in order
    documents: list[DocumentData] = field(default_factory=list)
    codings: list[CodingData] = field(default_factory=list)
    attributes: list[AttributeData] = field(default_factory=list)
    values: list[ValueData] = field(default_factory=list)
    cases: list[CaseData] = field(default_factory=list)
    memos: list[MemoData] = field(default_factory=list)
    journal: list[JournalData] = field(default_factory=list)
    configurations: list[ConfigurationData] = field(default_factory=list)


@dataclass(frozen=True)
class Deviation:
    """One thing in a file that did not follow the standard, or that QualCode could not keep.

    `kind` is a short stable key (e.g. "selection-past-end"); `message` is one line for
    the user; `where` names the element (source, selection, code) when there is one.
    """

    kind: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message
