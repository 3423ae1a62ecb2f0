"""Selections mapped onto the normalised text and turned into codings.

Every selection whose positions do not fit is reported on its own, with what was done
(cut at the end of the text, moved out of a split character, left out when nothing is
left). Selections repeated over the same passage are merged, keeping all their codings;
a coding repeated for the same passage, code and coder is kept once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qualcode.io.refi import conventions as cv
from qualcode.io.refi.import_sources import RawCoding, RawSelection, RawSource, excerpt
from qualcode.io.refi.model import CodingData, DocumentData
from qualcode.io.refi.positions import Counting
from qualcode.io.refi.reading import Report


@dataclass
class SelectionPlace:
    document_uid: str
    start: int
    end: int
    coding_uids: list[str]


@dataclass
class CodingResult:
    codings: list[CodingData] = field(default_factory=list)
    coding_alias: dict[str, str] = field(default_factory=dict)  # coding guid in the file -> kept coding uid
    coding_notes: dict[str, list[str]] = field(default_factory=dict)  # kept coding uid -> note guids
    selections: dict[str, SelectionPlace] = field(default_factory=dict)  # selection guid -> where it landed
    selection_notes: list[tuple[str, list[str]]] = field(default_factory=list)  # (selection guid, note guids)
    comments: list[tuple[str, str, str]] = field(default_factory=list)  # (document uid, title, text)
    users: set[str] = field(default_factory=set)


def map_codings(sources: list[RawSource], documents: dict[str, DocumentData], codes: set[str],
                counting: Counting, skip: set[str], report: Report, *, own_file: bool = False) -> CodingResult:
    """Codings of every source's selections, in code points of the normalised text.

    `own_file`: the file is QualCode's, which writes one selection per coding, so
    selections over the same passage are expected and not reported.
    """
    result = CodingResult()
    seen: dict[tuple[str, int, int, str, str | None], str] = {}
    for source in sources:
        document = documents.get(source.uid)
        if document is None:
            continue
        ranges: dict[tuple[int, int], str] = {}
        merged: Counter[str] = Counter()
        for selection in source.selections:
            if selection.uid in skip:
                continue
            where = f"source '{source.name}', selection {cv.guid_out(selection.uid)}"
            mapped = source.text.map(selection.start, selection.end, counting)
            if mapped.problems:
                report.add("selection-position", "; ".join(mapped.problems)
                           + f" → now {mapped.start}-{mapped.end}", where)
            if mapped.end <= mapped.start:
                report.add("selection-empty", "covers no text once it is fitted to the text; left out "
                                              f"({len(selection.codings)} coding(s))", where)
                continue
            key = (mapped.start, mapped.end)
            if key in ranges:
                merged["selection"] += 1
            else:
                ranges[key] = selection.uid
            place = SelectionPlace(document.uid, mapped.start, mapped.end, [])
            result.selections[selection.uid] = place
            _add_codings(result, seen, merged, document, selection, selection.codings, mapped.start, mapped.end,
                         codes, report, where, place)
            if selection.note_refs:
                result.selection_notes.append((selection.uid, selection.note_refs))
            if selection.description.strip() and not selection.codings:
                quote = excerpt(document.text[mapped.start:mapped.end])
                result.comments.append((document.uid, f"Comment on “{quote}”", selection.description))
        if source.whole_codings:
            whole = SelectionPlace(document.uid, 0, len(document.text), [])
            _add_codings(result, seen, merged, document, None, source.whole_codings, 0, len(document.text), codes,
                         report, f"source '{source.name}'", whole)
        if merged["selection"] and not own_file:
            report.add("duplicate-selection", f"{merged['selection']} selection(s) repeat a passage another selection "
                                              "already marks; merged, keeping all their codings",
                       f"source '{source.name}'")
        if merged["coding"]:
            report.add("duplicate-coding", f"{merged['coding']} coding(s) repeat the same passage, code and coder; "
                                           "kept once", f"source '{source.name}'")
    return result


def _add_codings(result: CodingResult, seen: dict[tuple[str, int, int, str, str | None], str],
                 merged: Counter[str], document: DocumentData, selection: RawSelection | None,
                 codings: list[RawCoding], start: int, end: int, codes: set[str], report: Report, where: str,
                 place: SelectionPlace) -> None:
    for coding in codings:
        if coding.code is None or coding.code not in codes:
            report.add("coding-unknown-code", f"a coding names a code that is not in the codebook "
                                              f"({cv.guid_out(coding.code) if coding.code else 'none'}); left out",
                       where)
            continue
        user = coding.user or (selection.user if selection else None)
        if user:
            result.users.add(user)
        key = (document.uid, start, end, coding.code, user)
        if key in seen:
            merged["coding"] += 1
            result.coding_alias[coding.uid] = seen[key]
            if coding.note_refs:
                result.coding_notes.setdefault(seen[key], []).extend(coding.note_refs)
            continue
        seen[key] = coding.uid
        result.coding_alias[coding.uid] = coding.uid
        place.coding_uids.append(coding.uid)
        created = cv.time_in(coding.created) or (cv.time_in(selection.created) if selection else None)
        memo = selection.description if selection is not None and selection.description.strip() else ""
        result.codings.append(CodingData(coding.uid, document.uid, start, end, coding.code, user, created, memo))
        if coding.note_refs:
            result.coding_notes.setdefault(coding.uid, []).extend(coding.note_refs)
