"""Exports of a realist evaluation: the CMOC table and the programme-theory diagram."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from qualcode.domain.cmo import stored_template
from qualcode.domain.errors import ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.io.table_export import write_tables
from qualcode.io.tables import TableFormat, table_format
from qualcode.services.commands import Change
from qualcode.services.realist.table import CmocTableOptions, cmoc_table, selected_configurations

if TYPE_CHECKING:
    from qualcode.viz.programme_theory import ProgrammeTheory, TheoryPanel

__all__ = ["CmocTableOptions", "cmoc_table", "export_cmoc_table", "export_pathway", "export_programme_theory",
           "order_stages", "programme_theory", "set_stage_order", "stage_order"]


def export_cmoc_table(
    session: Session,
    *,
    path: str | Path,
    fmt: str | None = None,
    options: CmocTableOptions | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the CMOC table to DOCX, XLSX, CSV, HTML or Markdown (by `fmt` or suffix)."""
    progress = progress or NullProgress()
    progress.update(0, 2, "Collecting configurations")
    flat = table_format(path, fmt) in (TableFormat.XLSX, TableFormat.CSV)
    table = cmoc_table(session, options or CmocTableOptions(), flat=flat)
    check_cancelled(progress)
    progress.update(1, 2, "Writing the table")
    written = write_tables(table, path, format=fmt)
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


def stage_order(session: Session) -> list[str]:
    """The concepts in the order the researcher set for the pathway's stages (may be empty)."""
    from sqlalchemy import select

    from qualcode.store.models import CmoStage

    return list(session.scalars(select(CmoStage.concept).order_by(CmoStage.position, CmoStage.id)))


def set_stage_order(session: Session, *, concepts: Sequence[str], coder_id: int | None = None) -> Change:
    """Keep the order of the concepts as stages of the programme theory (one undoable step);
    concepts not named follow in their first-use order. An unknown concept is refused."""
    from sqlalchemy import select

    from qualcode.services.commands import Command, Recorder
    from qualcode.services.realist.configurations import concepts as all_concepts
    from qualcode.store.models import CmoStage

    known = {c.lower(): c for c in all_concepts(session)}
    order: list[str] = []
    for name in concepts:
        match = known.get(" ".join(name.split()).lower())
        if match is None:
            raise ValidationError(f"There is no concept '{name}' among the configurations "
                                  f"(concepts: {', '.join(known.values()) or 'none yet'}).")
        if match not in order:
            order.append(match)
    existing = list(session.scalars(select(CmoStage.id)))

    def run(rec: Recorder) -> None:
        for stage_id in existing:
            rec.delete(CmoStage, stage_id)
        for position, concept in enumerate(order):
            rec.insert(CmoStage, concept=concept, position=position)

    return Command("Set the order of the programme theory's stages", run, action="order stages",
                   details={"stages": order}, coder_id=coder_id).apply(session)


def order_stages(theory: ProgrammeTheory, stages: Sequence[str] | None, *, strict: bool = True) -> ProgrammeTheory:
    """The panels with the named concepts first, in the order given (the pathway's stages);
    the others follow in their first-use order. An unknown name is refused (`strict`) or,
    for a stored order naming a concept since renamed, passed over."""
    from qualcode.viz.programme_theory import ProgrammeTheory

    if not stages:
        return theory
    known = [p.concept for p in theory.panels]
    rank: dict[str, int] = {}
    for i, name in enumerate(stages):
        wanted = " ".join(name.split()).lower()
        match = next((k for k in known if k.lower() == wanted), None)
        if match is None:
            if not strict:
                continue
            raise ValidationError(f"There is no concept '{name}' to draw (concepts: {', '.join(dict.fromkeys(known))}).")
        rank.setdefault(match, i)
    ordered = sorted(enumerate(theory.panels), key=lambda ip: (rank.get(ip[1].concept, len(rank)), ip[0]))
    return ProgrammeTheory(theory.title, tuple(panel for _i, panel in ordered))


def export_pathway(
    session: Session,
    *,
    path: str | Path,
    title: str = "",
    concepts: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    stages: Sequence[str] | None = None,  # default: the order kept in the project
    width: float = 7.0,
    height: float = 9.0,
    min_font: float = 7.0,
    per_concept: bool = False,
    dpi: int = 300,
    progress: Progress | None = None,
) -> list[Path]:
    """Draw the programme theory as a pathway of stages (the concepts, in the order given)
    on a page of `width` × `height` inches, no text below `min_font` points. `per_concept`:
    one figure per concept, written beside `path` as NAME-1-CONCEPT.png ... Returns the files."""
    import re

    from qualcode.viz.pathway import PathwayOptions, save_pathway

    progress = progress or NullProgress()
    progress.update(0, 2, "Collecting configurations")
    theory = programme_theory(session, title=title, concepts=concepts, statuses=statuses)
    theory = order_stages(theory, stages) if stages else order_stages(theory, stage_order(session), strict=False)
    if not theory.panels:
        raise ValidationError("There are no configurations to draw (check the filters).")
    check_cancelled(progress)
    progress.update(1, 2, "Drawing the programme theory")
    options = PathwayOptions(width=width, height=height, min_font=min_font, title=title)
    target = Path(path)
    if not per_concept:
        written = [save_pathway(theory.panels, target, options, dpi=dpi)]
    else:
        from qualcode.viz.pathway import layout_pathway

        by_concept: dict[str, list[TheoryPanel]] = {}
        for panel in theory.panels:  # a concept drawn under two templates is still one page
            by_concept.setdefault(panel.concept, []).append(panel)
        # Every page must fit before any file is written.
        layouts = [layout_pathway(panels, options) for panels in by_concept.values()]
        written = []
        for number, ((concept, panels), layout) in enumerate(zip(by_concept.items(), layouts, strict=True), start=1):
            slug = re.sub(r"[^a-z0-9]+", "-", concept.lower()).strip("-") or "concept"
            page = target.with_name(f"{target.stem}-{number}-{slug}{target.suffix}")
            written.append(save_pathway(panels, page, options, dpi=dpi, layout=layout))
    progress.update(2, 2, "Done")
    return written


def export_programme_theory(
    session: Session,
    *,
    path: str | Path,
    title: str = "",
    concepts: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    dpi: int = 200,
    progress: Progress | None = None,
) -> Path:
    """Draw the programme-theory diagram to PNG, SVG or PDF (by suffix)."""
    from qualcode.viz.programme_theory import save_programme_theory

    progress = progress or NullProgress()
    progress.update(0, 2, "Collecting configurations")
    theory = programme_theory(session, title=title, concepts=concepts, statuses=statuses)
    if not theory.panels:
        raise ValidationError("There are no configurations to draw (check the filters).")
    check_cancelled(progress)
    progress.update(1, 2, "Drawing the diagram")
    written = save_programme_theory(theory, path, dpi=dpi)
    progress.update(2, 2, "Done")
    return written
