"""Import figures: 200 .txt transcripts of 12,000 words with sentence segmentation, and the
rates for .docx and .pdf. Generates its own files (the large project is not needed)."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qualcode.domain.progress import NullProgress
from qualcode.nlp import sentences
from qualcode.nlp.pipeline import load_pipeline
from qualcode.services.importing.importing import ImportOptions, import_files
from qualcode.store.project import Project
from tests.benchmarks.generate import make_transcript

Report = Callable[..., None]
WORDS = 12_000


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [make_transcript(rng, f"P{i:03d}", WORDS)[0] for i in range(count)]


def _import(folder: Path, paths: list[Path]) -> tuple[float, int]:
    project = Project.create(folder / f"bench-{time.monotonic_ns()}.qualcode")
    try:
        started = time.perf_counter()
        report = import_files(project, paths=paths, options=ImportOptions(sentences=True), progress=NullProgress())
        elapsed = time.perf_counter() - started
    finally:
        project.close()
    assert not report.failed, report.failed[0].message
    return elapsed, len(report.imported)


def run(large: Path, report: Report) -> None:
    del large
    folder = Path(tempfile.mkdtemp(prefix="qualcode-bench-import-"))
    try:
        load_pipeline()  # the one-off pipeline build is not part of an import
        texts = _texts(200, seed=3)
        txt = []
        for i, text in enumerate(texts):
            path = folder / f"P{i:03d}.txt"
            path.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
            txt.append(path)
        sentences.clear_cache()
        elapsed, count = _import(folder, txt)
        report(f"import {count} .txt x 12,000 words, turns + sentences", elapsed, 30.0)
        print(f"    {count * WORDS / elapsed:,.0f} words/s; {len(sentences._cache)} documents segmented")

        import docx

        docx_paths = []
        for i, text in enumerate(texts[:20]):
            document = docx.Document()
            for paragraph in text.split("\n\n"):
                document.add_paragraph(paragraph)
            path = folder / f"D{i:03d}.docx"
            document.save(str(path))
            docx_paths.append(path)
        elapsed, count = _import(folder, docx_paths)
        report(f"import {count} .docx x 12,000 words", elapsed, 10.0)
        print(f"    {count / elapsed:.1f} files/s, {count * WORDS / elapsed:,.0f} words/s")

        from fpdf import FPDF

        pdf_paths = []
        for i, text in enumerate(texts[:10]):
            pdf = FPDF()
            pdf.add_page()
            pdf.set_font("Helvetica", size=10)
            for paragraph in text.split("\n\n"):
                pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
            path = folder / f"F{i:03d}.pdf"
            pdf.output(str(path))
            pdf_paths.append(path)
        elapsed, count = _import(folder, pdf_paths)
        report(f"import {count} .pdf x 12,000 words (15 pages each)", elapsed, 20.0)
        print(f"    {count / elapsed:.1f} files/s, {count * WORDS / elapsed:,.0f} words/s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
