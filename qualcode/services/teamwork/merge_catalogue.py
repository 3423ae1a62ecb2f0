"""Merge planning for coders, documents (with text alignment), cases and attributes.

Each entity is matched by uid first, then by its natural key (a coder's or case's name, a
document's text hash, an attribute's name and scope). A base entity matched by uid is not
matched a second time by name.
"""

from __future__ import annotations

from dataclasses import replace

from qualcode.domain.realign import Alignment
from qualcode.services.teamwork.merge_planner import Planner, unique_name
from qualcode.services.teamwork.merge_report import ConflictKind
from qualcode.services.teamwork.merge_snapshot import AttributeRow, CaseRow, CoderRow, DocumentRow, ValueRow, norm


def plan_coders(p: Planner) -> None:
    """Coders by uid, then by name."""
    claimed = {uid for uid in p.other.coders if uid in p.base.coders}
    by_name = {norm(c.name): c.uid for c in p.base.coders.values() if c.uid not in claimed}
    taken = {norm(c.name) for c in p.base.coders.values()}
    for coder in sorted(p.other.coders.values(), key=lambda c: (norm(c.name), c.uid)):
        if coder.uid in p.base.coders:
            mine = p.base.coders[coder.uid]
            p.coders[coder.uid] = mine.uid
            p.count("coders", "matched")
            if norm(mine.name) != norm(coder.name):
                p.conflict(ConflictKind.RENAMED, "coder", mine.name,
                           f"Named '{coder.name}' in {p.other.name}; kept '{mine.name}'.")
        elif norm(coder.name) in by_name:
            p.coders[coder.uid] = by_name.pop(norm(coder.name))
            p.count("coders", "matched")
        else:
            name = unique_name(coder.name, taken)
            taken.add(norm(name))
            if name != coder.name:
                p.conflict(ConflictKind.NAME_TAKEN, "coder", coder.name,
                           f"Another coder already has this name; the incoming coder was added as '{name}'.")
            row = CoderRow(coder.uid, name, coder.color)
            p.base.coders[row.uid] = row
            p.coders[coder.uid] = row.uid
            p.add("coders", row)
            p.count("coders", "added")


def plan_documents(p: Planner) -> None:
    """Documents by uid, then by text hash; a name shared with different text is a conflict."""
    claimed = {uid for uid in p.other.documents if uid in p.base.documents}
    by_hash: dict[str, list[DocumentRow]] = {}
    for doc in sorted(p.base.documents.values(), key=lambda d: (norm(d.name), d.uid)):
        if doc.uid not in claimed:
            by_hash.setdefault(doc.sha, []).append(doc)
    taken = {norm(d.name) for d in p.base.documents.values()}
    for doc in sorted(p.other.documents.values(), key=lambda d: (norm(d.name), d.uid)):
        if doc.uid in p.base.documents:
            mine = p.base.documents[doc.uid]
            p.documents[doc.uid] = mine.uid
            p.count("documents", "matched")
            if norm(mine.name) != norm(doc.name):
                p.conflict(ConflictKind.RENAMED, "document", mine.name,
                           f"Named '{doc.name}' in {p.other.name}; kept '{mine.name}'.")
            if mine.sha != doc.sha:
                p.alignments[doc.uid] = Alignment.of(p.other.text(doc.uid), p.base.text(mine.uid))
                p.realigned.append(mine.name)
            p.fill("document", mine, doc, ("memo",), "document", mine.name)
            continue
        candidates = by_hash.get(doc.sha, [])
        if candidates:
            same_name = [c for c in candidates if norm(c.name) == norm(doc.name)]
            mine = (same_name or candidates)[0]
            p.documents[doc.uid] = mine.uid
            p.count("documents", "matched")
            p.fill("document", mine, doc, ("memo",), "document", mine.name)
            continue
        name = unique_name(doc.name, taken)
        taken.add(norm(name))
        if name != doc.name:
            p.conflict(ConflictKind.SAME_NAME_DIFFERENT_TEXT, "document", doc.name,
                       f"A base document has this name but different text; the incoming one was added as "
                       f"'{name}' with its codings. Compare the two, then keep one.")
        row = replace(doc, name=name, text=p.other.text(doc.uid))
        p.base.documents[row.uid] = row
        by_hash.setdefault(row.sha, []).append(row)
        p.documents[doc.uid] = row.uid
        p.add("documents", row)
        p.count("documents", "added")
    added = {row.uid for row in p.added.get("documents", [])}
    if added:
        p.added.setdefault("turns", []).extend(p.other.load_turns(added))
        p.added.setdefault("pages", []).extend(p.other.load_pages(added))  # PDF pages, for page citations


def plan_cases(p: Planner) -> None:
    """Cases by uid, then by name; their links to documents are united."""
    claimed = {uid for uid in p.other.cases if uid in p.base.cases}
    by_name = {norm(c.name): c.uid for c in p.base.cases.values() if c.uid not in claimed}
    taken = {norm(c.name) for c in p.base.cases.values()}
    for case in sorted(p.other.cases.values(), key=lambda c: (norm(c.name), c.uid)):
        if case.uid in p.base.cases:
            mine = p.base.cases[case.uid]
            p.count("cases", "matched")
            if norm(mine.name) != norm(case.name):
                p.conflict(ConflictKind.RENAMED, "case", mine.name,
                           f"Named '{case.name}' in {p.other.name}; kept '{mine.name}'.")
            p.fill("case", mine, case, ("memo",), "case", mine.name)
        elif norm(case.name) in by_name:
            mine = p.base.cases[by_name.pop(norm(case.name))]
            p.count("cases", "matched")
            p.fill("case", mine, case, ("memo",), "case", mine.name)
        else:
            name = unique_name(case.name, taken)
            taken.add(norm(name))
            if name != case.name:
                p.conflict(ConflictKind.NAME_TAKEN, "case", case.name,
                           f"Another case already has this name; the incoming case was added as '{name}'.")
            mine = CaseRow(case.uid, name, case.memo)
            p.base.cases[mine.uid] = mine
            p.add("cases", mine)
            p.count("cases", "added")
        p.cases[case.uid] = mine.uid
        for document_uid in sorted(case.document_uids):
            target = p.documents.get(document_uid)
            if target is not None and target not in mine.document_uids:
                mine.document_uids.add(target)
                p.add("case_links", (mine.uid, target))


def plan_attributes(p: Planner) -> None:
    """Attributes by uid, then by name and scope; then their values per case or document."""
    claimed = {uid for uid in p.other.attributes if uid in p.base.attributes}
    by_key = {(norm(a.name), a.scope): a.uid for a in p.base.attributes.values() if a.uid not in claimed}
    mismatched: set[str] = set()
    for attribute in sorted(p.other.attributes.values(), key=lambda a: (norm(a.name), a.scope, a.uid)):
        key = (norm(attribute.name), attribute.scope)
        if attribute.uid in p.base.attributes or key in by_key:
            mine = p.base.attributes[attribute.uid if attribute.uid in p.base.attributes else by_key.pop(key)]
            p.count("attributes", "matched")
            if norm(mine.name) != norm(attribute.name):
                p.conflict(ConflictKind.RENAMED, "attribute", mine.name,
                           f"Named '{attribute.name}' in {p.other.name}; kept '{mine.name}'.")
            if mine.type != attribute.type or mine.scope != attribute.scope:
                mismatched.add(attribute.uid)
                p.conflict(ConflictKind.TYPE, "attribute", mine.name,
                           f"It is a {attribute.scope} {attribute.type} attribute in {p.other.name} but a "
                           f"{mine.scope} {mine.type} attribute here; kept the base's and skipped its incoming values.")
        else:
            taken = {norm(a.name) for a in p.base.attributes.values() if a.scope == attribute.scope}
            mine = AttributeRow(attribute.uid, unique_name(attribute.name, taken), attribute.type, attribute.scope)
            p.base.attributes[mine.uid] = mine
            p.add("attributes", mine)
            p.count("attributes", "added")
        p.attributes[attribute.uid] = mine.uid
    values = {(v.attribute_uid, v.owner_kind, v.owner_uid): v for v in p.base.values}
    for value in p.other.values:
        owner_map = p.cases if value.owner_kind == "case" else p.documents
        owner = owner_map.get(value.owner_uid)
        if value.attribute_uid in mismatched or owner is None:
            p.count("attribute values", "skipped")
            continue
        value_key = (p.attributes[value.attribute_uid], value.owner_kind, owner)
        existing = values.get(value_key)
        if existing is None:
            row = ValueRow(value_key[0], value.owner_kind, owner, value.value)
            values[value_key] = row
            p.base.values.append(row)
            p.add("values", row)
            p.count("attribute values", "added")
        elif existing.value == value.value:
            p.count("attribute values", "matched")
        else:
            p.count("attribute values", "matched")
            owner_name = (p.base.cases[owner].name if value.owner_kind == "case" else p.base.documents[owner].name)
            p.conflict(ConflictKind.VALUE, "attribute value", f"{p.base.attributes[value_key[0]].name} of {owner_name}",
                       f"'{value.value}' in {p.other.name}; kept '{existing.value}'.")
