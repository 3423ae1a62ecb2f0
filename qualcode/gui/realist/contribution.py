"""Realist evaluation in the workbench: the CMO workspace dock, the Realist menu (tag the
selection as C, M or O; list tagged passages; exports), "Use as CMO evidence…" on codings,
and the viewer layer that outlines CMO evidence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from qualcode.gui.realist.actions import CmoActions
from qualcode.gui.realist.marks import LAYER_NAME, evidence_changed, evidence_marks
from qualcode.gui.realist.workspace import CmoWorkspace


def contribute(workbench: Any) -> CmoActions:
    workspace = CmoWorkspace(workbench)
    dock = workbench.add_dock(workspace, "CMO configurations", Qt.DockWidgetArea.RightDockWidgetArea)
    actions = CmoActions(workbench, workspace)
    menu = workbench.menu("&Realist")
    actions.install(menu)
    menu.addSeparator()
    menu.addAction(dock.toggleViewAction())
    workbench.add_viewer_layer(LAYER_NAME, evidence_marks, redraw_after=evidence_changed)
    workbench.add_coding_action("Use as CMO evidence…", actions.link_coding)
    return actions
