"""`qualcode merge`, `qualcode coder-copy`, `qualcode agreement`, `qualcode disagreements`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qualcode.cli.common import find_document, project_location
from qualcode.domain.errors import ValidationError
from qualcode.domain.text import plural


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
    merge.add_argument("--take-text", action="append", default=[], metavar="DOCUMENT",
                       help="where a document's incoming text differs, take it instead of the base's (codings "
                            "move with their words); repeat per document, or '*' for every one")
    merge.set_defaults(handler=_merge)

    copy = subparsers.add_parser("coder-copy", help="export a copy of a project for one coder")
    copy.add_argument("path", type=Path)
    copy.add_argument("output", type=Path)
    copy.add_argument("--for", dest="for_coder", required=True, metavar="NAME", help="the coder the copy is for")
    copy.add_argument("--blind", action="store_true", help="leave out the other coders' codings, memos and journals")
    copy.add_argument("--documents", metavar="D1,D2", help="the documents this coder is assigned (recorded, so "
                                                         "agreement counts the others as missing for the coder)")
    copy.set_defaults(handler=_coder_copy)

    agreement = subparsers.add_parser("agreement", help="inter-coder agreement per code and overall")
    agreement.add_argument("path", type=project_location)
    _choice_arguments(agreement)
    agreement.add_argument("--threshold", type=float, default=0.5,
                           help="segment overlap needed for a match (0-1, default 0.5)")
    agreement.add_argument("--no-sentences", action="store_true", help="skip alpha on sentence units")
    agreement.add_argument("--resamples", type=int, default=1000, metavar="N",
                           help="bootstrap resamples of the documents for 95%% confidence intervals (0: none; "
                                "default 1000)")
    agreement.add_argument("--seed", type=int, default=2024, help="seed of the bootstrap resampling (default 2024)")
    agreement.add_argument("--assigned", action="append", default=[], metavar="CODER=DOC,DOC",
                           help="the documents a coder was assigned (repeat per coder); the others count as "
                                "missing for that coder, not as not coded")
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
                                 coder_name=args.coder, take_text=args.take_text, progress=bar)
    finally:
        bar.close()
    print(report.summary())
    if report.texts_taken:
        print(f"Took the incoming text of {', '.join(report.texts_taken)} (codings moved with their words).")
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
    from qualcode.store.server import open_project

    documents = None
    if args.documents:
        with open_project(args.path, read_only=True) as project, project.session() as session:
            documents = _document_ids(session, args.documents)
    copy = export_coder_copy(args.path, args.output, coder_name=args.for_coder, blind=args.blind,
                             documents=documents)
    detail = f"; left out {copy.codings_removed} codings of other coders" if copy.blind else ""
    if copy.assigned_documents is not None:
        detail += f"; assigned {plural(copy.assigned_documents, 'document')}"
    print(f"Wrote {copy.path} for {copy.coder} ({copy.codings_kept} codings{detail}).")
    return 0


def _resolve(session: Any, args: argparse.Namespace) -> tuple[list[int], list[int] | None, list[int] | None]:

    from qualcode.services.codebook.nodes import find_node
    from qualcode.services.coders import require_coder_named

    coder_ids = [require_coder_named(session, name).id for name in _names(args.coders)]
    if len(coder_ids) < 2:
        raise ValidationError("Give at least two coders, e.g. --coders Ann,Bob.")
    node_ids = [find_node(session, name).id for name in _names(args.nodes)] if args.nodes else None
    document_ids = _document_ids(session, args.documents) if args.documents else None
    return coder_ids, node_ids, document_ids


def _document_ids(session: Any, names: str) -> list[int]:
    return [find_document(session, name) for name in _names(names)]


def _format(value: object, digits: int) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{round(value, digits) + 0.0:.{digits}f}"  # + 0.0: no "-0.000"
    return str(value)


def _interval(value: tuple[float, float] | None) -> str:
    return "n/a" if value is None else f"{_format(value[0], 3)} to {_format(value[1], 3)}"


def _assignments(session: Any, values: list[str]) -> dict[int, list[int]]:
    """`CODER=DOC,DOC` options as coder id -> ids of the documents that coder was assigned."""
    from qualcode.services.coders import require_coder_named

    result: dict[int, list[int]] = {}
    for value in values:
        coder, separator, documents = value.partition("=")
        if not separator or not coder.strip():
            raise ValidationError(f"--assigned takes CODER=DOCUMENT,DOCUMENT (got '{value}').")
        result.setdefault(require_coder_named(session, coder.strip()).id, []).extend(
            _document_ids(session, documents))
    return result


def _agreement(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.agreement import compute_agreement, export_agreement
    from qualcode.store.server import open_project

    bar = _Bar()
    try:
        with open_project(args.path, read_only=True) as project, project.session() as session:
            coder_ids, node_ids, document_ids = _resolve(session, args)
            assignments = _assignments(session, args.assigned) if args.assigned else None
            report = compute_agreement(session, coder_ids=coder_ids, node_ids=node_ids, document_ids=document_ids,
                                       threshold=args.threshold, sentence_units=not args.no_sentences,
                                       resamples=args.resamples, seed=args.seed, assignments=assignments,
                                       progress=bar)
    finally:
        bar.close()
    if args.output:
        print(f"Wrote {export_agreement(report, args.output)}")
        return 0
    header = ["Code", "Pair", "Units", "Prev", "%all", "κ all", "κ 95% CI", "AC1", "BP κ", "%coded", "κ coded",
              "α char", "α 95% CI", "α sent", "Fleiss κ", "αu", "F1"]
    rows = [[("  " * row.depth + row.node)[:40], f"{row.coder_a}-{row.coder_b}", f"{row.units:,}",
             _format(row.prevalence, 3), _format(row.percent_all, 1), _format(row.kappa_all, 3),
             _interval(row.kappa_interval), _format(row.ac1, 3), _format(row.bp, 3), _format(row.percent_coded, 1),
             _format(row.kappa_coded, 3), _format(row.alpha_characters, 3), _interval(row.alpha_interval),
             _format(row.alpha_sentences, 3), _format(row.fleiss_kappa, 3), _format(row.alpha_unitizing, 3),
             _format(row.f1, 3)]
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
    from qualcode.store.server import open_project

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
    print(f"{plural(len(places), 'place')} where the coders differ.")
    return 0
