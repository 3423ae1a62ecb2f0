"""The merge report as rich text for Qt's text browser (which reads table attributes, not CSS)."""

from __future__ import annotations

import html

from qualcode.gui.style import for_text, tone_name
from qualcode.services.teamwork.merge_report import ENTITIES, Counts, MergeReport

_KIND_COLORS = {"renamed differently": "#8a5300", "moved differently": "#8a5300", "different definitions": "#6a3d9a",
                "same name, different text": "#b00020", "breaks the level rule": "#b00020"}


def _table(header: list[str], rows: list[list[object]], numeric_from: int = 99, width: str = "") -> str:
    shade = tone_name("#e8e8e8", "#333a44")
    head = "".join(f"<th align='{'right' if i >= numeric_from else 'left'}' bgcolor='{shade}'>{html.escape(h)}</th>"
                   for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td align='{'right' if i >= numeric_from else 'left'}'>{cell}</td>"
                         for i, cell in enumerate(row)) + "</tr>" for row in rows)
    size = f" width='{width}'" if width else ""
    return (f"<table border='1' cellspacing='0' cellpadding='4' style='border-color:#bbbbbb'{size}>"
            f"<tr>{head}</tr>{body}</table>")


def report_html(report: MergeReport) -> str:
    """Conflicts first (what needs a decision), then codings in changed text, then the counts."""
    parts: list[str] = []
    for source in report.sources:
        parts.append(f"<h3>From {html.escape(source.source)}</h3>")
        if source.conflicts:
            parts.append(f"<h4>Conflicts to review ({len(source.conflicts)}): the base's version was kept</h4>")
            parts.append(_table(["kind", "what", "what differs"], [
                [f"<span style='color:{for_text(_KIND_COLORS.get(c.kind.value, '#333333')).name()}'>{html.escape(c.kind.value)}</span>",
                 f"{html.escape(c.entity)} <b>{html.escape(c.name)}</b>", html.escape(c.detail)]
                for c in source.conflicts], width="100%"))
        else:
            parts.append("<p>No conflicts.</p>")
        if source.realigned_documents:
            names = ", ".join(f"<b>{html.escape(d)}</b>" for d in source.realigned_documents)
            parts.append(f"<p>Texts differ in {names}: incoming codings were re-anchored by aligning the texts.</p>")
        if source.reanchored:
            parts.append(f"<h4>Codings in changed text ({len(source.reanchored)})</h4>")
            parts.append(_table(["document", "code", "coder", "incoming text", "placed on"], [
                [html.escape(r.document), html.escape(r.node), html.escape(r.coder), html.escape(r.incoming_text),
                 "<i>not merged: its text was removed</i>" if r.placed_text is None else html.escape(r.placed_text)]
                for r in source.reanchored], width="100%"))
        rows: list[list[object]] = [[html.escape(entity), c.added, c.matched, c.updated, c.skipped]
                                    for entity in ENTITIES if (c := source.counts.get(entity, Counts())) != Counts()]
        parts.append("<h4>Counts</h4>")
        parts.append(_table(["", "added", "matched", "updated", "skipped"], rows, numeric_from=1))
    return "".join(parts)
