"""Speaker labels found in plain text, and what is left as ordinary text."""

from __future__ import annotations

import pytest

from qualcode.io.turns import detect_turns, is_interviewer, parse_timestamp, speaker_kind


def turns_of(text: str) -> list[tuple[str, str, float | None]]:
    return [(t.speaker, text[t.start : t.end], t.timestamp) for t in detect_turns(text)]


def test_short_role_labels() -> None:
    assert turns_of("I: Hello.\nR: Hi.\nI: Bye.") == [("I", "Hello.", None), ("R", "Hi.", None), ("I", "Bye.", None)]


def test_participant_ids_and_capital_names() -> None:
    text = "INTERVIEWER: How are you?\nDENNIS: Not bad.\nINTERVIEWER: Good.\nDENNIS: Aye."
    assert [s for s, _, _ in turns_of(text)] == ["INTERVIEWER", "DENNIS", "INTERVIEWER", "DENNIS"]
    text = "Interviewer: Start?\nP3: Yes.\nInterviewer: Go on.\nP3: Well."
    assert [s for s, _, _ in turns_of(text)] == ["Interviewer", "P3", "Interviewer", "P3"]


def test_timestamped_speaker_labels() -> None:
    text = "[00:01:23] Speaker 2: First.\n[00:01:30] Speaker 1: Second.\n(1:02:03.5) Speaker 2: Third."
    assert turns_of(text) == [("Speaker 2", "First.", 83.0), ("Speaker 1", "Second.", 90.0),
                              ("Speaker 2", "Third.", 3723.5)]


def test_timestamp_after_the_label() -> None:
    text = "Speaker 1 (00:00:05): One.\nSpeaker 2 [00:00:09]: Two."
    assert turns_of(text) == [("Speaker 1", "One.", 5.0), ("Speaker 2", "Two.", 9.0)]


def test_otter_style_label_lines_with_words_below() -> None:
    text = "Speaker 1  0:03\nHello there.\nStill me.\n\nSpeaker 2  0:10\nHi."
    assert turns_of(text) == [("Speaker 1", "Hello there.\nStill me.", 3.0), ("Speaker 2", "Hi.", 10.0)]


def test_turn_runs_over_paragraphs_until_the_next_label() -> None:
    text = "I: Question?\nR: First paragraph.\n\nSecond paragraph.\nI: Next."
    assert turns_of(text)[1] == ("R", "First paragraph.\n\nSecond paragraph.", None)


def test_full_names_need_to_recur() -> None:
    text = ("Hannah Fielding (Researcher): Hello.\nCarol Whitby: Hi.\n"
            "Hannah Fielding (Researcher): So.\nCarol Whitby: Yes.")
    assert [s for s, _, _ in turns_of(text)] == ["Hannah Fielding (Researcher)", "Carol Whitby"] * 2


def test_header_lines_and_one_off_labels_stay_text() -> None:
    text = ("Date of interview: 14 March 2024\nInterviewer: HF\nParticipant: LW01\n\n"
            "I: Hello.\nR: Hi. Note: this is not a label.\nI: So.\nR: Well.\nThursday: football")
    turns = turns_of(text)
    assert [s for s, _, _ in turns] == ["I", "R", "I", "R"]
    assert turns[-1][1] == "Well.\nThursday: football"


def test_prose_is_not_mistaken_for_speech() -> None:
    text = ("The results were as follows: most people liked it.\nSee https://example.org: it explains.\n"
            "So I said: no.\nAnd she said: yes.")
    assert detect_turns(text) == ()


def test_tab_separated_speaker_column() -> None:
    assert [s for s, _, _ in turns_of("Interviewer\tHow?\nP1\tLike this.")] == ["Interviewer", "P1"]


@pytest.mark.parametrize(("label", "kind"), [
    ("P3", "strong"), ("LW02", "strong"), ("Speaker 12", "strong"), ("Interviewer", "strong"), ("I", "strong"),
    ("SPEAKER NAME", "strong"), ("Carol Whitby", "name"), ("Dr. O'Neill", "name"), ("Ana de la Cruz", "name"),
    ("the thing is", None), ("A very long label with many words", None),
])
def test_speaker_kinds(label: str, kind: str | None) -> None:
    assert speaker_kind(label) == kind


def test_interviewer_labels() -> None:
    assert [is_interviewer(x) for x in ("Interviewer", "I", "Int", "Q", "Facilitator", "R", "P3")] == \
        [True, True, True, True, True, False, False]


def test_timestamps() -> None:
    assert parse_timestamp("01:02:03") == 3723
    assert parse_timestamp("02:03") == 123
    assert parse_timestamp("00:01:23,250") == 83.25
