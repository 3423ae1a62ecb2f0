"""`qualcode refs …`, `qualcode screen …` and `qualcode export prisma|studies|study-quotes` on a
real project: a reviewer's whole path through a small review from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from qualcode.cli.main import main
from tests import review_sample as sample
from tests.filemakers import write_paged_pdf

APA_LIST = """Braun, V., & Clarke, V. (2006). Using thematic analysis in psychology. Qualitative Research in Psychology, 3(2), 77–101. https://doi.org/10.1191/1478088706qp063oa

Husk, K., Blockley, K. and Lovell, R. (2020) What approaches to social prescribing work, for whom, and in what circumstances? Health & Social Care in the Community, 28(2), pp. 309-324.

Not a reference, just a note to self.
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_review_from_reference_lists_to_flow_diagram_and_tables(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    project = str(tmp_path / "review.qualcode")
    assert run(capsys, "new", project)[0] == 0
    medline = sample.write_medline_ris(tmp_path / "medline.ris")
    listing = tmp_path / "hand-search.txt"
    listing.write_text(APA_LIST, encoding="utf-8")
    code, out, _ = run(capsys, "refs", "import", project, str(medline), "--database", "MEDLINE")
    assert code == 0 and "medline.ris (ris, MEDLINE): 25 new studies, 0 duplicate(s), 0 not read" in out
    code, out, _ = run(capsys, "refs", "import", project, str(listing), str(medline))
    assert "hand-search.txt (text, hand-search): 2 new studies, 0 duplicate(s), 1 not read" in out
    assert "  line 5: not read: no year after the authors" in out
    assert "medline.ris (ris, medline): 0 new studies, 25 duplicate(s), 0 not read" in out

    assert run(capsys, "screen", "reason", project, "wrong population")[0] == 0
    for coder in ("Ana", "Ben"):
        assert run(capsys, "--coder", coder, "screen", "decide", project, "Braun & Clarke 2006", "Husk et al. 2020",
                   "Chen 2012", "--stage", "ta", "--include")[0] == 0
    others = [name for name in ("Baker 2011", "Evans 2014", "Ito 2018")]
    assert run(capsys, "--coder", "Ana", "screen", "decide", project, *others, "--stage", "ta", "--exclude")[0] == 0
    assert run(capsys, "--coder", "Ben", "screen", "decide", project, *others[:2], "--stage", "ta",
               "--exclude")[0] == 0
    assert run(capsys, "--coder", "Ben", "screen", "decide", project, "Ito 2018", "--stage", "ta", "--include")[0] == 0
    code, out, _ = run(capsys, "screen", "agreement", project, "--stage", "ta", "--coders", "Ana,Ben")
    assert "title/abstract: 6 records screened by both (0 by only one)" in out
    assert "both included 3, both excluded 2, only Ana included 0, only Ben included 1" in out
    assert "Ito 2018: Ana exclude, Ben include" in out
    assert run(capsys, "--coder", "Cleo", "screen", "decide", project, "Ito 2018", "--stage", "ta", "--exclude",
               "--final")[0] == 0
    assert run(capsys, "--coder", "Ana", "screen", "decide", project, "Braun & Clarke 2006", "Husk et al. 2020",
               "--stage", "ft", "--include")[0] == 0
    code, _, err = run(capsys, "--coder", "Ana", "screen", "decide", project, "Chen 2012", "--stage", "ft",
                       "--exclude", "--reason", "too old")
    assert code == 1 and err.strip() == ("qualcode: error: 'too old' is not on the team's list of reasons: "
                                         "wrong population.")
    assert run(capsys, "--coder", "Ana", "screen", "decide", project, "Chen 2012", "--stage", "ft", "--exclude",
               "--reason", "Wrong population")[0] == 0

    pdf = write_paged_pdf(tmp_path / "braun.pdf", [["Using thematic analysis in psychology", "Braun V."],
                                                   ["Thematic analysis is a method for identifying patterns."]])
    code, out, _ = run(capsys, "refs", "attach", project, str(pdf))
    assert out.splitlines()[0] == "braun.pdf: Braun & Clarke 2006 (by title)"

    png, svg = tmp_path / "prisma.png", tmp_path / "prisma.svg"
    assert run(capsys, "export", "prisma", project, "-o", str(png), "--dpi", "100")[0] == 0
    code, out, _ = run(capsys, "export", "prisma", project, "-o", str(svg))
    assert out.splitlines()[0] == f"Wrote {svg}: 52 identified, 27 screened, 3 assessed, 2 included"
    assert "21 record(s) still await a screening decision; the diagram is provisional." in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    texts = [" ".join("".join(t.itertext()).split()) for t in etree.parse(str(svg)).iter("{*}text")]
    assert "Duplicate records removed (n = 25)" in texts and "wrong population (n = 1)" in texts

    table = tmp_path / "studies.csv"
    assert run(capsys, "export", "studies", project, "-o", str(table), "--columns", "year,source")[0] == 0
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if len(row) == 3]
    assert rows == [["Study", "Year", "Source"],
                    ["Braun & Clarke 2006", "2006", "Qualitative Research in Psychology"],
                    ["Husk et al. 2020", "2020", "Health & Social Care in the Community"]]
    bib = tmp_path / "included.bib"
    assert run(capsys, "refs", "export", project, "-o", str(bib))[0] == 0
    assert bib.read_text(encoding="utf-8").count("@article{") == 2


def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = str(tmp_path / "review.qualcode")
    run(capsys, "new", project)
    code, _, err = run(capsys, "refs", "import", project, str(tmp_path / "missing.ris"))
    assert code == 1 and err.strip() == "qualcode: error: 'missing.ris': the file does not exist."
    code, _, err = run(capsys, "screen", "decide", project, "Nobody 1999", "--stage", "ta", "--include")
    assert code == 1 and err.startswith("qualcode: error: No study record is named 'Nobody 1999'")
    code, _, err = run(capsys, "export", "prisma", project, "-o", str(tmp_path / "flow.gif"))
    assert code == 1 and "end the name with .png, .svg or .pdf" in err
    code, _, err = run(capsys, "screen", "count", project, "registrs", "3")
    assert code == 1 and err.startswith("qualcode: error: 'registrs' is not a PRISMA count")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("review")) == []
