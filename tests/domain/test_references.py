"""DOIs, title keys, author–year labels and page citations."""

from __future__ import annotations

from qualcode.domain.references import cite_label, find_doi, normalise_doi, pages_cited, sort_key, title_key


def test_dois_are_found_and_normalised_whatever_their_prefix() -> None:
    assert normalise_doi("https://doi.org/10.1191/1478088706QP063OA") == "10.1191/1478088706qp063oa"
    assert normalise_doi("doi: 10.1016/j.hp.2019.01.002.") == "10.1016/j.hp.2019.01.002"
    assert normalise_doi("not a doi") == ""
    assert find_doi("Health & Place 57 (2019) 1–9 https://doi.org/10.1016/j.healthplace.2019.01.002 Received") == (
        "10.1016/j.healthplace.2019.01.002")


def test_title_keys_ignore_case_accents_and_punctuation() -> None:
    assert title_key("Naïve hopes: a study — Part 2") == title_key("NAIVE HOPES A STUDY, PART 2")


def test_author_year_labels_and_order() -> None:
    assert cite_label(("Braun, V.",), 2006) == "Braun 2006"
    assert cite_label(("Braun, V.", "Clarke, V."), 2006) == "Braun & Clarke 2006"
    assert cite_label(("Smith, J.", "Jones, B.", "Lee, C."), None) == "Smith et al. n.d."
    assert cite_label((), 2020) == "Anon. 2020"
    names = [("Zhou, C.",), ("Abara, C.",), ("Ábel, D.",)]
    assert sorted(names, key=lambda a: sort_key(a, 2020, "t")) == [("Abara, C.",), ("Ábel, D.",), ("Zhou, C.",)]


def test_pages_cited_for_passages_on_one_page_across_pages_and_at_a_boundary() -> None:
    pages = [("715", 0, 100), ("716", 100, 220), ("717", 220, 300)]
    assert pages_cited(pages, 10, 40) == "p. 715"
    assert pages_cited(pages, 90, 130) == "pp. 715–716"
    assert pages_cited(pages, 100, 110) == "p. 716"
    assert pages_cited(pages, 50, 300) == "pp. 715–717"
    assert pages_cited([], 0, 5) == ""
