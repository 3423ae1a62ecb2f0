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
from qualcode.services.realist.table import CmocTableOptions, cmoc_table, selected_configurations

if TYPE_CHECKING:
    from qualcode.viz.programme_theory import ProgrammeTheory

__all__ = ["CmocTableOptions", "cmoc_table", "export_cmoc_table", "export_programme_theory", "programme_theory"]


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
