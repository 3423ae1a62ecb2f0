"""Coders: the people who code. The current coder is chosen per session (GUI or CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError
from qualcode.services._common import check_color, clean_name, require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import Coder

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


@dataclass(frozen=True)
class CoderInfo:
    id: int
    uid: str
    name: str
    color: str


def _info(coder: Coder) -> CoderInfo:
    return CoderInfo(coder.id, coder.uid, coder.name, coder.color)


def find_coder(session: Session, name: str) -> CoderInfo | None:
    coder = session.scalar(select(Coder).where(func.lower(Coder.name) == " ".join(name.split()).lower()))
    return _info(coder) if coder else None


def add_coder(session: Session, *, name: str, color: str | None = None) -> Change:
    """Add a coder. Result: the new id."""
    name = clean_name(name, "coder", max_length=200)
    if find_coder(session, name):
        from qualcode.domain.errors import ValidationError

        raise ValidationError(f"There is already a coder named '{name}'.")
    count = session.scalar(select(func.count()).select_from(Coder)) or 0
    colour = check_color(color) if color else _PALETTE[count % len(_PALETTE)]

    def run(rec: Recorder) -> int:
        return int(rec.insert(Coder, name=name, color=colour))

    return Command(f"Add coder '{name}'", run, action="add coder", details={"name": name}).apply(session)


def ensure_coder(session: Session, name: str) -> CoderInfo:
    """The coder with this name, added if the project does not know them yet."""
    existing = find_coder(session, name)
    if existing:
        return existing
    change = add_coder(session, name=name)
    return _info(require(session, Coder, change.result, "coder"))


def rename_coder(session: Session, *, coder_id: int, name: str) -> Change:
    coder = require(session, Coder, coder_id, "coder")
    name = clean_name(name, "coder", max_length=200)
    return Command(
        f"Rename coder '{coder.name}'",
        lambda rec: rec.update(Coder, coder_id, name=name),
        action="rename coder",
        details={"before": coder.name, "after": name},
    ).apply(session)


def get_coder(session: Session, coder_id: int) -> CoderInfo:
    return _info(require(session, Coder, coder_id, "coder"))


def list_coders(session: Session) -> list[CoderInfo]:
    return [_info(c) for c in session.scalars(select(Coder).order_by(func.lower(Coder.name)))]


def require_coder_named(session: Session, name: str) -> CoderInfo:
    coder = find_coder(session, name)
    if coder is None:
        raise NotFoundError(f"There is no coder named '{name}' in this project.")
    return coder
