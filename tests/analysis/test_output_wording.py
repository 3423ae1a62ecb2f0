"""How numbers and counts read in outputs: singular counts, unquoted numbers, halves rounded up."""

from __future__ import annotations

import pytest

from qualcode.analysis.conditions import parse_condition
from qualcode.analysis.participants import Characteristic, one_decimal, participant_table
from qualcode.cli.main import main
from qualcode.domain.enums import AttributeType
from qualcode.services.queries.query_scope import QueryScope, describe_scope
from tests.analysis.study import Study


def test_conditions_show_numbers_and_dates_unquoted_and_text_quoted() -> None:
    assert str(parse_condition("age > 60")) == "age > 60"
    assert str(parse_condition('age >= "18.5"')) == "age >= 18.5"
    assert str(parse_condition("visit <= 2024-03-01")) == "visit <= 2024-03-01"
    assert str(parse_condition("site = Site 2")) == 'site = "Site 2"'


def test_a_scope_line_reads_like_the_condition_typed() -> None:
    line = describe_scope(QueryScope(conditions=("age > 60",)), {})
    assert "age > 60" in line and '"60"' not in line


def test_halves_round_up_as_readers_expect() -> None:
    assert f"{2.25:.1f}" == "2.2"  # Python's format rounds the binary value half to even
    assert one_decimal(2.25) == "2.3" and one_decimal(0.05) == "0.1" and one_decimal(-2.25) == "-2.3"
    _header, rows = participant_table({"P1": {"age": "1"}, "P2": {"age": "2"}, "P3": {"age": "2"}, "P4": {"age": "4"}},
                                      [Characteristic("age", AttributeType.NUMBER)])
    assert rows[1][1].startswith("2.3 (")  # mean 2.25


@pytest.mark.parametrize(("word", "expected"), [("lantern", "0 hits in 0 documents"), ("fees", "1 hit in 1 document")])
def test_search_counts_read_in_the_singular_when_one(study: Study, capsys: pytest.CaptureFixture[str], word: str,
                                                     expected: str) -> None:
    study.project.close()  # the command opens the file itself
    assert main(["query", "search", str(study.project.path), word]) == 0
    assert capsys.readouterr().out.startswith(expected + " for")
