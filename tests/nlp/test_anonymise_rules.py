"""Rule-based identifier finding on a labelled transcript, and consistent pseudonyms."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.nlp.anonymise import PseudonymKey, Term, expand_terms, find_identifiers
from qualcode.nlp.pipeline import load_pipeline, pipeline_info

LABELLED = Path(__file__).with_name("labelled_transcript.txt")
USER_LIST = [Term("Siobhan"), Term("Rosa Lindqvist"), Term("Ashcombe", "place"), Term("Kelbury", "place")]


def labelled() -> tuple[str, list[tuple[int, int, str]]]:
    """The transcript without its [[category|words]] marks, and the marked spans."""
    raw = LABELLED.read_text(encoding="utf-8")
    parts, gold, position, last = [], [], 0, 0
    for match in re.finditer(r"\[\[(\w+)\|([^\]]+)\]\]", raw):
        parts.append(raw[last : match.start()])
        position += match.start() - last
        gold.append((position, position + len(match.group(2)), match.group(1)))
        parts.append(match.group(2))
        position += len(match.group(2))
        last = match.end()
    parts.append(raw[last:])
    return "".join(parts), gold


def user_list_spans(text: str) -> set[tuple[int, int]]:
    spans = set()
    for term in expand_terms(USER_LIST):
        for match in re.finditer(r"(?<!\w)" + re.escape(term.text) + r"(?!\w)", text, re.I):
            spans.add((match.start(), match.end()))
    return spans


def test_the_rule_based_path_is_what_runs_here() -> None:
    info = pipeline_info(load_pipeline(model=""))
    assert not info.trained and "entity_ruler" in info.components


def test_every_listed_name_and_place_is_found() -> None:
    text, gold = labelled()
    found = {(f.start, f.end) for f in find_identifiers(text, terms=USER_LIST, nlp=load_pipeline(model=""))}
    listed = {(s, e) for s, e, _ in gold} & user_list_spans(text)
    assert len(listed) == 9
    assert listed <= found  # recall 100% on the user's list


def test_precision_and_recall_on_everything_else() -> None:
    text, gold = labelled()
    findings = find_identifiers(text, terms=USER_LIST, nlp=load_pipeline(model=""))
    listed = user_list_spans(text)
    rest_gold = {(s, e) for s, e, _ in gold if (s, e) not in listed}
    rest_found = {(f.start, f.end) for f in findings if f.source != "list"}
    true_positives = len(rest_gold & rest_found)
    precision = true_positives / len(rest_found)
    recall = true_positives / len(rest_gold)
    assert (len(rest_gold), true_positives, len(rest_found)) == (19, 19, 19)
    assert precision == 1.0 and recall == 1.0
    categories = {(s, e): c for s, e, c in gold}
    assert all(categories[(f.start, f.end)] == f.category for f in findings)


def test_patterns_for_contact_details_and_dates() -> None:
    text = ("Ring 07700 900123 or +44 113 496 0000, or write to jo.bloggs@example.org at LS6 2AB. "
            "We met on 3rd of March 2024, again on March 5, 2024 and on 2024-04-01. Page 12 of 300.")
    found = [(f.category, f.text) for f in find_identifiers(text, use_entities=False)]
    assert found == [("phone", "07700 900123"), ("phone", "+44 113 496 0000"), ("email", "jo.bloggs@example.org"),
                     ("postcode", "LS6 2AB"), ("date", "3rd of March 2024"), ("date", "March 5, 2024"),
                     ("date", "2024-04-01")]


def test_listed_terms_match_whole_words_in_any_case_and_spacing() -> None:
    text = "DENNIS said Dennis's bowls club, not Dennison Street. Carol\nWhitby too."
    found = [f.text for f in find_identifiers(text, terms=[Term("Dennis"), Term("Carol Whitby")], use_entities=False)]
    assert found == ["DENNIS", "Dennis", "Carol\nWhitby"]


def test_pseudonyms_are_consistent_and_numbered_by_category() -> None:
    key = PseudonymKey()
    assert key.pseudonym("person", "Amira Haddad") == "[Person 1]"
    assert key.pseudonym("person", "Dr Okafor") == "[Person 2]"
    assert key.pseudonym("person", "AMIRA") == "[Person 1]"  # first name of a known full name
    assert key.pseudonym("person", "Okafor") == "[Person 2]"  # title dropped
    assert key.pseudonym("place", "Hollowbridge") == "[Place A]"
    assert key.pseudonym("place", "Eastfield") == "[Place B]"
    assert key.pseudonym("place", "hollowbridge") == "[Place A]"
    assert key.pseudonym("person", "Tom", "[Link worker 2]") == "[Link worker 2]"
    assert key.pseudonym("date", "12 May 2024") == "[Date 1]"


def test_an_ambiguous_first_name_gets_its_own_pseudonym() -> None:
    key = PseudonymKey()
    key.pseudonym("person", "Sam Jones")
    key.pseudonym("person", "Sam Patel")
    assert key.pseudonym("person", "Sam") == "[Person 3]"


def test_a_loaded_key_continues_its_numbering() -> None:
    key = PseudonymKey()
    key.learn("person", "Dennis", "[Person 4]")
    key.learn("place", "Leeds", "[Place C]")
    assert key.pseudonym("person", "dennis") == "[Person 4]"
    assert key.pseudonym("person", "Brenda") == "[Person 5]"
    assert key.pseudonym("place", "York") == "[Place D]"


def test_every_title_the_pipeline_knows_is_left_out_of_a_listed_name() -> None:
    from qualcode.nlp.anonymise import normalise_name

    for listed in ("Councillor Rosa Lindqvist", "Reverend Rosa Lindqvist", "Lady Rosa Lindqvist"):
        assert [t.text for t in expand_terms([Term(listed)])] == [listed, "Rosa", "Lindqvist"]
    assert normalise_name("Reverend Okafor") == normalise_name("Rev. Okafor") == "okafor"
