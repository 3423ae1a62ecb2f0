"""Word frequencies: count word forms, fold them into lemmas, drop stop words.

Words are runs of letters (with inner apostrophes: "don't", "nurse's"); numbers are left
out. A trailing clitic ('s, n't, 're, 've, 'll, 'd, 'm) is taken off before lemmatising,
so "nurse's" counts as "nurse" and "don't" as "do" (a stop word).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CLITICS = ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m")


@dataclass(frozen=True)
class WordRow:
    word: str  # the lemma (or the form, without lemmas)
    total: int
    by_group: tuple[int, ...]
    forms: tuple[str, ...]  # the word forms counted under it, most frequent first


@dataclass(frozen=True)
class WordTable:
    groups: tuple[str, ...]
    rows: tuple[WordRow, ...]
    distinct_words: int  # after stop words and short words are removed
    counted: int  # occurrences counted


def count_forms(text: str) -> Counter[str]:
    """Lower-cased word forms of a text with their counts."""
    return Counter(_WORD.findall(text.lower()))


def _base(form: str) -> str:
    form = form.replace("’", "'")
    for clitic in _CLITICS:
        if form.endswith(clitic) and len(form) > len(clitic):
            return form[: -len(clitic)]
    return form


def word_table(
    counts_by_group: Mapping[str, Counter[str]],
    *,
    lemma: Callable[[str], str] | None,
    stop_words: Collection[str],
    min_length: int = 3,
    exclude: Collection[str] = (),
    top: int = 50,
) -> WordTable:
    """The `top` words over all groups, with each group's count (groups in the order given)."""
    groups = list(counts_by_group)
    excluded = {w.lower() for w in exclude}
    key_of: dict[str, str | None] = {}
    totals: Counter[str] = Counter()
    per_group: dict[str, Counter[str]] = {g: Counter() for g in groups}
    forms: dict[str, Counter[str]] = {}
    for group, counts in counts_by_group.items():
        for form, count in counts.items():
            if form not in key_of:
                base = _base(form)
                word = lemma(base) if lemma else base
                dropped = (len(word) < min_length or base in stop_words or word in stop_words
                           or form in stop_words or word in excluded or form in excluded)
                key_of[form] = None if dropped else word
            word_key = key_of[form]
            if word_key is None:
                continue
            totals[word_key] += count
            per_group[group][word_key] += count
            forms.setdefault(word_key, Counter())[form] += count
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[: max(0, top)]
    rows = tuple(
        WordRow(word, total, tuple(per_group[g][word] for g in groups),
                tuple(f for f, _ in sorted(forms[word].items(), key=lambda x: (-x[1], x[0]))))
        for word, total in ranked
    )
    return WordTable(tuple(groups), rows, len(totals), sum(totals.values()))


def table_rows(table: WordTable, *, show_groups: bool) -> tuple[list[str], list[list[object]]]:
    """Header and rows for export: Word, Count, [groups...], Forms."""
    header = ["Word", "Count", *(table.groups if show_groups else ()), "Forms counted"]
    rows: list[list[object]] = [
        [r.word, r.total, *(r.by_group if show_groups else ()), ", ".join(r.forms)] for r in table.rows
    ]
    return header, rows


def merge_counts(parts: Sequence[Counter[str]]) -> Counter[str]:
    merged: Counter[str] = Counter()
    for part in parts:
        merged.update(part)
    return merged
