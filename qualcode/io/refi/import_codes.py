"""Codes of a project's CodeBook or of a .qdc, as QualCode nodes with theme levels.

Levels come from QualCode's description convention when a whole code tree carries it
consistently; otherwise they are inferred from nesting: a code with nothing below it is a
code, its parent a basic theme, then organising, then global. QualCode has four levels,
so a code nested deeper than that moves up to the top level (reported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from qualcode.io.refi import conventions as cv
from qualcode.io.refi.model import NodeData
from qualcode.io.refi.reading import Guids, Report, kids, text_of

_COLOR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
UNNAMED = "Unnamed code"


@dataclass
class _Code:
    uid: str
    name: str
    parent: str | None
    declared: int | None
    origin: str
    definition: str
    inclusion: str
    exclusion: str
    color: str
    children: list[str] = field(default_factory=list)
    level: int = 1


@dataclass
class CodeTree:
    nodes: list[NodeData]
    note_refs: dict[str, list[str]]  # node uid -> canonical guids of notes it references
    inferred: int = 0  # nodes whose level was inferred from nesting


def read_codes(codes: Element | None, guids: Guids, report: Report) -> CodeTree:
    found: dict[str, _Code] = {}
    roots: list[str] = []
    note_refs: dict[str, list[str]] = {}

    def visit(element: Element, parent: str | None) -> None:
        raw_name = " ".join((element.get("name") or "").split())
        where = f"code '{raw_name}'" if raw_name else f"code {element.get('guid') or ''}".strip()
        uid = guids.define("code", element.get("guid"), where)
        name = raw_name
        if not name:
            name = UNNAMED
            report.add("code-without-name", f"has no name; called '{UNNAMED}'", where)
        color = (element.get("color") or "").strip()
        if color and not _COLOR.fullmatch(color):
            report.add("colour", f"'{color}' is not a colour; the level's colour is used", where)
            color = ""
        description = cv.parse_code_description(text_of(element, "Description") or "")
        found[uid] = _Code(uid, name, parent, description.level, description.origin or "inductive",
                           description.definition, description.inclusion, description.exclusion, color.lower())
        refs = [g for g in (guids.canonical(r.get("targetGUID")) for r in kids(element, "NoteRef")) if g]
        if refs:
            note_refs[uid] = refs
        if parent is None:
            roots.append(uid)
        else:
            found[parent].children.append(uid)
        for child in kids(element, "Code"):
            visit(child, uid)

    for code in kids(codes, "Code"):
        visit(code, None)
    inferred = _assign_levels(found, roots, report)
    _lift_too_deep(found, roots, report)
    _unique_sibling_names(found, roots, report)
    nodes: list[NodeData] = []

    def emit(uid: str) -> None:
        code = found[uid]
        nodes.append(NodeData(uid=uid, name=code.name, level=code.level, parent_uid=code.parent,
                              definition=code.definition, inclusion=code.inclusion, exclusion=code.exclusion,
                              color=code.color, origin=code.origin))
        for child in code.children:
            emit(child)

    for root in roots:
        emit(root)
    return CodeTree(nodes, note_refs, inferred)


def _height(found: dict[str, _Code], uid: str) -> int:
    children = found[uid].children
    return 0 if not children else 1 + max(_height(found, child) for child in children)


def _subtree(found: dict[str, _Code], uid: str) -> list[str]:
    out = [uid]
    for child in found[uid].children:
        out += _subtree(found, child)
    return out


def _levels_by_shape(found: dict[str, _Code], uid: str, depth: int) -> None:
    """Leaves are codes, their parents basic themes...; in trees deeper than four levels the top
    keeps the theme levels and everything below the basic themes becomes a code."""
    found[uid].level = max(1, min(_height(found, uid) + 1, 4 - depth))
    for child in found[uid].children:
        _levels_by_shape(found, child, depth + 1)


def _assign_levels(found: dict[str, _Code], roots: list[str], report: Report) -> int:
    """Declared levels where a tree is consistent, levels by height elsewhere. Returns inferred count."""
    inferred = 0
    for root in roots:
        members = _subtree(found, root)
        declared = [found[uid].declared for uid in members]
        consistent = all(level is not None for level in declared) and all(
            found[uid].parent is None or (found[found[uid].parent].declared or 0) > (found[uid].declared or 0)  # type: ignore[index]
            for uid in members)
        if consistent:
            for uid in members:
                found[uid].level = found[uid].declared or 1
            continue
        if any(level is not None for level in declared):
            report.add("levels-inconsistent", "theme levels written in the descriptions do not follow the rule "
                                              "that a parent is a higher level; levels inferred from nesting instead",
                       f"code '{found[root].name}'")
        _levels_by_shape(found, root, 0)
        inferred += len(members)
    if inferred:
        report.add("levels-inferred", f"{inferred} code(s) carry no QualCode theme level; levels were inferred from "
                                      "nesting (leaves are codes, their parents basic themes, and so on); "
                                      "re-level them in one step per level if your themes sit differently")
    return inferred


def _lift_too_deep(found: dict[str, _Code], roots: list[str], report: Report) -> None:
    """Move every code whose parent is also a code (beyond four levels) up to the nearest theme."""
    for uid in [u for root in list(roots) for u in _subtree(found, root)]:
        code = found[uid]
        if code.parent is None or found[code.parent].level > code.level:
            continue
        found[code.parent].children.remove(uid)
        ancestor = found[code.parent].parent
        while ancestor is not None and found[ancestor].level <= code.level:
            ancestor = found[ancestor].parent
        code.parent = ancestor
        if ancestor is None:
            roots.append(uid)
        else:
            found[ancestor].children.append(uid)
        report.add("too-deep", "is nested deeper than QualCode's four theme levels; moved up to "
                               + (f"'{found[ancestor].name}'" if ancestor else "the top level"), f"code '{code.name}'")


def _unique_sibling_names(found: dict[str, _Code], roots: list[str], report: Report) -> None:
    def fix(siblings: list[str]) -> None:
        seen: set[str] = set()
        for uid in siblings:
            code = found[uid]
            name, number = code.name, 2
            while name.lower() in seen:
                name = f"{code.name} ({number})"
                number += 1
            if name != code.name:
                report.add("duplicate-code-name", f"shares its name with a sibling; renamed '{name}'",
                           f"code '{code.name}'")
                code.name = name
            seen.add(name.lower())
            fix(code.children)

    fix(roots)
