"""`qualcode merge`, `coder-copy`, `agreement` and `disagreements` from the command line."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.cli.main import main
from qualcode.store import models as m
from tests.teamwork_support import build_study, code, count, opened

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return build_study(tmp_path / "lead.qualcode")


def test_coder_copies_merge_back_with_a_report(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bob = tmp_path / "bob.qualcode"
    assert main(["coder-copy", str(study), str(bob), "--for", "Bob", "--blind"]) == 0
    assert "for Bob (0 codings; left out 3 codings of other coders)" in capsys.readouterr().out
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")
        code(s, "Bob", "P1 interview", "But the doctor listened", "Listening")
    assert main(["merge", str(study), str(bob), "--dry-run", "--report", str(tmp_path / "report.md")]) == 0
    out = capsys.readouterr().out
    assert "would add 2 codings; 0 conflicts to review." in out
    assert "| codings | 2 | 0 | 0 | 0 |" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert main(["merge", str(study), str(bob), "-o", str(tmp_path / "merged.qualcode")]) == 0
    assert "added 2 codings" in capsys.readouterr().out
    with opened(tmp_path / "merged.qualcode") as s:
        assert count(s, m.Coding) == 5

    assert main(["agreement", str(tmp_path / "merged.qualcode"), "--coders", "Ann,Bob", "--no-sentences"]) == 0
    table = capsys.readouterr().out
    assert "Waiting time" in table and "Ann-Bob" in table and "100.0" in table and "κ coded" in table
    assert "Coded text only" in table or "coded text only" in table.lower()
    assert "AC1" in table and "Fleiss κ" in table and "κ 95% CI" in table
    assert "Confidence intervals not computed (they need 5 or more documents" in table
    assert main(["agreement", str(tmp_path / "merged.qualcode"), "--coders", "Ann,Bob", "--no-sentences",
                 "--resamples", "0", "--assigned", "Bob=P1 interview"]) == 0
    table = capsys.readouterr().out
    assert "Confidence intervals not computed" in table and "1 coder-document pair not assigned" in table
    assert main(["agreement", str(tmp_path / "merged.qualcode"), "--coders", "Ann,Bob",
                 "--assigned", "Bob:P1 interview"]) == 1
    assert "qualcode: error: --assigned takes CODER=DOCUMENT,DOCUMENT" in capsys.readouterr().err
    out_csv = tmp_path / "agreement.csv"
    assert main(["agreement", str(tmp_path / "merged.qualcode"), "--coders", "Ann,Bob", "--nodes",
                 "Waiting time,Listening", "-o", str(out_csv)]) == 0
    with out_csv.open(encoding="utf-8-sig") as handle:
        assert [row[0] for row in csv.reader(handle)][1:] == ["Waiting time", "Listening",
                                                               "Overall (all codes pooled)"]
    capsys.readouterr()
    assert main(["disagreements", str(tmp_path / "merged.qualcode"), "--coders", "Ann,Bob"]) == 0
    listing = capsys.readouterr().out
    assert "P1 interview" in listing and "Listening" in listing and "2 places where the coders differ." in listing


def test_merge_in_place_keeps_a_backup(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bob = tmp_path / "bob.qualcode"
    main(["coder-copy", str(study), str(bob), "--for", "Bob"])
    with opened(bob) as s:
        code(s, "Bob", "P2 interview", "The pharmacist phones me", "Family support")
    assert main(["merge", str(study), str(bob)]) == 0
    out = capsys.readouterr().out
    assert "Backup of the project before the merge:" in out
    with opened(study) as s:
        assert count(s, m.Coding) == 4


def test_bad_merges_fail_with_one_line(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "qualcode", "merge", str(study), str(study)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("qualcode: error: ") and "into itself" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    for args, message in (
        ([str(study), str(notes)], "it is not a QualCode project"),
        ([str(study), str(tmp_path / "missing.qualcode")], "no incoming project"),
        ([str(study), str(study), "-o", str(study)], "into itself"),
    ):
        assert main(["merge", *args]) == 1
        err = capsys.readouterr().err
        assert err.startswith("qualcode: error: ") and message in err and err.count("\n") == 1


def test_merge_takes_a_coders_corrected_text_on_request(study: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from qualcode.services import documents
    from tests.teamwork_support import CLINIC, doc_id, span

    bob = tmp_path / "bob.qualcode"
    main(["coder-copy", str(study), str(bob), "--for", "Bob"])
    with opened(bob) as s:
        start, end = span(CLINIC, "never came back")
        documents.edit_document_text(s, document_id=doc_id(s, "P1 interview"), start=start, end=end,
                                     replacement="never came back again")
    assert main(["merge", str(study), str(bob), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 conflict to review" in out and "text differs: document 'P1 interview'" in out
    assert "('back.' → 'back again.')" in out
    assert main(["merge", str(study), str(bob), "--take-text", "p2 interview"]) == 1
    assert "qualcode: error: 'p2 interview' is not a document whose text differs" in capsys.readouterr().err
    assert main(["merge", str(study), str(bob), "--take-text", "*"]) == 0
    assert "Took the incoming text of P1 interview" in capsys.readouterr().out
    with opened(study) as s:
        assert "never came back again." in s.get(m.Document, doc_id(s, "P1 interview")).text  # type: ignore[union-attr]


def test_piping_into_a_reader_that_stops_early_prints_no_traceback(study: Path) -> None:
    bob = study.with_name("bob.qualcode")
    main(["coder-copy", str(study), str(bob), "--for", "Bob"])
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")
    main(["merge", str(study), str(bob)])
    # Standard output is a pipe whose reader has gone (as after `| head`): the first write fails.
    script = ("import os, sys\nreader, writer = os.pipe()\nos.close(reader)\nos.dup2(writer, 1)\n"
              "from qualcode.cli.main import main\n"
              "code = main(['agreement', sys.argv[1], '--coders', 'Ann,Bob', '--resamples', '0', '--no-sentences'])\n"
              "sys.stderr.write(f'exit {code}\\n')\nsys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script, str(study)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.stderr == "exit 141\n" and result.returncode == 141


def test_a_coder_copy_for_some_documents_records_the_assignment_for_agreement(
        study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bob = tmp_path / "bob.qualcode"
    assert main(["coder-copy", str(study), str(bob), "--for", "Bob", "--blind", "--documents", "P1 interview"]) == 0
    assert "assigned 1 document)" in capsys.readouterr().out
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")
    merged = tmp_path / "merged.qualcode"
    assert main(["merge", str(study), str(bob), "-o", str(merged)]) == 0
    capsys.readouterr()
    # No --assigned: the assignment recorded with Bob's copy came back with the merge.
    assert main(["agreement", str(merged), "--coders", "Ann,Bob", "--no-sentences", "--resamples", "0"]) == 0
    assert "1 coder-document pair not assigned" in capsys.readouterr().out
    assert main(["coder-copy", str(study), str(tmp_path / "x.qualcode"), "--for", "Cy", "--documents", "P9"]) == 1
    assert "qualcode: error: There is no document named 'P9'" in capsys.readouterr().err


def test_independent_projects_report_a_same_named_node_and_the_cli_addresses_it_by_path_or_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qualcode.services.codebook import nodes
    from tests.teamwork_support import node_id

    a = build_study(tmp_path / "a.qualcode", coder="Ann")
    b = build_study(tmp_path / "b.qualcode", coder="Bob")
    with opened(b) as s:  # Bob's own project files "Family support" under "Being heard"
        nodes.move_node(s, node_id=node_id(s, "Family support"), parent_id=node_id(s, "Being heard"))
    assert main(["merge", str(a), str(b), "-o", str(tmp_path / "m.qualcode")]) == 0
    out = capsys.readouterr().out
    assert "1 conflict to review" in out and "same name in another place: node 'Family support'" in out
    merged = str(tmp_path / "m.qualcode")
    assert main(["agreement", merged, "--coders", "Ann,Bob", "--nodes", "Family support"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qualcode: error: Several nodes are named 'Family support': give the path or the id")
    assert "'Access to care/Waiting/Being heard/Family support' (#" in err
    with opened(tmp_path / "m.qualcode") as s:
        top = next(n.id for n in nodes.list_nodes(s) if n.name == "Family support" and n.parent_id is None)
    for address in ("Being heard/Family support", f"#{top}"):
        assert main(["agreement", merged, "--coders", "Ann,Bob", "--nodes", address, "--no-sentences",
                     "--resamples", "0"]) == 0
        assert "Family support" in capsys.readouterr().out
