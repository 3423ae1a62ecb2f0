"""Export then import into a new project gives back the same project."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from qualcode.io.refi.schemas import validate_bytes
from qualcode.services.codebook.nodes import list_nodes
from qualcode.services.exchange import refi as exchange
from qualcode.services.exchange._snapshot import snapshot_project
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import comparable


def test_round_trip_keeps_every_part_of_the_project(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        original = snapshot_project(s)
        report = exchange.export_qdpx(s, path=tmp_path / "study.qdpx")
    with zipfile.ZipFile(report.path) as archive:
        assert validate_bytes(archive.read("project.qde"), "project") == []

    imported = exchange.import_qdpx_as_new_project(report.path, tmp_path / "copy.qualcode")
    assert imported.deviations == ()
    with Project.open(imported.path) as copy, copy.session() as s:
        restored = snapshot_project(s)
        levels = {n.name: n.level.label for n in list_nodes(s)}

    assert comparable(restored) == comparable(original)
    assert levels["Belonging 🏠"] == "Global theme"
    assert levels["Trust & safety"] == "Organising theme"
    assert levels["Being reassured"] == "Basic theme"
    assert levels["Family feeling 👨‍👩‍👧"] == "Code"
    assert len(restored.configurations) == 3
    assert len({c.coder_uid for c in restored.codings}) == 3


def test_round_trip_twice_gives_the_same_file_content(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        first = exchange.export_qdpx(s, path=tmp_path / "one.qdpx")
    imported = exchange.import_qdpx_as_new_project(first.path, tmp_path / "copy.qualcode")
    with Project.open(imported.path) as copy, copy.session() as s:
        second = exchange.export_qdpx(s, path=tmp_path / "two.qdpx")

    def content(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        root = etree.fromstring(files["project.qde"])
        del root.attrib["modifiedDateTime"]  # the time of the export itself
        files["project.qde"] = etree.tostring(root)
        return files

    assert content(first.path) == content(second.path)


def test_round_trip_of_the_demo_project(tmp_path: Path) -> None:
    from qualcode.services.demo import build_demo

    demo = build_demo(tmp_path / "demo.qualcode")
    with Project.open(demo) as project, project.session() as s:
        original = snapshot_project(s)
        report = exchange.export_qdpx(s, path=tmp_path / "demo.qdpx")
    with zipfile.ZipFile(report.path) as archive:
        assert validate_bytes(archive.read("project.qde"), "project") == []
    imported = exchange.import_qdpx_as_new_project(report.path, tmp_path / "copy.qualcode")
    assert imported.deviations == ()
    with Project.open(imported.path) as copy, copy.session() as s:
        restored = snapshot_project(s)
    assert original.documents and original.codings and original.configurations and original.cases
    assert comparable(restored) == comparable(original)
