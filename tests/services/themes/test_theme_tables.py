"""Themes table and codebook built from a real project and written to Word, checked cell by cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.domain.errors import ValidationError
from qualcode.domain.levels import Level
from qualcode.io.table_export import write_tables
from qualcode.services.codebook import nodes
from qualcode.services.themes.tables import codebook_table, themes_table
from qualcode.store.project import Project
from tests.example_networks import GLOBAL, SECOND_GLOBAL, THEMES, open_social_prescribing

ORGANISING = ["Building a trusting relationship", "Connecting patients to community resources",
              "Restoring confidence and agency", "Working within a stretched system"]


@pytest.fixture
def study(tmp_path: Path) -> Iterator[tuple[Project, dict[str, int]]]:
    project, ids = open_social_prescribing(tmp_path)
    yield project, ids
    project.close()


def test_themes_table_for_one_global_theme_in_word(study, tmp_path: Path) -> None:
    from docx import Document

    project, ids = study
    with project.session() as s:
        table = themes_table(s, global_id=ids[GLOBAL], quotes_per_theme=2, max_quote_chars=90)
    path = write_tables(table, tmp_path / "themes.docx")
    grid = Document(str(path)).tables[0]
    assert [c.text for c in grid.rows[0].cells] == ["Organising theme", "Theme", "Example quote(s)"]
    assert len(grid.rows) == 1 + 13
    # Each organising theme is one merged cell over its basic themes' rows.
    column = [grid.cell(r, 0) for r in range(1, 14)]
    assert [c.text for c in column] == [ORGANISING[0]] * 3 + [ORGANISING[1]] * 3 + [ORGANISING[2]] * 3 \
        + [ORGANISING[3]] * 4
    assert column[0]._tc is column[2]._tc and column[3]._tc is column[5]._tc and column[2]._tc is not column[3]._tc
    vmerge = [grid.rows[r]._tr.tc_lst[0].vMerge for r in range(1, 5)]
    assert vmerge == ["restart", "continue", "continue", "restart"]
    assert [grid.cell(r, 1).text for r in range(1, 4)] == [
        "Having time to listen", "Seeing the same link worker each time", "Being treated as a whole person"]
    listen = [p.text for p in grid.cell(1, 2).paragraphs]
    assert listen == ["P1: She just let me talk. Forty minutes, and she never once looked at the clock.",
                      "LW1: We use an assets and strength based approach, so the first appointment is an hour…"]
    same = [p.text for p in grid.cell(2, 2).paragraphs]
    assert same[1].startswith("Site2P03 (follow-up): When Jo left I nearly stopped going")
    knowing = [p.text for p in grid.cell(4, 2).paragraphs]
    assert knowing[1] == ("LW4: You learn the town: which café does the knit-and-natter, "
                          "which church hall has the lunch…")
    transport = grid.cell(6, 2).text
    assert "P7: It's £4.60 return on the bus" in transport


def test_whole_project_table_has_a_section_row_per_global_theme(study, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    project, _ids = study
    with project.session() as s:
        table = themes_table(s, counts="participants")
    texts = [row[0].text for row in table.rows]
    sections = [texts[r] for r in sorted(table.heading_rows)]
    assert sections == [f"Global theme: {GLOBAL}", f"Global theme: {SECOND_GLOBAL}",
                        "Basic themes not under an organising theme"]
    last = table.rows[-1]
    assert [c.text for c in last] == ["—", "Digital exclusion", last[2].text, "1"]
    assert last[2].text.startswith("P2: Everything's online now.")
    path = write_tables(table, tmp_path / "themes.xlsx")
    sheet = load_workbook(path).active
    assert sheet.title == "Themes"
    assert sheet.cell(row=3, column=4).value == "Participants"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A4:D4" in merged  # first section row spans the table


def test_organising_theme_without_basic_themes_gets_its_own_row(study) -> None:
    project, ids = study
    with project.session() as s:
        nodes.create_node(s, name="Empty organising", level=Level.ORGANISING, parent_id=ids[SECOND_GLOBAL])
        table = themes_table(s, global_id=ids[SECOND_GLOBAL])
    assert [c.text for c in table.rows[-1]] == ["Empty organising", "—", "(no codings)"]


def test_themes_table_refusals(study) -> None:
    project, ids = study
    with project.session() as s:
        empty = nodes.create_node(s, name="Lonely global", level=Level.GLOBAL).result
        with pytest.raises(ValidationError, match="'Lonely global' has no themes under it"):
            themes_table(s, global_id=empty)
        with pytest.raises(ValidationError, match="is a basic theme: choose a global or organising theme"):
            themes_table(s, global_id=ids["Having time to listen"])
        with pytest.raises(ValidationError, match="Unknown count column"):
            themes_table(s, counts="words")  # type: ignore[arg-type]


def test_codebook_lists_every_node_with_criteria_and_counts(study, tmp_path: Path) -> None:
    from docx import Document

    project, _ids = study
    with project.session() as s:
        table = codebook_table(s)
    path = write_tables(table, tmp_path / "codebook.docx")
    document = Document(str(path))
    grid = document.tables[0]
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape for seven columns
    assert [c.text for c in grid.rows[0].cells] == [
        "Name", "Level", "Definition", "Include when", "Exclude when", "Codings", "Participants"]
    rows = {grid.cell(r, 0).text: [c.text for c in grid.rows[r].cells] for r in range(1, len(grid.rows))}
    assert rows["Having time to listen"] == [
        "Having time to listen", "Basic theme", "Longer, unhurried conversations than in general practice.",
        "Mentions of time, pace, not being rushed.", "Waiting times for referral.", "4", "4"]
    assert rows["Rural isolation"][1:] == ["Code", "", "", "", "2", "2"]
    assert rows[GLOBAL][5] == "31"
    assert len(grid.rows) == 1 + len(THEMES)


def test_empty_project_refuses_to_tabulate(project: Project) -> None:
    with project.session() as s:
        with pytest.raises(ValidationError, match="no themes yet"):
            themes_table(s)
        with pytest.raises(ValidationError, match="no codes or themes yet"):
            codebook_table(s)
