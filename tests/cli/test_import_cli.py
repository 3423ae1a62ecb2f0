"""`qualcode import`, `import-cases` and `anonymise` on real project files."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.cli.main import main
from qualcode.services import documents as document_service
from qualcode.services.cases import cases as case_service
from qualcode.services.coding import speakers as speaker_service
from qualcode.store.project import Project

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qualcode"
    assert main(["--coder", "ana", "new", str(path)]) == 0
    return path


def test_import_reports_each_file_and_keeps_going(project_path: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing else")
    code = main(["--coder", "ana", "import", str(project_path), str(SAMPLES / "LW01_interview_wave1.txt"), str(bad),
                 str(SAMPLES / "P02_interview_wave1.vtt"), "--speaker-case", "R={id}",
                 "--speaker-case", "Carol Whitby={id}", "--exclude-interviewer", "--interviewer", "Hannah Fielding",
                 "--interviewer", "I"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "'broken.pdf': the PDF is incomplete" in err
    assert out.splitlines()[-1] == "2 imported, 1 failed."
    with Project.open(project_path) as project, project.session() as session:
        cases = {c.name: len(c.document_ids) for c in case_service.list_cases(session)}
        assert cases == {"LW01": 1, "P02": 1}
        docs = {d.name: d.id for d in document_service.list_documents(session)}
        assert speaker_service.interviewer_speakers(session, docs["P02_interview_wave1"]) == {"Hannah Fielding"}


def test_import_duplicates_flag(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(SAMPLES / "LW01_interview_wave1.txt")
    main(["import", str(project_path), sample])
    main(["import", str(project_path), sample])
    assert "skipped" in capsys.readouterr().out
    assert main(["import", str(project_path), sample, "--duplicates", "copy"]) == 0
    with Project.open(project_path) as project, project.session() as session:
        assert [d.name for d in document_service.list_documents(session)] == ["LW01_interview_wave1",
                                                                             "LW01_interview_wave1 (2)"]


def test_import_with_only_bad_files_fails(project_path: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert main(["import", str(project_path), str(tmp_path / "empty.txt")]) == 1
    assert "'empty.txt': the file is empty." in capsys.readouterr().err


def test_import_cases_links_and_reports(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", str(project_path), str(SAMPLES / "P01_interview_wave1.docx")])
    capsys.readouterr()
    assert main(["import-cases", str(project_path), str(SAMPLES / "participants.csv"),
                 "--type", "interview_wave=category"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("9 cases created, 0 updated, 6 attributes, 1 document links; "
                                   "8 rows match no document.")
    assert "  interview_wave           category  (overridden)" in out
    assert "  no document matches case 'P05'" in out


def test_import_cases_bad_sheet_is_one_line(project_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("id,age\nP1,3,4\n", encoding="utf-8")
    assert main(["import-cases", str(project_path), str(sheet)]) == 1
    assert capsys.readouterr().err == ("qualcode: error: 'bad.csv': row 2 has 3 cells but the header has 2 columns; "
                                       "fix the row (a missing or extra delimiter?).\n")


def test_anonymise_lists_then_applies(project_path: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", str(project_path), str(SAMPLES / "P01_interview_wave1.docx")])
    capsys.readouterr()
    terms = str(SAMPLES / "identifiers.csv")
    assert main(["anonymise", str(project_path), "--terms", terms]) == 0
    listing = capsys.readouterr().out
    assert "'Dennis' -> [Participant 1]" in listing and "--apply" in listing
    with Project.open(project_path) as project, project.session() as session:
        assert "Dennis" in document_service.document_text(session, 1)  # listing changed nothing
    key = tmp_path / "key.csv"
    assert main(["anonymise", str(project_path), "--terms", terms, "--apply", "--reject", "1",
                 "--key-out", str(key)]) == 0
    assert "person,Dennis,[Participant 1]" in key.read_text(encoding="utf-8")
    with Project.open(project_path) as project, project.session() as session:
        text = document_service.document_text(session, 1)
    assert "Thank you for having me in, [Participant 1]." in text
    assert "referred by Marsh Lane Surgery" in text  # proposal 1 was rejected


def test_anonymise_unknown_document(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["anonymise", str(project_path), "--document", "nope"]) == 1
    assert capsys.readouterr().err == "qualcode: error: No document named 'nope' in this project.\n"
