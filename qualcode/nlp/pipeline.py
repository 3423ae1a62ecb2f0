"""The spaCy pipeline factory.

`load_pipeline()` uses a trained pipeline when one is installed (its name from the
`model` argument, else the QUALCODE_SPACY_MODEL environment variable, else
`en_core_web_sm` for English / `<lang>_core_news_sm`), and otherwise builds
`spacy.blank(lang)` with a sentencizer, a lookup lemmatizer (spacy-lookups-data) and an
entity ruler whose patterns find titled names ("Dr Okafor"), names after a relation
("my son Callum"), streets, parks, places after a preposition and organisations.
Pipelines are built once per (language, model) and shared.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

MODEL_ENV = "QUALCODE_SPACY_MODEL"
_lock = threading.Lock()
_pipelines: dict[tuple[str, str], Language] = {}

TITLES = ["dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "prof", "prof.", "professor",
          "sister", "father", "rev", "reverend", "nurse", "councillor", "cllr", "sir", "dame", "lady", "lord"]
STREETS = ["road", "street", "lane", "avenue", "close", "court", "crescent", "drive", "way", "row", "grove",
           "square", "hill", "gardens", "terrace", "place", "walk", "mews", "estate", "rd", "st", "ave"]
PLACES = ["park", "allotments", "green", "common", "bridge", "canal", "market", "village", "town", "city"]
ORGANISATIONS = ["surgery", "practice", "centre", "center", "hospital", "clinic", "school", "college",
                 "university", "library", "trust", "council", "association", "charity", "club", "hub",
                 "church", "mosque", "temple", "synagogue", "foundation", "partnership", "ltd", "limited",
                 "plc", "society", "federation", "academy", "pharmacy", "hospice", "network", "service",
                 "services", "project", "shed"]
NOT_NAMES = ["the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "these", "those",
             "every", "each", "some", "any", "no", "i", "we", "you", "he", "she", "they", "it", "and", "but",
             "so", "then", "yes", "well", "oh", "okay", "when", "if", "because", "at", "in", "on", "to"]
MONTHS_DAYS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
               "saturday", "sunday", "christmas", "easter", "ramadan", "eid", "diwali"]
PREPOSITIONS = ["in", "from", "near", "outside", "around", "across"]
# Not identifying on their own: languages, the UK's nations, plural days ("on Wednesdays").
NOT_PLACES = ["english", "british", "arabic", "urdu", "polish", "somali", "french", "spanish", "punjabi", "bengali",
              "gujarati", "welsh", "irish", "scottish", "england", "scotland", "wales", "britain", "uk", "europe",
              "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays", "general"]
RELATIONS = ["husband", "wife", "son", "daughter", "mum", "mam", "dad", "mother", "father", "brother", "sister",
             "friend", "neighbour", "neighbor", "partner", "grandson", "granddaughter", "nephew", "niece", "cousin",
             "aunt", "uncle", "colleague", "boss", "manager", "carer", "called", "named", "fiancé", "fiancée"]


@dataclass(frozen=True)
class PipelineInfo:
    name: str  # the trained pipeline's package, or "blank:<lang>"
    lang: str
    trained: bool
    components: tuple[str, ...]


def default_model_name(lang: str) -> str:
    return os.environ.get(MODEL_ENV) or (f"{lang}_core_web_sm" if lang == "en" else f"{lang}_core_news_sm")


def load_pipeline(*, lang: str = "en", model: str | None = None) -> Language:
    """The shared pipeline for `lang`: trained if `model` (or the default) is installed, else rules."""
    name = model if model is not None else default_model_name(lang)
    key = (lang, name)
    with _lock:
        if key not in _pipelines:
            _pipelines[key] = _build(lang, name)
        return _pipelines[key]


def pipeline_info(nlp: Language) -> PipelineInfo:
    trained = bool(nlp.meta.get("vectors", {}).get("width")) or any(
        name in nlp.pipe_names for name in ("ner", "parser", "senter", "tagger")
    )
    name = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}" if trained else f"blank:{nlp.lang}"
    return PipelineInfo(name, str(nlp.lang), trained, tuple(nlp.pipe_names))


def _build(lang: str, name: str) -> Language:
    import spacy
    import spacy.util

    if name and spacy.util.is_package(name):
        try:
            return spacy.load(name)
        except (OSError, ValueError) as exc:
            log.warning("spaCy pipeline %s is installed but cannot be loaded (%s); using rules", name, exc)
    return _blank(lang)


def _blank(lang: str) -> Language:
    import spacy

    ensure_components()
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except (ValueError, OSError, KeyError) as exc:  # no lookup tables for this language
        log.info("no lookup lemmatizer for '%s' (%s)", lang, exc)
        if "lemmatizer" in nlp.pipe_names:
            nlp.remove_pipe("lemmatizer")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(entity_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe("qualcode_trim_context")
    return nlp


def entity_patterns() -> list[dict[str, Any]]:
    """Token patterns of the rule-based entity finder (used when no trained NER exists)."""
    name = {"IS_TITLE": True, "LOWER": {"NOT_IN": NOT_NAMES + MONTHS_DAYS}}
    name_more = {"IS_TITLE": True, "OP": "*"}
    possessive = {"ORTH": {"IN": ["'s", "’s"]}, "OP": "?"}
    place_name = {"IS_TITLE": True, "LOWER": {"NOT_IN": NOT_NAMES + MONTHS_DAYS + NOT_PLACES}}
    more = {"IS_TITLE": True, "LOWER": {"NOT_IN": NOT_NAMES + MONTHS_DAYS}, "OP": "?"}
    return [
        {"label": "PERSON", "pattern": [{"LOWER": {"IN": TITLES}}, {"IS_TITLE": True, "OP": "+"}]},
        {"label": "FAC", "pattern": [name, name_more, {"LOWER": {"IN": STREETS}, "IS_TITLE": True}]},
        {"label": "LOC", "pattern": [name, name_more, {"LOWER": {"IN": PLACES}, "IS_TITLE": True}]},
        {"label": "ORG", "pattern": [name, name_more, possessive, name_more,
                                     {"LOWER": {"IN": ORGANISATIONS}, "IS_TITLE": True}]},
        {"label": "GPE", "pattern": [{"LOWER": {"IN": PREPOSITIONS}}, place_name, more]},
        {"label": "PERSON", "pattern": [{"LOWER": {"IN": RELATIONS}}, name, more]},
    ]


CONTEXT_WORDS = frozenset(PREPOSITIONS + RELATIONS)


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if "qualcode_trim_context" in Language.factories:
        return

    @Language.component("qualcode_trim_context")
    def trim_context(doc: Doc) -> Doc:
        """Drop the context word a pattern matched on ("in Hollowbridge", "my son Callum")."""
        ents = []
        for ent in doc.ents:
            if len(ent) > 1 and ent[0].lower_ in CONTEXT_WORDS:
                label = ent.label_
                ent = doc[ent.start + 1 : ent.end]
                ent.label_ = label
            ents.append(ent)
        doc.ents = ents
        return doc


def ensure_components() -> None:
    """Register QualCode's pipeline components with spaCy (idempotent)."""
    _register_components()

