"""What a merge did (or, in a dry run, would do): counts, conflicts, re-anchored codings.

Conflicts are never resolved by guessing: each one says what differs and what the merge kept.
The report renders as Markdown or HTML for the team's records.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from qualcode.domain.errors import ValidationError
from qualcode.domain.text import plural
from qualcode.io.files import atomic_output

ENTITIES = ("coders", "documents", "cases", "attributes", "attribute values", "nodes", "theme links", "codings",
            "CMO configurations", "CMO components", "CMO evidence", "references", "screening decisions", "memos",
            "journal entries", "audit events")


class ConflictKind(StrEnum):
    RENAMED = "renamed differently"
    MOVED = "moved differently"
    LEVEL = "different level"
    DEFINITION = "different definitions"
    SAME_NAME_DIFFERENT_TEXT = "same name, different text"
    TEXT_DIFFERS = "text differs"
    SAME_NAME_ELSEWHERE = "same name in another place"
    NAME_TAKEN = "name already taken"
    TYPE = "different type"
    VALUE = "different value"
    EDITED = "edited differently"
    SPAN = "coding changed"
    STATUS = "different status"
    LEVEL_RULE = "breaks the level rule"
    UNMATCHED = "reference not merged"


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    entity: str  # e.g. "node", "document"
    name: str  # what it is about, as the user knows it
    detail: str  # one sentence: what differs and what the merge kept


@dataclass(frozen=True)
class Reanchoring:
    """An incoming coding on a document whose text differs, whose own text was edited or removed."""

    document: str
    node: str
    coder: str
    incoming_text: str
    placed_text: str | None  # None: lost, not merged


@dataclass(frozen=True)
class TextDifference:
    """A document matched by uid whose incoming text differs from the base's (the base's was kept)."""

    document: str
    document_uid: str
    changes: tuple[tuple[str, str], ...]  # (base's words, incoming words) per changed stretch
    incoming_text: str = field(repr=False, default="")

    def summary(self, limit: int = 3) -> str:
        shown = "; ".join(f"{_clip(old, 40)!r} → {_clip(new, 40)!r}" for old, new in self.changes[:limit])
        more = len(self.changes) - limit
        return shown + (f"; and {plural(more, 'more change')}" if more > 0 else "")


@dataclass(frozen=True)
class Counts:
    added: int = 0
    matched: int = 0
    skipped: int = 0
    updated: int = 0


@dataclass(frozen=True)
class SourceReport:
    """The merge of one incoming project."""

    source: str
    counts: dict[str, Counts]
    conflicts: tuple[Conflict, ...]
    reanchored: tuple[Reanchoring, ...]
    realigned_documents: tuple[str, ...]
    text_differences: tuple[TextDifference, ...] = ()

    def added(self, entity: str) -> int:
        return self.counts.get(entity, Counts()).added


@dataclass(frozen=True)
class MergeReport:
    base: str
    sources: tuple[SourceReport, ...]
    dry_run: bool
    output: str = ""
    backup: str = ""
    texts_taken: tuple[str, ...] = ()  # documents whose incoming text replaced the base's after the merge

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(c for source in self.sources for c in source.conflicts)

    def total(self, entity: str) -> Counts:
        counts = [source.counts.get(entity, Counts()) for source in self.sources]
        return Counts(sum(c.added for c in counts), sum(c.matched for c in counts),
                      sum(c.skipped for c in counts), sum(c.updated for c in counts))

    @property
    def changes_anything(self) -> bool:
        return any(self.total(e).added or self.total(e).updated for e in ENTITIES)

    def summary(self) -> str:
        """One line for a status bar or the command line."""
        verb = "would add" if self.dry_run else "added"
        parts = [_count(self.total(e).added, e) for e in ("documents", "nodes", "codings", "references",
                                                          "screening decisions") if self.total(e).added]
        added = ", ".join(parts) if parts else "nothing new"
        conflicts = len(self.conflicts)
        return f"Merge into {self.base} {verb} {added}; {_count(conflicts, 'conflicts')} to review."

    def to_markdown(self) -> str:
        return _render(self, _Markdown())

    def to_html(self) -> str:
        return _render(self, _Html())

    def save(self, path: str | Path) -> Path:
        """Write the report as HTML (.html/.htm) or Markdown (.md/.markdown/.txt)."""
        target = Path(path).expanduser()
        suffix = target.suffix.lower()
        if suffix in (".html", ".htm"):
            content = self.to_html()
        elif suffix in (".md", ".markdown", ".txt"):
            content = self.to_markdown()
        else:
            raise ValidationError(f"Cannot save a merge report as '{target.suffix or target.name}': "
                                  "use .html or .md.")
        with atomic_output(target) as temp:
            temp.write_text(content, encoding="utf-8")
        return target.absolute()


@dataclass
class _Markdown:
    lines: list[str] = field(default_factory=list)

    def heading(self, level: int, text: str) -> None:
        self.lines += ["#" * level + " " + text, ""]

    def para(self, text: str) -> None:
        self.lines += [text, ""]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        def cell(value: object) -> str:
            return str(value).replace("|", "\\|").replace("\n", " ")

        self.lines.append("| " + " | ".join(header) + " |")
        self.lines.append("|" + "|".join("---" for _ in header) + "|")
        self.lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
        self.lines.append("")

    def finish(self, title: str) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


@dataclass
class _Html:
    parts: list[str] = field(default_factory=list)

    def heading(self, level: int, text: str) -> None:
        self.parts.append(f"<h{level}>{html.escape(text)}</h{level}>")

    def para(self, text: str) -> None:
        self.parts.append(f"<p>{html.escape(text)}</p>")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
        self.parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def finish(self, title: str) -> str:
        style = ("body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}"
                 "table{border-collapse:collapse;margin:0 0 1.5em}th,td{border:1px solid #ccc;padding:.3em .6em;"
                 "text-align:left;vertical-align:top}th{background:#f3f3f3}td:nth-child(n+2){font-variant:tabular-nums}")
        return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
                f"<style>{style}</style></head><body>\n" + "\n".join(self.parts) + "\n</body></html>\n")


def _render(report: MergeReport, out: _Markdown | _Html) -> str:
    title = f"Merge report: {report.base}" + (" (dry run: nothing written)" if report.dry_run else "")
    out.heading(1, title)
    out.para(report.summary())
    if report.output:
        out.para(f"Merged project written to {report.output}.")
    if report.backup:
        out.para(f"Backup of the project before the merge: {report.backup}.")
    if report.texts_taken:
        out.para("Took the incoming text (codings moved with their words) of: " + ", ".join(report.texts_taken) + ".")
    for source in report.sources:
        out.heading(2, f"From {source.source}")
        out.table(["", "added", "matched", "updated", "skipped"],
                  [[entity, c.added, c.matched, c.updated, c.skipped]
                   for entity in ENTITIES if (c := source.counts.get(entity, Counts())) != Counts()])
        if source.conflicts:
            out.heading(3, f"Conflicts ({len(source.conflicts)})")
            out.table(["kind", "entity", "name", "what the merge kept"],
                      [[c.kind.value, c.entity, c.name, c.detail] for c in source.conflicts])
        else:
            out.para("No conflicts.")
        if source.text_differences:
            out.heading(3, "Documents whose text differs (the base's text was kept)")
            out.table(["document", "changes (base → incoming)"],
                      [[d.document, d.summary(limit=10)] for d in source.text_differences])
        if source.realigned_documents:
            out.heading(3, "Documents whose text differs")
            out.para("Incoming codings were re-anchored by aligning the two texts: "
                     + ", ".join(source.realigned_documents) + ".")
        if source.reanchored:
            out.heading(3, f"Codings in changed text ({len(source.reanchored)})")
            out.table(["document", "node", "coder", "incoming text", "placed on"],
                      [[r.document, r.node, r.coder, _clip(r.incoming_text),
                        "(not merged: its text was removed)" if r.placed_text is None else _clip(r.placed_text)]
                       for r in source.reanchored])
    return out.finish(title)


def _count(n: int, plural: str) -> str:
    singular = {"entries": "entry"}.get(plural.rsplit(" ", 1)[-1])
    word = plural if n != 1 else (plural[: -len("entries")] + singular if singular else plural.removesuffix("s"))
    return f"{n} {word}"


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
