"""`qualcode query search|coding|matrix|cooccurrence|frequencies|participants`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.cli.common import default_coder_name, project_location
from qualcode.cli.table_output import format_hits, format_table
from qualcode.domain.text import plural
from qualcode.services.coding.unit_names import UNITS
from qualcode.services.queries import options

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from qualcode.services.queries.query_scope import QueryScope


def _scoped(parser: argparse.ArgumentParser, *, coders: bool = True) -> None:
    parser.add_argument("path", type=project_location, help="the project file or team project URL")
    parser.add_argument("--kind", action="append", default=[], metavar="KIND",
                        help="only documents of this kind (interview, follow-up, ...); repeatable")
    parser.add_argument("--where", action="append", default=[], metavar="CONDITION",
                        help="only documents whose cases meet it, e.g. 'site = \"Site 2\"' or 'age > 40'; repeatable")
    if coders:
        parser.add_argument("--by-coder", action="append", default=None, metavar="NAME",
                            help="only codings by this coder; repeatable")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="also write the table to FILE (.csv, .xlsx, .docx, .md or .html)")


def register(subparsers: Any) -> None:
    query = subparsers.add_parser("query", help="search the text and query the codings")
    commands = query.add_subparsers(dest="query_command", metavar="QUERY", required=True)

    search = commands.add_parser("search", help="full-text search, shown as keyword-in-context lines")
    _scoped(search, coders=False)
    search.add_argument("query", help='words, "phrases", prefix*, AND / OR / NOT, (brackets)')
    search.add_argument("--lemmas", action="store_true", help="also match other forms of each word")
    search.add_argument("--limit", type=int, default=options.DEFAULT_LIMIT, help="most hits to list")
    search.add_argument("--context", type=int, default=options.DEFAULT_CONTEXT,
                        help="characters of context on each side")
    search.add_argument("--code-to", metavar="NODE", help="code every hit to this node, listed or not (one undoable step)")
    search.add_argument("--unit", choices=UNITS, default="hit", help="widen each hit before coding it")
    search.set_defaults(handler=_search)

    coding = commands.add_parser("coding", help="where nodes are coded together: A AND B, A OR B, A NOT B")
    _scoped(coding)
    coding.add_argument("expression", help='e.g. Trust AND "Access to care" NOT Cost')
    coding.add_argument("--proximity", choices=options.PROXIMITIES, default="overlap",
                        help="overlapping text, or within the same turn or sentence")
    coding.set_defaults(handler=_coding)

    matrix = commands.add_parser("matrix", help="nodes by attribute values, cases or documents")
    _scoped(matrix)
    matrix.add_argument("--nodes", nargs="+", metavar="NODE", help="row nodes (default: every node)")
    matrix.add_argument("--columns", choices=options.COLUMN_KINDS, default="attribute")
    matrix.add_argument("--attribute", help="the attribute whose values are the columns (e.g. site)")
    matrix.add_argument("--count", choices=("codings", "documents", "cases"), default="codings",
                        help="what a cell counts")
    matrix.set_defaults(handler=_matrix)

    cooc = commands.add_parser("cooccurrence", help="node by node: how often two nodes are coded together")
    _scoped(cooc)
    cooc.add_argument("--nodes", nargs="+", metavar="NODE", help="nodes to compare (default: every node)")
    cooc.add_argument("--mode", choices=("overlap", "turn", "sentence", "document"), default="overlap")
    cooc.add_argument("--heatmap", type=Path, metavar="FILE", help="draw a heatmap (.png, .svg or .pdf)")
    cooc.add_argument("--dpi", type=int, default=200, help="resolution of a PNG heatmap")
    cooc.set_defaults(handler=_cooccurrence)

    freq = commands.add_parser("frequencies", help="codings per node, coder or document; word frequencies")
    _scoped(freq)
    freq.add_argument("what", choices=("codings", "words"))
    freq.add_argument("--by", choices=options.CODING_VIEWS, default="level",
                      help="codings: per node by level, per node and coder, or per document")
    freq.add_argument("--top", type=int, default=30, help="words: how many to list")
    freq.add_argument("--no-lemmas", action="store_true", help="words: count word forms, not lemmas")
    freq.add_argument("--group-by", metavar="GROUP", help="words: document, case, kind or an attribute (e.g. site)")
    freq.add_argument("--exclude-speaker", action="append", default=[], metavar="NAME",
                      help="words: leave out this speaker's turns (e.g. Interviewer); repeatable")
    freq.add_argument("--exclude-word", action="append", default=[], metavar="WORD", help="words: leave out")
    freq.add_argument("--chart", type=Path, metavar="FILE", help="words: draw a bar chart (.png, .svg or .pdf)")
    freq.add_argument("--dpi", type=int, default=200)
    freq.set_defaults(handler=_frequencies)

    people = commands.add_parser("participants", help="participant characteristics table (n (%%), mean (SD))")
    people.add_argument("path", type=project_location)
    people.add_argument("--attribute", action="append", default=None, metavar="NAME",
                        help="case attribute to describe (default: all); repeatable, in this order")
    people.add_argument("--group-by", metavar="ATTRIBUTE", help="one column per value, e.g. site")
    people.add_argument("--where", action="append", default=[], metavar="CONDITION", help="e.g. 'age >= 18'")
    people.add_argument("--title", help="the table's caption, as the paper prints it")
    people.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the table (.csv, .xlsx, .docx, .md or .html)")
    people.set_defaults(handler=_participants)


def _scope(session: Session, args: argparse.Namespace) -> QueryScope:
    from qualcode.services import coders as coder_service
    from qualcode.services.queries.query_scope import QueryScope

    names = getattr(args, "by_coder", None)
    coder_ids = tuple(coder_service.require_coder_named(session, n).id for n in names) if names else None
    return QueryScope(kinds=tuple(args.kind), conditions=tuple(args.where), coder_ids=coder_ids)


def _node_ids(session: Session, names: list[str] | None) -> list[int] | None:
    from qualcode.services.codebook import nodes as node_service

    return [node_service.find_node(session, name).id for name in names] if names else None


def _emit(args: argparse.Namespace, title: str, description: str, header: list[Any], rows: list[Any],
          note: str = "") -> None:
    from qualcode.io.table_export import write_table

    print(f"{title}\n{description}\n")
    print(format_table(header, rows))
    if note:
        print(f"\n{note}")
    if args.output:
        written = write_table(args.output, title=title, header=[str(h) for h in header], rows=rows,
                              notes=[description, note] if note else [description])
        print(f"\nWrote {written}")


def _search(args: argparse.Namespace) -> int:
    from qualcode.io.table_export import write_table
    from qualcode.services import coders as coder_service
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.queries import search as search_service
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=not args.code_to) as project, project.session() as session:
        result = search_service.search_text(session, query=args.query, lemmas=args.lemmas,
                                            scope=_scope(session, args), context=args.context, limit=args.limit)
        print(f"{plural(result.total_hits, 'hit')} in {plural(result.document_count, 'document')} for "
              f"{result.searched}"
              + (f" (first {len(result.hits)} listed)" if result.truncated else ""))
        if result.hits:
            print(format_hits(result.hits))
        if args.output:
            header = ["Document", "Cases", "Speaker", "Start", "End", "Left context", "Match", "Right context"]
            rows = [[h.document_name, ", ".join(h.cases), h.speaker, h.start, h.end, h.left, h.matched, h.right]
                    for h in result.hits]
            print(f"Wrote {write_table(args.output, title=f'Search: {result.searched}', header=header, rows=rows)}")
        if args.code_to:
            node = node_service.find_node(session, args.code_to)
            coder = coder_service.ensure_coder(session, default_coder_name(args))
            change = search_service.code_hits(session, hits=result.every_hit, node_id=node.id, coder_id=coder.id,
                                              unit=args.unit)
            print(f"Coded {change.result} passages to '{node.name}' as {coder.name}.")
    return 0


def _coding(args: argparse.Namespace) -> int:
    from qualcode.services.queries import queries as query_service
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        node_id, steps = query_service.parse_query(session, args.expression)
        result = query_service.coding_query(session, node_id=node_id, steps=steps, proximity=args.proximity,
                                            scope=_scope(session, args))
    header = ["Document", "Cases", "Start", "End", "Nodes", "Coders", "Text"]
    rows = [[p.document_name, ", ".join(p.cases), p.start, p.end, ", ".join(p.nodes), ", ".join(p.coders),
             " ".join(p.text.split())] for p in result.passages]
    summary = (f"{plural(len(rows), 'passage')} in {plural(result.document_count, 'document')} "
               f"({plural(result.case_count, 'case')})")
    _emit(args, result.heading, f"{summary}; {result.scope}", header, rows)
    return 0


def _matrix(args: argparse.Namespace) -> int:
    from qualcode.services.queries import matrices as matrix_service
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        result = matrix_service.matrix_coding(session, node_ids=_node_ids(session, args.nodes), columns=args.columns,
                                              attribute=args.attribute, measure=args.count,
                                              scope=_scope(session, args))
    header, rows = result.table()
    _emit(args, result.title, result.description, header, rows, result.note)
    return 0


def _cooccurrence(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes as node_service
    from qualcode.services.queries import cooccurrence as cooccurrence_service
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        result = cooccurrence_service.cooccurrence(session, node_ids=_node_ids(session, args.nodes), mode=args.mode,
                                                   scope=_scope(session, args))
        levels = {n.id: int(n.level) for n in node_service.list_nodes(session)}
    header, rows = result.table()
    _emit(args, result.title, f"Cells count {result.unit}; {result.description}", header, rows)
    if args.heatmap:
        from qualcode.viz.figure_files import save_figure
        from qualcode.viz.heatmap import cooccurrence_heatmap

        figure = cooccurrence_heatmap(result.labels, result.counts, title=result.title,
                                      value_label=f"Co-occurring {result.unit}", subtitle=result.description,
                                      emphasise=[levels[n] > 1 for n in result.node_ids])
        print(f"Wrote {save_figure(figure, args.heatmap, dpi=args.dpi)}")
    return 0


def _frequencies(args: argparse.Namespace) -> int:
    from qualcode.services.queries import frequencies as frequency_service
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        scope = _scope(session, args)
        if args.what == "codings":
            table = frequency_service.coding_frequencies(session, by=args.by, scope=scope)
            _emit(args, table.title, table.description, list(table.header), [list(r) for r in table.rows])
            return 0
        words = frequency_service.word_frequencies(
            session, top=args.top, lemmas=not args.no_lemmas, group_by=args.group_by, scope=scope,
            exclude_words=args.exclude_word, exclude_speakers=args.exclude_speaker)
    from qualcode.analysis.word_counts import table_rows

    header, rows = table_rows(words.table, show_groups=words.grouped)
    _emit(args, words.title, words.description, header, rows, words.note)
    if args.chart:
        from qualcode.viz.bar_chart import bar_chart
        from qualcode.viz.figure_files import save_figure

        counted = words.table
        values = [list(r.by_group) for r in counted.rows] if words.grouped else [r.total for r in counted.rows]
        figure = bar_chart([r.word for r in counted.rows], values, title=words.title, value_label="Occurrences",
                           groups=counted.groups if words.grouped else (), subtitle=words.description)
        print(f"Wrote {save_figure(figure, args.chart, dpi=args.dpi)}")
    return 0


def _participants(args: argparse.Namespace) -> int:
    from qualcode.services.queries import participants as participant_service
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        summary = participant_service.participant_summary(session, attributes=args.attribute,
                                                          group_by=args.group_by, conditions=args.where,
                                                          title=args.title)
    note = "Values are n (%) for categories and mean (SD) for numbers."
    _emit(args, summary.title, f"{summary.description}. {note}", list(summary.header), [list(r) for r in summary.rows])
    return 0
