"""Strings as XML 1.0 can carry them, and element helpers shared by the writers."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

# Characters XML 1.0 cannot hold at all (not even escaped).
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def is_xml_safe(value: str) -> bool:
    """Whether XML can hold `value` as it is (one scan, so a long text is checked once)."""
    return _ILLEGAL.search(value) is None


def xml_safe(value: str) -> tuple[str, int]:
    """`value` with characters XML cannot hold replaced by U+FFFD, and how many there were."""
    cleaned, count = _ILLEGAL.subn("\ufffd", value)
    return cleaned, count


# Whitespace in an attribute is written as character references: a parser turns literal tabs and
# line ends in attribute values into spaces, and a carriage return in content into a line feed.
_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_TEXT_ENTITIES = {"\r": "&#13;"}
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')


def markup_attribute(value: str) -> str:
    """`value` (XML-safe) escaped to sit between double quotes in markup, read back unchanged."""
    # most values need nothing: one scan finds out
    return escape(value, _ATTRIBUTE_ENTITIES) if _ATTRIBUTE_SPECIAL.search(value) else value


def markup_text(value: str) -> str:
    """`value` (XML-safe) escaped as element content in markup, read back unchanged."""
    return escape(value, _TEXT_ENTITIES)


# Attributes QualCode fills with GUIDs, numbers and times only: nothing to clean.
_PLAIN = frozenset({"guid", "targetGUID", "creatingUser", "modifyingUser", "creationDateTime", "modifiedDateTime",
                    "startPosition", "endPosition", "isCodable", "color", "plainTextPath", "originGUID",
                    "typeOfVariable", "direction"})


class ElementMaker:
    """Builds namespaced lxml elements, replacing characters XML cannot hold and counting them."""

    def __init__(self, namespace: str) -> None:
        from lxml import etree

        self._etree = etree
        self.ns = namespace
        self.replaced: list[str] = []  # where characters were replaced
        self._parser: Any = None

    def tag(self, name: str) -> str:
        """The qualified name of an element in this namespace."""
        return f"{{{self.ns}}}{name}"

    def clean(self, value: str, where: str) -> str:
        cleaned, count = xml_safe(value)
        if count:
            self.replaced.append(where)
        return cleaned

    def sub(self, parent: Any, tag: str, attrs: dict[str, str | None] | None = None, *, text: str | None = None,
            where: str = "") -> Any:
        element = self._etree.SubElement(parent, f"{{{self.ns}}}{tag}")
        for key, value in (attrs or {}).items():
            if value is not None:
                element.set(key, value if key in _PLAIN else self.clean(value, where or tag))
        if text is not None:
            element.text = self.clean(text, where or tag)
        return element

    def append_markup(self, parent: Any, markup: str) -> None:
        """Append the elements written in `markup` (in this namespace, which it does not declare) to `parent`.

        For long runs of small elements: lxml parses markup much faster than it builds the same
        elements one call at a time. The parser checks the markup is well formed; its values must
        be XML-safe and escaped (`markup_attribute`, `markup_text`).
        """
        if self._parser is None:
            self._parser = self._etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        fragment = self._etree.fromstring(f'<fragment xmlns="{self.ns}">{markup}</fragment>', self._parser)
        parent.extend(list(fragment))
