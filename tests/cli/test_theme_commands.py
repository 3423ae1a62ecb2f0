"""`qualcode export map|themes-table|codebook` and `qualcode theme ...` on a real project file."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from PIL import Image

from qualcode.cli.groups import subcommand_group
from qualcode.cli.main import main
from qualcode.domain.levels import Level
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.store.project import Project
from tests.example_networks import GLOBAL, open_social_prescribing


@pytest.fixture
def study(tmp_path: Path) -> Path:
    project, _ids = open_social_prescribing(tmp_path)
    project.close()
    return project.path


def test_export_map_png_at_the_requested_dpi_and_width(study: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "figure.png"
    code = main(["export", "map", str(study), "--global", GLOBAL, "--dpi", "150", "--width", "7",
                 "--title", "Figure 1", "-o", str(out)])
    assert code == 0
    assert f"Wrote {out} (7.00 ×" in capsys.readouterr().out
    with Image.open(out) as image:
        assert image.size[0] == 1050 and tuple(round(d) for d in image.info["dpi"]) == (150, 150)


def test_export_map_concept_map_as_svg_and_tree_as_pdf(study: Path, tmp_path: Path) -> None:
    assert main(["export", "map", str(study), "--concept-map", "--counts", "participants",
                 "-o", str(tmp_path / "all.svg")]) == 0
    text = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", (tmp_path / "all.svg").read_text(encoding="utf-8")))
    squashed = "".join(text.split())
    assert "Whatpatientsgained" in squashed and "Digitalexclusion" in squashed and GLOBAL.replace(" ", "") in squashed
    assert main(["export", "map", str(study), "--global", "What patients gained", "--layout", "tree",
                 "--colour", "grey", "--format", "pdf", "-o", str(tmp_path / "tree.out")]) == 0
    assert (tmp_path / "tree.out").read_bytes().startswith(b"%PDF")


def test_export_map_needs_a_choice_when_several_global_themes(study: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", "map", str(study), "-o", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qualcode: error: The project has 2 global themes") and "--concept-map" in err
    assert not (tmp_path / "x.png").exists()


def test_export_map_of_an_empty_global_theme_or_to_a_missing_folder_fails_cleanly(study: Path, tmp_path: Path,
                                                                                  capsys) -> None:
    with Project.open(study) as project, project.session() as s:
        nodes.create_node(s, name="Nothing yet", level=Level.GLOBAL)
    assert main(["export", "map", str(study), "--global", "Nothing yet", "-o", str(tmp_path / "x.png")]) == 1
    assert "'Nothing yet' has no organising or basic themes under it" in capsys.readouterr().err
    assert main(["export", "map", str(study), "--global", GLOBAL, "-o", str(tmp_path / "no" / "x.png")]) == 1
    assert "the folder" in capsys.readouterr().err
    assert not [p.name for p in tmp_path.iterdir() if not p.name.startswith("social-prescribing")]


def test_export_themes_table_and_codebook(study: Path, tmp_path: Path, capsys) -> None:
    from docx import Document
    from openpyxl import load_workbook

    assert main(["export", "themes-table", str(study), "--global", GLOBAL, "--quotes", "1",
                 "-o", str(tmp_path / "themes.docx")]) == 0
    assert "(13 rows)" in capsys.readouterr().out
    grid = Document(str(tmp_path / "themes.docx")).tables[0]
    assert grid.cell(1, 0).text == "Building a trusting relationship"
    assert grid.cell(1, 2).text.startswith("P1: She just let me talk.")
    assert main(["export", "codebook", str(study), "--themes-only", "-o", str(tmp_path / "codebook.xlsx")]) == 0
    sheet = load_workbook(tmp_path / "codebook.xlsx").active
    names = [sheet.cell(row=r, column=1).value for r in range(4, sheet.max_row + 1)]
    assert "Having time to listen" in names and "Rural isolation" not in names
    assert main(["export", "codebook", str(study), "--participants", "nobody", "-o",
                 str(tmp_path / "codebook.md")]) == 1
    assert "qualcode: error: There is no case named 'nobody'" in capsys.readouterr().err
    assert not (tmp_path / "codebook.md").exists()
    assert main(["export", "codebook", str(study), "-o", str(tmp_path / "codebook.md")]) == 0
    assert "Participants: distinct participant cases (" in (tmp_path / "codebook.md").read_text(encoding="utf-8")


def test_theme_operations_from_the_command_line(study: Path, capsys) -> None:
    assert main(["--coder", "Ana", "theme", "group", str(study), "Having time to listen",
                 "Seeing the same link worker each time", "--name", "Time and continuity"]) == 0
    assert "Group 2 nodes into organising theme 'Time and continuity'" in capsys.readouterr().out
    assert main(["theme", "demote", str(study), "Time and continuity"]) == 1
    assert "while it holds the basic theme" in capsys.readouterr().err
    assert main(["theme", "promote", str(study), "Digital exclusion"]) == 0
    assert main(["theme", "move", str(study), "Digital exclusion", "--to", GLOBAL]) == 0
    assert main(["theme", "merge", str(study), "Rural isolation", "--into", "Bus fares and travel costs"]) == 0
    with Project.open(study) as project, project.session() as s:
        time = nodes.find_node(s, "Time and continuity")
        digital = nodes.find_node(s, "Digital exclusion")
        listen = nodes.find_node(s, "Having time to listen")
        bus = len(codings.codings_of_node(s, nodes.find_node(s, "Bus fares and travel costs").id))
        global_id = nodes.find_node(s, GLOBAL).id
        building = nodes.find_node(s, "Building a trusting relationship")
    # The new organising theme goes under the global theme, right after the branch it came from.
    assert (time.level, time.parent_id, time.position) == (Level.ORGANISING, global_id, building.position + 1)
    assert listen.parent_id == time.id
    assert (digital.level, digital.parent_id) == (Level.ORGANISING, global_id)
    assert bus == 3
    capsys.readouterr()
    assert main(["theme", "review", str(study)]) == 0
    lines = {line.split("  ")[1].strip() if line.startswith("  ") else line.split("  ")[0]: line
             for line in capsys.readouterr().out.splitlines()}
    assert "Organising theme with only one theme under it" in lines["Building a trusting relationship"]
    assert lines["Time and continuity"].rstrip().endswith("1")  # two basic themes, one coder, no flags

def test_split_takes_coding_ids(study: Path, capsys) -> None:
    with Project.open(study) as project, project.session() as s:
        listen = nodes.find_node(s, "Having time to listen").id
        ids = [c.id for c in codings.codings_of_node(s, listen)][:2]
    assert main(["theme", "split", str(study), "Having time to listen", "--codings", f"{ids[0]}, {ids[1]}",
                 "--name", "Unhurried appointments"]) == 0
    assert main(["theme", "split", str(study), "Having time to listen", "--codings", "a,b", "--name", "X"]) == 1
    assert "Give coding ids as numbers" in capsys.readouterr().err


def test_shared_export_group_takes_sub_commands_from_several_modules() -> None:
    parser = argparse.ArgumentParser(prog="qualcode")
    subparsers = parser.add_subparsers(dest="command")
    first = subcommand_group(subparsers, "export", "write things")
    first.add_parser("map")
    again = subcommand_group(subparsers, "export", "ignored the second time")
    again.add_parser("cmoc-table")
    assert again is first
    assert parser.parse_args(["export", "cmoc-table"]).export_command == "cmoc-table"
    with pytest.raises(SystemExit):
        parser.parse_args(["export"])
