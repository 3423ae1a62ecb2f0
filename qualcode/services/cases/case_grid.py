"""The case sheet as researchers edit it in the window: one row per case (participant, site,
included study), one column per case attribute, with each case's kind and linked documents.

    read_case_grid(session) -> CaseGrid
    rename_attribute(session, *, attribute_id, name) -> Change
    delete_attribute(session, *, attribute_id) -> Change        (its values go with it)
    set_case_documents(session, *, case_id, document_ids) -> Change

A case's kind is read from the project, not stored: a study is a case kept for a reference of
a literature review; a site is a case that groups other cases' documents (the rule that
counts participants, see participant_unit); every other case is a participant. Values, cases
and links are edited with the services in `cases`; each call is one undoable command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.ordering import natural_key
from qualcode.domain.enums import AttributeScope, AttributeType
from qualcode.domain.errors import ValidationError
from qualcode.services._common import clean_name, require
from qualcode.services.cases.cases import NO_VALUE
from qualcode.services.cases.participant_unit import participant_unit
from qualcode.services.commands import Change, Command, Recorder, row_version
from qualcode.store.models import Attribute, AttributeValue, Case, Document, Reference, case_document


class CaseKind(StrEnum):
    PARTICIPANT = "participant"
    SITE = "site"  # groups other cases' documents: a site, a ward, a team
    STUDY = "study"  # an included study of a literature review


@dataclass(frozen=True)
class GridColumn:
    """A case attribute; `choices` are the values a category attribute already takes."""

    id: int
    name: str
    type: AttributeType
    choices: tuple[str, ...]


@dataclass(frozen=True)
class GridRow:
    case_id: int
    name: str
    kind: CaseKind
    document_ids: tuple[int, ...]
    values: dict[int, str]  # attribute id -> stored value; no key: no value
    version: str = ""  # the case's row version as read, for edits that overwrite nobody's
    value_versions: dict[int, str] = field(default_factory=dict)  # attribute id -> its value's version

    def value_version(self, attribute_id: int) -> str:
        """What to pass as `expected_version` when setting this case's value of the attribute."""
        return self.value_versions.get(attribute_id, NO_VALUE)


@dataclass(frozen=True)
class CaseGrid:
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]
    documents: dict[int, str]  # every document of the project, id -> name, in name order

    def document_names(self, row: GridRow) -> str:
        return ", ".join(self.documents[d] for d in row.document_ids if d in self.documents)


def case_kinds(session: Session) -> dict[int, CaseKind]:
    """Every case's kind (see the module docstring)."""
    studies = set(session.scalars(select(Reference.case_id).where(Reference.case_id.is_not(None))))
    names = dict(session.execute(select(Case.id, Case.name)).tuples().all())
    grouping = set(participant_unit(session).grouping)
    return {case_id: CaseKind.STUDY if case_id in studies else CaseKind.SITE if name in grouping
            else CaseKind.PARTICIPANT for case_id, name in names.items()}


def read_case_grid(session: Session) -> CaseGrid:
    """The whole sheet: cases in natural name order ('P2' before 'P10'), attributes by name."""
    attributes = list(session.execute(
        select(Attribute.id, Attribute.name, Attribute.type).where(Attribute.scope == AttributeScope.CASE.value)
        .order_by(func.lower(Attribute.name))).tuples())
    values: dict[int, dict[int, str]] = {}
    versions: dict[int, dict[int, str]] = {}
    used: dict[int, set[str]] = {}
    value_table = AttributeValue.__table__
    for row in session.execute(select(value_table).where(value_table.c.case_id.is_not(None))).mappings():
        case_id, attribute_id, value = row["case_id"], row["attribute_id"], row["value"]
        values.setdefault(case_id, {})[attribute_id] = value
        versions.setdefault(case_id, {})[attribute_id] = row_version(dict(row))
        used.setdefault(attribute_id, set()).add(value)
    columns = tuple(GridColumn(id_, name, AttributeType(type_),
                               tuple(sorted(used.get(id_, ()), key=natural_key))
                               if type_ == AttributeType.CATEGORY else ())
                    for id_, name, type_ in attributes)
    documents = dict(sorted(session.execute(select(Document.id, Document.name)).tuples().all(),
                            key=lambda item: natural_key(item[1])))
    order = {document_id: i for i, document_id in enumerate(documents)}
    links: dict[int, list[int]] = {}
    for case_id, document_id in session.execute(select(case_document.c.case_id, case_document.c.document_id)):
        links.setdefault(case_id, []).append(document_id)
    kinds = case_kinds(session)
    cases = sorted(session.execute(select(Case.__table__)).mappings().all(), key=lambda c: natural_key(c["name"]))
    rows = tuple(GridRow(case["id"], case["name"], kinds[case["id"]],
                         tuple(sorted(links.get(case["id"], ()), key=lambda d: order.get(d, 0))),
                         values.get(case["id"], {}), row_version(dict(case)), versions.get(case["id"], {}))
                 for case in cases)
    return CaseGrid(columns, rows, documents)


def _case_attribute(session: Session, attribute_id: int) -> Attribute:
    attribute = require(session, Attribute, attribute_id, "attribute")
    if attribute.scope != AttributeScope.CASE:
        raise ValidationError(f"'{attribute.name}' is a document attribute, not a case attribute.")
    return attribute


def rename_attribute(session: Session, *, attribute_id: int, name: str, coder_id: int | None = None) -> Change:
    """Give a case attribute a new name; its values stay."""
    attribute = _case_attribute(session, attribute_id)
    new_name = clean_name(name, "attribute", max_length=200)
    if session.scalar(select(Attribute.id).where(func.lower(Attribute.name) == new_name.lower(),
                                                 Attribute.scope == attribute.scope, Attribute.id != attribute_id)):
        raise ValidationError(f"There is already a case attribute named '{new_name}'.")
    old_name = attribute.name
    return Command(f"Rename attribute '{old_name}' to '{new_name}'",
                   lambda rec: rec.update(Attribute, attribute_id, name=new_name),
                   action="rename attribute",
                   details={"attribute": attribute.uid, "from": old_name, "to": new_name},
                   coder_id=coder_id).apply(session)


def delete_attribute(session: Session, *, attribute_id: int, coder_id: int | None = None) -> Change:
    """Delete a case attribute with every case's value of it."""
    attribute = _case_attribute(session, attribute_id)

    def run(rec: Recorder) -> None:
        rec.delete_where(AttributeValue, AttributeValue.attribute_id == attribute_id)
        rec.delete(Attribute, attribute_id)

    return Command(f"Delete attribute '{attribute.name}'", run, action="delete attribute",
                   details={"attribute": attribute.uid, "name": attribute.name},
                   coder_id=coder_id).apply(session)


def set_case_documents(session: Session, *, case_id: int, document_ids: Sequence[int],
                       coder_id: int | None = None) -> Change:
    """Link exactly these documents to the case: the ones not listed are unlinked."""
    case = require(session, Case, case_id, "case")
    wanted = list(dict.fromkeys(document_ids))
    for document_id in wanted:
        require(session, Document, document_id, "document")
    linked = set(session.scalars(select(case_document.c.document_id).where(case_document.c.case_id == case_id)))
    added = [d for d in wanted if d not in linked]
    removed = sorted(linked - set(wanted))

    def run(rec: Recorder) -> None:
        for document_id in removed:
            rec.delete_where(case_document, case_document.c.case_id == case_id,
                             case_document.c.document_id == document_id)
        for document_id in added:
            rec.insert(case_document, case_id=case_id, document_id=document_id)

    return Command(f"Documents of '{case.name}'", run, action="link documents",
                   details={"case": case.uid, "linked": added, "unlinked": removed},
                   coder_id=coder_id).apply(session)
