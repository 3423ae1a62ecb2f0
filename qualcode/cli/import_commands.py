"""`qualcode import`, `qualcode import-cases`, `qualcode anonymise`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qualcode.cli.common import BarProgress, coder_id_for
from qualcode.domain.errors import ValidationError
from qualcode.store.project import Project


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values or []:
        key, sep, target = value.partition("=")
        if not sep or not key.strip() or not target.strip():
            raise ValidationError(f"Write {what} as LABEL=VALUE, e.g. 'R={{id}}'; got '{value}'.")
        pairs[key.strip()] = target.strip()
    return pairs


def register(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import", help="import transcripts (.txt .docx .odt .rtf .pdf .md .html .vtt .srt)",
        description="Import transcript files; each file is its own transaction, so a bad file is reported "
                    "and the rest still land.")
    imp.add_argument("path", type=Path, help="the project file")
    imp.add_argument("files", type=Path, nargs="+", help="files to import")
    imp.add_argument("--kind", default="interview",
                     help="interview, follow_up, observation, field_note or literature (default interview)")
    imp.add_argument("--duplicates", choices=("skip", "copy"), default="skip",
                     help="a file whose text is already in the project: skip it (default) or import a copy")
    imp.add_argument("--encoding", help="character encoding of plain-text files (default: detect)")
    imp.add_argument("--no-speakers", action="store_true", help="do not look for speaker labels")
    imp.add_argument("--speaker-case", action="append", metavar="LABEL=CASE",
                     help="link the document to a case for this speaker; CASE may use {id} (first word of "
                          "the file name) or {stem}; repeatable")
    imp.add_argument("--interviewer", action="append", metavar="LABEL",
                     help="speaker label(s) of the interviewer (default: guess Interviewer, I, Q ...)")
    imp.add_argument("--exclude-interviewer", action="store_true",
                     help="mark interviewer turns so retrieval can leave them out")
    imp.add_argument("--autocode-speakers", action="store_true",
                     help="code each speaker's turns to a code 'Speaker: <label>'")
    imp.set_defaults(handler=_import)

    cases = subparsers.add_parser(
        "import-cases", help="import participants/sites with attributes from a .csv or .xlsx sheet")
    cases.add_argument("path", type=Path, help="the project file")
    cases.add_argument("sheet", type=Path, help="the .csv or .xlsx file")
    cases.add_argument("--worksheet", help="the worksheet of an .xlsx file (default: the first)")
    cases.add_argument("--id-column", help="the column naming each case (default: the first column)")
    cases.add_argument("--type", action="append", metavar="COLUMN=TYPE",
                       help="override an inferred attribute type (text, number, date, category); repeatable")
    link = cases.add_mutually_exclusive_group()
    link.add_argument("--file-column", help="a column naming each case's document file(s), ';'-separated")
    link.add_argument("--pattern", help="document name pattern with {column} fields, e.g. '{id}_*' "
                                        "(default: the case name as a word of the document name)")
    cases.add_argument("--no-link", action="store_true", help="create the cases without linking documents")
    cases.set_defaults(handler=_import_cases)



def _import(args: argparse.Namespace) -> int:
    from qualcode.services.importing.importing import ImportOptions, ImportStatus, import_files

    with Project.open(args.path) as project:
        options = ImportOptions(
            kind=args.kind, duplicates=args.duplicates, encoding=args.encoding,
            detect_speakers=not args.no_speakers, speaker_cases=_pairs(args.speaker_case, "--speaker-case"),
            interviewer_speakers=tuple(args.interviewer) if args.interviewer else None,
            exclude_interviewer=args.exclude_interviewer, autocode_speakers=args.autocode_speakers,
            coder_id=coder_id_for(project, args),
        )
        progress = BarProgress("Importing", unit="file")
        try:
            report = import_files(project, paths=args.files, options=options, progress=progress)
        finally:
            progress.close()
    for outcome in report.outcomes:
        stream = sys.stderr if outcome.status is ImportStatus.FAILED else sys.stdout
        print(f"{outcome.status.value:>9}  {outcome.message}", file=stream)
    print(report.summary())
    return 1 if report.failed and not report.imported else 0


def _import_cases(args: argparse.Namespace) -> int:
    from qualcode.services.cases.case_sheets import CaseSheetOptions, import_case_sheet

    with Project.open(args.path) as project:
        options = CaseSheetOptions(
            worksheet=args.worksheet, id_column=args.id_column, types=_pairs(args.type, "--type"),
            file_column=args.file_column, pattern=args.pattern, link_documents=not args.no_link,
            coder_id=coder_id_for(project, args),
        )
        with project.session() as session:
            result = import_case_sheet(session, path=args.sheet, options=options).result
    print(result.summary())
    for column in result.columns:
        print(f"  {column.name:<24} {column.type.value}{'  (overridden)' if column.overridden else ''}")
    for row in result.unmatched:
        print(f"  no document matches case '{row}'")
    return 0
