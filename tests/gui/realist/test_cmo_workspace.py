"""The CMO workspace and tagging actions on their own, over a real project: tag a passage as
C, M and O, see the configuration with its count, edit it, drill down and jump back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTreeWidgetItem

from qualcode.gui.contributions import TextSelection
from qualcode.gui.realist.actions import CmoActions
from qualcode.gui.realist.contribution import contribute
from qualcode.gui.realist.marks import LAYER_NAME
from qualcode.gui.realist.workspace import CmoWorkspace
from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.services.realist import statements as cmo_statements
from qualcode.services.realist import tagging as cmo_tagging
from qualcode.store.project import Project
from tests.realist_sample import build_sample
from tests.stand_in_workbench import StandInWorkbench

ARTIFACTS = Path(__file__).parents[3] / "test-artifacts"
TEXT = ("Interviewer: How did you come to the link worker?\n"
        "P07: The doctor explained it to me properly, so I went along. She gave me the whole hour.\n")
PASSAGE = "The doctor explained it to me properly, so I went along."


@pytest.fixture
def bench(qtbot, tmp_path: Path) -> Iterator[StandInWorkbench]:  # type: ignore[no-untyped-def]
    project = Project.create(tmp_path / "tagging.qualcode")
    with project.session() as s:
        coder = coders.add_coder(s, name="Amira Hassan").result
        doc = documents.add_document(s, name="P07 interview", text=TEXT).result
        case = cases.create_case(s, name="P07").result
        cases.link_documents(s, case_id=case, document_ids=[doc])
        site = cases.create_attribute(s, name="deprivation", type="category").result
        cases.set_attribute_value(s, attribute_id=site, case_id=case, value="high")
    workbench = StandInWorkbench(project, coder)
    qtbot.addWidget(workbench)
    yield workbench
    project.close()


def _setup(bench: StandInWorkbench) -> tuple[CmoActions, CmoWorkspace]:
    actions = contribute(bench)
    workspace = bench.docks["CMO configurations"].widget()
    assert isinstance(workspace, CmoWorkspace)
    bench.show()
    return actions, workspace


def _rows(workspace: CmoWorkspace) -> list[tuple[str, list[list[str]]]]:
    tree = workspace.tree
    result = []
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        children: list[QTreeWidgetItem] = [group.child(j) for j in range(group.childCount())]
        result.append((group.text(0), [[child.text(c) for c in range(5)] for child in children]))
    return result


def test_tag_c_m_o_builds_one_configuration_with_count_one_and_jumps_back(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    actions, workspace = _setup(bench)
    document_id = bench.read(lambda s: documents.list_documents(s)[0].id)
    start = TEXT.index(PASSAGE)
    bench.current_selection = TextSelection(document_id, start, start + len(PASSAGE))
    for role in ("C", "M", "O"):
        actions.tag_actions[role].trigger()
    assert bench.errors == []
    rows = _rows(workspace)
    assert len(rows) == 1 and len(rows[0][1]) == 1
    label, chain, status, excerpts, participants = rows[0][1][0]
    assert (label, status, excerpts, participants) == ("CMOC 1", "proposed", "1", "1")
    assert chain == f"{PASSAGE} (C) → {PASSAGE} (M) → {PASSAGE} (O)"
    assert workspace.current_configuration() is not None
    assert "adds to <b>CMOC 1</b>" in workspace.target.text()
    assert len(bench.stack._done) == 3  # one undoable step per tag

    detail = workspace.detail
    assert [detail.statements.item(r, 0).text() for r in range(detail.statements.rowCount())] == ["C", "M", "O"]
    assert [detail.statements.item(r, 2).text() for r in range(3)] == ["1", "1", "1"]
    assert detail.evidence.topLevelItemCount() == 3
    row = detail.evidence.topLevelItem(1)
    assert [row.text(c) for c in range(5)] == ["M", PASSAGE, "P07", "Amira Hassan", "supports"]
    # The context is the rest of the turn: the interviewer's question before it is another paragraph.
    assert "…P07: <b>" + PASSAGE + "</b> She gave me the whole hour.…" in row.toolTip(1)
    detail.evidence.itemDoubleClicked.emit(row, 1)
    assert bench.jumps == [(document_id, start, start + len(PASSAGE))]

    marks = bench.read(lambda s: bench.layers[LAYER_NAME](s, document_id))
    assert sorted(m.label for m in marks) == ["C 1", "M 1", "O 1"]
    assert {(m.start, m.end) for m in marks} == {(start, start + len(PASSAGE))}
    assert "CMOC 1 · No concept" in marks[0].tooltip

    ARTIFACTS.mkdir(exist_ok=True)
    bench.resize(1000, 700)
    workspace.grab().save(str(ARTIFACTS / "cmo_workspace_tagged.png"))


def test_second_passage_and_new_configuration(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    actions, workspace = _setup(bench)
    document_id = bench.read(lambda s: documents.list_documents(s)[0].id)
    start = TEXT.index("She gave me the whole hour.")
    bench.current_selection = TextSelection(document_id, start, start + 27)
    actions.tag_actions["M"].trigger()
    first = workspace.current_configuration()
    bench.current_selection = TextSelection(document_id, 0, 11)
    actions.tag_actions["O"].trigger()
    assert workspace.current_configuration() == first
    actions.new_action.trigger()
    assert workspace.current_configuration() is None
    assert "starts a new configuration" in workspace.target.text()
    actions.tag_actions["C"].trigger()
    second = workspace.current_configuration()
    assert second not in (None, first)
    assert [len(children) for _group, children in _rows(workspace)] == [2]
    bench.current_selection = None
    assert actions.tag(role="C") is None and bench.messages[-1] == "Select a passage in the transcript first."


def test_editing_statements_status_and_undo_refresh_the_workspace(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    actions, workspace = _setup(bench)
    document_id = bench.read(lambda s: documents.list_documents(s)[0].id)
    bench.current_selection = TextSelection(document_id, 0, 11)
    actions.tag_actions["C"].trigger()
    detail = workspace.detail
    assert detail.draft.text() == "Draft: no mechanism (M), outcome (O) statement yet"
    detail.statements.item(0, 1).setText("When GPs explain the referral")
    config_id = workspace.current_configuration()
    assert bench.read(lambda s: cmo.get_configuration(s, config_id).statements("C")[0].statement) == \
        "When GPs explain the referral"
    detail.status.setCurrentText("confirmed")
    detail.status.activated.emit(detail.status.currentIndex())
    assert bench.errors[-1].startswith("'CMOC 1' cannot be confirmed")
    assert detail.status.currentText() == "proposed"  # refused: the stored status shows again
    detail.add_statement("M", "patients feel the referral is legitimate")
    detail.add_statement("O", "so they attend")
    detail.status.setCurrentText("confirmed")
    detail.status.activated.emit(detail.status.currentIndex())
    assert _rows(workspace)[0][1][0][2] == "confirmed"
    detail.concept.setText("Enrolment")
    detail.concept.editingFinished.emit()
    assert _rows(workspace)[0][0] == "Enrolment  (1)"
    bench.undo()
    bench.undo()
    assert _rows(workspace)[0][0] == "No concept  (1)" and _rows(workspace)[0][1][0][2] == "proposed"
    bench.redo()
    assert _rows(workspace)[0][1][0][2] == "confirmed"


def test_refine_and_history(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    actions, workspace = _setup(bench)
    document_id = bench.read(lambda s: documents.list_documents(s)[0].id)
    bench.current_selection = TextSelection(document_id, 0, 11)
    actions.tag_actions["C"].trigger()
    first = workspace.current_configuration()
    workspace.detail.refine()
    second = workspace.current_configuration()
    assert second != first
    history = workspace.detail.history
    assert [history.item(i).text() for i in range(history.count())] == ["CMOC 1 — proposed", "    ↳ CMOC 2 — refined"]
    history.itemClicked.emit(history.item(0))
    assert workspace.current_configuration() == first
    workspace.detail.delete()
    assert workspace.current_configuration() is None
    assert [child[0] for child in _rows(workspace)[0][1]] == ["CMOC 2"]


def test_filters_on_the_sample_project(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = Project.create(tmp_path / "sample.qualcode")
    with project.session() as s:
        sample = build_sample(s)
    bench = StandInWorkbench(project, sample.coder_id)
    qtbot.addWidget(bench)
    try:
        _actions, workspace = _setup(bench)
        assert [(g, len(c)) for g, c in _rows(workspace)] == [
            ("Enrolment  (5)", 5), ("Engagement — interpersonal skills  (5)", 5), ("Readiness  (5)", 5),
            ("Linking to community resources  (5)", 5), ("Sustaining change  (5)", 5)]
        workspace.status_filter.setCurrentIndex(workspace.status_filter.findData("refuted"))
        workspace.status_filter.activated.emit(0)
        assert [c[0] for _g, children in _rows(workspace) for c in children] == ["CMOC 4", "CMOC 19", "CMOC 22"]
        workspace.attribute_filter.setCurrentIndex(workspace.attribute_filter.findData("deprivation"))
        workspace.attribute_filter.activated.emit(0)
        workspace.value_filter.setCurrentIndex(workspace.value_filter.findData("high"))
        workspace.value_filter.activated.emit(0)
        assert [c[0] for _g, children in _rows(workspace) for c in children] == ["CMOC 19", "CMOC 22"]
        workspace.status_filter.setCurrentIndex(0)
        workspace.status_filter.activated.emit(0)
        workspace.select_configuration(sample.configurations["CMOC 23"])  # filtered out: filters reset
        history = workspace.detail.history
        assert [history.item(i).text().strip() for i in range(history.count())] == [
            "CMOC 22 — refuted", "↳ CMOC 23 — refined", "↳ CMOC 24 — refined"]
        evidence = bench.read(lambda s: cmo_evidence.evidence_for(s, configuration_id=sample.configurations["CMOC 23"]))
        assert workspace.detail.evidence.topLevelItemCount() == len(evidence) == 1
        bench.resize(1100, 850)
        workspace.tree.expandAll()
        workspace.grab().save(str(ARTIFACTS / "cmo_workspace_sample.png"))
    finally:
        project.close()


def test_a_hidden_workspace_catches_up_when_shown(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    _actions, workspace = _setup(bench)
    dock = bench.docks["CMO configurations"]
    dock.hide()
    document_id = bench.read(lambda s: documents.list_documents(s)[0].id)
    bench.execute(lambda s: cmo_tagging.tag_span(s, document_id=document_id, start=0, end=11, role="C",
                                                 concept="Enrolment", coder_id=bench.coder_id))
    assert workspace.tree.topLevelItemCount() == 0  # not redrawn while hidden
    dock.show()
    assert _rows(workspace) == [("Enrolment  (1)", [["CMOC 1", "Interviewer (C) → … (M) → … (O)", "proposed (draft)",
                                                      "1", "1"]])]


def test_memo_is_saved_when_switching_and_linked_themes_are_shown(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    _actions, workspace = _setup(bench)
    first = bench.execute(lambda s: cmo.create_configuration(s, concept="Enrolment", statements=[("C", "x")])).result
    second = bench.execute(lambda s: cmo.create_configuration(s, concept="Enrolment", statements=[("C", "y")])).result
    theme = bench.execute(lambda s: nodes.create_node(s, name="Trust", level="basic")).result
    bench.execute(lambda s: cmo_statements.link_nodes(s, configuration_id=second, node_ids=[theme]))
    workspace.select_configuration(first)
    detail = workspace.detail
    detail.memo.insertPlainText("Built from the steering group's logic model")  # as if typed
    assert detail.memo_button.isEnabled()
    workspace.select_configuration(second)
    assert bench.read(lambda s: cmo.get_configuration(s, first).memo) == "Built from the steering group's logic model"
    qtbot.waitUntil(lambda: workspace.current_configuration() == second)
    assert "Draws on: Trust" in detail.title.text() and detail.memo.toPlainText() == ""
    workspace.select_configuration(first)
    assert detail.memo.toPlainText() == "Built from the steering group's logic model"
    assert not detail.memo_button.isEnabled()


def test_codings_link_only_once_there_is_a_configuration_and_lists_follow_the_choice(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    actions, workspace = _setup(bench)
    assert [text for text, _handler in bench.coding_actions] == ["Use as CMO evidence…"]
    start = TEXT.index(PASSAGE)
    with bench.project.session() as s:  # type: ignore[union-attr]
        node = nodes.create_node(s, name="Explained referral").result
        coding = codings.apply_code(s, document_id=1, start=start, end=start + len(PASSAGE), node_id=node,
                                    coder_id=bench.coder_id).result
    assert actions.link_coding(coding) is None
    assert bench.messages[-1].startswith("There is no configuration yet: tag a passage as C, M or O")

    bench.current_selection = TextSelection(1, start, start + len(PASSAGE))
    actions.tag("C")
    config_id = workspace.current_configuration()
    dialog = actions.link_coding(coding)
    assert dialog is not None and dialog.isVisible()
    assert dialog.configuration.currentData() == config_id
    assert [dialog.statement.itemText(i) for i in range(dialog.statement.count())] == [f"Context (C): {PASSAGE}"]
    dialog.reject()

    workspace.detail.list_button.click()
    workspace.list_passages(None, "")  # the concept of configurations started without one
    assert [source.title for source in bench.passages] == ["CMOC 1", "No concept (all its configurations)"]
    listed = [bench.read(lambda s, source=source: source.fetch(s, False)) for source in bench.passages]
    assert [[(g.text, g.node_name) for g in passages] for passages in listed] == [[(PASSAGE, "CMOC 1 · C")]] * 2


def test_the_themes_a_configuration_draws_on_are_ticked_in_the_node_tree(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    _actions, workspace = _setup(bench)
    config = bench.execute(lambda s: cmo.create_configuration(s, concept="Engagement", statements=[("C", "x")])).result
    global_theme = bench.execute(lambda s: nodes.create_node(s, name="Feeling held", level="global")).result
    trust = bench.execute(lambda s: nodes.create_node(s, name="Trust", level="basic", parent_id=global_theme)).result
    hope = bench.execute(lambda s: nodes.create_node(s, name="Hope", level="basic", parent_id=global_theme)).result
    bench.execute(lambda s: cmo_statements.link_nodes(s, configuration_id=config, node_ids=[trust]))
    workspace.select_configuration(config)
    detail = workspace.detail
    dialog = detail.choose_themes()
    assert dialog is not None and dialog.isVisible()
    top = dialog.tree.topLevelItem(0)
    assert (top.text(0), [top.child(i).text(0) for i in range(top.childCount())]) == ("Feeling held", ["Trust", "Hope"])
    assert dialog.chosen() == [trust]
    dialog.filter.setText("hop")
    assert [top.isHidden(), top.child(0).isHidden(), top.child(1).isHidden()] == [False, True, False]
    dialog.set_checked(hope, True)
    dialog.set_checked(trust, False)
    dialog.accept()
    assert bench.read(lambda s: cmo.get_configuration(s, config).node_ids) == (hope,)
    assert "Draws on: Hope" in detail.title.text()
    bench.undo()
    assert bench.read(lambda s: cmo.get_configuration(s, config).node_ids) == (trust,)
    assert "Draws on: Trust" in detail.title.text()


def test_exporting_the_programme_theory_draws_the_pathway_page(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    project = Project.create(tmp_path / "sample.qualcode")
    with project.session() as s:
        sample = build_sample(s)
    bench = StandInWorkbench(project, sample.coder_id)
    qtbot.addWidget(bench)
    try:
        actions, _workspace = _setup(bench)
        target = tmp_path / "theory.png"
        actions.export_theory(target)
        qtbot.waitUntil(lambda: any(m.startswith("Wrote") for m in bench.messages), timeout=60_000)
        assert f"Wrote {target}" in bench.messages
        with Image.open(target) as image:
            assert image.size[0] == 2100 and image.size[1] <= 2700  # 7 × 9 inches at 300 dpi
    finally:
        project.close()


def test_programme_theory_preview_reorders_stages_by_keyboard_and_keeps_the_order(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QModelIndex, Qt

    from qualcode.services.realist.export import stage_order

    project = Project.create(tmp_path / "sample.qualcode")
    with project.session() as s:
        sample = build_sample(s)
    bench = StandInWorkbench(project, sample.coder_id)
    qtbot.addWidget(bench)
    try:
        actions, _workspace = _setup(bench)
        dialog = actions.theory_preview()
        qtbot.addWidget(dialog)
        stages = dialog.stages
        assert stages.concepts() == ["Enrolment", "Engagement — interpersonal skills", "Readiness",
                                     "Linking to community resources", "Sustaining change"]
        assert not dialog.preview.pixmap().isNull()
        assert "text at" in dialog.note.text() and "7.00 ×" in dialog.note.text()
        stages.setFocus()
        stages.setCurrentRow(2)
        qtbot.keyClick(stages, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        assert bench.read(stage_order)[:3] == ["Enrolment", "Readiness", "Engagement — interpersonal skills"]
        assert stages.concepts()[1] == "Readiness"
        stages.model().moveRow(QModelIndex(), 4, QModelIndex(), 0)  # what a drop inside the list does
        assert bench.read(stage_order)[0] == "Sustaining change"
        ARTIFACTS.mkdir(exist_ok=True)
        dialog.grab().save(str(ARTIFACTS / "programme_theory_dialog.png"))
        dialog.height.setValue(3.0)  # too small a page: said, not drawn
        assert "more than the 3 inches allowed" in dialog.note.text() and dialog.preview.pixmap().isNull()
    finally:
        project.close()


def test_statements_move_in_the_sentence_and_the_sentence_is_written_out(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    _actions, workspace = _setup(bench)
    with bench.project.session() as s:
        config_id = cmo.create_configuration(s, concept="Enrolment", statements=[
            ("C", "Uncertainty about how a link worker can help"), ("M", "because they are unsure of what to expect"),
            ("O", "may make patients reluctant to engage")]).result
    workspace.refresh()
    workspace.select_configuration(config_id)
    detail = workspace.detail
    detail.statements.setFocus()
    detail.statements.selectRow(2)
    qtbot.keyClick(detail.statements, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    sentence = ("Uncertainty about how a link worker can help (C) may make patients reluctant to engage (O) "
                "because they are unsure of what to expect (M).")
    assert bench.read(lambda s: cmo.get_configuration(s, config_id)).sentence == sentence
    assert [detail.statements.item(r, 0).text() for r in range(3)] == ["C", "O", "M"]
    assert detail.sentence.text().endswith("engage <b>(O)</b> because they are unsure of what to expect <b>(M)</b>.")
    bench.resize(1100, 800)
    ARTIFACTS.mkdir(exist_ok=True)
    workspace.grab().save(str(ARTIFACTS / "cmo_detail_sentence.png"))
    written = "Not knowing what a link worker does (C) keeps patients away (O) as they cannot picture it (M)."

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(written)
        dialog.accept()

    QTimer.singleShot(0, answer)
    detail.write_sentence()
    info = bench.read(lambda s: cmo.get_configuration(s, config_id))
    assert info.sentence == written and info.written_sentence == written
    assert "Sentence (written out):" in detail.sentence.text()
