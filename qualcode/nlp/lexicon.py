"""Lemmas and stop words from spaCy's English lookup tables (spacy-lookups-data).

No trained pipeline is needed: `spacy.blank("en")` with the lookup lemmatizer gives the
dictionary lemma of a word form ("listened" -> "listen", "children" -> "child").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache


@cache
def _lemma_table() -> Callable[[str], str]:
    import spacy

    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]

    def lookup(word: str) -> str:
        return str(table.get(word, word))

    return lookup


def lemma(word: str) -> str:
    """The dictionary form of a word, lower-cased; the word itself when the table lacks it."""
    lowered = word.lower().replace("’", "'")
    return _lemma_table()(lowered).lower()


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, with straight and curly apostrophes."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS) | frozenset(w.replace("’", "'") for w in STOP_WORDS)
