"""The REFI-QDA XML schemas shipped with QualCode, and validation against them.

`Project-mrt2019.xsd` (QDA-XML 1.0, 18 March 2019) and `Codebook-mrt2019.xsd` (1.0,
5 October 2017), MIT-licensed by REFI, are package data, so validation works offline.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_SCHEMA_LOCATION = f"{PROJECT_NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_SCHEMA_LOCATION = f"{CODEBOOK_NS} http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

Kind = Literal["project", "codebook"]
_FILES = {"project": "Project-mrt2019.xsd", "codebook": "Codebook-mrt2019.xsd"}


def schema_path(kind: Kind) -> Path:
    return Path(__file__).with_name("schemas") / _FILES[kind]


@cache
def _schema(kind: Kind) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(schema_path(kind)), parser))


def schema_errors(document: Any, kind: Kind, *, limit: int = 20) -> list[str]:
    """Schema violations of an lxml element tree (or root), at most `limit`, as 'line N: message'."""
    schema = _schema(kind)
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in list(schema.error_log)[:limit]]


def validate_bytes(data: bytes, kind: Kind, *, limit: int = 20) -> list[str]:
    """Schema violations of serialised XML that is already known to carry no DTD."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    root = etree.fromstring(data, parser)
    return schema_errors(root, kind, limit=limit)
