"""Realist CMO configurations: concept, template, statements per role, status, refinement.

A configuration may be saved as a draft while a role its template requires has no
statement yet (it is flagged by `missing_roles`); it cannot be *confirmed* until it is
complete. `refined_from` links a configuration to the earlier version it refines; a chain
that would loop back on itself is refused. Evidence lives in `cmo_evidence`; derived counts
and filters in `cmo_queries`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.cmo import (
    Template,
    check_written_sentence,
    configuration_sentence,
    make_template,
    missing_roles,
    sentence_parts,
    stored_template,
)
from qualcode.domain.enums import CmoOrigin, CmoStatus, parse_enum
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder, version_of
from qualcode.services.realist.checks import (
    check_complete,
    check_label_free,
    check_no_cycle,
    check_nodes,
    clean_statement_text,
    next_label,
    one_line,
    statements_of,
    template_of,
)
from qualcode.store.models import (
    CmoComponent,
    CmoConfiguration,
    CmoEvidence,
    CmoStage,
    Memo,
    cmo_configuration_node,
)

NO_CONCEPT = ""


class _Keep(Enum):
    KEEP = "keep"


KEEP: Literal[_Keep.KEEP] = _Keep.KEEP


@dataclass(frozen=True)
class ComponentInfo:
    id: int
    uid: str
    configuration_id: int
    role: str
    statement: str
    position: int  # among the statements of its role
    sentence_position: int = 0  # in the configuration's sentence, across roles
    version: str = ""  # the row version read: pass it back to edit without overwriting others


@dataclass(frozen=True)
class ConfigurationInfo:
    id: int
    uid: str
    label: str
    concept: str
    template: str
    roles: str  # stored role list, e.g. "C,M,O" or "C,Mres,Mreas,O,A?"
    status: str
    origin: str
    refined_from_id: int | None
    memo: str
    created_at: datetime
    components: tuple[ComponentInfo, ...]
    node_ids: tuple[int, ...]
    missing_roles: tuple[str, ...]
    sentence: str
    written_sentence: str = ""  # the sentence as the authors wrote it; empty: built from the statements
    sentence_order: tuple[int, ...] = ()  # component ids in the order the sentence gives them
    version: str = ""  # the row version read: pass it back to edit without overwriting others

    @property
    def is_draft(self) -> bool:
        """True while a role the template requires has no statement."""
        return bool(self.missing_roles)

    @property
    def role_tokens(self) -> tuple[str, ...]:
        return stored_template(self.template, self.roles).tokens

    def statements(self, role: str) -> tuple[ComponentInfo, ...]:
        return tuple(c for c in self.components if c.role.lower() == role.lower())

    @property
    def sentence_components(self) -> tuple[ComponentInfo, ...]:
        """The statements in the sentence's order (the researcher's, not the template's)."""
        by_id = {c.id: c for c in self.components}
        return tuple(by_id[i] for i in self.sentence_order if i in by_id) or self.components

    def sentence_parts(self) -> list[tuple[str, bool]]:
        """The sentence in pieces (text, is_marker), for printing markers bold."""
        return sentence_parts(stored_template(self.template, self.roles),
                              [(c.role, c.statement) for c in self.sentence_components],
                              written=self.written_sentence)


# -- row writers shared with tagging -----------------------------------------------------------


@dataclass(frozen=True)
class NewConfiguration:
    """Checked values for a configuration about to be inserted."""

    label: str
    concept: str
    template: Template
    status: str
    origin: str
    refined_from_id: int | None
    memo: str
    statements: tuple[tuple[str, str], ...]  # in the sentence's order
    node_ids: tuple[int, ...]
    sentence: str = ""


def prepare_configuration(
    session: Session,
    *,
    concept: str,
    label: str = "",
    template: str = "CMO",
    roles: str | Sequence[str] | None = None,
    statements: Sequence[tuple[str, str]] = (),
    status: str = CmoStatus.PROPOSED,
    origin: str = CmoOrigin.DATA,
    refined_from_id: int | None = None,
    memo: str = "",
    node_ids: Sequence[int] = (),
    sentence: str = "",
) -> NewConfiguration:
    """Validate everything a new configuration needs, before any row is written."""
    tmpl = make_template(template, roles)
    clean_label = one_line(label, "configuration label") or next_label(session)
    check_label_free(session, clean_label)
    status_value = parse_enum(CmoStatus, status, "configuration status").value
    origin_value = parse_enum(CmoOrigin, origin, "configuration origin").value
    pairs = tuple((tmpl.role(role).token, clean_statement_text(text)) for role, text in statements)
    check_complete(clean_label, tmpl, pairs, status_value)
    if refined_from_id is not None:
        check_no_cycle(session, None, refined_from_id, clean_label)
    return NewConfiguration(clean_label, one_line(concept, "concept"), tmpl, status_value, origin_value,
                            refined_from_id, memo, pairs, tuple(check_nodes(session, node_ids)),
                            check_written_sentence(tmpl, sentence))


def insert_configuration(rec: Recorder, new: NewConfiguration) -> int:
    config_id = int(rec.insert(
        CmoConfiguration, label=new.label, concept=new.concept, template=new.template.name,
        roles=new.template.encode_roles(), status=new.status, origin=new.origin,
        refined_from_id=new.refined_from_id, memo=new.memo, sentence=new.sentence,
    ))
    positions: dict[str, int] = {}
    rows = []
    for index, (role, text) in enumerate(new.statements):
        rows.append({"configuration_id": config_id, "role": role, "statement": text,
                     "position": positions.setdefault(role, 0), "sentence_position": index})
        positions[role] += 1
    rec.insert_many(CmoComponent, rows)
    for node_id in new.node_ids:
        rec.insert(cmo_configuration_node, configuration_id=config_id, node_id=node_id)
    return config_id


# -- configurations ---------------------------------------------------------------------------


def create_configuration(
    session: Session,
    *,
    concept: str,
    label: str = "",
    template: str = "CMO",
    roles: str | Sequence[str] | None = None,
    statements: Sequence[tuple[str, str]] = (),
    status: str = CmoStatus.PROPOSED,
    origin: str = CmoOrigin.DATA,
    refined_from_id: int | None = None,
    memo: str = "",
    node_ids: Sequence[int] = (),
    sentence: str = "",
    coder_id: int | None = None,
) -> Change:
    """Create a configuration with its statements, given as (role, statement) pairs in the
    order its sentence reads them (e.g. C, O, M).

    `template` is CMO, ICAMO, SCMO or CIMO, or any name with `roles` (e.g. 'C,Mres,Mreas,O').
    `sentence`: the sentence as the authors wrote it, markers in place (optional).
    Result: the new id.
    """
    new = prepare_configuration(
        session, concept=concept, label=label, template=template, roles=roles, statements=statements,
        status=status, origin=origin, refined_from_id=refined_from_id, memo=memo, node_ids=node_ids,
        sentence=sentence,
    )
    return Command(f"Create configuration '{new.label}'", lambda rec: insert_configuration(rec, new),
                   action="create configuration",
                   details={"label": new.label, "concept": new.concept, "template": new.template.name},
                   coder_id=coder_id).apply(session)


def update_configuration(
    session: Session,
    *,
    configuration_id: int,
    concept: str | None = None,
    label: str | None = None,
    status: str | None = None,
    origin: str | None = None,
    memo: str | None = None,
    refined_from_id: int | Literal[_Keep.KEEP] | None = KEEP,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Change a configuration's concept, label, status, origin, memo or refined_from link
    (None clears the link; a link that would make the history loop is refused). With
    `expected_version` (ConfigurationInfo.version), refused with a ConflictError when someone
    changed the configuration since it was read."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    values: dict[str, object] = {}
    if label is not None:
        values["label"] = one_line(label, "configuration label")
        if not values["label"]:
            raise ValidationError("A configuration needs a label.")
        check_label_free(session, str(values["label"]), exclude_id=configuration_id)
    if concept is not None:
        values["concept"] = one_line(concept, "concept")
    if status is not None:
        values["status"] = parse_enum(CmoStatus, status, "configuration status").value
        check_complete(str(values.get("label", row.label)), template_of(row),
                       statements_of(session, configuration_id), str(values["status"]))
    if origin is not None:
        values["origin"] = parse_enum(CmoOrigin, origin, "configuration origin").value
    if memo is not None:
        values["memo"] = memo
    if refined_from_id is not KEEP:
        if refined_from_id is not None:
            check_no_cycle(session, configuration_id, refined_from_id, row.label)
        values["refined_from_id"] = refined_from_id
    title = (f"Mark '{row.label}' {values['status']}" if set(values) == {"status"}
             else f"Edit configuration '{row.label}'")
    stage = _renamed_stage(session, row, values.get("concept"))

    def run(rec: Recorder) -> None:
        rec.update(CmoConfiguration, configuration_id, expected_version=expected_version, **values)
        if stage is not None:  # the last configuration of a concept renamed: its stage keeps its place
            rec.update(CmoStage, stage, concept=values["concept"])

    return Command(title, run,
                   action="edit configuration", details={"configuration": row.uid, **values},
                   coder_id=coder_id).apply(session)


def _renamed_stage(session: Session, row: CmoConfiguration, concept: object) -> int | None:
    """The stage row to rename when the only configuration of a concept moves to a concept
    that has no place among the stages yet."""
    if not isinstance(concept, str) or concept == row.concept:
        return None
    others = session.scalar(select(func.count()).select_from(CmoConfiguration).where(
        CmoConfiguration.concept == row.concept, CmoConfiguration.id != row.id))
    taken = session.scalar(select(CmoStage.id).where(CmoStage.concept == concept))
    if others or taken is not None:
        return None
    return session.scalar(select(CmoStage.id).where(CmoStage.concept == row.concept))


def set_template(
    session: Session,
    *,
    configuration_id: int,
    template: str,
    roles: str | Sequence[str] | None = None,
    coder_id: int | None = None,
) -> Change:
    """Switch a configuration to another template; its statements must fit the new roles."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    tmpl = make_template(template, roles)
    statements = statements_of(session, configuration_id)
    mapped: dict[str, str] = {}
    for role, _ in statements:
        try:
            mapped[role] = tmpl.role(role).token
        except ValidationError:
            raise ValidationError(
                f"'{row.label}' has {role} statements, which the {tmpl.name} template has no role for: "
                "move or delete them first."
            ) from None
    check_complete(row.label, tmpl, [(mapped[r], s) for r, s in statements], row.status)
    components = list(session.execute(select(CmoComponent.id, CmoComponent.role)
                                      .where(CmoComponent.configuration_id == configuration_id)))

    def run(rec: Recorder) -> None:
        rec.update(CmoConfiguration, configuration_id, template=tmpl.name, roles=tmpl.encode_roles())
        for component in components:
            if mapped[component.role] != component.role:
                rec.update(CmoComponent, component.id, role=mapped[component.role])

    return Command(f"Use the {tmpl.name} template for '{row.label}'", run, action="set configuration template",
                   details={"configuration": row.uid, "template": tmpl.name, "roles": tmpl.encode_roles()},
                   coder_id=coder_id).apply(session)


def refine_configuration(
    session: Session,
    *,
    configuration_id: int,
    label: str = "",
    status: str = CmoStatus.REFINED,
    origin: str = CmoOrigin.DATA,
    coder_id: int | None = None,
) -> Change:
    """Start a new version of a configuration: same concept, template, statements and theme
    links, `refined_from` the original, ready to be edited. Result: the new id."""
    source = get_configuration(session, configuration_id)
    new = prepare_configuration(
        session, concept=source.concept, label=label, template=source.template, roles=source.roles,
        statements=[(c.role, c.statement) for c in source.sentence_components], status=status, origin=origin,
        refined_from_id=configuration_id, memo="", node_ids=source.node_ids,
    )
    return Command(f"Refine '{source.label}' as '{new.label}'", lambda rec: insert_configuration(rec, new),
                   action="refine configuration", details={"from": source.uid, "label": new.label},
                   coder_id=coder_id).apply(session)


def delete_configuration(session: Session, *, configuration_id: int, coder_id: int | None = None) -> Change:
    """Delete a configuration with its statements, evidence, theme links and memos. Later
    versions that refined it keep their statements and lose only the link."""
    row = require(session, CmoConfiguration, configuration_id, "configuration")
    uid, label = row.uid, row.label

    def run(rec: Recorder) -> None:
        components = select(CmoComponent.id).where(CmoComponent.configuration_id == configuration_id)
        rec.delete_where(CmoEvidence, CmoEvidence.component_id.in_(components))
        rec.delete_where(CmoComponent, CmoComponent.configuration_id == configuration_id)
        rec.delete_where(cmo_configuration_node, cmo_configuration_node.c.configuration_id == configuration_id)
        rec.delete_where(Memo, Memo.target_type == "configuration", Memo.target_uid == uid)
        for later in session.scalars(select(CmoConfiguration.id)
                                     .where(CmoConfiguration.refined_from_id == configuration_id)):
            rec.update(CmoConfiguration, later, refined_from_id=None)
        rec.delete(CmoConfiguration, configuration_id)

    return Command(f"Delete configuration '{label}'", run, action="delete configuration",
                   details={"configuration": uid, "label": label}, coder_id=coder_id).apply(session)


# -- reading ---------------------------------------------------------------------------------


def _infos(session: Session, rows: Sequence[CmoConfiguration]) -> list[ConfigurationInfo]:
    ids = [r.id for r in rows]
    components: dict[int, list[ComponentInfo]] = {}
    for c in session.scalars(select(CmoComponent).where(CmoComponent.configuration_id.in_(ids))
                             .order_by(CmoComponent.position, CmoComponent.id)):
        components.setdefault(c.configuration_id, []).append(
            ComponentInfo(c.id, c.uid, c.configuration_id, c.role, c.statement, c.position, c.sentence_position,
                          version_of(c)))
    nodes: dict[int, list[int]] = {}
    for config_id, node_id in session.execute(select(cmo_configuration_node.c.configuration_id,
                                                     cmo_configuration_node.c.node_id)
                                              .where(cmo_configuration_node.c.configuration_id.in_(ids))
                                              .order_by(cmo_configuration_node.c.node_id)):
        nodes.setdefault(config_id, []).append(node_id)
    infos = []
    for row in rows:
        tmpl = template_of(row)
        order = {t.lower(): i for i, t in enumerate(tmpl.tokens)}
        comps = sorted(components.get(row.id, []), key=lambda c: (order.get(c.role.lower(), 99), c.position, c.id))
        pairs = [(c.role, c.statement) for c in comps]
        spoken = sorted(comps, key=lambda c: (c.sentence_position, order.get(c.role.lower(), 99), c.position, c.id))
        infos.append(ConfigurationInfo(
            row.id, row.uid, row.label, row.concept, row.template, row.roles, row.status, row.origin,
            row.refined_from_id, row.memo, row.created_at, tuple(comps), tuple(nodes.get(row.id, ())),
            missing_roles(tmpl, pairs),
            configuration_sentence(tmpl, [(c.role, c.statement) for c in spoken], written=row.sentence),
            row.sentence, tuple(c.id for c in spoken), version_of(row),
        ))
    return infos


def get_configuration(session: Session, configuration_id: int) -> ConfigurationInfo:
    return _infos(session, [require(session, CmoConfiguration, configuration_id, "configuration")])[0]


def find_configuration(session: Session, label: str) -> ConfigurationInfo:
    """A configuration by its label (case-insensitive)."""
    row = session.scalar(select(CmoConfiguration).where(
        func.lower(CmoConfiguration.label) == " ".join(label.split()).lower()))
    if row is None:
        raise NotFoundError(f"There is no configuration labelled '{label}' in this project.")
    return _infos(session, [row])[0]


def get_component(session: Session, component_id: int) -> ComponentInfo:
    c = require(session, CmoComponent, component_id, "configuration statement")
    return ComponentInfo(c.id, c.uid, c.configuration_id, c.role, c.statement, c.position, c.sentence_position,
                         version_of(c))


def concepts(session: Session) -> list[str]:
    """Concept labels in the order they were first used (the order of the programme theory)."""
    rows = session.execute(select(CmoConfiguration.concept, func.min(CmoConfiguration.id))
                           .group_by(CmoConfiguration.concept).order_by(func.min(CmoConfiguration.id)))
    return [concept for concept, _ in rows]


def list_configurations(
    session: Session,
    *,
    concept: str | None = None,
    status: str | None = None,
    origin: str | None = None,
    ids: Iterable[int] | None = None,
) -> list[ConfigurationInfo]:
    """Configurations grouped by concept (concepts in first-use order), oldest first within one."""
    query = select(CmoConfiguration)
    if concept is not None:
        query = query.where(CmoConfiguration.concept == concept)
    if status is not None:
        query = query.where(CmoConfiguration.status == parse_enum(CmoStatus, status, "configuration status").value)
    if origin is not None:
        query = query.where(CmoConfiguration.origin == parse_enum(CmoOrigin, origin, "configuration origin").value)
    if ids is not None:
        query = query.where(CmoConfiguration.id.in_(list(ids)))
    order = {name: i for i, name in enumerate(concepts(session))}
    rows = sorted(session.scalars(query), key=lambda r: (order.get(r.concept, len(order)), r.id))
    return _infos(session, rows)
