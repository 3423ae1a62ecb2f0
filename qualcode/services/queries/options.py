"""The choices and defaults the queries offer, kept free of the database layer so the command
line can build its parser (and answer `--help`) without loading it."""

from __future__ import annotations

DEFAULT_CONTEXT = 60
DEFAULT_LIMIT = 5000
PROXIMITIES = ("overlap", "turn", "sentence")
COLUMN_KINDS = ("attribute", "cases", "documents")
CODING_VIEWS = ("level", "coder", "document")
