"""A small, realistic populated project shared by the service tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text

from qualcode.services import coders, documents, memos
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.documents import TurnSpec
from qualcode.store.models import Base
from qualcode.store.project import Project
from tests.conftest import ENGINES, open_any

P1_TEXT = (
    "Interviewer: How did you hear about the service?\n"
    "P1: My GP in Ashford 😀 referred me to Sam, the link worker. We met at the café.\n"
    "Interviewer: What happened next?\n"
    "P1: Sam found me a walking group and a gardening club. I felt less lonely."
)


@dataclass
class Ids:
    ana: int
    ben: int
    p1_doc: int
    p2_doc: int
    case: int
    site: int
    community: int
    support: int
    trust: int
    walking: int
    lonely: int
    transport: int
    coding: int


@pytest.fixture(params=ENGINES)
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """A new, empty project, as a SQLite file and as a team project on PostgreSQL."""
    opened: Project = open_any(request.param, request, tmp_path)  # type: ignore[assignment]
    yield opened
    opened.close()


@pytest.fixture(params=ENGINES)
def populated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Project, Ids]]:
    """The project as a SQLite file and as a team project on PostgreSQL."""
    project: Project = open_any(request.param, request, tmp_path, "populated")  # type: ignore[assignment]
    with project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        ben = coders.ensure_coder(s, "Ben").id
        turns = [TurnSpec(0, 48, "Interviewer")]
        p1 = documents.add_document(s, name="P1 interview", text=P1_TEXT, turns=turns).result
        p2 = documents.add_document(s, name="P2 interview", text="P2: The bus was hard.\nI liked the art class.").result
        case = cases.create_case(s, name="P1").result
        cases.link_documents(s, case_id=case, document_ids=[p1])
        site = cases.create_attribute(s, name="site", type="category").result
        cases.set_attribute_value(s, attribute_id=site, case_id=case, value="Site 2")
        community = nodes.create_node(s, name="Community connection", level="global").result
        support = nodes.create_node(s, name="Support", level="organising", parent_id=community).result
        trust = nodes.create_node(s, name="Trust in the link worker", level="basic", parent_id=support).result
        walking = nodes.create_node(s, name="Walking group", parent_id=trust).result
        lonely = nodes.create_node(s, name="Loneliness", parent_id=trust).result
        transport = nodes.create_node(s, name="Transport barriers", level="basic", parent_id=community).result
        start = P1_TEXT.index("Sam found")
        coding = codings.apply_code(
            s, document_id=p1, start=start, end=start + 40, node_id=walking, coder_id=ana
        ).result
        codings.apply_code(
            s, document_id=p1, start=P1_TEXT.index("I felt"), end=len(P1_TEXT), node_id=lonely, coder_id=ben
        )
        memos.add_memo(s, target_type="node", target_uid="", title="Idea", text="Link workers as brokers")
        memos.add_journal_entry(s, coder_id=ana, text="Day one of coding.")
    yield project, Ids(ana, ben, p1, p2, case, site, community, support, trust, walking, lonely, transport, coding)
    project.close()


def dump(project: Project) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the audit trail (which records undo/redo as events)."""
    result = {}
    with project.session() as s:
        for name, table in Base.metadata.tables.items():
            if name == "audit_event":
                continue
            order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            result[name] = [tuple(r) for r in s.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}'))]
        catalogue = "sqlite_master" if s.get_bind().dialect.name == "sqlite" else "pg_tables"
        column = "name" if catalogue == "sqlite_master" else "tablename"
        result["_ids"] = [tuple(r) for r in s.execute(select(text(column)).select_from(text(catalogue)))]
    return result
