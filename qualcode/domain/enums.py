"""Closed vocabularies of the data model, stored as their string values."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class DocumentKind(StrEnum):
    INTERVIEW = "interview"
    FOLLOW_UP = "follow_up"
    OBSERVATION = "observation"
    FIELD_NOTE = "field_note"
    LITERATURE = "literature"


class AttributeType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CATEGORY = "category"


class AttributeScope(StrEnum):
    CASE = "case"
    DOCUMENT = "document"


class Origin(StrEnum):
    DEDUCTIVE = "deductive"
    INDUCTIVE = "inductive"


class CmoStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    REFINED = "refined"
    NEW = "new"


class CmoOrigin(StrEnum):
    PRIOR_THEORY = "prior_theory"
    DATA = "data"


class Stance(StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"


class MemoTarget(StrEnum):
    PROJECT = "project"
    DOCUMENT = "document"
    CASE = "case"
    NODE = "node"
    CODING = "coding"
    CONFIGURATION = "configuration"


def parse_enum(enum: type[E], value: str, what: str) -> E:
    """Parse a user-supplied value, naming the allowed choices when it is wrong."""
    from qualcode.domain.errors import ValidationError

    try:
        return enum(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise ValidationError(f"Unknown {what} '{value}': use one of {choices}.") from None
