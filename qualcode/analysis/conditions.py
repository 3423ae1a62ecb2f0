"""Attribute conditions that restrict a query: `site = "Site 2"`, `age > 40`.

Numbers compare as numbers, dates as dates (YYYY-MM-DD); text and categories compare
without regard to case and only with = or !=.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from qualcode.domain.enums import AttributeType
from qualcode.domain.errors import ValidationError

_CONDITION = re.compile(r"^\s*(?P<name>.+?)\s*(?P<op>==|!=|<>|<=|>=|=|<|>)\s*(?P<value>.*?)\s*$", re.S)
_ORDERED = ("<", "<=", ">", ">=")


@dataclass(frozen=True)
class Condition:
    attribute: str
    operator: str  # =, !=, <, <=, >, >=
    value: str

    def __str__(self) -> str:
        """`age > 60`, `visit >= 2024-01-31`, `site = "Site 2"`: numbers and dates unquoted."""
        value = self.value if _is_number(self.value) or _is_date(self.value) else f'"{self.value}"'
        return f"{self.attribute} {self.operator} {value}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() != "" and text.strip().lower() not in ("nan", "inf", "-inf", "infinity")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _unquote(text: str) -> str:
    for quote_open, quote_close in (('"', '"'), ("'", "'"), ("“", "”")):
        if len(text) >= 2 and text.startswith(quote_open) and text.endswith(quote_close):
            return text[1:-1]
    return text


def parse_condition(text: str) -> Condition:
    """Read `name op value`; the value may be quoted."""
    match = _CONDITION.match(text)
    if match is None:
        raise ValidationError(
            f"'{text.strip()}' is not a condition: write an attribute, a comparison and a value, "
            "e.g. site = \"Site 2\" or age > 40."
        )
    name = _unquote(match["name"].strip())
    value = _unquote(match["value"].strip())
    if not name:
        raise ValidationError(f"'{text.strip()}' names no attribute before '{match['op']}'.")
    if not value:
        raise ValidationError(f"'{text.strip()}' gives no value after '{match['op']}'.")
    operator = {"==": "=", "<>": "!="}.get(match["op"], match["op"])
    return Condition(name, operator, value)


def _typed(value: str, attribute_type: AttributeType, condition: Condition, *, stored: bool) -> float | date | str:
    try:
        if attribute_type is AttributeType.NUMBER:
            return float(value.replace(",", ""))
        if attribute_type is AttributeType.DATE:
            return date.fromisoformat(value)
    except ValueError:
        if stored:
            raise
        kind = "a number" if attribute_type is AttributeType.NUMBER else "a date (YYYY-MM-DD)"
        raise ValidationError(f"'{condition.attribute}' takes {kind}; '{condition.value}' is not one.") from None
    return value.casefold()


def check_condition(condition: Condition, attribute_type: AttributeType) -> None:
    """Refuse a comparison the attribute's type cannot make (`site > 3`, `age = old`)."""
    if condition.operator in _ORDERED and attribute_type in (AttributeType.TEXT, AttributeType.CATEGORY):
        raise ValidationError(
            f"'{condition.attribute}' holds text: compare it with = or !=, not {condition.operator}."
        )
    _typed(condition.value, attribute_type, condition, stored=False)


def satisfies(condition: Condition, attribute_type: AttributeType, stored: str | None) -> bool:
    """Whether a stored value meets the condition; a missing value meets only `!=`."""
    if stored is None:
        return condition.operator == "!="
    wanted = _typed(condition.value, attribute_type, condition, stored=False)
    try:
        actual = _typed(stored, attribute_type, condition, stored=True)
    except ValueError:
        return False
    if condition.operator == "=":
        return actual == wanted
    if condition.operator == "!=":
        return actual != wanted
    if condition.operator == "<":
        return actual < wanted  # type: ignore[operator]
    if condition.operator == "<=":
        return actual <= wanted  # type: ignore[operator]
    if condition.operator == ">":
        return actual > wanted  # type: ignore[operator]
    return actual >= wanted  # type: ignore[operator]
