"""Cases (participants, sites), their documents, and typed attributes with values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import AttributeScope, AttributeType, parse_enum
from qualcode.domain.errors import ConflictError, ValidationError
from qualcode.services._common import clean_name, require
from qualcode.services.commands import Change, Command, Recorder, version_of
from qualcode.store.models import Attribute, AttributeValue, Case, Document, Memo, Reference, case_document


@dataclass(frozen=True)
class CaseInfo:
    id: int
    uid: str
    name: str
    memo: str
    document_ids: tuple[int, ...]
    version: str = ""  # the row version read: pass it back to edit without overwriting others


@dataclass(frozen=True)
class AttributeInfo:
    id: int
    uid: str
    name: str
    type: AttributeType
    scope: AttributeScope


def create_case(session: Session, *, name: str, memo: str = "", coder_id: int | None = None) -> Change:
    """Create a case (a participant, a site). Result: the new id."""
    name = clean_name(name, "case")
    if session.scalar(select(Case.id).where(func.lower(Case.name) == name.lower())):
        raise ValidationError(f"There is already a case named '{name}'.")
    return Command(
        f"Create case '{name}'",
        lambda rec: int(rec.insert(Case, name=name, memo=memo)),
        action="create case",
        details={"name": name},
        coder_id=coder_id,
    ).apply(session)


def update_case(
    session: Session, *, case_id: int, name: str | None = None, memo: str | None = None, coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Rename a case or change its memo; with `expected_version` (CaseInfo.version), refused
    with a ConflictError when someone changed the case since it was read."""
    case = require(session, Case, case_id, "case")
    values: dict[str, str] = {}
    if name is not None:
        values["name"] = clean_name(name, "case")
        if session.scalar(select(Case.id).where(func.lower(Case.name) == values["name"].lower(), Case.id != case_id)):
            raise ValidationError(f"There is already a case named '{values['name']}'.")
    if memo is not None:
        values["memo"] = memo
    return Command(
        f"Edit case '{case.name}'",
        lambda rec: rec.update(Case, case_id, expected_version=expected_version, **values),
        action="edit case",
        details={"case": case.uid, **values},
        coder_id=coder_id,
    ).apply(session)


def delete_case(session: Session, *, case_id: int, coder_id: int | None = None) -> Change:
    """Delete a case; its documents stay in the project."""
    case = require(session, Case, case_id, "case")

    def run(rec: Recorder) -> None:
        rec.delete_where(case_document, case_document.c.case_id == case_id)
        rec.delete_where(AttributeValue, AttributeValue.case_id == case_id)
        rec.delete_where(Memo, Memo.target_type == "case", Memo.target_uid == case.uid)
        # A study's reference record stays (it was screened); it just loses its case.
        for reference_id in session.scalars(select(Reference.id).where(Reference.case_id == case_id)):
            rec.update(Reference, reference_id, case_id=None)
        rec.delete(Case, case_id)

    return Command(
        f"Delete case '{case.name}'",
        run,
        action="delete case",
        details={"case": case.uid, "name": case.name},
        coder_id=coder_id,
    ).apply(session)


def link_documents(
    session: Session, *, case_id: int, document_ids: Sequence[int], coder_id: int | None = None
) -> Change:
    """Attach documents to a case (already linked ones are left as they are)."""
    case = require(session, Case, case_id, "case")
    for document_id in document_ids:
        require(session, Document, document_id, "document")
    linked = set(session.scalars(select(case_document.c.document_id).where(case_document.c.case_id == case_id)))

    def run(rec: Recorder) -> None:
        for document_id in dict.fromkeys(document_ids):
            if document_id not in linked:
                rec.insert(case_document, case_id=case_id, document_id=document_id)

    return Command(
        f"Link documents to '{case.name}'",
        run,
        action="link documents",
        details={"case": case.uid, "documents": list(document_ids)},
        coder_id=coder_id,
    ).apply(session)


def unlink_document(session: Session, *, case_id: int, document_id: int, coder_id: int | None = None) -> Change:
    case = require(session, Case, case_id, "case")
    return Command(
        f"Unlink document from '{case.name}'",
        lambda rec: rec.delete_where(
            case_document, case_document.c.case_id == case_id, case_document.c.document_id == document_id
        ),
        action="unlink document",
        details={"case": case.uid, "document_id": document_id},
        coder_id=coder_id,
    ).apply(session)


def list_cases(session: Session) -> list[CaseInfo]:
    return _case_infos(session)


def cases_of_document(session: Session, document_id: int) -> list[CaseInfo]:
    """The cases a document belongs to (read each time a transcript is opened: only those)."""
    return _case_infos(session, select(case_document.c.case_id).where(case_document.c.document_id == document_id))


def _case_infos(session: Session, only: Select[tuple[int]] | None = None) -> list[CaseInfo]:
    """Cases by name with their documents: every case, or those whose ids `only` selects."""
    links_query = select(case_document.c.case_id, case_document.c.document_id).order_by(case_document.c.document_id)
    cases_query = select(Case).order_by(func.lower(Case.name))
    if only is not None:
        links_query = links_query.where(case_document.c.case_id.in_(only))
        cases_query = cases_query.where(Case.id.in_(only))
    links: dict[int, list[int]] = {}
    for case_id, document_id in session.execute(links_query):
        links.setdefault(case_id, []).append(document_id)
    return [
        CaseInfo(c.id, c.uid, c.name, c.memo, tuple(links.get(c.id, ())), version_of(c))
        for c in session.scalars(cases_query)
    ]


# -- attributes --------------------------------------------------------------------------


def create_attribute(
    session: Session,
    *,
    name: str,
    type: str = AttributeType.TEXT,
    scope: str = AttributeScope.CASE,
    coder_id: int | None = None,
) -> Change:
    """Define an attribute (e.g. 'age', number, for cases). Result: the new id."""
    name = clean_name(name, "attribute", max_length=200)
    type_value = parse_enum(AttributeType, type, "attribute type").value
    scope_value = parse_enum(AttributeScope, scope, "attribute scope").value
    if session.scalar(
        select(Attribute.id).where(func.lower(Attribute.name) == name.lower(), Attribute.scope == scope_value)
    ):
        raise ValidationError(f"There is already a {scope_value} attribute named '{name}'.")
    return Command(
        f"Create attribute '{name}'",
        lambda rec: int(rec.insert(Attribute, name=name, type=type_value, scope=scope_value)),
        action="create attribute",
        details={"name": name, "type": type_value, "scope": scope_value},
        coder_id=coder_id,
    ).apply(session)


def canonical_value(attribute_type: AttributeType, value: object, attribute_name: str = "") -> str:
    """The stored text form of a value, after checking it fits the attribute's type."""
    label = f"'{attribute_name}'" if attribute_name else "this attribute"
    if attribute_type is AttributeType.NUMBER:
        try:
            number = float(str(value).strip().replace(",", "")) if not isinstance(value, int | float) else float(value)
        except ValueError:
            raise ValidationError(f"{label} takes numbers; '{value}' is not a number.") from None
        if not math.isfinite(number):
            raise ValidationError(f"{label} takes finite numbers; '{value}' is not one.")
        return str(int(number)) if number.is_integer() else repr(number)
    if attribute_type is AttributeType.DATE:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()
        for parse in (date.fromisoformat, lambda s: datetime.strptime(s, "%d/%m/%Y").date()):
            try:
                return parse(text).isoformat()
            except ValueError:
                continue
        raise ValidationError(f"{label} takes dates (YYYY-MM-DD); '{value}' is not a date.")
    return " ".join(str(value).split()) if attribute_type is AttributeType.CATEGORY else str(value)


def set_attribute_value(
    session: Session,
    *,
    attribute_id: int,
    value: object,
    case_id: int | None = None,
    document_id: int | None = None,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Set (or, with None or '', clear) an attribute's value for a case or a document. With
    `expected_version` (from `attribute_value_version`), refused with a ConflictError when
    someone set or cleared the value since it was read."""
    attribute = require(session, Attribute, attribute_id, "attribute")
    if (case_id is None) == (document_id is None):
        raise ValidationError("An attribute value belongs to exactly one case or one document.")
    if case_id is not None:
        if attribute.scope != AttributeScope.CASE:
            raise ValidationError(f"'{attribute.name}' is a document attribute, not a case attribute.")
        require(session, Case, case_id, "case")
    else:
        if attribute.scope != AttributeScope.DOCUMENT:
            raise ValidationError(f"'{attribute.name}' is a case attribute, not a document attribute.")
        require(session, Document, document_id or 0, "document")
    clear = value is None or (isinstance(value, str) and not value.strip())
    stored = None if clear else canonical_value(AttributeType(attribute.type), value, attribute.name)
    existing = session.scalar(
        select(AttributeValue.id).where(
            AttributeValue.attribute_id == attribute_id,
            AttributeValue.case_id.is_(case_id) if case_id is None else AttributeValue.case_id == case_id,
            AttributeValue.document_id.is_(None) if document_id is None else AttributeValue.document_id == document_id,
        )
    )

    def run(rec: Recorder) -> None:
        if expected_version is not None and existing is None and expected_version != NO_VALUE:
            raise ConflictError(f"Not saved: the value of '{attribute.name}' was cleared by someone else since you "
                                "opened it; reopen it to see their change.")
        if stored is None:
            if existing is not None:
                if expected_version is not None:
                    rec.check_version(AttributeValue, existing, expected_version)
                rec.delete(AttributeValue, existing)
        elif existing is None:
            rec.insert(
                AttributeValue, attribute_id=attribute_id, case_id=case_id, document_id=document_id, value=stored
            )
        else:
            rec.update(AttributeValue, existing, expected_version=expected_version, value=stored)

    return Command(
        f"Set '{attribute.name}'",
        run,
        action="set attribute value",
        details={"attribute": attribute.uid, "case_id": case_id, "document_id": document_id, "value": stored},
        coder_id=coder_id,
    ).apply(session)


NO_VALUE = "no value"  # the version of an attribute value that is not set


def attribute_value_version(session: Session, *, attribute_id: int, case_id: int | None = None,
                            document_id: int | None = None) -> str:
    """The version of one attribute value as read now (NO_VALUE when it is not set): pass it
    to `set_attribute_value` so nobody's change in between is overwritten."""
    row = session.scalar(select(AttributeValue).where(
        AttributeValue.attribute_id == attribute_id,
        AttributeValue.case_id.is_(None) if case_id is None else AttributeValue.case_id == case_id,
        AttributeValue.document_id.is_(None) if document_id is None else AttributeValue.document_id == document_id))
    return NO_VALUE if row is None else version_of(row)


def list_attributes(session: Session, scope: str | None = None) -> list[AttributeInfo]:
    query = select(Attribute).order_by(func.lower(Attribute.name))
    if scope is not None:
        query = query.where(Attribute.scope == parse_enum(AttributeScope, scope, "attribute scope").value)
    return [
        AttributeInfo(a.id, a.uid, a.name, AttributeType(a.type), AttributeScope(a.scope))
        for a in session.scalars(query)
    ]


def attribute_values(session: Session, *, case_id: int | None = None, document_id: int | None = None) -> dict[str, str]:
    """Attribute name -> stored value for one case or one document."""
    query = select(Attribute.name, AttributeValue.value).join(Attribute, Attribute.id == AttributeValue.attribute_id)
    query = (
        query.where(AttributeValue.case_id == case_id)
        if case_id is not None
        else query.where(AttributeValue.document_id == document_id)
    )
    return dict(session.execute(query).tuples().all())
