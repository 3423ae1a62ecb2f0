"""Coding and word frequencies and the participant table on the clinic study, checked by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from qualcode.analysis.intervals import merge as merged
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.progress import RecordingProgress
from qualcode.io.table_export import write_table
from qualcode.services.queries.frequencies import coding_frequencies, word_frequencies
from qualcode.services.queries.participants import participant_summary
from qualcode.services.queries.query_scope import QueryScope
from tests.analysis.study import CODINGS, Study


def test_codings_per_node_by_level(study: Study) -> None:
    with study.project.session() as s:
        table = coding_frequencies(s, by="level")
    assert table.header == ("Level", "Node", "Codings", "With sub-themes", "Documents", "Cases")
    assert table.rows == (
        ("Basic theme", "Barriers", 0, 5, 3, 3),
        ("Code", "Access", 2, 2, 2, 2),
        ("Code", "Cost", 3, 3, 3, 3),
        ("Code", "Trust", 5, 5, 3, 3),
        ("Code", "Communication", 3, 3, 3, 2),
    )


def test_codings_per_node_and_coder(study: Study) -> None:
    with study.project.session() as s:
        table = coding_frequencies(s, by="coder")
    assert table.header == ("Node", "Ann", "Ben", "Total")
    assert table.rows == (("Barriers", 4, 1, 5), ("Access", 2, 0, 2), ("Cost", 2, 1, 3), ("Trust", 3, 2, 5),
                          ("Communication", 3, 0, 3))


def test_codings_per_document_with_share_of_text_coded(study: Study) -> None:
    with study.project.session() as s:
        table = coding_frequencies(s, by="document", scope=QueryScope(kinds=("interview",)))
    assert [row[:4] for row in table.rows] == [
        ("P1 interview", "P1", 5, 4), ("P2 interview", "P2", 4, 3), ("P3 interview", "P3", 3, 3)]
    spans = [study.span(doc, passage) for doc, passage, _, _ in CODINGS.values() if doc == "P1 interview"]
    coded = sum(e - s for s, e in merged(spans))
    assert table.rows[0][4] == round(100 * coded / len(study.text("P1 interview")), 1)


def _words(study: Study, **options: object) -> list[tuple[str, int, tuple[int, ...], tuple[str, ...]]]:
    with study.project.session() as s:
        result = word_frequencies(s, **options)  # type: ignore[arg-type]
    return [(r.word, r.total, r.by_group, r.forms) for r in result.table.rows]


def test_word_frequencies_fold_lemmas_and_drop_stop_words(study: Study) -> None:
    rows = _words(study, top=6)
    assert [(w, n) for w, n, _, _ in rows] == [
        ("listen", 3), ("nurse", 3), ("trust", 3), ("wait", 3), ("bus", 2), ("cost", 2)]
    assert rows[0][3] == ("listened", "listening", "listens")
    assert rows[3][3] == ("wait", "waiting")


def test_word_frequencies_without_lemmas_leaving_out_the_interviewer(study: Study) -> None:
    rows = _words(study, top=4, lemmas=False, exclude_speakers=("interviewer",))
    assert [(w, n) for w, n, _, _ in rows] == [("nurse", 3), ("bus", 2), ("trusted", 2), ("wait", 2)]
    assert "interviewer" not in {w for w, _, _, _ in _words(study, top=100)}  # labels are not speech


def test_word_frequencies_per_site_with_progress(study: Study) -> None:
    progress = RecordingProgress()
    with study.project.session() as s:
        result = word_frequencies(s, top=3, group_by="site", progress=progress)
    assert result.table.groups == ("Site 1", "Site 2") and result.title == "Most frequent words by site"
    assert [(r.word, r.by_group) for r in result.table.rows] == [
        ("listen", (1, 2)), ("nurse", (1, 2)), ("trust", (1, 2))]
    assert progress.updates[-1][:2] == (4, 4)


def test_participant_table_overall_and_by_site(study: Study) -> None:
    with study.project.session() as s:
        overall = participant_summary(s)
        by_site = participant_summary(s, group_by="site", attributes=["age", "gender"])
    assert overall.header == ("Characteristic", "Total (n=3)")
    assert overall.rows == (
        ("Participants, n", 3), ("age, mean (SD)", "43.7 (9.1)"), ("  range", "34–52"),
        ("gender, n (%)", ""), ("  female", "2 (66.7%)"), ("  male", "1 (33.3%)"),
        ("site, n (%)", ""), ("  Site 1", "1 (33.3%)"), ("  Site 2", "2 (66.7%)"),
    )
    assert by_site.header == ("Characteristic", "Site 1 (n=1)", "Site 2 (n=2)", "Total (n=3)")
    assert by_site.rows[1:] == (
        ("age, mean (SD)", "34.0 (–)", "48.5 (4.9)", "43.7 (9.1)"), ("  range", "34", "45–52", "34–52"),
        ("gender, n (%)", "", "", ""), ("  female", "1 (100.0%)", "1 (50.0%)", "2 (66.7%)"),
        ("  male", "0 (0.0%)", "1 (50.0%)", "1 (33.3%)"),
    )


def test_participant_table_with_conditions_and_missing_values(study: Study) -> None:
    with study.project.session() as s:
        older = participant_summary(s, conditions=["age > 40"], attributes=["gender"])
        chosen = participant_summary(s, case_ids=[study.cases["P1"]], attributes=["gender", "age"])
    assert older.rows == (("Participants, n", 2), ("gender, n (%)", ""), ("  female", "1 (50.0%)"),
                          ("  male", "1 (50.0%)"))
    assert older.description == '2 participants (age > 40)'
    assert chosen.case_names == ("P1",)


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"attributes": ["sitee"]}, NotFoundError, "There is no attribute named 'sitee'"),
    ({"group_by": "interview date"}, ValidationError, "'interview date' is a document attribute"),
    ({"conditions": ["age > 90"]}, ValidationError, "No participants to describe"),
])
def test_bad_participant_requests(study: Study, options: dict[str, object], error: type[Exception],
                                  message: str) -> None:
    with study.project.session() as s, pytest.raises(error, match=re.escape(message)):
        participant_summary(s, **options)  # type: ignore[arg-type]


def test_bad_frequency_requests(study: Study) -> None:
    with study.project.session() as s:
        with pytest.raises(ValidationError, match="Unknown view 'site'"):
            coding_frequencies(s, by="site")
        with pytest.raises(ValidationError, match="at least one word"):
            word_frequencies(s, top=0)
        with pytest.raises(NotFoundError, match="no attribute named 'region'"):
            word_frequencies(s, group_by="region")


def test_participant_table_exports_to_docx_and_markdown(study: Study, tmp_path: Path) -> None:
    with study.project.session() as s:
        summary = participant_summary(s, group_by="site")
    for suffix in (".docx", ".md"):
        write_table(tmp_path / f"table1{suffix}", title=summary.title, header=summary.header, rows=summary.rows,
                    notes=["Values are n (%) or mean (SD)."])
    docx = DocxDocument(str(tmp_path / "table1.docx"))
    cells = [[c.text for c in row.cells] for row in docx.tables[0].rows]
    assert cells[0] == ["Characteristic", "Site 1 (n=1)", "Site 2 (n=2)", "Total (n=3)"]
    assert cells[5] == ["female", "1 (100.0%)", "1 (50.0%)", "2 (66.7%)"]
    assert docx.tables[0].rows[5].cells[0].paragraphs[0].paragraph_format.left_indent is not None
    assert "Participant characteristics by site" in [p.text for p in docx.paragraphs]
    markdown = (tmp_path / "table1.md").read_text(encoding="utf-8").splitlines()
    assert markdown[2] == "| Characteristic | Site 1 (n=1) | Site 2 (n=2) | Total (n=3) |"
    assert "| \u2003female | 1 (100.0%) | 1 (50.0%) | 2 (66.7%) |" in markdown
    assert markdown[-1] == "*Values are n (%) or mean (SD).*"
