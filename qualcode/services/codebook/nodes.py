"""Nodes of the thematic network: codes, basic, organising and global themes.

The level rule (a parent is strictly higher) is checked on every create, move, level
change and merge. Moving a node never touches its codings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import Origin, parse_enum
from qualcode.domain.errors import LevelRuleError, ValidationError
from qualcode.domain.levels import Level, check_parent
from qualcode.services._common import check_color, clean_name, require
from qualcode.services.coding_removal import delete_coding_rows
from qualcode.services.commands import Change, Command, Recorder, version_of
from qualcode.store.models import Coding, Memo, Node, NodeLink, cmo_configuration_node

LEVEL_COLORS = {
    Level.GLOBAL: "#8c2d04",
    Level.ORGANISING: "#d94801",
    Level.BASIC: "#2b8cbe",
    Level.CODE: "#4e79a7",
}


@dataclass(frozen=True)
class NodeInfo:
    id: int
    uid: str
    name: str
    level: Level
    parent_id: int | None
    position: int
    definition: str
    inclusion: str
    exclusion: str
    color: str
    origin: str
    memo: str
    version: str = ""  # the row version read: pass it back to edit or move without overwriting others


def node_version(node: Node) -> str:
    return version_of(node)


def _info(node: Node) -> NodeInfo:
    return NodeInfo(
        node.id,
        node.uid,
        node.name,
        Level(node.level),
        node.parent_id,
        node.position,
        node.definition,
        node.inclusion,
        node.exclusion,
        node.color,
        node.origin,
        node.memo,
        node_version(node),
    )


def _check_sibling_name(session: Session, name: str, parent_id: int | None, exclude_id: int | None = None) -> None:
    query = select(Node.name).where(
        func.lower(Node.name) == name.lower(),
        Node.parent_id.is_(parent_id) if parent_id is None else Node.parent_id == parent_id,
    )
    if exclude_id is not None:
        query = query.where(Node.id != exclude_id)
    existing = session.scalar(query)
    if existing is not None:
        parent = session.get(Node, parent_id) if parent_id is not None else None
        where = f"under '{parent.name}'" if parent is not None else "at the top level"
        raise ValidationError(f"There is already a node named '{existing}' {where}.")


def _next_position(session: Session, parent_id: int | None) -> int:
    where = Node.parent_id.is_(None) if parent_id is None else Node.parent_id == parent_id
    return int(session.scalar(select(func.coalesce(func.max(Node.position) + 1, 0)).where(where)) or 0)


def create_node(
    session: Session,
    *,
    name: str,
    level: str | int | Level = Level.CODE,
    parent_id: int | None = None,
    definition: str = "",
    inclusion: str = "",
    exclusion: str = "",
    color: str | None = None,
    origin: str = Origin.INDUCTIVE,
    coder_id: int | None = None,
) -> Change:
    """Create a code or theme at a level, optionally under a parent. Result: the new id."""
    name = clean_name(name, "node")
    lvl = Level.parse(level)
    origin_value = parse_enum(Origin, origin, "origin").value
    colour = check_color(color) if color else LEVEL_COLORS[lvl]
    if parent_id is not None:
        parent = require(session, Node, parent_id, "node")
        check_parent(name, lvl, parent.name, Level(parent.level))
    _check_sibling_name(session, name, parent_id)
    position = _next_position(session, parent_id)

    def run(rec: Recorder) -> int:
        return int(
            rec.insert(
                Node,
                name=name,
                level=int(lvl),
                parent_id=parent_id,
                position=position,
                definition=definition,
                inclusion=inclusion,
                exclusion=exclusion,
                color=colour,
                origin=origin_value,
            )
        )

    return Command(
        f"Create {lvl.label.lower()} '{name}'",
        run,
        action="create node",
        details={"name": name, "level": lvl.name.lower(), "parent_id": parent_id},
        coder_id=coder_id,
    ).apply(session)


def update_node(
    session: Session,
    *,
    node_id: int,
    name: str | None = None,
    definition: str | None = None,
    inclusion: str | None = None,
    exclusion: str | None = None,
    color: str | None = None,
    origin: str | None = None,
    memo: str | None = None,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Rename a node or change its definition, criteria, colour, origin or memo.

    With `expected_version` (from NodeInfo.version), refused with a ConflictError when
    someone else changed the node since it was read.
    """
    node = require(session, Node, node_id, "node")
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = clean_name(name, "node")
        _check_sibling_name(session, str(values["name"]), node.parent_id, exclude_id=node_id)
    for key, value in (("definition", definition), ("inclusion", inclusion), ("exclusion", exclusion), ("memo", memo)):
        if value is not None:
            values[key] = value
    if color is not None:
        values["color"] = check_color(color)
    if origin is not None:
        values["origin"] = parse_enum(Origin, origin, "origin").value
    title = f"Rename '{node.name}' to '{values['name']}'" if "name" in values else f"Edit '{node.name}'"
    def run(rec: Recorder) -> None:
        rec.update(Node, node_id, expected_version=expected_version, **values)

    return Command(
        title,
        run,
        action="edit node",
        details={"node": node.uid, "before": node.name, **values},
        coder_id=coder_id,
    ).apply(session)


def descendant_ids(session: Session, node_id: int) -> list[int]:
    """Ids of the node and all nodes below it (recursive)."""
    tree = select(Node.id).where(Node.id == node_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Node.id).where(Node.parent_id == tree.c.id))
    return list(session.scalars(select(tree.c.id)))


def _renumber(rec: Recorder, session: Session, parent_id: int | None, order: list[int]) -> None:
    for position, node_id in enumerate(order):
        if session.scalar(select(Node.position).where(Node.id == node_id)) != position:
            rec.update(Node, node_id, position=position)


def _siblings(session: Session, parent_id: int | None, exclude: int | None = None) -> list[int]:
    where = Node.parent_id.is_(None) if parent_id is None else Node.parent_id == parent_id
    ids = list(session.scalars(select(Node.id).where(where).order_by(Node.position, Node.id)))
    return [i for i in ids if i != exclude]


def move_node(
    session: Session,
    *,
    node_id: int,
    parent_id: int | None,
    position: int | None = None,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Move a node under another (or to the top level), at `position` among its siblings.

    With `expected_version` (from NodeInfo.version), refused with a ConflictError when
    someone else changed (renamed, moved) the node since it was read.

    Refused with a LevelRuleError when the new parent is not a higher level or is the node
    itself or one of its descendants. Codings stay on the node.
    """
    node = require(session, Node, node_id, "node")
    if parent_id is not None:
        parent = require(session, Node, parent_id, "node")
        if parent_id in descendant_ids(session, node_id):
            raise LevelRuleError(f"'{node.name}' cannot go under itself or one of its own sub-themes.")
        check_parent(node.name, Level(node.level), parent.name, Level(parent.level))
    if parent_id != node.parent_id:
        _check_sibling_name(session, node.name, parent_id, exclude_id=node_id)
    old_parent = node.parent_id

    def run(rec: Recorder) -> None:
        if old_parent != parent_id:
            rec.update(Node, node_id, expected_version=expected_version, parent_id=parent_id)
        elif expected_version is not None:
            rec.check_version(Node, node_id, expected_version)
        siblings = _siblings(session, parent_id, exclude=node_id)
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(index, node_id)
        if old_parent != parent_id:
            _renumber(rec, session, old_parent, _siblings(session, old_parent, exclude=node_id))
        _renumber(rec, session, parent_id, siblings)

    target = "the top level" if parent_id is None else f"'{session.get(Node, parent_id).name}'"  # type: ignore[union-attr]
    return Command(
        f"Move '{node.name}' to {target}",
        run,
        action="move node",
        details={"node": node.uid, "from": old_parent, "to": parent_id, "position": position},
        coder_id=coder_id,
    ).apply(session)


def set_node_level(session: Session, *, node_id: int, level: str | int | Level, coder_id: int | None = None) -> Change:
    """Change a node's level when its parent stays higher and its children stay lower."""
    node = require(session, Node, node_id, "node")
    lvl = Level.parse(level)
    if node.parent_id is not None:
        parent = require(session, Node, node.parent_id, "node")
        check_parent(node.name, lvl, parent.name, Level(parent.level))
    for child in session.scalars(select(Node).where(Node.parent_id == node_id)):
        check_parent(child.name, Level(child.level), node.name, lvl)
    return Command(
        f"Make '{node.name}' a {lvl.label.lower()}",
        lambda rec: rec.update(Node, node_id, level=int(lvl)),
        action="set node level",
        details={"node": node.uid, "from": node.level, "to": int(lvl)},
        coder_id=coder_id,
    ).apply(session)


def _move_codings(rec: Recorder, session: Session, source_ids: list[int], target_id: int) -> int:
    """Re-point codings to `target_id`, dropping those the target already has. Returns moved count."""
    existing = {
        (r.document_id, r.start, r.end, r.coder_id)
        for r in session.execute(
            select(Coding.document_id, Coding.start, Coding.end, Coding.coder_id).where(Coding.node_id == target_id)
        )
    }
    moved = 0
    rows = session.execute(
        select(Coding.id, Coding.document_id, Coding.start, Coding.end, Coding.coder_id)
        .where(Coding.node_id.in_(source_ids))
        .order_by(Coding.id)
    ).all()
    for row in rows:
        identity = (row.document_id, row.start, row.end, row.coder_id)
        if identity in existing:
            delete_coding_rows(rec, [row.id])
        else:
            existing.add(identity)
            rec.update(Coding, row.id, node_id=target_id)
            moved += 1
    return moved


def delete_node(
    session: Session,
    *,
    node_id: int,
    codings: Literal["delete", "move_to_parent"] = "delete",
    coder_id: int | None = None,
) -> Change:
    """Delete a node. Its children move up to its parent; its codings are deleted or moved up."""
    node = require(session, Node, node_id, "node")
    if codings not in ("delete", "move_to_parent"):
        raise ValidationError(f"Unknown choice for codings '{codings}': use delete or move_to_parent.")
    if codings == "move_to_parent" and node.parent_id is None:
        raise ValidationError(f"'{node.name}' has no parent to receive its codings.")
    parent_id, uid = node.parent_id, node.uid
    children = _siblings(session, node_id)
    for child_id in children:
        if parent_id is not None:
            _check_sibling_name(session, session.get(Node, child_id).name, parent_id, exclude_id=node_id)  # type: ignore[union-attr]

    def run(rec: Recorder) -> None:
        if codings == "move_to_parent":
            assert parent_id is not None
            _move_codings(rec, session, [node_id], parent_id)
        else:
            delete_coding_rows(rec, list(session.scalars(select(Coding.id).where(Coding.node_id == node_id))))
        siblings = _siblings(session, parent_id, exclude=node_id)
        for child_id in children:
            rec.update(Node, child_id, parent_id=parent_id)
        _renumber(rec, session, parent_id, siblings + children)
        rec.delete_where(cmo_configuration_node, cmo_configuration_node.c.node_id == node_id)
        rec.delete_where(NodeLink, or_(NodeLink.source_id == node_id, NodeLink.target_id == node_id))
        rec.delete_where(Memo, Memo.target_type == "node", Memo.target_uid == uid)
        rec.delete(Node, node_id)

    return Command(
        f"Delete '{node.name}'",
        run,
        action="delete node",
        details={"node": uid, "name": node.name, "codings": codings},
        coder_id=coder_id,
    ).apply(session)


def _merge_rows(rec: Recorder, session: Session, source_id: int, target_id: int) -> int:
    """The row work of merging `source` into `target` (checked by the caller). Returns codings moved.

    Reads both rows afresh, so several merges can run inside one command.
    """
    node = Node.__table__
    source = session.execute(select(node).where(Node.id == source_id)).mappings().one()
    target = session.execute(select(node).where(Node.id == target_id)).mappings().one()

    def joined(a: str, b: str) -> str:
        if not b.strip() or b.strip() == a.strip():
            return a
        return f"{a}\n\n[from '{source['name']}'] {b}" if a.strip() else b

    children = _siblings(session, source_id)
    moved = _move_codings(rec, session, [source_id], target_id)
    siblings = _siblings(session, target_id)
    for child_id in children:
        rec.update(Node, child_id, parent_id=target_id)
    _renumber(rec, session, target_id, siblings + children)
    rec.update(
        Node,
        target_id,
        **{key: joined(target[key], source[key]) for key in ("definition", "inclusion", "exclusion", "memo")},
    )
    links = {
        r.configuration_id
        for r in session.execute(
            select(cmo_configuration_node.c.configuration_id).where(cmo_configuration_node.c.node_id == target_id)
        )
    }
    for row in rec.delete_where(cmo_configuration_node, cmo_configuration_node.c.node_id == source_id):
        if row["configuration_id"] not in links:
            rec.insert(cmo_configuration_node, configuration_id=row["configuration_id"], node_id=target_id)
    # The source's links to other themes pass to the target (none to itself, none twice).
    linked = {frozenset((r.source_id, r.target_id)) for r in session.scalars(
        select(NodeLink).where(or_(NodeLink.source_id == target_id, NodeLink.target_id == target_id)))}
    for row in rec.delete_where(NodeLink, or_(NodeLink.source_id == source_id, NodeLink.target_id == source_id)):
        ends = (target_id if row["source_id"] == source_id else row["source_id"],
                target_id if row["target_id"] == source_id else row["target_id"])
        if ends[0] != ends[1] and frozenset(ends) not in linked:
            linked.add(frozenset(ends))
            rec.insert(NodeLink, source_id=ends[0], target_id=ends[1], label=row["label"])
    for memo in session.scalars(select(Memo.id).where(Memo.target_type == "node", Memo.target_uid == source["uid"])):
        rec.update(Memo, memo, target_uid=target["uid"])
    rec.delete(Node, source_id)
    _renumber(rec, session, source["parent_id"], _siblings(session, source["parent_id"]))
    return moved


def merge_nodes(session: Session, *, source_id: int, target_id: int, coder_id: int | None = None) -> Change:
    """Merge `source` into `target`: codings combined (duplicates dropped), children moved,
    definitions and criteria concatenated for review, the source deleted."""
    source = require(session, Node, source_id, "node")
    target = require(session, Node, target_id, "node")
    if source_id == target_id:
        raise ValidationError("A node cannot be merged into itself.")
    if target_id in descendant_ids(session, source_id):
        raise LevelRuleError(f"'{source.name}' cannot be merged into its own sub-theme '{target.name}'.")
    for child in session.scalars(select(Node).where(Node.parent_id == source_id)):
        check_parent(child.name, Level(child.level), target.name, Level(target.level))
        _check_sibling_name(session, child.name, target_id)

    return Command(
        f"Merge '{source.name}' into '{target.name}'",
        lambda rec: _merge_rows(rec, session, source_id, target_id),
        action="merge nodes",
        details={"source": source.uid, "target": target.uid, "source_name": source.name},
        coder_id=coder_id,
    ).apply(session)


def get_node(session: Session, node_id: int) -> NodeInfo:
    return _info(require(session, Node, node_id, "node"))


def list_nodes(session: Session) -> list[NodeInfo]:
    """All nodes in tree order: each parent before its children, siblings by position."""
    nodes = list(session.scalars(select(Node).order_by(Node.position, Node.id)))
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[NodeInfo] = []

    def walk(parent: int | None) -> None:
        for node in children.get(parent, []):
            ordered.append(_info(node))
            walk(node.id)

    walk(None)
    return ordered


def node_path(session: Session, node_id: int) -> list[str]:
    """Names from the top of the tree down to this node."""
    names: list[str] = []
    current: int | None = node_id
    while current is not None:
        node = require(session, Node, current, "node")
        names.append(node.name)
        current = node.parent_id
    return names[::-1]


def find_node(session: Session, name: str) -> NodeInfo:
    """A node by name (case-insensitive), by 'Parent/Child' path when names repeat, or by id
    written '#12' or 'id:12' (a node actually named so is found by its name first)."""
    import re

    from qualcode.domain.errors import NotFoundError

    parts = [p.strip() for p in name.split("/") if p.strip()]
    matches = list(session.scalars(select(Node).where(func.lower(Node.name) == parts[-1].lower()))) if parts else []
    by_id = re.fullmatch(r"\s*(?:#|id:\s*)(\d+)\s*", name, flags=re.IGNORECASE)
    if not matches and by_id:
        node = session.get(Node, int(by_id.group(1)))
        if node is None:
            raise NotFoundError(f"There is no node with id {by_id.group(1)} in this project.")
        return _info(node)
    if len(parts) > 1:
        matches = [
            n
            for n in matches
            if [p.lower() for p in node_path(session, n.id)[-len(parts) :]] == [p.lower() for p in parts]
        ]
    if not matches:
        raise NotFoundError(f"There is no node named '{name}' in this project.")
    if len(matches) > 1:
        choices = ", ".join(f"'{'/'.join(node_path(session, n.id))}' (#{n.id})"
                            for n in sorted(matches, key=lambda n: node_path(session, n.id)))
        raise ValidationError(f"Several nodes are named '{name}': give the path or the id, one of {choices}.")
    return _info(matches[0])


def count_codings_below(session: Session, node_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(Coding).where(Coding.node_id.in_(descendant_ids(session, node_id)))
        )
        or 0
    )


__all__ = [
    "NodeInfo",
    "count_codings_below",
    "create_node",
    "delete_node",
    "descendant_ids",
    "find_node",
    "get_node",
    "list_nodes",
    "merge_nodes",
    "move_node",
    "node_path",
    "set_node_level",
    "update_node",
]
