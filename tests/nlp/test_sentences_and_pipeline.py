"""The pipeline factory, and sentence spans computed once per text."""

from __future__ import annotations

import pytest

from qualcode.domain.spans import Span
from qualcode.nlp import sentences
from qualcode.nlp.pipeline import MODEL_ENV, load_pipeline, pipeline_info
from qualcode.services import documents as document_service
from qualcode.services.coding import sentences as sentence_service
from qualcode.store.project import Project

TEXT = ("Interview with P3.\n"
        "Interviewer: How did it go? Tell me everything.\n"
        "P3: It went well.  Dr. Okafor was kind!\n\n"
        "   And the group... it helped.  ")


def texts(text: str, spans: tuple[Span, ...]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


def test_missing_trained_pipeline_falls_back_to_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_ENV, "xx_no_such_pipeline_sm")
    nlp = load_pipeline()
    info = pipeline_info(nlp)
    assert (info.name, info.trained) == ("blank:en", False)
    assert info.components == ("sentencizer", "lemmatizer", "entity_ruler", "qualcode_trim_context")
    assert load_pipeline() is nlp  # built once, shared
    assert [t.lemma_ for t in nlp("The children were running")] == ["The", "child", "be", "run"]


def test_sentences_never_cross_a_line_and_carry_no_white_space() -> None:
    spans = sentences.sentence_spans(TEXT)
    assert texts(TEXT, spans) == ["Interview with P3.", "Interviewer: How did it go?", "Tell me everything.",
                                  "P3: It went well.", "Dr. Okafor was kind!", "And the group... it helped."]


def test_regions_leave_speaker_labels_out() -> None:
    turns = [Span(TEXT.index("How"), TEXT.index("everything.") + 11), Span(TEXT.index("It went"),
                                                                            TEXT.index("kind!") + 5)]
    spans = sentence_service.sentences_of_text(TEXT, turns)
    assert texts(TEXT, spans) == ["Interview with P3.", "How did it go?", "Tell me everything.", "It went well.",
                                  "Dr. Okafor was kind!", "And the group... it helped."]


def test_spans_are_cached_by_text_hash() -> None:
    sentences.clear_cache()
    text = "One sentence. Another one.\nA third."
    first = sentences.sentence_spans(text)
    second = sentences.sentence_spans(text)
    assert first is second
    assert sentences.cache_stats() == {"hits": 1, "misses": 1, "size": 1}
    sentences.sentence_spans(text + " More.")
    assert sentences.cache_stats()["misses"] == 2


def test_document_sentences_follow_text_edits(project: Project) -> None:
    with project.session() as session:
        doc = int(document_service.add_document(
            session, name="P3", text="I: Why?\nR: Because. It helped.",
            turns=[document_service.TurnSpec(3, 7, "I"), document_service.TurnSpec(11, 30, "R")]).result)
        before = sentence_service.document_sentences(session, document_id=doc)
        assert [(s.start, s.end) for s in before] == [(3, 7), (11, 19), (20, 30)]
        assert sentence_service.sentence_at(session, document_id=doc, offset=25) == Span(20, 30)
        document_service.edit_document_text(session, document_id=doc, start=11, end=19, replacement="Well, because.")
        text = document_service.document_text(session, doc)
        after = sentence_service.document_sentences(session, document_id=doc)
        assert [text[s.start : s.end] for s in after] == ["Why?", "Well, because.", "It helped."]
        assert sentence_service.sentence_at(session, document_id=doc, offset=1) is None
