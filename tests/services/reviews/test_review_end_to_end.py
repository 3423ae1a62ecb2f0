"""A small review end to end: 40 records from two databases (8 duplicates), blind screening by
two reviewers with a resolved disagreement, 6 included studies with PDFs made in the test,
then the PRISMA diagram's numbers read from the SVG text, the study table cell by cell and the
page citations of exported quotes."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from qualcode.services.cases import cases as case_service
from qualcode.services.reviews import bibliography, prisma, references, screening, tables
from qualcode.services.reviews.agreement import screening_agreement
from qualcode.store.project import Project
from tests import review_sample as sample


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, dict[str, object], Path]]:
    folder = tmp_path_factory.mktemp("review")
    project = Project.create(folder / "review.qualcode")
    with project.session() as session:
        reports = sample.build_review(session, folder)
        for attribute, values in (("country", sample.COUNTRY), ("design", sample.DESIGN)):
            attribute_id = case_service.create_attribute(session, name=attribute).result
            for case in case_service.list_cases(session):
                if case.name in values:
                    case_service.set_attribute_value(session, attribute_id=attribute_id, case_id=case.id,
                                                     value=values[case.name])
    yield project, reports, folder
    project.close()


def svg_lines(path: Path) -> list[str]:
    root = etree.parse(str(path)).getroot()
    return [" ".join("".join(t.itertext()).split()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def after(lines: list[str], label: str) -> str:
    return lines[lines.index(label) + 1]


def test_import_reports_new_studies_and_duplicates_by_doi_and_by_title(review) -> None:  # type: ignore[no-untyped-def]
    project, reports, _ = review
    medline, embase = reports["medline"], reports["embase"]
    assert len(medline.imported) == 25 and not medline.duplicates
    assert len(embase.imported) == 7
    assert [(d.reason, d.kept_as) for d in embase.duplicates] == [
        *(("doi", name) for name in ["Adams & Hughes 2010", "Baker 2011", "Chen 2012", "Dube & Khan 2013",
                                     "Evans 2014"]),
        ("title+year", "Wong 2020"), ("title+year", "Xu 2021"), ("title+year", "Young & Garcia 2010")]
    with project.session() as session:
        study = references.list_references(session)[0]
        values = case_service.attribute_values(session, case_id=study.case_id)
        assert len(references.list_references(session)) == 32
        assert len(references.list_references(session, include_duplicates=True)) == 40
    assert study.case_name == "Abara 2016"
    assert values["authors"] == "Abara, C." and values["year"] == "2016" and values["DOI"] == "10.2000/emb.01"
    assert values["type"] == "article" and values["source"] == "Journal of Public Health"


def test_pdfs_match_by_doi_file_name_and_title_and_keep_their_pages(review) -> None:  # type: ignore[no-untyped-def]
    _, reports, _ = review
    attached = reports["attached"]
    assert {(m.path.name, m.study, m.how) for m in attached.matched} == {
        ("paper-0.pdf", "Adams & Hughes 2010", "doi"), ("paper-1.pdf", "Chen 2012", "doi"),
        ("Evans 2014.pdf", "Evans 2014", "file name"), ("paper-3.pdf", "Garcia & Nair 2016", "title"),
        ("paper-4.pdf", "Zhou 2015", "doi"), ("abara2016.pdf", "Abara 2016", "file name")}
    assert attached.unmatched == ()
    assert "Baker 2011" in attached.studies_without_pdf


def test_blind_screeners_agreement_uses_the_coding_coefficients(review) -> None:  # type: ignore[no-untyped-def]
    project, _, _ = review
    with project.session() as session:
        result = screening_agreement(session, stage="title_abstract", coder_a="Ana", coder_b="Ben")
        ben = screening.coder_ids(session, ["Ben"])[0]
        own = screening.decisions(session, stage="title_abstract", coder_id=ben)
        names = {r.id: r.case_name for r in references.list_references(session)}
    # 32 records; Ana included 12, Ben 10 of them; both excluded 20.
    assert (result.table.both, result.table.only_a, result.table.only_b, result.table.neither) == (10, 2, 0, 20)
    assert result.percent == pytest.approx(93.75)
    # Cohen's kappa by hand: p_o = 30/32, p_e = (12/32)(10/32) + (20/32)(22/32) = 560/1024.
    assert result.kappa == pytest.approx((30 / 32 - 560 / 1024) / (1 - 560 / 1024))
    assert result.alpha is not None and 0.85 < result.alpha < 0.87
    assert sorted(names[d.reference_id] for d in result.disagreements) == sample.DISAGREED
    # Ben's blind view holds only his own 32 decisions, never Ana's or Cleo's.
    assert len(own) == 32 and {d.coder for d in own} == {"Ben"}


def test_prisma_svg_shows_every_count_from_the_recorded_decisions(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, _, _ = review
    with project.session() as session:
        report = prisma.export_prisma(session, path=tmp_path / "prisma.svg")
    assert report.pending == 0 and report.conflicts == 0
    lines = svg_lines(tmp_path / "prisma.svg")
    assert after(lines, "Records identified from:") == "Databases (n = 40)"
    assert "MEDLINE (n = 25)" in lines and "Embase (n = 15)" in lines
    assert "Duplicate records removed (n = 8)" in lines
    assert after(lines, "Records screened") == "(n = 32)"
    assert after(lines, "Records excluded") == "(n = 20)"
    assert after(lines, "Reports sought for retrieval") == "(n = 12)"
    assert after(lines, "Reports not retrieved") == "(n = 1)"
    assert after(lines, "Reports assessed for eligibility") == "(n = 11)"
    assert after(lines, "Reports excluded (n = 5):") == "wrong population (n = 3)"
    assert "not qualitative (n = 2)" in lines
    assert after(lines, "Studies included in review") == "(n = 6)"


def test_hand_kept_counts_change_the_diagram(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, _, _ = review
    with project.session() as session:
        change = prisma.set_count(session, key="registers", value=3)
        prisma.set_count(session, key="identified: CINAHL", value=5)
        flow = prisma.prisma_report(session).flow
        assert (flow.registers, dict(flow.databases)["CINAHL"], flow.screened) == (3, 5, 40)
        change.command.revert(session)  # type: ignore[union-attr]
        prisma.set_count(session, key="identified: CINAHL", value=0)
        assert prisma.prisma_report(session).flow.screened == 32


def test_characteristics_table_cell_by_cell_in_author_year_order(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.io.table_export import write_table

    project, _, _ = review
    with project.session() as session:
        table = tables.characteristics_table(session, columns=["year", "country", "design", "source"])
    path = write_table(tmp_path / "studies.csv", title=table.title, header=table.header, rows=table.rows)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    body = [row for row in rows if row and row[0] in (*sample.INCLUDED, "Study")]
    assert body == [
        ["Study", "Year", "Country", "Design", "Source"],
        ["Abara 2016", "2016", "Nigeria", "Mixed methods", "Journal of Public Health"],
        ["Adams & Hughes 2010", "2010", "UK", "Interviews", "BMC Health Services Research"],
        ["Chen 2012", "2012", "Canada", "Focus groups", "BJGP"],
        ["Evans 2014", "2014", "UK", "Interviews", "Health & Place"],
        ["Garcia & Nair 2016", "2016", "Spain", "Ethnography", "BMC Health Services Research"],
        ["Zhou 2015", "2015", "China", "Interviews", "Journal of Public Health"],
    ]


def test_category_matrix_and_quotes_cite_the_page(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.io.table_export import write_table

    project, _, _ = review
    with project.session() as session:
        matrix = tables.category_matrix(session)
        quotes = tables.quotes_table(session)
    assert matrix.header == ("Category", "Abara 2016", "Adams & Hughes 2010", "Chen 2012", "Evans 2014",
                             "Garcia & Nair 2016", "Zhou 2015")
    assert matrix.rows == (("Relational support", 2, 2, 2, 2, 2, 2), ("  Companionship", 1, 1, 1, 1, 1, 1),
                           ("  Being heard", 1, 1, 1, 1, 1, 1))
    path = write_table(tmp_path / "quotes.md", title=quotes.title, header=quotes.header, rows=quotes.rows)
    text = path.read_text(encoding="utf-8")
    assert f"“{sample.PAGE_TWO_QUOTE}” (Chen 2012, p. 2)" in text
    assert (f"“{sample.SPANNING_START} {sample.SPANNING_END}” (Adams & Hughes 2010, pp. 2–3)") in text
    assert text.count("(Zhou 2015, ") == 2


def test_bibliography_of_included_studies_reads_back(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.io.references import read_references

    project, _, _ = review
    with project.session() as session:
        count = bibliography.export_bibliography(session, path=tmp_path / "included.ris")
    back = read_references(tmp_path / "included.ris").records
    assert count == 6
    assert [(r.authors[0].split(",")[0], r.year) for r in back] == [
        ("Abara", 2016), ("Adams", 2010), ("Chen", 2012), ("Evans", 2014), ("Garcia", 2016), ("Zhou", 2015)]


def test_the_themes_table_cites_pages_for_quotes_from_papers(review) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.themes.tables import themes_table

    project, _, _ = review
    with project.session() as session:
        table = themes_table(session, quotes_per_theme=2)
    cells = ["".join(run.text for run in cell.runs) for row in table.rows for cell in row]
    quotes = "\n".join(cell for cell in cells if "“" in cell)
    assert quotes.splitlines() == [f"“{sample.PAGE_TWO_QUOTE}” (Adams & Hughes 2010, p. 2)",
                                   f"“{sample.PAGE_TWO_QUOTE}” (Chen 2012, p. 2)"]


def test_coded_passages_of_papers_carry_their_page(review) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.codebook import nodes
    from qualcode.services.coding.retrieval import retrieve_segments

    project, _, _ = review
    with project.session() as session:
        node = nodes.find_node(session, "Relational support")
        segments = retrieve_segments(session, node_id=node.id)
    assert sorted({(s.participants, s.detail) for s in segments if s.participants == "Chen 2012"}) == [
        ("Chen 2012", "p. 2"), ("Chen 2012", "pp. 2–3")]
