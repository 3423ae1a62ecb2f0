"""How feature panels (themes, realist evaluation, teamwork, analysis, exchange) plug into
the main window without the window knowing them.

Each feature module exposes `contribute(workbench: Workbench) -> None`, listed in
`CONTRIBUTORS`; the main window calls each one once after it is built. A contributor adds
its menu actions, docks and viewer layers through the `Workbench` interface below, and
calls services only through `workbench.execute` (mutations, undoable) or `workbench.read`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from PySide6.QtCore import Qt, SignalInstance
    from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

    from qualcode.domain.progress import Progress
    from qualcode.services.coding.retrieval import Segment
    from qualcode.services.commands import Change
    from qualcode.store.project import Project

T = TypeVar("T")

# Modules with a `contribute(workbench)` function, called in this order.
CONTRIBUTORS: tuple[str, ...] = (
    "qualcode.gui.themes.contribution",
    "qualcode.gui.exchange.contribution",
    "qualcode.gui.realist.contribution",
    "qualcode.gui.teamwork.contribution",
    "qualcode.gui.analysis.contribution",
    "qualcode.gui.reviews.contribution",
    "qualcode.gui.cases.contribution",
)


@dataclass(frozen=True)
class TextSelection:
    """The viewer's selection in model offsets (code points, half-open)."""

    document_id: int
    start: int
    end: int


@dataclass(frozen=True)
class SpanMark:
    """A span a viewer layer draws (e.g. CMO evidence), distinct from coding highlights."""

    start: int
    end: int
    label: str  # shown in the margin / tooltip, e.g. "C" or "Enrolment: C1"
    color: str  # "#rrggbb"
    tooltip: str = ""


@dataclass(frozen=True)
class PassageSource:
    """Passages a feature lists in the "Coded passages" panel, in place of a node's codings
    (e.g. the passages tagged as evidence for a CMO configuration)."""

    title: str  # what the passages are, e.g. "CMOC 3 (Enrolment)"
    fetch: Callable[[Any, bool], list[Segment]]  # (session, leave out the interviewer) -> passages
    tables: tuple[str, ...]  # a change to any of these tables re-reads the passages
    noun: str = "passage"  # how one is counted in the panel's title, e.g. "tagged passage"


class Workbench(Protocol):
    """What the main window offers to feature panels."""

    @property
    def project(self) -> Project | None: ...

    @property
    def coder_id(self) -> int | None: ...

    @property
    def changed(self) -> SignalInstance:
        """Emitted with the `Change` after every command, undo and redo, and with None when
        a project is opened or closed."""
        ...

    def execute(self, action: Callable[[Any], Change]) -> Change | None:
        """Run a mutating service call `action(session)` in one transaction, push it on the
        undo stack, emit `changed`. A QualCodeError is shown to the user; returns None then."""
        ...

    def read(self, query: Callable[[Any], T]) -> T:
        """Run a read-only service call `query(session)` and return its result."""
        ...

    def run_job(self, title: str, job: Callable[[Progress], T], on_done: Callable[[T], None]) -> None:
        """Run a long job off the UI thread with a progress dialog and Cancel."""
        ...

    def selection(self) -> TextSelection | None:
        """The current text selection in the transcript viewer, if any."""
        ...

    def show_error(self, text: str, title: str = "QualCode") -> None:
        """Tell the user something went wrong (one line, logged, never blocking)."""
        ...

    def show_info(self, text: str, title: str = "QualCode") -> None:
        """Tell the user what a step did, in a box they close (logged, never blocking)."""
        ...

    def status_message(self, text: str, msecs: int = 6000) -> None:
        """A passing word in the status bar."""
        ...

    def show_span(self, document_id: int, start: int, end: int) -> None:
        """Open the document in the viewer and select/scroll to the span."""
        ...

    def menu(self, title: str) -> QMenu:
        """The top-level menu with this title, created if missing (e.g. '&Themes')."""
        ...

    def add_dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea) -> QDockWidget: ...

    def add_viewer_layer(self, name: str, provider: Callable[[Any, int], list[SpanMark]], *,
                         redraw_after: Callable[[Change], bool] | None = None) -> None:
        """Register marks drawn in the viewer: `provider(session, document_id)`. After a change
        the layer is read again when `redraw_after(change)` says the change can alter its marks
        (without it: after every change)."""
        ...

    def show_passages(self, source: PassageSource) -> None:
        """List the source's passages in the "Coded passages" panel (with context, jump to the
        transcript and CSV export) until a node is chosen there again."""
        ...

    def add_coding_action(self, text: str, handler: Callable[[int], None]) -> None:
        """Offer an action on one coding, called with its id: in the transcript's context menu
        under each coding, and on a coded passage's context menu in "Coded passages"."""
        ...

    def main_window(self) -> QWidget: ...
