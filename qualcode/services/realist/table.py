"""The CMOC table as realist papers print it: rows grouped by concept, each configuration
one sentence with role markers ("When ... (C), patients ... (M), so they ... (O)."), and
optional columns for status, evidence counts and an example quote.

For reading (DOCX, HTML, Markdown) each concept opens with a section row and the evidence
is one cell ("5 excerpts; 3 participants"); for data (XLSX, CSV) the concept is a column
and each count a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.cmo import ROLE_NAMES, stored_template
from qualcode.domain.enums import CmoStatus, Stance, parse_enum
from qualcode.domain.errors import ValidationError
from qualcode.domain.text import plural
from qualcode.io.tables import Cell, DataTable, Merge, Run
from qualcode.services.realist.configurations import ConfigurationInfo, list_configurations
from qualcode.services.realist.evidence import EvidenceInfo, evidence_for
from qualcode.services.realist.queries import EvidenceCounts, evidence_counts, filter_configurations
from qualcode.store.models import Coding

QUOTE_LENGTH = 240


TableLayout = Literal["rows", "merged"]
Numbering = Literal["label", "number", "none"]
LAYOUTS: tuple[str, ...] = ("rows", "merged")
NUMBERINGS: tuple[str, ...] = ("label", "number", "none")
DEFAULT_TITLE = "Context–mechanism–outcome configurations (CMOCs)"


@dataclass(frozen=True)
class CmocTableOptions:
    """What the table shows and how it is laid out.

    layout: "rows" opens each concept with a row of its own; "merged" gives the concept a
    first column whose cell is merged over its configurations ("CMOCs on enrolment").
    numbering: "label" a column with each configuration's label, "number" "1.", "2." before
    each sentence, "none" neither. `concept_text` words the concept cell ("CMOCs on {concept}").
    """

    title: str = DEFAULT_TITLE
    status: bool = True
    origin: bool = False
    counts: bool = True
    quote: bool = True
    site_attribute: str | None = None  # case attribute counted as 'sites'
    concepts: Sequence[str] | None = None
    statuses: Sequence[str] | None = None
    case_attribute: str | None = None  # only configurations with evidence from these cases
    case_value: str | None = None
    layout: TableLayout = "rows"
    numbering: Numbering = "label"
    bold_markers: bool = True
    concept_text: str = "{concept}"
    concept_header: str = "Concept"
    label_header: str = "CMOC"
    sentence_header: str = "Configuration"
    note: bool = True

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValidationError(f"Unknown layout '{self.layout}': use {' or '.join(LAYOUTS)}.")
        if self.numbering not in NUMBERINGS:
            raise ValidationError(f"Unknown numbering '{self.numbering}': use {', '.join(NUMBERINGS)}.")
        if "{concept}" not in self.concept_text:
            raise ValidationError(f"Write '{{concept}}' where the concept goes in '{self.concept_text}', "
                                  "e.g. 'CMOCs on {concept}'.")


def selected_configurations(
    session: Session,
    *,
    concepts: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    case_attribute: str | None = None,
    case_value: str | None = None,
) -> list[ConfigurationInfo]:
    """Configurations to show, grouped by concept; an unknown concept is refused."""
    configs = filter_configurations(session, case_attribute=case_attribute, case_value=case_value)
    if concepts is not None:
        known = {c.concept.lower(): c.concept for c in list_configurations(session)}
        for concept in concepts:
            if concept.strip().lower() not in known:
                raise ValidationError(f"There is no concept '{concept}' among the configurations "
                                      f"(concepts: {', '.join(dict.fromkeys(known.values()))}).")
        wanted = {c.strip().lower() for c in concepts}
        configs = [c for c in configs if c.concept.lower() in wanted]
    if statuses is not None:
        wanted_status = {parse_enum(CmoStatus, s, "configuration status").value for s in statuses}
        configs = [c for c in configs if c.status in wanted_status]
    return configs


def _status_text(config: ConfigurationInfo, labels: dict[int, str]) -> str:
    text = config.status.capitalize()
    if config.refined_from_id is not None and config.refined_from_id in labels:
        text += f" (from {labels[config.refined_from_id]})"
    if config.missing_roles:
        text += f"; draft, no {'/'.join(config.missing_roles)}"
    return text


def _quote_rank(config: ConfigurationInfo, evidence: EvidenceInfo, exemplars: set[int]) -> tuple[int, int, int]:
    order = {c.id: i for i, c in enumerate(config.components)}
    mechanism_first = 0 if evidence.role.upper().startswith("M") else 1
    return (0 if evidence.coding_id in exemplars else 1, mechanism_first, order.get(evidence.component_id, 99))


def example_quote(config: ConfigurationInfo, evidence: list[EvidenceInfo], exemplars: set[int]) -> str:
    """A supporting passage to print beside the configuration: an exemplar coding if there is
    one, else a mechanism passage, else the first; with the participant in brackets."""
    supporting = [e for e in evidence if e.stance == Stance.SUPPORTS]
    if not supporting:
        return ""
    best = min(supporting, key=lambda e: _quote_rank(config, e, exemplars))
    text = " ".join(best.text.split())
    if len(text) > QUOTE_LENGTH:
        text = text[:QUOTE_LENGTH].rsplit(" ", 1)[0] + " …"
    who = best.cases[0] if best.cases else best.document_name
    return f"“{text}” ({who})"


def _role_note(configs: list[ConfigurationInfo]) -> str:
    tokens: dict[str, str] = {}
    for config in configs:
        for token in stored_template(config.template, config.roles).tokens:
            tokens.setdefault(token, ROLE_NAMES.get(token.upper(), token))
    return "; ".join(f"{token} = {name}" for token, name in tokens.items())




def evidence_summary(counts: EvidenceCounts, *, sites: bool) -> str:
    """'5 excerpts (1 refuting)', '3 participants', '2 sites' on lines of their own, for a
    printed table (a no-break space keeps each number with its word)."""
    if not counts.spans:
        return "No excerpts yet"
    nbsp = "\u00a0"
    lines = [plural(counts.spans, "excerpt", joiner=nbsp) + (f" ({counts.refuting}{nbsp}refuting)" if counts.refuting else ""),
             plural(counts.cases, "participant", joiner=nbsp)]
    return "\n".join(lines + ([plural(counts.sites, "site", joiner=nbsp)] if sites else []))


def _exemplar_codings(session: Session, evidence: dict[int, list[EvidenceInfo]]) -> set[int]:
    coding_ids = [e.coding_id for items in evidence.values() for e in items if e.coding_id is not None]
    if not coding_ids:
        return set()
    return set(session.scalars(select(Coding.id).where(Coding.id.in_(coding_ids), Coding.exemplar)))


def _note(configs: list[ConfigurationInfo], options: CmocTableOptions) -> str:
    notes = [_role_note(configs)] if configs else []
    if options.counts:
        notes.append("Excerpts: distinct passages of interview text linked as evidence (refuting: those that "
                     "refute the configuration); participants: cases whose transcripts provided the excerpts"
                     + (f"; sites: distinct values of the case attribute '{options.site_attribute}'"
                        if options.site_attribute else ""))
    return ". ".join(n for n in notes if n) + ("." if notes else "")


def _concept_text(config: ConfigurationInfo, options: CmocTableOptions) -> str:
    return options.concept_text.replace("{concept}", config.concept or "No concept")


def cmoc_table(session: Session, options: CmocTableOptions = CmocTableOptions(), *, flat: bool = False) -> DataTable:
    """The CMOC table with the chosen columns. `flat` (for spreadsheets and CSV): the concept
    as a column, counts as numbers; otherwise concept rows or merged concept cells, as the
    layout says, and one evidence cell."""
    configs = selected_configurations(session, concepts=options.concepts, statuses=options.statuses,
                                      case_attribute=options.case_attribute, case_value=options.case_value)
    if not configs:
        raise ValidationError("There are no configurations to export (check the filters).")
    labels = {c.id: c.label for c in list_configurations(session)}
    sites = bool(options.site_attribute)
    concept_column = flat or options.layout == "merged"
    label_column = options.numbering == "label"
    header: list[str] = ([options.concept_header] if concept_column else []) + \
        ([options.label_header] if label_column else []) + [options.sentence_header]
    widths: list[float] = ([1.6] if concept_column else []) + ([1.25] if label_column else []) + [5.1]
    if options.status:
        header.append("Status")
        widths.append(1.5)
    if options.origin:
        header.append("Origin")
        widths.append(1.2)
    counts = evidence_counts(session, configuration_ids=[c.id for c in configs],
                             site_attribute=options.site_attribute) if options.counts else {}
    if options.counts:
        count_header = ["Excerpts", "Refuting", "Participants"] + (["Sites"] if sites else []) if flat else ["Evidence"]
        header += count_header
        widths += [0.9] * len(count_header) if flat else [1.7]
    evidence: dict[int, list[EvidenceInfo]] = {}
    if options.quote:
        header.append("Example quote")
        widths.append(3.2)
        for item in evidence_for(session, configuration_ids=[c.id for c in configs], context=0):
            evidence.setdefault(item.configuration_id, []).append(item)
    exemplars = _exemplar_codings(session, evidence)
    rows: list[tuple[Cell, ...]] = []
    merges: list[Merge] = []
    sections: set[int] = set()
    concept: str | None = None
    group_start = 0
    for number, config in enumerate(configs, start=1):
        if config.concept != concept:
            if not flat and options.layout == "merged" and len(rows) - group_start > 1:
                merges.append(Merge(group_start, 0, len(rows) - group_start, 1))
            group_start = len(rows)
            if not flat and options.layout == "rows":
                sections.add(len(rows))
                merges.append(Merge(len(rows), 0, 1, len(header)))
                rows.append((Cell((Run(_concept_text(config, options), bold=True, italic=True),)),
                             *(Cell() for _ in header[1:])))
                group_start = len(rows)
        concept = config.concept
        runs = [Run(text, bold=marker and options.bold_markers) for text, marker in config.sentence_parts()]
        if options.numbering == "number":
            runs.insert(0, Run(f"{number}. "))
        cells = ([Cell.of(config.concept if flat else _concept_text(config, options))] if concept_column else []) \
            + ([Cell.of(config.label)] if label_column else []) + [Cell(tuple(runs))]
        if options.status:
            cells.append(Cell.of(_status_text(config, labels)))
        if options.origin:
            cells.append(Cell.of("Prior theory" if config.origin == "prior_theory" else "Data"))
        if options.counts:
            total = counts[config.id].total
            if flat:
                cells += [Cell.of(n) for n in (total.spans, total.refuting, total.cases)]
                cells += [Cell.of(total.sites)] if sites else []
            else:
                cells.append(Cell.of(evidence_summary(total, sites=sites)))
        if options.quote:
            cells.append(Cell.of(example_quote(config, evidence.get(config.id, []), exemplars), italic=True))
        rows.append(tuple(cells))
    if not flat and options.layout == "merged" and len(rows) - group_start > 1:
        merges.append(Merge(group_start, 0, len(rows) - group_start, 1))
    return DataTable(header=tuple(header), rows=tuple(rows), merges=tuple(merges), title=options.title,
                     note=_note(configs, options) if options.note else "", widths=tuple(widths),
                     heading_rows=frozenset(sections), landscape=len(header) > 3, sheet_name="CMOCs")
