"""Widening a hit to its sentence, turn or paragraph, whatever the turns look like."""

from __future__ import annotations

from qualcode.services.coding.text_units import paragraph_of, speaker_at, unit_spans, widen

TEXT = "Interviewer: Why?\nP7: Well. I waited 😀 for hours. Then I left.\n\nA note without a speaker."


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _turns(with_labels: bool) -> list[tuple[int, int, str]]:
    turns, position = [], 0
    for line in TEXT.split("\n"):
        if ":" in line:
            speaker = line.split(":")[0]
            start = position if with_labels else position + len(speaker) + 2
            turns.append((start, position + len(line), speaker))
        position += len(line) + 1
    return turns


def test_sentence_leaves_the_speaker_label_out_whether_or_not_turns_include_it() -> None:
    for with_labels in (True, False):
        turns = _turns(with_labels)
        s, e = widen(TEXT, turns, *_at("Well"), "sentence")
        assert TEXT[s:e] == "Well."
        s, e = widen(TEXT, turns, *_at("hours"), "sentence")
        assert TEXT[s:e] == "I waited 😀 for hours."


def test_turn_paragraph_and_hit() -> None:
    turns = _turns(False)
    assert TEXT[slice(*widen(TEXT, turns, *_at("hours"), "turn"))] == "Well. I waited 😀 for hours. Then I left."
    assert TEXT[slice(*widen(TEXT, turns, *_at("note"), "turn"))] == "A note without a speaker."  # no turn: paragraph
    assert TEXT[slice(*widen(TEXT, turns, *_at("hours"), "paragraph"))] == "P7: Well. I waited 😀 for hours. Then I left."
    assert widen(TEXT, turns, *_at("hours"), "hit") == _at("hours")
    assert paragraph_of(TEXT, *_at("Why")) == (0, len("Interviewer: Why?"))


def test_speakers_and_units() -> None:
    turns = _turns(False)
    assert speaker_at(turns, _at("hours")[0]) == "P7" and speaker_at(turns, _at("note")[0]) == ""
    assert [TEXT[s:e] for s, e in unit_spans(TEXT, turns, "turn")] == ["Why?", "Well. I waited 😀 for hours. Then I left."]
    assert [TEXT[s:e] for s, e in unit_spans(TEXT, [], "turn")] == [
        "Interviewer: Why?", "P7: Well. I waited 😀 for hours. Then I left.", "A note without a speaker."]
    assert [TEXT[s:e] for s, e in unit_spans(TEXT, _turns(True), "sentence")] == [
        "Why?", "Well.", "I waited 😀 for hours.", "Then I left.", "A note without a speaker."]
