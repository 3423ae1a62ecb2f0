"""Reference files read back: RIS, BibTeX, CSL-JSON, EndNote XML and APA/Harvard text lists,
each written here as a reference manager writes it; malformed entries reported by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcode.domain.references import ReferenceRecord
from qualcode.io.base import UnreadableFileError
from qualcode.io.references import read_references
from qualcode.io.references.writers import write_bibliography

RIS = """TY  - JOUR
AU  - Braun, Virginia
AU  - Clarke, Victoria
TI  - Using thematic analysis in psychology
T2  - Qualitative Research in Psychology
PY  - 2006
VL  - 3
IS  - 2
SP  - 77
EP  - 101
DO  - https://doi.org/10.1191/1478088706QP063OA
UR  - https://www.tandfonline.com/doi/abs/10.1191/1478088706qp063oa
ER  -

TY  - BOOK
AU  - Pawson, Ray
AU  - Tilley, Nick
TI  - Realistic evaluation
PY  - 1997
ER  -

TY  - JOUR
AU  - Nobody, N.
PY  - 2001
ER  -
"""

BIBTEX = r"""@article{muller2018,
  author = {M{\"u}ller, Anna and Okafor, Chidi and Lee, Sun},
  title = {{Social} prescribing in primary care},
  journal = {British Journal of General Practice},
  year = {2018},
  volume = {68},
  number = {5},
  pages = {715--718},
  doi = {10.3399/bjgp18X696617}
}

@inproceedings{kim2020,
  author = {Kim, Eun},
  title = {Link workers at scale},
  booktitle = {Proceedings of Care Conference},
  year = 2020
}

@article{broken2019,
  author = {Broken, B.},
  title = {Never closed
"""

CSL = [
    {"id": "hall2019", "type": "article-journal", "title": "Loneliness and referral",
     "author": [{"family": "Hall", "given": "Rosa"}, {"literal": "NHS England"}],
     "issued": {"date-parts": [[2019, 4]]}, "container-title": "Health & Place", "volume": "57",
     "page": "1-9", "DOI": "10.1016/j.healthplace.2019.01.002"},
    {"id": "notitle", "type": "report"},
]

ENDNOTE = """<?xml version="1.0" encoding="UTF-8"?>
<xml><records>
<record><rec-number>12</rec-number><ref-type name="Journal Article">17</ref-type>
<contributors><authors><author><style face="normal">Drinkwater, Chris</style></author>
<author><style face="normal">Wildman, Josephine</style></author></authors></contributors>
<titles><title><style face="normal">Social prescribing</style></title>
<secondary-title><style face="normal">BMJ</style></secondary-title></titles>
<volume>364</volume><pages>l1285</pages><dates><year>2019</year></dates>
<electronic-resource-num>10.1136/bmj.l1285</electronic-resource-num>
<urls><related-urls><url>https://www.bmj.com/content/364/bmj.l1285</url></related-urls></urls>
</record>
<record><rec-number>13</rec-number><ref-type name="Book">6</ref-type></record>
</records></xml>
"""

TEXT_LIST = """Braun, V., & Clarke, V. (2006). Using thematic analysis in psychology. Qualitative Research in
Psychology, 3(2), 77–101. https://doi.org/10.1191/1478088706qp063oa

Smith, J. and Jones, B. (2018) Living with long-term pain: a qualitative study. Journal of Pain Care, 54(5), pp. 715-718.

Lee, C., Park, D. and Kim, E., 2019. Care at home. Health & Place, 12, pp.1-9. doi:10.1016/j.hp.2019.01.002

This line is a note, not a reference.

Okafor, C. (2020).

World Health Organization. (2019). A guide to social prescribing. WHO Press.
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ris_records_keep_authors_year_source_pages_and_a_canonical_doi(tmp_path: Path) -> None:
    read = read_references(_write(tmp_path, "medline.ris", RIS))
    first, book = read.records
    assert read.format == "ris"
    assert first.authors == ("Braun, Virginia", "Clarke, Victoria")
    assert (first.year, first.source, first.volume, first.issue, first.pages) == (
        2006, "Qualitative Research in Psychology", "3", "2", "77–101")
    assert first.doi == "10.1191/1478088706qp063oa"
    assert first.url.startswith("https://www.tandfonline.com/")
    assert (book.type, book.title, book.year) == ("book", "Realistic evaluation", 1997)
    assert [(u.line, u.problem) for u in read.unparsed] == [(22, "the record has no title (TI/T1).")]


def test_bibtex_decodes_accents_and_reports_a_broken_entry_by_line(tmp_path: Path) -> None:
    read = read_references(_write(tmp_path, "embase.bib", BIBTEX))
    article, paper = read.records
    assert article.authors == ("Müller, Anna", "Okafor, Chidi", "Lee, Sun")
    assert (article.title, article.pages, article.doi, article.key) == (
        "Social prescribing in primary care", "715–718", "10.3399/bjgp18x696617", "muller2018")
    assert (paper.type, paper.source, paper.year) == ("conference", "Proceedings of Care Conference", 2020)
    assert [u.line for u in read.unparsed] == [19]


def test_csl_json_names_years_and_items_without_a_title(tmp_path: Path) -> None:
    read = read_references(_write(tmp_path, "zotero.json", json.dumps(CSL)))
    (record,) = read.records
    assert record.authors == ("Hall, Rosa", "NHS England")
    assert (record.year, record.source, record.pages, record.doi) == (
        2019, "Health & Place", "1–9", "10.1016/j.healthplace.2019.01.002")
    assert [u.problem for u in read.unparsed] == ["item 2 has no title."]


def test_endnote_xml_reads_styled_text_and_reports_a_record_without_title(tmp_path: Path) -> None:
    read = read_references(_write(tmp_path, "library.xml", ENDNOTE))
    (record,) = read.records
    assert record.authors == ("Drinkwater, Chris", "Wildman, Josephine")
    assert (record.title, record.source, record.year, record.volume, record.pages) == (
        "Social prescribing", "BMJ", 2019, "364", "l1285")
    assert record.doi == "10.1136/bmj.l1285"
    assert record.url == "https://www.bmj.com/content/364/bmj.l1285"
    assert [u.line for u in read.unparsed] == [2]


def test_plain_text_list_reads_apa_and_harvard_and_reports_malformed_lines(tmp_path: Path) -> None:
    read = read_references(_write(tmp_path, "included.txt", TEXT_LIST))
    apa, harvard, harvard_comma, organisation = read.records
    assert apa.authors == ("Braun, V.", "Clarke, V.")
    assert (apa.year, apa.title, apa.source, apa.volume, apa.issue, apa.pages, apa.doi) == (
        2006, "Using thematic analysis in psychology", "Qualitative Research in Psychology", "3", "2", "77–101",
        "10.1191/1478088706qp063oa")
    assert apa.line == 1
    assert (harvard.authors, harvard.year, harvard.source, harvard.pages, harvard.line) == (
        ("Smith, J.", "Jones, B."), 2018, "Journal of Pain Care", "715–718", 4)
    assert (harvard_comma.authors, harvard_comma.doi) == (("Lee, C.", "Park, D.", "Kim, E."), "10.1016/j.hp.2019.01.002")
    assert organisation.authors == ("World Health Organization",)
    assert [(u.line, u.problem.split(":")[0]) for u in read.unparsed] == [
        (8, "no year after the authors"), (10, "no title after the year (a title ends with a full stop).")]


def test_a_file_without_references_or_an_unknown_suffix_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="'empty.ris': holds no references"):
        read_references(_write(tmp_path, "empty.ris", "\n"))
    with pytest.raises(UnreadableFileError, match="cannot tell the reference format"):
        read_references(_write(tmp_path, "refs.docx", "x"))
    with pytest.raises(UnreadableFileError, match="not valid JSON"):
        read_references(_write(tmp_path, "refs.json", "{"))


@pytest.mark.parametrize("suffix", [".bib", ".ris", ".json"])
def test_a_bibliography_written_reads_back_the_same_references(tmp_path: Path, suffix: str) -> None:
    records = [
        ReferenceRecord(title="Using thematic analysis in psychology", authors=("Braun, Virginia", "Clarke, Victoria"),
                        year=2006, source="Qualitative Research in Psychology", volume="3", issue="2",
                        pages="77–101", doi="10.1191/1478088706qp063oa"),
        ReferenceRecord(title="Realistic evaluation", authors=("Pawson, Ray", "Tilley, Nick"), year=1997, type="book"),
    ]
    path = write_bibliography(records, tmp_path / f"included{suffix}")
    back = read_references(path).records
    assert [(r.title, r.authors, r.year, r.doi, r.type) for r in back] == [
        (r.title, r.authors, r.year, r.doi, r.type) for r in records]
    assert (back[0].source, back[0].volume, back[0].issue, back[0].pages) == (
        "Qualitative Research in Psychology", "3", "2", "77–101")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"included{suffix}"]


def test_an_abbreviation_inside_a_title_does_not_end_it() -> None:
    from qualcode.io.references.plaintext import parse_reference

    record = parse_reference("Kim, J. (2021). Loneliness in the U.S. adult population: a survey. Journal of Aging, "
                             "4(1), 1-9.", 1)
    assert isinstance(record, ReferenceRecord)
    assert (record.title, record.source, record.pages) == (
        "Loneliness in the U.S. adult population: a survey", "Journal of Aging", "1–9")
