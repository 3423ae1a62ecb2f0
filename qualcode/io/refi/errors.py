"""Errors of the REFI-QDA exchange: files that cannot be read or written safely."""

from __future__ import annotations

from qualcode.domain.errors import QualCodeError


class ExchangeFileError(QualCodeError):
    """A .qdpx or .qdc file that cannot be read (not a zip, not QDA-XML, missing parts)."""


class UnsafeFileError(ExchangeFileError):
    """A file refused for safety: zip slip, zip bomb, DTD or entity declarations."""
