"""The CMO workspace: configurations grouped by concept with their status and evidence
counts, filters (status, origin, a case attribute such as deprivation = high), and the
chosen configuration's statements, evidence and refinements below. Double-clicking a
configuration or a concept lists its tagged passages in "Coded passages"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.enums import CmoStatus
from qualcode.gui.contributions import PassageSource
from qualcode.gui.realist.detail import ORIGINS, CmoDetailPanel
from qualcode.gui.realist.tree import CONCEPT_ROLE, ID_ROLE, CmoTree
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.shown_refresh import RefreshWhenShown
from qualcode.services.commands import Change
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.services.realist import queries as cmo_queries
from qualcode.services.realist.configurations import ConfigurationInfo

# What the workspace shows depends on these (coding changes that matter reach cmo_evidence).
CMO_TABLES = ("cmo_configuration", "cmo_component", "cmo_evidence", "cmo_configuration_node", "document", "case",
              "case_document", "attribute", "attribute_value")
ANY = "Any"


def evidence_source(*, configuration: ConfigurationInfo | None = None, concept: str | None = None) -> PassageSource:
    """The passages tagged as evidence for one configuration, for a concept's configurations,
    or for any configuration, as a list for "Coded passages"."""
    config_id = configuration.id if configuration is not None else None
    if configuration is not None:
        title = f"{configuration.label}" + (f" ({configuration.concept})" if configuration.concept else "")
    elif concept is not None:
        title = f"{concept or 'No concept'} (all its configurations)"
    else:
        title = "All CMO configurations"

    def fetch(session: Any, quiet: bool) -> list[Any]:
        return cmo_evidence.evidence_segments(session, configuration_id=config_id, concept=concept,
                                              exclude_interviewer=quiet)

    return PassageSource(title, fetch, (*CMO_TABLES, "coding"), noun="tagged passage")


class CmoWorkspace(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cmoWorkspace")
        self.workbench = workbench
        self.configs: list[ConfigurationInfo] = []
        self.pending_concept = ""  # the concept a configuration started by tagging goes into
        self._reloader = RefreshWhenShown(self, self.reload)  # a hidden workspace catches up when shown
        self._choosing = False
        self._redraw_after_choice = False

        self.status_filter = named(QComboBox(), "Filter by status")
        self.status_filter.addItem(f"Status: {ANY.lower()}", None)
        for status in CmoStatus:
            self.status_filter.addItem(status.value.capitalize(), status.value)
        self.origin_filter = named(QComboBox(), "Filter by origin")
        self.origin_filter.addItem(f"Origin: {ANY.lower()}", None)
        for value, label in ORIGINS.items():
            self.origin_filter.addItem(label, value)
        self.attribute_filter = named(QComboBox(), "Filter by case attribute",
                                      "Show configurations with evidence from cases that have a value")
        self.value_filter = named(QComboBox(), "Case attribute value")
        self.value_filter.setVisible(False)
        for combo in (self.status_filter, self.origin_filter, self.value_filter):
            combo.activated.connect(lambda _i: self.refresh())
        self.attribute_filter.activated.connect(lambda _i: self._attribute_chosen())
        self.new_button = QToolButton(objectName="panelButton", text="New configuration")
        self.new_button.setToolTip("The next passage tagged as C, M or O starts a new configuration")
        self.new_button.clicked.connect(self.start_new)
        filters = QHBoxLayout()
        filters.setContentsMargins(6, 4, 6, 0)
        for widget in (self.status_filter, self.origin_filter, self.attribute_filter, self.value_filter):
            # Narrow docks: the filters shrink to a few letters rather than widen the dock.
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(5)
            filters.addWidget(widget, 1)

        self.target = QLabel("", objectName="hintLabel")
        self.target.setWordWrap(True)
        target_row = QHBoxLayout()
        target_row.setContentsMargins(8, 0, 6, 0)
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.new_button)
        self.tree = named(CmoTree(), "Configurations", "CMO configurations grouped by concept; Enter or "
                          "double-click lists the passages tagged for one")
        self.detail = CmoDetailPanel(workbench)
        self.tree.configuration_selected.connect(self._chosen)
        self.tree.itemActivated.connect(lambda item, _column: self.list_passages(
            item.data(0, ID_ROLE), item.data(0, CONCEPT_ROLE)))
        self.tree.setToolTip("Double-click a configuration or a concept to list its tagged passages "
                             "in “Coded passages”")
        self.detail.configuration_requested.connect(self.select_configuration)
        self.detail.passages_requested.connect(self.list_passages)
        self.detail.setMinimumHeight(280)  # below that, the detail scrolls rather than squashes
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes into the details, which scroll into view
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setWidget(self.detail)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(scroller)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(target_row)
        layout.addWidget(split, 1)
        self.workbench.changed.connect(self.on_change)
        self._show_target()
        self.reload()

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the filter choices and the configurations."""
        if self.workbench.project is None:
            self.configs = []
            self.tree.populate([], {})
            self.detail.show_configuration(None)
            self._fill_attributes({})
            return
        self._fill_attributes(self.workbench.read(cmo_queries.case_attribute_values))
        self.refresh()

    def refresh(self) -> None:
        if self.workbench.project is None:
            return
        status, origin = self.status_filter.currentData(), self.origin_filter.currentData()
        attribute = self.attribute_filter.currentData()
        value = self.value_filter.currentData() if attribute else None

        def query(session: Any) -> tuple[list[ConfigurationInfo], dict[int, cmo_queries.ConfigurationCounts]]:
            configs = cmo_queries.filter_configurations(session, status=status, origin=origin,
                                                        case_attribute=attribute, case_value=value)
            return configs, cmo_queries.evidence_counts(session, configuration_ids=[c.id for c in configs])

        self.configs, counts = self.workbench.read(query)
        self.tree.populate(self.configs, counts)
        self.detail.show_configuration(self.tree.current_configuration())
        self._show_target()

    def on_change(self, change: Change | None) -> None:
        if change is None:
            if self.workbench.project is not None and not self._reloader.on_screen():
                self._reloader.stale = True  # a project opened with the workspace hidden: read it when shown
                self.configs = []
                self.tree.populate([], {})
                self.detail.show_configuration(None)
                return
            self._reloader.stale = False
            self.reload()
        elif change.affects(*CMO_TABLES):
            if self._choosing:  # e.g. a memo saved while leaving a configuration: redraw afterwards
                self._redraw_after_choice = True
                return
            if not self._reloader.on_screen():  # a hidden workspace catches up when it is shown
                self._reloader.stale = True
                return
            if change.affects("attribute", "attribute_value"):
                self._fill_attributes(self.workbench.read(cmo_queries.case_attribute_values))
            self.refresh()

    def _fill_attributes(self, values: dict[str, list[str]]) -> None:
        self._values = values
        chosen = self.attribute_filter.currentData()
        self.attribute_filter.clear()
        self.attribute_filter.addItem("Cases: all", None)
        for name in values:
            self.attribute_filter.addItem(name, name)
        self.attribute_filter.setCurrentIndex(max(0, self.attribute_filter.findData(chosen)))
        self._fill_values()

    def _fill_values(self) -> None:
        attribute = self.attribute_filter.currentData()
        chosen = self.value_filter.currentData()
        self.value_filter.clear()
        for value in self._values.get(attribute, []) if attribute else []:
            self.value_filter.addItem(f"= {value}", value)
        self.value_filter.setCurrentIndex(max(0, self.value_filter.findData(chosen)))
        self.value_filter.setVisible(bool(attribute))

    def _attribute_chosen(self) -> None:
        self._fill_values()
        self.refresh()

    # -- choosing ----------------------------------------------------------------------------
    def current_configuration(self) -> int | None:
        return self.tree.current_configuration()

    def current_concept(self) -> str | None:
        return self.tree.current_concept()

    def select_configuration(self, configuration_id: int | None) -> None:
        if configuration_id is not None and self.tree.item_for(configuration_id) is None:
            self.status_filter.setCurrentIndex(0)  # a new or filtered-out configuration: show everything
            self.origin_filter.setCurrentIndex(0)
            self.attribute_filter.setCurrentIndex(0)
            self._fill_values()
            self.refresh()
        self.tree.select_configuration(configuration_id)

    def list_passages(self, configuration_id: int | None, concept: str | None = None) -> None:
        """List a configuration's tagged passages (or, for None, those of the concept's
        configurations) in "Coded passages"."""
        config = next((c for c in self.configs if c.id == configuration_id), None)
        if config is not None:
            self.workbench.show_passages(evidence_source(configuration=config))
        elif concept is not None:
            self.workbench.show_passages(evidence_source(concept=concept))

    def start_new(self) -> None:
        """Let the next tag start a new configuration, in the concept chosen now."""
        concept = self.current_concept()
        if concept is not None:
            self.pending_concept = concept
        self.tree.select_configuration(None)

    def concept_for_new(self) -> str:
        """The concept of a configuration about to be started by tagging: the concept chosen in
        the tree, or the one in use when 'New configuration' was pressed."""
        concept = self.current_concept()
        return concept if concept is not None else self.pending_concept

    def _chosen(self, configuration_id: int | None) -> None:
        self._choosing = True
        try:
            self.detail.show_configuration(configuration_id)
        finally:
            self._choosing = False
        if self._redraw_after_choice:
            self._redraw_after_choice = False
            QTimer.singleShot(0, self.refresh)  # not while the tree is still changing its current item
        self._show_target()

    def _show_target(self) -> None:
        config = next((c for c in self.configs if c.id == self.tree.current_configuration()), None)
        if config is None:
            self.target.setText("Tagging (Ctrl+Alt+C / M / O) starts a new configuration.")
        else:
            self.target.setText(f"Tagging (Ctrl+Alt+C / M / O) adds to <b>{config.label}</b>"
                                f"{' · ' + config.concept if config.concept else ''}.")
