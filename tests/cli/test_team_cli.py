"""`qualcode team ...` and project verbs on a team URL, against the test PostgreSQL server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from qualcode.cli.main import main
from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.store.project import Project
from tests.conftest import add_password


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in that keeps passwords in memory (keyring's own plug-in interface)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def _study(path: Path) -> Path:
    with Project.create(path, title="Loneliness") as project, project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        doc = documents.add_document(s, name="P1", text="The nurse listened. The bus was late.").result
        node = nodes.create_node(s, name="Trust").result
        codings.apply_code(s, document_id=doc, start=4, end=9, node_id=node, coder_id=ana)
    return path


def test_a_team_publishes_adds_members_and_works_on_the_server(
    tmp_path: Path, new_team_url: str, pg_cluster, memory_keyring: MemoryKeyring,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["team", "publish", str(_study(tmp_path / "study.qualcode")), new_team_url]) == 0
    assert "added 1 document, 1 node, 1 coding;" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("cli-coder-pw\n"))
    assert main(["team", "add-member", new_team_url, "cli_coder", "--role", "coder", "--password-stdin"]) == 0
    assert "cli_coder is now a coder" in capsys.readouterr().out
    assert main(["team", "add-member", new_team_url, "cli_reader", "--role", "reader"]) == 0
    shown = capsys.readouterr().out
    assert "Their first password" in shown
    add_password(pg_cluster, "cli_reader", shown.rsplit(": ", 1)[1].strip())

    member = new_team_url.replace("qualcode_admin@", "cli_coder@")
    monkeypatch.setattr("sys.stdin", io.StringIO("cli-coder-pw\n"))
    assert main(["team", "login", member]) == 0  # the password now comes from the keyring only
    assert list(memory_keyring.passwords.values()) == ["cli-coder-pw"]
    assert main(["query", "search", member, "nurse"]) == 0
    assert "nurse" in capsys.readouterr().out
    assert main(["info", member]) == 0
    assert "Codings:" in capsys.readouterr().out

    copy = tmp_path / "offline.qualcode"
    assert main(["team", "checkout", member, str(copy)]) == 0
    with Project.open(copy) as local, local.session() as s:
        me = coders.ensure_coder(s, "cli_coder").id
        codings.apply_code(s, document_id=1, start=20, end=27, node_id=1, coder_id=me)
    capsys.readouterr()
    assert main(["merge", member, str(copy)]) == 0
    assert "added 1 coding" in capsys.readouterr().out

    reader = new_team_url.replace("qualcode_admin@", "cli_reader@")
    assert main(["theme", "group", reader, "Trust", "--name", "Care"]) == 1
    assert "Not allowed" in capsys.readouterr().err


def test_team_commands_refuse_passwords_in_urls_and_unknown_servers(
        pg_cluster, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["team", "init", "postgresql://ana:secret@127.0.0.1/x"]) == 1
    assert capsys.readouterr().err.strip() == (
        "qualcode: error: Do not put a password in the URL: store it in the keyring or in ~/.pgpass.")
    assert main(["info", f"postgresql://qualcode_admin@127.0.0.1:{pg_cluster.port}/absent"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qualcode: error: Cannot connect to the team project absent on 127.0.0.1") and err.count("\n") == 1
