"""The viewer layer of CMO evidence: each passage tagged as C, M or O is outlined and
labelled in the margin ("C 3" = context of CMOC 3), in role colours distinct from the
theme highlights."""

from __future__ import annotations

import re
from typing import Any

from qualcode.gui.contributions import SpanMark
from qualcode.services.commands import Change
from qualcode.services.realist import evidence as cmo_evidence

LAYER_NAME = "CMO evidence"
# Purple, teal and magenta: apart from the blues and oranges of theme levels.
ROLE_COLORS = {"C": "#5e3c99", "M": "#00897b", "O": "#c2185b"}
OTHER_COLOR = "#6d4c41"


def role_color(role: str) -> str:
    token = role.upper()
    return ROLE_COLORS.get(token, ROLE_COLORS.get(token[:1], OTHER_COLOR))


def short_label(label: str) -> str:
    """'3' for 'CMOC 3', else the label itself: margin labels are narrow."""
    match = re.fullmatch(r"CMOC\s*(\S+)", label.strip(), re.IGNORECASE)
    return match.group(1) if match else label


# What the marks are drawn from: evidence, its statements and configurations, documents, coders.
_TABLES = ("cmo_evidence", "cmo_component", "cmo_configuration", "document", "coder")


def evidence_changed(change: Change) -> bool:
    """Whether a change can alter the evidence marks: a change to evidence or what it shows,
    or to an existing coding (evidence from a coding follows the coding's span). A new coding
    is not evidence yet, so coding a passage does not read the evidence again."""
    if change.affects(*_TABLES):
        return True
    rows = change.row_changes("coding")
    return rows is None or any(row.before is not None for row in rows)


def evidence_marks(session: Any, document_id: int) -> list[SpanMark]:
    """SpanMarks for every CMO evidence passage on a document."""
    marks = []
    for item in cmo_evidence.evidence_for(session, document_id=document_id, context=0):
        stance = "" if item.stance == "supports" else " (refutes)"
        tooltip = (f"{item.configuration_label} · {item.concept or 'No concept'}\n"
                   f"{cmo_evidence.role_title(item.role)}{stance}: {item.statement}\n"
                   f"Tagged by {item.coder_name}")
        marks.append(SpanMark(item.start, item.end, f"{item.role} {short_label(item.configuration_label)}",
                              role_color(item.role), tooltip))
    return marks
