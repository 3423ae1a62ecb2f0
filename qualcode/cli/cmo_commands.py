"""Realist evaluation on the command line: `qualcode cmo list|show|add|tag|status|refine` and
`qualcode export cmoc-table|programme-theory`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qualcode.cli.common import as_coder, coder_id_for, find_document, find_span, project_location
from qualcode.cli.groups import subcommand_group
from qualcode.domain.errors import ValidationError
from qualcode.domain.text import plural

STATUSES = "proposed, confirmed, refuted, refined or new"


def register(subparsers: Any) -> None:
    cmo = subparsers.add_parser("cmo", help="context-mechanism-outcome configurations (realist evaluation)",
                                description="List, add, tag and refine CMO configurations.")
    commands = cmo.add_subparsers(dest="cmo_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="configurations grouped by concept, with evidence counts")
    listing.add_argument("path", type=project_location, help="the project file or team project URL")
    _filters(listing)
    listing.add_argument("--sites", metavar="ATTRIBUTE", help="count distinct values of this case attribute")
    listing.set_defaults(handler=_list)

    show = commands.add_parser("show", help="one configuration: statements, evidence, refinement history")
    show.add_argument("path", type=project_location, help="the project file or team project URL")
    show.add_argument("label", help="the configuration's label, e.g. 'CMOC 3'")
    show.set_defaults(handler=_show)

    add = commands.add_parser("add", help="add a configuration", description=(
        "Add a configuration. Give statements with -C/-M/-O (repeatable: a configuration may have several "
        "outcomes) or --statement ROLE=TEXT for the roles of other templates, in the order the sentence reads "
        "them (e.g. -C ... -O ... -M ...). Statements are joined by a space and keep their own punctuation."))
    add.add_argument("path", type=project_location, help="the project file or team project URL")
    add.add_argument("--concept", required=True, help="the concept (group) label, e.g. 'Enrolment'")
    add.add_argument("--label", default="", help="the label (default: the next 'CMOC n')")
    add.add_argument("-C", "--context", action=_InOrder, role="C", dest="statements", default=[], metavar="TEXT")
    add.add_argument("-M", "--mechanism", action=_InOrder, role="M", dest="statements", default=[], metavar="TEXT")
    add.add_argument("-O", "--outcome", action=_InOrder, role="O", dest="statements", default=[], metavar="TEXT")
    add.add_argument("--statement", action=_InOrder, role="", dest="statements", default=[], metavar="ROLE=TEXT")
    add.add_argument("--sentence", default="", help="the sentence as the authors wrote it, with the markers in "
                                                    "place: 'Uncertainty ... (C) may make ... (O) because ... (M).'")
    add.add_argument("--template", default="CMO", help="CMO (default), ICAMO, SCMO, CIMO or your own name")
    add.add_argument("--roles", help="the roles of your own template, in order, e.g. 'C,Mres,Mreas,O'")
    add.add_argument("--status", default="proposed", help=STATUSES)
    add.add_argument("--origin", default="data", help="prior_theory or data (default)")
    add.add_argument("--refines", metavar="LABEL", help="the earlier version this configuration refines")
    add.add_argument("--memo", default="")
    add.add_argument("--theme", action="append", default=[], metavar="NODE",
                     help="a theme or code the configuration draws on (name or 'Parent/Child'; repeatable)")
    add.set_defaults(handler=_add)

    tag = commands.add_parser("tag", help="tag a passage as evidence for a role (C, M, O ...)",
                              description="Tag a passage of a document as C, M or O: it is attached to the "
                                          "configuration's statement in that role, or starts a new configuration.")
    tag.add_argument("path", type=project_location, help="the project file or team project URL")
    tag.add_argument("--document", required=True, help="the document's name")
    where = tag.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", help="the exact passage (its first occurrence is tagged)")
    where.add_argument("--span", metavar="START:END", help="character offsets of the passage")
    tag.add_argument("--role", required=True, help="C, M, O or a role of the configuration's template")
    target = tag.add_mutually_exclusive_group()
    target.add_argument("--configuration", metavar="LABEL", help="an existing configuration")
    target.add_argument("--concept", default="", help="start a new configuration in this concept")
    tag.add_argument("--statement", help="word a new statement (default: the passage itself)")
    tag.add_argument("--stance", default="supports", help="supports (default) or refutes")
    tag.set_defaults(handler=_tag)

    status = commands.add_parser("status", help="set a configuration's status")
    status.add_argument("path", type=project_location, help="the project file or team project URL")
    status.add_argument("label", help="the configuration's label")
    status.add_argument("status", help=STATUSES)
    status.set_defaults(handler=_status)

    order = commands.add_parser("order", help="the order a configuration's sentence reads its statements in",
                                description="Order the statements of a configuration's sentence by their roles, "
                                            "e.g. C O M; a role named twice takes its next statement.")
    order.add_argument("path", type=project_location, help="the project file or team project URL")
    order.add_argument("label", help="the configuration's label")
    order.add_argument("roles", nargs="+", help="the roles in the sentence's order, e.g. C O M")
    order.set_defaults(handler=_order)

    sentence = commands.add_parser("sentence", help="write a configuration's sentence out in full",
                                   description="Give the sentence as the authors wrote it, with the role markers "
                                               "where they belong; an empty sentence builds it from the statements.")
    sentence.add_argument("path", type=project_location, help="the project file or team project URL")
    sentence.add_argument("label", help="the configuration's label")
    sentence.add_argument("sentence", help="e.g. 'Uncertainty ... (C) may make ... (O) because ... (M).'")
    sentence.set_defaults(handler=_sentence)

    stages = commands.add_parser("stages", help="the order of the concepts as stages of the programme theory",
                                 description="Set the order the programme theory draws the concepts in, as stages "
                                             "of a pathway (kept in the project); without concepts, list it.")
    stages.add_argument("path", type=project_location, help="the project file or team project URL")
    stages.add_argument("concepts", nargs="*", help="the concepts in order, e.g. Enrolment Engagement Readiness")
    stages.set_defaults(handler=_stages)

    refine = commands.add_parser("refine", help="start a refined version of a configuration")
    refine.add_argument("path", type=project_location, help="the project file or team project URL")
    refine.add_argument("label", help="the configuration to refine")
    refine.add_argument("--label", dest="new_label", default="", help="the new version's label")
    refine.set_defaults(handler=_refine)

    exports = subcommand_group(subparsers, "export", help="write tables and figures for a manuscript")
    table = exports.add_parser("cmoc-table", help="the CMOC table (.docx .xlsx .csv .html .md)",
                               description="The CMOC table as realist papers print it: rows grouped by concept, "
                                           "each configuration one sentence with (C), (M), (O) markers.")
    table.add_argument("path", type=project_location, help="the project file or team project URL")
    _output(table, "the file to write; its suffix picks the format")
    table.add_argument("--format", help="docx, xlsx, csv, html or md (default: from the suffix)")
    table.add_argument("--title", default="Context–mechanism–outcome configurations (CMOCs)",
                       help="the caption above the table, as it should print (e.g. 'Table 2. CMOCs')")
    table.add_argument("--layout", choices=("rows", "merged"), default="rows",
                       help="rows: a row per concept above its configurations (default); merged: the concept as "
                            "a first cell merged beside its configurations")
    table.add_argument("--concept-text", default="{concept}",
                       help="how the concept cell reads, e.g. 'CMOCs on {concept}'")
    table.add_argument("--numbering", choices=("label", "number", "none"), default="label",
                       help="label: a column with each configuration's label (default); number: '1.', '2.' "
                            "before each sentence; none")
    table.add_argument("--plain-markers", action="store_true", help="print (C), (M), (O) in plain, not bold, type")
    table.add_argument("--concept-header", default="Concept", help="the concept column's header (merged layout)")
    table.add_argument("--label-header", default="CMOC", help="the label column's header")
    table.add_argument("--sentence-header", default="Configuration", help="the sentence column's header")
    table.add_argument("--no-note", action="store_true", help="leave out the note under the table")
    table.add_argument("--no-status", action="store_true", help="leave out the status column")
    table.add_argument("--origin", action="store_true", help="add an origin column (prior theory / data)")
    table.add_argument("--no-counts", action="store_true", help="leave out the evidence counts")
    table.add_argument("--no-quote", action="store_true", help="leave out the example quote")
    table.add_argument("--sites", metavar="ATTRIBUTE", help="count sites as distinct values of this case attribute")
    _filters(table)
    table.set_defaults(handler=_export_table)

    theory = exports.add_parser("programme-theory", help="the programme-theory figure (.png .svg .pdf)",
                                description="The concepts as stages of a pathway, in the order given with --stage, "
                                            "each stage's contexts, mechanisms and outcomes beside it (shared "
                                            "statements once, status by line style), fitted to a journal page. "
                                            "--style inventory draws one C -> M -> O panel per concept instead.")
    theory.add_argument("path", type=project_location, help="the project file or team project URL")
    _output(theory, "the file to write: .png, .svg or .pdf")
    theory.add_argument("--title", default="")
    theory.add_argument("--style", choices=("pathway", "inventory"), default="pathway",
                        help="pathway (default): stages down the page; inventory: a panel per concept")
    theory.add_argument("--stage", action="append", metavar="CONCEPT",
                        help="the stages in the pathway's order (repeatable; unnamed concepts follow); default: "
                             "the order set with 'qualcode cmo stages'")
    theory.add_argument("--width", type=float, default=7.0, help="page width in inches (default 7)")
    theory.add_argument("--height", type=float, default=9.0, help="the most height allowed, in inches (default 9)")
    theory.add_argument("--min-font", type=float, default=7.0, help="the smallest text in points (default 7)")
    theory.add_argument("--per-concept", action="store_true",
                        help="one figure per concept: FILE-1-concept.png, FILE-2-... ")
    theory.add_argument("--dpi", type=int, default=300, help="resolution of a PNG (default 300)")
    theory.add_argument("--concept", action="append", help="only this concept (repeatable)")
    theory.add_argument("--status", action="append", help=f"only configurations with this status ({STATUSES})")
    theory.set_defaults(handler=_export_theory)


class _InOrder(argparse.Action):
    """-C/-M/-O/--statement into one list of (role, text), in the order they were given."""

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        self.role = role
        super().__init__(*args, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        items.append((self.role, str(values)))
        setattr(namespace, self.dest, items)


def _output(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("output", type=Path, nargs="?", help=help)
    parser.add_argument("-o", "--output", dest="output_file", type=Path, metavar="FILE", help="the same, as an option")


def _output_path(args: argparse.Namespace) -> Path:
    path = args.output_file or args.output
    if path is None:
        raise ValidationError("Name the file to write, e.g. '-o table.docx'.")
    return Path(path)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--concept", action="append", help="only this concept (repeatable)")
    parser.add_argument("--status", action="append", help=f"only this status ({STATUSES}; repeatable)")
    parser.add_argument("--case", metavar="ATTRIBUTE=VALUE",
                        help="only configurations with evidence from cases with this attribute value")


def _case_filter(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    name, sep, wanted = value.partition("=")
    if not sep or not name.strip() or not wanted.strip():
        raise ValidationError(f"Write --case as ATTRIBUTE=VALUE, e.g. 'deprivation=high'; got '{value}'.")
    return name.strip(), wanted.strip()


def _counts_text(spans: int, refuting: int, cases: int, sites: int | None) -> str:
    text = plural(spans, "excerpt") + (f" ({refuting} refuting)" if refuting else "")
    text += ", " + plural(cases, "participant")
    return text + (", " + plural(sites, "site") if sites is not None else "")


def _list(args: argparse.Namespace) -> int:
    from qualcode.services.realist import queries as cmo_queries
    from qualcode.services.realist.table import selected_configurations
    from qualcode.store.server import open_project

    attribute, value = _case_filter(args.case)
    with open_project(args.path, read_only=True) as project, project.session() as session:
        configs = selected_configurations(session, concepts=args.concept, statuses=args.status,
                                          case_attribute=attribute, case_value=value)
        counts = cmo_queries.evidence_counts(session, configuration_ids=[c.id for c in configs],
                                             site_attribute=args.sites)
    if not configs:
        print("No configurations.")
        return 0
    concept = None
    for config in configs:
        if config.concept != concept:
            concept = config.concept
            print(f"\n{concept or 'No concept'}")
        total = counts[config.id].total
        draft = f"  [draft: no {'/'.join(config.missing_roles)}]" if config.missing_roles else ""
        print(f"  {config.label:<10} {config.status:<10} "
              f"{_counts_text(total.spans, total.refuting, total.cases, total.sites if args.sites else None)}"
              f"{draft}")
        print(f"             {config.sentence}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes
    from qualcode.services.realist import configurations as cmo
    from qualcode.services.realist import evidence as cmo_evidence
    from qualcode.services.realist import queries as cmo_queries
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=True) as project, project.session() as session:
        config = cmo.find_configuration(session, args.label)
        evidence = cmo_evidence.evidence_for(session, configuration_id=config.id, context=0)
        history = cmo_queries.refinement_history(session, config.id)
        themes = [nodes.get_node(session, node_id).name for node_id in config.node_ids]
    print(f"{config.label} — {config.concept or 'No concept'} ({config.template}; {config.status}; "
          f"{config.origin.replace('_', ' ')})")
    print(config.sentence)
    if config.missing_roles:
        print(f"Draft: no statement yet for {', '.join(config.missing_roles)}")
    for component in config.components:
        print(f"  {component.role:<6} {component.statement}")
        for item in (e for e in evidence if e.component_id == component.id):
            who = item.cases[0] if item.cases else item.document_name
            stance = "" if item.stance == "supports" else f" [{item.stance}]"
            print(f"           “{' '.join(item.text.split())}” ({who}, {item.coder_name}){stance}")
    if len(history) > 1:
        print("Refinement history:")
        for step in history:
            mark = "  <- this one" if step.configuration.id == config.id else ""
            print(f"  {'  ' * step.depth}{step.configuration.label} ({step.configuration.status}){mark}")
    if themes:
        print(f"Draws on: {', '.join(themes)}")
    if config.memo:
        print(f"Memo: {config.memo}")
    return 0


def _add(args: argparse.Namespace) -> int:
    from qualcode.services.codebook import nodes
    from qualcode.services.realist import configurations as cmo

    statements = []
    for role, item in args.statements:
        if not role:
            role, sep, item = item.partition("=")
            if not sep or not role.strip():
                raise ValidationError(
                    f"Write --statement as ROLE=TEXT, e.g. 'Mres=link workers offer ...'; got '{role}{sep}{item}'.")
        statements.append((role.strip(), item))
    def run(session: Any, coder_id: int) -> Any:
        refined_from = cmo.find_configuration(session, args.refines).id if args.refines else None
        themes = [nodes.find_node(session, name).id for name in args.theme]
        config_id = cmo.create_configuration(
            session, concept=args.concept, label=args.label, template=args.template, roles=args.roles,
            statements=statements, status=args.status, origin=args.origin, refined_from_id=refined_from,
            memo=args.memo, node_ids=themes, sentence=args.sentence, coder_id=coder_id).result
        return cmo.get_configuration(session, config_id)

    config = as_coder(args, run)
    print(f"Added {config.label}: {config.sentence}")
    if config.missing_roles:
        print(f"Draft: no statement yet for {', '.join(config.missing_roles)}")
    return 0


def _tag(args: argparse.Namespace) -> int:
    from qualcode.services import documents
    from qualcode.services.realist import configurations as cmo
    from qualcode.services.realist import tagging as cmo_tagging

    def run(session: Any, coder_id: int) -> tuple[int, int, Any, Any]:
        document_id = find_document(session, args.document)
        start, end = find_span(documents.document_text(session, document_id), quote=args.quote, span=args.span,
                               document=args.document)
        config_id = cmo.find_configuration(session, args.configuration).id if args.configuration else None
        result = cmo_tagging.tag_span(session, document_id=document_id, start=start, end=end, role=args.role,
                                      coder_id=coder_id, configuration_id=config_id, concept=args.concept,
                                      statement=args.statement, stance=args.stance).result
        return start, end, result, cmo.get_configuration(session, result.configuration_id)

    start, end, result, config = as_coder(args, run)
    made = "new configuration " if result.new_configuration else "new statement in " if result.new_component else ""
    print(f"Tagged {start}-{end} of '{args.document}' as {args.role.upper()} of {made}{config.label}.")
    if config.missing_roles:
        print(f"{config.label} is a draft: no statement yet for {', '.join(config.missing_roles)}.")
    return 0


def _change_configuration(args: argparse.Namespace, change: Callable[[Any, int, int], object]) -> Any:
    """Apply `change(session, configuration_id, coder_id)` to the configuration `args.label`
    names, as the acting coder, in one step; return the configuration as it is afterwards."""
    from qualcode.services.realist import configurations as cmo

    def run(session: Any, coder_id: int) -> Any:
        config_id = cmo.find_configuration(session, args.label).id
        change(session, config_id, coder_id)
        return cmo.get_configuration(session, config_id)

    return as_coder(args, run)


def _status(args: argparse.Namespace) -> int:
    from qualcode.services.realist import configurations as cmo

    config = _change_configuration(args, lambda s, config_id, coder_id: cmo.update_configuration(
        s, configuration_id=config_id, status=args.status, coder_id=coder_id))
    print(f"{config.label} is now {config.status}.")
    return 0


def _order(args: argparse.Namespace) -> int:
    from qualcode.services.realist import statements as cmo_statements

    roles = [r for item in args.roles for r in item.replace(",", " ").split()]

    def reorder(session: Any, config_id: int, coder_id: int) -> None:
        ids = cmo_statements.order_by_roles(session, configuration_id=config_id, roles=roles)
        cmo_statements.set_sentence_order(session, configuration_id=config_id, component_ids=ids, coder_id=coder_id)

    config = _change_configuration(args, reorder)
    print(f"{config.label}: {config.sentence}")
    return 0


def _sentence(args: argparse.Namespace) -> int:
    from qualcode.services.realist import statements as cmo_statements

    config = _change_configuration(args, lambda s, config_id, coder_id: cmo_statements.set_written_sentence(
        s, configuration_id=config_id, sentence=args.sentence, coder_id=coder_id))
    print(f"{config.label}: {config.sentence}")
    return 0


def _stages(args: argparse.Namespace) -> int:
    from qualcode.services.realist.configurations import concepts
    from qualcode.services.realist.export import set_stage_order, stage_order
    from qualcode.store.server import open_project

    with open_project(args.path, read_only=not args.concepts) as project:
        coder_id = coder_id_for(project, args) if args.concepts else None
        with project.session() as session:
            if args.concepts:
                set_stage_order(session, concepts=args.concepts, coder_id=coder_id)
            kept, present = stage_order(session), concepts(session)
    order = [c for c in kept if c in present] + [c for c in present if c not in kept]
    for number, concept in enumerate(order, start=1):
        print(f"{number}. {concept or 'No concept'}")
    return 0


def _refine(args: argparse.Namespace) -> int:
    from qualcode.services.realist import configurations as cmo

    def run(session: Any, coder_id: int) -> tuple[Any, str]:
        source = cmo.find_configuration(session, args.label)
        new_id = cmo.refine_configuration(session, configuration_id=source.id, label=args.new_label,
                                          coder_id=coder_id).result
        return source, cmo.get_configuration(session, new_id).label

    source, label = as_coder(args, run)
    print(f"Added {label}, refined from {source.label}: edit its statements, then set its status.")
    return 0


def _export_table(args: argparse.Namespace) -> int:
    from qualcode.cli.common import BarProgress
    from qualcode.services.realist.export import CmocTableOptions, export_cmoc_table
    from qualcode.store.server import open_project

    attribute, value = _case_filter(args.case)
    options = CmocTableOptions(title=args.title, status=not args.no_status, origin=args.origin,
                               counts=not args.no_counts, quote=not args.no_quote, site_attribute=args.sites,
                               concepts=args.concept, statuses=args.status, case_attribute=attribute,
                               case_value=value, layout=args.layout, numbering=args.numbering,
                               bold_markers=not args.plain_markers, concept_text=args.concept_text,
                               concept_header=args.concept_header, label_header=args.label_header,
                               sentence_header=args.sentence_header, note=not args.no_note)
    progress = BarProgress("CMOC table")
    with open_project(args.path, read_only=True) as project, project.session() as session:
        try:
            written = export_cmoc_table(session, path=_output_path(args), fmt=args.format, options=options,
                                        progress=progress)
        finally:
            progress.close()
    print(f"Wrote {written}")
    return 0


def _export_theory(args: argparse.Namespace) -> int:
    from qualcode.cli.common import BarProgress
    from qualcode.services.realist.export import export_pathway, export_programme_theory
    from qualcode.store.server import open_project

    progress = BarProgress("Programme theory")
    with open_project(args.path, read_only=True) as project, project.session() as session:
        try:
            if args.style == "inventory":
                written = [export_programme_theory(session, path=_output_path(args), title=args.title,
                                                   concepts=args.concept, statuses=args.status, dpi=args.dpi,
                                                   progress=progress)]
            else:
                written = export_pathway(session, path=_output_path(args), title=args.title, concepts=args.concept,
                                         statuses=args.status, stages=args.stage, width=args.width,
                                         height=args.height, min_font=args.min_font, per_concept=args.per_concept,
                                         dpi=args.dpi, progress=progress)
        finally:
            progress.close()
    for path in written:
        print(f"Wrote {path}")
    return 0
