"""Reading untrusted exchange files safely: zip slip, zip bombs, DTDs and entities.

A .qdpx comes from another tool or another person. Before anything is read, the whole
archive is checked: every entry name must be relative and stay inside the archive
(no absolute paths, drive letters or `..`), the number of entries, the declared sizes
and the compression ratio must be plausible. Reads are bounded again while they run,
since declared sizes can lie. XML is parsed with defusedxml and refused outright when it
carries a DTD, entity declarations or external references. Nothing here writes files.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from qualcode.io.refi.errors import ExchangeFileError, UnsafeFileError


@dataclass(frozen=True)
class Limits:
    """What a plausible exchange file stays within."""

    max_entries: int = 100_000
    max_entry_bytes: int = 2**31 - 1  # the standard's own limit per internal file
    max_total_bytes: int = 1 * 2**30  # all entries, as declared
    max_read_bytes: int = 1 * 2**30  # what QualCode actually reads (XML and text sources)
    max_ratio: float = 100.0  # uncompressed / compressed, for entries above `ratio_floor`
    ratio_floor: int = 1 * 2**20
    # The whole archive: many small entries each under `ratio_floor` add up to a bomb too.
    max_total_ratio: float = 100.0  # all entries uncompressed / the archive's size ...
    total_ratio_floor: int = 64 * 2**20  # ... once they add up to more than this


DEFAULT_LIMITS = Limits()
# For genuinely large projects (`--allow-large`): the standard's limits, and no ratio for the whole.
LARGE_LIMITS = Limits(max_total_bytes=64 * 2**30, max_read_bytes=16 * 2**30, max_total_ratio=float("inf"))
_OVERRIDE = "If it is a genuine project this large, import it again with --allow-large."
_CHUNK = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"
_CODEBOOK_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?CodeBook[\s>/]")


def sniff_codebook(path: Path) -> bool:
    """Whether a file that should be a .qdpx archive is in fact a codebook's XML (.qdc)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return not head.startswith(ZIP_MAGIC) and _CODEBOOK_ROOT.search(head) is not None
_DRIVE = re.compile(r"^[A-Za-z]:")


def check_entry_name(name: str) -> None:
    """Refuse a zip entry name that could point outside the archive (zip slip)."""
    unified = name.replace("\\", "/")
    parts = unified.split("/")
    if unified.startswith("/") or _DRIVE.match(unified) or "\x00" in name:
        raise UnsafeFileError(
            f"The archive holds an entry with an absolute path ('{name}'); QualCode refuses such files for safety."
        )
    if ".." in parts:
        raise UnsafeFileError(
            f"The archive holds an entry that climbs out of its folder ('{name}'); "
            "QualCode refuses such files for safety."
        )


class SafeArchive:
    """A checked .qdpx archive: entry names, and bounded reads of their bytes."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise ExchangeFileError(f"There is no file at '{path}'.") from None
        except IsADirectoryError:
            raise ExchangeFileError(f"'{path}' is a folder, not a .qdpx file.") from None
        except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:  # or a zip version it cannot read
            if sniff_codebook(path):
                raise ExchangeFileError(f"'{path.name}' is a REFI-QDA codebook (.qdc), not a project: import it as "
                                        "a codebook (import qdc).") from None
            raise ExchangeFileError(
                f"'{path.name}' is not a REFI-QDA project: it is not a readable zip archive ({exc})."
            ) from None
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise
        self.names = [info.filename for info in self._zip.infolist() if not info.is_dir()]

    def _check(self) -> None:
        infos = self._zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_entries:
            raise UnsafeFileError(
                f"'{self.path.name}' holds {len(infos):,} entries (at most {limits.max_entries:,} are accepted)."
            )
        total = 0
        for info in infos:
            check_entry_name(info.filename)
            if info.file_size > limits.max_entry_bytes:
                raise UnsafeFileError(
                    f"'{info.filename}' in '{self.path.name}' unpacks to {info.file_size:,} bytes, "
                    f"more than the {limits.max_entry_bytes:,} the standard allows."
                )
            if info.file_size > limits.ratio_floor:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise UnsafeFileError(
                        f"'{info.filename}' in '{self.path.name}' is compressed {ratio:,.0f} to 1, which is how "
                        "zip bombs are made; QualCode refuses the file."
                    )
            total += info.file_size
        if total > limits.max_total_bytes:
            raise UnsafeFileError(
                f"'{self.path.name}' unpacks to {total:,} bytes in all, more than the "
                f"{limits.max_total_bytes:,} QualCode accepts. {_OVERRIDE}"
            )
        archive_size = max(self.path.stat().st_size, 1)
        if total > limits.total_ratio_floor and total / archive_size > limits.max_total_ratio:
            raise UnsafeFileError(
                f"'{self.path.name}' ({archive_size:,} bytes) unpacks to {total:,} bytes in "
                f"{len(infos):,} entries, {total / archive_size:,.0f} times its size, which is how zip bombs "
                f"are made; QualCode refuses the file. {_OVERRIDE}"
            )

    def read(self, name: str) -> bytes:
        """The bytes of one entry, read with every limit enforced as it goes."""
        limits = self.limits
        info = self._zip.getinfo(name)
        chunks: list[bytes] = []
        size = 0
        try:
            handle: IO[bytes]
            with self._zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > info.file_size or size > limits.max_entry_bytes:
                        raise UnsafeFileError(
                            f"'{name}' in '{self.path.name}' unpacks to more than it declares; "
                            "QualCode refuses the file."
                        )
                    if self._read_total > limits.max_read_bytes:
                        raise UnsafeFileError(
                            f"'{self.path.name}' unpacks to more than {limits.max_read_bytes:,} bytes of text "
                            f"and XML; QualCode refuses the file. {_OVERRIDE}"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error) as exc:
            raise ExchangeFileError(f"'{name}' in '{self.path.name}' cannot be read (the file is damaged): {exc}.") from None
        except NotImplementedError as exc:  # an unsupported compression method
            raise ExchangeFileError(f"'{name}' in '{self.path.name}' cannot be unpacked: {exc}.") from None
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def parse_xml(data: bytes, what: str) -> Element:
    """Parse XML, refusing DTDs, entity declarations and external references."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeFileError(
            f"{what} declares a DTD or entities; QualCode refuses such XML for safety "
            "(REFI-QDA files never need them)."
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise ExchangeFileError(f"{what} is not well-formed XML (line {line}, column {column}).") from None
    depth = xml_depth(root)
    if depth > MAX_XML_DEPTH:
        raise UnsafeFileError(
            f"{what} nests its elements {depth:,} levels deep (codes within codes ...); QualCode reads at most "
            f"{MAX_XML_DEPTH} levels, far more than any real project uses. The file is damaged or made to break readers."
        )
    return root


MAX_XML_DEPTH = 150


def xml_depth(root: Element) -> int:
    """How deep the element tree goes (counted without recursion)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """A whole (small) file, refused when it is larger than `limit` bytes."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise UnsafeFileError(f"{what} is {size:,} bytes, more than the {limit:,} QualCode accepts.")
        return path.read_bytes()
    except FileNotFoundError:
        raise ExchangeFileError(f"There is no file at '{path}'.") from None
    except IsADirectoryError:
        raise ExchangeFileError(f"'{path}' is a folder, not a file.") from None
    except OSError as exc:
        raise ExchangeFileError(f"Cannot read '{path}': {exc.strerror or exc}.") from None
