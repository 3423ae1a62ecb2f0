"""A note on shown results once the project changed under them (results are not re-run unasked:
a matrix over a large project takes a moment, and the user may be coding elsewhere)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from qualcode.services.commands import Change

NOTE = " <i>— the project has changed since: run again to update.</i>"


def mark_stale(status: QLabel, change: Change) -> None:
    if change.affects("coding", "node", "document", "case_document", "attribute_value") and \
            status.text() and NOTE not in status.text():
        status.setText(status.text() + NOTE)
