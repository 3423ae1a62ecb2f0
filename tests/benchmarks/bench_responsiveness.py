"""What the user waits for, measured the way it happens: each start and each first open in a
fresh process (nothing warmed by other figures), GUI actions settled (events drained, the
window painted), and the CPU time of the UI thread printed beside the wall time so a loaded
machine does not change the verdict.

Figures: cold start to the start page; a small and the large project opened to a usable
window; peak memory with the large project open; coding by double-clicking the node selected
in the tree while Coded passages is open; switching between two 12,000-word transcripts of
the large project, and from a short interview to a 30,000-word transcript with 800 codings,
painted (every measurement, not a median), and the memory each transcript opened and left
keeps; a global theme's passages listed in Coded passages without the interviewer's turns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

Report = Callable[..., None]
ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter; prints one JSON line of figures.
PROBE = r"""
import json, os, resource, sys, time
wall0, cpu0 = time.perf_counter(), time.thread_time()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QSettings
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
from qualcode.gui.app import create_application
app = create_application()
from qualcode.gui.workbench.main_window import MainWindow
window = MainWindow(coder_name="Ana")
window.messenger.boxes_enabled = False
window.resize(1600, 1000)
window.show()
app.processEvents()
window.grab()
figures = {"start_wall": time.perf_counter() - wall0, "start_cpu": time.thread_time() - cpu0}
if sys.argv[1]:
    # The user reads the start page, then opens the project.
    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    assert window.open_project(sys.argv[1])
    app.processEvents()
    window.grab()
    figures["open_wall"] = time.perf_counter() - wall0
    figures["open_cpu"] = time.thread_time() - cpu0
    figures["document"] = window.panels.viewer.document_id is not None
    figures["nodes"] = len(window.panels.nodes.model.nodes)
figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
window.close_project()
"""


def _probe(project: Path | None, settings: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed QualCode runs from compiled modules
    result = subprocess.run([sys.executable, "-c", PROBE, str(project or ""), str(settings)], env=env,
                            capture_output=True, text=True, timeout=600, check=True)
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def _fresh(project: Path | None, settings: Path, runs: int = 3) -> list[dict[str, float]]:
    return [_probe(project, settings) for _ in range(runs)]


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _small_project(folder: Path) -> Path:
    from qualcode.services import demo

    return demo.ensure_demo(folder, fresh=True)


def run(large: Path, report: Report) -> None:
    print(f"    load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        settings = folder / "settings"
        starts = _fresh(None, settings)
        report("cold start of the window to the start page, painted (fresh process, median of 3)",
               _median([f["start_wall"] for f in starts]), 1.0,
               cpu=_median([f["start_cpu"] for f in starts]))
        small = _small_project(folder / "demo")
        opens = _fresh(small, settings)
        assert all(f["document"] and f["nodes"] for f in opens)
        report("open a small project (the demo) to a usable window (fresh process, median of 3)",
               _median([f["open_wall"] for f in opens]), 0.15, cpu=_median([f["open_cpu"] for f in opens]))
        if large.exists():
            opens = _fresh(large, settings)
            report("open the large project to a usable window (fresh process, median of 3)",
                   _median([f["open_wall"] for f in opens]), 0.25, cpu=_median([f["open_cpu"] for f in opens]))
            report("peak memory with the large project open (MiB, shown as seconds)",
                   _median([f["peak_mib"] for f in opens]) / 1000, 0.25)
            _coding_by_double_click(large, folder, report)
    print(f"    load average after: {os.getloadavg()[0]:.2f}")


def _settle(app: object, window: object) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(2):  # what the change queued, then the paints that queued
        QCoreApplication.sendPostedEvents()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)  # type: ignore[attr-defined]


def _coding_by_double_click(large: Path, folder: Path, report: Report) -> None:
    """Double-click the node selected in the tree with a passage selected, as a coder does;
    then switch between two long transcripts."""
    import shutil

    from PySide6.QtCore import QSettings, Qt, QThreadPool
    from PySide6.QtTest import QTest

    from qualcode.gui.app import create_application
    from qualcode.gui.workbench.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    copy = folder / "large-copy.qualcode"
    shutil.copyfile(large, copy)
    app = create_application()
    window = MainWindow(coder_name="Ana")
    window.messenger.boxes_enabled = False
    window.resize(1600, 1000)
    window.show()
    window.open_project(copy)
    _settle(app, window)
    panels = window.panels
    panels.retrieval_dock.show()
    tree = panels.nodes.view
    code_id = next(n for n, node in panels.nodes.model.nodes.items() if node.level == 1)
    tree.select_node(code_id)
    _settle(app, window)
    index = tree.currentIndex()
    point = tree.visualRect(index).center()
    viewer = panels.viewer
    text = viewer.editor.toPlainText()
    wall, cpu = [], []
    for i in range(25):
        start = text.index(" ", 500 + i * 211) + 1
        viewer.select(start, start + 60)
        _settle(app, window)
        started, cpu_started = time.perf_counter(), time.thread_time()
        QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        _settle(app, window)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    report("code one span by double-clicking the selected node, Coded passages open, settled (median of 25)",
           _median(wall), 0.016, cpu=_median(cpu))

    documents = sorted(window.read(lambda s: [d.id for d in _documents(s)]))[:2]
    wall, cpu = [], []
    for i in range(8):
        document_id = documents[i % 2]
        started, cpu_started = time.perf_counter(), time.thread_time()
        viewer.open_document(document_id)
        _settle(app, window)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    report("switch to a 12,000-word transcript of the large project, painted (worst of 8)", max(wall), 0.05,
           cpu=max(cpu))

    # Coded passages of a global theme, leaving out the interviewer: the query and the list filled and painted.
    retrieval = panels.retrieval
    global_id = min(n for n, node in panels.nodes.model.nodes.items() if node.level == 4)
    retrieval.no_interviewer.setChecked(True)
    retrieval.show_node(global_id)
    _settle(app, window)
    wall, cpu = [], []
    for _ in range(7):
        started, cpu_started = time.perf_counter(), time.thread_time()
        retrieval.refresh()
        _settle(app, window)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    report(f"Coded passages of a global theme without the interviewer ({len(retrieval.model.segments):,}), "
           "painted (median of 7)", _median(wall), 0.15, cpu=_median(cpu))
    window.close_project()
    _switch_to_long_transcript(app, window, folder, report)
    window.close()
    QThreadPool.globalInstance().waitForDone(30000)  # background preparation work
    window.deleteLater()
    app.processEvents()  # type: ignore[attr-defined]
    del window


def _switch_to_long_transcript(app: object, window: object, folder: Path, report: Report) -> None:
    """Switch from a short interview to a 30,000-word transcript with 800 codings, each time
    anew (never re-opening the document already shown), painted; every measurement counts."""
    import random

    from qualcode.services import documents
    from qualcode.store.project import Project
    from tests.benchmarks.bench_workbench import _transcript, _viewer_project

    path, long_id, _ = _viewer_project(folder)
    with Project.open(path) as project, project.session() as s:
        text, turns = _transcript(random.Random(3), 2_000)
        short_id = int(documents.add_document(s, name="Short interview", text=text, turns=turns).result)
    window.open_project(path)  # type: ignore[attr-defined]
    _settle(app, window)
    viewer = window.panels.viewer  # type: ignore[attr-defined]
    viewer.open_document(long_id)
    _settle(app, window)
    resident = _resident_mib()
    wall, cpu = [], []
    for _ in range(8):
        viewer.open_document(short_id)
        _settle(app, window)
        started, cpu_started = time.perf_counter(), time.thread_time()
        viewer.open_document(long_id)
        _settle(app, window)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
        assert len(viewer.shown_marks) == 800
    report("switch to a 30,000-word transcript with 800 codings, painted (worst of 8)", max(wall), 0.05,
           cpu=max(cpu))
    # What each transcript opened and left keeps in memory: the 16 opens since the first.
    report("memory kept for each transcript opened and left (MiB, shown as seconds)",
           max(_resident_mib() - resident, 0.0) / 16 / 1000, 0.001)
    window.close_project()  # type: ignore[attr-defined]


def _resident_mib() -> float:
    """The memory the process holds now (not its peak), in MiB."""
    import gc

    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _documents(session: object) -> list:  # type: ignore[type-arg]
    from qualcode.services import documents

    return list(documents.list_documents(session))  # type: ignore[arg-type]
