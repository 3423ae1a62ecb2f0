"""Finding an attribute by the name a researcher types: case attributes first, then document ones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import AttributeScope, AttributeType
from qualcode.domain.errors import NotFoundError
from qualcode.store.models import Attribute


@dataclass(frozen=True)
class ResolvedAttribute:
    id: int
    name: str
    type: AttributeType
    scope: AttributeScope


def find_attribute(session: Session, name: str) -> ResolvedAttribute:
    """A case attribute by name (case-insensitive), else a document attribute by that name."""
    rows = list(session.execute(select(Attribute.id, Attribute.name, Attribute.type, Attribute.scope)
                                .where(func.lower(Attribute.name) == " ".join(name.split()).lower())).all())
    rows.sort(key=lambda row: row.scope != AttributeScope.CASE)
    if not rows:
        known = sorted(session.scalars(select(Attribute.name)).all(), key=str.lower)
        listing = f" Attributes in this project: {', '.join(known)}." if known else " This project has no attributes."
        raise NotFoundError(f"There is no attribute named '{name}'.{listing}")
    row = rows[0]
    return ResolvedAttribute(row.id, row.name, AttributeType(row.type), AttributeScope(row.scope))
