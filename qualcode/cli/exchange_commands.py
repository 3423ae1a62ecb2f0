"""`qualcode export qdpx|qdc` and `qualcode import qdpx|qdc`: REFI-QDA exchange from the shell."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qualcode.cli.common import BarProgress, default_coder_name
from qualcode.cli.main import subcommand_group
from qualcode.services import coders as coder_service
from qualcode.services.exchange import refi as exchange
from qualcode.store.project import Project


def register(subparsers: Any) -> None:
    export = subcommand_group(subparsers, "export", help="write the project, or parts of it, to files")
    qdpx = export.add_parser("qdpx", help="the whole project as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA ...")
    qdpx.add_argument("project", type=Path)
    qdpx.add_argument("output", type=Path, help="the .qdpx file to write")
    qdpx.set_defaults(handler=_export_qdpx)
    qdc = export.add_parser("qdc", help="the codes and themes as a REFI-QDA codebook")
    qdc.add_argument("project", type=Path)
    qdc.add_argument("output", type=Path, help="the .qdc file to write")
    qdc.set_defaults(handler=_export_qdc)

    imports = subcommand_group(subparsers, "import", help="bring files from elsewhere into a project")
    project_in = imports.add_parser("qdpx", help="a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA ...")
    project_in.add_argument("project", type=Path, help="the QualCode project to import into (or create, with --new)")
    project_in.add_argument("file", type=Path, help="the .qdpx file")
    project_in.add_argument("--new", action="store_true", help="create PROJECT from the file instead")
    project_in.set_defaults(handler=_import_qdpx)
    codebook_in = imports.add_parser("qdc", help="a REFI-QDA codebook (.qdc): its codes are added to the project")
    codebook_in.add_argument("project", type=Path)
    codebook_in.add_argument("file", type=Path, help="the .qdc file")
    codebook_in.set_defaults(handler=_import_qdc)


def _print_report(report: exchange.ExchangeReport, verb: str) -> None:
    print(f"{verb} {report.summary()}")
    if report.counting:
        print(f"Positions counted in {report.counting}" + (f" (file written by {report.producer})"
                                                            if report.producer else ""))
    for deviation in report.deviations:
        print(f"  - {deviation}")


def _export_qdpx(args: argparse.Namespace) -> int:
    progress = BarProgress("Exporting")
    try:
        with Project.open(args.project, read_only=True) as project, project.session() as session:
            report = exchange.export_qdpx(session, path=args.output, progress=progress)
    finally:
        progress.close()
    _print_report(report, "Wrote")
    return 0


def _export_qdc(args: argparse.Namespace) -> int:
    with Project.open(args.project, read_only=True) as project, project.session() as session:
        report = exchange.export_qdc(session, path=args.output)
    _print_report(report, "Wrote")
    return 0


def _import_qdpx(args: argparse.Namespace) -> int:
    progress = BarProgress("Importing")
    try:
        if args.new:
            report = exchange.import_qdpx_as_new_project(args.file, args.project, coder_name=default_coder_name(args),
                                                         progress=progress)
            _print_report(report, "Created")
            return 0
        with Project.open(args.project) as project, project.session() as session:
            coder = coder_service.ensure_coder(session, default_coder_name(args))
            _, report = exchange.import_qdpx(session, path=args.file, coder_id=coder.id, progress=progress)
    finally:
        progress.close()
    _print_report(report, "Imported")
    return 0


def _import_qdc(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project, project.session() as session:
        coder = coder_service.ensure_coder(session, default_coder_name(args))
        _, report = exchange.import_qdc(session, path=args.file, coder_id=coder.id)
    _print_report(report, "Imported")
    return 0
