"""Literature reviews on the command line: `qualcode refs import|list|attach|export`,
`qualcode screen reason|decide|status|agreement|count`, and `qualcode export
prisma|studies|study-matrix|study-quotes`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qualcode.cli.common import default_coder_name, project_location
from qualcode.cli.groups import subcommand_group
from qualcode.domain.errors import ValidationError
from qualcode.domain.references import stage_label
from qualcode.domain.text import plural

STAGES = "title-abstract (ta) or full-text (ft)"


def register(subparsers: Any) -> None:
    refs = subparsers.add_parser("refs", help="reference lists of a literature review",
                                 description="Import references as study cases, attach their PDFs, export a "
                                             "bibliography.")
    commands = refs.add_subparsers(dest="refs_command", metavar="ACTION", required=True)
    imports = commands.add_parser("import", help="references from .ris .bib .json (CSL) .xml (EndNote) .txt (APA)",
                                  description="Each new reference becomes a study case with typed attributes; "
                                              "duplicates (same DOI, or same title and year) and entries that "
                                              "cannot be read are reported.")
    imports.add_argument("path", type=project_location, help="the project file or team project URL")
    imports.add_argument("files", type=Path, nargs="+", help="reference files")
    imports.add_argument("--database", help="where the records were found, e.g. MEDLINE (default: the file name)")
    imports.add_argument("--format", help="ris, bibtex, csl-json, endnote-xml or text (default: from the suffix)")
    imports.set_defaults(handler=_import)

    listing = commands.add_parser("list", help="study records with their screening status")
    listing.add_argument("path", type=project_location, help="the project file or team project URL")
    listing.add_argument("--duplicates", action="store_true", help="also list the duplicate records")
    listing.add_argument("--search", default="", help="only records whose title, authors or source contain this")
    listing.set_defaults(handler=_list)

    attach = commands.add_parser("attach", help="attach full-text PDFs (matched by DOI, file name or title)")
    attach.add_argument("path", type=project_location, help="the project file or team project URL")
    attach.add_argument("files", type=Path, nargs="+", help="PDF files")
    attach.add_argument("--study", help="attach the one PDF given to this study (case name or DOI)")
    attach.set_defaults(handler=_attach)

    export = commands.add_parser("export", help="a bibliography of the included studies (.bib .ris .json)")
    export.add_argument("path", type=project_location, help="the project file or team project URL")
    export.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    export.add_argument("--all", action="store_true", help="every study record, not only the included ones")
    export.set_defaults(handler=_export_bibliography)

    screen = subparsers.add_parser("screen", help="screen records: title/abstract, then full text",
                                   description="Record screening decisions, the team's exclusion reasons, and "
                                               "PRISMA counts for what happened outside QualCode.")
    actions = screen.add_subparsers(dest="screen_command", metavar="ACTION", required=True)
    reason = actions.add_parser("reason", help="add an exclusion reason to a stage's list")
    reason.add_argument("path", type=project_location, help="the project file or team project URL")
    reason.add_argument("reason", help="e.g. 'wrong population'")
    reason.add_argument("--stage", default="full-text", help=STAGES)
    reason.set_defaults(handler=_reason)

    decide = actions.add_parser("decide", help="include or exclude records at a stage (as --coder)")
    decide.add_argument("path", type=project_location, help="the project file or team project URL")
    decide.add_argument("studies", nargs="+", help="study case names (e.g. 'Smith 2018') or DOIs")
    decide.add_argument("--stage", required=True, help=STAGES)
    which = decide.add_mutually_exclusive_group(required=True)
    which.add_argument("--include", action="store_true")
    which.add_argument("--exclude", action="store_true")
    decide.add_argument("--reason", default="", help="why excluded (from the team's list)")
    decide.add_argument("--final", action="store_true", help="settle the stage (resolve a disagreement)")
    decide.set_defaults(handler=_decide)

    status = actions.add_parser("status", help="counts per outcome, and records still to screen")
    status.add_argument("path", type=project_location, help="the project file or team project URL")
    status.add_argument("--mine", action="store_true", help="blind: only the --coder's own decisions")
    status.set_defaults(handler=_status)

    agreement = actions.add_parser("agreement", help="two screeners' agreement at a stage")
    agreement.add_argument("path", type=project_location, help="the project file or team project URL")
    agreement.add_argument("--stage", required=True, help=STAGES)
    agreement.add_argument("--coders", required=True, metavar="A,B")
    agreement.set_defaults(handler=_agreement)

    count = actions.add_parser("count", help="a PRISMA count kept by hand (registers, automation, removed-other, "
                                             "duplicates, not-retrieved, 'identified: DATABASE')")
    count.add_argument("path", type=project_location, help="the project file or team project URL")
    count.add_argument("key")
    count.add_argument("value", type=int)
    count.set_defaults(handler=_count)

    exports = subcommand_group(subparsers, "export", help="write tables and figures for a manuscript")
    flow = exports.add_parser("prisma", help="the PRISMA 2020 flow diagram (.png .svg .pdf)")
    flow.add_argument("path", type=project_location, help="the project file or team project URL")
    flow.add_argument("-o", "--output", type=Path, required=True, help="the file to write: .png, .svg or .pdf")
    flow.add_argument("--dpi", type=int, default=300, help="resolution of a PNG (default 300)")
    flow.add_argument("--format", help="png, svg or pdf (default: from the suffix)")
    flow.add_argument("--title", default="")
    flow.set_defaults(handler=_export_prisma)

    studies = exports.add_parser("studies", help="characteristics of included studies (.docx .xlsx .csv .html .md)")
    studies.add_argument("path", type=project_location, help="the project file or team project URL")
    studies.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    studies.add_argument("--columns", help="case attributes as columns, in order (default: title, source and "
                                           "the attributes you added)")
    studies.add_argument("--all", action="store_true", help="every study record, not only the included ones")
    studies.set_defaults(handler=_export_studies)

    matrix = exports.add_parser("study-matrix", help="categories × studies: coded passages per category and study")
    matrix.add_argument("path", type=project_location, help="the project file or team project URL")
    matrix.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    matrix.add_argument("--all", action="store_true", help="every study record, not only the included ones")
    matrix.set_defaults(handler=_export_matrix)

    quotes = exports.add_parser("study-quotes", help="coded passages by category, cited '(Author Year, p. 4)'")
    quotes.add_argument("path", type=project_location, help="the project file or team project URL")
    quotes.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    quotes.add_argument("--node", action="append", default=[], help="only this category (name; repeatable)")
    quotes.add_argument("--all", action="store_true", help="every study record, not only the included ones")
    quotes.set_defaults(handler=_export_quotes)


def _coder_id(session: Any, args: argparse.Namespace) -> int:
    from qualcode.services import coders

    return coders.ensure_coder(session, default_coder_name(args)).id


def _import(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import references
    from qualcode.store.server import open_project

    with open_project(args.path) as project:
        coder = None
        for path in args.files:
            with project.session() as session:
                coder = coder or _coder_id(session, args)
                result = references.import_reference_file(session, path=path, database=args.database or "",
                                                          format=args.format, coder_id=coder).result
            print(f"{path.name} ({result.format}, {result.database}): {len(result.imported)} new "
                  f"stud{'y' if len(result.imported) == 1 else 'ies'}, {len(result.duplicates)} duplicate(s), "
                  f"{len(result.unparsed)} not read")
            for duplicate in result.duplicates:
                print(f"  duplicate ({duplicate.reason}) of {duplicate.kept_as}: {duplicate.title[:70]}")
            for entry in result.unparsed:
                print(f"  line {entry.line}: not read: {entry.problem} [{entry.text[:60]}]")
    return 0


def _list(args: argparse.Namespace) -> int:
    from qualcode.cli.table_output import format_table
    from qualcode.services.reviews import references, screening
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        records = references.list_references(session, include_duplicates=args.duplicates)
        status = screening.screening_status(session)
    needle = args.search.casefold()
    rows = []
    for info in records:
        text = " ".join((info.record.title, *info.record.authors, info.record.source)).casefold()
        if needle and needle not in text:
            continue
        state = status.get(info.id, f"duplicate ({info.duplicate_reason})")
        rows.append((info.case_name or "—", str(info.record.year or ""), info.record.title, info.database, state))
    print(format_table(("Study", "Year", "Title", "Database", "Status"), rows) if rows else "No records.")
    return 0


def _attach(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import fulltexts, screening
    from qualcode.store.server import open_project

    with open_project(args.path) as project, project.session() as session:
        coder = _coder_id(session, args)
        if args.study:
            if len(args.files) != 1:
                raise ValidationError("--study takes exactly one PDF.")
            reference_id = screening.find_reference(session, args.study)
            fulltexts.attach_pdf(session, reference_id=reference_id, path=args.files[0], coder_id=coder)
            print(f"{args.files[0].name}: attached to {args.study}")
            return 0
        report = fulltexts.attach_fulltexts(session, paths=args.files, coder_id=coder)
    for match in report.matched:
        print(f"{match.path.name}: {match.study} (by {match.how})")
    for match in report.unmatched:
        print(f"{match.path.name}: not attached: {match.how}")
    if report.studies_without_pdf:
        print(f"{len(report.studies_without_pdf)} stud{'y has' if len(report.studies_without_pdf) == 1 else 'ies have'}"
              f" no PDF yet")
    return 1 if report.unmatched and not report.matched else 0


def _export_bibliography(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import bibliography
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        count = bibliography.export_bibliography(session, path=args.output, which="all" if args.all else "included")
    print(f"Wrote {plural(count, 'reference')} to {args.output}")
    return 0


def _reason(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import screening
    from qualcode.store.server import open_project

    with open_project(args.path) as project, project.session() as session:
        screening.add_reason(session, stage=args.stage, text=args.reason, coder_id=_coder_id(session, args))
        reasons = screening.list_reasons(session, stage=args.stage)
    print(f"Exclusion reasons ({stage_label(screening.stage_of(args.stage))}): {'; '.join(reasons)}")
    return 0


def _decide(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import screening
    from qualcode.store.server import open_project

    decision = "include" if args.include else "exclude"
    with open_project(args.path) as project, project.session() as session:
        coder = _coder_id(session, args)
        ids = [screening.find_reference(session, study) for study in args.studies]
        screening.decide_many(session, records=[(i, args.stage) for i in ids], decision=decision, coder_id=coder,
                              reason=args.reason, final=args.final)
    print(f"{decision.capitalize()}d {plural(len(ids), 'record')} at "
          f"{stage_label(screening.stage_of(args.stage))}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from collections import Counter

    from qualcode.services.reviews import prisma, screening
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        if args.mine:
            coder = screening.coder_ids(session, [default_coder_name(args)])[0]
            mine = screening.decisions(session, coder_id=coder)
            for stage in ("title_abstract", "full_text"):
                counts = Counter(d.decision.value for d in mine if d.stage.value == stage)
                print(f"{stage_label(stage)}: {counts.get('include', 0)} included, "
                      f"{counts.get('exclude', 0)} excluded by {default_coder_name(args)}")
            return 0
        status = Counter(screening.screening_status(session).values())
        report = prisma.prisma_report(session)
    for state, count in sorted(status.items()):
        print(f"{state}: {count}")
    for warning in report.warnings():
        print(warning)
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from qualcode.services.reviews.agreement import screening_agreement
    from qualcode.store.server import open_project

    names = [n.strip() for n in args.coders.split(",") if n.strip()]
    if len(names) != 2:
        raise ValidationError(f"--coders takes two screeners, e.g. 'Ana,Ben'; got '{args.coders}'.")
    with open_project(args.path, read_only=True) as project, project.session() as session:
        from qualcode.services.reviews.screening import coder_ids

        coder_ids(session, names)
        result = screening_agreement(session, stage=args.stage, coder_a=names[0], coder_b=names[1])
        from qualcode.services.reviews.references import get_reference

        disagreements = [(get_reference(session, d.reference_id).case_name, d.decision_a, d.decision_b)
                         for d in result.disagreements]
    table = result.table
    print(f"{stage_label(result.stage)}: {table.units} records screened by both "
          f"({result.only_one_screened} by only one)")
    print(f"  both included {table.both}, both excluded {table.neither}, only {names[0]} included {table.only_a}, "
          f"only {names[1]} included {table.only_b}")
    fmt = lambda v: "—" if v is None else f"{v:.3f}"
    percent = "—" if result.percent is None else f"{result.percent:.1f}%"
    print(f"  agreement {percent}, Cohen's kappa {fmt(result.kappa)}, Krippendorff's alpha {fmt(result.alpha)}")
    for study, a, b in disagreements:
        print(f"  {study}: {names[0]} {a}, {names[1]} {b}")
    return 0


def _count(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import prisma
    from qualcode.store.server import open_project

    with open_project(args.path) as project, project.session() as session:
        prisma.set_count(session, key=args.key, value=args.value, coder_id=_coder_id(session, args))
    print(f"PRISMA count '{args.key}' = {args.value}")
    return 0


def _export_prisma(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import prisma
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        report = prisma.export_prisma(session, path=args.output, dpi=args.dpi, format=args.format, title=args.title)
    flow = report.flow
    print(f"Wrote {args.output}: {flow.identified + flow.registers} identified, {flow.screened} screened, "
          f"{flow.assessed} assessed, {flow.included} included")
    for warning in report.warnings():
        print(warning)
    return 0


def _write(table: Any, output: Path) -> None:
    from qualcode.io.table_export import write_table

    write_table(output, title=table.title, header=table.header, rows=table.rows)
    print(f"Wrote {output} ({len(table.rows)} rows)")


def _export_studies(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import tables
    from qualcode.store.server import open_project

    columns = [c for c in (args.columns or "").split(",") if c.strip()]
    with open_project(args.path, read_only=True) as project, project.session() as session:
        table = tables.characteristics_table(session, columns=columns, which="all" if args.all else "included")
    _write(table, args.output)
    return 0


def _export_matrix(args: argparse.Namespace) -> int:
    from qualcode.services.reviews import tables
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        table = tables.category_matrix(session, which="all" if args.all else "included")
    _write(table, args.output)
    return 0


def _export_quotes(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes
    from qualcode.services.reviews import tables
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        node_ids = [nodes.find_node(session, name).id for name in args.node]
        table = tables.quotes_table(session, node_ids=node_ids, which="all" if args.all else "included")
    _write(table, args.output)
    return 0
