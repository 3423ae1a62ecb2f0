"""The themes review: every theme with its evidence counts and flags, the selected theme's
definition, criteria and example quotes, and the theme operations (group, promote, demote,
split, merge). Each operation is one undoable step through the workbench."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.levels import Level
from qualcode.domain.text import plural
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.style import QUIET, tone, tone_name
from qualcode.gui.themes.exemplar_list import CODING_ROLE, ExemplarOrderList
from qualcode.gui.themes.group_dialog import GroupThemeDialog
from qualcode.gui.themes.split_dialog import SplitThemeDialog
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.shown_refresh import RefreshWhenShown
from qualcode.services.coding import codings as coding_service
from qualcode.services.commands import Change
from qualcode.services.themes import themes as theme_service
from qualcode.services.themes.exemplars import exemplars_of, order_exemplars
from qualcode.services.themes.review import ThemeReview, review_themes

COLUMNS = ("Theme", "Level", "Codings", "Docs", "Participants", "Coders", "To check")
FLAG_COLOUR = "#a15c00"
_TABLES = ("node", "coding", "document", "case_document")


class ThemesReviewPanel(QWidget):
    map_requested = Signal()

    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("themesReviewPanel")
        self.setMinimumSize(480, 200)  # room for the toolbar, a few rows and the details
        self.workbench = workbench
        self.reviews: dict[int, ThemeReview] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        self.dialog: QDialog | None = None
        self._refresher = RefreshWhenShown(self, self.refresh)
        self._refresher.stale = True

        self.buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 4)
        bar.setSpacing(4)
        for key, text, tip, slot in (
            ("group", "Group…", "Put the selected themes under a new theme one level up", self.group),
            ("promote", "Promote", "Raise the selected theme one level", self.promote),
            ("demote", "Demote", "Lower the selected theme one level", self.demote),
            ("split", "Split…", "Move some of the theme's codings to a new theme beside it", self.split),
            ("merge", "Merge…", "Merge the selected themes into one", self.merge),
        ):
            button = QToolButton(objectName="panelButton", text=text, toolTip=tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        self.show_codes = QCheckBox("Show codes")
        self.show_codes.toggled.connect(self.refresh)
        bar.addWidget(self.show_codes)
        self.flags_only = QCheckBox("Only themes to check")
        self.flags_only.toggled.connect(self._apply_filter)
        bar.addWidget(self.flags_only)
        map_button = QToolButton(objectName="panelButton", text="Theme map…", toolTip="Preview and export the map")
        map_button.clicked.connect(self.map_requested.emit)
        bar.addWidget(map_button)

        self.tree = named(QTreeWidget(), "Themes", "Each theme with its codes, coverage and checks; "
                          "choose themes to group, split, merge or move them")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 280)
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.details = named(QTextBrowser(objectName="themeDetails"), "Theme details",
                             "The chosen theme's definition, checks and quotes; a quote's link opens it")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._open_quote)
        self.exemplars = named(ExemplarOrderList(), "Exemplar quotes",
                               "The order a themes table prints them in; Alt+Up or Alt+Down moves a quote")
        self.exemplars.order_changed.connect(self._reorder_exemplars)
        self.exemplar_box = QWidget()
        box = QVBoxLayout(self.exemplar_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        box.addWidget(QLabel("<b>Exemplar quotes</b>, in the order a themes table prints them "
                             "(drag to reorder, or Alt+↑ / Alt+↓):", wordWrap=True))
        box.addWidget(self.exemplars)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.details)
        side.addWidget(self.exemplar_box)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Horizontal)  # the panel lives in a wide, short dock
        split.addWidget(self.tree)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        workbench.changed.connect(self._changed)

    # -- contents ------------------------------------------------------------------------------
    def _changed(self, change: Change | None) -> None:
        if change is None or change.affects(*_TABLES):
            self._refresher.request()  # counted again when the panel is next shown

    def refresh(self) -> None:
        self._refresher.stale = False
        selected = self.selected_ids()
        collapsed = {i for i, item in self.items.items() if item.childCount() and not item.isExpanded()}
        self.tree.clear()
        self.items.clear()
        self.reviews = {}
        if self.workbench.project is not None:
            codes = self.show_codes.isChecked()
            self.reviews = {r.id: r for r in self.workbench.read(
                lambda s: review_themes(s, quotes_per_theme=3, include_codes=codes))}
            from qualcode.services.cases.participant_unit import participant_unit

            # Which cases the Participants column counts, on its header.
            self.tree.headerItem().setToolTip(COLUMNS.index("Participants"),
                                              self.workbench.read(lambda s: participant_unit(s).note()))
        for review in self.reviews.values():
            parent = self.items.get(review.parent_id) if review.parent_id is not None else None
            item = QTreeWidgetItem(parent if parent is not None else self.tree)
            self._fill(item, review)
            self.items[review.id] = item
        for node_id, item in self.items.items():
            item.setExpanded(node_id not in collapsed)
            item.setSelected(node_id in selected)
        self._apply_filter()
        self._selection_changed()

    def _fill(self, item: QTreeWidgetItem, review: ThemeReview) -> None:
        values = (review.name, review.level.label.replace(" theme", ""), review.codings, review.documents,
                  review.participants, review.coders, "; ".join(f.message for f in review.flags))
        for column, value in enumerate(values):
            item.setText(column, str(value))
            if isinstance(value, int):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setData(0, Qt.ItemDataRole.UserRole, review.id)
        item.setToolTip(0, review.definition or review.name)
        if review.level >= Level.ORGANISING:
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
        if review.flags:
            item.setForeground(6, QBrush(tone(FLAG_COLOUR, "#f0b45c")))
            item.setToolTip(6, "\n".join(f.message for f in review.flags))

    def _apply_filter(self) -> None:
        only = self.flags_only.isChecked()
        for node_id, item in reversed(self.items.items()):  # children before their parents
            flagged = bool(self.reviews[node_id].flags)
            below = any(not self.items[c].isHidden() for c in self._child_ids(node_id))
            item.setHidden(only and not flagged and not below)

    def _child_ids(self, node_id: int) -> list[int]:
        item = self.items[node_id]
        return [int(item.child(i).data(0, Qt.ItemDataRole.UserRole)) for i in range(item.childCount())]

    def selected_ids(self) -> list[int]:
        return [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.tree.selectedItems()]

    def select(self, node_ids: list[int]) -> None:
        self.tree.clearSelection()
        for node_id in node_ids:
            self.items[node_id].setSelected(True)

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        one = len(ids) == 1
        self.buttons["group"].setEnabled(bool(ids))
        for key in ("promote", "demote", "split"):
            self.buttons[key].setEnabled(one)
        self.buttons["merge"].setEnabled(len(ids) >= 2)
        self.details.setHtml(self._details_html(self.reviews[ids[0]]) if one else
                             f"<p style='color:{tone_name(*QUIET)}'>Select a theme to see its definition and quotes.</p>")
        self._show_exemplars(ids[0] if one else None)

    def _show_exemplars(self, node_id: int | None) -> None:
        found = [] if node_id is None or self.workbench.project is None else self.workbench.read(
            lambda s: exemplars_of(s, node_id))
        self.exemplars.show_exemplars(found)
        self.exemplar_box.setVisible(bool(found))

    def _reorder_exemplars(self, coding_ids: list[int]) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        current = self.exemplars.currentItem()
        moved = current.data(CODING_ROLE) if current is not None else None
        self._run(lambda s: order_exemplars(s, node_id=ids[0], coding_ids=coding_ids,
                                            coder_id=self.workbench.coder_id))
        self._show_exemplars(ids[0])
        if moved in coding_ids:
            self.exemplars.setCurrentRow(self.exemplars.coding_ids().index(moved))

    @staticmethod
    def _details_html(r: ThemeReview) -> str:
        e = html.escape
        parts = [f"<h3 style='margin:0'>{e(r.name)}</h3>",
                 f"<p style='color:{tone_name(*QUIET)}'>{e(r.level.label)} · {plural(r.codings, 'coding')} in "
                 f"{plural(r.documents, 'document')} · {plural(r.participants, 'participant')} · {plural(r.coders, 'coder')}</p>"]
        parts += [f"<p style='color:{FLAG_COLOUR}'>⚠ {e(f.message)}</p>" for f in r.flags]
        for label, text in (("Definition", r.definition), ("Include when", r.inclusion),
                            ("Exclude when", r.exclusion)):
            if text.strip():
                parts.append(f"<p><b>{label}:</b> {e(text).replace(chr(10), '<br>')}</p>")
        if r.quotes:
            parts.append("<p><b>Example quotes</b> (click to open):</p><ul>")
            for q in r.quotes:
                star = " ★" if q.exemplar else ""
                parts.append(f"<li><a href='quote:{q.document_id}:{q.start}:{q.end}'>{e(q.participant)}</a>{star}: "
                             f"{e(q.formatted(300).removeprefix(q.participant + ': '))}</li>")
            parts.append("</ul>")
        return "".join(parts)

    def _open_quote(self, url: QUrl) -> None:
        kind, _, rest = url.toString().partition(":")
        if kind == "quote":
            document_id, start, end = (int(v) for v in rest.split(":"))
            self.workbench.show_span(document_id, start, end)

    # -- operations ----------------------------------------------------------------------------

    def _tell(self, text: str) -> None:
        self.workbench.show_error(text)

    def _run(self, action: Any) -> Change | None:
        return self.workbench.execute(action)  # type: ignore[no-any-return]

    def group(self) -> QDialog | None:
        ids = self.selected_ids()
        if not ids:
            return None
        chosen = [self.reviews[i] for i in ids]
        dialog = GroupThemeDialog(self.workbench.main_window(), [r.name for r in chosen], max(r.level for r in chosen))

        def create() -> None:
            name, level, definition = dialog.name.text(), dialog.chosen_level(), dialog.definition.toPlainText()
            change = self._run(lambda s: theme_service.group_into_theme(
                s, node_ids=ids, name=name, level=level, definition=definition, coder_id=self.workbench.coder_id))
            if change is not None:
                self.select([change.result])

        return open_dialog(self, dialog, create)

    def promote(self) -> Change | None:
        return self._step(theme_service.promote_node)

    def demote(self) -> Change | None:
        return self._step(theme_service.demote_node)

    def _step(self, operation: Any) -> Change | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return None
        change = self._run(lambda s: operation(s, node_id=ids[0], coder_id=self.workbench.coder_id))
        if change is not None:
            self.select(ids)
        return change

    def split(self) -> QDialog | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return None
        node_id = ids[0]
        own = self.workbench.read(lambda s: coding_service.codings_of_node(s, node_id, include_descendants=False))
        if not own:
            self._tell(f"'{self.reviews[node_id].name}' has no codings of its own to split off: "
                       "split one of the themes or codes below it.")
            return None
        dialog = SplitThemeDialog(self.workbench.main_window(), self.reviews[node_id].name, own)

        def split() -> None:
            chosen, name = dialog.chosen(), dialog.name.text()
            self._run(lambda s: theme_service.split_node(s, node_id=node_id, coding_ids=chosen, name=name,
                                                         coder_id=self.workbench.coder_id))

        return open_dialog(self, dialog, split)

    def merge(self) -> QDialog | None:
        ids = self.selected_ids()
        if len(ids) < 2:
            return None
        labels = [f"{self.reviews[i].name} ({self.reviews[i].level.label.lower()})" for i in ids]
        dialog = QInputDialog(self.workbench.main_window())
        dialog.setWindowTitle("Merge themes")
        dialog.setLabelText("Keep which theme? The others are merged into it: codings combined, "
                            "definitions added for review.")
        dialog.setComboBoxItems(labels)
        dialog.setComboBoxEditable(False)

        def merge() -> None:
            target = ids[labels.index(dialog.textValue())]
            sources = [i for i in ids if i != target]
            change = self._run(lambda s: theme_service.merge_themes(
                s, source_ids=sources, target_id=target, coder_id=self.workbench.coder_id))
            if change is not None:
                self.select([target])

        return open_dialog(self, dialog, merge)


__all__ = ["ThemesReviewPanel"]
