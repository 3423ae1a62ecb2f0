"""Live refresh on a team project: one member's committed work reaches another's listener
as a Change within ~2 s; rolled-back work and one's own writes never do."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.teamwork import live, team
from qualcode.store.server import TeamProject


def test_another_members_coding_arrives_as_a_change_within_two_seconds(new_team_url: str) -> None:
    with team.init_team(new_team_url) as admin, admin.session() as s:
        doc = documents.add_document(s, name="P1", text="The nurse listened.").result
        node = nodes.create_node(s, name="Trust").result
        ben = coders.ensure_coder(s, "Ben").id
    with TeamProject.open(new_team_url) as ana, TeamProject.open(new_team_url) as other:
        listener = live.listen(ana)
        try:
            with pytest.raises(RuntimeError), other.session() as s:  # rolled back: never announced
                codings.apply_code(s, document_id=doc, start=4, end=9, node_id=node, coder_id=ben)
                raise RuntimeError("cancelled")
            started = time.perf_counter()
            with other.session() as s:
                coding = codings.apply_code(s, document_id=doc, start=4, end=9, node_id=node, coder_id=ben).result
            change = live.as_change(listener.changes(timeout=2.0))
            latency = time.perf_counter() - started
            assert change is not None and change.ids("coding") == {coding}
            assert change.title == "Changes by qualcode_admin"
            assert latency < 2.0
            with ana.session() as s:  # one's own writes are left out when the role is known
                s.execute(text("UPDATE node SET memo = 'x'"))
            assert live.as_change(listener.changes(timeout=0.5), own_role="qualcode_admin") is None
            assert "qualcode_admin" in live.who_is_working(ana)
        finally:
            listener.close()
