"""The node-tree and documents-panel counts, worked out by the database, equal the plain
Python reading of every coding row on a generated project with overlapping codings."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.services import documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import coding_stats
from qualcode.store.models import Coding, Document, Node
from qualcode.store.project import Project
from tests.benchmarks.generate import build_large_project


def _reference_direct(session: Session, node_ids: Collection[int] | None = None) -> dict[int, dict[int, int]]:
    per_node: dict[int, dict[int, int]] = {}
    rows = select(Coding.node_id, Coding.document_id)
    for node_id, document_id in session.execute(rows).tuples():
        if node_ids is None or node_id in node_ids:
            per_node.setdefault(node_id, {}).setdefault(document_id, 0)
            per_node[node_id][document_id] += 1
    wanted = node_ids if node_ids is not None else session.scalars(select(Node.id)).all()
    return {node_id: per_node.get(node_id, {}) for node_id in wanted}


def _reference_density(
    session: Session, coder_ids: Collection[int] | None = None, document_ids: Collection[int] | None = None
) -> dict[int, tuple[int, int, int]]:
    """(length, codings, characters covered), counting character by character."""
    result: dict[int, tuple[int, int, int]] = {}
    for document_id, text in session.execute(select(Document.id, Document.text)).tuples():
        if document_ids is not None and document_id not in document_ids:
            continue
        covered = [False] * len(text)
        count = 0
        for coding in session.scalars(select(Coding).where(Coding.document_id == document_id)):
            if coder_ids is not None and coding.coder_id not in coder_ids:
                continue
            count += 1
            covered[coding.start:coding.end] = [True] * (coding.end - coding.start)
        result[document_id] = (len(text), count, sum(covered))
    return result


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "generated.qualcode"
    build_large_project(path, seed=11, documents_count=8, words=300, codings_count=900)
    with Project.open(path, backup=False) as project, project.session() as s:
        nodes.create_node(s, name="Not used yet")
        documents.add_document(s, name="Not coded yet", text="Nothing coded here — ä, ö, 😀 too.")
    return path


def test_direct_node_stats_equal_counting_every_row(generated: Path) -> None:
    with Project.open(generated, read_only=True) as project, project.session() as s:
        everything = coding_stats.direct_node_stats(s)
        some = sorted(everything)[::3]
        assert {n: dict(stats.documents) for n, stats in everything.items()} == _reference_direct(s)
        assert {n: dict(stats.documents) for n, stats in coding_stats.direct_node_stats(s, some).items()} == \
            _reference_direct(s, some)
        assert sum(stats.codings for stats in everything.values()) == s.scalar(select(func.count()).select_from(Coding))
        assert any(not stats.documents for stats in everything.values())  # a node nothing is coded to yet


def test_document_density_equals_counting_every_character(generated: Path) -> None:
    with Project.open(generated, read_only=True) as project, project.session() as s:
        coder_ids = sorted(s.scalars(select(Coding.coder_id).distinct()))
        document_ids = sorted(s.scalars(select(Document.id)))
        assert len(coder_ids) >= 2
        for coders, only in [(None, None), (coder_ids[:1], None), (coder_ids[1:], document_ids[::2]),
                             ([], None), (None, [document_ids[-1], 999_999])]:
            density = coding_stats.document_density(s, coders, document_ids=only)
            assert {d: (v.length, v.codings, v.coded_characters) for d, v in density.items()} == \
                _reference_density(s, coders, only)
        full = coding_stats.document_density(s)
        assert all(0 < full[d].fraction < 1 for d in document_ids[:8])  # overlapping codings, gaps between
        assert full[document_ids[-1]].fraction == 0.0 and full[document_ids[-1]].codings == 0
