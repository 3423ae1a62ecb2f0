from __future__ import annotations

import pytest

from qualcode.domain.enums import DocumentKind, parse_enum
from qualcode.domain.errors import LevelRuleError, ValidationError
from qualcode.domain.ids import normalise_uid
from qualcode.domain.levels import Level, check_parent
from qualcode.domain.text import normalise_text, text_sha256


def test_levels_parse_names_numbers_and_spellings() -> None:
    assert Level.parse("Organizing theme") is Level.ORGANISING
    assert Level.parse("global") is Level.GLOBAL
    assert Level.parse(2) is Level.BASIC
    with pytest.raises(LevelRuleError, match="Unknown theme level 'sub-theme'"):
        Level.parse("sub-theme")
    with pytest.raises(LevelRuleError, match="use 1-4"):
        Level.parse(7)


def test_parent_must_be_strictly_higher() -> None:
    check_parent("Walking group", Level.CODE, "Activities", Level.BASIC)
    with pytest.raises(LevelRuleError, match="'Trust' \\(basic theme\\) cannot go under 'Goals' \\(basic theme\\)"):
        check_parent("Trust", Level.BASIC, "Goals", Level.BASIC)
    with pytest.raises(LevelRuleError):
        check_parent("Community", Level.GLOBAL, "Code A", Level.CODE)


def test_normalise_text_makes_nfc_and_lf_and_drops_bom() -> None:
    decomposed = "\ufeffCafe\u0301\r\nline two\rthree"
    assert normalise_text(decomposed) == "Café\nline two\nthree"
    assert len(normalise_text("e\u0301")) == 1
    assert text_sha256("Café") == text_sha256(normalise_text("Cafe\u0301"))


def test_guids_compare_in_any_case_and_braces() -> None:
    assert normalise_uid("{5215CC69-B628-4E02-AFB9-9BEEAEE55808}") == "5215cc69-b628-4e02-afb9-9beeaee55808"
    assert normalise_uid("c001") is None


def test_parse_enum_lists_the_choices() -> None:
    assert parse_enum(DocumentKind, "Follow-up", "document kind") is DocumentKind.FOLLOW_UP
    with pytest.raises(ValidationError, match="use one of interview, follow_up"):
        parse_enum(DocumentKind, "podcast", "document kind")
