"""Menus, toolbar and keyboard shortcuts of the main window. Coding is keyboard-fast: Ctrl+K
quick code, Ctrl+R code again with the last node, Ctrl+1…9 recent nodes, Ctrl+I in vivo."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QToolBar

from qualcode.domain.levels import Level
from qualcode.domain.location import describe_team_url
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.icons import level_icon
from qualcode.gui.settings import app_settings
from qualcode.gui.style import QUIET, tone_name
from qualcode.services import coders as coder_service
from qualcode.services.codebook.nodes import LEVEL_COLORS

if TYPE_CHECKING:
    from qualcode.gui.importing.actions import ImportActions
    from qualcode.gui.window_api import WindowApi
    from qualcode.gui.workbench.workbench_panels import WorkbenchPanels


class WindowActions(QObject):
    def __init__(self, window: WindowApi, panels: WorkbenchPanels, import_actions: ImportActions) -> None:
        super().__init__(window.main_window())
        self.window = window
        self.panels = panels
        self.project_actions: list[QAction] = []
        self.mutating_actions: list[QAction] = []  # disabled while the project is read-only
        self.layer_actions: dict[str, QAction] = {}
        self.dialog: QDialog | None = None
        coding = panels.coding
        bar = window.menuBar()

        # File
        project = bar.addMenu("&File")
        self.file_menu = project
        self.new_action = self._add(project, "&New project…", window.new_project_dialog, QKeySequence.StandardKey.New)
        self.open_action = self._add(project, "&Open project…", window.open_project_dialog,
                                     QKeySequence.StandardKey.Open)
        self._add(project, "Open &team project…", window.open_team_project_dialog)
        self.open_read_only_action = self._add(project, "Open project read-&only…", window.open_read_only_dialog)
        self.recent_menu = project.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self.refresh_recent_menu)
        self._add(project, "Open the &demo project", window.open_demo)
        project.addSeparator()
        imports = import_actions
        self.import_menu = project.addMenu("&Import")
        self.import_action = self._add(self.import_menu, "&Transcripts…", lambda: imports.open_wizard(),
                                       "Ctrl+Shift+I", needs_project=True)
        self._add(self.import_menu, "&Participants sheet (.csv, .xlsx)…", imports.case_sheet_dialog,
                  needs_project=True)
        self.export_menu = project.addMenu("&Export")  # filled by the exchange and table features
        self._add(project, "&Anonymise documents…", lambda: imports.anonymise_dialog(), needs_project=True,
                  mutating=True)
        project.aboutToShow.connect(lambda: self.export_menu.menuAction().setVisible(
            bool(self.export_menu.actions())))
        project.addSeparator()
        self.coder_action = self._add(project, "Switch &coder…", self.switch_coder_dialog, needs_project=True,
                                      mutating=True)
        project.addSeparator()
        self._add(project, "&Close project", lambda: window.close_project(), QKeySequence.StandardKey.Close,
                  needs_project=True)
        self._add(project, "&Quit", window.close, QKeySequence.StandardKey.Quit)

        # Edit
        edit = bar.addMenu("&Edit")
        self.undo_action = window.undo_stack.createUndoAction(window, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = window.undo_stack.createRedoAction(window, "&Redo")
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        self.undo_action.setIconText("Undo")
        self.redo_action.setIconText("Redo")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        self._add(edit, "&Copy", panels.viewer.editor.copy, QKeySequence.StandardKey.Copy, needs_project=True)
        self.find_action = self._add(edit, "&Find in transcript…", panels.viewer.find_bar.open_bar,
                                     QKeySequence.StandardKey.Find, needs_project=True)
        self.find_node_action = self._add(edit, "Find a &node…", self.find_node, "Ctrl+L", needs_project=True)
        edit.addSeparator()
        self.preferences_action = self._add(edit, "&Preferences…", self.preferences_dialog, "Ctrl+,")
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        # Code
        code = bar.addMenu("&Code")
        self.quick_code_action = self._add(code, "&Quick code…", coding.quick_code, "Ctrl+K", needs_project=True)
        self.recent_code_action = self._add(code, "Code with &last node", lambda: coding.apply_recent(0), "Ctrl+R",
                                            needs_project=True)
        self.recent_nodes_menu = code.addMenu("Code with r&ecent node")
        self.recent_nodes_menu.aboutToShow.connect(self._fill_recent_nodes)
        for i in range(1, 10):
            shortcut = QAction(window)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{i}"))
            shortcut.triggered.connect(lambda _=False, i=i: coding.apply_recent(i - 1))
            window.addAction(shortcut)
            self.project_actions.append(shortcut)
            self.mutating_actions.append(shortcut)
        self.in_vivo_action = self._add(code, "&In-vivo code", coding.in_vivo, "Ctrl+I", needs_project=True)
        self.sentence_action = self._add(code, "Code this &sentence", coding.code_sentence, "Ctrl+Shift+S",
                                         needs_project=True)
        self.turn_action = self._add(code, "Code this &turn", coding.code_turn, "Ctrl+Shift+T", needs_project=True)
        code.addSeparator()
        self.uncode_action = self._add(code, "&Uncode", lambda: coding.uncode(), "Ctrl+Shift+U", needs_project=True)
        self._add(code, "Adjust &boundaries…", lambda: self._on_coding(coding.adjust_boundaries), "Ctrl+Shift+B",
                  needs_project=True)
        self.memo_action = self._add(code, "Coding &memo…", lambda: self._on_coding(coding.edit_memo), "Ctrl+M",
                                     needs_project=True)
        self.exemplar_action = self._add(code, "Mark as e&xemplar quote", lambda: self._on_coding(
            coding.toggle_exemplar), "Ctrl+E", needs_project=True)

        # Nodes
        nodes = bar.addMenu("&Nodes")
        node_actions = panels.nodes.node_actions
        current = panels.nodes.current_node
        for level in Level:
            self._add(nodes, f"New {level.label.lower()}…", lambda lvl=level: node_actions.new_node(lvl, current()),
                      "Ctrl+Shift+N" if level is Level.CODE else None, needs_project=True,
                      icon_level=level)
        nodes.addSeparator()
        self._add(nodes, "&Rename", lambda: self._on_node(lambda n: panels.nodes.view.edit(
            panels.nodes.view.proxy_index(n))), "F2", needs_project=True)
        self._add(nodes, "Edit &definition and criteria…", lambda: self._on_node(node_actions.edit_node),
                  needs_project=True)
        self._add(nodes, "&Colour…", lambda: self._on_node(node_actions.choose_colour), needs_project=True)
        self.merge_action = self._add(nodes, "&Merge…", panels.nodes.merge_chosen, needs_project=True)
        self._add(nodes, "De&lete…", lambda: self._on_node(node_actions.delete), needs_project=True)

        # View
        view = bar.addMenu("&View")
        self.panels_menu = view.addMenu("&Panels")
        for dock in window.dock_list:
            self.panels_menu.addAction(dock.toggleViewAction())
        self.layers_menu = view.addMenu("&Layers")
        self.layers_menu.setEnabled(False)
        view.addSeparator()
        self.zoom_in_action = self._add(view, "&Larger text", panels.viewer.zoom_in, "Ctrl+=", needs_project=True)
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence(QKeySequence.StandardKey.ZoomIn)])
        self._add(view, "&Smaller text", panels.viewer.zoom_out, QKeySequence.StandardKey.ZoomOut,
                  needs_project=True)
        self._add(view, "&Usual text size", panels.viewer.zoom_reset, "Ctrl+0", needs_project=True)
        self.snap_action = QAction("Snap selections to &whole words", self.window)
        self.snap_action.setCheckable(True)
        self.snap_action.toggled.connect(self._set_snap)
        self.snap_action.setChecked(str(app_settings().value("viewer/snap_words", "false")).lower() == "true")
        view.addAction(self.snap_action)
        view.addSeparator()
        self._add(view, "Show &all coders", lambda: panels.viewer.coder_filter.set_mode("all"), needs_project=True)
        self._add(view, "Show only &my codings", lambda: panels.viewer.coder_filter.set_mode("mine"),
                  needs_project=True)
        view.addSeparator()
        self._add(view, "&Reset layout", window.reset_layout, needs_project=True)

        # Help
        self.help_menu = bar.addMenu("&Help")
        self._add(self.help_menu, "&Keyboard shortcuts", self.show_shortcuts)
        self._add(self.help_menu, "&About QualCode", self.show_about)

        for menu in (self.import_menu, code, nodes):
            self.mutating_actions.extend(a for a in menu.actions() if a in self.project_actions)
        self._build_toolbar()

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object], shortcut: object = None, *,
             needs_project: bool = False, mutating: bool = False, icon_level: Level | None = None) -> QAction:
        """A menu action; `needs_project`: enabled only with a project open; `mutating`: also
        disabled while the project is read-only."""
        action = QAction(text, self.window)
        if icon_level is not None:
            action.setIcon(level_icon(icon_level, LEVEL_COLORS[icon_level]))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut)  # type: ignore[arg-type]
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        if needs_project:
            self.project_actions.append(action)
        if mutating:
            self.mutating_actions.append(action)
        return action

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self.window)
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.setIconSize(QSize(16, 16))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        groups = (
            ((self.open_action, "Open"), (self.import_action, "Import")),
            ((self.undo_action, None), (self.redo_action, None)),
            ((self.quick_code_action, "Quick code"), (self.recent_code_action, "Code again"),
             (self.in_vivo_action, "In vivo"), (self.sentence_action, "Sentence"), (self.turn_action, "Turn"),
             (self.uncode_action, "Uncode")),
            ((self.memo_action, "Memo"), (self.exemplar_action, "Exemplar")),
        )
        for i, group in enumerate(groups):
            if i:
                bar.addSeparator()
            for action, label in group:
                if label:
                    action.setIconText(label)
                    action.setToolTip(f"{action.text().replace('&', '').rstrip('…')} "
                                      f"({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
                bar.addAction(action)
        self.toolbar = bar
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    # -- state -------------------------------------------------------------------------------
    def set_project_actions_enabled(self, enabled: bool, *, read_only: bool = False) -> None:
        mutating = set(self.mutating_actions)
        for action in self.project_actions:
            action.setEnabled(enabled and not (read_only and action in mutating))
        self.recent_nodes_menu.setEnabled(enabled and not read_only)
        self.layers_menu.setEnabled(enabled and bool(self.layer_actions))

    def add_layer_toggle(self, name: str) -> None:
        action = QAction(name, self.window)
        action.setCheckable(True)
        action.setChecked(True)
        action.toggled.connect(lambda on: self.window.set_layer_visible(name, on))
        self.layers_menu.addAction(action)
        self.layer_actions[name] = action
        self.layers_menu.setEnabled(self.window.project is not None)

    def refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        entries = self.window.recent.entries()
        for entry in entries:
            label = describe_team_url(entry) if isinstance(entry, str) else f"{entry.stem}  —  {entry.parent}"
            self.recent_menu.addAction(label.replace("&", "&&"), lambda e=entry: self.window.open_recent(e))
        if not entries:
            self.recent_menu.addAction("No recent projects").setEnabled(False)

    def _fill_recent_nodes(self) -> None:
        coding = self.panels.coding
        menu = self.recent_nodes_menu
        menu.clear()
        nodes = self.panels.nodes.model.nodes
        coding.forget_missing(set(nodes))
        for i, node_id in enumerate(coding.recent):
            action = menu.addAction(level_icon(nodes[node_id].level, nodes[node_id].color), nodes[node_id].name,
                                    lambda i=i: coding.apply_recent(i))
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
        if not coding.recent:
            menu.addAction("Code a passage first").setEnabled(False)

    def _on_coding(self, action: Callable[[int], object]) -> None:
        mark = self.panels.coding.coding_under_cursor()
        if mark is not None:
            action(mark.coding_id)

    def _on_node(self, action: Callable[[int], object]) -> None:
        node_id = self.panels.nodes.current_node()
        if node_id is None:
            self.window.status_message("Choose a node in the Nodes panel first.")
            return
        action(node_id)

    def _set_snap(self, on: bool) -> None:
        self.panels.viewer.editor.snap_to_words = on
        app_settings().setValue("viewer/snap_words", on)

    def find_node(self) -> None:
        self.panels.nodes_dock.show()
        self.panels.nodes.search.setFocus()
        self.panels.nodes.search.selectAll()

    # -- dialogs -----------------------------------------------------------------------------
    def switch_coder_dialog(self) -> QInputDialog | None:
        window = self.window
        if window.project is None:
            return None
        names = [c.name for c in window.read(coder_service.list_coders)]
        dialog = QInputDialog(window)
        dialog.setObjectName("coderDialog")
        dialog.setWindowTitle("Switch coder")
        dialog.setLabelText("Code as (choose a coder, or type a new name):")
        dialog.setComboBoxItems(names)
        dialog.setComboBoxEditable(True)
        current = window.read(lambda s: coder_service.get_coder(s, window.coder_id)).name if window.coder_id else ""
        dialog.setTextValue(current)
        dialog.accepted.connect(lambda: window.switch_coder(dialog.textValue()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def preferences_dialog(self) -> QDialog:
        from qualcode.gui.appearance import appearance
        from qualcode.gui.workbench.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.window.main_window(), appearance())
        return open_dialog(self, dialog, dialog.apply)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every keyboard shortcut of the menus (features' ones included), then the keys that
        have no menu item."""
        rows: list[tuple[str, str]] = []

        def walk(menu: QMenu, path: str) -> None:
            for action in menu.actions():
                sub = action.menu()
                label = action.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip("…")
                if isinstance(sub, QMenu):
                    walk(sub, f"{path} › {label}")
                elif not action.shortcut().isEmpty():
                    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                    rows.append((keys, f"{label} <span style='color:{tone_name(*QUIET)}'>({path})</span>"))

        for top in self.window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                walk(menu, top.text().replace("&", ""))
        rows += [
            ("Ctrl+1 … 9", "Code with a recent node"),
            ("Enter / Shift+Enter, F3 / Shift+F3", "Next / previous match in the find bar; Esc closes it"),
            ("Double-click a node", "Code the selection to it (or drag the selection onto it)"),
            ("Shift/Ctrl-click nodes", "Choose several nodes: group, move, colour or merge them (right-click)"),
            ("F2", "Rename the chosen node"),
        ]
        return rows

    def show_shortcuts(self) -> None:
        from html import escape

        text = "<table cellspacing=4>" + "".join(
            f"<tr><td><b>{escape(k)}</b></td><td>{v}</td></tr>" for k, v in self.shortcut_rows()) + "</table>"
        self.window.messenger.page(text, "Keyboard shortcuts")

    def show_about(self) -> None:
        from qualcode import __version__

        self.window.messenger.info(
            f"<b>QualCode {__version__}</b><br/>Qualitative coding, Attride-Stirling thematic networks and realist "
            "CMO configurations.<br/>Projects are single SQLite files; every change is saved at once and can be "
            "undone.", "About QualCode")
