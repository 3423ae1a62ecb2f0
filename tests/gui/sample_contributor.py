"""A feature panel plugged in through the Workbench protocol, as other features do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from qualcode.gui.contributions import SpanMark, Workbench
from qualcode.services import documents as document_service
from qualcode.services import memos as memo_service

seen_changes: list[object] = []


def evidence_marks(session: Any, document_id: int) -> list[SpanMark]:
    text = document_service.document_text(session, document_id)
    at = text.find("caseload")
    return [SpanMark(at, at + len("caseload"), "C1", "#7b3294", "Context: workload")] if at >= 0 else []


def contribute(workbench: Workbench) -> None:
    menu = workbench.menu("&Sample feature")
    action = menu.addAction("Add a project memo")
    action.triggered.connect(lambda: workbench.execute(
        lambda s: memo_service.add_memo(s, target_type="project", text="From the sample feature",
                                        coder_id=workbench.coder_id)))
    workbench.add_dock(QLabel("Sample panel"), "Sample panel", Qt.DockWidgetArea.RightDockWidgetArea)
    workbench.add_viewer_layer("Sample evidence", evidence_marks)
    workbench.changed.connect(seen_changes.append)
