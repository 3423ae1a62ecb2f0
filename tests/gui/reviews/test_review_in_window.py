"""Literature reviews in the real main window: the Review menu shows the References panel,
double-clicking a study opens its PDF's text in the viewer with "p. N" page markers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from qualcode.gui.reviews.page_marks import LAYER_NAME
from qualcode.gui.reviews.references_panel import ReferencesPanel
from qualcode.services.reviews import fulltexts, references, screening
from qualcode.store.project import Project
from tests.filemakers import write_paged_pdf
from tests.gui.conftest import make_window
from tests.review_sample import write_medline_ris

ARTIFACTS = Path(__file__).parents[3] / "test-artifacts"


def test_references_panel_and_pdf_pages_in_the_window(qtbot, styled_app, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "review.qualcode"
    with Project.create(path) as project, project.session() as s:
        references.import_reference_file(s, path=write_medline_ris(tmp_path / "medline.ris"), database="MEDLINE")
        chen = screening.find_reference(s, "Chen 2012")
        pages = [["Experiences of green prescribing in primary care: study 3", "Chen A. (2012)"],
                 ["Findings. Walking together in the park made the first visit possible for most participants."],
                 ["Discussion. Link workers need time to build trust with each person referred."]]
        fulltexts.attach_pdf(s, reference_id=chen, path=write_paged_pdf(tmp_path / "chen.pdf", pages))
    window = make_window(qtbot)
    assert window.open_project(path), window.messenger.history
    toggle = next(a for a in window.menu("Revie&w").actions() if a.text() == "References panel")
    toggle.trigger()
    dock = next(d for d in window.dock_list if d.windowTitle() == "References")
    assert dock.isVisible() and not dock.visibleRegion().isEmpty()  # shown and raised above its tab mates
    panel = dock.findChild(ReferencesPanel)  # inside the dock's scrolling frame
    assert isinstance(panel, ReferencesPanel)
    assert panel.summary.text() == "25 studies · 25 to screen · 0 included"
    row = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())].index("Chen 2012")
    rect = panel.table.visualRect(panel.proxy.index(row, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = window.panels.viewer
    assert viewer.editor.toPlainText().startswith("Experiences of green prescribing in primary care: study 3")
    labels = [m.label for m in viewer.editor.layer_marks if m.layer == LAYER_NAME]
    assert labels == ["p. 1", "p. 2", "p. 3"]
    # The menu's actions stay connected for the window's lifetime (an export from the menu writes its file).
    flow = tmp_path / "flow.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(flow), ""))
    next(a for a in window.menu("Revie&w").actions() if a.text() == "Export PRISMA flow diagram…").trigger()
    assert flow.read_bytes()[:4] == b"\x89PNG"
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "references_panel_and_pdf_pages.png"))
