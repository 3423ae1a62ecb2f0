"""A small thematic analysis built entirely on the command line, and its themes table read
back as a journal would print it: exemplars only, in the researcher's order, verbatim, in
italics, numbered themes, the user's headers and caption."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import docx
import pytest

from qualcode.cli.main import main

P1 = ("Interviewer: How did the first group feel?\n"
      "P1: Everyone said hello and I felt welcome straight away. The bus fare was the hard part, "
      "four pounds each way adds up when you are on benefits.\n")
P2 = ("Interviewer: What kept you going?\n"
      "P2: We all love gardening, so there was always something to talk about. I felt like I belonged there. "
      "Honestly I nearly did not go back because of the cost.\n")


def run(capsys: pytest.CaptureFixture[str] | None, *argv: str) -> str:
    if capsys is None:  # building the module's project, before any test captures output
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(list(argv)) == 0
        return buffer.getvalue()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def coding_id(out: str) -> str:
    found = re.search(r"\(coding (\d+)\)", out)
    assert found, out
    return found.group(1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp_path = tmp_path_factory.mktemp("ta")
    capsys = None
    path = tmp_path / "ta.qualcode"
    for name, text in (("P1", P1), ("P2", P2)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    p = str(path)
    run(capsys, "new", p)
    run(capsys, "import", p, str(tmp_path / "P1.txt"), str(tmp_path / "P2.txt"))
    for args in (["Connection", "--level", "global"],
                 ["Belonging", "--level", "organising", "--parent", "Connection"],
                 ["Feeling welcome", "--level", "basic", "--parent", "Belonging"],
                 ["Shared interests", "--level", "basic", "--parent", "Belonging"],
                 ["Practical barriers", "--level", "organising", "--parent", "Connection"],
                 ["Cost of travel", "--level", "basic", "--parent", "Practical barriers"],
                 ["bus fares", "--parent", "Cost of travel"]):
        run(capsys, "--coder", "Ana", "node", "add", p, *args)
    ids = {
        "hello": coding_id(run(capsys, "--coder", "Ana", "code", p, "--document", "P1", "--node", "Feeling welcome",
                               "--quote", "Everyone said hello and I felt welcome straight away", "--exemplar")),
        "belonged": coding_id(run(capsys, "--coder", "Ana", "code", p, "--document", "P2", "--node",
                                  "Feeling welcome", "--quote", "I felt like I belonged there", "--exemplar")),
        "gardening": coding_id(run(capsys, "--coder", "Ana", "code", p, "--document", "P2", "--node",
                                   "Shared interests", "--quote",
                                   "We all love gardening, so there was always something to talk about")),
        "fare": coding_id(run(capsys, "--coder", "Ana", "code", p, "--document", "P1", "--node", "bus fares",
                              "--quote", "The bus fare was the hard part, four pounds each way adds up when you "
                                         "are on benefits", "--exemplar")),
        "cost": coding_id(run(capsys, "--coder", "Ana", "code", p, "--document", "P2", "--node", "Cost of travel",
                              "--quote", "Honestly I nearly did not go back because of the cost")),
    }
    run(capsys, "--coder", "Ana", "codings", "exemplar", p, ids["gardening"])
    # The researcher wants the 'belonged' quote first.
    run(capsys, "--coder", "Ana", "codings", "order", p, "--theme", "Feeling welcome", ids["belonged"], ids["hello"])
    return {"path": p, "ids": ids}


@pytest.fixture
def study(built: dict[str, object], tmp_path: Path) -> dict[str, object]:
    """A copy of the built project for one test (some tests change it)."""
    copy = tmp_path / "copy.qualcode"
    shutil.copyfile(str(built["path"]), copy)
    return {"path": str(copy), "ids": built["ids"]}


def test_quoting_keeps_the_closing_full_stop_and_lists_ids(study: dict[str, object],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "codings", "list", str(study["path"]), "--node", "Feeling welcome", "--exemplars")
    lines = out.splitlines()
    ids = study["ids"]
    assert isinstance(ids, dict)
    assert [line.split()[0] for line in lines] == [ids["belonged"], ids["hello"]]
    assert lines[0].endswith("“I felt like I belonged there.”")
    assert "*exemplar*" in lines[1]


def test_themes_table_docx_prints_exemplars_only_in_order_verbatim_and_italic(
        study: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "themes.docx"
    run(capsys, "export", "themes-table", str(study["path"]), "-o", str(out), "--exemplars-only", "--italic",
        "--number", "--headers", "Organising theme,Basic theme,Illustrative quotes",
        "--title", "Table 2. Themes and illustrative quotes", "--no-note", "--no-global-rows")
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs if p.text] == ["Table 2. Themes and illustrative quotes"]
    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["Organising theme", "Basic theme", "Illustrative quotes"],
        ["Belonging", "1. Feeling welcome",
         "P2: I felt like I belonged there.\nP1: Everyone said hello and I felt welcome straight away."],
        ["Belonging", "2. Shared interests",
         "P2: We all love gardening, so there was always something to talk about."],
        ["Practical barriers", "1. Cost of travel",
         "P1: The bus fare was the hard part, four pounds each way adds up when you are on benefits."],
    ]
    # The organising theme's cell is one merged cell over its two themes.
    assert table.rows[1].cells[0]._tc is table.rows[2].cells[0]._tc
    quote = table.rows[1].cells[2].paragraphs[0]
    assert [(r.text, bool(r.italic)) for r in quote.runs] == [("P2: ", False),
                                                              ("I felt like I belonged there.", True)]
    # The non-exemplar 'cost' coding is not added to fill a slot.
    assert "because of the cost" not in "".join(c for row in cells for c in row)


def test_themes_table_markdown_line_by_line(study: dict[str, object], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "themes.md"
    run(capsys, "export", "themes-table", str(study["path"]), "-o", str(out), "--exemplars-only", "--italic",
        "--attribution", "after", "--title", "Table 2. Themes", "--no-note")
    assert out.read_text(encoding="utf-8").splitlines() == [
        "**Table 2. Themes**",
        "",
        "| Organising theme | Theme | Example quote(s) |",
        "|---|---|---|",
        "| Belonging | Feeling welcome | *“I felt like I belonged there.”* (P2)<br>*“Everyone said hello and I "
        "felt welcome straight away.”* (P1) |",
        "|  | Shared interests | *“We all love gardening, so there was always something to talk about.”* (P2) |",
        "| Practical barriers | Cost of travel | *“The bus fare was the hard part, four pounds each way adds up "
        "when you are on benefits.”* (P1) |",
    ]


def test_node_rename_move_delete_uncode_and_memo_are_each_one_step(study: dict[str, object], tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    p = str(study["path"])
    ids = study["ids"]
    assert isinstance(ids, dict)
    assert run(capsys, "node", "rename", p, "Cost of travel", "Cost") == "Renamed 'Cost of travel' to 'Cost'.\n"
    assert run(capsys, "node", "move", p, "Cost", "--to", "Belonging") == \
        "Moved 'Cost' to 'Connection/Belonging/Cost'.\n"
    assert run(capsys, "uncode", p, ids["cost"]).startswith(f"Removed coding {ids['cost']} ('Cost'")
    assert run(capsys, "memo", p, "--node", "Belonging", "Check against field notes") == \
        "Added a memo on 'Belonging'.\n"
    assert run(capsys, "node", "delete", p, "bus fares", "--keep-codings") == \
        "Deleted 'bus fares' (1 coding moved to its parent).\n"
    listing = run(capsys, "node", "list", p).splitlines()
    assert "    Cost  [basic; 1 coding]" in listing
    assert not any("bus fares" in line for line in listing)
    assert main(["code", p, "--document", "P1", "--node", "Cost", "--quote", "not in the text"]) == 1
    assert capsys.readouterr().err.strip() == "qualcode: error: The passage 'not in the text' is not in 'P1'."
    assert main(["codings", "order", p, "--theme", "Belonging", "999"]) == 1
    assert "999 is not an exemplar of 'Belonging'" in capsys.readouterr().err


def test_a_passage_two_coders_marked_is_quoted_once(study: dict[str, object], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    p = str(study["path"])
    run(capsys, "--coder", "Ben", "code", p, "--document", "P2", "--node", "Feeling welcome", "--quote",
        "I felt like I belonged there", "--exemplar")
    out = tmp_path / "themes.md"
    run(capsys, "export", "themes-table", p, "-o", str(out), "--exemplars-only")
    assert out.read_text(encoding="utf-8").count("I felt like I belonged there.") == 1
