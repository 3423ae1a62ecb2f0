"""Realist evaluation figures on the large project: tagging a passage, counts, the workspace
listing, tagged passages listed in Coded passages, the viewer layer, a text edit that remaps evidence, and both exports.

Works on a copy of the large project with 100 configurations in 10 concepts and 5,000
evidence passages (plus 1,000 existing codings linked as evidence) added first."""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from qualcode.services import coders, documents
from qualcode.services.commands import Recorder
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.services.realist import queries as cmo_queries
from qualcode.services.realist import tagging as cmo_tagging
from qualcode.services.realist.export import CmocTableOptions, export_cmoc_table, export_programme_theory
from qualcode.store.models import CmoEvidence, Coding, Document
from qualcode.store.project import Project

Report = Callable[..., None]
CONCEPTS = [f"Concept {i + 1}" for i in range(10)]


def _populate(project: Project, rng: random.Random) -> tuple[int, list[int]]:
    with project.session() as s:
        coder_id = coders.ensure_coder(s, "Realist").id
        lengths = dict(s.execute(select(Document.id, func.length(Document.text))).tuples().all())
        config_ids = []
        for i in range(100):
            statements = [("C", f"When context {i} holds for patients at their first contact"),
                          ("M", f"patients reason about mechanism {i % 37} and feel supported"),
                          ("O", f"so they reach outcome {i % 23}")]
            if i % 4 == 0:
                statements.append(("O", f"and report outcome {i % 11 + 40}"))
            config_ids.append(cmo.create_configuration(
                s, concept=CONCEPTS[i % 10], statements=statements, coder_id=coder_id,
                status=("proposed", "confirmed", "refuted", "refined", "new")[i % 5]).result)
        components = [c.id for c in cmo.list_configurations(s) for c in c.components]
        doc_ids = list(lengths)
        rows = []
        for _ in range(5000):
            doc = rng.choice(doc_ids)
            start = rng.randrange(0, lengths[doc] - 400)
            rows.append({"component_id": rng.choice(components), "document_id": doc, "start": start,
                         "end": start + rng.randint(40, 300), "coding_id": None, "coder_id": coder_id,
                         "stance": "supports"})
        coding_ids = list(s.scalars(select(Coding.id).limit(1000)))
        coding_docs = dict(s.execute(select(Coding.id, Coding.document_id)
                                     .where(Coding.id.in_(coding_ids))).tuples().all())
        rows += [{"component_id": rng.choice(components), "document_id": coding_docs[c], "start": None, "end": None,
                  "coding_id": c, "coder_id": coder_id, "stance": "refutes" if c % 7 == 0 else "supports"}
                 for c in coding_ids]
        Recorder(s).insert_many(CmoEvidence, rows)
    return coder_id, config_ids


def run(large: Path, report: Report) -> None:
    rng = random.Random(6)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "realist.qualcode"
        shutil.copy(large, copy)
        project = Project.open(copy, backup=False)
        try:
            started = time.perf_counter()
            coder_id, config_ids = _populate(project, rng)
            report("add 100 configurations and 6,000 evidence links (setup)", time.perf_counter() - started, 30.0)

            with project.session() as s:
                doc_id = s.scalar(select(CmoEvidence.document_id).group_by(CmoEvidence.document_id)
                                  .order_by(func.count().desc()).limit(1))
                length = len(documents.document_text(s, doc_id))
            samples = []
            for i in range(30):
                start = rng.randrange(0, length - 200)
                began = time.perf_counter()
                with project.session() as s:
                    cmo_tagging.tag_span(s, document_id=doc_id, start=start, end=start + 150, role="CMO"[i % 3],
                                         configuration_id=config_ids[i % 3 + 1], coder_id=coder_id)
                samples.append(time.perf_counter() - began)
            report("tag a passage as C/M/O (one undoable command, median)", statistics.median(samples), 0.05)

            with project.session() as s:
                started = time.perf_counter()
                counts = cmo_queries.evidence_counts(s, site_attribute="site")
                report("evidence counts for 100 configurations (spans, cases, sites)",
                       time.perf_counter() - started, 0.5)
                assert sum(c.total.spans for c in counts.values()) > 5000

                started = time.perf_counter()
                configs = cmo_queries.filter_configurations(s)
                cmo_queries.evidence_counts(s, configuration_ids=[c.id for c in configs])
                report("workspace listing: configurations + counts", time.perf_counter() - started, 0.5)

                started = time.perf_counter()
                cmo_queries.filter_configurations(s, case_attribute="site", case_value="Site 3")
                report("filter configurations by a case attribute", time.perf_counter() - started, 0.5)

                started = time.perf_counter()
                cmo_evidence.evidence_for(s, configuration_id=config_ids[1])
                report("drill down: one configuration's evidence with context", time.perf_counter() - started, 0.2)

                started = time.perf_counter()
                listed = cmo_evidence.evidence_segments(s, concept=CONCEPTS[0])
                report(f"Coded passages: a concept's tagged passages ({len(listed)}) with context",
                       time.perf_counter() - started, 0.3)

                started = time.perf_counter()
                listed = cmo_evidence.evidence_segments(s)
                report(f"Coded passages: all tagged passages ({len(listed)}) with context",
                       time.perf_counter() - started, 0.3)

                started = time.perf_counter()
                from qualcode.gui.realist.marks import evidence_marks

                marks = evidence_marks(s, doc_id)
                report(f"viewer layer marks for one document ({len(marks)} marks)", time.perf_counter() - started,
                       0.1)

            started = time.perf_counter()
            with project.session() as s:
                documents.edit_document_text(s, document_id=doc_id, start=100, end=110, replacement="[redacted]",
                                             reason="anonymise")
            report("text edit remapping codings and CMO evidence on a document", time.perf_counter() - started, 1.0)

            with project.session() as s:
                started = time.perf_counter()
                export_cmoc_table(s, path=Path(folder) / "cmoc.docx", options=CmocTableOptions(site_attribute="site"))
                report("export CMOC table (100 rows, DOCX)", time.perf_counter() - started, 5.0)
                started = time.perf_counter()
                export_programme_theory(s, path=Path(folder) / "theory.png", dpi=150)
                report("export programme-theory diagram (10 concepts, PNG)", time.perf_counter() - started, 10.0)
        finally:
            project.close()
