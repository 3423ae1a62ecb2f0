"""Permissions the PostgreSQL server enforces itself: members connect through plain SQL
(psycopg, their own password), not through QualCode, and are refused what their role does
not allow; the same refusals reach QualCode's services as one clear message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import select

from qualcode.domain.errors import PermissionDeniedError
from qualcode.services import documents
from qualcode.services.codebook import nodes
from qualcode.services.coders import find_coder
from qualcode.services.coding import codings
from qualcode.services.teamwork import team
from qualcode.store.models import AuditEvent
from qualcode.store.server import TeamProject
from tests.conftest import _admin_execute, add_password

PASSWORDS = {"perm_ana": "ana-secret", "perm_ben": "ben-secret", "perm_rita": "rita-secret", "perm_rea": "rea-secret"}


@dataclass
class Team:
    url: str
    port: int
    database: str
    doc: int
    node: int
    coders: dict[str, int]
    codings: dict[str, int]

    def member_url(self, name: str) -> str:
        return self.url.replace("qualcode_admin@", f"{name}@")

    def sql(self, name: str) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, dbname=self.database, user=name,
                               password=PASSWORDS[name], autocommit=True)


@pytest.fixture(scope="module")
def team_project(pg_cluster) -> Iterator[Team]:  # type: ignore[no-untyped-def]
    database = "qualcode_permissions"
    url = pg_cluster.url(database)
    with team.init_team(url) as project:
        roles = {"perm_ana": "coder", "perm_ben": "coder", "perm_rita": "reviewer", "perm_rea": "reader"}
        for name, role in roles.items():
            team.add_member(project, name=name, role=role, password=PASSWORDS[name])
            add_password(pg_cluster, name, PASSWORDS[name])
        with project.session() as s:
            doc = documents.add_document(s, name="P1", text="The nurse listened and the bus was late.").result
            node = nodes.create_node(s, name="Trust").result
            coder_ids = {name: find_coder(s, name).id for name in roles}  # type: ignore[union-attr]
            made = {name: codings.apply_code(s, document_id=doc, start=4, end=9, node_id=node,
                                             coder_id=coder_ids[name]).result
                    for name in ("perm_ana", "perm_ben")}
    yield Team(url, pg_cluster.port, database, doc, node, coder_ids, made)
    _admin_execute(pg_cluster, f"DROP DATABASE {database} WITH (FORCE)",
                   *(f"DROP ROLE IF EXISTS {name}" for name in PASSWORDS),
                   *(f"DROP ROLE IF EXISTS {database}_{role}" for role in ("owner", "reviewer", "coder", "reader")))


def test_coder_cannot_change_or_delete_another_coders_coding(team_project: Team) -> None:
    t = team_project
    with t.sql("perm_ana") as ana:
        changed = ana.execute("UPDATE coding SET \"end\" = 20 WHERE id = %s", (t.codings["perm_ben"],)).rowcount
        deleted = ana.execute("DELETE FROM coding WHERE id = %s", (t.codings["perm_ben"],)).rowcount
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ana.execute("INSERT INTO coding (uid, document_id, start, \"end\", node_id, coder_id, created_at, memo, "
                        "exemplar) VALUES ('forged', %s, 0, 3, %s, %s, now(), '', false)",
                        (t.doc, t.node, t.coders["perm_ben"]))
        own = ana.execute("UPDATE coding SET memo = 'mine' WHERE id = %s", (t.codings["perm_ana"],)).rowcount
    assert (changed, deleted, own) == (0, 0, 1)
    with t.sql("perm_ben") as ben:
        assert ben.execute("SELECT \"end\" FROM coding WHERE id = %s", (t.codings["perm_ben"],)).fetchone() == (9,)


def test_coder_cannot_change_the_codebook_unless_allowed_to_add_codes(team_project: Team) -> None:
    t = team_project
    with t.sql("perm_ana") as ana:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ana.execute("UPDATE node SET name = 'Distrust' WHERE id = %s", (t.node,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ana.execute("INSERT INTO node (uid, name, level, position, definition, inclusion, exclusion, color, "
                        "origin, created_at, memo) VALUES ('n1', 'Mine', 1, 0, '', '', '', '#000000', 'inductive', "
                        "now(), '')")
    with TeamProject.open(t.url) as admin:
        team.allow_coders_to_add_codes(admin, True)
    try:
        with t.sql("perm_ana") as ana:
            ana.execute("INSERT INTO node (uid, name, level, position, definition, inclusion, exclusion, color, "
                        "origin, created_at, memo) VALUES ('n2', 'Mine', 1, 0, '', '', '', '#000000', 'inductive', "
                        "now(), '')")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a global theme is still the owner's
                ana.execute("INSERT INTO node (uid, name, level, position, definition, inclusion, exclusion, color, "
                            "origin, created_at, memo) VALUES ('n3', 'Big', 4, 0, '', '', '', '#000000', "
                            "'inductive', now(), '')")
            assert ana.execute("SELECT count(*) FROM node WHERE uid = 'n2'").fetchone() == (1,)
    finally:
        with TeamProject.open(t.url) as admin:
            team.allow_coders_to_add_codes(admin, False)


def test_blind_coders_read_only_their_own_codings_until_unblinded(team_project: Team) -> None:
    t = team_project
    with TeamProject.open(t.url) as admin:
        team.set_blind(admin, True)
    try:
        with t.sql("perm_ana") as ana, t.sql("perm_rita") as rita:
            seen_blind = {row[0] for row in ana.execute("SELECT coder_id FROM coding")}
            reviewer_sees = {row[0] for row in rita.execute("SELECT coder_id FROM coding")}
    finally:
        with TeamProject.open(t.url) as admin:
            team.set_blind(admin, False)
    with t.sql("perm_ana") as ana:
        seen_after = {row[0] for row in ana.execute("SELECT coder_id FROM coding")}
    assert seen_blind == {t.coders["perm_ana"]}
    assert reviewer_sees >= {t.coders["perm_ana"], t.coders["perm_ben"]}
    assert seen_after >= {t.coders["perm_ana"], t.coders["perm_ben"]}


def test_reader_reads_but_writes_nothing(team_project: Team) -> None:
    t = team_project
    with t.sql("perm_rea") as rea:
        assert rea.execute("SELECT count(*) FROM coding").fetchone()[0] >= 2  # type: ignore[index]
        for statement in ("DELETE FROM coding", "UPDATE document SET name = 'x'", "DELETE FROM memo",
                          "INSERT INTO audit_event (at, action, details) VALUES (now(), 'forged', '{}')",
                          "UPDATE team_setting SET blind = false", "CREATE TABLE mine (id int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                rea.execute(statement)


def test_reviewer_resolves_a_disagreement_by_deleting_a_coders_coding(team_project: Team) -> None:
    t = team_project
    with t.sql("perm_rita") as rita:
        forged = rita.execute("INSERT INTO coding (uid, document_id, start, \"end\", node_id, coder_id, created_at, "
                              "memo, exemplar) VALUES ('to-resolve', %s, 10, 18, %s, %s, now(), '', false) "
                              "RETURNING id", (t.doc, t.node, t.coders["perm_ben"])).fetchone()[0]  # type: ignore[index]
        assert rita.execute("DELETE FROM coding WHERE id = %s", (forged,)).rowcount == 1


def test_members_code_through_qualcode_and_the_audit_names_their_role(team_project: Team) -> None:
    t = team_project
    with TeamProject.open(t.member_url("perm_ben")) as ben:
        assert team.member_coder_id(ben) == t.coders["perm_ben"]
        with ben.session() as s:
            codings.apply_code(s, document_id=t.doc, start=14, end=22, node_id=t.node, coder_id=t.coders["perm_ben"])
        with pytest.raises(PermissionDeniedError, match="does not permit"), ben.session() as s:
            nodes.update_node(s, node_id=t.node, name="Distrust")
        with pytest.raises(PermissionDeniedError, match="row-level security"), ben.session() as s:
            codings.apply_code(s, document_id=t.doc, start=0, end=3, node_id=t.node, coder_id=t.coders["perm_ana"])
        with ben.session() as s:
            last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
            assert last is not None
            assert json.loads(last.details)["db_role"] == "perm_ben"
            assert s.scalar(select(nodes.Node.name).where(nodes.Node.id == t.node)) == "Trust"
