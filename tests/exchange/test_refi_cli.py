"""`qualcode export qdpx|qdc` and `qualcode import qdpx|qdc`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.cli.main import build_parser, main
from qualcode.services import project as project_service
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import QdpxBuilder


def test_export_and_import_from_the_command_line(rich_project: Project, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    rich_project.close()
    source = rich_project.path
    assert main(["export", "qdpx", str(source), str(tmp_path / "study")]) == 0
    assert main(["export", "qdc", str(source), str(tmp_path / "codes.qdc")]) == 0
    out = capsys.readouterr().out
    assert "Wrote study.qdpx: 3 documents, 9 codes, 11 codings, 3 coders, 3 cases, 6 memos, 3 CMO configurations" in out
    assert "Wrote codes.qdc: 9 codes" in out
    assert zipfile.ZipFile(tmp_path / "study.qdpx").namelist()[0] == "project.qde"

    assert main(["--coder", "Dana", "import", "qdpx", str(tmp_path / "copy"), str(tmp_path / "study.qdpx"),
                 "--new"]) == 0
    assert "Created copy.qualcode: 3 documents, 9 codes, 11 codings, 3 coders" in capsys.readouterr().out
    with Project.open(tmp_path / "copy.qualcode") as copy, copy.session() as s:
        counts = project_service.summary(s).counts
    assert (counts["documents"], counts["codings"], counts["cmo_configurations"]) == (3, 11, 3)

    Project.create(tmp_path / "empty.qualcode").close()
    empty, codes = str(tmp_path / "empty.qualcode"), str(tmp_path / "codes.qdc")
    assert main(["--coder", "Dana", "import", "qdc", empty, codes]) == 0
    assert "Imported codes.qdc: 9 codes" in capsys.readouterr().out


def test_import_prints_each_deviation(qdpx: QdpxBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.exchange.test_refi_import_tools import nvivo_file

    Project.create(tmp_path / "target.qualcode").close()
    assert main(["--coder", "Dana", "import", "qdpx", str(tmp_path / "target.qualcode"), str(nvivo_file(qdpx))]) == 0
    out = capsys.readouterr().out
    assert "Positions counted in UTF-16 code units (file written by NVivo 12.6.0.959)" in out
    assert "  - source 'Interview 01': its text file starts with a UTF-8 byte-order mark" in out


def test_unsafe_files_give_one_line_and_status_1(qdpx: QdpxBuilder, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = qdpx.write("slip.qdpx", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', {"../x.txt": b"x"})
    assert main(["import", "qdpx", str(tmp_path / "new.qualcode"), str(path), "--new"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("qualcode: error: The archive holds an entry that climbs out of its folder ('../x.txt')")
    assert "\n" not in err and not (tmp_path / "new.qualcode").exists()


def test_export_group_takes_other_formats_and_import_words_sit_beside_transcript_import() -> None:
    from qualcode.cli.groups import join_command_words, subcommand_group

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    subcommand_group(subparsers, "export").add_parser("word-cloud").set_defaults(handler=lambda args: 0)
    assert parser.parse_args(["export", "word-cloud"]).export_command == "word-cloud"
    assert parser.parse_args(["export", "map", "p.qualcode", "-o", "m.png"]).export_command == "map"
    assert parser.parse_args(["export", "qdpx", "a", "b"]).export_command == "qdpx"
    refi = parser.parse_args(join_command_words(parser, ["--coder", "Dana", "import", "qdpx", "p.qualcode", "f"]))
    assert (refi.command, refi.file, refi.coder) == ("import qdpx", Path("f"), "Dana")
    transcripts = parser.parse_args(join_command_words(parser, ["import", "p.qualcode", "a.txt", "b.docx"]))
    assert transcripts.command == "import" and transcripts.handler is not refi.handler


def test_a_project_given_as_a_codebook_and_the_reverse_say_which_import_to_use(
        qdpx: QdpxBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = qdpx.write("study.qdpx", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
    codebook = tmp_path / "codes.qdc"
    codebook.write_text('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
                        '<Codes><Code guid="6a3e1c1e-0000-4000-8000-000000000002" name="Worry" isCodable="true"/>'
                        "</Codes></CodeBook>", encoding="utf-8")
    Project.create(tmp_path / "target.qualcode").close()
    assert main(["import", "qdc", str(tmp_path / "target.qualcode"), str(project)]) == 1
    assert capsys.readouterr().err.strip() == (
        "qualcode: error: 'study.qdpx' is a REFI-QDA project (.qdpx), not a codebook: import it as a project "
        "(import qdpx).")
    assert main(["import", "qdpx", str(tmp_path / "new.qualcode"), str(codebook), "--new"]) == 1
    assert capsys.readouterr().err.strip() == (
        "qualcode: error: 'codes.qdc' is a REFI-QDA codebook (.qdc), not a project: import it as a codebook "
        "(import qdc).")
    assert not (tmp_path / "new.qualcode").exists()
    with Project.open(tmp_path / "target.qualcode") as target, target.session() as s:
        assert project_service.summary(s).counts["nodes"] == 0
