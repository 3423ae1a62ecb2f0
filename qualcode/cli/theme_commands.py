"""`qualcode export map | themes-table | codebook` and `qualcode theme ...` (thematic networks)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.cli.common import as_coder, project_location
from qualcode.cli.groups import subcommand_group
from qualcode.domain.errors import ValidationError
from qualcode.domain.levels import Level
from qualcode.viz.theme_map_data import ColourBy, CountShown, MapLayout, MapOptions

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EXPORT_HELP = "write figures and tables for a manuscript"


def register(subparsers: Any) -> None:
    export = subcommand_group(subparsers, "export", EXPORT_HELP)
    figure = export.add_parser("map", help="a theme map: thematic network, concept map or tree (PNG, SVG, PDF)",
                               description="Draw a thematic network for one global theme (the default when the "
                                           "project has one), or a concept map of every global theme.")
    figure.add_argument("path", type=project_location, help="the project file or team project URL")
    which = figure.add_mutually_exclusive_group()
    which.add_argument("--global", dest="root", metavar="NAME", help="the global (or organising) theme to draw")
    which.add_argument("--concept-map", action="store_true", help="every global theme in one figure")
    figure.add_argument("--layout", choices=[m.value for m in MapLayout], default="web",
                        help="web: the Attride-Stirling network (default); tree: left-to-right hierarchy")
    figure.add_argument("--counts", choices=[c.value for c in CountShown], default="codings",
                        help="count shown in each theme (default codings)")
    figure.add_argument("--size-by-count", action="store_true", help="draw busier themes larger")
    figure.add_argument("--colour", "--color", dest="colour", choices=[c.value for c in ColourBy], default="level",
                        help="colour by level (default), by each theme's own colour, or grey for print")
    figure.add_argument("--include-codes", action="store_true", help="draw codes under the basic themes")
    figure.add_argument("--title", default="", help="a title above the figure")
    figure.add_argument("--width", type=float, help="fit the figure to this width in inches (e.g. 7)")
    figure.add_argument("--min-font", type=float, default=7.0,
                        help="fitting the width never sets basic themes below this size (default 7 pt): the map "
                             "reflows instead")
    figure.add_argument("--font-size", type=float, default=8.0, help="basic themes' font size in points")
    _output(figure, "png, svg or pdf (default: from the file name)")
    figure.add_argument("--dpi", type=int, default=300, help="resolution of a PNG (default 300)")
    figure.set_defaults(handler=_export_map)

    table = export.add_parser("themes-table", help="organising theme | theme | example quotes (DOCX, XLSX ...)")
    table.add_argument("path", type=project_location, help="the project file or team project URL")
    table.add_argument("--global", dest="root", metavar="NAME", help="only this global (or organising) theme")
    table.add_argument("--quotes", type=int, default=2, help="quotes per theme (default 2)")
    table.add_argument("--exemplars-only", action="store_true",
                       help="exactly the exemplar quotes marked, in the order set (see 'qualcode codings order')")
    table.add_argument("--max-chars", type=int, default=0, help="shorten quotes to this length (default 0: never)")
    table.add_argument("--counts", choices=("none", "codings", "participants"), default="none",
                       help="add a column of counts")
    _participants(table)
    table.add_argument("--title", help="the caption above the table, as it should print")
    table.add_argument("--headers", metavar="A,B,C",
                       help="the three column headers, e.g. 'Organising theme,Basic theme,Illustrative quotes'")
    table.add_argument("--number", action="store_true", help="number the themes within each organising theme")
    table.add_argument("--italic", action="store_true", help="print the quotes in italics")
    table.add_argument("--attribution", choices=("before", "after"), default="before",
                       help="the participant before the quote ('P3: ...', default) or after it ('“...” (P3)')")
    table.add_argument("--no-global-rows", action="store_true", help="no row naming each global theme")
    table.add_argument("--no-note", action="store_true", help="leave out the note under the table")
    _output(table, "docx, xlsx, csv, html or md (default: from the file name)")
    table.set_defaults(handler=_export_themes_table)

    codebook = export.add_parser("codebook", help="every code and theme with level, definition, criteria, counts")
    codebook.add_argument("path", type=project_location, help="the project file or team project URL")
    codebook.add_argument("--themes-only", action="store_true", help="leave out codes")
    _participants(codebook)
    _output(codebook, "docx, xlsx, csv, html or md (default: from the file name)")
    codebook.set_defaults(handler=_export_codebook)

    theme = subparsers.add_parser("theme", help="build the thematic network: review, group, promote, split ...")
    ops = theme.add_subparsers(dest="theme_command", metavar="WHAT", required=True)
    review = ops.add_parser("review", help="every theme with counts and what to fix")
    review.add_argument("path", type=project_location)
    review.set_defaults(handler=_review)
    group = ops.add_parser("group", help="put nodes under a new theme one level up")
    group.add_argument("path", type=project_location)
    group.add_argument("nodes", nargs="+", help="names (or Parent/Child paths) of the nodes to group")
    group.add_argument("--name", required=True, help="the new theme's name")
    group.add_argument("--level", help="the new theme's level (default: one above the highest selected)")
    group.add_argument("--definition", default="")
    group.set_defaults(handler=_group)
    for verb, helptext in (("promote", "raise a node one level"), ("demote", "lower a node one level")):
        step = ops.add_parser(verb, help=helptext)
        step.add_argument("path", type=project_location)
        step.add_argument("node")
        step.set_defaults(handler=_promote if verb == "promote" else _demote)
    split = ops.add_parser("split", help="move chosen codings of a node to a new sibling")
    split.add_argument("path", type=project_location)
    split.add_argument("node")
    split.add_argument("--codings", required=True, help="coding ids, comma-separated")
    split.add_argument("--name", required=True, help="the new sibling's name")
    split.set_defaults(handler=_split)
    merge = ops.add_parser("merge", help="merge nodes into one (codings combined, definitions concatenated)")
    merge.add_argument("path", type=project_location)
    merge.add_argument("sources", nargs="+")
    merge.add_argument("--into", required=True, help="the node that remains")
    merge.set_defaults(handler=_merge)
    link = ops.add_parser("link", help="link a theme to a theme of another network (drawn on the concept map)")
    link.add_argument("path", type=project_location)
    link.add_argument("source", help="a theme (name or 'Parent/Child')")
    link.add_argument("target", help="the theme it bears on")
    link.add_argument("--label", default="", help="what the link says, e.g. 'undermines'")
    link.set_defaults(handler=_link)
    unlink = ops.add_parser("unlink", help="remove the link between two themes")
    unlink.add_argument("path", type=project_location)
    unlink.add_argument("source")
    unlink.add_argument("target")
    unlink.set_defaults(handler=_unlink)

    move = ops.add_parser("move", help="move nodes under another theme")
    move.add_argument("path", type=project_location)
    move.add_argument("nodes", nargs="+")
    where = move.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", help="the new parent")
    where.add_argument("--top", action="store_true", help="to the top level")
    move.set_defaults(handler=_move)


def _output(parser: argparse.ArgumentParser, formats: str) -> None:
    parser.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    parser.add_argument("--format", help=formats)


def _warn(messages: tuple[str, ...] | list[str]) -> None:
    for message in messages:
        print(f"qualcode: warning: {message}", file=sys.stderr)


def _root(session: Session, name: str | None, *, required: bool) -> int | None:
    from qualcode.services.codebook import nodes as node_service

    if name is not None:
        return node_service.find_node(session, name).id
    if not required:
        return None
    tops = [n for n in node_service.list_nodes(session) if n.level is Level.GLOBAL]
    if len(tops) == 1:
        return tops[0].id
    if not tops:
        raise ValidationError("This project has no global theme: use --concept-map, or create a global theme.")
    names = ", ".join(f"'{n.name}'" for n in tops)
    raise ValidationError(f"The project has {len(tops)} global themes ({names}): choose one with --global NAME, "
                          "or draw them all with --concept-map.")


def _export_map(args: argparse.Namespace) -> int:
    from qualcode.services.themes import maps as theme_maps
    from qualcode.store.server import open_project

    options = MapOptions(layout=MapLayout(args.layout), counts=CountShown(args.counts),
                         size_by_count=args.size_by_count, colour_by=ColourBy(args.colour), title=args.title,
                         font_size=args.font_size, width=args.width, min_font=args.min_font)
    with open_project(args.path, read_only=True) as project, project.session() as session:
        root = None if args.concept_map else _root(session, args.root, required=True)
        result = theme_maps.export_theme_map(session, path=args.output, root_id=root, options=options,
                                             format=args.format, dpi=args.dpi, include_codes=args.include_codes)
    _warn(result.warnings)
    print(f"Wrote {result.path} ({result.width:.2f} × {result.height:.2f} in, {result.dpi} dpi)")
    return 0


def _participants(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--participants", metavar="CASE,CASE",
                        help="the cases that count as participants (default: every case except those grouping "
                             "other cases' documents, such as sites)")


def _participant_cases(session: Any, names: str | None) -> list[int] | None:
    if not names:
        return None
    from sqlalchemy import func, select

    from qualcode.domain.errors import NotFoundError
    from qualcode.store.models import Case

    ids = []
    for name in (part.strip() for part in names.split(",") if part.strip()):
        found = session.scalar(select(Case.id).where(func.lower(Case.name) == name.lower()))
        if found is None:
            raise NotFoundError(f"There is no case named '{name}' in this project.")
        ids.append(int(found))
    return ids


def _export_themes_table(args: argparse.Namespace) -> int:
    from qualcode.io.table_export import write_tables
    from qualcode.services.themes import tables as theme_tables
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        headers = [h.strip() for h in args.headers.split(",")] if args.headers else None
        table = theme_tables.themes_table(session, global_id=_root(session, args.root, required=False),
                                          quotes_per_theme=args.quotes, max_quote_chars=args.max_chars or None,
                                          counts=args.counts, title=args.title, exemplars_only=args.exemplars_only,
                                          headers=headers, numbered=args.number, italic_quotes=args.italic,
                                          attribution=args.attribution, global_rows=not args.no_global_rows,
                                          note=not args.no_note,
                                          participant_cases=_participant_cases(session, args.participants))
    path = write_tables(table, args.output, format=args.format)
    print(f"Wrote {path} ({len(table.rows)} rows)")
    return 0


def _export_codebook(args: argparse.Namespace) -> int:
    from qualcode.io.table_export import write_tables
    from qualcode.services.themes import tables as theme_tables
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        table = theme_tables.codebook_table(session, include_codes=not args.themes_only,
                                            participant_cases=_participant_cases(session, args.participants))
    path = write_tables(table, args.output, format=args.format)
    print(f"Wrote {path} ({len(table.rows)} entries)")
    return 0


def _review(args: argparse.Namespace) -> int:
    from qualcode.services.themes.review import review_themes
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        review = review_themes(session, quotes_per_theme=0)
    print(f"{'Theme':<52} {'Level':<11} {'Codings':>7} {'Docs':>5} {'Cases':>5} {'Coders':>6}  Flags")
    for t in review:
        name = ("  " * t.depth + t.name)[:52]
        flags = "; ".join(f.message for f in t.flags)
        print(f"{name:<52} {t.level.name.lower():<11} {t.codings:>7} {t.documents:>5} {t.cases:>5} "
              f"{t.coders:>6}  {flags}")
    return 0


def _mutate(args: argparse.Namespace, action: Callable[[Session, int], Any]) -> int:
    print(as_coder(args, action).title)
    return 0


def _ids(session: Session, names: list[str]) -> list[int]:
    from qualcode.services.codebook import nodes as node_service

    return [node_service.find_node(session, name).id for name in names]


def _group(args: argparse.Namespace) -> int:
    from qualcode.services.themes import themes

    level = Level.parse(args.level) if args.level else None
    return _mutate(args, lambda s, coder: themes.group_into_theme(
        s, node_ids=_ids(s, args.nodes), name=args.name, level=level, definition=args.definition, coder_id=coder))


def _promote(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.themes import themes

    return _mutate(args, lambda s, coder: themes.promote_node(
        s, node_id=node_service.find_node(s, args.node).id, coder_id=coder))


def _demote(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.themes import themes

    return _mutate(args, lambda s, coder: themes.demote_node(
        s, node_id=node_service.find_node(s, args.node).id, coder_id=coder))


def _split(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.themes import themes

    try:
        coding_ids = [int(v) for v in args.codings.replace(" ", "").split(",") if v]
    except ValueError:
        raise ValidationError(f"Give coding ids as numbers separated by commas, not '{args.codings}'.") from None
    return _mutate(args, lambda s, coder: themes.split_node(
        s, node_id=node_service.find_node(s, args.node).id, coding_ids=coding_ids, name=args.name, coder_id=coder))


def _merge(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.themes import themes

    return _mutate(args, lambda s, coder: themes.merge_themes(
        s, source_ids=_ids(s, args.sources), target_id=node_service.find_node(s, args.into).id, coder_id=coder))


def _link(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.themes.links import link_themes

    return _mutate(args, lambda s, coder: link_themes(
        s, source_id=node_service.find_node(s, args.source).id, target_id=node_service.find_node(s, args.target).id,
        label=args.label, coder_id=coder))


def _unlink(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.themes.links import unlink_themes

    return _mutate(args, lambda s, coder: unlink_themes(
        s, source_id=node_service.find_node(s, args.source).id, target_id=node_service.find_node(s, args.target).id,
        coder_id=coder))


def _move(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.themes import themes

    return _mutate(args, lambda s, coder: themes.move_nodes(
        s, node_ids=_ids(s, args.nodes), parent_id=None if args.top else node_service.find_node(s, args.to).id,
        coder_id=coder))


__all__ = ["EXPORT_HELP", "register"]
