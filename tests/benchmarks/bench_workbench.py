"""Workbench figures: open a long transcript with its highlights drawn, apply one coding with
the window's repaint, load a big node tree. Generates its own data (and uses the large
project for an extra figure)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qualcode.domain.levels import Level
from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.coding.codings import CodingSpec
from qualcode.services.documents import TurnSpec
from qualcode.store.project import Project

Report = Callable[..., None]
WORDS = ("patient", "link", "worker", "group", "garden", "walking", "support", "referral", "community",
         "volunteer", "lonely", "money", "housing", "benefits", "listen", "trust", "week", "bus", "travel",
         "class", "cooking", "health", "stress", "advice", "waiting", "said", "felt", "helped", "really",
         "because", "then", "when", "people", "local", "council", "library", "park")


def _transcript(rng: random.Random, words: int) -> tuple[str, list[TurnSpec]]:
    parts: list[str] = []
    turns: list[TurnSpec] = []
    position, count, speaker = 0, 0, 0
    while count < words:
        size = rng.randint(20, 160)
        label = "Interviewer" if speaker % 2 == 0 else "P7"
        sentences = []
        remaining = size
        while remaining > 0:
            n = min(remaining, rng.randint(6, 18))
            sentences.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
            remaining -= n
        line = f"{label}: " + " ".join(sentences)
        turns.append(TurnSpec(position + len(label) + 2, position + len(line), label))
        parts.append(line)
        position += len(line) + 2
        count += size
        speaker += 1
    return "\n\n".join(parts), turns


def _viewer_project(folder: Path) -> tuple[Path, int, list[int]]:
    """One 30,000-word transcript with 800 codings (30 codes, 2 coders), overlapping."""
    rng = random.Random(7)
    path = folder / "viewer.qualcode"
    with Project.create(path) as project, project.session() as s:
        coder_ids = [coders.ensure_coder(s, name).id for name in ("Ana", "Ben")]
        text, turns = _transcript(rng, 30_000)
        document_id = int(documents.add_document(s, name="Long interview", text=text, turns=turns).result)
        theme = nodes.create_node(s, name="Theme", level=Level.BASIC).result
        codes = [int(nodes.create_node(s, name=f"Code {i}", parent_id=theme).result) for i in range(30)]
        for coder_id in coder_ids:
            specs, seen = [], set()
            while len(specs) < 400:
                start = rng.randrange(0, len(text) - 600)
                span = (start, start + rng.randint(40, 500), rng.choice(codes))
                if span not in seen:
                    seen.add(span)
                    specs.append(CodingSpec(document_id, *span))
            codings.apply_codes(s, specs=specs, coder_id=coder_id)
    return path, document_id, codes


def _tree_project(folder: Path) -> Path:
    """500 nodes over four levels and 50,000 codings on 40 documents."""
    rng = random.Random(11)
    path = folder / "tree.qualcode"
    with Project.create(path) as project, project.session() as s:
        coder_id = coders.ensure_coder(s, "Ana").id
        document_ids = []
        for i in range(40):
            text, turns = _transcript(rng, 2_000)
            document_ids.append((int(documents.add_document(s, name=f"Doc {i}", text=text, turns=turns).result),
                                 len(text)))
        codes: list[int] = []
        for g in range(5):
            global_id = nodes.create_node(s, name=f"Global {g}", level=Level.GLOBAL).result
            for o in range(4):
                organising = nodes.create_node(s, name=f"Organising {g}.{o}", level=Level.ORGANISING,
                                               parent_id=global_id).result
                for b in range(4):
                    basic = nodes.create_node(s, name=f"Basic {g}.{o}.{b}", level=Level.BASIC,
                                              parent_id=organising).result
                    for c in range(5 if (g + o + b) % 5 else 1):
                        codes.append(int(nodes.create_node(s, name=f"Code {g}.{o}.{b}.{c}",
                                                           parent_id=basic).result))
        while len(codes) + 105 < 500:
            codes.append(int(nodes.create_node(s, name=f"Loose code {len(codes)}").result))
        specs, seen = [], set()
        while len(specs) < 50_000:
            document_id, length = rng.choice(document_ids)
            start = rng.randrange(0, length - 200)
            key = (document_id, start, start + rng.randint(20, 190), rng.choice(codes))
            if key not in seen:
                seen.add(key)
                specs.append(CodingSpec(*key))
        codings.apply_codes(s, specs=specs, coder_id=coder_id)
    return path


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def run(large: Path, report: Report) -> None:
    from PySide6.QtCore import QSettings, QThreadPool
    from PySide6.QtWidgets import QApplication

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
        from qualcode.gui.app import create_application
        from qualcode.gui.workbench.main_window import MainWindow

        app = create_application()
        assert isinstance(app, QApplication)
        viewer_path, document_id, codes = _viewer_project(folder)
        window = MainWindow(coder_name="Ana")
        window.messenger.boxes_enabled = False
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        window.open_project(viewer_path)
        app.processEvents()
        viewer = window.panels.viewer

        samples = []
        for _ in range(7):
            started = time.perf_counter()
            viewer.open_document(document_id)
            viewer.editor.viewport().repaint()
            viewer.stripes.repaint()
            samples.append(time.perf_counter() - started)
        assert len(viewer.shown_marks) == 800
        report("open 30,000-word transcript, 800 codings drawn (median of 7)", _median(samples), 0.3)

        text = viewer.editor.toPlainText()
        samples = []
        window.panels.nodes.view.select_node(codes[0])  # retrieval and memo panels follow the node too
        app.processEvents()
        for i in range(25):
            start = text.index(" ", 1000 + i * 997) + 1
            viewer.select(start, start + 80)
            app.processEvents()
            started = time.perf_counter()
            change = window.panels.coding.apply(codes[i % len(codes)])
            viewer.editor.viewport().repaint()
            viewer.stripes.repaint()
            window.panels.nodes.view.viewport().repaint()
            samples.append(time.perf_counter() - started)
            assert change is not None
        report("apply one coding incl. window refresh and repaint (median of 25)", _median(samples), 0.05)
        window.close_project()

        tree_path = _tree_project(folder)
        window.open_project(tree_path)
        app.processEvents()
        model, view = window.panels.nodes.model, window.panels.nodes.view
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            model.reload()
            view.expandAll()
            view.viewport().repaint()
            samples.append(time.perf_counter() - started)
        assert len(model.nodes) == 500 and sum(model.counts[n].codings for n in model.nodes
                                               if model.nodes[n].parent_id is None) == 50_000
        report("node tree: 500 nodes, 50,000 codings, load + draw (median of 5)", _median(samples), 0.3)
        window.close_project()

        if large.exists():
            started = time.perf_counter()
            window.open_project(large)
            app.processEvents()
            report("open the large project in the window (tree, documents, first transcript)",
                   time.perf_counter() - started, 2.0)
            samples = []
            for _ in range(5):
                started = time.perf_counter()
                model.reload()
                view.viewport().repaint()
                samples.append(time.perf_counter() - started)
            report("node tree of the large project (60 nodes, 50,000 codings)", _median(samples), 0.3)
            window.close_project()
        window.close()
        QThreadPool.globalInstance().waitForDone(30000)  # background preparation work
        window.deleteLater()
        app.processEvents()
        del window
