"""Reference lists in and out: RIS (rispy), BibTeX (bibtexparser), CSL-JSON, EndNote XML and
plain-text APA/Harvard lists in; BibTeX, RIS and CSL-JSON out.

Every reader returns `ReferenceFile`: the records it read and, for what it could not read,
an `Unparsed` entry with the line and the problem (never a guess).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.domain.references import ReferenceRecord, Unparsed
from qualcode.io.base import file_error

FORMATS = ("ris", "bibtex", "csl-json", "endnote-xml", "text")
_SUFFIXES = {".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json",
             ".xml": "endnote-xml", ".txt": "text", ".text": "text", ".md": "text"}


@dataclass(frozen=True)
class ReferenceFile:
    records: tuple[ReferenceRecord, ...]
    unparsed: tuple[Unparsed, ...]
    format: str


def reference_format(path: Path, format: str | None = None) -> str:
    """The format named (ris, bibtex, csl-json, endnote-xml, text) or the one the suffix implies."""
    if format:
        name = format.strip().lower()
        aliases = {"bib": "bibtex", "csl": "csl-json", "json": "csl-json", "endnote": "endnote-xml",
                   "xml": "endnote-xml", "txt": "text", "apa": "text", "harvard": "text"}
        name = aliases.get(name, name)
        if name not in FORMATS:
            raise file_error(path, f"unknown reference format '{format}' (use {', '.join(FORMATS)}).")
        return name
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise file_error(path, "cannot tell the reference format from the name: use .ris, .bib, .json "
                         "(CSL-JSON), .xml (EndNote) or .txt (APA/Harvard list), or name the format.")
    return _SUFFIXES[suffix]


def read_references(path: str | Path, *, format: str | None = None) -> ReferenceFile:
    """Read a reference file; raises UnreadableFileError when the file as a whole is unusable."""
    path = Path(path)
    fmt = reference_format(path, format)
    if fmt == "ris":
        from qualcode.io.references.ris import read_ris as reader
    elif fmt == "bibtex":
        from qualcode.io.references.bibtex import read_bibtex as reader
    elif fmt == "csl-json":
        from qualcode.io.references.csljson import read_csl_json as reader
    elif fmt == "endnote-xml":
        from qualcode.io.references.endnote import read_endnote_xml as reader
    else:
        from qualcode.io.references.plaintext import read_reference_list as reader
    records, unparsed = reader(path)
    if not records and not unparsed:
        raise file_error(path, "holds no references.")
    return ReferenceFile(tuple(records), tuple(unparsed), fmt)
