"""Merge planning for the codebook and thematic network: nodes by uid, then by level and path.

Nodes are visited parents first. A node not known by uid matches a base node with the same
level and name (case- and whitespace-insensitive) under the node its parent matched, which is
matching by path of names. A node renamed, moved or re-levelled differently in the two
projects keeps the base's version and is listed as a conflict.
"""

from __future__ import annotations

from dataclasses import replace

from qualcode.domain.levels import Level
from qualcode.services.teamwork.merge_planner import Planner, unique_name
from qualcode.services.teamwork.merge_report import ConflictKind
from qualcode.services.teamwork.merge_snapshot import NodeRow, norm

_TEXT_FIELDS = ("definition", "inclusion", "exclusion", "memo")


def _where(p: Planner, parent_uid: str | None) -> str:
    return "the top level" if parent_uid is None else f"'{p.base.nodes[parent_uid].name}'"


def _label(level: int) -> str:
    return Level(level).label.lower()


def plan_nodes(p: Planner) -> None:
    claimed = {uid for uid in p.other.nodes if uid in p.base.nodes}
    by_path = {(n.parent_uid, n.level, norm(n.name)): n.uid for n in p.base.nodes.values() if n.uid not in claimed}
    for node in p.other.nodes_in_tree_order():
        parent = p.nodes.get(node.parent_uid) if node.parent_uid else None
        if node.uid in p.base.nodes:
            mine = p.base.nodes[node.uid]
            _compare(p, mine, node, parent)
        elif (parent, node.level, norm(node.name)) in by_path:
            mine = p.base.nodes[by_path.pop((parent, node.level, norm(node.name)))]
            p.count("nodes", "matched")
            p.fill("node", mine, node, _TEXT_FIELDS, "node", mine.name)
        else:
            mine = _add(p, node, parent)
        p.nodes[node.uid] = mine.uid


def _compare(p: Planner, mine: NodeRow, node: NodeRow, parent: str | None) -> None:
    p.count("nodes", "matched")
    if norm(mine.name) != norm(node.name):
        p.conflict(ConflictKind.RENAMED, "node", mine.name,
                   f"Named '{node.name}' in {p.other.name}; kept '{mine.name}'.")
    if mine.level != node.level:
        p.conflict(ConflictKind.LEVEL, "node", mine.name,
                   f"A {_label(node.level)} in {p.other.name}; kept it a {_label(mine.level)}.")
    if parent != mine.parent_uid:
        p.conflict(ConflictKind.MOVED, "node", mine.name,
                   f"Placed under {_where(p, parent)} in {p.other.name}; kept it under {_where(p, mine.parent_uid)}.")
    p.fill("node", mine, node, _TEXT_FIELDS, "node", mine.name)


def _add(p: Planner, node: NodeRow, parent: str | None) -> NodeRow:
    if parent is not None and p.base.nodes[parent].level <= node.level:
        p.conflict(ConflictKind.LEVEL_RULE, "node", node.name,
                   f"Its parent {_where(p, parent)} is a {_label(p.base.nodes[parent].level)} here, not above a "
                   f"{_label(node.level)}; added it at the top level instead.")
        parent = None
    siblings = [n for n in p.base.nodes.values() if n.parent_uid == parent]
    name = unique_name(node.name, {norm(n.name) for n in siblings})
    if name != node.name:
        p.conflict(ConflictKind.NAME_TAKEN, "node", node.name,
                   f"A different {_label(next(n.level for n in siblings if norm(n.name) == norm(node.name)))} "
                   f"with this name is already under {_where(p, parent)}; added the incoming "
                   f"{_label(node.level)} as '{name}'.")
    position = max((n.position for n in siblings), default=-1) + 1
    row = replace(node, name=name, parent_uid=parent, position=position)
    p.base.nodes[row.uid] = row
    p.add("nodes", row)
    p.count("nodes", "added")
    return row
