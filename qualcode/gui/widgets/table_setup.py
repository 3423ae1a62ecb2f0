"""The read-only table views the analysis panels share, set up alike."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QTableView, QWidget


def result_table(model: QAbstractItemModel, name: str, *, rows: bool = True, multi: bool = False) -> QTableView:
    """A table of results: no editing, no grid, compact rows; selecting rows or single cells."""
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab moves on to the next control; the arrow keys move between cells
    behaviour = QAbstractItemView.SelectionBehavior.SelectRows if rows else QAbstractItemView.SelectionBehavior.SelectItems
    table.setSelectionBehavior(behaviour)
    mode = QAbstractItemView.SelectionMode.ExtendedSelection if multi else QAbstractItemView.SelectionMode.SingleSelection
    table.setSelectionMode(mode)
    table.setShowGrid(not rows)
    table.setWordWrap(False)
    table.setAlternatingRowColors(rows)
    table.verticalHeader().setDefaultSectionSize(22)
    table.verticalHeader().setVisible(not rows)
    table.horizontalHeader().setHighlightSections(False)
    return table


def fit_columns(table: QTableView, *, compact_over: int = 12, width: int = 64) -> None:
    """Columns sized to their contents, or, when there are many, narrow and alike with their
    headers elided (the full label is in the tooltip) so the grid stays readable."""
    model = table.model()
    header = table.horizontalHeader()
    if model.columnCount() > compact_over:
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column in range(model.columnCount()):
            header.resizeSection(column, width)
    else:
        table.resizeColumnsToContents()


def beside(main: QWidget, details: QWidget) -> QSplitter:
    """A result table with its details to the right (panels live in wide, low docks), 3:2."""
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(main)
    split.addWidget(details)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    split.setChildrenCollapsible(False)
    return split
