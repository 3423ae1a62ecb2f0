"""Coding on the command line, as the window does it: `qualcode node add|rename|move|delete|list`,
`qualcode code` (a passage by offsets or by quoting its text), `qualcode uncode`,
`qualcode codings list|exemplar|order` and `qualcode memo`. Each change is one undoable step."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qualcode.cli.common import as_coder, find_document, find_span, project_location
from qualcode.domain.errors import ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LEVELS = "code (default), basic, organising or global"
# Closing punctuation that belongs with a quoted passage: "... what to expect." keeps its full stop.


def register(subparsers: Any) -> None:
    node = subparsers.add_parser("node", help="codes and themes: add, rename, move, delete, list",
                                 description="Add, rename, move, delete or list codes and themes.")
    ops = node.add_subparsers(dest="node_command", metavar="ACTION", required=True)
    add = ops.add_parser("add", help="add a code or theme")
    add.add_argument("path", type=project_location, help="the project file or team project URL")
    add.add_argument("name")
    add.add_argument("--level", default="code", help=LEVELS)
    add.add_argument("--parent", help="the node to put it under (name or 'Parent/Child')")
    add.add_argument("--definition", default="")
    add.set_defaults(handler=_node_add)
    rename = ops.add_parser("rename", help="rename a code or theme")
    rename.add_argument("path", type=project_location)
    rename.add_argument("node", help="its name (or 'Parent/Child')")
    rename.add_argument("name", help="the new name")
    rename.set_defaults(handler=_node_rename)
    move = ops.add_parser("move", help="move a code or theme under another, or to the top")
    move.add_argument("path", type=project_location)
    move.add_argument("node")
    where = move.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", help="the new parent")
    where.add_argument("--top", action="store_true", help="to the top level")
    move.add_argument("--position", type=int, help="its place among its new siblings (0 first)")
    move.set_defaults(handler=_node_move)
    delete = ops.add_parser("delete", help="delete a code or theme (its children move up)")
    delete.add_argument("path", type=project_location)
    delete.add_argument("node")
    delete.add_argument("--keep-codings", action="store_true", help="move its codings to its parent")
    delete.set_defaults(handler=_node_delete)
    listing = ops.add_parser("list", help="every code and theme as a tree, with levels and coding counts")
    listing.add_argument("path", type=project_location)
    listing.set_defaults(handler=_node_list)

    code = subparsers.add_parser("code", help="code a passage of a document to a code or theme",
                                 description="Code a passage, given by character offsets or by quoting it "
                                             "(its first occurrence; closing punctuation right after it is kept).")
    code.add_argument("path", type=project_location, help="the project file or team project URL")
    code.add_argument("--document", required=True, help="the document's name")
    code.add_argument("--node", required=True, help="the code or theme (name or 'Parent/Child')")
    span = code.add_mutually_exclusive_group(required=True)
    span.add_argument("--quote", help="the passage's words, as they stand in the text")
    span.add_argument("--span", metavar="START:END", help="character offsets of the passage")
    code.add_argument("--exemplar", action="store_true", help="mark it as an exemplar quote")
    code.add_argument("--memo", default="")
    code.set_defaults(handler=_code)

    uncode = subparsers.add_parser("uncode", help="remove a coding (ids from 'qualcode codings list')")
    uncode.add_argument("path", type=project_location)
    uncode.add_argument("coding", type=int, help="the coding's id")
    uncode.set_defaults(handler=_uncode)

    codings = subparsers.add_parser("codings", help="list codings with their ids; mark and order exemplars")
    cops = codings.add_subparsers(dest="codings_command", metavar="ACTION", required=True)
    clist = cops.add_parser("list", help="codings with ids, spans and text")
    clist.add_argument("path", type=project_location)
    clist.add_argument("--node", help="only this node's codings (and those below it)")
    clist.add_argument("--document", help="only codings of this document")
    clist.add_argument("--exemplars", action="store_true", help="only exemplars, in their order")
    clist.set_defaults(handler=_codings_list)
    exemplar = cops.add_parser("exemplar", help="mark codings as exemplar quotes (or unmark with --off)")
    exemplar.add_argument("path", type=project_location)
    exemplar.add_argument("codings", type=int, nargs="+", help="coding ids")
    exemplar.add_argument("--off", action="store_true", help="no longer an exemplar")
    exemplar.set_defaults(handler=_codings_exemplar)
    order = cops.add_parser("order", help="the order of a theme's exemplar quotes in a themes table")
    order.add_argument("path", type=project_location)
    order.add_argument("--theme", required=True, help="the theme (name or 'Parent/Child')")
    order.add_argument("codings", type=int, nargs="+", help="exemplar coding ids in the order to print them")
    order.set_defaults(handler=_codings_order)

    memo = subparsers.add_parser("memo", help="write a memo on the project, a document, node, coding or configuration")
    memo.add_argument("path", type=project_location)
    target = memo.add_mutually_exclusive_group(required=True)
    target.add_argument("--project", action="store_true", help="a memo on the whole project")
    target.add_argument("--document", help="a document's name")
    target.add_argument("--node", help="a code or theme")
    target.add_argument("--coding", type=int, help="a coding's id")
    target.add_argument("--configuration", help="a configuration's label")
    memo.add_argument("--title", default="")
    memo.add_argument("text", help="the memo's text")
    memo.set_defaults(handler=_memo)


# -- finding things --------------------------------------------------------------------------


def _one_line(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


# -- nodes -----------------------------------------------------------------------------------


def _change(args: argparse.Namespace, action: Callable[[Session, int], str]) -> int:
    print(as_coder(args, action))
    return 0


def _node_add(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes

    def run(session: Session, coder_id: int) -> str:
        parent = nodes.find_node(session, args.parent).id if args.parent else None
        node_id = nodes.create_node(session, name=args.name, level=args.level, parent_id=parent,
                                    definition=args.definition, coder_id=coder_id).result
        info = nodes.get_node(session, node_id)
        return f"Added {info.level.name.lower()} '{'/'.join(nodes.node_path(session, node_id))}'."

    return _change(args, run)


def _node_rename(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes

    def run(session: Session, coder_id: int) -> str:
        node = nodes.find_node(session, args.node)
        nodes.update_node(session, node_id=node.id, name=args.name, coder_id=coder_id)
        return f"Renamed '{node.name}' to '{nodes.get_node(session, node.id).name}'."

    return _change(args, run)


def _node_move(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes

    def run(session: Session, coder_id: int) -> str:
        node = nodes.find_node(session, args.node)
        parent = None if args.top else nodes.find_node(session, args.to).id
        nodes.move_node(session, node_id=node.id, parent_id=parent, position=args.position, coder_id=coder_id)
        return f"Moved '{node.name}' to '{'/'.join(nodes.node_path(session, node.id))}'."

    return _change(args, run)


def _node_delete(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes

    def run(session: Session, coder_id: int) -> str:
        node = nodes.find_node(session, args.node)
        count = nodes.count_codings_below(session, node.id)
        nodes.delete_node(session, node_id=node.id, codings="move_to_parent" if args.keep_codings else "delete",
                          coder_id=coder_id)
        kept = "moved to its parent" if args.keep_codings else "deleted"
        return f"Deleted '{node.name}' ({count} coding{'' if count == 1 else 's'} {kept})."

    return _change(args, run)


def _node_list(args: argparse.Namespace) -> int:
    from qualcode.services.themes.review import review_themes
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        review = review_themes(session, quotes_per_theme=0, include_codes=True)
    for t in review:
        print(f"{'  ' * t.depth}{t.name}  [{t.level.name.lower()}; {t.codings} coding{'' if t.codings == 1 else 's'}]")
    return 0


# -- codings ---------------------------------------------------------------------------------


def _code(args: argparse.Namespace) -> int:
    from qualcode.services import documents
    from qualcode.services.codebook import nodes
    from qualcode.services.coding import codings

    def run(session: Session, coder_id: int) -> str:
        document_id = find_document(session, args.document)
        start, end = find_span(documents.document_text(session, document_id), quote=args.quote, span=args.span,
                               document=args.document)
        node = nodes.find_node(session, args.node)
        coding_id = codings.apply_code(session, document_id=document_id, start=start, end=end, node_id=node.id,
                                       coder_id=coder_id, memo=args.memo).result
        if args.exemplar:  # marked through the same step the window uses, so it is ordered last
            codings.update_coding(session, coding_id=coding_id, exemplar=True, coder_id=coder_id)
        return f"Coded {start}-{end} of '{args.document}' to '{node.name}' (coding {coding_id})" + \
            (", an exemplar." if args.exemplar else ".")

    return _change(args, run)


def _uncode(args: argparse.Namespace) -> int:
    from qualcode.services.coding import codings

    def run(session: Session, coder_id: int) -> str:
        info = codings.get_coding(session, args.coding)
        codings.uncode(session, coding_id=info.id, coder_id=coder_id)
        return f"Removed coding {info.id} ('{info.node_name}', {info.start}-{info.end} of '{info.document_name}')."

    return _change(args, run)


def _codings_list(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes
    from qualcode.services.coding import codings
    from qualcode.services.themes.exemplars import exemplars_of
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        if args.node:
            node_id = nodes.find_node(session, args.node).id
            listed = codings.codings_of_node(session, node_id)
            if args.exemplars:
                order = [e.coding_id for e in exemplars_of(session, node_id)]
                by_id = {c.id: c for c in listed}
                listed = [by_id[i] for i in order if i in by_id]
        elif args.document:
            listed = codings.codings_of_document(session, find_document(session, args.document))
        else:
            listed = [c for d in _all_documents(session) for c in codings.codings_of_document(session, d)]
        if args.document:
            wanted = " ".join(args.document.split()).lower()
            listed = [c for c in listed if c.document_name.lower() == wanted]
        if args.exemplars:
            listed = [c for c in listed if c.exemplar]
    if not listed:
        print("No codings.")
    for c in listed:
        mark = " *exemplar*" if c.exemplar else ""
        print(f"{c.id:>6}  {c.node_name}  {c.document_name} {c.start}-{c.end} ({c.coder_name}){mark}  "
              f"“{_one_line(c.text)}”")
    return 0


def _all_documents(session: Session) -> list[int]:
    from qualcode.services import documents

    return [d.id for d in documents.list_documents(session)]


def _codings_exemplar(args: argparse.Namespace) -> int:
    from qualcode.services.coding import codings

    def run(session: Session, coder_id: int) -> str:
        for coding_id in args.codings:
            codings.get_coding(session, coding_id)
        for coding_id in args.codings:
            codings.update_coding(session, coding_id=coding_id, exemplar=not args.off, coder_id=coder_id)
        ids = ", ".join(map(str, args.codings))
        return f"Coding{'s' if len(args.codings) > 1 else ''} {ids} {'no longer' if args.off else 'now'} " \
               f"exemplar{'s' if len(args.codings) > 1 else ''}."

    return _change(args, run)


def _codings_order(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes
    from qualcode.services.themes.exemplars import exemplars_of, order_exemplars

    def run(session: Session, coder_id: int) -> str:
        node = nodes.find_node(session, args.theme)
        order_exemplars(session, node_id=node.id, coding_ids=args.codings, coder_id=coder_id)
        order = ", ".join(str(e.coding_id) for e in exemplars_of(session, node.id))
        return f"Exemplars of '{node.name}' in order: {order}."

    return _change(args, run)


def _memo(args: argparse.Namespace) -> int:
    from qualcode.services import documents, memos
    from qualcode.services.codebook import nodes
    from qualcode.services.coding import codings
    from qualcode.services.realist import configurations as cmo

    def run(session: Session, coder_id: int) -> str:
        if args.project:
            kind, uid, what = "project", "", "the project"
        elif args.document:
            info = documents.get_document(session, find_document(session, args.document))
            kind, uid, what = "document", info.uid, f"'{info.name}'"
        elif args.node:
            node = nodes.find_node(session, args.node)
            kind, uid, what = "node", node.uid, f"'{node.name}'"
        elif args.coding is not None:
            coding = codings.get_coding(session, args.coding)
            kind, uid, what = "coding", coding.uid, f"coding {coding.id}"
        else:
            config = cmo.find_configuration(session, args.configuration)
            kind, uid, what = "configuration", config.uid, f"'{config.label}'"
        if not args.text.strip():
            raise ValidationError("A memo needs some text.")
        memos.add_memo(session, target_type=kind, target_uid=uid, title=args.title, text=args.text,
                       coder_id=coder_id)
        return f"Added a memo on {what}."

    return _change(args, run)
