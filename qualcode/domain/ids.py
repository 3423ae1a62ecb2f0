"""Typed ids: integer primary keys inside a project, UUID strings across projects."""

from __future__ import annotations

import re
import uuid
from typing import NewType

CoderId = NewType("CoderId", int)
DocumentId = NewType("DocumentId", int)
TurnId = NewType("TurnId", int)
CaseId = NewType("CaseId", int)
AttributeId = NewType("AttributeId", int)
NodeId = NewType("NodeId", int)
CodingId = NewType("CodingId", int)
ConfigurationId = NewType("ConfigurationId", int)
ComponentId = NewType("ComponentId", int)
EvidenceId = NewType("EvidenceId", int)
MemoId = NewType("MemoId", int)
JournalEntryId = NewType("JournalEntryId", int)

_UID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


def new_uid() -> str:
    """A fresh uid: canonical lower-case UUID4 string."""
    return str(uuid.uuid4())


def normalise_uid(value: str) -> str | None:
    """Canonical form of a GUID written in any case, with or without braces; None if not a GUID."""
    match = _UID_RE.match(value.strip())
    return match.group(1).lower() if match else None
