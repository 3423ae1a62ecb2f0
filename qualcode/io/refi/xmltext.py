"""Strings as XML 1.0 can carry them, and element helpers shared by the writers."""

from __future__ import annotations

import re
from typing import Any

# Characters XML 1.0 cannot hold at all (not even escaped).
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def is_xml_safe(value: str) -> bool:
    """Whether XML can hold `value` as it is (one scan, so a long text is checked once)."""
    return _ILLEGAL.search(value) is None


def xml_safe(value: str) -> tuple[str, int]:
    """`value` with characters XML cannot hold replaced by U+FFFD, and how many there were."""
    cleaned, count = _ILLEGAL.subn("\ufffd", value)
    return cleaned, count


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
