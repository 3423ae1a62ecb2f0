"""What a screen reader announces for a control that has no visible label of its own."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, description: str = "") -> W:
    """Give `widget` an accessible name (and a description where its purpose is not obvious
    from the name), returning it so a control is named where it is made."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget
