"""One configuration in the CMO workspace: concept, status and origin; its statements per
role (edited in place, with evidence counts); the evidence behind it; its refinements."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.cmo import stored_template
from qualcode.domain.enums import CmoOrigin, CmoStatus
from qualcode.domain.text import plural
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.realist.evidence_list import CmoEvidenceList
from qualcode.gui.realist.marks import role_color
from qualcode.gui.realist.themes_dialog import ThemesDialog
from qualcode.gui.style import QUIET, WARNING, for_text, tone_name
from qualcode.gui.widgets.accessible import named
from qualcode.services.codebook import nodes
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.services.realist import queries as cmo_queries
from qualcode.services.realist import statements as cmo_statements
from qualcode.services.realist.configurations import ConfigurationInfo

ID_ROLE = Qt.ItemDataRole.UserRole
ORIGINS = {CmoOrigin.PRIOR_THEORY.value: "Prior theory", CmoOrigin.DATA.value: "Data"}


class CmoDetailPanel(QWidget):
    configuration_requested = Signal(object)  # a configuration id (history), or None after a delete
    passages_requested = Signal(object)  # a configuration id: list its evidence in "Coded passages"

    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cmoDetail")
        self.workbench = workbench
        self.config: ConfigurationInfo | None = None
        self._loading = False

        self.title = QLabel("Choose a configuration, or tag a passage as C, M or O.", objectName="sectionLabel")
        self.title.setWordWrap(True)
        self.concept = named(QLineEdit(placeholderText="Concept (group), e.g. Enrolment"), "Concept",
                             "The group this configuration belongs to, e.g. Enrolment")
        self.concept.editingFinished.connect(self._concept_edited)
        self.status = named(QComboBox(), "Status", "Proposed, confirmed, refuted, refined or new")
        self.status.addItems([s.value for s in CmoStatus])
        self.status.activated.connect(self._status_chosen)
        self.origin = named(QComboBox(), "Origin", "From prior theory or from the data")
        for value, label in ORIGINS.items():
            self.origin.addItem(label, value)
        self.origin.activated.connect(self._origin_chosen)
        for combo in (self.status, self.origin):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)  # narrow docks: "confirmed" shrinks before the dock widens
        self.refine_button = QToolButton(objectName="panelButton", text="Refine")
        self.refine_button.setToolTip("Start a new version of this configuration, refined from it")
        self.refine_button.clicked.connect(self.refine)
        self.delete_button = QToolButton(objectName="panelButton", text="Delete")
        self.delete_button.clicked.connect(self.delete)
        self.draft = QLabel("", objectName="draftLabel")
        self.draft.setStyleSheet(f"color: {tone_name(*WARNING)};")
        fields = QHBoxLayout()
        fields.addWidget(self.status, 1)
        fields.addWidget(self.origin, 1)
        fields.addWidget(self.refine_button)
        fields.addWidget(self.delete_button)

        self.statements = named(QTableWidget(0, 3, objectName="cmoStatements"), "Statements",
                                "Role, statement and excerpt count; F2 edits a statement, Alt+Up or Alt+Down "
                                "moves it in the sentence")
        self.statements.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move between cells
        self.statements.setHorizontalHeaderLabels(["Role", "Statement", "Excerpts"])
        self.statements.verticalHeader().hide()
        self.statements.setWordWrap(True)
        self.statements.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.statements.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.statements.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                        | QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.statements.horizontalHeader()
        header.resizeSection(0, 60)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(2, 70)
        self.statements.itemChanged.connect(self._statement_edited)
        self.statements.setMinimumHeight(60)
        self.add_button = QToolButton(objectName="panelButton", text="Add statement")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_menu = QMenu(self)
        self.add_button.setMenu(self.add_menu)
        self.remove_button = QToolButton(objectName="panelButton", text="Remove")
        self.remove_button.setToolTip("Remove the chosen statement (its evidence goes with it)")
        self.remove_button.clicked.connect(self.remove_statement)
        self.themes_button = QToolButton(objectName="panelButton", text="Themes…")
        self.themes_button.setToolTip("Choose the codes and themes this configuration draws on")
        self.themes_button.clicked.connect(self.choose_themes)
        self.dialog: ThemesDialog | None = None
        self.earlier_button = named(QToolButton(objectName="panelButton", text="↑"), "Earlier in the sentence")
        self.earlier_button.setToolTip("Earlier in the sentence (Alt+Up)")
        self.earlier_button.clicked.connect(lambda: self.move_in_sentence(-1))
        self.later_button = named(QToolButton(objectName="panelButton", text="↓"), "Later in the sentence")
        self.later_button.setToolTip("Later in the sentence (Alt+Down)")
        self.later_button.clicked.connect(lambda: self.move_in_sentence(1))
        self.statements.installEventFilter(self)  # Alt+Up / Alt+Down move the chosen statement
        self.write_button = QToolButton(objectName="panelButton", text="Sentence…")
        self.write_button.setToolTip("Write the sentence out as the paper has it, with the markers in place")
        self.write_button.clicked.connect(self.write_sentence)
        self.sentence = QLabel(objectName="cmoSentence", wordWrap=True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        statement_buttons = QHBoxLayout()
        statement_buttons.addWidget(self.add_button)
        statement_buttons.addWidget(self.remove_button)
        statement_buttons.addWidget(self.earlier_button)
        statement_buttons.addWidget(self.later_button)
        statement_buttons.addWidget(self.write_button)
        statement_buttons.addStretch(1)
        statement_buttons.addWidget(self.themes_button)
        statements_page = QWidget()
        page = QVBoxLayout(statements_page)
        page.setContentsMargins(0, 4, 0, 0)
        page.addWidget(self.statements)
        page.addWidget(self.sentence)
        page.addLayout(statement_buttons)

        self.evidence = named(CmoEvidenceList(), "Evidence", "Passages tagged for each statement, with their "
                              "stance; Enter or double-click reads one in the transcript")
        self.evidence.jump_requested.connect(self.workbench.show_span)
        self.stance_button = QToolButton(objectName="panelButton", text="Supports / refutes")
        self.stance_button.clicked.connect(self.toggle_stance)
        self.unlink_button = QToolButton(objectName="panelButton", text="Remove")
        self.unlink_button.setToolTip("Remove the chosen passage from the evidence (the text and any coding stay)")
        self.unlink_button.clicked.connect(self.remove_evidence)
        evidence_buttons = QHBoxLayout()
        self.evidence.setToolTip("Double-click a passage to read it in the transcript")
        self.list_button = QToolButton(objectName="panelButton", text="List all")
        self.list_button.setToolTip("List these passages with their context in “Coded passages”")
        self.list_button.clicked.connect(lambda: self.passages_requested.emit(self.config.id if self.config else None))
        evidence_buttons.addWidget(self.list_button)
        evidence_buttons.addStretch(1)
        evidence_buttons.addWidget(self.stance_button)
        evidence_buttons.addWidget(self.unlink_button)
        evidence_page = QWidget()
        page = QVBoxLayout(evidence_page)
        page.setContentsMargins(0, 4, 0, 0)
        page.addWidget(self.evidence)
        page.addLayout(evidence_buttons)

        self.history = named(QListWidget(objectName="cmoHistory"), "Refinement history",
                             "The configurations this one was refined from and led to; Enter opens one")
        self.history.itemActivated.connect(self._history_chosen)
        self.history.itemClicked.connect(self._history_chosen)

        self.memo = named(QPlainTextEdit(objectName="cmoMemo"), "Configuration memo")
        self.memo.setTabChangesFocus(True)
        self.memo.setPlaceholderText("Why this configuration, what the data say, what changed between versions…")
        self.memo.modificationChanged.connect(lambda modified: self.memo_button.setEnabled(modified))
        self.memo_button = QToolButton(objectName="panelButton", text="Save memo")
        self.memo_button.setEnabled(False)
        self.memo_button.clicked.connect(self.save_memo)
        memo_page = QWidget()
        page = QVBoxLayout(memo_page)
        page.setContentsMargins(0, 4, 0, 0)
        page.addWidget(self.memo)
        memo_buttons = QHBoxLayout()
        memo_buttons.addStretch(1)
        memo_buttons.addWidget(self.memo_button)
        page.addLayout(memo_buttons)

        self.tabs = named(QTabWidget(), "Configuration details")
        self.tabs.addTab(statements_page, "Statements")
        self.tabs.addTab(evidence_page, "Evidence")
        self.tabs.addTab(self.history, "History")
        self.tabs.setTabToolTip(2, "The refinements this configuration comes from and led to")
        self.tabs.addTab(memo_page, "Memo")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.concept)
        layout.addLayout(fields)
        layout.addWidget(self.draft)
        layout.addWidget(self.tabs, 1)
        self.show_configuration(None)

    # -- showing -----------------------------------------------------------------------------
    def show_configuration(self, configuration_id: int | None) -> None:
        self.save_memo()  # an edited memo is kept before another configuration is shown
        config = None
        if configuration_id is not None and self.workbench.project is not None:
            config = self.workbench.read(lambda s: _exists(s, configuration_id))
        self.config = config
        enabled = config is not None
        for widget in (self.concept, self.status, self.origin, self.refine_button, self.delete_button,
                       self.add_button, self.remove_button, self.themes_button, self.tabs, self.earlier_button,
                       self.later_button, self.write_button):
            widget.setEnabled(enabled)
        self._loading = True
        try:
            if config is None:
                self.title.setText("Choose a configuration, or tag a passage as C, M or O.")
                self.concept.clear()
                self.draft.clear()
                self.draft.hide()
                self.statements.setRowCount(0)
                self.sentence.clear()
                self.evidence.populate([])
                self.history.clear()
                self.memo.clear()
                self.memo.document().setModified(False)
                return
            self._show(config)
        finally:
            self._loading = False

    def _show(self, config: ConfigurationInfo) -> None:
        counts, evidence, history, themes = self.workbench.read(lambda s: (
            cmo_queries.evidence_counts(s, configuration_ids=[config.id])[config.id],
            cmo_evidence.evidence_for(s, configuration_id=config.id),
            cmo_queries.refinement_history(s, config.id),
            [nodes.get_node(s, node_id).name for node_id in config.node_ids]))
        total = counts.total
        self.title.setText(f"<b>{config.label}</b> · {config.template} template · "
                           f"{plural(total.spans, 'excerpt')} from {plural(total.cases, 'participant')}"
                           + (f"<br>Draws on: {escape(', '.join(themes))}" if themes else ""))
        if self.memo.toPlainText() != config.memo:
            self.memo.setPlainText(config.memo)
        self.memo.document().setModified(False)
        self.concept.setText(config.concept)
        self.status.setCurrentText(config.status)
        self.origin.setCurrentIndex(max(0, self.origin.findData(config.origin)))
        template = stored_template(config.template, config.roles)
        self.draft.setText("Draft: no " + ", ".join(f"{template.role(t).name} ({t})" for t in config.missing_roles)
                           + " statement yet" if config.missing_roles else "")
        self.draft.setVisible(bool(config.missing_roles))
        self.add_menu.clear()
        for role in template.roles:
            action = QAction(f"{role.name.capitalize()} ({role.token})", self.add_menu)
            action.triggered.connect(lambda _checked=False, token=role.token: self.add_statement(token))
            self.add_menu.addAction(action)
        self.statements.setRowCount(len(config.components))
        for row, component in enumerate(config.sentence_components):  # as the sentence reads them
            role = QTableWidgetItem(component.role)
            role.setFlags(role.flags() & ~Qt.ItemFlag.ItemIsEditable)
            role.setForeground(QBrush(for_text(role_color(component.role))))
            role.setData(ID_ROLE, component.id)
            statement = QTableWidgetItem(component.statement)
            statement.setData(ID_ROLE, component.id)
            spans = counts.components.get(component.id)
            excerpts = QTableWidgetItem(str(spans.spans if spans else 0))
            excerpts.setFlags(excerpts.flags() & ~Qt.ItemFlag.ItemIsEditable)
            excerpts.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate((role, statement, excerpts)):
                self.statements.setItem(row, column, item)
        self.statements.resizeRowsToContents()
        written = " (written out)" if config.written_sentence else ""
        self.sentence.setText(f"<span style='color:{tone_name(*QUIET)}'>Sentence{written}:</span> " + "".join(
            f"<b>{escape(text)}</b>" if marker else escape(text) for text, marker in config.sentence_parts()))
        self.evidence.populate(evidence)
        self.tabs.setTabText(1, f"Evidence ({len(evidence)})")
        self.history.clear()
        for step in history:
            info = step.configuration
            item = QListWidgetItem(f"{'    ' * step.depth}{'↳ ' if step.depth else ''}{info.label} — {info.status}")
            item.setData(ID_ROLE, info.id)
            item.setToolTip(info.sentence)
            if info.id == config.id:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.history.addItem(item)
        self.tabs.setTabText(2, f"History ({len(history)})" if len(history) > 1 else "History")

    def refresh(self) -> None:
        self.show_configuration(self.config.id if self.config else None)

    def current_component(self) -> int | None:
        row = self.statements.currentRow()
        item = self.statements.item(row, 0) if row >= 0 else None
        return int(item.data(ID_ROLE)) if item is not None else None

    # -- editing -----------------------------------------------------------------------------
    def _run(self, action: Any) -> Any:
        change = self.workbench.execute(action)
        if change is None:  # refused: show the stored values again
            self.refresh()
        return change

    def _concept_edited(self) -> None:
        if self._loading or self.config is None or self.concept.text().strip() == self.config.concept:
            return
        config_id, concept, seen = self.config.id, self.concept.text(), self.config.version
        self._run(lambda s: cmo.update_configuration(s, configuration_id=config_id, concept=concept,
                                                     coder_id=self.workbench.coder_id, expected_version=seen))

    def _status_chosen(self, _index: int) -> None:
        if self._loading or self.config is None or self.status.currentText() == self.config.status:
            return
        config_id, status, seen = self.config.id, self.status.currentText(), self.config.version
        self._run(lambda s: cmo.update_configuration(s, configuration_id=config_id, status=status,
                                                     coder_id=self.workbench.coder_id, expected_version=seen))

    def _origin_chosen(self, _index: int) -> None:
        if self._loading or self.config is None or self.origin.currentData() == self.config.origin:
            return
        config_id, origin, seen = self.config.id, str(self.origin.currentData()), self.config.version
        self._run(lambda s: cmo.update_configuration(s, configuration_id=config_id, origin=origin,
                                                     coder_id=self.workbench.coder_id, expected_version=seen))

    def _statement_edited(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 1 or self.config is None:
            return
        component_id, text = int(item.data(ID_ROLE)), item.text()
        shown = next((c for c in self.config.components if c.id == component_id), None)
        if shown is not None and text.strip() == shown.statement.strip():
            return
        seen = shown.version if shown is not None else None
        self._run(lambda s: cmo_statements.update_component(s, component_id=component_id, statement=text,
                                                            coder_id=self.workbench.coder_id, expected_version=seen))

    def add_statement(self, role: str, text: str = "") -> None:
        if self.config is None:
            return
        config_id = self.config.id
        wording = text or f"New {role} statement"
        change = self._run(lambda s: cmo_statements.add_component(s, configuration_id=config_id, role=role, statement=wording,
                                                       coder_id=self.workbench.coder_id))
        if change is not None and not text:
            for row in range(self.statements.rowCount()):
                if self.statements.item(row, 0).data(ID_ROLE) == change.result:
                    self.statements.setCurrentCell(row, 1)
                    self.statements.editItem(self.statements.item(row, 1))

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.statements and event.type() == QEvent.Type.KeyPress \
                and event.modifiers() & Qt.KeyboardModifier.AltModifier \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_in_sentence(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def move_in_sentence(self, step: int) -> None:
        """Move the chosen statement one place earlier or later in the sentence."""
        component_id = self.current_component()
        if self.config is None or component_id is None:
            return
        order = [c.id for c in self.config.sentence_components]
        row = order.index(component_id)
        if not 0 <= row + step < len(order):
            return
        order.insert(row + step, order.pop(row))
        config_id = self.config.id
        self._run(lambda s: cmo_statements.set_sentence_order(s, configuration_id=config_id, component_ids=order,
                                                              coder_id=self.workbench.coder_id))
        self.statements.selectRow(row + step)

    def write_sentence(self) -> None:
        """Write the sentence out as the authors did, markers in place (empty: build it again)."""
        if self.config is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, "Sentence", "The sentence as the paper writes it, with (C), (M), (O) where they belong "
            "(empty: build it from the statements):", self.config.written_sentence or self.config.sentence)
        if ok and text.strip() != self.config.sentence:
            config_id = self.config.id
            self._run(lambda s: cmo_statements.set_written_sentence(s, configuration_id=config_id, sentence=text,
                                                                    coder_id=self.workbench.coder_id))

    def remove_statement(self) -> None:
        component_id = self.current_component()
        if component_id is not None:
            self._run(lambda s: cmo_statements.delete_component(s, component_id=component_id, coder_id=self.workbench.coder_id))

    def choose_themes(self) -> ThemesDialog | None:
        """Open the choice of theme nodes the configuration draws on; OK sets them in one step."""
        if self.config is None:
            return None
        config_id = self.config.id
        dialog = ThemesDialog(self.config.label, self.workbench.read(nodes.list_nodes), self.config.node_ids,
                              parent=self.window())

        def apply() -> None:
            chosen = dialog.chosen()
            self._run(lambda s: cmo_statements.set_linked_nodes(s, configuration_id=config_id, node_ids=chosen,
                                                                coder_id=self.workbench.coder_id))

        return open_dialog(self, dialog, apply)

    def toggle_stance(self) -> None:
        item = self.evidence.current_evidence()
        if item is not None:
            stance = "refutes" if item.stance == "supports" else "supports"
            self._run(lambda s: cmo_evidence.update_evidence(s, evidence_id=item.id, stance=stance,
                                                             coder_id=self.workbench.coder_id))

    def remove_evidence(self) -> None:
        item = self.evidence.current_evidence()
        if item is not None:
            self._run(lambda s: cmo_evidence.delete_evidence(s, evidence_id=item.id, coder_id=self.workbench.coder_id))

    def refine(self) -> None:
        if self.config is None:
            return
        config_id = self.config.id
        change = self._run(lambda s: cmo.refine_configuration(s, configuration_id=config_id,
                                                              coder_id=self.workbench.coder_id))
        if change is not None:
            self.configuration_requested.emit(int(change.result))

    def delete(self) -> None:
        if self.config is None:
            return
        config_id, label = self.config.id, self.config.label
        if self._run(lambda s: cmo.delete_configuration(s, configuration_id=config_id,
                                                        coder_id=self.workbench.coder_id)) is not None:
            tell(self.workbench, f"Deleted {label} (Edit ▸ Undo brings it back).")
            self.configuration_requested.emit(None)

    def save_memo(self) -> None:
        if self.config is None or not self.memo.document().isModified():
            return
        self.memo.document().setModified(False)
        config_id, text, seen = self.config.id, self.memo.toPlainText(), self.config.version
        if text != self.config.memo and self.workbench.read(lambda s: _exists(s, config_id)) is not None:
            self._run(lambda s: cmo.update_configuration(s, configuration_id=config_id, memo=text,
                                                         coder_id=self.workbench.coder_id, expected_version=seen))

    def _history_chosen(self, item: QListWidgetItem) -> None:
        value = item.data(ID_ROLE)
        if value is not None and (self.config is None or int(value) != self.config.id):
            self.configuration_requested.emit(int(value))


def tell(workbench: Any, text: str) -> None:
    """A status-bar message, where the workbench has a status bar."""
    show = getattr(workbench, "status_message", None)
    if callable(show):
        show(text)




def _exists(session: Any, configuration_id: int) -> ConfigurationInfo | None:
    """The configuration, or None when it has gone (deleted, or undone)."""
    infos = cmo.list_configurations(session, ids=[configuration_id])
    return infos[0] if infos else None
