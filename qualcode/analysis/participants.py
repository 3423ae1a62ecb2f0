"""A participant characteristics table, as in a paper's "Table 1".

Categories (and short text answers) as n (%) of the column's participants; numbers as
mean (SD) with their range; dates as their range. Missing values are counted on their
own row. With a grouping attribute, one column per group and a Total column.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from qualcode.analysis.ordering import NO_VALUE, natural_key
from qualcode.domain.enums import AttributeType

MAX_LISTED = 12  # text attributes with more distinct answers are summarised as "n with a value"
DASH = "–"


@dataclass(frozen=True)
class Characteristic:
    name: str
    type: AttributeType


Row = list[object]


def one_decimal(value: float) -> str:
    """`value` to one decimal, halves rounded away from zero as readers expect (2.25 -> 2.3, 12.5 % of
    8 -> 12.5), not to even as Python's format does on the binary value."""
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _percent(count: int, total: int) -> str:
    return f"{count} ({one_decimal(100 * count / total)}%)" if total else DASH


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else one_decimal(value)


def _numbers(values: list[str]) -> list[float]:
    out = []
    for value in values:
        try:
            out.append(float(value))
        except ValueError:
            continue
    return out


def _dates(values: list[str]) -> list[date]:
    out = []
    for value in values:
        try:
            out.append(date.fromisoformat(value))
        except ValueError:
            continue
    return out


def _category_rows(name: str, columns: list[list[Mapping[str, str]]], attribute_type: AttributeType) -> list[Row]:
    present = {case[name] for column in columns for case in column if name in case}
    missing = [sum(name not in case for case in column) for column in columns]
    if attribute_type is AttributeType.TEXT and len(present) > MAX_LISTED:
        answered = (_percent(len(c) - m, len(c)) for c, m in zip(columns, missing, strict=True))
        return [[f"{name}, n with a value", *answered]]
    rows: list[Row] = [[f"{name}, n (%)", *([""] * len(columns))]]
    for value in sorted(present, key=natural_key):
        rows.append([f"  {value}", *(_percent(sum(case.get(name) == value for case in c), len(c)) for c in columns)])
    if any(missing):
        rows.append([f"  {NO_VALUE}", *(_percent(m, len(c)) for c, m in zip(columns, missing, strict=True))])
    return rows


def _number_rows(name: str, columns: list[list[Mapping[str, str]]]) -> list[Row]:
    values = [_numbers([case[name] for case in column if name in case]) for column in columns]

    def mean_sd(numbers: list[float]) -> str:
        if not numbers:
            return DASH
        sd = one_decimal(statistics.stdev(numbers)) if len(numbers) > 1 else DASH
        return f"{one_decimal(statistics.fmean(numbers))} ({sd})"

    def span(numbers: list[float]) -> str:
        if not numbers:
            return DASH
        low, high = _number(min(numbers)), _number(max(numbers))
        return low if low == high else f"{low}{DASH}{high}"

    rows: list[Row] = [[f"{name}, mean (SD)", *(mean_sd(v) for v in values)], ["  range", *(span(v) for v in values)]]
    missing = [len(c) - len(v) for c, v in zip(columns, values, strict=True)]
    if any(missing):
        rows.append([f"  {NO_VALUE}, n", *missing])
    return rows


def _date_rows(name: str, columns: list[list[Mapping[str, str]]]) -> list[Row]:
    values = [_dates([case[name] for case in column if name in case]) for column in columns]
    return [[f"{name}, range", *(f"{min(v).isoformat()} to {max(v).isoformat()}" if v else DASH for v in values)]]


def participant_table(
    cases: Mapping[str, Mapping[str, str]],
    characteristics: Sequence[Characteristic],
    *,
    group_by: str | None = None,
) -> tuple[list[str], list[Row]]:
    """Header and rows; `cases` maps each participant to its attribute values."""
    everyone = list(cases.values())
    columns: list[list[Mapping[str, str]]] = []
    header = ["Characteristic"]
    if group_by:
        groups = sorted({case.get(group_by, NO_VALUE) for case in everyone},
                        key=lambda g: (g == NO_VALUE, natural_key(g)))
        for group in groups:
            members = [case for case in everyone if case.get(group_by, NO_VALUE) == group]
            columns.append(members)
            header.append(f"{group} (n={len(members)})")
    columns.append(everyone)
    header.append(f"Total (n={len(everyone)})")
    rows: list[Row] = [["Participants, n", *(len(c) for c in columns)]]
    for characteristic in characteristics:
        if characteristic.name == group_by:
            continue
        if characteristic.type is AttributeType.NUMBER:
            rows.extend(_number_rows(characteristic.name, columns))
        elif characteristic.type is AttributeType.DATE:
            rows.extend(_date_rows(characteristic.name, columns))
        else:
            rows.extend(_category_rows(characteristic.name, columns, characteristic.type))
    return header, rows
