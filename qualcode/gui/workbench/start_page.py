"""What the window shows when no project is open: new, open, the demo, recent projects."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qualcode import __version__
from qualcode.domain.location import describe_team_url, is_team_url, team_account

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class StartPage(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(object)  # a project file's Path, or a team project's URL

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        title = QLabel("QualCode", objectName="startTitle")
        tagline = QLabel("Code interview transcripts, build thematic networks, test programme theories.",
                         objectName="startTagline")
        tagline.setWordWrap(True)
        self.new_button = QPushButton("New project…")
        self.new_button.setObjectName("primaryButton")
        self.open_button = QPushButton("Open project…")
        self.demo_button = QPushButton("Open the demo project")
        self.demo_button.setToolTip("Six sample interviews with a starter thematic network, coded by two coders")
        for button, signal in ((self.new_button, self.new_requested), (self.open_button, self.open_requested),
                               (self.demo_button, self.demo_requested)):
            button.setMinimumHeight(34)
            button.clicked.connect(signal.emit)
        actions = QVBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(QLabel("Start", objectName="sectionLabel"))
        actions.addWidget(self.new_button)
        actions.addWidget(self.open_button)
        actions.addWidget(self.demo_button)
        actions.addStretch(1)
        saved = QLabel("Projects are single files. Every change is saved the moment you make it, and every "
                       "change can be undone.", objectName="panelHint")
        saved.setWordWrap(True)
        actions.addWidget(saved)

        self.recent = QListWidget(objectName="recentList")
        self.recent.itemActivated.connect(self._chosen)
        self.recent.itemClicked.connect(self._chosen)
        self.recent.setCursor(Qt.CursorShape.PointingHandCursor)
        self.no_recent = QLabel("No recent projects yet.", objectName="panelHint")
        recent = QVBoxLayout()
        recent.addWidget(QLabel("Recent projects", objectName="sectionLabel"))
        recent.addWidget(self.recent, 1)
        recent.addWidget(self.no_recent, 1, Qt.AlignmentFlag.AlignTop)

        card = QFrame(objectName="startCard")
        grid = QGridLayout(card)
        grid.setContentsMargins(36, 32, 36, 32)
        grid.setHorizontalSpacing(36)
        grid.setVerticalSpacing(6)
        grid.addWidget(title, 0, 0, 1, 2)
        grid.addWidget(tagline, 1, 0, 1, 2)
        grid.setRowMinimumHeight(2, 18)
        grid.addLayout(actions, 3, 0)
        grid.addLayout(recent, 3, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        card.setMaximumSize(860, 480)  # smaller on a small screen, never larger than it
        card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        version = QLabel(f"QualCode {__version__}", objectName="panelHint")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        outer.addWidget(version, 0, Qt.AlignmentFlag.AlignRight)

    def set_recent(self, entries: Sequence[Path | str]) -> None:
        """Project files (name, then folder) and team projects ("team: study on server", then
        the URL, which holds no password)."""
        self.recent.clear()
        for entry in entries:
            if isinstance(entry, str):
                item = QListWidgetItem(f"{describe_team_url(entry)}\n{team_account(entry)}")
                item.setData(PATH_ROLE, entry)
                item.setToolTip(f"{entry}\nThe password comes from your keyring or ~/.pgpass.")
                self.recent.addItem(item)
                continue
            missing = not entry.exists()
            item = QListWidgetItem(f"{entry.stem}\n{entry.parent}" + ("   (missing)" if missing else ""))
            item.setData(PATH_ROLE, str(entry))
            item.setToolTip(str(entry))
            if missing:
                item.setForeground(Qt.GlobalColor.gray)
            self.recent.addItem(item)
        self.no_recent.setVisible(not entries)
        self.recent.setVisible(bool(entries))

    def _chosen(self, item: QListWidgetItem) -> None:
        location = str(item.data(PATH_ROLE))
        self.recent_chosen.emit(location if is_team_url(location) else Path(location))
