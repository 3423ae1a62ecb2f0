"""Retrieval, documents & cases, memos and the journal."""

from __future__ import annotations

import csv
from pathlib import Path

from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import documents as document_service
from qualcode.services import memos as memo_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from tests.gui.helpers import node_id, open_text, tree_index


def test_choosing_a_node_lists_its_codings_and_those_below_it(window: MainWindow) -> None:
    theme = node_id(window, "Accompanied first steps")
    window.panels.nodes.view.select_node(theme)
    retrieval = window.panels.retrieval
    stored = window.read(lambda s: coding_service.codings_of_node(s, theme))
    assert retrieval.model.rowCount() == len(stored) == 6
    documents = len({c.document_id for c in stored})
    assert retrieval.title.text() == f"“Accompanied first steps”: 6 passages in {documents} documents"
    rows = [[retrieval.model.index(r, c).data() for c in range(6)] for r in range(retrieval.model.rowCount())]
    assert {row[4] for row in rows} == {"Going along the first time"}
    assert {row[2] for row in rows} >= {"LW01", "P01", "P04"}
    assert {row[3] for row in rows} == {"Hannah Fielding", "Sam Okafor"}
    first = retrieval.model.segments[0]
    assert first.text in retrieval.preview.toPlainText() and first.before[-20:] in retrieval.preview.toPlainText()
    retrieval.descendants.setChecked(False)
    assert retrieval.model.rowCount() == 0


def test_a_long_listing_counts_its_passages_with_thousands_separated(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    document = window.open_document_id
    assert document is not None
    length = len(open_text(window))
    code = node_id(window, "Loneliness")
    before = len(window.read(lambda s: coding_service.codings_of_node(s, code)))
    specs = [coding_service.CodingSpec(document, start, start + 5, code)
             for start in range(0, length - 5) if start % 3 == 0][:1200 - before]
    window.execute(lambda s: coding_service.apply_codes(s, specs=specs, coder_id=window.coder_id))
    tree = window.panels.nodes.view
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(tree_index(window, "Loneliness")).center())
    assert window.panels.retrieval.title.text().startswith("“Loneliness”: 1,200 passages in ")


def test_coding_to_the_listed_node_adds_the_passage_in_place_and_keeps_the_one_being_read(
        window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from qualcode.services.coding.retrieval import retrieve_segments

    loneliness = node_id(window, "Loneliness")
    tree = window.panels.nodes.view
    tree.select_node(loneliness)
    retrieval = window.panels.retrieval
    listed_before = list(retrieval.model.segments)
    retrieval.table.selectRow(len(listed_before) - 1)  # the coder reads the last passage
    reading = retrieval.model.segments[-1]
    text = open_text(window)
    start = text.index(" ", 200) + 1
    window.panels.viewer.select(start, text.index(" ", start + 40))

    centre = tree.visualRect(tree_index(window, "Loneliness")).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a double-click's first press
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)

    listed = retrieval.model.segments
    assert len(listed) == len(listed_before) + 1
    assert listed == window.read(lambda s: retrieve_segments(s, node_id=loneliness))  # as a full re-read orders it
    assert retrieval.model.segments[retrieval.table.currentIndex().row()] == reading
    assert retrieval.title.text().startswith(f"“Loneliness”: {len(listed)} passages in ")
    window.undo_stack.undo()
    assert retrieval.model.segments == listed_before


def test_double_clicking_a_passage_jumps_to_it_in_the_viewer(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.panels.nodes.view.select_node(node_id(window, "Loneliness"))
    retrieval = window.panels.retrieval
    row = next(i for i, s in enumerate(retrieval.model.segments) if s.document_name.startswith("P04"))
    segment = retrieval.model.segments[row]
    rect = retrieval.table.visualRect(retrieval.model.index(row, 5))
    from PySide6.QtCore import Qt

    qtbot.mouseClick(retrieval.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(retrieval.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = window.panels.viewer
    assert viewer.document_id == segment.document_id
    assert viewer.title.text() == "P04_interview_wave1"
    selection = window.selection()
    assert selection is not None and (selection.start, selection.end) == (segment.start, segment.end)
    assert viewer.editor.textCursor().selectedText() == segment.text
    cursor_rect = viewer.editor.cursorRect()
    assert 0 <= cursor_rect.top() <= viewer.editor.viewport().height()


def test_retrieved_passages_export_to_csv(window: MainWindow, tmp_path: Path) -> None:
    window.panels.nodes.view.select_node(node_id(window, "Capacity"))
    target = window.panels.retrieval.export(tmp_path / "capacity.csv")
    assert target == tmp_path / "capacity.csv"
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == window.panels.retrieval.model.rowCount() > 0
    assert {r["Node"] for r in rows} == {"High caseloads", "Waiting lists"}
    assert any("caseload of about forty-five" in r["Passage"] for r in rows)
    assert "Exported" in window.statusBar().currentMessage()


def test_export_to_a_missing_folder_reports_and_writes_nothing(window: MainWindow, tmp_path: Path) -> None:
    window.panels.nodes.view.select_node(node_id(window, "Capacity"))
    assert window.panels.retrieval.export(tmp_path / "missing" / "out.csv") is None
    assert window.messenger.last is not None and "does not exist" in window.messenger.last.text
    assert not (tmp_path / "missing").exists()


def test_documents_panel_filters_by_attribute_and_shows_density(window: MainWindow) -> None:
    panel = window.panels.documents
    assert panel.documents.topLevelItemCount() == 6
    panel.set_filter("site", "Riverside")
    names = [panel.documents.topLevelItem(i).text(0) for i in range(panel.documents.topLevelItemCount())]
    assert names == ["LW02_interview_wave1", "P02_interview_wave1", "P03_followup_wave2"]
    assert panel.tabs.tabText(0) == "Documents (3)"
    assert panel.case_tree.topLevelItemCount() == 3
    item = panel.documents.topLevelItem(0)
    row = next(r for r in panel.rows if r.name == "LW02_interview_wave1")
    assert item.text(2) == str(row.codings) and 0 < row.coded_fraction < 1
    panel.set_filter(None)
    assert panel.documents.topLevelItemCount() == 6


def test_clicking_a_document_opens_it_and_counts_follow_codings(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.panels.documents
    item = next(panel.documents.topLevelItem(i) for i in range(6)
                if panel.documents.topLevelItem(i).text(0) == "P02_interview_wave1")
    panel.documents.itemClicked.emit(item, 0)
    assert window.panels.viewer.title.text() == "P02_interview_wave1"
    before = int(item.text(2))
    text = open_text(window)
    start = text.index("Yes, I can hear you fine.")
    window.panels.viewer.select(start, start + 25)
    window.panels.coding.apply(node_id(window, "Feeling heard"))
    qtbot.waitUntil(lambda: int(item.text(2)) == before + 1)


def test_memo_on_the_chosen_node_is_saved_as_you_type(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    node = node_id(window, "Money worries")
    window.panels.nodes.view.select_node(node)
    memo = window.panels.memo
    assert memo.heading.text() == "Memo on basic theme “Money worries”"
    qtbot.keyClicks(memo.editor, "Money first, then everything else.")
    qtbot.waitUntil(lambda: window.read(lambda s: node_service.get_node(s, node)).memo != "", timeout=3000)
    assert window.read(lambda s: node_service.get_node(s, node)).memo == "Money first, then everything else."
    assert memo.editor.toPlainText() == "Money first, then everything else."
    window.undo_stack.undo()
    assert window.read(lambda s: node_service.get_node(s, node)).memo == ""
    assert memo.editor.toPlainText() == ""


def test_document_memo_is_kept_when_switching_documents(window: MainWindow) -> None:
    first = window.panels.viewer.document_id
    assert first is not None
    window.panels.memo.editor.setPlainText("Long opening; rapport good.")
    window.open_document(first + 1)  # saves before switching
    assert window.read(lambda s: document_service.get_document(s, first)).memo == "Long opening; rapport good."
    assert window.panels.memo.heading.text() == "Memo on document “LW02_interview_wave1”"


def test_journal_entries_belong_to_the_current_coder(window: MainWindow) -> None:
    journal = window.panels.journal
    journal.new_entry()
    journal.title.setText("After coding LW01")
    journal.text.setPlainText("I notice I code practical barriers first.")
    journal.save()
    entries = window.read(lambda s: memo_service.journal(s, coder_id=window.coder_id))
    assert [(e.title, e.text) for e in entries] == [("After coding LW01", "I notice I code practical barriers first.")]
    assert journal.list.count() == 1 and "After coding LW01" in journal.list.item(0).text()
    assert window.switch_coder("Sam Okafor")
    assert journal.list.count() == 0
    assert window.coder_button.text() == "Coder: Sam Okafor"


def test_coder_filter_shows_only_my_codings(window: MainWindow) -> None:
    viewer = window.panels.viewer
    total = len(viewer.shown_marks)
    viewer.coder_filter.set_mode("mine")
    mine = [c for c in window.read(lambda s: coding_service.codings_of_document(s, viewer.document_id))
            if c.coder_id == window.coder_id]
    assert len(viewer.shown_marks) == len(mine) < total
    assert f"{len(mine)} of {total} codings shown" in viewer.subtitle.text()
    other = next(c for c in window.read(lambda s: coding_service.codings_of_document(s, viewer.document_id))
                 if c.coder_id != window.coder_id).coder_id
    viewer.coder_filter.set_mode("chosen", [other])
    assert {m.coder_id for m in viewer.shown_marks} == {other}
    assert viewer.coder_filter.text() == "Showing: Sam Okafor"
    viewer.coder_filter.set_mode("all")
    assert len(viewer.shown_marks) == total


def test_retrieval_can_leave_out_the_interviewer(window: MainWindow) -> None:
    from qualcode.services.coding import speakers

    document_id = window.panels.viewer.document_id
    assert document_id is not None
    turns = window.read(lambda s: document_service.list_turns(s, document_id))
    marked = window.read(lambda s: speakers.interviewer_speakers(s, document_id))
    question = next(t for t in turns if t.speaker in marked)
    answer = next(t for t in turns if t.start > question.end and t.speaker not in marked)
    theme = node_id(window, "Capacity")
    coder = window.coder_id
    assert coder is not None
    window.execute(lambda s: coding_service.apply_code(s, document_id=document_id, start=question.start,
                                                      end=answer.end, node_id=theme, coder_id=coder))
    window.panels.nodes.view.select_node(theme)
    retrieval = window.panels.retrieval
    text = open_text(window)
    asked = text[question.start : question.end]
    assert any(asked in seg.text for seg in retrieval.model.segments)
    retrieval.no_interviewer.setChecked(True)
    passages = [seg.text for seg in retrieval.model.segments]
    assert not any(asked in p for p in passages)
    assert any(text[answer.start : answer.end].strip() in p for p in passages)
