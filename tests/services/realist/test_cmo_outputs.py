"""The CMOC table and programme-theory diagram of a realistic project: 25 configurations in
5 concept groups about link workers and patients (social prescribing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.domain.cmo import starts_with_connective
from qualcode.domain.errors import ValidationError
from qualcode.domain.progress import RecordingProgress
from qualcode.services.realist import export as cmo_export
from qualcode.store.project import Project
from tests.realist_sample import CONFIGURATIONS, PARTICIPANTS, QUOTES, build_sample


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = Project.create(tmp_path_factory.mktemp("realist") / "social-prescribing.qualcode")
    with project.session() as session:
        build_sample(session)
    yield project
    project.close()


def expected_sentence(statements: tuple[tuple[str, str], ...], roles: list[str]) -> str:
    clauses = []
    for role in roles:
        parts = [f"{text} ({role})" for r, text in statements if r == role]
        if parts:
            clauses.append(" and ".join(parts))
    return " ".join(clauses) + "."


def expected_evidence(label: str) -> str:
    quotes = [q for q in QUOTES if q[1] == label]
    sites = {dict((p, s) for p, s, _ in PARTICIPANTS)[q[0]] for q in quotes}
    refuting = sum(q[5] == "refutes" for q in quotes)

    def n(count: int, word: str) -> str:
        return f"{count}\u00a0{word}{'' if count == 1 else 's'}"

    return (n(len(quotes), "excerpt") + (f" ({refuting}\u00a0refuting)" if refuting else "") + "\n"
            + n(len({q[0] for q in quotes}), "participant") + "\n" + n(len(sites), "site"))


def expected_quote(label: str, roles: list[str]) -> str:
    supporting = [q for q in QUOTES if q[1] == label and q[5] == "supports"]
    mechanisms = [q for q in supporting if q[2].startswith("M")]
    best = (mechanisms or sorted(supporting, key=lambda q: (roles.index(q[2]), q[3])))[0]
    return f"“{best[4]}” ({best[0]})"


def test_docx_cmoc_table_matches_every_configuration_cell_by_cell(sample_project: Project, tmp_path: Path) -> None:
    import docx

    options = cmo_export.CmocTableOptions(site_attribute="site")
    progress = RecordingProgress()
    with sample_project.session() as session:
        path = cmo_export.export_cmoc_table(session, path=tmp_path / "cmoc.docx", options=options, progress=progress)
    assert progress.updates[-1] == (2, 2, "Done")
    rows = [[cell.text for cell in row.cells] for row in docx.Document(str(path)).tables[0].rows]
    assert rows[0] == ["CMOC", "Configuration", "Status", "Evidence", "Example quote"]
    expected: list[list[str]] = []
    concept = None
    for config in CONFIGURATIONS:
        roles = (config.template[1] or "C,M,O").split(",")
        if config.concept != concept:
            concept = config.concept
            expected.append([concept] * 5)
        status = config.status.capitalize() + (f" (from {config.refines})" if config.refines else "")
        expected.append([config.label, expected_sentence(config.statements, roles), status,
                         expected_evidence(config.label), expected_quote(config.label, roles)])
    assert len(expected) == 30 and len({c.concept for c in CONFIGURATIONS}) == 5
    for got, want in zip(rows[1:], expected, strict=True):
        assert got == want


def test_diagram_svg_contains_every_statement_once_per_panel(sample_project: Project, tmp_path: Path) -> None:
    from lxml import etree

    with sample_project.session() as session:
        path = cmo_export.export_programme_theory(session, path=tmp_path / "theory.svg",
                                                  title="Programme theory: social prescribing")
    tree = etree.parse(str(path))
    texts = [" ".join("".join(t.itertext()).split()) for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    flowing = " ".join(texts)
    statements = {text for config in CONFIGURATIONS for _role, text in config.statements}
    assert len(statements) == 71  # shared statements counted once
    for statement in statements:
        # Boxes are capitalised, except a statement opening with a joining word ("so they ...").
        shown = statement if starts_with_connective(statement) else statement[:1].upper() + statement[1:]
        assert shown in flowing, statement
    concepts = [t for t in texts if t in {c.concept for c in CONFIGURATIONS}]
    assert concepts == ["Enrolment", "Engagement — interpersonal skills", "Readiness", "Readiness",
                        "Linking to community resources", "Sustaining change"]
    assert flowing.count("so they attend the first appointment") == 1
    assert "CMOC 1, 4, 5" in texts and "CMOC 22, 23, 24" in texts


def test_exports_can_be_filtered_by_concept_status_and_case_attribute(sample_project: Project,
                                                                      tmp_path: Path) -> None:
    import openpyxl

    options = cmo_export.CmocTableOptions(concepts=["readiness"], statuses=["confirmed", "new"], quote=False,
                                          status=False, origin=True)
    with sample_project.session() as session:
        path = cmo_export.export_cmoc_table(session, path=tmp_path / "t.xlsx", options=options)
        high = cmo_export.cmoc_table(session, cmo_export.CmocTableOptions(case_attribute="deprivation",
                                                                          case_value="high"))
        with pytest.raises(ValidationError, match="There is no concept 'Recruitment' among the configurations"):
            cmo_export.cmoc_table(session, cmo_export.CmocTableOptions(concepts=["Recruitment"]))
        with pytest.raises(ValidationError, match="no configurations to export"):
            cmo_export.export_cmoc_table(session, path=tmp_path / "none.csv",
                                         options=cmo_export.CmocTableOptions(statuses=["confirmed"],
                                                                             concepts=["Sustaining change"],
                                                                             case_attribute="site",
                                                                             case_value="Site Z"))
    sheet = openpyxl.load_workbook(path).active
    first = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "Concept")
    assert [c.value for c in sheet[first]] == ["Concept", "CMOC", "Configuration", "Origin", "Excerpts", "Refuting",
                                               "Participants"]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=first + 1, max_row=first + 4)]
    assert [(r[0], r[1], r[3], r[4], r[6]) for r in body] == [
        ("Readiness", "CMOC 11", "Prior theory", 1, 1), ("Readiness", "CMOC 12", "Data", 2, 1),
        ("Readiness", "CMOC 14", "Prior theory", 1, 1), ("Readiness", "CMOC 15", "Data", 2, 1)]
    high_participants = {p for p, _site, level in PARTICIPANTS if level == "high"}
    want = sorted({q[1] for q in QUOTES if q[0] in high_participants}, key=lambda label: int(label.split()[1]))
    labels = [row[0].text for row in high.rows if row[0].text.startswith("CMOC")]
    got = sorted(labels, key=lambda label: int(label.split()[1]))
    assert got == want
    assert not (tmp_path / "none.csv").exists()


def test_every_table_format_marks_roles_and_groups_by_concept(sample_project: Project, tmp_path: Path) -> None:
    import csv

    import docx
    from bs4 import BeautifulSoup

    first = CONFIGURATIONS[0]
    sentence = expected_sentence(first.statements, ["C", "M", "O"])
    with sample_project.session() as session:
        paths = {fmt: cmo_export.export_cmoc_table(session, path=tmp_path / f"cmoc.{fmt}")
                 for fmt in ("docx", "html", "md", "csv")}
    table = docx.Document(str(paths["docx"])).tables[0]
    assert [run.text for run in table.rows[2].cells[1].paragraphs[0].runs if run.bold] == ["(C)", "(M)", "(O)"]
    assert all(run.italic for run in table.rows[2].cells[4].paragraphs[0].runs)
    soup = BeautifulSoup(paths["html"].read_text(encoding="utf-8"), "html.parser")
    cells = soup.find_all("tr")[1].find_all(["td", "th"])
    assert cells[0].get_text() == "Enrolment" and cells[0].get("colspan") == "5"
    row = soup.find_all("tr")[2]
    assert row.find_all("td")[1].get_text() == sentence
    assert [b.get_text() for b in row.find_all("strong")] == ["(C)", "(M)", "(O)"]
    markdown = paths["md"].read_text(encoding="utf-8")
    assert "When GPs explain why they are referring patients to a link worker **(C)**" in markdown
    assert "Engagement — interpersonal skills" in markdown
    with paths["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Concept", "CMOC", "Configuration", "Status", "Excerpts", "Refuting", "Participants",
                       "Example quote"]
    assert rows[1][:7] == ["Enrolment", "CMOC 1", sentence, "Confirmed", "2", "0", "1"]
    assert len(rows) == 26 and {r[0] for r in rows[1:]} == {c.concept for c in CONFIGURATIONS}
