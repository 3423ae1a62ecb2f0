"""Hostile or broken files are refused with one clear message, and nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.domain.errors import CancelledError, QualCodeError
from qualcode.domain.progress import RecordingProgress
from qualcode.io.refi.safety import Limits, SafeArchive
from qualcode.services import project as project_service
from qualcode.services.exchange import refi as exchange
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import QdpxBuilder

MINIMAL = '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


def _refused_everywhere(path: Path, project: Project, tmp_path: Path, match: str) -> None:
    """The file is refused as a new project and into an open one; nothing is created or changed."""
    target = tmp_path / "new.qualcode"
    with pytest.raises(QualCodeError, match=match):
        exchange.import_qdpx_as_new_project(path, target)
    assert not target.exists() and not (tmp_path / "new-backups").exists()
    with project.session() as s:
        before = project_service.summary(s).counts
    with project.session() as s, pytest.raises(QualCodeError, match=match):
        exchange.import_qdpx(s, path=path)
    with project.session() as s:
        assert project_service.summary(s).counts == before


@pytest.mark.parametrize("entry", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/Windows/evil.txt",
                                   "sources\\..\\..\\evil.txt"])
def test_zip_slip_entries_are_refused(entry: str, qdpx: QdpxBuilder, project: Project, tmp_path: Path) -> None:
    path = qdpx.write("slip.qdpx", MINIMAL, {entry: b"gotcha"})
    _refused_everywhere(path, project, tmp_path, "absolute path|climbs out")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_xml_with_a_dtd_or_entities_is_refused(qdpx: QdpxBuilder, project: Project, tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
              '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>')
    _refused_everywhere(qdpx.write("laughs.qdpx", laughs), project, tmp_path, "DTD or entities")
    external = ('<?xml version="1.0"?><!DOCTYPE Project SYSTEM "file:///etc/passwd">'
                '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
    _refused_everywhere(qdpx.write("external.qdpx", external), project, tmp_path, "DTD or entities")


def test_a_zip_bomb_is_refused(qdpx: QdpxBuilder, project: Project, tmp_path: Path) -> None:
    path = qdpx.write("bomb.qdpx", MINIMAL, {"sources/bomb.txt": bytes(20 * 2**20)})
    assert path.stat().st_size < 100_000
    _refused_everywhere(path, project, tmp_path, "zip bombs")


def test_total_size_and_entry_count_are_limited(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    path = qdpx.write("big.qdpx", MINIMAL, {f"sources/{n}.txt": b"x" * 1000 for n in range(20)})
    with pytest.raises(QualCodeError, match="unpacks to 20,0"):
        SafeArchive(path, Limits(max_total_bytes=10_000)).close()
    with pytest.raises(QualCodeError, match="holds 21 entries"):
        SafeArchive(path, Limits(max_entries=10)).close()
    with SafeArchive(path, Limits(max_read_bytes=2_500)) as archive, pytest.raises(QualCodeError, match="more than"):
        for n in range(5):
            archive.read(f"sources/{n}.txt")


@pytest.mark.parametrize(("content", "match"), [
    (b"not a zip at all", "not a readable zip"),
    (None, "holds no project.qde"),
])
def test_files_that_are_not_projects_are_refused(content: bytes | None, match: str, tmp_path: Path,
                                                 project: Project) -> None:
    path = tmp_path / "odd.qdpx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
    else:
        path.write_bytes(content)
    _refused_everywhere(path, project, tmp_path, match)


def test_broken_xml_names_the_line(qdpx: QdpxBuilder, project: Project, tmp_path: Path) -> None:
    path = qdpx.write("broken.qdpx", '<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n<Users>\n</Project>')
    _refused_everywhere(path, project, tmp_path, r"not well-formed XML \(line 3")


def test_several_project_files_and_codebooks_are_refused(qdpx: QdpxBuilder, project: Project, tmp_path: Path) -> None:
    path = qdpx.write("two.qdpx", MINIMAL, {"other.qde": MINIMAL.encode()})
    _refused_everywhere(path, project, tmp_path, "several project files")
    codebook = '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'
    _refused_everywhere(qdpx.write("cb.qdpx", codebook), project, tmp_path, "import it as a codebook")


def test_cancelling_while_writing_removes_the_new_project(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        exported = exchange.export_qdpx(s, path=tmp_path / "study.qdpx")
    reading = RecordingProgress()
    exchange.read_qdpx_file(exported.path, progress=reading)
    assert [u[2] for u in reading.updates][-1] == "Read"
    progress = RecordingProgress(cancel_after=len(reading.updates))  # after reading, before writing
    with pytest.raises(CancelledError):
        exchange.import_qdpx_as_new_project(exported.path, tmp_path / "new.qualcode", progress=progress)
    assert progress.updates == reading.updates
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("new")]
