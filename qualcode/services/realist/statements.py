"""Statements of a CMO configuration (several per role allowed, e.g. several outcomes) and
the theme nodes a configuration draws on. A confirmed configuration keeps a statement in
every role its template requires."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.cmo import check_written_sentence
from qualcode.domain.errors import ValidationError
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.services.realist.checks import (
    check_complete,
    check_nodes,
    clean_statement_text,
    next_position,
    sentence_slot,
    template_of,
)
from qualcode.store.models import CmoComponent, CmoConfiguration, CmoEvidence, cmo_configuration_node

# -- components ---------------------------------------------------------------------------------


def add_component(
    session: Session,
    *,
    configuration_id: int,
    role: str,
    statement: str,
    position: int | None = None,
    coder_id: int | None = None,
) -> Change:
    """Add a statement in a role (a configuration may have several outcomes). Result: the id."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    token = template_of(row).role(role).token
    text = clean_statement_text(statement)
    siblings = list(session.scalars(select(CmoComponent.id).where(
        CmoComponent.configuration_id == configuration_id, CmoComponent.role == token)
        .order_by(CmoComponent.position, CmoComponent.id)))
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    spoken, moves = sentence_slot(session, configuration_id, token)
    # The role's statements keep the sentence places the role has, in their new role order.
    places = dict(session.execute(select(CmoComponent.id, CmoComponent.sentence_position)
                                  .where(CmoComponent.id.in_(siblings))).tuples().all())
    places.update(moves)
    slots = sorted([places[i] for i in siblings] + [spoken])
    new_order: list[int | None] = [*siblings[:index], None, *siblings[index:]]
    assigned = dict(zip(new_order, slots, strict=True))
    moves = [(cid, place) for cid, place in moves if cid not in siblings]
    moves += [(cid, assigned[cid]) for cid in siblings]

    def run(rec: Recorder) -> int:
        for offset, sibling in enumerate(siblings[index:], start=index + 1):
            rec.update(CmoComponent, sibling, position=offset)
        for component_id, place in moves:
            rec.update(CmoComponent, component_id, sentence_position=place)
        return int(rec.insert(CmoComponent, configuration_id=configuration_id, role=token, statement=text,
                              position=index, sentence_position=assigned[None]))

    return Command(f"Add {token} statement to '{row.label}'", run, action="add configuration statement",
                   details={"configuration": row.uid, "role": token, "statement": text},
                   coder_id=coder_id).apply(session)


def update_component(
    session: Session,
    *,
    component_id: int,
    statement: str | None = None,
    role: str | None = None,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Reword a statement or give it another role of the template (its evidence stays). With
    `expected_version` (ComponentInfo.version), refused with a ConflictError when someone
    changed the statement since it was read."""
    component = require(session, CmoComponent, component_id, "configuration statement")
    config = require(session, CmoConfiguration, component.configuration_id, "configuration")
    tmpl = template_of(config)
    values: dict[str, object] = {}
    if statement is not None:
        values["statement"] = clean_statement_text(statement)
    if role is not None:
        token = tmpl.role(role).token
        if token != component.role:
            values["role"] = token
            values["position"] = next_position(session, config.id, token)
            after = [(token if r_id == component_id else r, s) for r_id, r, s in session.execute(
                select(CmoComponent.id, CmoComponent.role, CmoComponent.statement)
                .where(CmoComponent.configuration_id == config.id))]
            check_complete(config.label, tmpl, after, config.status)
    return Command(f"Edit {component.role} statement of '{config.label}'",
                   lambda rec: rec.update(CmoComponent, component_id, expected_version=expected_version, **values),
                   action="edit configuration statement", details={"component": component.uid, **values},
                   coder_id=coder_id).apply(session)


def move_component(session: Session, *, component_id: int, position: int, coder_id: int | None = None) -> Change:
    """Put a statement at `position` among the statements of its role."""
    component = require(session, CmoComponent, component_id, "configuration statement")
    config = require(session, CmoConfiguration, component.configuration_id, "configuration")
    siblings = [i for i in session.scalars(select(CmoComponent.id).where(
        CmoComponent.configuration_id == config.id, CmoComponent.role == component.role)
        .order_by(CmoComponent.position, CmoComponent.id)) if i != component_id]
    siblings.insert(max(0, min(position, len(siblings))), component_id)
    # The role's statements keep the places the role has in the sentence, in their new order.
    places = dict(session.execute(select(CmoComponent.id, CmoComponent.sentence_position)
                                  .where(CmoComponent.id.in_(siblings))).tuples().all())
    slots = sorted(places.values())

    def run(rec: Recorder) -> None:
        for index, sibling in enumerate(siblings):
            rec.update(CmoComponent, sibling, position=index, sentence_position=slots[index])

    return Command(f"Reorder {component.role} statements of '{config.label}'", run,
                   action="reorder configuration statements", details={"component": component.uid,
                                                                       "position": position},
                   coder_id=coder_id).apply(session)


def delete_component(session: Session, *, component_id: int, coder_id: int | None = None) -> Change:
    """Delete a statement with its evidence (refused if it would leave a confirmed
    configuration without a required role)."""
    component = require(session, CmoComponent, component_id, "configuration statement")
    config = require(session, CmoConfiguration, component.configuration_id, "configuration")
    remaining = [(r, s) for i, r, s in session.execute(
        select(CmoComponent.id, CmoComponent.role, CmoComponent.statement)
        .where(CmoComponent.configuration_id == config.id)) if i != component_id]
    check_complete(config.label, template_of(config), remaining, config.status)
    later = list(session.execute(select(CmoComponent.id, CmoComponent.position).where(
        CmoComponent.configuration_id == config.id, CmoComponent.role == component.role,
        CmoComponent.position > component.position)))

    def run(rec: Recorder) -> None:
        rec.delete_where(CmoEvidence, CmoEvidence.component_id == component_id)
        rec.delete(CmoComponent, component_id)
        for sibling, position in later:
            rec.update(CmoComponent, sibling, position=position - 1)

    return Command(f"Delete {component.role} statement of '{config.label}'", run,
                   action="delete configuration statement",
                   details={"component": component.uid, "statement": component.statement},
                   coder_id=coder_id).apply(session)


# -- the sentence ---------------------------------------------------------------------------------


def set_sentence_order(session: Session, *, configuration_id: int, component_ids: Sequence[int],
                       coder_id: int | None = None) -> Change:
    """Order the configuration's statements as its sentence reads them (e.g. C, O, M);
    `component_ids` names every statement of the configuration once."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    current = dict(session.execute(select(CmoComponent.id, CmoComponent.sentence_position)
                                   .where(CmoComponent.configuration_id == configuration_id)).tuples().all())
    wanted = list(component_ids)
    if sorted(wanted) != sorted(current):
        raise ValidationError(f"Give every statement of '{row.label}' once to order its sentence "
                              f"({len(current)} statements, {len(wanted)} given).")

    def run(rec: Recorder) -> None:
        for place, component_id in enumerate(wanted):
            if current[component_id] != place:
                rec.update(CmoComponent, component_id, sentence_position=place)

    return Command(f"Reorder the sentence of '{row.label}'", run, action="reorder configuration sentence",
                   details={"configuration": row.uid, "order": wanted}, coder_id=coder_id).apply(session)


def order_by_roles(session: Session, *, configuration_id: int, roles: Sequence[str]) -> list[int]:
    """Statement ids in the order of a role list such as ['C', 'O', 'M']: each role takes the
    next statement of that role; statements left over follow in their present order."""
    from qualcode.services.realist.configurations import get_configuration

    config = get_configuration(session, configuration_id)
    tmpl = template_of(require(session, CmoConfiguration, configuration_id, "configuration"))
    queues = {tmpl.role(r).token: [c.id for c in config.sentence_components if c.role == tmpl.role(r).token]
              for r in roles}
    chosen: list[int] = []
    for role in roles:
        token = tmpl.role(role).token
        if not queues[token]:
            have = len([c for c in config.components if c.role == token])
            raise ValidationError(f"'{config.label}' has {have} {token} statement{'' if have == 1 else 's'}: "
                                  f"the order names {token} more often.")
        chosen.append(queues[token].pop(0))
    return chosen + [c.id for c in config.sentence_components if c.id not in chosen]


def set_written_sentence(session: Session, *, configuration_id: int, sentence: str,
                         coder_id: int | None = None) -> Change:
    """Give the configuration's sentence as the authors wrote it, the role markers in place
    ("Uncertainty about ... (C) may make ... (O) because ... (M)."); empty: build it from the
    statements again."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    text = check_written_sentence(template_of(row), sentence)
    return Command(f"Write the sentence of '{row.label}'",
                   lambda rec: rec.update(CmoConfiguration, configuration_id, sentence=text),
                   action="write configuration sentence", details={"configuration": row.uid, "sentence": text},
                   coder_id=coder_id).apply(session)


# -- theme links ------------------------------------------------------------------------------


def link_nodes(session: Session, *, configuration_id: int, node_ids: Sequence[int],
               coder_id: int | None = None) -> Change:
    """Link theme nodes (the concepts a configuration draws on); existing links stay."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    ids = check_nodes(session, node_ids)
    linked = set(session.scalars(select(cmo_configuration_node.c.node_id)
                                 .where(cmo_configuration_node.c.configuration_id == configuration_id)))

    def run(rec: Recorder) -> None:
        for node_id in ids:
            if node_id not in linked:
                rec.insert(cmo_configuration_node, configuration_id=configuration_id, node_id=node_id)

    return Command(f"Link themes to '{row.label}'", run, action="link configuration themes",
                   details={"configuration": row.uid, "nodes": ids}, coder_id=coder_id).apply(session)


def set_linked_nodes(session: Session, *, configuration_id: int, node_ids: Sequence[int],
                     coder_id: int | None = None) -> Change:
    """Make a configuration draw on exactly these theme nodes: links missing ones, unlinks the
    rest, in one undoable step."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    ids = check_nodes(session, node_ids)
    linked = set(session.scalars(select(cmo_configuration_node.c.node_id)
                                 .where(cmo_configuration_node.c.configuration_id == configuration_id)))
    dropped = sorted(linked - set(ids))

    def run(rec: Recorder) -> None:
        for node_id in ids:
            if node_id not in linked:
                rec.insert(cmo_configuration_node, configuration_id=configuration_id, node_id=node_id)
        for node_id in dropped:
            rec.delete_where(cmo_configuration_node, cmo_configuration_node.c.configuration_id == configuration_id,
                             cmo_configuration_node.c.node_id == node_id)

    return Command(f"Change the themes '{row.label}' draws on", run, action="set configuration themes",
                   details={"configuration": row.uid, "nodes": ids, "unlinked": dropped},
                   coder_id=coder_id).apply(session)


def unlink_node(session: Session, *, configuration_id: int, node_id: int, coder_id: int | None = None) -> Change:
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    return Command(f"Unlink theme from '{row.label}'",
                   lambda rec: rec.delete_where(cmo_configuration_node,
                                                cmo_configuration_node.c.configuration_id == configuration_id,
                                                cmo_configuration_node.c.node_id == node_id),
                   action="unlink configuration theme", details={"configuration": row.uid, "node_id": node_id},
                   coder_id=coder_id).apply(session)
