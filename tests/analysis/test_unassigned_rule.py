"""One rule across views for documents linked to no case and for text outside speaker turns,
stated in each view's output."""

from __future__ import annotations

from qualcode.analysis.ordering import UNASSIGNED_NOTE
from qualcode.services import documents as doc_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.documents import TurnSpec
from qualcode.services.queries.frequencies import word_frequencies
from qualcode.services.queries.matrices import matrix_coding
from tests.analysis.study import Study


def _add_unlinked_document(study: Study) -> None:
    """A focus-group note linked to no case, with a header line outside any speaker turn."""
    text = "Focus group notes, lantern room\nP9: The lantern helped.\n"
    with study.project.session() as s:
        doc = doc_service.add_document(s, name="Group notes", text=text,
                                       turns=[TurnSpec(text.index("The lantern"), len(text) - 1, "P9")]).result
        start = text.index("The lantern")
        coding_service.apply_code(s, document_id=doc, start=start, end=start + 19, node_id=study.nodes["Trust"],
                                  coder_id=study.coders["Ann"])


def test_matrices_by_case_and_by_case_attribute_keep_documents_without_a_case(study: Study) -> None:
    _add_unlinked_document(study)
    with study.project.session() as s:
        by_case = matrix_coding(s, node_ids=[study.nodes["Trust"]], columns="cases")
        by_site = matrix_coding(s, node_ids=[study.nodes["Trust"]], columns="attribute", attribute="site")
        by_document = matrix_coding(s, node_ids=[study.nodes["Trust"]], columns="documents")
    assert by_case.matrix.columns[-1].label == "(no case)" and by_case.matrix.counts[0][-1] == 1
    assert by_site.matrix.columns[-1].label == "(no value)" and by_site.matrix.counts[0][-1] == 1
    # The unlinked document's coding counts in the totals in every view alike.
    assert by_case.matrix.row_totals[0] == by_site.matrix.row_totals[0] == by_document.matrix.row_totals[0]
    assert by_case.note == by_site.note == UNASSIGNED_NOTE and by_document.note == ""


def test_word_frequencies_count_text_outside_turns_and_say_so(study: Study) -> None:
    _add_unlinked_document(study)
    with study.project.session() as s:
        overall = word_frequencies(s, top=200)
        by_site = word_frequencies(s, top=200, group_by="site")
        by_case = word_frequencies(s, top=200, group_by="case")
    words = {row.word for row in overall.table.rows}
    assert {"focus", "lantern", "room"} <= words and "p9" not in words  # the header counts, the label does not
    assert "text outside speaker turns (such as a header line) is." in overall.note
    assert by_site.table.groups[-1] == "(no value)" and by_case.table.groups[-1] == "(no case)"
    assert UNASSIGNED_NOTE in by_site.note and UNASSIGNED_NOTE not in overall.note
