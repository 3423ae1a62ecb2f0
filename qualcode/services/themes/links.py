"""Links the researcher draws between themes, usually of different thematic networks ("Cost
of travel" in one network bears on "Feeling welcome" in another), with an optional label.
The whole-project concept map draws them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services._common import require
from qualcode.services.commands import Change, Command
from qualcode.store.models import Node, NodeLink

MAX_LABEL = 300


@dataclass(frozen=True)
class ThemeLink:
    id: int
    source_id: int
    target_id: int
    label: str


def _between(session: Session, a: int, b: int) -> NodeLink | None:
    return session.scalar(select(NodeLink).where(or_(
        (NodeLink.source_id == a) & (NodeLink.target_id == b), (NodeLink.source_id == b) & (NodeLink.target_id == a))))


def link_themes(session: Session, *, source_id: int, target_id: int, label: str = "",
                coder_id: int | None = None) -> Change:
    """Draw a link from one theme to another (an existing link between them gets the new
    label). Result: the link's id."""
    source = require(session, Node, source_id, "theme")
    target = require(session, Node, target_id, "theme")
    if source_id == target_id:
        raise ValidationError(f"A theme cannot be linked to itself ('{source.name}').")
    text = " ".join(label.split())
    if len(text) > MAX_LABEL:
        raise ValidationError(f"The link's label is too long ({len(text)} characters; at most {MAX_LABEL}).")
    existing = _between(session, source_id, target_id)
    if existing is not None:
        link_id = existing.id
        return Command(f"Relabel the link '{source.name}' – '{target.name}'",
                       lambda rec: (rec.update(NodeLink, link_id, label=text), link_id)[1],
                       action="relabel theme link", details={"link": existing.uid, "label": text},
                       coder_id=coder_id).apply(session)
    return Command(f"Link '{source.name}' to '{target.name}'",
                   lambda rec: int(rec.insert(NodeLink, source_id=source_id, target_id=target_id, label=text)),
                   action="link themes", details={"source": source.uid, "target": target.uid, "label": text},
                   coder_id=coder_id).apply(session)


def unlink_themes(session: Session, *, source_id: int, target_id: int, coder_id: int | None = None) -> Change:
    """Remove the link between two themes (either direction)."""
    source = require(session, Node, source_id, "theme")
    target = require(session, Node, target_id, "theme")
    existing = _between(session, source_id, target_id)
    if existing is None:
        raise NotFoundError(f"'{source.name}' and '{target.name}' are not linked.")
    link_id, uid = existing.id, existing.uid
    return Command(f"Unlink '{source.name}' and '{target.name}'", lambda rec: rec.delete(NodeLink, link_id),
                   action="unlink themes", details={"link": uid}, coder_id=coder_id).apply(session)


def theme_links(session: Session) -> list[ThemeLink]:
    """Every link between themes, oldest first."""
    return [ThemeLink(r.id, r.source_id, r.target_id, r.label)
            for r in session.scalars(select(NodeLink).order_by(NodeLink.id))]
