"""Agreement on a real project: per code and overall, labelled variants, exports read back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qualcode.analysis.reliability import PairTable
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services.coders import find_coder
from qualcode.services.teamwork.agreement import HEADER, compute_agreement, export_agreement
from tests.teamwork_support import CLINIC, HOME, build_study, code, doc_id, node_id, opened, span


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = build_study(tmp_path / "study.qualcode")
    with opened(path) as s:
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")  # same as Ann
        code(s, "Bob", "P1 interview", "But the doctor listened", "Listening")  # overlaps Ann's
        code(s, "Bob", "P2 interview", "The pharmacist phones me every month", "Family support")  # Ann did not
    return path


def _ids(s, *names: str) -> list[int]:
    return [find_coder(s, name).id for name in names]  # type: ignore[union-attr]


def test_agreement_per_code_and_overall_between_two_coders(study: Path) -> None:
    with opened(study) as s:
        report = compute_agreement(s, coder_ids=_ids(s, "Ann", "Bob"))
    assert report.coders == ("Ann", "Bob") and report.documents == 2 and report.sentence_units
    by_node = {row.node: row for row in report.rows}
    assert list(by_node) == ["Waiting time", "Listening", "Family support", "Overall (all codes pooled)"]
    waiting = by_node["Waiting time"]
    assert waiting.percent_all == 100.0 and waiting.kappa_all == pytest.approx(1.0)
    assert waiting.alpha_characters == pytest.approx(1.0) and waiting.f1 == 1.0
    ann_s, ann_e = span(CLINIC, "the doctor listened to me")
    bob_s, bob_e = span(CLINIC, "But the doctor listened")
    both = min(ann_e, bob_e) - max(ann_s, bob_s)
    table = PairTable(both, (ann_e - ann_s) - both, (bob_e - bob_s) - both,
                      len(CLINIC) + len(HOME) - (max(ann_e, bob_e) - min(ann_s, bob_s)))
    listening = by_node["Listening"]
    assert listening.percent_all == pytest.approx(table.percent)
    assert listening.kappa_all == pytest.approx(table.kappa)
    assert listening.kappa_coded is not None and listening.kappa_coded < listening.kappa_all
    assert (listening.segments_a, listening.segments_b, listening.matched) == (1, 1, 1)  # overlap 19/29 >= 50%
    assert by_node["Family support"].recall == 0.0 and by_node["Family support"].precision == 0.0
    assert 0 < by_node["Overall (all codes pooled)"].percent_coded < by_node["Overall (all codes pooled)"].percent_all
    assert by_node["Listening"].alpha_sentences is not None  # sentences from spaCy's sentencizer


def test_chosen_codes_and_documents_narrow_the_comparison(study: Path) -> None:
    with opened(study) as s:
        report = compute_agreement(s, coder_ids=_ids(s, "Ann", "Bob"), node_ids=[node_id(s, "Family support")],
                                   document_ids=[doc_id(s, "P2 interview")], sentence_units=False)
        strict = compute_agreement(s, coder_ids=_ids(s, "Ann", "Bob"), node_ids=[node_id(s, "Listening")],
                                   threshold=0.9, sentence_units=False)
    assert [row.node for row in report.rows] == ["Family support", "Overall (all codes pooled)"]
    assert report.documents == 1 and report.rows[0].alpha_sentences is None
    assert strict.rows[0].matched == 0 and "90%" in " ".join(strict.notes())


def test_exports_write_the_labelled_table_to_csv_xlsx_and_docx(study: Path, tmp_path: Path) -> None:
    with opened(study) as s:
        report = compute_agreement(s, coder_ids=_ids(s, "Ann", "Bob"), resamples=200)
    with (export_agreement(report, tmp_path / "agreement.csv")).open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADER and "κ (coded text only)" in rows[0]
    column = {name: index for index, name in enumerate(HEADER)}
    waiting = rows[1]
    assert waiting[:3] == ["Waiting time", "Ann", "Bob"]
    assert waiting[column["% agreement (all text)"]] == "100" and waiting[column["κ (all text)"]] == "1"
    assert waiting[column["Units (characters)"]] == str(len(CLINIC) + len(HOME))
    for name in ("Gwet's AC1 (all text)", "Brennan-Prediger κ (all text)", "Fleiss' κ (all coders)",
                 "αu unitizing (all coders)"):
        assert waiting[column[name]] == "1"
    # Two documents are too few to resample: no interval, and the notes say why.
    assert waiting[column["κ 95% CI low"]] == "" and waiting[column["α 95% CI high"]] == ""

    from openpyxl import load_workbook

    sheet = load_workbook(export_agreement(report, tmp_path / "agreement.xlsx")).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(cells) if row[0] == "Code")
    assert cells[header_row][5] == "% agreement (all text)" and cells[header_row][9] == "Gwet's AC1 (all text)"
    assert cells[header_row + 1][5] == 100 and cells[header_row + 1][6] == 1
    assert cells[header_row + 1][3] == len(CLINIC) + len(HOME)

    from docx import Document

    document = Document(str(export_agreement(report, tmp_path / "agreement.docx")))
    table = document.tables[0]
    assert table.rows[0].cells[6].text == "κ (all text)" and table.rows[0].cells[9].text == "Gwet's AC1 (all text)"
    assert table.rows[-1].cells[0].text == "Overall (all codes pooled)"
    assert any("Coded text only" in p.text or "coded text only" in p.text.lower() for p in document.paragraphs)
    assert any("need 5 or more documents" in p.text and "Gwet's AC1" in p.text for p in document.paragraphs)


def test_bad_choices_get_one_clear_message(study: Path) -> None:
    with opened(study) as s:
        ann, bob = _ids(s, "Ann", "Bob")
        with pytest.raises(ValidationError, match="at least two coders"):
            compute_agreement(s, coder_ids=[ann])
        with pytest.raises(ValidationError, match="once"):
            compute_agreement(s, coder_ids=[ann, ann])
        with pytest.raises(NotFoundError, match="no coder with id 999"):
            compute_agreement(s, coder_ids=[ann, 999])
        with pytest.raises(NotFoundError, match="no document with id 999"):
            compute_agreement(s, coder_ids=[ann, bob], document_ids=[999])
        with pytest.raises(ValidationError, match="threshold"):
            compute_agreement(s, coder_ids=[ann, bob], threshold=1.5)


def test_a_codes_row_does_not_change_with_the_other_codes_chosen(study: Path) -> None:
    with opened(study) as s:
        coders = _ids(s, "Ann", "Bob")
        alone = compute_agreement(s, coder_ids=coders, node_ids=[node_id(s, "Listening")], sentence_units=False)
        together = compute_agreement(s, coder_ids=coders, sentence_units=False)
    row = next(r for r in together.rows if r.node == "Listening")
    assert alone.rows[0].kappa_coded == row.kappa_coded and alone.rows[0].percent_coded == row.percent_coded
    assert alone.rows[0].units_coded == row.units_coded
    assert "whichever codes are chosen here" in " ".join(alone.notes())


def test_documents_a_coder_was_not_assigned_are_missing_for_that_coder(study: Path) -> None:
    with opened(study) as s:
        ann, bob = _ids(s, "Ann", "Bob")
        p1 = doc_id(s, "P1 interview")
        everything = compute_agreement(s, coder_ids=[ann, bob], sentence_units=False)
        assigned = compute_agreement(s, coder_ids=[ann, bob], sentence_units=False, assignments={bob: [p1]})
        with pytest.raises(NotFoundError, match="no document with id 999"):
            compute_agreement(s, coder_ids=[ann, bob], assignments={bob: [999]})
    # Bob was given only P1: his not coding P2 is no longer a disagreement with Ann there.
    family = {r.node: r for r in assigned.rows}["Family support"]
    assert family.units == len(CLINIC) and {r.node: r for r in everything.rows}["Family support"].units == \
        len(CLINIC) + len(HOME)
    assert "1 coder-document pair not assigned" in " ".join(assigned.notes())


def test_bootstrap_intervals_over_enough_documents(study: Path) -> None:
    from qualcode.services import documents

    with opened(study) as s:
        for n in range(3, 8):  # five more interviews, coded alike by Ann and Bob but for one word
            name = f"P{n} interview"
            documents.add_document(s, name=name, text=CLINIC.replace("P1:", f"P{n}:"))
            code(s, "Ann", name, "I was waiting for hours", "Waiting time")
            code(s, "Bob", name, "waiting for hours" if n % 2 else "I was waiting for hours", "Waiting time")
        report = compute_agreement(s, coder_ids=_ids(s, "Ann", "Bob"), sentence_units=False, resamples=1000,
                                   seed=11)
        again = compute_agreement(s, coder_ids=_ids(s, "Ann", "Bob"), sentence_units=False, resamples=1000,
                                  seed=11)
    waiting = report.rows[0]
    assert waiting.node == "Waiting time" and report.documents == 7
    assert waiting.kappa_interval is not None and waiting.alpha_interval is not None
    low, high = waiting.kappa_interval
    assert waiting.kappa_all is not None and low <= waiting.kappa_all <= high < 1.0 + 1e-9
    assert again.rows[0].kappa_interval == waiting.kappa_interval  # seeded: the same report twice
    assert "1,000 resamples of the 7 documents with replacement, seed 11" in " ".join(report.notes())
