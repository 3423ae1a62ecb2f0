"""Tag a passage as C, M or O while coding: one undoable step that attaches the passage to
an existing statement, adds a statement to an existing configuration, or starts a new
configuration around it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.cmo import stored_template
from qualcode.domain.enums import CmoOrigin, CmoStatus, Stance
from qualcode.domain.errors import ValidationError
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.services.realist.checks import clean_statement_text, next_position, sentence_slot
from qualcode.services.realist.configurations import insert_configuration, prepare_configuration
from qualcode.services.realist.evidence import insert_evidence, prepare_evidence
from qualcode.store.models import CmoComponent, CmoConfiguration, CmoEvidence, Document

DRAFT_STATEMENT_LENGTH = 160


@dataclass(frozen=True)
class TagResult:
    configuration_id: int
    component_id: int
    evidence_id: int
    new_configuration: bool
    new_component: bool


def draft_statement(passage: str, limit: int = DRAFT_STATEMENT_LENGTH) -> str:
    """A first wording for a statement taken from the tagged passage (edited later)."""
    text = " ".join(passage.split()).strip("\"'“”‘’ ")
    if len(text) <= limit:
        return text or "(statement to write)"
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def tag_span(
    session: Session,
    *,
    document_id: int,
    start: int,
    end: int,
    role: str,
    coder_id: int,
    configuration_id: int | None = None,
    component_id: int | None = None,
    statement: str | None = None,
    concept: str = "",
    template: str = "CMO",
    roles: str | None = None,
    stance: str = Stance.SUPPORTS,
) -> Change:
    """Tag `text[start:end]` as evidence for a role.

    - `component_id`: attach to that statement (its role must be `role`).
    - `configuration_id`: attach to its only statement in `role`, or, when it has none or a
      `statement` is given, add a statement in that role first.
    - neither: create a configuration (in `concept`, with `template`) around the passage.
    A new statement is worded `statement`, or drafted from the passage. Result: TagResult.
    """
    spec = prepare_evidence(session, component_id=component_id, coder_id=coder_id, document_id=document_id,
                            start=start, end=end, stance=stance)
    passage = session.scalar(select(func.substr(Document.text, start + 1, end - start))
                             .where(Document.id == document_id)) or ""
    wording = clean_statement_text(statement) if statement is not None else draft_statement(passage)

    if component_id is not None:
        component = require(session, CmoComponent, component_id, "configuration statement")
        if configuration_id is not None and component.configuration_id != configuration_id:
            raise ValidationError("That statement belongs to another configuration.")
        if component.role.lower() != role.strip().lower():
            raise ValidationError(f"That statement is a {component.role} statement, not {role}.")
        config = require(session, CmoConfiguration, component.configuration_id, "configuration")
        target_id, token = component.id, component.role

        def run(rec: Recorder) -> TagResult:
            return TagResult(config.id, target_id, insert_evidence(rec, spec, target_id), False, False)

        return _command(session, run, config.label, token, spec.coder_id, document_id, start, end)

    if configuration_id is not None:
        config = require(session, CmoConfiguration, configuration_id, "configuration")
        token = stored_template(config.template, config.roles).role(role).token
        existing = list(session.scalars(select(CmoComponent.id).where(
            CmoComponent.configuration_id == configuration_id, CmoComponent.role == token)))
        if statement is None and len(existing) > 1:
            raise ValidationError(
                f"'{config.label}' has {len(existing)} {token} statements: choose the one this passage supports."
            )
        if statement is None and existing:
            target = existing[0]
            if session.scalar(select(CmoEvidence.id).where(
                    CmoEvidence.component_id == target, CmoEvidence.coder_id == coder_id,
                    CmoEvidence.document_id == document_id, CmoEvidence.start == start,
                    CmoEvidence.end == end)) is not None:
                raise ValidationError(f"This passage is already evidence for the {token} statement of "
                                      f"'{config.label}'.")

            def attach(rec: Recorder) -> TagResult:
                return TagResult(configuration_id, target, insert_evidence(rec, spec, target), False, False)

            return _command(session, attach, config.label, token, coder_id, document_id, start, end)
        position = next_position(session, configuration_id, token)
        spoken, moves = sentence_slot(session, configuration_id, token)

        def add(rec: Recorder) -> TagResult:
            for component_id, place in moves:
                rec.update(CmoComponent, component_id, sentence_position=place)
            new_component = int(rec.insert(CmoComponent, configuration_id=configuration_id, role=token,
                                           statement=wording, position=position, sentence_position=spoken))
            return TagResult(configuration_id, new_component, insert_evidence(rec, spec, new_component), False, True)

        return _command(session, add, config.label, token, coder_id, document_id, start, end)

    new = prepare_configuration(session, concept=concept, template=template, roles=roles,
                                statements=[(role, wording)], status=CmoStatus.PROPOSED, origin=CmoOrigin.DATA)
    token = new.statements[0][0]

    def create(rec: Recorder) -> TagResult:
        new_config = insert_configuration(rec, new)
        new_component = int(rec.session.scalar(select(CmoComponent.id).where(
            CmoComponent.configuration_id == new_config)) or 0)
        return TagResult(new_config, new_component, insert_evidence(rec, spec, new_component), True, True)

    return _command(session, create, new.label, token, coder_id, document_id, start, end)


def _command(session: Session, run: Callable[[Recorder], TagResult], label: str, role: str, coder_id: int,
             document_id: int, start: int, end: int) -> Change:
    return Command(f"Tag passage as {role} of '{label}'", run,
                   action="tag configuration evidence",
                   details={"configuration": label, "role": role, "document_id": document_id,
                            "start": start, "end": end}, coder_id=coder_id).apply(session)
