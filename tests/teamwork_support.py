"""Real projects for the teamwork tests: a small study built through the services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.services import documents, memos
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coders import ensure_coder
from qualcode.services.coding import codings
from qualcode.services.commands import Recorder
from qualcode.store import models as m
from qualcode.store.project import Project

CLINIC = ("Interviewer: How was the clinic?\n"
          "P1: I was waiting for hours. The nurse never came back.\n"
          "P1: But the doctor listened to me, and that mattered.\n")
HOME = ("Interviewer: And at home?\n"
        "P2: My daughter helps with the tablets. I forget them otherwise.\n"
        "P2: The pharmacist phones me every month.\n")


def span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def build_study(path: Path, *, coder: str = "Ann") -> Path:
    """A closed project file: two interviews, a small thematic network, one coder's codings."""
    with Project.create(path, title="Clinic study") as project, project.session() as s:
        ann = ensure_coder(s, coder).id
        clinic = documents.add_document(s, name="P1 interview", text=CLINIC).result
        home = documents.add_document(s, name="P2 interview", text=HOME).result
        access = nodes.create_node(s, name="Access to care", level="global").result
        waiting = nodes.create_node(s, name="Waiting", level="organising", parent_id=access).result
        time_lost = nodes.create_node(s, name="Time lost", level="basic", parent_id=waiting).result
        waiting_time = nodes.create_node(s, name="Waiting time", level="code", parent_id=time_lost,
                                         definition="Time spent waiting for care.").result
        heard = nodes.create_node(s, name="Being heard", level="basic", parent_id=waiting).result
        listening = nodes.create_node(s, name="Listening", level="code", parent_id=heard).result
        support = nodes.create_node(s, name="Family support", level="code").result
        codings.apply_code(s, document_id=clinic, start=span(CLINIC, "I was waiting for hours")[0],
                           end=span(CLINIC, "I was waiting for hours")[1], node_id=waiting_time, coder_id=ann)
        codings.apply_code(s, document_id=clinic, start=span(CLINIC, "the doctor listened to me")[0],
                           end=span(CLINIC, "the doctor listened to me")[1], node_id=listening, coder_id=ann)
        codings.apply_code(s, document_id=home, start=span(HOME, "My daughter helps with the tablets")[0],
                           end=span(HOME, "My daughter helps with the tablets")[1], node_id=support, coder_id=ann)
        p1 = cases.create_case(s, name="P1").result
        cases.link_documents(s, case_id=p1, document_ids=[clinic])
        age = cases.create_attribute(s, name="age", type="number").result
        cases.set_attribute_value(s, attribute_id=age, case_id=p1, value=67)
        memos.add_memo(s, target_type="node", target_uid=s.get(m.Node, waiting_time).uid,  # type: ignore[union-attr]
                       text="Check against the appointment logs.", coder_id=ann)
        memos.add_journal_entry(s, coder_id=ann, title="Day 1", text="First pass through P1.")
    return path


_NEW_UID = ("lower(printf('%s-%s-4%s-a%s-%s', hex(randomblob(4)), hex(randomblob(2)), "
            "substr(hex(randomblob(2)), 2), substr(hex(randomblob(2)), 2), hex(randomblob(6))))")


def redone_copy(source: Path, target: Path, *, edited_documents: int = 10) -> Path:
    """A copy in which every coding was redone (new uid, one character shorter) and a few
    transcripts had a typo fixed: merging it adds nearly every coding and re-aligns texts."""
    import sqlite3
    from contextlib import closing

    copy_project(source, target)
    with closing(sqlite3.connect(target)) as connection:
        connection.execute(f'UPDATE OR IGNORE coding SET uid = {_NEW_UID}, "end" = "end" - 1 WHERE "end" - start > 1')
        connection.commit()
    with opened(target) as s:
        for doc_id, text in s.execute(select(m.Document.id, m.Document.text).order_by(m.Document.id)
                                      .limit(edited_documents)).all():
            at = text.index(" the ") if " the " in text else len(text) // 2
            documents.edit_document_text(s, document_id=doc_id, start=at + 1, end=at + 4, replacement="teh")
    return target


def copy_project(source: Path, target: Path) -> Path:
    from qualcode.store.backup import copy_database

    return copy_database(source, target)


@contextmanager
def opened(path: Path) -> Iterator[Session]:
    with Project.open(path, backup=False) as project, project.session() as session:
        yield session


def node_id(s: Session, name: str) -> int:
    return nodes.find_node(s, name).id


def doc_id(s: Session, name: str) -> int:
    return int(s.scalar(select(m.Document.id).where(m.Document.name == name)))  # type: ignore[arg-type]


def code(s: Session, coder: str, document: str, passage: str, node: str) -> int:
    text = documents.document_text(s, doc_id(s, document))
    start, end = span(text, passage)
    return int(codings.apply_code(s, document_id=doc_id(s, document), start=start, end=end,
                                  node_id=node_id(s, node), coder_id=ensure_coder(s, coder).id).result)


def coding_set(s: Session) -> set[tuple[str, str, str, str]]:
    """Codings as (document name, coded text, node path, coder name)."""
    rows = s.execute(select(m.Document.name, m.Document.text, m.Coding.start, m.Coding.end, m.Coding.node_id,
                            m.Coder.name).join(m.Document, m.Document.id == m.Coding.document_id)
                     .join(m.Coder, m.Coder.id == m.Coding.coder_id)).all()
    return {(doc, text[start:end], "/".join(nodes.node_path(s, node)), coder)
            for doc, text, start, end, node, coder in rows}


def count(s: Session, model: type[m.Base]) -> int:
    return int(s.scalar(select(func.count()).select_from(model)) or 0)


__all__ = ["CLINIC", "HOME", "Recorder", "build_study", "code", "coding_set", "copy_project", "count", "doc_id",
           "node_id", "opened", "redone_copy", "span"]
