"""The case characteristics table: one row per case (participant, site or included study),
the chosen attributes as columns, sorted and grouped as asked — the participant list of an
interview study, or the "characteristics of included studies" table of a literature review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.ordering import natural_key
from qualcode.domain.enums import AttributeScope, AttributeType
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.io.tables import Cell, DataTable, Merge, Run
from qualcode.store.models import Attribute, AttributeValue, Case

NO_VALUE = "—"


@dataclass(frozen=True)
class _Attribute:
    name: str
    type: AttributeType
    scope: AttributeScope


def find_attribute(session: Session, name: str) -> _Attribute:
    """An attribute by name (case-insensitive), a case attribute before a document one."""
    rows = sorted(session.execute(select(Attribute.name, Attribute.type, Attribute.scope).where(
        func.lower(Attribute.name) == " ".join(name.split()).lower())).all(), key=lambda r: r.scope != "case")
    if not rows:
        known = sorted(session.scalars(select(Attribute.name)).all(), key=str.lower)
        listing = f" Attributes in this project: {', '.join(known)}." if known else " This project has no attributes."
        raise NotFoundError(f"There is no attribute named '{name}'.{listing}")
    return _Attribute(rows[0].name, AttributeType(rows[0].type), AttributeScope(rows[0].scope))


def _sort_value(value: str | None, kind: AttributeType) -> tuple[int, object]:
    if value is None or value == "":
        return (2, "")
    if kind is AttributeType.NUMBER:
        try:
            return (0, float(value))
        except ValueError:
            return (1, natural_key(value))
    return (1, natural_key(value))


def case_table(
    session: Session,
    *,
    attributes: Sequence[str],
    sort_by: Sequence[str] = (),
    group_by: str | None = None,
    title: str = "Characteristics of the cases",
    case_header: str = "Case",
    headers: Sequence[str] | None = None,
    note: str = "",
) -> DataTable:
    """One row per case that has a value for any chosen attribute; columns in the order given.

    `sort_by`: attributes to sort by (numbers as numbers, text naturally: 'P2' before 'P10'),
    then the case name. `group_by`: a row naming each value of this attribute above its cases.
    `headers`: the attribute columns' headers as the journal wants them.
    """
    if not attributes:
        raise ValidationError("Choose the attributes to show as columns, e.g. --attribute age --attribute site.")
    found = []
    for name in attributes:
        attribute = find_attribute(session, name)
        if attribute.scope is not AttributeScope.CASE:
            raise ValidationError(f"'{attribute.name}' is a document attribute: a case table shows case attributes.")
        found.append(attribute)
    kinds = {a.name: a.type for a in found}
    for name in [*sort_by, *([group_by] if group_by else [])]:
        attribute = find_attribute(session, name)
        kinds.setdefault(attribute.name, attribute.type)
    sort_names = [find_attribute(session, n).name for n in sort_by]
    group = find_attribute(session, group_by).name if group_by else None
    names_shown = headers or [a.name for a in found]
    if len(names_shown) != len(found):
        raise ValidationError(f"Give one header per attribute ({len(found)} attributes, {len(names_shown)} headers).")
    values: dict[int, dict[str, str]] = {}
    for case_id, name, value in session.execute(
            select(AttributeValue.case_id, Attribute.name, AttributeValue.value)
            .join(Attribute, Attribute.id == AttributeValue.attribute_id)
            .where(AttributeValue.case_id.is_not(None), Attribute.name.in_(list(kinds)))).tuples():
        if case_id is not None and value:
            values.setdefault(case_id, {})[name] = value
    shown = {a.name for a in found}
    cases = [(case_id, name) for case_id, name in session.execute(select(Case.id, Case.name)).tuples()
             if shown & set(values.get(case_id, {}))]
    if not cases:
        raise ValidationError("No case has a value for these attributes: there is nothing to tabulate.")

    def key(case: tuple[int, str]) -> tuple[object, ...]:
        own = values.get(case[0], {})
        grouping = (_sort_value(own.get(group), kinds[group]),) if group else ()
        return (*grouping, *(_sort_value(own.get(n), kinds[n]) for n in sort_names), natural_key(case[1]))

    cases.sort(key=key)
    header = (case_header, *names_shown)
    rows: list[tuple[Cell, ...]] = []
    merges: list[Merge] = []
    headings: set[int] = set()
    current: str | None = None
    for case_id, name in cases:
        own = values.get(case_id, {})
        if group and (own.get(group, NO_VALUE) != current or not rows):
            current = own.get(group, NO_VALUE)
            headings.add(len(rows))
            merges.append(Merge(len(rows), 0, 1, len(header)))
            rows.append((Cell((Run(f"{group}: {current}", bold=True),)), *(Cell() for _ in header[1:])))
        cells = [Cell.of(name)]
        for attribute in found:
            shown_value = own.get(attribute.name)
            if shown_value is not None and attribute.type is AttributeType.NUMBER:
                try:
                    number = float(shown_value)
                    cells.append(Cell.of(int(number) if number.is_integer() else number))
                    continue
                except ValueError:
                    pass
            cells.append(Cell.of(shown_value if shown_value is not None else NO_VALUE))
        rows.append(tuple(cells))
    return DataTable(header=header, rows=tuple(rows), merges=tuple(merges), title=title, note=note,
                     widths=(1.4, *(2.0 for _ in found)), heading_rows=frozenset(headings),
                     landscape=len(header) > 6, sheet_name="Cases")
