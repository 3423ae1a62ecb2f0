"""Participant characteristics: the case attributes summarised as in a paper's Table 1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.conditions import check_condition, parse_condition, satisfies
from qualcode.analysis.participants import Characteristic, participant_table
from qualcode.domain.enums import AttributeScope, AttributeType
from qualcode.domain.errors import ValidationError
from qualcode.services._common import require
from qualcode.services.queries.query_scope import find_attribute
from qualcode.store.models import Attribute, AttributeValue, Case


@dataclass(frozen=True)
class ParticipantSummary:
    title: str
    description: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    case_names: tuple[str, ...]


def _case_attribute(session: Session, name: str) -> Characteristic:
    found = find_attribute(session, name)
    if found.scope is not AttributeScope.CASE:
        raise ValidationError(f"'{found.name}' is a document attribute: participants are described by case attributes.")
    return Characteristic(found.name, found.type)


def _identifier_like(characteristic: Characteristic, cases: Sequence[dict[str, str]]) -> bool:
    """A text or category attribute whose every value is different: an identifier, not a characteristic."""
    if characteristic.type not in (AttributeType.TEXT, AttributeType.CATEGORY):
        return False
    present = [case[characteristic.name] for case in cases if characteristic.name in case]
    return len(present) >= 3 and len(set(present)) == len(present)


def participant_summary(
    session: Session,
    *,
    attributes: Sequence[str] | None = None,
    group_by: str | None = None,
    conditions: Sequence[str] = (),
    case_ids: Sequence[int] | None = None,
    title: str | None = None,
) -> ParticipantSummary:
    """Counts and percentages for categories, mean (SD) and range for numbers, per group.

    The participants are the chosen cases, or every case with a value for one of the
    summarised attributes (so site cases without those attributes stay out), narrowed by
    `conditions` such as `age >= 18`. Unless attributes are named, identifier-like ones (a
    different text value for every participant, e.g. a pseudonym or study ID) are left out:
    an n (%) of them says nothing. `title`: the caption as the paper prints it.
    """
    if attributes:
        characteristics = [_case_attribute(session, name) for name in attributes]
    else:
        rows = session.execute(select(Attribute.name, Attribute.type).where(Attribute.scope == AttributeScope.CASE)
                               .order_by(func.lower(Attribute.name))).tuples().all()
        characteristics = [Characteristic(name, AttributeType(kind)) for name, kind in rows]
    group = _case_attribute(session, group_by).name if group_by else None
    values: dict[int, dict[str, str]] = {}
    query = (select(AttributeValue.case_id, Attribute.name, AttributeValue.value)
             .join(Attribute, Attribute.id == AttributeValue.attribute_id).where(AttributeValue.case_id.is_not(None)))
    for case_id, name, value in session.execute(query).tuples():
        if case_id is not None:
            values.setdefault(case_id, {})[name] = value
    names = dict(session.execute(select(Case.id, Case.name)).tuples().all())
    if case_ids is not None:
        for case_id in case_ids:
            require(session, Case, case_id, "case")
        chosen = list(dict.fromkeys(case_ids))
    else:
        wanted = {c.name for c in characteristics}
        chosen = [c for c in names if wanted & set(values.get(c, {}))]
    for text in conditions:
        condition = parse_condition(text)
        attribute = _case_attribute(session, condition.attribute)
        check_condition(condition, attribute.type)
        chosen = [c for c in chosen if satisfies(condition, attribute.type, values.get(c, {}).get(attribute.name))]
    if not chosen:
        raise ValidationError("No participants to describe: no case has a value for these attributes.")
    chosen.sort(key=lambda c: names[c].lower())
    if not attributes and len(chosen) >= 3:
        characteristics = [c for c in characteristics if not _identifier_like(c, [values.get(i, {}) for i in chosen])]
    header, table = participant_table({names[c]: values.get(c, {}) for c in chosen}, characteristics, group_by=group)
    restrictions = "; ".join(str(parse_condition(t)) for t in conditions)
    description = f"{len(chosen)} participants" + (f" ({restrictions})" if restrictions else "")
    if title is None:
        title = "Participant characteristics" + (f" by {group}" if group else "")
    return ParticipantSummary(title, description, tuple(header), tuple(tuple(r) for r in table),
                              tuple(names[c] for c in chosen))
