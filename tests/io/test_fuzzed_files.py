"""A corpus of broken files of every importable format: each is read or refused in one line,
quietly (no traceback, nothing a library prints), never crashed on.

The corpus is made here, reproducibly: the shapes that once crashed (markup nested a
thousand deep, a corrupt deflate stream inside a .docx/.odt, codes nested 1,000 deep in a
.qdpx, an .odt whose XML the SAX parser rejects) and seeded mutations of a valid file of
each format (bytes flipped, cut short, a zip entry's compressed data damaged).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from qualcode.domain.errors import QualCodeError
from qualcode.io.casesheet import read_sheet
from qualcode.io.documents import read_document
from qualcode.services.exchange import refi
from tests.filemakers import write_docx, write_odt, write_pdf, write_rtf, write_srt, write_vtt, write_xlsx

LINES = ["Interviewer: How was the garden?", "Ana: Café and naïve joy, every week.", "Bo: It helps."]
CUES = [("00:00:01.000", "00:00:03.000", "Ana: hello there"), ("00:00:04.000", "00:00:06.000", "Bo: yes")]


def _valid(folder: Path) -> dict[str, Path]:
    """One valid file of every importable format."""
    files = {
        "txt": folder / "a.txt",
        "md": folder / "a.md",
        "html": folder / "a.html",
        "csv": folder / "a.csv",
    }
    files["txt"].write_text("\n".join(LINES), encoding="utf-8")
    files["md"].write_text("# Garden\n\n" + "\n\n".join(LINES), encoding="utf-8")
    files["html"].write_text("<html><body>" + "".join(f"<p>{line}</p>" for line in LINES) + "</body></html>")
    files["csv"].write_text("id,age,site\nP1,67,North\nP2,45,South\n", encoding="utf-8")
    files["docx"] = write_docx(folder / "a.docx", LINES)
    files["odt"] = write_odt(folder / "a.odt", LINES)
    files["rtf"] = write_rtf(folder / "a.rtf", LINES)
    files["pdf"] = write_pdf(folder / "a.pdf", LINES)
    files["vtt"] = write_vtt(folder / "a.vtt", CUES)
    files["srt"] = write_srt(folder / "a.srt", CUES)
    files["xlsx"] = write_xlsx(folder / "a.xlsx", [("id", "age"), ("P1", 67), ("P2", 45)])
    return files


def _read(path: Path) -> object:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return read_sheet(path)
    if suffix == ".qdpx":
        return refi.read_qdpx_file(path)
    return read_document(path)


def _damage_entry(data: bytes, entry: str) -> bytes:
    """The same zip with the compressed bytes of `entry` scrambled (a corrupt deflate stream)."""
    package = zipfile.ZipFile(io.BytesIO(data))
    info = package.getinfo(entry)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    for offset in range(start + 2, min(start + 40, start + info.compress_size)):
        damaged[offset] ^= 0xA5
    return bytes(damaged)


def _rezip(data: bytes, entry: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, change(content) if name == entry else content)
    return out.getvalue()


def _known_crashers(folder: Path, valid: dict[str, Path]) -> list[Path]:
    made = []
    deep = folder / "nested 1000.html"
    deep.write_text("<html><body>" + "<div>" * 1000 + "deep words" + "</div>" * 1000 + "</body></html>")
    made.append(deep)
    deep_md = folder / "nested quotes.md"
    deep_md.write_text(">" * 1000 + " deep words\n", encoding="utf-8")
    made.append(deep_md)
    for kind, entry in (("docx", "word/document.xml"), ("odt", "content.xml")):
        bad = folder / f"bad deflate.{kind}"
        bad.write_bytes(_damage_entry(valid[kind].read_bytes(), entry))
        made.append(bad)
    sax = folder / "sax fails.odt"
    sax.write_bytes(_rezip(valid["odt"].read_bytes(), "content.xml", lambda xml: xml.replace(b"</office:text>", b"")))
    made.append(sax)
    return made


def _deep_qdpx(folder: Path, valid_qdpx: Path) -> Path:
    def nest(xml: bytes) -> bytes:
        deep = "".join(
            f'<Code guid="{i:08d}-0000-4000-8000-000000000000" name="c{i}" isCodable="true">' for i in range(1000)
        ) + "</Code>" * 1000
        return re.sub(rb"<Codes>", b"<Codes>" + deep.encode(), xml, count=1)

    target = folder / "codes 1000 deep.qdpx"
    target.write_bytes(_rezip(valid_qdpx.read_bytes(), "project.qde", nest))
    return target


def _mutations(path: Path, rng: random.Random, folder: Path) -> list[Path]:
    data = path.read_bytes()
    out = []
    for index in range(4):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 12)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        mutant = folder / f"{path.stem}-flip{index}{path.suffix}"
        mutant.write_bytes(bytes(damaged))
        out.append(mutant)
    cut = folder / f"{path.stem}-cut{path.suffix}"
    cut.write_bytes(data[: rng.randrange(1, len(data))])
    out.append(cut)
    if data.startswith(b"PK"):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        for index, name in enumerate(rng.sample(names, min(3, len(names)))):
            broken = folder / f"{path.stem}-entry{index}{path.suffix}"
            try:
                broken.write_bytes(_damage_entry(data, name))
            except (KeyError, zipfile.BadZipFile):
                continue
            out.append(broken)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from tests.teamwork_support import build_study

    folder = tmp_path_factory.mktemp("corpus")
    valid = _valid(folder)
    qdpx = folder / "a.qdpx"
    from qualcode.cli.main import main

    assert main(["export", "qdpx", str(build_study(folder / "study.qualcode")), str(qdpx)]) == 0
    valid["qdpx"] = qdpx
    rng = random.Random(1515)
    files = [*_known_crashers(folder, valid), _deep_qdpx(folder, qdpx)]
    for path in valid.values():
        files += _mutations(path, rng, folder)
    return files


def test_every_broken_file_is_read_or_refused_in_one_quiet_line(
    corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    outcomes: dict[str, str] = {}
    crashes: list[str] = []
    for path in corpus:
        try:
            _read(path)
            outcomes[path.name] = "read"
        except QualCodeError as exc:
            message = str(exc)
            outcomes[path.name] = message
            if "\n" in message or not message.strip():
                crashes.append(f"{path.name}: not one line: {message!r}")
        except Exception as exc:  # RecursionError, zlib.error, KeyError ...: a crash
            crashes.append(f"{path.name}: {type(exc).__name__}: {exc}")
    printed = capsys.readouterr()
    assert crashes == []
    assert printed.out == "" and printed.err == ""  # no library chatter on the terminal
    assert "deep words" not in outcomes["nested 1000.html"]
    assert outcomes["bad deflate.docx"].startswith("'bad deflate.docx': the .docx file is damaged")
    assert outcomes["bad deflate.odt"].startswith("'bad deflate.odt': the .odt file is damaged")
    assert "1,003 levels deep" in outcomes["codes 1000 deep.qdpx"]
    assert len(corpus) > 60


def test_markup_nested_a_thousand_deep_is_read(corpus: list[Path]) -> None:
    html = next(p for p in corpus if p.name == "nested 1000.html")
    assert read_document(html).text == "deep words"


def test_library_chatter_goes_into_the_import_report(
    corpus: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcode.cli.main import main

    sax = next(p for p in corpus if p.name == "sax fails.odt")
    pdf = tmp_path / "crooked.pdf"
    data = write_pdf(tmp_path / "straight.pdf", LINES).read_bytes()
    # A wrong start-of-index pointer: pypdf recovers, and warns.
    pdf.write_bytes(re.sub(rb"startxref\s+\d+", b"startxref\n12", data))
    project = tmp_path / "study.qualcode"
    assert main(["new", str(project)]) == 0
    capsys.readouterr()
    main(["import", str(project), str(sax), str(pdf), "--duplicates", "copy"])
    out, err = capsys.readouterr()
    assert "SAX FAILED" not in out + err
    assert "<office:" not in out and "<office:" not in err  # no whole XML on the terminal
    lines = (out + err).splitlines()
    assert all(len(line) < 600 for line in lines)
    crooked = next(line for line in lines if "'crooked.pdf'" in line)
    assert "imported" in crooked and "The reader noted:" in crooked
    odt = next(line for line in lines if "'sax fails.odt'" in line)
    assert "part of the document's XML could not be parsed, so some of its text may be missing" in odt


def test_a_qdpx_of_many_small_entries_is_refused_as_a_zip_bomb_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcode.cli.main import main
    from qualcode.io.refi.errors import UnsafeFileError
    from qualcode.io.refi.safety import Limits, SafeArchive

    bomb = tmp_path / "many.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("project.qde", "<Project/>")
        for index in range(90):
            archive.writestr(f"Sources/{index:04}.txt", b"a" * ((1 << 20) - 1))  # just under the per-entry floor
    size = bomb.stat().st_size
    assert size < 1 << 20  # under a megabyte on disk, 90 MB unpacked
    with pytest.raises(UnsafeFileError, match=r"unpacks to [\d,]+ bytes in 91 entries, .* times its size.*allow-large"):
        SafeArchive(bomb)
    project = tmp_path / "study.qualcode"
    assert main(["new", str(project)]) == 0
    assert main(["import", "qdpx", str(project), str(bomb)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qualcode: error: 'many.qdpx' (") and err.count("\n") == 1
    SafeArchive(bomb, Limits(max_total_ratio=float("inf"))).close()  # what --allow-large lifts
    # And an absolute bound, whatever the ratio.
    with pytest.raises(UnsafeFileError, match="more than the 50,000,000 QualCode accepts. If it is a genuine"):
        SafeArchive(bomb, Limits(max_total_bytes=50_000_000, max_total_ratio=float("inf")))


_FULL_DISK_EXPORT = """
import resource, signal, sys
from pathlib import Path
from qualcode.domain.errors import QualCodeError
from qualcode.io.table_export import to_data_table, write_tables

rows = [(f"P{i}", "the garden helps " * 20) for i in range(400)]
table = to_data_table(title="Quotes", header=["Participant", "Quote"], rows=rows)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, resource.RLIM_INFINITY))  # the disk fills up at 20 kB
for suffix in (".docx", ".xlsx"):
    try:
        write_tables(table, Path(sys.argv[1]) / f"quotes{suffix}")
        print("WROTE", suffix)
    except QualCodeError as exc:
        print("ERROR", exc)
"""


def test_a_full_disk_during_a_docx_or_xlsx_export_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import qualcode

    env = {**os.environ, "PYTHONPATH": str(Path(qualcode.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", _FULL_DISK_EXPORT, str(tmp_path)], capture_output=True, text=True,
                          env=env, timeout=120)
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["ERROR Cannot write 'quotes.docx'", "ERROR Cannot write 'quotes.xlsx'"]
    assert "File too large" in lines[0]
    assert done.stderr == ""  # no "Exception ignored in ZipFile.__del__"
    assert list(tmp_path.iterdir()) == []


def test_a_qdpx_asking_for_a_newer_zip_version_is_refused_in_one_line(corpus: list[Path], tmp_path: Path) -> None:
    valid = next(p for p in corpus if p.name == "a-flip0.qdpx").with_name("a.qdpx").read_bytes()
    central = valid.rindex(b"PK\x01\x02")  # the last entry's central directory record
    newer = bytearray(valid)
    newer[central + 6 : central + 8] = (121).to_bytes(2, "little")  # "version needed to extract": 12.1
    path = tmp_path / "newer.qdpx"
    path.write_bytes(bytes(newer))
    with pytest.raises(QualCodeError) as refused:
        _read(path)
    assert str(refused.value).startswith("'newer.qdpx' is not a REFI-QDA project") and "\n" not in str(refused.value)
