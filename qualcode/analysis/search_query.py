"""The text-search language and its translation to an SQLite FTS5 expression.

A search is words, "quoted phrases" and prefixes (`listen*`), combined with AND (also
implied between neighbouring terms), OR, NOT and brackets; NOT binds tightest, then AND,
then OR, as in FTS5. Every term is handed to FTS5 as a quoted string, so punctuation in a
word (`well-being`, `don't`) is never read as syntax. Mistakes get one clear message.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qualcode.domain.errors import ValidationError

# Opening quotation marks and the marks that may close them (typographic quotes pasted from a word processor).
_CLOSERS = {'"': '"', "“": '”"', "„": '“”"', "”": '”"'}
_OPERATORS = ("AND", "OR", "NOT")
_WORD = re.compile(r"[^\W_]+")
MAX_FORMS = 64


@dataclass(frozen=True)
class Term:
    """Words that must appear next to each other; with `prefix`, the last word may go on."""

    text: str
    prefix: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word.lower() for word in _WORD.findall(self.text))


@dataclass(frozen=True)
class Either:
    """Alternative terms (lemma forms of one term)."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Binary:
    operator: str  # AND, OR, NOT
    left: Expression
    right: Expression


Expression = Term | Either | Binary


@dataclass(frozen=True)
class _Token:
    kind: str  # term, phrase, op, open, close
    value: str
    position: int
    prefix: bool = False


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in _CLOSERS:
            close = next((j for j in range(i + 1, n) if query[j] in _CLOSERS[char]), -1)
            if close < 0:
                fragment = query[i + 1 : i + 21].strip()
                raise ValidationError(
                    f'The quotation mark before "{fragment}" is never closed: add a closing quotation mark.'
                )
            prefix = close + 1 < n and query[close + 1] == "*"
            tokens.append(_Token("phrase", query[i + 1 : close], i, prefix))
            i = close + (2 if prefix else 1)
        elif char in "()":
            tokens.append(_Token("open" if char == "(" else "close", char, i))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _CLOSERS and query[j] not in "()":
                j += 1
            word = query[i:j]
            if word in _OPERATORS:
                tokens.append(_Token("op", word, i))
            else:
                prefix = word.endswith("*")
                tokens.append(_Token("term", word.rstrip("*"), i, prefix))
            i = j
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Expression:
        expression = self.or_expression()
        token = self.peek()
        if token is not None:
            if token.kind == "close":
                raise ValidationError("A closing bracket ')' has no opening bracket '(' before it.")
            raise ValidationError(f"Unexpected '{token.value}' in the search.")  # pragma: no cover
        return expression

    def or_expression(self) -> Expression:
        left = self.and_expression()
        while (token := self.peek()) is not None and token.kind == "op" and token.value == "OR":
            self.take()
            left = Binary("OR", left, self.operand_after("OR", self.and_expression))
        return left

    def and_expression(self) -> Expression:
        left = self.not_expression()
        while (token := self.peek()) is not None and (
            token.kind in ("term", "phrase", "open") or (token.kind == "op" and token.value == "AND")
        ):
            operator = "AND"
            if token.kind == "op":
                self.take()
                following = self.peek()
                if following is not None and following.kind == "op" and following.value == "NOT":
                    self.take()  # "AND NOT" reads as NOT
                    operator = "NOT"
            left = Binary(operator, left, self.operand_after(operator, self.not_expression))
        return left

    def not_expression(self) -> Expression:
        left = self.primary()
        while (token := self.peek()) is not None and token.kind == "op" and token.value == "NOT":
            self.take()
            left = Binary("NOT", left, self.operand_after("NOT", self.primary))
        return left

    def operand_after(self, operator: str, parse: Callable[[], Expression]) -> Expression:
        token = self.peek()
        if token is None or token.kind == "close":
            raise ValidationError(f"'{operator}' needs a word or phrase after it.")
        if token.kind == "op" and token.value != "NOT":
            raise ValidationError(f"'{token.value}' cannot follow '{operator}': put a word or phrase between them.")
        return parse()

    def primary(self) -> Expression:
        token = self.peek()
        if token is None:
            raise ValidationError("Type a word or phrase to search for.")
        if token.kind == "op":
            if token.value == "NOT":
                raise ValidationError(
                    "NOT needs a word before it: 'care NOT home' finds 'care' where 'home' does not occur."
                )
            raise ValidationError(f"'{token.value}' needs a word or phrase before it.")
        if token.kind == "close":
            raise ValidationError("A closing bracket ')' has no opening bracket '(' before it.")
        self.take()
        if token.kind == "open":
            if (inner := self.peek()) is not None and inner.kind == "close":
                raise ValidationError("Empty brackets '()': put words inside them.")
            expression = self.or_expression()
            closing = self.peek()
            if closing is None or closing.kind != "close":
                raise ValidationError("An opening bracket '(' is never closed: add a ')'.")
            self.take()
            return expression
        term = Term(" ".join(token.value.split()), token.prefix)
        if not term.words:
            shown = token.value.strip() + ("*" if token.prefix else "")
            raise ValidationError(f"'{shown}' contains no words to search for.")
        return term


def parse_search(query: str) -> Expression:
    """Parse what the user typed, or raise a ValidationError that says what is wrong."""
    if not query.strip():
        raise ValidationError("Type a word or phrase to search for.")
    return _Parser(_lex(query)).parse()


def expand_forms(expression: Expression, forms_of: Callable[[str], Sequence[str]]) -> Expression:
    """Replace each term by the alternatives made of every form of its words (lemma search).

    Prefix terms stay as they are: the prefix already stands for many words.
    """
    if isinstance(expression, Binary):
        return Binary(expression.operator, expand_forms(expression.left, forms_of),
                      expand_forms(expression.right, forms_of))
    if isinstance(expression, Either) or expression.prefix:
        return expression
    choices = [list(dict.fromkeys([word, *forms_of(word)])) for word in expression.words]
    total = 1
    for options in choices:
        total *= len(options)
    if total > MAX_FORMS:
        raise ValidationError(
            f"'{expression.text}' has too many word forms to search for together ({total}): "
            "search a shorter phrase or turn off matching word forms."
        )
    terms = tuple(Term(" ".join(words)) for words in itertools.product(*choices))
    return terms[0] if len(terms) == 1 else Either(terms)


def _quoted(term: Term) -> str:
    return '"' + term.text.replace('"', '""') + '"' + (" *" if term.prefix else "")


def to_fts(expression: Expression) -> str:
    """The FTS5 MATCH expression for a parsed search."""
    if isinstance(expression, Term):
        return _quoted(expression)
    if isinstance(expression, Either):
        return "(" + " OR ".join(_quoted(term) for term in expression.terms) + ")"
    return f"({to_fts(expression.left)} {expression.operator} {to_fts(expression.right)})"


def describe(expression: Expression) -> str:
    """A readable form of the search, e.g. `"care home" AND listen*`."""
    text = _describe(expression)
    return text[1:-1] if isinstance(expression, Binary) and expression.operator == "OR" else text


def _describe(expression: Expression) -> str:
    if isinstance(expression, Term):
        shown = f'"{expression.text}"' if len(expression.words) > 1 else expression.text
        return shown + ("*" if expression.prefix else "")
    if isinstance(expression, Either):
        return "(" + " | ".join(_describe(term) for term in expression.terms) + ")"
    text = f"{_describe(expression.left)} {expression.operator} {_describe(expression.right)}"
    return f"({text})" if expression.operator == "OR" else text
