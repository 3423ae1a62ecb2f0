"""Rules of realist context-mechanism-outcome configurations (CMOCs), free of storage.

A configuration follows a template: an ordered list of roles (C, M, O by default). Each
role has one or more statements. A role is required unless its token ends in '?' in a
user-defined list (e.g. "C,Mres,Mreas,O,A?"). A configuration reads as one sentence with
the role marker after each statement, as realist papers write them:
"When ... (C), patients ... (M), so they ... (O)."
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.domain.errors import ValidationError

ROLE_NAMES = {
    "C": "context",
    "M": "mechanism",
    "O": "outcome",
    "I": "intervention",
    "A": "actor",
    "S": "strategy",
    "MRES": "mechanism – resource",
    "MREAS": "mechanism – reasoning",
}

# Known templates and their roles in causal order.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "CMO": ("C", "M", "O"),
    "ICAMO": ("I", "C", "A", "M", "O"),
    "SCMO": ("S", "C", "M", "O"),
    "CIMO": ("C", "I", "M", "O"),
}

MAX_ROLE_LENGTH = 20
_ROLE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Role:
    token: str  # as written in statements' markers: "C", "Mres"
    required: bool = True

    @property
    def name(self) -> str:
        """A readable name: 'context' for C, the token itself for a user-defined role."""
        return ROLE_NAMES.get(self.token.upper(), self.token)


@dataclass(frozen=True)
class Template:
    name: str
    roles: tuple[Role, ...]

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(role.token for role in self.roles)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(role.token for role in self.roles if role.required)

    def encode_roles(self) -> str:
        """The stored form of the role list: 'C,M,O' or 'C,Mres,Mreas,O,A?'."""
        return ",".join(role.token + ("" if role.required else "?") for role in self.roles)

    def role(self, token: str) -> Role:
        """The role with this token (case-insensitive), or a ValidationError naming the roles."""
        for role in self.roles:
            if role.token.lower() == token.strip().lower():
                return role
        raise ValidationError(
            f"'{token}' is not a role of the {self.name} template: use one of {', '.join(self.tokens)}."
        )


def parse_roles(roles: str | Sequence[str]) -> tuple[Role, ...]:
    """Parse a role list ('C,M,O' or ['C', 'Mres', 'O?']); refuse empty, repeated or odd roles."""
    items = roles.split(",") if isinstance(roles, str) else list(roles)
    parsed: list[Role] = []
    seen: set[str] = set()
    for item in items:
        raw = item.strip()
        optional = raw.endswith("?")
        token = raw.rstrip("?").strip()
        if not token:
            continue
        if not _ROLE_RE.match(token) or len(token) > MAX_ROLE_LENGTH:
            raise ValidationError(
                f"'{token}' cannot be a role: use a short name of letters and digits "
                f"(at most {MAX_ROLE_LENGTH} characters), e.g. C, M, O or Mres."
            )
        if token.lower() in seen:
            raise ValidationError(f"The role '{token}' appears twice in the template.")
        seen.add(token.lower())
        parsed.append(Role(token, required=not optional))
    if len(parsed) < 2:
        raise ValidationError("A template needs at least two roles, e.g. C,M,O.")
    if not any(role.required for role in parsed):
        raise ValidationError("A template needs at least one required role.")
    return tuple(parsed)


def make_template(name: str = "CMO", roles: str | Sequence[str] | None = None) -> Template:
    """A known template by name (CMO, ICAMO, SCMO, CIMO), or a user-defined one from `roles`."""
    label = " ".join(name.split()) or "CMO"
    known = TEMPLATES.get(label.upper())
    if roles is None or (isinstance(roles, str) and not roles.strip()):
        if known is None:
            choices = ", ".join(TEMPLATES)
            raise ValidationError(
                f"Unknown template '{label}': use {choices}, or give its roles (e.g. 'C,Mres,Mreas,O')."
            )
        return Template(label.upper(), tuple(Role(token) for token in known))
    parsed = parse_roles(roles)
    if known is not None and tuple(r.token.upper() for r in parsed) != known:
        raise ValidationError(
            f"The {label.upper()} template has the roles {','.join(known)}; "
            "give a new name for a different role list."
        )
    if len(label) > 100:
        raise ValidationError("The template name is too long (at most 100 characters).")
    return Template(label.upper() if known else label, parsed)


def stored_template(name: str, roles: str) -> Template:
    """The template of a stored configuration (its name and role list as saved)."""
    return Template(name, parse_roles(roles))


def missing_roles(template: Template, statements: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """Required roles of the template that have no non-empty statement."""
    filled = {role.lower() for role, statement in statements if statement.strip()}
    return tuple(token for token in template.required if token.lower() not in filled)


def _join_first_letter(statement: str, first: bool) -> str:
    """Lower-case the first letter of a later clause unless it starts an acronym or 'I'."""
    if first or not statement:
        return statement[:1].upper() + statement[1:] if statement else statement
    word = statement.split(" ", 1)[0]
    acronym = len(word) > 1 and word[1:2].isupper()
    if acronym or word in ("I", "I'm", "I've", "I'd") or any(c.isdigit() for c in word[:2]):
        return statement
    return statement[:1].lower() + statement[1:]


def clean_statement(statement: str) -> str:
    """One line, no trailing full stop (the sentence adds its own punctuation)."""
    text = " ".join(statement.split())
    while text.endswith((".", ";", ",")):
        text = text[:-1].rstrip()
    return text


def sentence_parts(template: Template, statements: Sequence[tuple[str, str]]) -> list[tuple[str, bool]]:
    """The configuration as one sentence, in pieces: (text, is_marker). Joined, the pieces
    read e.g. "When ... (C), patients ... (M), so they ... (O) and ... (O)."

    `statements` are (role, statement) pairs; they are ordered by the template's roles,
    keeping their given order within a role. Statements of one role are joined by 'and'.
    """
    order = {token.lower(): i for i, token in enumerate(template.tokens)}
    ranked = sorted(
        (order.get(role.lower(), len(order)), i, role, clean_statement(text))
        for i, (role, text) in enumerate(statements) if text.strip()
    )
    parts: list[tuple[str, bool]] = []
    previous: int | None = None
    for rank, _i, role, text in ranked:
        token = template.role(role).token if role.lower() in order else role
        joiner = "" if previous is None else (" and " if rank == previous else ", ")
        parts.append((f"{joiner}{_join_first_letter(text, previous is None)} ", False))
        parts.append((f"({token})", True))
        previous = rank
    if parts:
        parts.append((".", False))
    return parts


def configuration_sentence(template: Template, statements: Sequence[tuple[str, str]]) -> str:
    """The configuration as one sentence with the role marker after each statement."""
    return "".join(text for text, _ in sentence_parts(template, statements))
