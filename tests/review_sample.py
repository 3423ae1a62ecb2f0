"""A small literature review for tests: 40 records from two databases (25 MEDLINE as RIS,
15 Embase as BibTeX) of which 8 duplicate MEDLINE records (5 by DOI, 3 by title and year),
screened blind by two reviewers, with 6 included studies whose PDFs are made here.

Title/abstract: 32 records screened, 20 excluded, 12 sought (Ana and Ben disagree on 2,
which Cleo resolves as include). Full text: 1 not retrieved (a hand-kept count), 11 assessed,
3 excluded as "wrong population", 2 as "not qualitative", 6 included.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.services import coders
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.reviews import fulltexts, prisma, references, screening
from tests.filemakers import write_paged_pdf

FAMILIES = ["Adams", "Baker", "Chen", "Dube", "Evans", "Fofana", "Garcia", "Hughes", "Ito", "Jones", "Khan",
            "Lopez", "Mensah", "Nair", "Owens", "Patel", "Quinn", "Reyes", "Singh", "Taylor", "Usman", "Vance",
            "Wong", "Xu", "Young"]
TOPICS = ["link workers", "loneliness", "green prescribing", "arts on referral", "welfare advice",
          "exercise referral", "peer support", "community navigators", "men's sheds", "befriending"]


def medline_records() -> list[dict[str, object]]:
    records = []
    for i, family in enumerate(FAMILIES):
        records.append({
            "family": family, "given": "A.", "second": FAMILIES[(i + 7) % 25] if i % 3 == 0 else "",
            "year": 2010 + i % 12,
            "title": f"Experiences of {TOPICS[i % 10]} in primary care: study {i + 1}",
            "journal": ["BMC Health Services Research", "Health & Place", "BJGP"][i % 3],
            "volume": str(10 + i), "issue": str(1 + i % 4), "pages": f"{100 + i}–{110 + i}",
            "doi": f"10.1000/sp.{i + 1:03d}" if i < 22 else "",
        })
    return records


def write_medline_ris(path: Path) -> Path:
    lines = []
    for r in medline_records():
        lines += ["TY  - JOUR", f"AU  - {r['family']}, {r['given']}"]
        if r["second"]:
            lines.append(f"AU  - {r['second']}, B.")
        first, last = str(r["pages"]).split("–")
        lines += [f"TI  - {r['title']}", f"T2  - {r['journal']}", f"PY  - {r['year']}", f"VL  - {r['volume']}",
                  f"IS  - {r['issue']}", f"SP  - {first}", f"EP  - {last}"]
        if r["doi"]:
            lines.append(f"DO  - {r['doi']}")
        lines += ["ER  -", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_embase_bibtex(path: Path) -> Path:
    """15 records: the first 5 share a MEDLINE DOI, the next 3 a MEDLINE title (other case and
    punctuation, no DOI) and year (records 23-25 have no DOI), the last 7 are new."""
    medline = medline_records()
    entries = []
    for k in range(5):
        r = medline[k]
        entries.append((f"dup{k}", r["family"], r["year"], str(r["title"]), r["doi"]))
    for k in range(22, 25):
        r = medline[k]
        entries.append((f"dupt{k}", r["family"], r["year"], str(r["title"]).upper().replace(":", " —"), ""))
    for k in range(7):
        entries.append((f"new{k}", ["Zhou", "Abara", "Brennan", "Castillo", "Demir", "Eze", "Fischer"][k],
                        2015 + k, f"Social prescribing and {TOPICS[(k + 3) % 10]}: a qualitative synthesis {k}",
                        f"10.2000/emb.{k:02d}"))
    text = []
    for key, family, year, title, doi in entries:
        text.append(f"@article{{{key},\n  author = {{{family}, C.}},\n  title = {{{title}}},\n"
                    f"  journal = {{Journal of Public Health}},\n  year = {{{year}}},\n"
                    + (f"  doi = {{{doi}}},\n" if doi else "") + "}\n")
    path.write_text("\n".join(text), encoding="utf-8")
    return path


# Study case names the import gives (first author family name + year).
INCLUDED = ["Adams & Hughes 2010", "Chen 2012", "Evans 2014", "Garcia & Nair 2016", "Zhou 2015", "Abara 2016"]
FULL_TEXT_EXCLUDED = {"Baker 2011": "wrong population", "Dube & Khan 2013": "wrong population",
                      "Fofana 2015": "not qualitative", "Hughes 2017": "not qualitative",
                      "Ito 2018": "wrong population"}
NOT_RETRIEVED = "Jones & Quinn 2019"
DISAGREED = ["Hughes 2017", "Ito 2018"]  # Ben excluded at title/abstract, Cleo resolved: include
COUNTRY = {"Adams & Hughes 2010": "UK", "Chen 2012": "Canada", "Evans 2014": "UK", "Garcia & Nair 2016": "Spain",
           "Zhou 2015": "China", "Abara 2016": "Nigeria"}
DESIGN = {"Adams & Hughes 2010": "Interviews", "Chen 2012": "Focus groups", "Evans 2014": "Interviews",
          "Garcia & Nair 2016": "Ethnography", "Zhou 2015": "Interviews", "Abara 2016": "Mixed methods"}
PAGE_TWO_QUOTE = "Having someone to walk with made the first step possible."
SPANNING_START = "The link worker listened to everything I said"
SPANNING_END = "and then we planned it together."


def pdf_pages(study: str, title: str, doi: str) -> list[list[str]]:
    """Three pages: the title page (DOI printed on some), findings on page 2, and a paragraph
    that runs from page 2 into page 3."""
    first = [title, f"{study.split()[0]} A.", "Abstract. We interviewed people referred to social prescribing."]
    if doi:
        first.append(f"https://doi.org/{doi}")
    return [
        first,
        ["Findings", f"{study}: {PAGE_TWO_QUOTE}", SPANNING_START],
        [SPANNING_END, "Discussion. Social prescribing relies on trust."],
    ]


def write_pdfs(folder: Path, session: Session) -> list[Path]:
    """The six included studies' PDFs: matched by DOI (Adams, Chen, Zhou), by file name
    (Evans, Abara) and by title (Garcia, whose PDF shows no DOI and has a neutral name)."""
    infos = {r.case_name: r for r in references.list_references(session)}
    paths = []
    for study in INCLUDED:
        record = infos[study].record
        by_doi = study in ("Adams & Hughes 2010", "Chen 2012", "Zhou 2015")
        name = {"Evans 2014": "Evans 2014.pdf", "Abara 2016": "abara2016.pdf"}.get(study, f"paper-{len(paths)}.pdf")
        paths.append(write_paged_pdf(folder / name, pdf_pages(study, record.title, record.doi if by_doi else "")))
    return paths


def build_review(session: Session, folder: Path) -> dict[str, object]:
    """Import, screen, attach PDFs and code; return the import reports."""
    medline = references.import_reference_file(session, path=write_medline_ris(folder / "medline.ris"),
                                               database="MEDLINE").result
    embase = references.import_reference_file(session, path=write_embase_bibtex(folder / "embase.bib"),
                                              database="Embase").result
    ana, ben, cleo = (coders.ensure_coder(session, name).id for name in ("Ana", "Ben", "Cleo"))
    screening.add_reason(session, stage="full_text", text="wrong population")
    screening.add_reason(session, stage="full_text", text="not qualitative")
    sought = [*INCLUDED, *FULL_TEXT_EXCLUDED, NOT_RETRIEVED]
    for info in references.list_references(session):
        include = info.case_name in sought
        for coder in (ana, ben):
            decision = "include" if include and not (coder == ben and info.case_name in DISAGREED) else "exclude"
            screening.decide(session, reference_id=info.id, stage="title_abstract", decision=decision, coder_id=coder)
        if info.case_name in DISAGREED:
            screening.decide(session, reference_id=info.id, stage="title_abstract", decision="include",
                             coder_id=cleo, final=True)
    for info in references.list_references(session):
        if info.case_name in INCLUDED or info.case_name in FULL_TEXT_EXCLUDED:
            for coder in (ana, ben):
                screening.decide(session, reference_id=info.id, stage="full_text",
                                 decision="include" if info.case_name in INCLUDED else "exclude",
                                 reason=FULL_TEXT_EXCLUDED.get(info.case_name, ""), coder_id=coder)
    prisma.set_count(session, key="not-retrieved", value=1)
    attached = fulltexts.attach_fulltexts(session, paths=write_pdfs(folder, session), coder_id=ana)
    code_quotes(session, ana)
    return {"medline": medline, "embase": embase, "attached": attached}


def code_quotes(session: Session, coder_id: int) -> None:
    """Code, in every included study, the page-2 quote as 'Companionship' and the passage that
    runs over pages 2-3 as 'Being heard' (under the category 'Relational support')."""
    from sqlalchemy import select

    from qualcode.store.models import Document

    parent = node_service.create_node(session, name="Relational support", level=2).result
    companionship = node_service.create_node(session, name="Companionship", parent_id=parent).result
    heard = node_service.create_node(session, name="Being heard", parent_id=parent).result
    for document_id, text in session.execute(select(Document.id, Document.text).where(Document.kind == "literature")):
        start = text.index(PAGE_TWO_QUOTE)
        coding_service.apply_code(session, document_id=document_id, start=start, end=start + len(PAGE_TWO_QUOTE),
                                  node_id=companionship, coder_id=coder_id)
        start, end = text.index(SPANNING_START), text.index(SPANNING_END) + len(SPANNING_END)
        coding_service.apply_code(session, document_id=document_id, start=start, end=end, node_id=heard,
                                  coder_id=coder_id)
