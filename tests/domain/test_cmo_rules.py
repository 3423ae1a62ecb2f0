"""Templates, role lists and the one-sentence form of a configuration."""

from __future__ import annotations

import pytest

from qualcode.domain.cmo import (
    check_written_sentence,
    configuration_sentence,
    make_template,
    missing_roles,
    parse_roles,
    sentence_parts,
)
from qualcode.domain.errors import ValidationError


def test_known_templates_have_their_roles_in_causal_order() -> None:
    assert make_template("CMO").tokens == ("C", "M", "O")
    assert make_template("icamo").tokens == ("I", "C", "A", "M", "O")
    assert make_template("SCMO").required == ("S", "C", "M", "O")


def test_user_defined_template_keeps_tokens_and_optional_roles() -> None:
    template = make_template("Resource/reasoning", "C, Mres, Mreas, O, A?")
    assert template.name == "Resource/reasoning"
    assert template.tokens == ("C", "Mres", "Mreas", "O", "A")
    assert template.required == ("C", "Mres", "Mreas", "O")
    assert template.encode_roles() == "C,Mres,Mreas,O,A?"
    assert template.role("mres").name == "mechanism – resource"
    assert template.role("A").name == "actor"


@pytest.mark.parametrize(("roles", "message"), [
    ("C", "at least two roles"),
    ("C,M,C", "appears twice"),
    ("C,M O", "cannot be a role"),
    ("C?,M?", "at least one required role"),
])
def test_bad_role_lists_are_refused(roles: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_roles(roles)


def test_unknown_template_without_roles_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValidationError, match="use CMO, ICAMO, SCMO, CIMO"):
        make_template("Pawson")


def test_known_name_with_other_roles_is_refused() -> None:
    with pytest.raises(ValidationError, match="has the roles C,M,O"):
        make_template("CMO", "C,O")


def test_missing_roles_ignores_optional_and_empty_statements() -> None:
    template = make_template("Mine", "C,M,O,A?")
    assert missing_roles(template, [("C", "x"), ("M", "  ")]) == ("M", "O")
    assert missing_roles(template, [("c", "x"), ("m", "y"), ("o", "z")]) == ()


def test_sentence_keeps_the_researchers_order_and_adds_no_commas() -> None:
    template = make_template("CMO")
    sentence = configuration_sentence(template, [
        ("C", "Uncertainty about how a link worker can help"),
        ("O", "may make patients reluctant to engage with this person"),
        ("M", "because they are unsure of what to expect"),
    ])
    assert sentence == ("Uncertainty about how a link worker can help (C) may make patients reluctant to engage "
                        "with this person (O) because they are unsure of what to expect (M).")


def test_statements_carry_their_own_punctuation_after_the_marker() -> None:
    template = make_template("CMO")
    sentence = configuration_sentence(template, [
        ("C", "When GPs explain why they are referring patients,"),
        ("M", "patients feel the referral is legitimate;"),
        ("O", "so they attend the first appointment."),
        ("O", "Tell a friend about it"),
    ])
    assert sentence == ("When GPs explain why they are referring patients (C), patients feel the referral is "
                        "legitimate (M); so they attend the first appointment (O) and tell a friend about it (O).")


def test_a_statement_opening_with_and_because_or_so_gets_no_second_joiner() -> None:
    template = make_template("CMO")
    parts = sentence_parts(template, [
        ("C", "When patients are lonely"), ("M", "they value company"), ("O", "they join a group"),
        ("O", "and making them less isolated"), ("O", "so they stay"),
    ])
    text = "".join(t for t, _ in parts)
    assert text == ("When patients are lonely (C) they value company (M) they join a group (O) and making them "
                    "less isolated (O) so they stay (O).")
    assert "and and" not in text
    assert [t for t, marker in parts if marker] == ["(C)", "(M)", "(O)", "(O)", "(O)"]


def test_a_sentence_written_out_keeps_its_words_and_finds_its_markers() -> None:
    template = make_template("Dalkin", "C,Mres,Mreas,O")
    written = "Where staff trust (C), link workers (Mres) help patients feel safe (Mreas) and attend (O)."
    parts = sentence_parts(template, [("C", "ignored")], written=written)
    assert "".join(t for t, _ in parts) == written
    assert [t for t, marker in parts if marker] == ["(C)", "(Mres)", "(Mreas)", "(O)"]
    with pytest.raises(ValidationError, match=r"role markers into the sentence"):
        check_written_sentence(template, "No markers at all.")


def test_sentence_keeps_acronyms_and_user_markers() -> None:
    template = make_template("Dalkin", "C,Mres,Mreas,O")
    sentence = configuration_sentence(template, [
        ("C", "When patients are new"), ("Mres", "GP letters explain the service"),
        ("Mreas", "I feel safe"), ("O", "They attend"),
    ])
    assert sentence == ("When patients are new (C) GP letters explain the service (Mres) I feel safe (Mreas) "
                        "they attend (O).")
