"""Small helpers the workbench tests share: find text, nodes and codings of the open project."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import documents as document_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.coding.codings import CodingInfo


def open_text(window: MainWindow) -> str:
    document_id = window.panels.viewer.document_id
    assert document_id is not None
    return window.read(lambda s: document_service.document_text(s, document_id))


def select_phrase(window: MainWindow, phrase: str) -> tuple[int, int]:
    """Select `phrase` in the open transcript (as the user would by dragging over it)."""
    text = open_text(window)
    start = text.index(phrase)
    window.panels.viewer.select(start, start + len(phrase))
    return start, start + len(phrase)


def node_id(window: MainWindow, name: str) -> int:
    return window.read(lambda s: node_service.find_node(s, name)).id


def tree_index(window: MainWindow, name: str) -> QModelIndex:
    view = window.panels.nodes.view
    index = view.proxy_index(node_id(window, name))
    assert index.isValid()
    parent = index.parent()
    while parent.isValid():
        view.expand(parent)
        parent = parent.parent()
    view.scrollTo(index)
    return index


def codings_of_open_document(window: MainWindow) -> list[CodingInfo]:
    document_id = window.panels.viewer.document_id
    assert document_id is not None
    return window.read(lambda s: coding_service.codings_of_document(s, document_id))


def coding_at(window: MainWindow, start: int, end: int, node: str) -> CodingInfo | None:
    wanted = node_id(window, node)
    found = [c for c in codings_of_open_document(window) if (c.start, c.end, c.node_id) == (start, end, wanted)]
    return found[0] if found else None
