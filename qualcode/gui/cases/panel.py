"""The case sheet panel: cases (participants, sites, studies) as rows, their attributes as
columns, edited in place like a spreadsheet; filtered by kind; cases and attributes added,
renamed and deleted, documents linked. Every edit is one undoable step (Ctrl+Z)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.text import plural
from qualcode.gui.cases.attribute_dialog import NewAttributeDialog
from qualcode.gui.cases.cell_delegate import CaseCellDelegate
from qualcode.gui.cases.documents_dialog import CaseDocumentsDialog
from qualcode.gui.cases.sheet_model import CASE, DOCUMENTS, KIND, CaseSheetModel
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.widgets.shown_refresh import RefreshWhenShown
from qualcode.services.cases import cases as case_service
from qualcode.services.cases.case_grid import (
    CaseGrid,
    CaseKind,
    delete_attribute,
    read_case_grid,
    rename_attribute,
    set_case_documents,
)
from qualcode.services.commands import Change

KIND_FILTERS = (("All kinds", ""), ("Participants", CaseKind.PARTICIPANT.value), ("Sites", CaseKind.SITE.value),
                ("Studies", CaseKind.STUDY.value))
SHEET_KEYS = (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter)
NO_MODIFIERS = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
TABLES = ("case", "attribute", "attribute_value", "case_document", "document", "reference")


class CaseSheetView(QTableView):
    """Spreadsheet keys: typing or F2 edits a cell, Enter edits it (and commits when editing),
    Tab commits and moves to the next cell; on the Documents column they open the documents chooser."""

    documents_requested = Signal(QModelIndex)

    def edit(self, index: QModelIndex | QPersistentModelIndex,  # type: ignore[override]
             trigger: QAbstractItemView.EditTrigger = QAbstractItemView.EditTrigger.AllEditTriggers,
             event: Any = None) -> bool:
        if index.isValid() and index.column() == DOCUMENTS and trigger in (
                QAbstractItemView.EditTrigger.EditKeyPressed, QAbstractItemView.EditTrigger.DoubleClicked):
            if not self.model().sourceModel().read_only:  # type: ignore[attr-defined]
                self.documents_requested.emit(self.model().index(index.row(), index.column()))
                return True
            return False
        return super().edit(index, trigger, event)

    def event(self, event: QEvent) -> bool:
        # F2 and Enter edit the sheet's cell here, not the window's shortcut (F2 renames a node).
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in SHEET_KEYS and event.modifiers() in NO_MODIFIERS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState \
                and self.currentIndex().isValid():
            self.edit(self.currentIndex(), QAbstractItemView.EditTrigger.EditKeyPressed, event)
            return
        super().keyPressEvent(event)


class CaseSheetPanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseSheetPanel")
        self.workbench = workbench
        self.dialog: Any = None  # the dialog open now (see open_dialog)
        self.model = CaseSheetModel(workbench)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(KIND)

        self.kind = QComboBox(objectName="caseKindFilter")
        for label, value in KIND_FILTERS:
            self.kind.addItem(label, value)
        self.kind.setAccessibleName("Show cases of kind")
        self.kind.currentIndexChanged.connect(self._filter)
        self.count = QLabel("", objectName="caseCount")
        self.add_case_button = QPushButton("Add case…", objectName="addCaseButton")
        self.add_attribute_button = QPushButton("Add attribute…", objectName="addAttributeButton")
        self.documents_button = QPushButton("Documents…", objectName="caseDocumentsButton")
        self.documents_button.setToolTip("Link or unlink documents of the chosen case")
        self.more = QPushButton("More", objectName="caseSheetMore")
        self.more.setAccessibleName("More case sheet actions")
        menu = QMenu(self.more)
        self.rename_case_action = QAction("Rename case", self)
        self.rename_attribute_action = QAction("Rename attribute…", self)
        self.delete_attribute_action = QAction("Delete attribute…", self)
        self.delete_case_action = QAction("Delete case…", self)
        for action in (self.rename_case_action, self.rename_attribute_action, self.delete_attribute_action,
                       self.delete_case_action):
            menu.addAction(action)
        self.more.setMenu(menu)
        self.message = QLabel("", objectName="caseSheetMessage")
        self.message.setAccessibleName("Case sheet message")
        self.message.setWordWrap(False)
        self.message.setVisible(False)

        self.table = CaseSheetView(objectName="caseSheet")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(CaseCellDelegate(self.model, self.table))
        self.table.setAccessibleName("Case sheet")
        self.table.setAccessibleDescription("One row per case, one column per attribute. Type or press F2 to edit "
                                            "a cell, Enter to commit, Tab to move on; Ctrl+Z undoes.")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Tab in a cell being edited commits it and opens the next; Tab on the sheet otherwise goes
        # on to the panel's next control (the arrow keys move between cells), so the keyboard is never
        # caught in the sheet.
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().customContextMenuRequested.connect(self._header_menu)
        self.table.horizontalHeader().sectionDoubleClicked.connect(self._header_double_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._cell_menu)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.kind)
        bar.addWidget(self.count)
        bar.addStretch(1)
        for button in (self.add_case_button, self.add_attribute_button, self.documents_button, self.more):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.add_case_button.clicked.connect(self.add_case)
        self.add_attribute_button.clicked.connect(self.add_attribute)
        self.documents_button.clicked.connect(lambda: self.choose_documents(self.table.currentIndex()))
        self.table.documents_requested.connect(self.choose_documents)
        self.rename_case_action.triggered.connect(self.rename_case)
        self.rename_attribute_action.triggered.connect(lambda: self.rename_attribute(self._current_column()))
        self.delete_attribute_action.triggered.connect(lambda: self.delete_attribute(self._current_column()))
        self.delete_case_action.triggered.connect(self.delete_case)
        self.model.refused.connect(self.say)
        self.model.modelReset.connect(self._after_reset)
        self.refresher = RefreshWhenShown(self, self.reload)
        workbench.changed.connect(self.on_change)
        self._set_editable(True)

    # -- reading -----------------------------------------------------------------------------
    def on_change(self, change: Change | None) -> None:
        if change is None:
            self._set_editable(not getattr(self.workbench, "read_only", False))
            self.say("")
        if change is None or change.affects(*TABLES):
            if change is not None:
                self.say("")  # an edit went through: an earlier refusal is no longer news
            self.refresher.request()

    def reload(self) -> None:
        if self.workbench.project is None:
            self.model.set_grid(CaseGrid((), (), {}))
            return
        self.model.set_grid(self.workbench.read(read_case_grid))
        self._count()

    def _after_reset(self) -> None:
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for column in range(self.proxy.columnCount()):  # snug, so a typical sheet fits a 1280 window
            wide = 260 if column == DOCUMENTS else 200
            header.resizeSection(column, max(56, min(header.sectionSize(column), wide)))
        self._count()

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(plural(total, "case") if shown == total else f"{shown:,} of {plural(total, 'case')}")

    def _filter(self) -> None:
        value = str(self.kind.currentData() or "")
        self.proxy.setFilterRegularExpression(QRegularExpression(f"^{value}$") if value else QRegularExpression())
        self._count()

    def _set_editable(self, editable: bool) -> None:
        self.model.set_read_only(not editable)
        for widget in (self.add_case_button, self.add_attribute_button, self.documents_button, self.more):
            widget.setEnabled(editable)
        self.table.setToolTip("" if editable else "The project is open read-only: the case sheet cannot be changed.")

    def say(self, text: str) -> None:
        """A one-line message under the sheet (and in the window's status bar)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setToolTip(text)
        if text and hasattr(self.workbench, "status_message"):
            self.workbench.status_message(text)

    # -- where the user is -------------------------------------------------------------------
    def _current_case(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row()).case_id

    def _current_column(self) -> int:
        index = self.table.currentIndex()
        return self.proxy.mapToSource(index).column() if index.isValid() else -1

    def go_to(self, case_id: int | None = None, column: int | None = None) -> None:
        """Make a case's cell (in `column`, else the current column) the current cell."""
        row = self.model.row_of_case(case_id) if case_id is not None else None
        current = self.proxy.mapToSource(self.table.currentIndex())
        row = row if row is not None else current.row() if current.isValid() else 0
        column = column if column is not None else current.column() if current.isValid() else CASE
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    # -- cases -------------------------------------------------------------------------------
    def add_case(self) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("newCaseDialog")
        dialog.setWindowTitle("New case")
        dialog.setLabelText("Name of the new case (a participant, a site, a study):")
        open_dialog(self, dialog, lambda: self._create_case(dialog.textValue()))

    def _create_case(self, name: str) -> None:
        coder = self.workbench.coder_id
        change = self.workbench.execute(lambda s: case_service.create_case(s, name=name, coder_id=coder))
        if change is not None:
            self.kind.setCurrentIndex(0)
            self.go_to(int(change.result), CASE)
            self.say(f"Added the case '{' '.join(name.split())}'. Ctrl+Z undoes it.")
            self.table.setFocus()

    def rename_case(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.go_to(None, CASE)
            self.table.edit(self.table.currentIndex())

    def delete_case(self) -> None:
        case_id = self._current_case()
        if case_id is None:
            self.say("Choose a case in the sheet first.")
            return
        row = self.model.row_at(self.model.row_of_case(case_id) or 0)
        box = QMessageBox(QMessageBox.Icon.Question, "Delete case",
                          f"Delete the case '{row.name}' and its attribute values? "
                          + ("Its documents stay in the project." if row.document_ids else "It has no documents."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("deleteCaseBox")
        coder = self.workbench.coder_id
        open_dialog(self, box, lambda: self._done(self.workbench.execute(
            lambda s: case_service.delete_case(s, case_id=case_id, coder_id=coder)), f"Deleted the case '{row.name}'."))

    def choose_documents(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.say("Choose a case in the sheet first.")
            return
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        dialog = CaseDocumentsDialog(self, row.name, self.model.grid.documents, row.document_ids)
        coder = self.workbench.coder_id

        def apply() -> None:
            chosen = dialog.document_ids()
            if set(chosen) == set(row.document_ids):
                return
            self._done(self.workbench.execute(lambda s: set_case_documents(
                s, case_id=row.case_id, document_ids=chosen, coder_id=coder)),
                f"{row.name} now has {plural(len(chosen), 'document')}.")

        open_dialog(self, dialog, apply)

    # -- attributes --------------------------------------------------------------------------
    def add_attribute(self) -> None:
        dialog = NewAttributeDialog(self)
        open_dialog(self, dialog, lambda: self._create_attribute(dialog.name.text(), dialog.attribute_type()))

    def _create_attribute(self, name: str, type_: str) -> None:
        coder = self.workbench.coder_id
        change = self.workbench.execute(lambda s: case_service.create_attribute(
            s, name=name, type=type_, scope="case", coder_id=coder))
        if change is not None:
            self.go_to(None, self.model.column_of_attribute(int(change.result)))
            self.say(f"Added the {type_} attribute '{' '.join(name.split())}'. Ctrl+Z undoes it.")
            self.table.setFocus()

    def rename_attribute(self, column: int) -> None:
        attribute = self.model.column_at(column)
        if attribute is None:
            self.say("Choose a cell in an attribute's column first.")
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("renameAttributeDialog")
        dialog.setWindowTitle("Rename attribute")
        dialog.setLabelText(f"New name for the attribute '{attribute.name}':")
        dialog.setTextValue(attribute.name)
        coder = self.workbench.coder_id
        open_dialog(self, dialog, lambda: self._done(self.workbench.execute(lambda s: rename_attribute(
            s, attribute_id=attribute.id, name=dialog.textValue(), coder_id=coder)),
            f"Renamed the attribute '{attribute.name}'."))

    def delete_attribute(self, column: int) -> None:
        attribute = self.model.column_at(column)
        if attribute is None:
            self.say("Choose a cell in an attribute's column first.")
            return
        filled = sum(1 for r in self.model.grid.rows if attribute.id in r.values)
        box = QMessageBox(QMessageBox.Icon.Question, "Delete attribute",
                          f"Delete the attribute '{attribute.name}' and its values for {plural(filled, 'case')}?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("deleteAttributeBox")
        coder = self.workbench.coder_id
        open_dialog(self, box, lambda: self._done(self.workbench.execute(
            lambda s: delete_attribute(s, attribute_id=attribute.id, coder_id=coder)),
            f"Deleted the attribute '{attribute.name}'."))

    def _done(self, change: Change | None, text: str) -> None:
        if change is not None:
            self.say(f"{text} Ctrl+Z undoes it.")

    # -- menus -------------------------------------------------------------------------------
    def _header_double_clicked(self, section: int) -> None:
        if not self.model.read_only:
            self.rename_attribute(section)  # the filter hides rows only: columns are the model's

    def _header_menu(self, point: QPoint) -> None:
        section = self.table.horizontalHeader().logicalIndexAt(point)
        if self.model.column_at(section) is None or self.model.read_only:
            return
        menu = QMenu(self)
        menu.addAction("Rename attribute…", lambda: self.rename_attribute(section))
        menu.addAction("Delete attribute…", lambda: self.delete_attribute(section))
        menu.popup(self.table.horizontalHeader().mapToGlobal(point))

    def _cell_menu(self, point: QPoint) -> None:
        if self.model.read_only:
            return
        menu = QMenu(self)
        index = self.table.indexAt(point)
        if index.isValid():
            self.table.setCurrentIndex(index)
            menu.addAction("Documents…", lambda: self.choose_documents(index))
            menu.addAction(self.rename_case_action)
            if self.model.column_at(self.proxy.mapToSource(index).column()) is not None:
                menu.addAction(self.rename_attribute_action)
                menu.addAction(self.delete_attribute_action)
            menu.addAction(self.delete_case_action)
            menu.addSeparator()
        menu.addAction("Add case…", self.add_case)
        menu.addAction("Add attribute…", self.add_attribute)
        menu.popup(self.table.viewport().mapToGlobal(point))
