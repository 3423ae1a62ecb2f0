"""Outputs of a realist evaluation: the CMOC table and the programme-theory diagram."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from qualcode.domain.cmo import ROLE_NAMES, sentence_parts, stored_template
from qualcode.domain.enums import CmoStatus, Stance
from qualcode.domain.errors import ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.io.cmo_tables import CmocGroup, CmocRow, CmocTable, write_cmoc_table
from qualcode.services.cmo import ConfigurationInfo, list_configurations
from qualcode.services.cmo_evidence import EvidenceInfo, evidence_for
from qualcode.services.cmo_queries import EvidenceCounts, evidence_counts, filter_configurations
from qualcode.store.models import Coding

if TYPE_CHECKING:
    from qualcode.viz.programme_theory import ProgrammeTheory

QUOTE_LENGTH = 240


@dataclass(frozen=True)
class CmocTableOptions:
    title: str = "Table 1. Context–mechanism–outcome configurations (CMOCs)"
    status: bool = True
    origin: bool = False
    counts: bool = True
    quote: bool = True
    site_attribute: str | None = None  # case attribute counted as 'sites'
    concepts: Sequence[str] | None = None
    statuses: Sequence[str] | None = None
    case_attribute: str | None = None  # only configurations with evidence from these cases
    case_value: str | None = None


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
        from qualcode.domain.enums import parse_enum

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


def _plural(n: int, word: str) -> str:
    # A no-break space keeps the number with its word when the cell wraps.
    return f"{n}\u00a0{word}{'' if n == 1 else 's'}"


def evidence_summary(counts: EvidenceCounts, *, sites: bool) -> str:
    """'5 excerpts (1 refuting); 3 participants; 2 sites' for a printed table (no-break
    spaces between each number and its word)."""
    if not counts.spans:
        return "No excerpts yet"
    text = _plural(counts.spans, "excerpt") + (f" ({counts.refuting}\u00a0refuting)" if counts.refuting else "")
    text += "; " + _plural(counts.cases, "participant")
    return text + ("; " + _plural(counts.sites, "site") if sites else "")


def cmoc_table(session: Session, options: CmocTableOptions = CmocTableOptions(), *,
               separate_counts: bool = False) -> CmocTable:
    """The CMOC table: one row per configuration, grouped by concept, with the chosen columns.
    Evidence counts are one readable cell, or numeric columns with `separate_counts` (for
    spreadsheets)."""
    configs = selected_configurations(session, concepts=options.concepts, statuses=options.statuses,
                                      case_attribute=options.case_attribute, case_value=options.case_value)
    labels = {c.id: c.label for c in list_configurations(session)}
    columns: list[str] = ["CMOC", "Configuration"]
    numeric: set[str] = set()
    if options.status:
        columns.append("Status")
    if options.origin:
        columns.append("Origin")
    counts = evidence_counts(session, configuration_ids=[c.id for c in configs],
                             site_attribute=options.site_attribute) if options.counts else {}
    if options.counts and separate_counts:
        count_columns = ["Excerpts", "Refuting", "Participants"] + (["Sites"] if options.site_attribute else [])
        columns += count_columns
        numeric.update(count_columns)
    elif options.counts:
        columns.append("Evidence")
    evidence: dict[int, list[EvidenceInfo]] = {}
    exemplars: set[int] = set()
    if options.quote:
        columns.append("Example quote")
        for item in evidence_for(session, configuration_ids=[c.id for c in configs], context=0):
            evidence.setdefault(item.configuration_id, []).append(item)
        coding_ids = [e.coding_id for items in evidence.values() for e in items if e.coding_id is not None]
        if coding_ids:
            from sqlalchemy import select

            exemplars = set(session.scalars(select(Coding.id).where(Coding.id.in_(coding_ids), Coding.exemplar)))
    groups: dict[str, list[CmocRow]] = {}
    for config in configs:
        cells: list[str | int] = []
        if options.status:
            cells.append(_status_text(config, labels))
        if options.origin:
            cells.append("Prior theory" if config.origin == "prior_theory" else "Data")
        if options.counts:
            total = counts[config.id].total
            if separate_counts:
                cells += [total.spans, total.refuting, total.cases] + ([total.sites] if options.site_attribute
                                                                       else [])
            else:
                cells.append(evidence_summary(total, sites=bool(options.site_attribute)))
        if options.quote:
            cells.append(example_quote(config, evidence.get(config.id, []), exemplars))
        parts = sentence_parts(stored_template(config.template, config.roles),
                               [(c.role, c.statement) for c in config.components])
        groups.setdefault(config.concept, []).append(CmocRow(config.label, tuple(parts), tuple(cells)))
    notes = [_role_note(configs)] if configs else []
    if options.counts:
        notes.append("Excerpts: distinct passages of interview text linked as evidence (refuting: those that "
                     "refute the configuration); participants: cases whose transcripts provided the excerpts"
                     + (f"; sites: distinct values of the case attribute '{options.site_attribute}'"
                        if options.site_attribute else ""))
    return CmocTable(options.title, tuple(columns),
                     tuple(CmocGroup(concept, tuple(rows)) for concept, rows in groups.items()),
                     note=". ".join(n for n in notes if n) + ("." if notes else ""), numeric=frozenset(numeric))


def export_cmoc_table(
    session: Session,
    *,
    path: str | Path,
    fmt: str | None = None,
    options: CmocTableOptions = CmocTableOptions(),
    progress: Progress = NullProgress(),
) -> Path:
    """Write the CMOC table to DOCX, XLSX, CSV, HTML or Markdown (by `fmt` or suffix)."""
    progress.update(0, 2, "Collecting configurations")
    from qualcode.io.cmo_tables import table_format

    table = cmoc_table(session, options, separate_counts=table_format(Path(path), fmt) in ("xlsx", "csv"))
    if not table.groups:
        raise ValidationError("There are no configurations to export (check the filters).")
    check_cancelled(progress)
    progress.update(1, 2, "Writing the table")
    written = write_cmoc_table(table, path, fmt)
    progress.update(2, 2, "Done")
    return written


# -- programme theory -------------------------------------------------------------------------


def programme_theory(
    session: Session,
    *,
    title: str = "",
    concepts: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
) -> ProgrammeTheory:
    """The configurations as a programme theory: one panel per concept (and template)."""
    from qualcode.viz.programme_theory import ProgrammeTheory, TheoryConfiguration, TheoryPanel

    configs = selected_configurations(session, concepts=concepts, statuses=statuses)
    panels: dict[tuple[str, str], list[TheoryConfiguration]] = {}
    roles: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
    for config in configs:
        template = stored_template(config.template, config.roles)
        key = (config.concept, template.encode_roles())
        roles[key] = tuple((r.token, r.name) for r in template.roles)
        panels.setdefault(key, []).append(TheoryConfiguration(
            config.label, config.status, tuple((c.role, c.statement) for c in config.components)))
    concepts_with_templates: dict[str, int] = {}
    for concept, _ in panels:
        concepts_with_templates[concept] = concepts_with_templates.get(concept, 0) + 1
    return ProgrammeTheory(title, tuple(
        TheoryPanel(concept or "No concept", roles[(concept, key)], tuple(items),
                    subtitle=key.replace(",", " → ") if concepts_with_templates[concept] > 1 else "")
        for (concept, key), items in panels.items()))


def export_programme_theory(
    session: Session,
    *,
    path: str | Path,
    title: str = "",
    concepts: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    dpi: int = 200,
    progress: Progress = NullProgress(),
) -> Path:
    """Draw the programme-theory diagram to PNG, SVG or PDF (by suffix)."""
    from qualcode.viz.programme_theory import save_programme_theory

    progress.update(0, 2, "Collecting configurations")
    theory = programme_theory(session, title=title, concepts=concepts, statuses=statuses)
    if not theory.panels:
        raise ValidationError("There are no configurations to draw (check the filters).")
    check_cancelled(progress)
    progress.update(1, 2, "Drawing the diagram")
    written = save_programme_theory(theory, path, dpi=dpi)
    progress.update(2, 2, "Done")
    return written
