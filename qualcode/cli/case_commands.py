"""`qualcode export cases`: the case characteristics table (participants, sites, included studies)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qualcode.cli.common import project_location
from qualcode.cli.groups import subcommand_group


def register(subparsers: Any) -> None:
    exports = subcommand_group(subparsers, "export", help="write tables and figures for a manuscript")
    table = exports.add_parser("cases", help="one row per case with chosen attributes (.docx .xlsx .csv .html .md)",
                               description="The case characteristics table: the participant list of an interview "
                                           "study, or the characteristics of included studies of a review.")
    table.add_argument("path", type=project_location, help="the project file or team project URL")
    table.add_argument("-o", "--output", type=Path, required=True, help="the file to write; its suffix picks the format")
    table.add_argument("--format", help="docx, xlsx, csv, html or md (default: from the file name)")
    table.add_argument("--attribute", action="append", required=True, metavar="NAME",
                       help="a case attribute to show as a column (repeatable, in this order)")
    table.add_argument("--sort", action="append", default=[], metavar="ATTRIBUTE",
                       help="sort by this attribute (repeatable; then by case name)")
    table.add_argument("--group-by", metavar="ATTRIBUTE", help="a row naming each value above its cases")
    table.add_argument("--title", default="Characteristics of the cases", help="the caption, as it should print")
    table.add_argument("--case-header", default="Case", help="the first column's header, e.g. 'Participant'")
    table.add_argument("--headers", metavar="A,B,...", help="the attribute columns' headers, comma-separated")
    table.add_argument("--note", default="", help="a note under the table")
    table.set_defaults(handler=_export_cases)


def _export_cases(args: argparse.Namespace) -> int:
    from qualcode.io.table_export import write_tables
    from qualcode.services.cases.case_table import case_table
    from qualcode.store.server import open_project

    headers = [h.strip() for h in args.headers.split(",")] if args.headers else None
    with open_project(args.path, read_only=True) as project, project.session() as session:
        table = case_table(session, attributes=args.attribute, sort_by=args.sort, group_by=args.group_by,
                           title=args.title, case_header=args.case_header, headers=headers, note=args.note)
    path = write_tables(table, args.output, format=args.format)
    print(f"Wrote {path} ({len(table.rows) - len(table.heading_rows)} cases)")
    return 0
