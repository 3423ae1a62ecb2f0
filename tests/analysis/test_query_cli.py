"""`qualcode query ...` on the clinic study: printed results, written files, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from matplotlib.image import imread
from openpyxl import load_workbook

from qualcode.cli.main import main
from qualcode.services.coding import codings as coding_service
from qualcode.store.project import Project
from tests.analysis.study import Study


def _run(study: Study, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    study.project.close()  # the command opens the file itself
    assert main([*args[:2], str(study.project.path), *args[2:]]) == 0
    return capsys.readouterr().out


def test_search_prints_kwic_and_codes_hits_as_sentences(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    study.project.close()
    assert main(["--coder", "Cleo", "query", "search", str(study.project.path), "nurse", "--code-to",
                 "Communication", "--unit", "sentence"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "3 hits in 3 documents for nurse"
    assert "I listened to the [nurse]. I trusted her completely." in out
    assert "Coded 3 passages to 'Communication' as Cleo." in out
    with Project.open(study.project.path) as project, project.session() as s:
        texts = sorted(c.text for c in coding_service.codings_of_node(s, study.nodes["Communication"])
                       if c.coder_name == "Cleo")
    assert texts == ["I listened to the nurse.", "I trust the nurse though.", "Now the nurse listens."]


def test_code_to_codes_every_hit_not_only_the_listed_ones(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    study.project.close()
    assert main(["--coder", "Cleo", "query", "search", str(study.project.path), "nurse", "--limit", "1",
                 "--code-to", "Communication"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "3 hits in 3 documents for nurse (first 1 listed)"
    assert "Coded 3 passages to 'Communication' as Cleo." in out
    with Project.open(study.project.path) as project, project.session() as s:
        coded = [c for c in coding_service.codings_of_node(s, study.nodes["Communication"]) if c.coder_name == "Cleo"]
    assert sorted(c.text for c in coded) == ["nurse", "nurse", "nurse"]
    assert len({c.document_id for c in coded}) == 3


def test_coding_query_and_matrix_with_files(study: Study, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = _run(study, capsys, "query", "coding", '"Trust" AND Communication', "--proximity", "sentence",
               "--by-coder", "Ben", "--by-coder", "Ann")
    assert "2 passages in 2 documents (2 cases); coded by Ben, Ann" in out
    assert "The doctor rushed me." in out
    out = _run(study, capsys, "query", "matrix", "--attribute", "site", "--nodes", "Trust", "Barriers",
               "--output", str(tmp_path / "m.xlsx"))
    assert "Codings by node and site" in out and f"Wrote {tmp_path / 'm.xlsx'}" in out
    rows = [list(r) for r in load_workbook(tmp_path / "m.xlsx").active.iter_rows(values_only=True)
            if any(v is not None for v in r)]
    assert rows[1:4] == [["Node", "Site 1", "Site 2", "Total"], ["Trust", 2, 3, 5], ["Barriers", 2, 3, 5]]
    # The scope and where documents without a case go, as a note under the table.
    assert rows[-1][0].startswith("all documents") and "counted under '(no case)'" in rows[-1][0]


def test_cooccurrence_heatmap_and_word_chart(study: Study, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = _run(study, capsys, "query", "cooccurrence", "--mode", "document", "--heatmap", str(tmp_path / "h.png"),
               "--dpi", "100")
    assert "Cells count documents" in out
    image = imread(tmp_path / "h.png")
    assert image.shape[0] > 300 and image.shape[1] > 300
    out = _run(study, capsys, "query", "frequencies", "words", "--top", "5", "--chart", str(tmp_path / "w.svg"))
    assert out.splitlines()[5].startswith("listen      3")
    assert "<svg" in (tmp_path / "w.svg").read_text(encoding="utf-8")[:400]


def test_frequencies_and_participants(study: Study, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = _run(study, capsys, "query", "frequencies", "codings", "--by", "level")
    assert "Basic theme  Barriers" in out
    out = _run(study, capsys, "query", "participants", "--group-by", "site", "--output", str(tmp_path / "t1.docx"))
    assert "age, mean (SD)   34.0 (–)" in out
    table = DocxDocument(str(tmp_path / "t1.docx")).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Characteristic", "Site 1 (n=1)", "Site 2 (n=2)", "Total (n=3)"]


@pytest.mark.parametrize(("args", "message"), [
    (["search", "{path}", '"the nurse'], 'The quotation mark before "the nurse" is never closed'),
    (["search", "{path}", "   "], "Type a word or phrase to search for."),
    (["coding", "{path}", "Trust AND Nursing"], "There is no node named 'Nursing'"),
    (["matrix", "{path}", "--attribute", "region"], "There is no attribute named 'region'"),
    (["participants", "{path}", "--where", "age > old"], "'age' takes a number; 'old' is not one."),
    (["search", "{path}", "nurse", "-o", "{dir}/out.pdf"], "Cannot tell the table format of 'out.pdf'"),
])
def test_bad_input_is_one_clear_line(study: Study, capsys: pytest.CaptureFixture[str], args: list[str],
                                     message: str) -> None:
    study.project.close()
    assert main(["query", *(a.format(path=study.project.path, dir=study.project.path.parent) for a in args)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("qualcode: error: ") and message in error and error.count("\n") == 1


def test_a_bad_search_from_the_shell_shows_no_traceback(study: Study) -> None:
    study.project.close()
    result = subprocess.run([sys.executable, "-m", "qualcode", "query", "search", str(study.project.path), "(nurse"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == "qualcode: error: An opening bracket '(' is never closed: add a ')'.\n"
