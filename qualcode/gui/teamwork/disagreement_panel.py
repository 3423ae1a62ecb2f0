"""Disagreement review: the places where coders differ, each coder's version in context, and
the reviewer's decision (accept one, both, neither), recorded as an undoable command."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.text import plural
from qualcode.gui.contributions import Workbench
from qualcode.gui.style import NOTE, QUIET, TEXT, for_text, tone, tone_name
from qualcode.gui.teamwork.check_list import CheckList
from qualcode.gui.widgets.accessible import named
from qualcode.services.coders import list_coders
from qualcode.services.teamwork.disagreements import (
    ACTION,
    CONSENSUS,
    Decision,
    Disagreement,
    list_disagreements,
    resolve_disagreement,
)

_INDEX = Qt.ItemDataRole.UserRole


def _tint(color: str) -> str:
    """A light background of the coder's colour, so the text stays readable."""
    c = QColor(color)
    return QColor(int(c.red() * 0.3 + 255 * 0.7), int(c.green() * 0.3 + 255 * 0.7),
                  int(c.blue() * 0.3 + 255 * 0.7)).name()


def place_html(place: Disagreement, colors: dict[int, str]) -> str:
    """Each coder's version of the place, in context, their spans highlighted in their colour."""
    offset = place.start - len(place.before.removeprefix("…"))
    context = place.before.removeprefix("…") + place.text + place.after.removesuffix("…")
    lead = "…" if place.before.startswith("…") else ""
    tail = "…" if place.after.endswith("…") else ""
    parts = [f"<p><b>{html.escape(place.node)}</b> in <b>{html.escape(place.document)}</b>, "
             f"characters {place.start}–{place.end}"
             + (f" — decided: <i>{html.escape(place.decision)}</i>" if place.decision else "") + "</p>"]
    for version in place.versions:
        color = colors.get(version.coder_id, "#1f77b4")
        cursor, pieces = 0, []
        for start, end in version.spans:
            s, e = max(start - offset, cursor), max(end - offset, cursor)
            pieces.append(html.escape(context[cursor:s]))
            pieces.append(f"<span style='background-color:{_tint(color)}; color:#1b2530; border-bottom:2px solid {color}'>"
                          f"{html.escape(context[s:e])}</span>")
            cursor = e
        pieces.append(html.escape(context[cursor:]))
        body = "".join(pieces).replace("\n", "<br>")
        label = "did not code this" if not version.spans else \
            f"{plural(len(version.spans), 'coding')}"
        parts.append(f"<p><b style='color:{for_text(color).name()}'>{html.escape(version.coder)}</b> "
                     f"<span style='color:{tone_name(*NOTE)}'>({label})</span><br>{lead}{body}{tail}</p>")
    return "".join(parts)


class DisagreementPanel(QWidget):
    """Find where coders differ, read each version, record a decision."""

    def __init__(self, workbench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.setObjectName("disagreementPanel")
        self.places: list[Disagreement] = []
        self.colors: dict[int, str] = {}
        self._searched = False
        self.coders = named(CheckList(self), "Coders to compare", "Tick two or more coders, then Find places")
        self.coders.setMaximumHeight(58)
        self.find_button = QPushButton("Find places", self)
        self.find_button.clicked.connect(self.find)
        self.coders.selection_changed.connect(
            lambda: self.find_button.setEnabled(len(self.coders.checked_ids()) >= 2))
        self.summary = QLabel("Choose two or more coders, then Find places.", self)
        self.summary.setObjectName("disagreementSummary")
        self.summary.setWordWrap(True)
        self.list = named(QTreeWidget(self), "Places the coders disagree",
                          "Document, code, passage and the decision taken")
        self.list.setObjectName("disagreementList")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(["Document", "Code", "Passage", "Decision"])
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, 120)
        header.resizeSection(1, 120)
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.detail = named(QTextBrowser(self), "Each coder's version of the chosen place")
        self.detail.setObjectName("disagreementDetail")
        self.decisions = QHBoxLayout()
        self.consensus = QCheckBox("Record as codings of", self)
        self.consensus.setChecked(True)
        self.consensus_name = named(QLineEdit(CONSENSUS, self), "Consensus coder",
                                    "The coder an accepted version is recorded as")
        self.consensus_name.setMaximumWidth(160)
        self.show_button = QPushButton("Show in document", self)
        self.show_button.clicked.connect(self._show_in_document)
        self._layout()
        self.workbench.changed.connect(self._on_changed)
        self.load_coders()

    def _layout(self) -> None:
        """Places on the left, the chosen place and the decision on the right (fits a bottom dock)."""
        top = QHBoxLayout()
        top.addWidget(self.coders, 1)
        top.addWidget(self.find_button, 0, Qt.AlignmentFlag.AlignTop)
        places = QWidget(self)
        places_layout = QVBoxLayout(places)
        places_layout.setContentsMargins(0, 0, 0, 0)
        places_layout.addLayout(top)
        places_layout.addWidget(self.summary)
        places_layout.addWidget(self.list, 1)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addLayout(self.decisions)
        options = QHBoxLayout()
        options.addWidget(self.consensus)
        options.addWidget(self.consensus_name)
        options.addStretch(1)
        options.addWidget(self.show_button)
        detail_layout.addLayout(options)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(places)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)

    def load_coders(self) -> None:
        if self.workbench.project is None:
            self.coders.fill([])
            return
        coders = self.workbench.read(list_coders)
        self.colors = {c.id: c.color for c in coders}
        people = [c for c in coders if c.name != CONSENSUS]
        self.coders.fill([(c.id, c.name) for c in coders], checked=[c.id for c in people[:2]], colors=self.colors)

    def find(self) -> None:
        coder_ids = self.coders.checked_ids()
        if len(coder_ids) < 2 or self.workbench.project is None:
            return
        self._searched = True
        current = self.current_place()
        self.places = self.workbench.read(lambda s: list_disagreements(s, coder_ids=coder_ids))
        self.list.clear()
        for index, place in enumerate(self.places):
            item = QTreeWidgetItem([place.document, place.node, " ".join(place.text.split())[:120],
                                    place.decision or ""])
            item.setData(0, _INDEX, index)
            if place.decision:
                for column in range(4):
                    item.setForeground(column, tone(*QUIET))
            self.list.addTopLevelItem(item)
        open_places = sum(1 for p in self.places if not p.decision)
        self.summary.setText(f"{plural(len(self.places), 'place')} where the coders "
                             f"differ; {open_places} without a decision.")
        keys = [p.key for p in self.places]
        if current is not None and current.key in keys:
            self.select(keys.index(current.key))
        elif self.places:
            self.select(0)
        else:
            self.detail.clear()
            self._decision_buttons(None)

    def select(self, index: int) -> None:
        self.list.setCurrentItem(self.list.topLevelItem(index))

    def current_place(self) -> Disagreement | None:
        item = self.list.currentItem()
        if item is None or not self.places:
            return None
        index = int(item.data(0, _INDEX))
        return self.places[index] if index < len(self.places) else None

    def _show_current(self) -> None:
        place = self.current_place()
        self.detail.setHtml(place_html(place, self.colors) if place else "")
        self._decision_buttons(place)

    def _decision_buttons(self, place: Disagreement | None) -> None:
        while self.decisions.count():
            widget = self.decisions.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        if place is None:
            return
        for version in place.versions:
            button = QPushButton(f"Accept {version.coder}", self)
            button.setObjectName(f"accept_{version.coder_id}")
            button.clicked.connect(lambda _=False, c=version.coder_id: self.decide(Decision.ACCEPT, c))
            button.setStyleSheet(f"color: {for_text(self.colors.get(version.coder_id, TEXT)).name()};")
            self.decisions.addWidget(button)
            button.show()
        for decision, label in ((Decision.BOTH, "Both" if len(place.versions) == 2 else "All"),
                                (Decision.NEITHER, "Neither" if len(place.versions) == 2 else "None")):
            button = QPushButton(label, self)
            button.setObjectName(f"decide_{decision.value}")
            button.clicked.connect(lambda _=False, d=decision: self.decide(d))
            self.decisions.addWidget(button)
            button.show()
        self.decisions.addStretch(1)

    def button(self, name: str) -> QPushButton:
        found = self.findChild(QPushButton, name)
        assert found is not None, name
        return found

    def decide(self, decision: Decision, coder_id: int | None = None) -> None:
        place = self.current_place()
        if place is None:
            return
        consensus = self.consensus_name.text().strip() if self.consensus.isChecked() else None
        reviewer = self.workbench.coder_id
        index = self.places.index(place)
        change = self.workbench.execute(lambda s: resolve_disagreement(
            s, place=place, decision=decision, accepted_coder_id=coder_id, consensus=consensus or None,
            reviewer_id=reviewer))
        if change is not None:
            self._advance(index)

    def _advance(self, index: int) -> None:
        """After a decision, move on to the next place still waiting for one."""
        for offset in range(1, len(self.places) + 1):
            candidate = (index + offset) % len(self.places)
            if not self.places[candidate].decision:
                self.select(candidate)
                return

    def _on_changed(self, change: Any) -> None:
        if change is None:
            self.places, self._searched = [], False
            self.list.clear()
            self.detail.clear()
            self.load_coders()
        elif self._searched and (change.affects("coding", "coder") or (
                change.command is not None and change.command.action == ACTION)):
            self.find()
        elif change.affects("coder"):
            self.load_coders()

    def _show_in_document(self) -> None:
        place = self.current_place()
        if place is not None:
            self.workbench.show_span(place.document_id, place.start, place.end)
