"""The Themes menu, the themes review dock and the theme map dialog in the real workbench."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt, QUrl

from qualcode.domain.levels import Level
from qualcode.gui.themes.contribution import ThemesFeature
from qualcode.gui.themes.group_dialog import GroupThemeDialog
from qualcode.gui.themes.map_dialog import ThemeMapDialog
from qualcode.gui.themes.split_dialog import SplitThemeDialog
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services.codebook import nodes as node_service
from tests.gui.helpers import node_id

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def feature_of(window: MainWindow) -> ThemesFeature:
    feature = window.findChild(ThemesFeature)
    assert feature is not None
    return feature


def review(window: MainWindow) -> ThemesFeature:
    feature = feature_of(window)
    feature.show_review()
    return feature


def row(feature: ThemesFeature, name: str) -> list[str]:
    item = next(i for i in feature.panel.items.values() if i.text(0) == name)
    return [item.text(c) for c in range(item.columnCount())]


def test_themes_menu_opens_the_review_with_counts_and_flags(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    feature = feature_of(window)
    titles = [a.text() for a in feature.menu.actions() if a.text()]
    assert titles == ["Themes review", "Theme map…", "Export themes table…", "Export codebook…"]
    feature.menu.actions()[0].trigger()
    assert feature.dock.isVisible()
    assert window.panels.retrieval_dock in window.tabifiedDockWidgets(feature.dock)  # a tab, not a squeeze
    top = row(feature, "Linking people to what matters")
    assert top[:3] == ["Linking people to what matters", "Global", "57"] and top[4:6] == ["6", "2"]
    assert row(feature, "Being listened to")[1:3] == ["Basic", "10"]
    # The Participants column says which cases it counts.
    tip = feature.panel.tree.headerItem().toolTip(4)
    assert tip.startswith("Participants: distinct participant cases (LW01, LW02, LW03, P01,")
    assert "Unreliable transport" not in [i.text(0) for i in feature.panel.items.values()]  # themes, not codes
    ARTIFACTS.mkdir(exist_ok=True)
    feature.panel.resize(1100, 520)
    feature.panel.select([node_id(window, "Being listened to")])
    feature.panel.grab().save(str(ARTIFACTS / "themes_review_panel.png"))


def test_details_show_definition_and_quotes_that_open_the_transcript(window: MainWindow) -> None:
    feature = review(window)
    feature.panel.select([node_id(window, "Being listened to")])
    text = feature.panel.details.toPlainText()
    assert "Being listened to" in text and "Example quotes" in text and "LW01" in text
    quote = feature.panel.reviews[node_id(window, "Being listened to")].quotes[0]
    feature.panel.details.anchorClicked.emit(QUrl(f"quote:{quote.document_id}:{quote.start}:{quote.end}"))
    assert window.panels.viewer.document_id == quote.document_id
    assert window.panels.viewer.selection() is not None
    assert (window.panels.viewer.selection().start, window.panels.viewer.selection().end) == (quote.start, quote.end)


def test_group_two_basic_themes_then_undo_in_one_step(window: MainWindow) -> None:
    feature = review(window)
    panel = feature.panel
    panel.select([node_id(window, "Getting there"), node_id(window, "Money worries")])
    assert panel.buttons["group"].isEnabled() and panel.buttons["merge"].isEnabled()
    assert not panel.buttons["split"].isEnabled()
    panel.buttons["group"].click()
    dialog = panel.dialog
    assert isinstance(dialog, GroupThemeDialog)
    assert not dialog.ok.isEnabled()
    assert [dialog.level.itemText(i) for i in range(dialog.level.count())] == ["Organising theme", "Global theme"]
    dialog.name.setText("Everyday obstacles")
    dialog.accept()
    new = node_id(window, "Everyday obstacles")
    assert panel.selected_ids() == [new]
    assert row(feature, "Everyday obstacles")[1:3] == ["Organising", "13"]
    node = window.read(lambda s: node_service.get_node(s, node_id(window, "Getting there")))
    assert node.parent_id == new
    window.undo_stack.undo()
    assert "Everyday obstacles" not in [i.text(0) for i in panel.items.values()]
    assert window.read(lambda s: node_service.get_node(s, node_id(window, "Getting there"))).parent_id == \
        node_id(window, "Practical barriers come first")


def test_promote_and_demote_and_refusals_are_shown(window: MainWindow) -> None:
    feature = review(window)
    panel = feature.panel
    panel.select([node_id(window, "Referral pathways")])
    panel.buttons["promote"].click()
    assert row(feature, "Referral pathways")[1] == "Organising"
    assert "Organising theme with only one theme under it" in row(feature, "Pressures on the service")[6]
    panel.select([node_id(window, "Pressures on the service")])
    panel.buttons["demote"].click()
    assert "while it holds the basic theme 'Capacity'" in window.messenger.history[-1].text


def test_flags_only_filter_keeps_flagged_themes_and_their_parents(window: MainWindow) -> None:
    feature = review(window)
    window.execute(lambda s: node_service.create_node(s, name="Stigma", level=Level.BASIC,
                                                      parent_id=node_id(window, "Connection and purpose")))
    feature.panel.flags_only.setChecked(True)
    visible = [i.text(0) for i in feature.panel.items.values() if not i.isHidden()]
    assert visible == ["Linking people to what matters", "Connection and purpose", "Stigma"]
    assert row(feature, "Stigma")[6] == "No codings yet"


def test_split_moves_ticked_codings_to_a_new_theme(window: MainWindow) -> None:
    feature = review(window)
    panel = feature.panel
    panel.show_codes.setChecked(True)
    assert row(feature, "Feeling heard")[1:3] == ["Code", "6"]
    panel.select([node_id(window, "Feeling heard")])
    panel.buttons["split"].click()
    dialog = panel.dialog
    assert isinstance(dialog, SplitThemeDialog) and dialog.list.count() == 6
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.list.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.name.setText("Listened to properly")
    assert dialog.ok.isEnabled()
    dialog.accept()
    assert row(feature, "Being listened to")[2] == "10"  # still under the same basic theme
    assert row(feature, "Feeling heard")[2] == "4" and row(feature, "Listened to properly")[2] == "2"
    new = window.read(lambda s: node_service.find_node(s, "Listened to properly"))
    assert new.level is Level.CODE and new.parent_id == node_id(window, "Being listened to")


def test_merge_keeps_the_chosen_theme(window: MainWindow) -> None:
    feature = review(window)
    panel = feature.panel
    panel.select([node_id(window, "Capacity"), node_id(window, "Referral pathways")])
    panel.buttons["merge"].click()
    panel.dialog.setTextValue("Capacity (basic theme)")
    panel.dialog.accept()
    names = [i.text(0) for i in panel.items.values()]
    assert "Referral pathways" not in names
    assert row(feature, "Capacity")[2] == "8"
    assert panel.selected_ids() == [node_id(window, "Capacity")]
    window.undo_stack.undo()
    assert "Referral pathways" in [i.text(0) for i in panel.items.values()]


def test_theme_map_dialog_previews_and_exports(window: MainWindow, tmp_path: Path) -> None:
    feature = review(window)
    feature.panel.select([node_id(window, "Linking people to what matters")])
    dialog = feature.open_map()
    assert isinstance(dialog, ThemeMapDialog)
    assert dialog.root_id() == node_id(window, "Linking people to what matters")
    assert not dialog.preview.pixmap().isNull()
    assert "in" in dialog.notes.text()
    dialog.title.setText("Figure 1. Linking people to what matters")
    dialog.counts.setCurrentIndex(dialog.counts.findData(dialog.counts.itemData(1)))
    dialog.render()
    assert any(t.get_text() == "Figure 1. Linking people to what matters" for t in dialog.rendered.figure.texts)
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "theme_map_dialog.png"))
    dialog.dpi.setValue(200)
    result = dialog.export_to(tmp_path / "map.png")
    assert result is not None and "Saved map.png" in dialog.notes.text()
    with Image.open(tmp_path / "map.png") as image:
        assert tuple(round(d) for d in image.info["dpi"]) == (200, 200)
        assert image.size[0] == round(result.width * 200)
    dialog.choose_network(None)
    dialog.layout_choice.setCurrentIndex(1)
    dialog.render()
    assert dialog.export_to(tmp_path / "all.svg") is not None
    svg_text = "".join((tmp_path / "all.svg").read_text(encoding="utf-8").split())
    assert "Connection" in svg_text and "purpose" in svg_text and "Linking" in svg_text
    assert dialog.export_to(tmp_path / "missing" / "x.pdf") is None
    assert "does not exist" in dialog.notes.text()
    dialog.close()


def test_theme_map_of_an_empty_global_theme_says_why(window: MainWindow) -> None:
    window.execute(lambda s: node_service.create_node(s, name="Nothing here yet", level=Level.GLOBAL))
    dialog = feature_of(window).open_map()
    assert dialog is not None
    dialog.choose_network(node_id(window, "Nothing here yet"))
    dialog.render()
    assert "'Nothing here yet' has no organising or basic themes under it" in dialog.preview.text()
    assert not dialog.export_button.isEnabled()
    dialog.close()


def test_export_tables_from_the_menu(window: MainWindow, tmp_path: Path) -> None:
    from docx import Document

    feature = feature_of(window)
    path = feature.write_themes_table(str(tmp_path / "themes.docx"))
    assert path is not None
    table = Document(str(path)).tables[0]
    assert table.cell(0, 2).text == "Example quote(s)"
    assert feature.write_codebook(str(tmp_path / "codebook.md")) is not None
    assert "| Being listened to |" in (tmp_path / "codebook.md").read_text(encoding="utf-8").replace("\u2003", "")
    assert feature.write_codebook(str(tmp_path / "codebook.pdf")) is None
    assert "end the name with .docx" in window.messenger.history[-1].text


def test_exemplar_quotes_are_reordered_by_keyboard_and_by_a_move_and_undone_in_one_step(
        window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QModelIndex

    from qualcode.services.coding import codings as coding_service
    from qualcode.services.themes.exemplars import exemplars_of

    theme = node_id(window, "Being listened to")
    listed = window.read(lambda s: coding_service.codings_of_node(s, theme))
    for coding in listed[:3]:
        if not coding.exemplar:
            window.execute(lambda s, c=coding.id: coding_service.update_coding(s, coding_id=c, exemplar=True))
    stored = [e.coding_id for e in window.read(lambda s: exemplars_of(s, theme))]
    assert len(stored) >= 3
    feature = review(window)
    feature.panel.select([theme])
    exemplars = feature.panel.exemplars
    assert exemplars.isVisible() and feature.panel.exemplar_box.isVisible() and exemplars.coding_ids() == stored
    assert exemplars.item(0).text().startswith("1. ")
    exemplars.setFocus()
    exemplars.setCurrentRow(0)
    qtbot.keyClick(exemplars, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    moved = [stored[1], stored[0], *stored[2:]]
    assert [e.coding_id for e in window.read(lambda s: exemplars_of(s, theme))] == moved
    assert exemplars.coding_ids() == moved and exemplars.currentRow() == 1
    # A drop inside the list moves the row through the model, as a drag does.
    exemplars.model().moveRow(QModelIndex(), 2, QModelIndex(), 0)
    assert [e.coding_id for e in window.read(lambda s: exemplars_of(s, theme))] == [stored[2], stored[1], stored[0],
                                                                                   *stored[3:]]
    window.undo_stack.undo()
    assert [e.coding_id for e in window.read(lambda s: exemplars_of(s, theme))] == moved
