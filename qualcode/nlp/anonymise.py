"""Finding identifying spans in a transcript, and consistent pseudonyms for them.

Sources, strongest first:
- e-mail addresses, phone numbers and UK postcodes (replaced whole);
- the user's list of names and places (`Term`), matched as whole words, any case; a listed
  full name also finds its first and last name on their own;
- calendar dates ("12 May 2024", "March 2023", "12/05/2024");
- spaCy entities: with a trained pipeline its NER (people, places, organisations, dates);
  without one, the rule-based entity patterns of `qualcode.nlp.pipeline` (titled names
  such as "Dr Okafor", streets, parks, "X Surgery", "in <Town>").
Where findings overlap the stronger source wins, then the longer span.

`PseudonymKey` gives each distinct real name one pseudonym for the whole project:
"[Person 1]", "[Place A]" ... The same person written "Amira Haddad", "Amira" or
"Dr Haddad" gets the same pseudonym when that is unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.nlp.pipeline import TITLES

if TYPE_CHECKING:
    from spacy.language import Language

PERSON, PLACE, ORGANISATION, DATE = "person", "place", "organisation", "date"
PHONE, EMAIL, POSTCODE = "phone", "email", "postcode"
CATEGORIES = (PERSON, PLACE, ORGANISATION, DATE, PHONE, EMAIL, POSTCODE)
_LETTERED = {"place", "town", "city", "village", "area", "site", "street", "organisation", "practice", "school"}
_NER_LABELS = {"PERSON": PERSON, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "ORG": ORGANISATION, "DATE": DATE}
_SOURCE_RANK = {"list": 0, "pattern": 1, "entity": 2}
# Titles before a name (the pipeline's list): "Councillor Rosa Lindqvist" is the person Rosa Lindqvist.
_TITLES = re.compile(rf"^(?:{'|'.join(sorted({t.rstrip('.') for t in TITLES}, key=len, reverse=True))})\.?\s+", re.I)
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (EMAIL, re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<!\.)")),
    (PHONE, re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(0?\d{2,5}\)[\s.-]?|0?\d{2,5}[\s.-]?)\d{3,4}[\s.-]?\d{3,4}"
                       r"(?![\w])")),
    (POSTCODE, re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|GIR\s?0AA)(?![A-Za-z0-9])")),
    (DATE, re.compile(rf"(?<!\w)(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
                      rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
                      rf"|{_MONTH}\s+\d{{4}}"
                      r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})(?!\w)")),
)


@dataclass(frozen=True)
class Term:
    """A name or place the user wants replaced; `replacement` None = generate a pseudonym."""

    text: str
    category: str = PERSON
    replacement: str | None = None


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str
    category: str
    source: str  # "list", "pattern" or "entity"
    replacement: str | None = None  # fixed by the user's list


def _term_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def expand_terms(terms: Sequence[Term]) -> list[Term]:
    """The user's terms plus the first and last names of each listed full name of a person
    ("Rosa Lindqvist" also finds "Rosa" and "Lindqvist"), carrying the same replacement."""
    out = [t for t in terms if t.text.strip()]
    listed = {normalise_name(t.text) for t in out}
    for term in list(out):
        words = _TITLES.sub("", " ".join(term.text.split())).split()
        if term.category != PERSON or len(words) < 2:
            continue
        for word in dict.fromkeys((words[0], words[-1])):
            if len(word) > 1 and word[0].isupper() and word.casefold() not in listed:
                out.append(Term(word, PERSON, term.replacement))
                listed.add(word.casefold())
    return out


def find_identifiers(
    text: str,
    *,
    terms: Sequence[Term] = (),
    categories: Iterable[str] | None = None,
    nlp: Language | None = None,
    use_entities: bool = True,
) -> list[Finding]:
    """Non-overlapping identifying spans of `text`, in text order."""
    wanted = set(categories) if categories is not None else set(CATEGORIES)
    found: list[Finding] = []
    for term in expand_terms(terms):
        for match in _term_pattern(term.text).finditer(text):
            found.append(Finding(match.start(), match.end(), match.group(), term.category, "list", term.replacement))
    for category, pattern in _PATTERNS:
        if category in wanted:
            found += [Finding(m.start(), m.end(), m.group(), category, "pattern") for m in pattern.finditer(text)
                      if category != PHONE or 9 <= sum(c.isdigit() for c in m.group()) <= 15]
    if use_entities:
        found += [f for f in _entities(text, nlp) if f.category in wanted]
    return _resolve(found)


def _entities(text: str, nlp: Language | None) -> list[Finding]:
    if nlp is None:
        from qualcode.nlp.pipeline import load_pipeline

        nlp = load_pipeline()
    trained = "ner" in nlp.pipe_names
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((offset, line))
        offset += len(line) + 1
    found = []
    for (base, _), doc in zip(lines, nlp.pipe(line for _, line in lines), strict=True):
        for ent in doc.ents:
            category = _NER_LABELS.get(ent.label_)
            if category is None:
                continue
            if category == DATE and trained and not re.search(rf"\d|{_MONTH}", ent.text):
                continue  # "last year", "two weeks": not identifying
            start, end = base + ent.start_char, base + ent.end_char
            if text[end - 2 : end] in ("'s", "’s"):
                end -= 2
            if end > start:
                found.append(Finding(start, end, text[start:end], category, "entity"))
    return found


def _rank(finding: Finding) -> int:
    # An e-mail address, phone number or postcode is replaced whole, even if a listed name is part of it.
    if finding.source == "pattern" and finding.category != DATE:
        return -1
    return _SOURCE_RANK[finding.source]


def _resolve(found: list[Finding]) -> list[Finding]:
    """Keep the strongest, then longest, of overlapping findings."""
    ranked = sorted(found, key=lambda f: (_rank(f), -(f.end - f.start), f.start))
    kept: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for finding in ranked:
        if all(finding.end <= s or finding.start >= e for s, e in taken):
            kept.append(finding)
            taken.append((finding.start, finding.end))
    return sorted(kept, key=lambda f: f.start)


def normalise_name(text: str) -> str:
    """The form two mentions share when they name the same thing."""
    text = " ".join(text.replace("’", "'").split())
    text = re.sub(r"'s$", "", text)
    return _TITLES.sub("", text).casefold()


def _letters(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass
class PseudonymKey:
    """Real name -> pseudonym, consistent across every document it is used on."""

    entries: dict[tuple[str, str], str] = field(default_factory=dict)  # (category, normalised) -> pseudonym
    originals: dict[tuple[str, str], str] = field(default_factory=dict)  # first spelling seen, for the key file
    counters: dict[str, int] = field(default_factory=dict)

    def pseudonym(self, category: str, text: str, replacement: str | None = None) -> str:
        key = (category, normalise_name(text))
        if key in self.entries:
            return self.entries[key]
        # "from Aisha" may look like a place to the rules: a name already known keeps its pseudonym.
        known = next((p for (_, norm), p in self.entries.items() if norm == key[1]), None)
        chosen = replacement or known or self._same_person(category, key[1]) or self._next(category)
        self.entries[key] = chosen
        self.originals.setdefault(key, " ".join(text.split()))
        return chosen

    def _same_person(self, category: str, name: str) -> str | None:
        """The pseudonym of a fuller or shorter form of this person's name, if exactly one fits."""
        if category != PERSON:
            return None
        words = name.split()
        candidates = {
            pseudonym for (cat, known), pseudonym in self.entries.items() if cat == PERSON and known != name
            and ((len(words) == 1 and words[0] in (known.split()[0], known.split()[-1]))
                 or (len(known.split()) == 1 and known in (words[0], words[-1])))
        }
        return candidates.pop() if len(candidates) == 1 else None

    def _next(self, category: str) -> str:
        number = self.counters.get(category, 0) + 1
        taken = set(self.entries.values())
        label = category.replace("_", " ").capitalize()
        while True:
            pseudonym = f"[{label} {_letters(number) if category in _LETTERED else number}]"
            if pseudonym not in taken:
                break
            number += 1
        self.counters[category] = number
        return pseudonym

    def rows(self) -> list[tuple[str, str, str]]:
        """(category, original, pseudonym) for the key file, by category then pseudonym."""
        return sorted(((cat, self.originals.get((cat, norm), norm), pseudonym)
                       for (cat, norm), pseudonym in self.entries.items()), key=lambda r: (r[0], r[2], r[1]))

    def learn(self, category: str, original: str, pseudonym: str) -> None:
        """Take a row of a previously exported key (so numbering continues where it left off)."""
        key = (category, normalise_name(original))
        self.entries[key] = pseudonym
        self.originals.setdefault(key, original)
        match = re.fullmatch(r"\[.+ ([A-Z]+|\d+)\]", pseudonym)
        if match:
            value = match.group(1)
            number = int(value) if value.isdigit() else sum((ord(c) - 64) * 26**i for i, c in enumerate(value[::-1]))
            self.counters[category] = max(self.counters.get(category, 0), number)
