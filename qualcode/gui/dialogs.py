"""Opening a dialog the workbench way: window-modal without blocking the event loop, its
result handled when accepted, deleted once closed, and kept on its owner as `owner.dialog`
(where tests and the owner find the one that is open)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog

D = TypeVar("D", bound=QDialog)


def open_dialog(owner: Any, dialog: D, on_accept: Callable[[], object]) -> D:
    owner.dialog = dialog
    dialog.accepted.connect(on_accept)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
