"""What the REFI-QDA readers share: namespace-blind element access, GUIDs, deviations.

Files in the wild use the 1.0 namespaces, older ones (`project:0:10`, `codebook:1:0`) or
none, so elements are matched on their local names. GUIDs are compared without regard to
case or braces; ids that are not GUIDs are replaced by stable derived ones; a GUID used
twice for the same kind of thing keeps its first owner and the others get new uids.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from qualcode.domain.ids import normalise_uid
from qualcode.io.refi import conventions as cv
from qualcode.io.refi.model import Deviation


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(element: Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def kids(element: Element | None, name: str) -> Iterator[Element]:
    """Children with this local name, whatever their namespace."""
    if element is None:
        return
    tag = element.tag
    wanted = tag[: tag.index("}") + 1] + name if isinstance(tag, str) and tag.startswith("{") else name
    suffix = "}" + name
    for child in element:
        child_tag = child.tag
        if child_tag in (wanted, name) or (isinstance(child_tag, str) and child_tag.endswith(suffix)):
            yield child


def kid(element: Element | None, name: str) -> Element | None:
    return next(kids(element, name), None)


def text_of(element: Element | None, name: str) -> str | None:
    """The text of the first child `name`, '' when empty, None when absent."""
    child = kid(element, name)
    return None if child is None else (child.text or "")


def grandkids(element: Element | None, wrapper: str, name: str) -> Iterator[Element]:
    yield from kids(kid(element, wrapper), name)


class Guids:
    """Canonical uids for the GUIDs of one file, per kind of element."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._owners: dict[str, dict[str, str]] = defaultdict(dict)  # kind -> canonical -> uid of first owner
        self._non_guid: set[str] = set()
        self._braces = 0
        self._lower = 0
        self._upper = 0
        self._cache: dict[str, str] = {}

    def canonical(self, raw: str | None) -> str | None:
        """The uid a GUID reference names (any case, braces or not); derived for non-GUID ids."""
        if raw is None:
            return None
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        value = raw.strip()
        if not value:
            return None
        canonical = normalise_uid(value)
        if canonical is None:
            self._non_guid.add(value.lower())
            canonical = cv.derived_guid("foreign-id", value.lower())
        else:
            if value.startswith("{"):
                self._braces += 1
            if value.islower():
                self._lower += 1
            elif value.isupper():
                self._upper += 1
        self._cache[raw] = canonical
        return canonical

    def define(self, kind: str, raw: str | None, where: str) -> str:
        """The uid for a newly defined element; a fresh one when its GUID is missing or taken."""
        canonical = self.canonical(raw)
        owners = self._owners[kind]
        if canonical is None:
            self.report.add("missing-guid", "has no guid; given a new one", where)
            return str(uuid.uuid4())
        if canonical in owners:
            self.report.add("duplicate-guid", f"uses the guid {raw} already used by another {kind}; given a new one",
                            where)
            return str(uuid.uuid4())
        owners[canonical] = canonical
        return canonical

    def known(self, kind: str, raw: str | None) -> str | None:
        canonical = self.canonical(raw)
        return canonical if canonical is not None and canonical in self._owners[kind] else None

    def summarise(self) -> None:
        if self._non_guid:
            examples = ", ".join(sorted(self._non_guid)[:3])
            self.report.add("non-guid-id", f"{len(self._non_guid)} id(s) are not GUIDs (e.g. {examples}); "
                                           "QualCode gave them stable GUIDs of its own")
        if self._braces:
            self.report.add("guid-braces", f"{self._braces} GUID(s) are written in braces; read without them")
        if self._lower and self._upper:
            self.report.add("guid-case", "GUIDs are written in both upper and lower case; compared without regard "
                                         "to case")


class Report:
    """The deviations found while reading one file, in the order they were found."""

    def __init__(self) -> None:
        self.deviations: list[Deviation] = []

    def add(self, kind: str, message: str, where: str = "") -> None:
        self.deviations.append(Deviation(kind, message, where))
