"""QualCode's documented conventions read back exactly, and tolerate other tools' text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.io.refi import conventions as cv

LINES = st.lists(st.sampled_from(["", "Definition:", "\\Definition:", "\\\\Include when:", "Exclude when:", "plain",
                                  "Level: Code", "  indented ✓", "Origin: deductive"]), max_size=5).map("\n".join)


@settings(max_examples=500)
@given(st.integers(1, 4), st.sampled_from(["inductive", "deductive"]), LINES, LINES, LINES)
def test_code_descriptions_read_back_exactly(level: int, origin: str, definition: str, inclusion: str,
                                             exclusion: str) -> None:
    text = cv.render_code_description(level, origin, definition, inclusion, exclusion)
    parsed = cv.parse_code_description(text)
    assert (parsed.level, parsed.origin, parsed.definition, parsed.inclusion, parsed.exclusion) == (
        level, origin, definition, inclusion, exclusion)


def test_description_reads_as_plain_text_in_other_tools() -> None:
    text = cv.render_code_description(2, "deductive", "Staff reassure.", "Any reassurance", "")
    assert text == ("Level: Basic theme\nOrigin: deductive\n\nDefinition:\nStaff reassure.\n\n"
                    "Include when:\nAny reassurance")


def test_foreign_and_edited_descriptions() -> None:
    maxqda = cv.parse_code_description("Use this code for statements about cost.\nNever apply the category.")
    assert maxqda.level is None and maxqda.definition.startswith("Use this code")
    edited = cv.parse_code_description("Level: Organising theme\n\nSomeone typed here in NVivo")
    assert edited.level == 3 and edited.definition == "Someone typed here in NVivo"
    assert cv.parse_code_description("Level: high").level is None


def test_variable_descriptions() -> None:
    assert cv.parse_variable_description(cv.render_variable_description("document", "category")) == (
        "document", True, "")
    assert cv.parse_variable_description(cv.render_variable_description("case", "number")) == ("case", False, "")
    assert cv.parse_variable_description("Age at interview") == (None, False, "Age at interview")


def test_guids_and_times() -> None:
    assert cv.guid_out("{abcdef01-2345-6789-abcd-ef0123456789}") == "abcdef01-2345-6789-abcd-ef0123456789"
    assert cv.memo_note_guid("ABC") == cv.memo_note_guid("abc")
    from datetime import datetime

    assert cv.time_out(datetime(2024, 5, 1, 9, 30, 0, 123456)) == "2024-05-01T09:30:00Z"
    assert cv.time_in("2024-05-01T11:30:00+02:00") == datetime(2024, 5, 1, 9, 30)
    assert cv.time_in("2024-05-01T09:30:00Z") == datetime(2024, 5, 1, 9, 30)
    assert cv.time_in("yesterday") is None
