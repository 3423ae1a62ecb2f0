"""Which coders' codings the viewer shows: all, only mine, or chosen coders."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from qualcode.gui.icons import swatch_icon
from qualcode.services.coders import CoderInfo


class CoderFilterButton(QToolButton):
    filter_changed = Signal(object)  # frozenset of coder ids, or None for all coders

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panelButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip("Show the codings of all coders, only yours, or chosen coders")
        self._menu = QMenu(self)
        self.setMenu(self._menu)
        self._coders: list[CoderInfo] = []
        self._me: int | None = None
        self.mode = "all"
        self.chosen: set[int] = set()
        self._rebuild()

    def set_coders(self, coders: Sequence[CoderInfo], me: int | None) -> None:
        self._coders = list(coders)
        self._me = me
        known = {c.id for c in coders}
        self.chosen = {c for c in self.chosen if c in known} or set(known)
        self._rebuild()

    def coder_ids(self) -> frozenset[int] | None:
        if self.mode == "mine":
            return frozenset({self._me} if self._me is not None else ())
        if self.mode == "chosen":
            return frozenset(self.chosen)
        return None

    def set_mode(self, mode: str, chosen: Sequence[int] | None = None) -> None:
        self.mode = mode
        if chosen is not None:
            self.chosen = set(chosen)
        self._sync()
        self.filter_changed.emit(self.coder_ids())

    def _rebuild(self) -> None:
        self._menu.clear()
        self._mode_actions: dict[str, QAction] = {}
        self._coder_actions: dict[int, QAction] = {}
        group = QActionGroup(self._menu)
        for mode, title in (("all", "All coders"), ("mine", "Only my codings")):
            action = self._menu.addAction(title)
            action.setCheckable(True)
            action.setActionGroup(group)
            action.triggered.connect(lambda _=False, m=mode: self.set_mode(m))
            self._mode_actions[mode] = action
        self._menu.addSection("Chosen coders")
        for coder in self._coders:
            action = QAction(swatch_icon(coder.color), coder.name, self._menu)
            action.setCheckable(True)
            action.triggered.connect(lambda on, cid=coder.id: self._toggle(cid, on))
            self._menu.addAction(action)
            self._coder_actions[coder.id] = action
        self._sync()

    def _sync(self) -> None:
        for mode, action in self._mode_actions.items():
            action.setChecked(self.mode == mode)
        for coder_id, action in self._coder_actions.items():
            action.setChecked(self.mode == "chosen" and coder_id in self.chosen)
        names = {c.id: c.name for c in self._coders}
        if self.mode == "all":
            text = "All coders"
        elif self.mode == "mine":
            text = f"Only {names.get(self._me or -1, 'mine')}"
        else:
            text = ", ".join(sorted(names[c] for c in self.chosen if c in names)) or "No coders"
        self.setText(f"Showing: {text}")

    def _toggle(self, coder_id: int, on: bool) -> None:
        chosen = set(self.chosen) if self.mode == "chosen" else set()
        if on:
            chosen.add(coder_id)
        else:
            chosen.discard(coder_id)
        self.set_mode("chosen", sorted(chosen))
