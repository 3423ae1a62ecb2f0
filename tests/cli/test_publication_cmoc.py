"""A small realist evaluation built entirely on the command line, and its CMOC table read
back as a journal prints it: the researcher's statement order, no added commas, no double
joiners, a sentence written out in full, merged concept cells, numbering and caption."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import docx
import pytest

from qualcode.cli.main import main

S1 = ("Uncertainty about how a link worker can help (C) may make patients reluctant to engage with this person "
      "(O) because they are unsure of what to expect (M).")
S2 = ("When GPs explain the referral (C), patients feel it is legitimate (M) and so they attend the first "
      "appointment (O).")
S3 = ("Where link workers share the patient's background (C) patients feel understood (M); they keep coming "
      "(O) and making them less isolated (O).")
S4 = "Patients who trust their link worker (C) open up about money worries (O) because they feel safe (M)."


def quiet(*argv: str) -> str:
    buffer, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
        code = main(list(argv))
    assert code == 0, errors.getvalue()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> str:
    p = str(tmp_path_factory.mktemp("re") / "re.qualcode")
    quiet("new", p)
    # Statements in the order the paper's sentence reads them: C, O, M.
    assert quiet("cmo", "add", p, "--concept", "Enrolment", "-C", "Uncertainty about how a link worker can help",
                 "-O", "may make patients reluctant to engage with this person",
                 "-M", "because they are unsure of what to expect").strip() == f"Added CMOC 1: {S1}"
    # Statements carrying their own punctuation.
    quiet("cmo", "add", p, "--concept", "Enrolment", "-C", "When GPs explain the referral,",
          "-M", "patients feel it is legitimate", "-O", "and so they attend the first appointment")
    # A second outcome opening with 'and': no second joiner.
    quiet("cmo", "add", p, "--concept", "Engagement", "-C", "Where link workers share the patient's background",
          "-M", "patients feel understood;", "-O", "they keep coming", "-O", "and making them less isolated")
    # Given in template order, then reordered as the paper wrote it.
    quiet("cmo", "add", p, "--concept", "Engagement", "-C", "Patients who trust their link worker",
          "-M", "because they feel safe", "-O", "open up about money worries")
    assert quiet("cmo", "order", p, "CMOC 4", "C", "O", "M").strip() == f"CMOC 4: {S4}"
    return p


@pytest.fixture
def study(built: str, tmp_path: Path) -> str:
    copy = tmp_path / "copy.qualcode"
    shutil.copyfile(built, copy)
    return str(copy)


def test_sentences_keep_order_punctuation_and_single_joiners(study: str) -> None:
    listed = [line.strip() for line in quiet("cmo", "list", study).splitlines() if line.startswith("             ")]
    assert listed == [S1, S2, S3, S4]
    assert "and and" not in " ".join(listed)


def test_a_sentence_written_out_in_full_is_printed_as_written(study: str, tmp_path: Path) -> None:
    written = "Because GPs explain the referral (C), patients see it as legitimate (M) and attend (O)."
    assert quiet("cmo", "sentence", study, "CMOC 2", written).strip() == f"CMOC 2: {written}"
    out = tmp_path / "t.md"
    quiet("export", "cmoc-table", study, "-o", str(out), "--no-status", "--no-counts", "--no-quote", "--no-note",
          "--title", "Table 3. CMOCs")
    assert f"| CMOC 2 | {written.replace('(C)', '**(C)**').replace('(M)', '**(M)**').replace('(O)', '**(O)**')} |" \
        in out.read_text(encoding="utf-8").splitlines()
    assert main(["cmo", "sentence", study, "CMOC 2", "No markers here."]) == 1


def test_docx_two_columns_with_merged_concept_cells_numbering_and_caption(study: str, tmp_path: Path) -> None:
    out = tmp_path / "cmoc.docx"
    quiet("export", "cmoc-table", study, "-o", str(out), "--layout", "merged", "--concept-text", "CMOCs on {concept}",
          "--numbering", "number", "--no-status", "--no-counts", "--no-quote", "--no-note", "--concept-header",
          "Concept", "--sentence-header", "Context–mechanism–outcome configuration",
          "--title", "Table 2. Refined programme theory")
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs if p.text] == ["Table 2. Refined programme theory"]
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Concept", "Context–mechanism–outcome configuration"],
        ["CMOCs on Enrolment", f"1. {S1}"],
        ["CMOCs on Enrolment", f"2. {S2}"],
        ["CMOCs on Engagement", f"3. {S3}"],
        ["CMOCs on Engagement", f"4. {S4}"],
    ]
    assert table.rows[1].cells[0]._tc is table.rows[2].cells[0]._tc
    assert table.rows[3].cells[0]._tc is table.rows[4].cells[0]._tc
    runs = table.rows[1].cells[1].paragraphs[0].runs
    assert [r.text for r in runs if r.bold] == ["(C)", "(O)", "(M)"]


def test_markdown_concept_rows_plain_markers_line_by_line(study: str, tmp_path: Path) -> None:
    out = tmp_path / "cmoc.md"
    quiet("export", "cmoc-table", study, "-o", str(out), "--plain-markers", "--no-status", "--no-counts",
          "--no-quote", "--no-note", "--title", "Table 1. CMOCs")
    assert out.read_text(encoding="utf-8").splitlines() == [
        "**Table 1. CMOCs**",
        "",
        "| CMOC | Configuration |",
        "|---|---|",
        "| ***Enrolment*** |  |",
        f"| CMOC 1 | {S1} |",
        f"| CMOC 2 | {S2} |",
        "| ***Engagement*** |  |",
        f"| CMOC 3 | {S3} |",
        f"| CMOC 4 | {S4} |",
    ]


def test_stage_order_is_kept_in_the_project_and_drawn(study: str, tmp_path: Path) -> None:
    assert quiet("cmo", "stages", study).splitlines() == ["1. Enrolment", "2. Engagement"]
    assert quiet("cmo", "stages", study, "engagement", "Enrolment").splitlines() == ["1. Engagement", "2. Enrolment"]
    assert main(["cmo", "stages", study, "Nope"]) == 1
    figure = tmp_path / "pathway.svg"
    quiet("export", "programme-theory", study, "-o", str(figure))
    svg = figure.read_text(encoding="utf-8")
    assert svg.index("1. Engagement") < svg.index("2. Enrolment")
    # Statements keep the lower case they were written in, in the figure too.
    assert "and making them less isolated" in svg


def test_renaming_a_concept_keeps_its_place_among_the_stages(study: str) -> None:
    from qualcode.services.realist import configurations as cmo
    from qualcode.services.realist.export import stage_order
    from qualcode.store.project import Project

    quiet("cmo", "stages", study, "Engagement", "Enrolment")
    with Project.open(Path(study)) as project, project.session() as session:
        for label in ("CMOC 3", "CMOC 4"):
            config = cmo.find_configuration(session, label)
            cmo.update_configuration(session, configuration_id=config.id, concept="Engaging with the link worker")
        assert stage_order(session) == ["Engaging with the link worker", "Enrolment"]
