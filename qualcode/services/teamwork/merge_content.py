"""Merge planning for what hangs on the catalogue: codings, CMO configurations, memos, journals.

Codings are deduplicated on (document, start, end, node, coder) after mapping each reference
to the base. On a document whose text differs, incoming spans are first re-anchored on the
base text; those whose own text was edited or removed are reported.
"""

from __future__ import annotations

from dataclasses import replace

from qualcode.domain.ids import new_uid
from qualcode.domain.realign import Anchoring
from qualcode.services.teamwork.merge_planner import Planner
from qualcode.services.teamwork.merge_report import ConflictKind, Reanchoring
from qualcode.services.teamwork.merge_snapshot import (
    CodingRow,
    ComponentRow,
    ConfigurationRow,
    EvidenceRow,
    MemoRow,
    norm,
)


def _span_text(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split())


def plan_codings(p: Planner) -> None:
    by_key = {coding.key: coding for coding in p.base.codings.values()}
    ordered = sorted(p.other.codings.values(),
                     key=lambda c: (c.document_uid, c.start, c.end, c.node_uid, c.coder_uid, c.uid))
    for coding in ordered:
        document = p.documents.get(coding.document_uid)
        node = p.nodes.get(coding.node_uid)
        coder = p.coders.get(coding.coder_uid)
        if document is None or node is None or coder is None:
            p.count("codings", "skipped")
            continue
        start, end = coding.start, coding.end
        alignment = p.alignments.get(coding.document_uid)
        if alignment is not None:
            moved = alignment.reanchor(start, end)
            if moved.anchoring is not Anchoring.EXACT:
                p.reanchored.append(Reanchoring(
                    p.base.documents[document].name, p.base.nodes[node].name, p.base.coders[coder].name,
                    _span_text(alignment.old, start, end),
                    None if moved.span is None else _span_text(alignment.new, moved.span.start, moved.span.end)))
            if moved.span is None:
                p.count("codings", "skipped")
                continue
            start, end = moved.span.start, moved.span.end
        key = (document, start, end, node, coder)
        existing = by_key.get(key)
        if existing is not None:
            p.codings[coding.uid] = existing.uid
            p.count("codings", "matched")
            p.fill("coding", existing, coding, ("memo",), "coding", p.base.nodes[node].name)
            if coding.exemplar and not existing.exemplar:
                existing.exemplar = True
                p.updates.append(("coding", existing.uid, {"exemplar": True}))
                p.count("codings", "updated")
            continue
        uid = coding.uid
        if uid in p.base.codings:
            other_text = _span_text(p.other.text(coding.document_uid), coding.start, coding.end)
            p.conflict(ConflictKind.SPAN, "coding", p.base.nodes[node].name,
                       f"The same coding covers different text or codes differently in the two projects "
                       f"(incoming: {other_text[:60]!r}); kept both.")
            uid = new_uid()
        row = CodingRow(uid, document, start, end, node, coder, coding.created_at, coding.memo, coding.exemplar)
        p.base.codings[uid] = row
        by_key[key] = row
        p.codings[coding.uid] = uid
        p.add("codings", row)
        p.count("codings", "added")


def plan_realist(p: Planner) -> None:
    _plan_configurations(p)
    _plan_components(p)
    _plan_evidence(p)


def _plan_configurations(p: Planner) -> None:
    claimed = {uid for uid in p.other.configurations if uid in p.base.configurations}
    by_key = {(norm(c.concept), norm(c.label)): c.uid for c in p.base.configurations.values()
              if c.uid not in claimed and c.label.strip()}
    added: list[tuple[ConfigurationRow, ConfigurationRow]] = []
    for config in sorted(p.other.configurations.values(), key=lambda c: (norm(c.concept), norm(c.label), c.uid)):
        key = (norm(config.concept), norm(config.label))
        if config.uid in p.base.configurations or (config.label.strip() and key in by_key):
            mine = p.base.configurations[config.uid if config.uid in p.base.configurations else by_key.pop(key)]
            p.count("CMO configurations", "matched")
            name = mine.label or mine.concept or "configuration"
            if norm(mine.label) != norm(config.label) or norm(mine.concept) != norm(config.concept):
                p.conflict(ConflictKind.RENAMED, "CMO configuration", name,
                           f"Called '{config.concept}: {config.label}' in {p.other.name}; kept "
                           f"'{mine.concept}: {mine.label}'.")
            if mine.status != config.status:
                p.conflict(ConflictKind.STATUS, "CMO configuration", name,
                           f"'{config.status}' in {p.other.name}; kept '{mine.status}'.")
            p.fill("configuration", mine, config, ("memo",), "CMO configuration", name)
        else:
            mine = replace(config, refined_from_uid=None, node_uids=set())
            p.base.configurations[mine.uid] = mine
            added.append((mine, config))
            p.add("configurations", mine)
            p.count("CMO configurations", "added")
        p.configurations[config.uid] = mine.uid
        for node_uid in sorted(config.node_uids):
            target = p.nodes.get(node_uid)
            if target is not None and target not in mine.node_uids:
                mine.node_uids.add(target)
                p.add("configuration_links", (mine.uid, target))
    for mine, config in added:
        if config.refined_from_uid is not None:
            mine.refined_from_uid = p.configurations.get(config.refined_from_uid)


def _plan_components(p: Planner) -> None:
    claimed = {uid for uid in p.other.components if uid in p.base.components}
    by_key = {(c.configuration_uid, c.role, norm(c.statement)): c.uid for c in p.base.components.values()
              if c.uid not in claimed}
    for component in sorted(p.other.components.values(), key=lambda c: (c.configuration_uid, c.position, c.uid)):
        configuration = p.configurations.get(component.configuration_uid)
        if configuration is None:
            p.count("CMO components", "skipped")
            continue
        key = (configuration, component.role, norm(component.statement))
        if component.uid in p.base.components:
            mine = p.base.components[component.uid]
            p.count("CMO components", "matched")
            if norm(mine.statement) != norm(component.statement):
                p.conflict(ConflictKind.EDITED, "CMO component", f"{mine.role}: {mine.statement[:60]}",
                           f"Worded '{component.statement[:80]}' in {p.other.name}; kept the base's wording.")
        elif key in by_key:
            mine = p.base.components[by_key.pop(key)]
            p.count("CMO components", "matched")
        else:
            position = max((c.position for c in p.base.components.values() if c.configuration_uid == configuration),
                           default=-1) + 1
            mine = ComponentRow(component.uid, configuration, component.role, component.statement, position)
            p.base.components[mine.uid] = mine
            p.add("components", mine)
            p.count("CMO components", "added")
        p.components[component.uid] = mine.uid


def _plan_evidence(p: Planner) -> None:
    keys = {e.key for e in p.base.evidence.values()}
    for evidence in sorted(p.other.evidence.values(), key=lambda e: (e.component_uid, e.uid)):
        component = p.components.get(evidence.component_uid)
        coder = p.coders.get(evidence.coder_uid)
        document = p.documents.get(evidence.document_uid) if evidence.document_uid else None
        coding = p.codings.get(evidence.coding_uid) if evidence.coding_uid else None
        if (component is None or coder is None or (evidence.document_uid and document is None)
                or (evidence.coding_uid and coding is None)):
            p.count("CMO evidence", "skipped")
            continue
        start, end = evidence.start, evidence.end
        alignment = p.alignments.get(evidence.document_uid or "")
        if alignment is not None and start is not None and end is not None:
            moved = alignment.reanchor(start, end)
            if moved.span is None:
                p.count("CMO evidence", "skipped")
                continue
            start, end = moved.span.start, moved.span.end
        uid = evidence.uid if evidence.uid not in p.base.evidence else new_uid()
        row = EvidenceRow(uid, component, document, start, end, coding, coder, evidence.stance,
                          evidence.memo, evidence.created_at)
        if row.key in keys:
            p.count("CMO evidence", "matched")
            continue
        keys.add(row.key)
        p.base.evidence[row.uid] = row
        p.add("evidence", row)
        p.count("CMO evidence", "added")


def _memo_target(p: Planner, memo: MemoRow) -> str | None:
    if memo.target_type == "project":
        return p.base.project_uid if memo.target_uid and memo.target_uid == p.other.project_uid else memo.target_uid
    maps = {"document": p.documents, "case": p.cases, "node": p.nodes, "coding": p.codings,
            "configuration": p.configurations}
    return maps.get(memo.target_type, {}).get(memo.target_uid)


def plan_notes(p: Planner) -> None:
    """Memos, journal entries and the audit trail; the project's methodology notes."""
    contents = {(m.target_type, m.target_uid, norm(m.title), norm(m.text)) for m in p.base.memos.values()}
    for memo in sorted(p.other.memos.values(), key=lambda m: (m.created_at, m.uid)):
        target = _memo_target(p, memo)
        coder = p.coders.get(memo.coder_uid) if memo.coder_uid else None
        if target is None:
            p.count("memos", "skipped")
            continue
        if memo.uid in p.base.memos:
            mine = p.base.memos[memo.uid]
            p.count("memos", "matched")
            if norm(mine.text) != norm(memo.text) or norm(mine.title) != norm(memo.title):
                p.conflict(ConflictKind.EDITED, "memo", mine.title or _first_words(mine.text),
                           f"Edited differently in {p.other.name}; kept the base's text.")
            continue
        content = (memo.target_type, target, norm(memo.title), norm(memo.text))
        if content in contents:
            p.count("memos", "matched")
            continue
        contents.add(content)
        new_memo = replace(memo, target_uid=target, coder_uid=coder)
        p.base.memos[new_memo.uid] = new_memo
        p.add("memos", new_memo)
        p.count("memos", "added")
    entries = {(j.coder_uid, j.created_at, norm(j.title), norm(j.text)) for j in p.base.journal.values()}
    for entry in sorted(p.other.journal.values(), key=lambda j: (j.created_at, j.uid)):
        author = p.coders[entry.coder_uid]
        entry_key = (author, entry.created_at, norm(entry.title), norm(entry.text))
        if entry.uid in p.base.journal or entry_key in entries:
            p.count("journal entries", "matched")
            continue
        entries.add(entry_key)
        new_entry = replace(entry, coder_uid=author)
        p.base.journal[new_entry.uid] = new_entry
        p.add("journal", new_entry)
        p.count("journal entries", "added")
    events = {event.key for event in p.base.audit}
    for event in p.other.audit:
        new_event = replace(event, coder_uid=p.coders.get(event.coder_uid) if event.coder_uid else None)
        if new_event.key in events:
            p.count("audit events", "matched")
            continue
        events.add(new_event.key)
        p.base.audit.append(new_event)
        p.add("audit", new_event)
        p.count("audit events", "added")
    if p.other.methodology.strip() and not p.base.methodology.strip():
        p.base.methodology = p.other.methodology
        p.updates.append(("project", p.base.project_uid, {"methodology": p.other.methodology}))


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")
