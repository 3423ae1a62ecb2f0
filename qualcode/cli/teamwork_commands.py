"""`qualcode merge`, `qualcode coder-copy`, `qualcode agreement`, `qualcode disagreements`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qualcode.cli.project_commands import project_location
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.store.server import open_project


class _Bar:
    """Progress on stderr (a bar on a terminal, nothing when piped)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._show = sys.stderr.isatty()

    def update(self, done: int, total: int, message: str = "") -> None:
        if not self._show:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=sys.stderr, leave=False, bar_format="{desc} {bar} {percentage:3.0f}%")
        self._bar.total = total
        self._bar.n = done
        self._bar.set_description_str(message[:50])
        self._bar.refresh()

    def cancelled(self) -> bool:
        return False

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _names(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def register(subparsers: Any) -> None:
    merge = subparsers.add_parser(
        "merge", help="merge coders' projects into a base project",
        description="Merge OTHER projects into BASE: into a new file with -o, otherwise in place after a backup.")
    merge.add_argument("base", type=project_location, metavar="BASE", help="the project the others are merged into")
    merge.add_argument("others", type=Path, nargs="+", metavar="OTHER", help="coders' projects to merge in")
    merge.add_argument("-o", "--output", type=Path, help="write the merged project to this new file")
    merge.add_argument("--dry-run", action="store_true", help="report what the merge would do; write nothing")
    merge.add_argument("--report", type=Path, help="save the merge report (.html or .md)")
    merge.set_defaults(handler=_merge)

    copy = subparsers.add_parser("coder-copy", help="export a copy of a project for one coder")
    copy.add_argument("path", type=Path)
    copy.add_argument("output", type=Path)
    copy.add_argument("--for", dest="for_coder", required=True, metavar="NAME", help="the coder the copy is for")
    copy.add_argument("--blind", action="store_true", help="leave out the other coders' codings, memos and journals")
    copy.set_defaults(handler=_coder_copy)

    agreement = subparsers.add_parser("agreement", help="inter-coder agreement per code and overall")
    agreement.add_argument("path", type=project_location)
    _choice_arguments(agreement)
    agreement.add_argument("--threshold", type=float, default=0.5,
                           help="segment overlap needed for a match (0-1, default 0.5)")
    agreement.add_argument("--no-sentences", action="store_true", help="skip alpha on sentence units")
    agreement.add_argument("-o", "--output", type=Path, help="write the table to .csv, .xlsx, .docx, .html or .md")
    agreement.set_defaults(handler=_agreement)

    places = subparsers.add_parser("disagreements", help="list the places where coders coded differently")
    places.add_argument("path", type=project_location)
    _choice_arguments(places)
    places.set_defaults(handler=_disagreements)


def _choice_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--coders", required=True, metavar="A,B", help="two or more coder names, comma-separated")
    parser.add_argument("--nodes", metavar="N1,N2", help="codes to compare (names or Parent/Child paths)")
    parser.add_argument("--documents", metavar="D1,D2", help="documents to compare (names)")


def _merge(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.merge import merge_files

    bar = _Bar()
    try:
        if isinstance(args.base, str):  # a team project URL: merged on the server, in one transaction
            from qualcode.services.teamwork.team import merge_into_team

            if args.output is not None:
                raise ValidationError("-o writes a new file: merge into a team project in place, or check it out first.")
            report = merge_into_team(args.base, args.others, coder_name=args.coder, dry_run=args.dry_run, progress=bar)
        else:
            report = merge_files(args.base, args.others, output=args.output, dry_run=args.dry_run,
                                 coder_name=args.coder, progress=bar)
    finally:
        bar.close()
    print(report.summary())
    for conflict in report.conflicts:
        print(f"  {conflict.kind.value}: {conflict.entity} '{conflict.name}'. {conflict.detail}")
    for source in report.sources:
        for moved in source.reanchored:
            placed = "not merged (text removed)" if moved.placed_text is None else f"placed on '{moved.placed_text}'"
            print(f"  changed text: {moved.document}, {moved.node} ({moved.coder}): '{moved.incoming_text}' {placed}")
    if report.output:
        print(f"Wrote {report.output}")
    if report.backup:
        print(f"Backup of the project before the merge: {report.backup}")
    if args.report:
        print(f"Report saved to {report.save(args.report)}")
    return 0


def _coder_copy(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.distribute import export_coder_copy

    copy = export_coder_copy(args.path, args.output, coder_name=args.for_coder, blind=args.blind)
    detail = f"; left out {copy.codings_removed} codings of other coders" if copy.blind else ""
    print(f"Wrote {copy.path} for {copy.coder} ({copy.codings_kept} codings{detail}).")
    return 0


def _resolve(session: Any, args: argparse.Namespace) -> tuple[list[int], list[int] | None, list[int] | None]:
    from sqlalchemy import func, select

    from qualcode.services.codebook.nodes import find_node
    from qualcode.services.coders import require_coder_named
    from qualcode.store.models import Document

    coder_ids = [require_coder_named(session, name).id for name in _names(args.coders)]
    if len(coder_ids) < 2:
        raise ValidationError("Give at least two coders, e.g. --coders Ann,Bob.")
    node_ids = [find_node(session, name).id for name in _names(args.nodes)] if args.nodes else None
    document_ids = None
    if args.documents:
        document_ids = []
        for name in _names(args.documents):
            found = session.scalar(select(Document.id).where(func.lower(Document.name) == name.lower()))
            if found is None:
                raise NotFoundError(f"There is no document named '{name}' in this project.")
            document_ids.append(int(found))
    return coder_ids, node_ids, document_ids


def _format(value: object, digits: int) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _agreement(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.agreement import compute_agreement, export_agreement

    bar = _Bar()
    try:
        with open_project(args.path, read_only=True) as project, project.session() as session:
            coder_ids, node_ids, document_ids = _resolve(session, args)
            report = compute_agreement(session, coder_ids=coder_ids, node_ids=node_ids, document_ids=document_ids,
                                       threshold=args.threshold, sentence_units=not args.no_sentences, progress=bar)
    finally:
        bar.close()
    if args.output:
        print(f"Wrote {export_agreement(report, args.output)}")
        return 0
    header = ["Code", "Pair", "%all", "κ all", "%coded", "κ coded", "α char", "α sent", "F1"]
    rows = [[("  " * row.depth + row.node)[:40], f"{row.coder_a}-{row.coder_b}", _format(row.percent_all, 1),
             _format(row.kappa_all, 3), _format(row.percent_coded, 1), _format(row.kappa_coded, 3),
             _format(row.alpha_characters, 3), _format(row.alpha_sentences, 3), _format(row.f1, 3)]
            for row in report.rows]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) if i < 2 else str(cell).rjust(width)
                        for i, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip())
    print()
    for note in report.notes():
        print(note)
    return 0


def _disagreements(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.disagreements import list_disagreements

    with open_project(args.path, read_only=True) as project, project.session() as session:
        coder_ids, node_ids, document_ids = _resolve(session, args)
        places = list_disagreements(session, coder_ids=coder_ids, node_ids=node_ids, document_ids=document_ids,
                                    context=40)
    for place in places:
        status = f" [{place.decision}]" if place.decision else ""
        print(f"{place.document} {place.start}-{place.end}, {place.node}{status}: "
              f"{' '.join(place.text.split())[:80]!r}")
        for version in place.versions:
            spans = ", ".join(f"{s}-{e}" for s, e in version.spans) or "not coded"
            print(f"    {version.coder}: {spans}")
    print(f"{len(places)} place{'s' if len(places) != 1 else ''} where the coders differ.")
    return 0
