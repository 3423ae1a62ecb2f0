"""`qualcode cmo ...` and `qualcode export cmoc-table|programme-theory` on a real project."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.cli.main import main
from qualcode.services import documents
from qualcode.services.codebook import nodes
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.store.project import Project
from tests.realist_sample import build_sample


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project, project.session() as session:
        build_sample(session)
    return path


def test_list_groups_configurations_with_counts_and_filters(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cmo", "list", str(study), "--sites", "site", "--concept", "Sustaining change"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "Sustaining change"
    assert out[2].split() == ["CMOC", "21", "confirmed", "2", "excerpts,", "1", "participant,", "1", "site"]
    assert out[3].strip().startswith("When patients form friendships within community groups (C) patients feel")
    assert main(["cmo", "list", str(study), "--status", "refuted", "--case", "deprivation=high"]) == 0
    labels = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("  CMOC")]
    assert labels == ["19", "22"]


def test_add_tag_status_refine_and_show(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--coder", "Chloe", "cmo", "add", str(study), "--concept", "Enrolment", "-C",
                 "When receptionists mention the service", "-M", "patients feel curious"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Added CMOC 26: When receptionists mention the service (C) patients feel curious (M).",
        "Draft: no statement yet for O"]
    assert main(["cmo", "status", str(study), "CMOC 26", "confirmed"]) == 1
    assert "'CMOC 26' cannot be confirmed: it has no outcome (O) statement" in capsys.readouterr().err
    assert main(["--coder", "Chloe", "cmo", "tag", str(study), "--document", "p02 interview", "--quote",
                 "I just got a letter through   the door", "--role", "o", "--configuration", "cmoc 26"]) == 0
    assert capsys.readouterr().out.startswith("Tagged ")
    assert main(["cmo", "status", str(study), "CMOC 26", "confirmed"]) == 0
    assert main(["cmo", "refine", str(study), "CMOC 26", "--label", "CMOC 26b"]) == 0
    capsys.readouterr()
    assert main(["cmo", "show", str(study), "CMOC 26b"]) == 0
    shown = capsys.readouterr().out
    assert "CMOC 26b — Enrolment (CMO; refined; data)" in shown
    assert "  CMOC 26 (confirmed)\n    CMOC 26b (refined)  <- this one" in shown
    assert main(["cmo", "show", str(study), "CMOC 26"]) == 0
    assert "“I just got a letter through the door” (P02, Chloe)" in capsys.readouterr().out
    with Project.open(study) as project, project.session() as session:
        config = cmo.find_configuration(session, "CMOC 26")
        evidence = cmo_evidence.evidence_for(session, configuration_id=config.id)
        assert config.status == "confirmed" and [e.coder_name for e in evidence] == ["Chloe"]
        text = documents.document_text(session, evidence[0].document_id)
        assert text[evidence[0].start:evidence[0].end] == "I just got a letter through the door"


def test_add_with_a_user_defined_template_and_several_outcomes(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cmo", "add", str(study), "--concept", "Readiness", "--template", "Dalkin", "--roles",
                 "C,Mres,Mreas,O", "--statement", "C=When patients are anxious", "--statement",
                 "Mres=link workers phone before the session", "--statement", "Mreas=patients feel expected",
                 "-O", "they attend", "-O", "they stay", "--refines", "CMOC 15"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Added CMOC 26: When patients are anxious (C) link workers phone before the session (Mres) patients "
        "feel expected (Mreas) they attend (O) and they stay (O)."]


def test_add_links_themes_and_show_lists_them(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(study) as project, project.session() as session:
        nodes.create_node(session, name="Trust", level="basic")
    assert main(["cmo", "add", str(study), "--concept", "Engagement", "-C", "When x", "-M", "y", "-O", "z",
                 "--theme", "trust", "--memo", "From the steering group"]) == 0
    capsys.readouterr()
    assert main(["cmo", "show", str(study), "CMOC 26"]) == 0
    out = capsys.readouterr().out
    assert "Draws on: Trust\nMemo: From the steering group" in out
    assert main(["cmo", "add", str(study), "--concept", "E", "-C", "x", "--theme", "Nope"]) == 1
    assert "There is no node named 'Nope'" in capsys.readouterr().err


def test_tagging_a_new_configuration_by_span(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cmo", "tag", str(study), "--document", "P03 interview", "--span", "0:11", "--role", "C",
                 "--concept", "Waiting lists", "--statement", "When groups have waiting lists"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Tagged 0-11 of 'P03 interview' as C of new configuration CMOC 26.",
        "CMOC 26 is a draft: no statement yet for M, O."]


@pytest.mark.parametrize(("argv", "message"), [
    (["cmo", "tag", "{p}", "--document", "P99", "--span", "0:5", "--role", "C"],
     "There is no document named 'P99' in this project."),
    (["cmo", "tag", "{p}", "--document", "P01 interview", "--quote", "never said", "--role", "C"],
     "The passage 'never said' is not in 'P01 interview'."),
    (["cmo", "tag", "{p}", "--document", "P01 interview", "--span", "5-9", "--role", "C"],
     "Write --span as START:END offsets"),
    (["cmo", "list", "{p}", "--case", "deprivation"], "Write --case as ATTRIBUTE=VALUE"),
    (["cmo", "add", "{p}", "--concept", "X", "--refines", "CMOC 99"],
     "There is no configuration labelled 'CMOC 99' in this project."),
    (["export", "cmoc-table", "{p}", "{dir}/table.pdf"], "Cannot tell the table format of 'table.pdf'"),
    (["export", "programme-theory", "{p}", "{dir}/theory.svg", "--concept", "Nope"], "There is no concept 'Nope'"),
    (["export", "cmoc-table", "{p}"], "Name the file to write"),
])
def test_bad_input_is_one_line_on_stderr(study: Path, argv: list[str], message: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.format(p=study, dir=study.parent) for a in argv]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("qualcode: error: ") and message in err and err.count("\n") == 1


def test_exports_write_the_table_and_the_diagram(study: Path, tmp_path: Path) -> None:
    table = tmp_path / "cmoc.csv"
    result = subprocess.run([sys.executable, "-m", "qualcode", "export", "cmoc-table", str(study), str(table),
                             "--no-quote", "--sites", "site", "--status", "confirmed"],
                            capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote {table}\n"
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Concept", "CMOC", "Configuration", "Status", "Excerpts", "Refuting", "Participants", "Sites"]
    assert {r[3] for r in rows[1:]} == {"Confirmed"} and len(rows) == 11
    figure = tmp_path / "theory.svg"
    assert main(["export", "programme-theory", str(study), "-o", str(figure), "--concept", "Enrolment",
                 "--style", "inventory"]) == 0
    svg = figure.read_text(encoding="utf-8")
    assert "Patients feel personally expected" in svg and "Sustaining change" not in svg
    pathway = tmp_path / "pathway.svg"
    assert main(["export", "programme-theory", str(study), "-o", str(pathway), "--stage", "Readiness",
                 "--concept", "Enrolment", "--concept", "Readiness"]) == 0
    svg = pathway.read_text(encoding="utf-8")
    assert svg.index("1. Readiness") < svg.index("2. Enrolment") and "Sustaining change" not in svg
