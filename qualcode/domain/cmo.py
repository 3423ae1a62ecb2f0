"""Rules of realist context-mechanism-outcome configurations (CMOCs), free of storage.

A configuration follows a template: an ordered list of roles (C, M, O by default). Each
role has one or more statements. A role is required unless its token ends in '?' in a
user-defined list (e.g. "C,Mres,Mreas,O,A?"). A configuration reads as one sentence with
the role marker after each statement, in the order the researcher gives, as realist papers
write them: "Uncertainty about how a link worker can help (C) may make patients reluctant to
engage (O) because they are unsure of what to expect (M)."
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


# Words that join a statement to the one before it by themselves: no "and" is added before them.
CONNECTIVES = frozenset({
    "and", "as", "because", "but", "by", "for", "if", "leading", "making", "nor", "or", "since", "so", "that",
    "then", "thereby", "though", "although", "through", "to", "unless", "until", "when", "whereas", "which",
    "while", "who", "with", "without", "yet", "resulting", "meaning", "enabling", "allowing",
})
_TRAILING = re.compile(r"\s*([,;:.!?…]+)$")


def _join_first_letter(statement: str, first: bool) -> str:
    """Capitalise the sentence's first statement; lower-case the first letter of a later one
    unless it starts an acronym, a number or 'I'."""
    if first or not statement:
        return statement[:1].upper() + statement[1:] if statement else statement
    word = statement.split(" ", 1)[0]
    acronym = len(word) > 1 and word[1:2].isupper()
    if acronym or word in ("I", "I'm", "I've", "I'd") or any(c.isdigit() for c in word[:2]):
        return statement
    return statement[:1].lower() + statement[1:]


def clean_statement(statement: str) -> str:
    """One line, no trailing full stop or comma (for a statement shown on its own)."""
    text = " ".join(statement.split())
    while text.endswith((".", ";", ",")):
        text = text[:-1].rstrip()
    return text


def starts_with_connective(statement: str) -> bool:
    """True when the statement opens with a joining word ("and making them ...", "because ...")."""
    word = statement.split(" ", 1)[0].strip(",;:").lower() if statement.strip() else ""
    return word in CONNECTIVES


def marker_pattern(template: Template) -> re.Pattern[str]:
    """The role markers of a template as written in a sentence: "(C)", "(Mres)"."""
    tokens = sorted(template.tokens, key=len, reverse=True)
    return re.compile(r"\((" + "|".join(re.escape(t) for t in tokens) + r")\)")


def written_sentence_parts(template: Template, sentence: str) -> list[tuple[str, bool]]:
    """A sentence the authors wrote out with the markers in place, in pieces (text, is_marker)."""
    text = " ".join(sentence.split())
    parts: list[tuple[str, bool]] = []
    at = 0
    for match in marker_pattern(template).finditer(text):
        if match.start() > at:
            parts.append((text[at:match.start()], False))
        parts.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def check_written_sentence(template: Template, sentence: str) -> str:
    """The sentence on one line, refused if it carries no role marker of the template."""
    text = " ".join(sentence.split())
    if text and not marker_pattern(template).search(text):
        markers = ", ".join(f"({t})" for t in template.tokens)
        raise ValidationError(f"Write the role markers into the sentence where they belong ({markers}), "
                              f"e.g. 'When ... (C) patients ... (M) so they ... (O).'")
    return text


def sentence_parts(template: Template, statements: Sequence[tuple[str, str]], *,
                   written: str = "") -> list[tuple[str, bool]]:
    """The configuration as one sentence, in pieces: (text, is_marker). Joined, the pieces
    read e.g. "Uncertainty about ... (C) may make patients reluctant ... (O) because they ... (M)."

    `statements` are (role, statement) pairs in the order the sentence gives them (the
    researcher's order). Statements are joined by a plain space and carry their own
    punctuation: a statement's trailing comma or semicolon follows its marker ("... (C), ...").
    Two statements of one role in a row are joined by "and" unless the second opens with a
    joining word ("and", "because", "so" ...). `written`: the sentence as the authors wrote
    it, markers in place, used as it is.
    """
    if written.strip():
        return written_sentence_parts(template, written)
    known = {token.lower(): token for token in template.tokens}
    items = [(known.get(role.lower(), role), " ".join(text.split())) for role, text in statements if text.strip()]
    parts: list[tuple[str, bool]] = []
    for i, (token, text) in enumerate(items):
        trailing = ""
        found = _TRAILING.search(text)
        if found:
            text, trailing = text[:found.start()], found.group(1)
            if i < len(items) - 1 and trailing in (".", "…"):
                trailing = ""  # a full stop inside the sentence would end it
        joiner = ""
        if i:
            same_role = items[i - 1][0].lower() == token.lower()
            joiner = " and " if same_role and not starts_with_connective(text) and not parts[-1][0].strip() else " "
        parts.append((f"{joiner}{_join_first_letter(text, i == 0)} ", False))
        parts.append((f"({token})", True))
        parts.append((trailing, False))
    if parts and not parts[-1][0].endswith((".", "!", "?", "…")):
        parts[-1] = (parts[-1][0] + ".", False)
    return [(text, marker) for text, marker in parts if text]


def configuration_sentence(template: Template, statements: Sequence[tuple[str, str]], *, written: str = "") -> str:
    """The configuration as one sentence with the role marker after each statement."""
    return "".join(text for text, _ in sentence_parts(template, statements, written=written))
