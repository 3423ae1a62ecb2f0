"""Properties of merging, on real project files with random codings (hypothesis)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qualcode.services import documents
from qualcode.services.codebook import nodes
from qualcode.services.coders import ensure_coder
from qualcode.services.coding import codings
from qualcode.services.teamwork.merge import merge_files
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.teamwork_support import copy_project, opened

SENTENCE = "the nurse said we waited for hours and then the doctor came back and said we could go home"
WORDS = SENTENCE.split(" ")
TEXTS = [" ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(60)) + "\n" for i in range(3)]
NODES = ["Waiting", "Staff", "Home", "Trust"]
CODERS = ["Ann", "Bob", "Cy"]
LENGTH = min(len(t) for t in TEXTS)

coding_specs = st.tuples(st.integers(0, 2), st.integers(0, LENGTH - 2), st.integers(1, 40),
                         st.integers(0, len(NODES) - 1), st.integers(0, 2))
PROPERTY = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.qualcode"
    with Project.create(path) as project, project.session() as s:
        for coder in CODERS:
            ensure_coder(s, coder)
        for i, text in enumerate(TEXTS):
            documents.add_document(s, name=f"Interview {i + 1}", text=text)
        theme = nodes.create_node(s, name="Experience", level="basic").result
        for name in NODES:
            nodes.create_node(s, name=name, level="code", parent_id=theme)
    return path


def _fresh(template: Path, folder: Path, name: str) -> Path:
    return copy_project(template, folder / name)


def _apply(path: Path, specs: list[tuple[int, int, int, int, int]], new_node: str | None = None) -> None:
    with opened(path) as s:
        docs = list(s.scalars(select(m.Document).order_by(m.Document.id)))
        node_ids = {n.name: n.id for n in s.scalars(select(m.Node))}
        coder_ids = {c.name: c.id for c in s.scalars(select(m.Coder))}
        if new_node:  # created independently in each copy: different uids, same path
            node_ids[new_node] = nodes.create_node(s, name=new_node, level="code",
                                                   parent_id=node_ids["Experience"]).result
        by_coder: dict[int, list[codings.CodingSpec]] = {}
        for doc, start, length, node, coder in specs:
            end = min(len(docs[doc].text), start + length)
            name = new_node if (new_node and node == 0) else NODES[node]
            by_coder.setdefault(coder_ids[CODERS[coder]], []).append(
                codings.CodingSpec(docs[doc].id, start, end, node_ids[name]))
        for coder_id, batch in by_coder.items():
            codings.apply_codes(s, specs=batch, coder_id=coder_id)


def _canonical(path: Path) -> list[tuple[str, int, int, str, str]]:
    """Every coding as (document uid, start, end, node path, coder name), duplicates kept."""
    with opened(path) as s:
        names = {n.id: (n.name, n.parent_id) for n in s.scalars(select(m.Node))}

        def path_of(node_id: int | None) -> str:
            parts = []
            while node_id is not None:
                name, node_id = names[node_id]
                parts.append(name.casefold())
            return "/".join(reversed(parts))

        rows = s.execute(select(m.Document.uid, m.Coding.start, m.Coding.end, m.Coding.node_id, m.Coder.name)
                         .join(m.Document, m.Document.id == m.Coding.document_id)
                         .join(m.Coder, m.Coder.id == m.Coding.coder_id)).all()
        return sorted((doc, start, end, path_of(node), coder) for doc, start, end, node, coder in rows)


@PROPERTY
@given(shared=st.lists(coding_specs, max_size=8), only_a=st.lists(coding_specs, max_size=8),
       only_b=st.lists(coding_specs, max_size=8), new_node=st.sampled_from([None, "Family", "family "]))
def test_merge_is_symmetric_lossless_duplicate_free_and_idempotent(template: Path, tmp_path: Path, shared, only_a,
                                                                   only_b, new_node) -> None:
    folder = tmp_path / f"case-{next(_counter)}"
    folder.mkdir()
    a, b = _fresh(template, folder, "a.qualcode"), _fresh(template, folder, "b.qualcode")
    _apply(a, shared + only_a, new_node)
    _apply(b, shared + only_b, new_node.strip().title() if new_node else None)
    expected = sorted(set(_canonical(a)) | set(_canonical(b)))

    a_into_b = merge_files(b, [a], output=folder / "a_into_b.qualcode")
    b_into_a = merge_files(a, [b], output=folder / "b_into_a.qualcode")
    merged_ab, merged_ba = _canonical(Path(a_into_b.output)), _canonical(Path(b_into_a.output))
    assert merged_ab == expected  # nothing lost, nothing duplicated
    assert merged_ba == merged_ab  # merge order does not change the codings

    again = merge_files(Path(a_into_b.output), [a])
    assert again.total("codings").added == 0 and again.total("nodes").added == 0
    assert _canonical(Path(a_into_b.output)) == merged_ab
    shutil.rmtree(folder)


_counter = itertools.count()

edits = st.lists(st.tuples(st.integers(0, LENGTH), st.integers(0, 12), st.sampled_from(["", "uh ", "the ", "X"])),
                 max_size=5)


@PROPERTY
@given(incoming=st.lists(coding_specs, min_size=1, max_size=12), changes=edits)
def test_codings_whose_text_was_not_edited_land_on_exactly_that_text(template: Path, tmp_path: Path, incoming,
                                                                     changes) -> None:
    folder = tmp_path / f"edit-{next(_counter)}"
    folder.mkdir()
    base, other = _fresh(template, folder, "base.qualcode"), _fresh(template, folder, "other.qualcode")
    _apply(other, incoming)
    touched: dict[str, list[tuple[int, int, bool]]] = {}  # document uid -> original edit regions
    with opened(base) as s:
        for index, (at, removed, inserted) in enumerate(sorted(changes, reverse=True)):
            doc = s.scalars(select(m.Document).order_by(m.Document.id)).all()[index % len(TEXTS)]
            end = min(len(doc.text), at + removed)
            start = min(at, end)
            if (start == end and not inserted) or any(not (end < a or start > b)
                                                      for a, b, _ in touched.get(doc.uid, [])):
                continue  # keep edits apart so "untouched" stays well defined
            documents.edit_document_text(s, document_id=doc.id, start=start, end=end, replacement=inserted)
            touched.setdefault(doc.uid, []).append((start, end, bool(inserted)))
    with opened(other) as s:
        originals = [(c.document_id, s.get(m.Document, c.document_id).uid, c.start, c.end,  # type: ignore[union-attr]
                      s.get(m.Node, c.node_id).name, s.get(m.Coder, c.coder_id).name,  # type: ignore[union-attr]
                      s.get(m.Document, c.document_id).text[c.start:c.end])  # type: ignore[union-attr]
                     for c in s.scalars(select(m.Coding))]
    merge_files(base, [other])
    with opened(base) as s:
        merged = {(s.get(m.Document, c.document_id).uid, s.get(m.Node, c.node_id).name,  # type: ignore[union-attr]
                   s.get(m.Coder, c.coder_id).name, s.get(m.Document, c.document_id).text[c.start:c.end])  # type: ignore[union-attr]
                  for c in s.scalars(select(m.Coding))}
    for _doc_id, doc_uid, start, end, node, coder, text in originals:
        regions = touched.get(doc_uid, [])
        untouched = all((b <= start and not (a == b == start)) or a >= end for a, b, _ in regions)
        if untouched:
            assert (doc_uid, node, coder, text) in merged
    shutil.rmtree(folder)
