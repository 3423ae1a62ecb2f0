"""Matrix coding on the clinic study: Site 1 = P1 (one interview); Site 2 = P2 (interview and
follow-up) and P3 (one interview). Barriers counts its sub-codes Access and Cost."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode.domain.errors import NotFoundError, QualCodeError, ValidationError
from qualcode.io.table_export import write_table
from qualcode.services import documents as doc_service
from qualcode.services.cases import cases as case_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.queries.matrices import matrix_coding
from qualcode.services.queries.queries import codings_by_id
from qualcode.services.queries.query_scope import QueryScope
from tests.analysis.study import Study

ROWS = ("Barriers", "Trust", "Communication")


Shown = tuple[list[str], list[str], list[list[int]], list[int], list[int], int]


def _matrix(study: Study, **options: object) -> Shown:
    with study.project.session() as s:
        result = matrix_coding(s, node_ids=[study.nodes[n] for n in ROWS], **options)  # type: ignore[arg-type]
    m = result.matrix
    return ([c.label for c in m.columns], [r.label for r in m.rows], [list(r) for r in m.counts],
            list(m.row_totals), list(m.column_totals), m.total)


def test_codings_by_site(study: Study) -> None:
    columns, rows, counts, row_totals, column_totals, total = _matrix(study, attribute="site")
    assert columns == ["Site 1", "Site 2"] and rows == list(ROWS)
    assert counts == [[2, 3], [2, 3], [1, 2]]
    assert (row_totals, column_totals, total) == ([5, 5, 3], [5, 8], 13)


def test_documents_and_cases_by_site_count_distinct_items(study: Study) -> None:
    _, _, counts, row_totals, _, _ = _matrix(study, attribute="site", measure="documents")
    assert counts == [[1, 2], [1, 2], [1, 2]] and row_totals == [3, 3, 3]
    _, _, counts, row_totals, column_totals, total = _matrix(study, attribute="site", measure="cases")
    assert counts == [[1, 2], [1, 2], [1, 1]]
    assert (row_totals, column_totals, total) == ([3, 3, 2], [1, 2], 3)


def test_cases_documents_and_ordered_attribute_columns(study: Study) -> None:
    columns, _, counts, _, _, _ = _matrix(study, columns="cases")
    assert columns == ["P1", "P2", "P3"] and counts == [[2, 1, 2], [2, 2, 1], [1, 2, 0]]
    columns, _, counts, _, _, _ = _matrix(study, columns="documents")
    assert columns == ["P1 interview", "P2 follow-up", "P2 interview", "P3 interview"]
    assert counts[2] == [1, 1, 1, 0]
    columns, _, counts, _, _, _ = _matrix(study, attribute="age")
    assert columns == ["34", "45", "52"] and counts[0] == [2, 1, 2]
    columns, _, _, _, _, _ = _matrix(study, attribute="interview date")
    assert columns == ["2024-01-15", "2024-02-15", "2024-03-15", "2024-04-15"]


def test_coder_and_kind_restrictions(study: Study) -> None:
    _, _, counts, _, _, _ = _matrix(study, attribute="site", scope=QueryScope(coder_ids=(study.coders["Ben"],)))
    assert counts == [[0, 1], [1, 1], [0, 0]]
    _, _, counts, _, _, _ = _matrix(study, attribute="site", scope=QueryScope(kinds=("interview",)))
    assert counts == [[2, 3], [2, 3], [1, 1]]


def test_a_cell_opens_onto_its_codings(study: Study) -> None:
    with study.project.session() as s:
        result = matrix_coding(s, node_ids=[study.nodes[n] for n in ROWS], attribute="site")
        cell = codings_by_id(s, result.matrix.codings_at(1, 1))
    assert [(c.document_name, c.text, c.coder_name) for c in cell] == [
        ("P2 interview", "The doctor rushed me", "Ben"),
        ("P2 interview", "I trusted nobody", "Ann"),
        ("P3 interview", "I trust the nurse though.", "Ann"),
    ]


def test_cases_without_a_value_get_their_own_column(study: Study) -> None:
    with study.project.session() as s:
        doc = doc_service.add_document(s, name="P4 interview", text="P4: I trust my nurse.").result
        case = case_service.create_case(s, name="P4").result
        case_service.link_documents(s, case_id=case, document_ids=[doc])
        coding_service.apply_code(s, document_id=doc, start=4, end=21, node_id=study.nodes["Trust"],
                                  coder_id=study.coders["Ann"])
    columns, _, counts, _, _, _ = _matrix(study, attribute="site")
    assert columns == ["Site 1", "Site 2", "(no value)"] and counts[1] == [2, 3, 1]


def test_all_nodes_in_tree_order_by_default(study: Study) -> None:
    with study.project.session() as s:
        result = matrix_coding(s, columns="cases")
    assert [r.label for r in result.matrix.rows] == ["Barriers", "Access", "Cost", "Trust", "Communication"]
    header, rows = result.table()
    assert header == ["Node", "P1", "P2", "P3", "Total"]
    assert rows[0] == ["Barriers", 2, 1, 2, 5] and rows[-1] == ["Total", 5, 5, 3, 13]


@pytest.mark.parametrize(("options", "error", "message"), [
    ({}, ValidationError, "Choose the attribute"),
    ({"attribute": "region"}, NotFoundError, "There is no attribute named 'region'"),
    ({"attribute": "site", "measure": "words"}, ValidationError, "Unknown measure 'words'"),
    ({"columns": "sites"}, ValidationError, "Unknown columns 'sites'"),
])
def test_bad_matrix_requests(study: Study, options: dict[str, object], error: type[Exception], message: str) -> None:
    with study.project.session() as s, pytest.raises(error, match=re.escape(message)):
        matrix_coding(s, **options)  # type: ignore[arg-type]


def test_matrix_exports_to_csv_and_xlsx(study: Study, tmp_path: Path) -> None:
    with study.project.session() as s:
        result = matrix_coding(s, node_ids=[study.nodes[n] for n in ROWS], attribute="site")
    header, rows = result.table()
    write_table(tmp_path / "matrix.csv", title=result.title, header=header, rows=rows)
    write_table(tmp_path / "matrix.xlsx", title=result.title, header=header, rows=rows)
    with (tmp_path / "matrix.csv").open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle)) == [
            ["Node", "Site 1", "Site 2", "Total"], ["Barriers", "2", "3", "5"], ["Trust", "2", "3", "5"],
            ["Communication", "1", "2", "3"], ["Total", "5", "8", "13"]]
    sheet = load_workbook(tmp_path / "matrix.xlsx").active
    cells = [list(r) for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert cells[:3] == [
        ["Codings by node and site", None, None, None], ["Node", "Site 1", "Site 2", "Total"], ["Barriers", 2, 3, 5]]
    assert sheet.title == "Codings by node and site"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".matrix")]  # no temporary files left


def test_export_refuses_unknown_formats_and_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"Cannot tell the table format of 't\.pdf'"):
        write_table(tmp_path / "t.pdf", title="", header=["a"], rows=[])
    with pytest.raises(QualCodeError, match="does not exist"):
        write_table(tmp_path / "missing" / "t.csv", title="", header=["a"], rows=[])
