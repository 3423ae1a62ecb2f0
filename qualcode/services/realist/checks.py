"""Checks shared by the CMO services: statement text, labels, the completeness rule for
confirmed configurations, and refinement histories that must not loop."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.cmo import Template, missing_roles, stored_template
from qualcode.domain.enums import CmoStatus
from qualcode.domain.errors import ValidationError
from qualcode.services._common import require
from qualcode.store.models import CmoComponent, CmoConfiguration, Node

MAX_STATEMENT = 2000


def one_line(value: str, what: str, max_length: int = 300) -> str:
    text = " ".join(value.split())
    if len(text) > max_length:
        raise ValidationError(f"The {what} is too long ({len(text)} characters; at most {max_length}).")
    return text


def clean_statement_text(statement: str) -> str:
    text = " ".join(statement.split())
    if not text:
        raise ValidationError("A statement needs some text.")
    if len(text) > MAX_STATEMENT:
        raise ValidationError(f"The statement is too long ({len(text)} characters; at most {MAX_STATEMENT}).")
    return text


def label_of(session: Session, configuration_id: int) -> str:
    return session.scalar(select(CmoConfiguration.label).where(CmoConfiguration.id == configuration_id)) or "?"


def check_complete(label: str, template: Template, statements: Iterable[tuple[str, str]], status: str) -> None:
    """Refuse a confirmed configuration that lacks a statement for a required role."""
    if status != CmoStatus.CONFIRMED:
        return
    missing = missing_roles(template, list(statements))
    if missing:
        names = ", ".join(f"{template.role(t).name} ({t})" for t in missing)
        raise ValidationError(
            f"'{label}' cannot be confirmed: it has no {names} statement, which the {template.name} "
            "template requires. Add the statement first, or keep it as a draft."
        )


def check_no_cycle(session: Session, configuration_id: int | None, refined_from_id: int, label: str) -> None:
    """Refuse a refined_from link that would make the refinement history loop."""
    require(session, CmoConfiguration, refined_from_id, "configuration")
    if refined_from_id == configuration_id:
        raise ValidationError(f"'{label}' cannot be refined from itself.")
    chain: list[int] = []
    current: int | None = refined_from_id
    while current is not None and current not in chain:
        if current == configuration_id:
            history = " → ".join(label_of(session, i) for i in [configuration_id, *reversed(chain)])
            raise ValidationError(
                f"'{label}' cannot be refined from '{label_of(session, refined_from_id)}': that configuration "
                f"is already a later version of '{label}' ({history}), so the refinement history would loop."
            )
        chain.append(current)
        current = session.scalar(select(CmoConfiguration.refined_from_id).where(CmoConfiguration.id == current))


def statements_of(session: Session, configuration_id: int) -> list[tuple[str, str]]:
    return [(r.role, r.statement) for r in session.execute(
        select(CmoComponent.role, CmoComponent.statement).where(CmoComponent.configuration_id == configuration_id))]


def template_of(row: CmoConfiguration) -> Template:
    return stored_template(row.template, row.roles)


def next_label(session: Session) -> str:
    """'CMOC n' with n one above the highest number used so far."""
    numbers = [int(m.group(1)) for label in session.scalars(select(CmoConfiguration.label))
               if (m := re.fullmatch(r"CMOC\s*(\d+)", label or "", re.IGNORECASE))]
    return f"CMOC {max(numbers, default=0) + 1}"


def check_label_free(session: Session, label: str, exclude_id: int | None = None) -> None:
    query = select(CmoConfiguration.id).where(func.lower(CmoConfiguration.label) == label.lower())
    if exclude_id is not None:
        query = query.where(CmoConfiguration.id != exclude_id)
    if session.scalar(query) is not None:
        raise ValidationError(f"There is already a configuration labelled '{label}'.")


def check_nodes(session: Session, node_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(node_ids))
    for node_id in ids:
        require(session, Node, node_id, "node")
    return ids


def next_position(session: Session, configuration_id: int, role: str) -> int:
    return int(session.scalar(select(func.coalesce(func.max(CmoComponent.position) + 1, 0)).where(
        CmoComponent.configuration_id == configuration_id, CmoComponent.role == role)) or 0)


def sentence_slot(session: Session, configuration_id: int, role: str) -> tuple[int, list[tuple[int, int]]]:
    """Where a new statement of `role` goes in the configuration's sentence: after the last
    statement of its role, else before the first of a later role in the template, else at
    the end. Returns its place and the (component id, place) of the statements that move."""
    row = session.get(CmoConfiguration, configuration_id)
    tokens = [t.lower() for t in template_of(row).tokens] if row is not None else []
    rank = {t: i for i, t in enumerate(tokens)}
    spoken = sorted(session.execute(select(CmoComponent.id, CmoComponent.role, CmoComponent.sentence_position,
                                           CmoComponent.position)
                                    .where(CmoComponent.configuration_id == configuration_id)).all(),
                    key=lambda c: (c.sentence_position, rank.get(c.role.lower(), 99), c.position, c.id))
    mine = rank.get(role.lower(), 99)
    same = [i for i, c in enumerate(spoken) if c.role.lower() == role.lower()]
    if same:
        index = same[-1] + 1
    else:
        index = next((i for i, c in enumerate(spoken) if rank.get(c.role.lower(), 99) > mine), len(spoken))
    moves = [(c.id, place if place < index else place + 1) for place, c in enumerate(spoken)]
    return index, [(cid, place) for (cid, place), c in zip(moves, spoken, strict=True) if place != c.sentence_position]
