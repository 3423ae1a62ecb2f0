"""Full texts: PDFs matched to study records (by a DOI printed in the PDF, by the file name, or
by the title on its first pages) and imported as literature documents of the study's case,
with every page's boundaries kept so passages know their page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import QualCodeError, ValidationError
from qualcode.domain.progress import NullProgress, Progress
from qualcode.domain.references import find_doi, title_key
from qualcode.domain.text import text_sha256
from qualcode.io.pdf import PagedText, read_pdf_pages
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.services.reviews.references import ReferenceInfo, list_references
from qualcode.store.models import Document, DocumentPage, Reference, case_document


@dataclass(frozen=True)
class PdfMatch:
    path: Path
    study: str  # case name; "" when unmatched
    reference_id: int | None
    how: str  # "doi", "file name", "title"; or why nothing matched
    document_id: int | None = None


@dataclass(frozen=True)
class FulltextReport:
    matched: tuple[PdfMatch, ...]
    unmatched: tuple[PdfMatch, ...]
    studies_without_pdf: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class PageInfo:
    number: int
    label: str
    start: int
    end: int


def _match(path: Path, paged: PagedText, studies: Sequence[ReferenceInfo]) -> tuple[ReferenceInfo | None, str]:
    opening = paged.text[: paged.page_starts[2] if len(paged.page_starts) > 2 else len(paged.text)]
    doi = find_doi(opening) or find_doi(path.stem.replace("_", "/"))
    if doi:
        hits = [s for s in studies if s.record.doi == doi]
        if len(hits) == 1:
            return hits[0], "doi"
    stem = title_key(path.stem)
    hits = [s for s in studies if stem and stem in {title_key(s.case_name), title_key(s.record.key)}]
    if not hits:
        hits = [s for s in studies if title_key(s.record.title) and title_key(s.record.title) == stem]
    if len(hits) == 1:
        return hits[0], "file name"
    opening_key = title_key(opening[:5000])
    hits = [s for s in studies if len(title_key(s.record.title)) >= 12 and title_key(s.record.title) in opening_key]
    if len(hits) == 1:
        return hits[0], "title"
    if not hits:
        from rapidfuzz import fuzz

        scored = [(fuzz.partial_ratio(s.record.title.lower(), opening[:3000].lower()), s) for s in studies
                  if len(s.record.title) >= 12]
        best = [s for score, s in scored if score >= 92]
        if len(best) == 1:
            return best[0], "title"
    return None, "matches several studies" if len(hits) > 1 else "no DOI, file name or title matched"


def attach_pdf(session: Session, *, reference_id: int, path: str | Path, paged: PagedText | None = None,
               coder_id: int | None = None) -> Change:
    """Import a PDF as the study's full text (a literature document linked to its case, pages
    kept). Result: the new document id."""
    reference = require(session, Reference, reference_id, "reference")
    if reference.case_id is None:
        raise ValidationError("A duplicate record has no study case; attach the PDF to the study it duplicates.")
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise ValidationError(f"'{path.name}' is not a PDF.")
    paged = paged or read_pdf_pages(path)
    case_id = reference.case_id
    name = _document_name(session, require(session, Reference, reference_id, "reference"), path)

    def run(rec: Recorder) -> int:
        document_id = int(rec.insert(Document, name=name, kind="literature", text=paged.text,
                                     text_sha256=text_sha256(paged.text), source_filename=path.name))
        rec.insert_many(DocumentPage, [{"document_id": document_id, "number": number, "label": label[:20],
                                        "start": start, "end": end}
                                       for number, (label, start, end) in enumerate(paged.pages(), start=1)])
        rec.insert(case_document, case_id=case_id, document_id=document_id)
        return document_id

    return Command(f"Attach '{path.name}'", run, action="attach full text",
                   details={"reference": reference.uid, "file": path.name, "pages": len(paged.page_starts)},
                   coder_id=coder_id).apply(session)


def _document_name(session: Session, reference: Reference, path: Path) -> str:
    from qualcode.store.models import Case

    base = session.scalar(select(Case.name).where(Case.id == reference.case_id)) or path.stem
    taken = {n.lower() for n in session.scalars(select(Document.name))}
    name, index = base, 2
    while name.lower() in taken:
        name, index = f"{base} ({index})", index + 1
    return name


@dataclass(frozen=True)
class PdfCandidate:
    """A PDF read and matched (or not) to a study record, ready to attach."""

    path: Path
    paged: PagedText
    reference_id: int | None
    study: str
    how: str


def match_pdf(session: Session, *, path: str | Path) -> PdfCandidate:
    """Read a PDF and find the one study record it belongs to (by DOI, file name or title)."""
    path = Path(path)
    paged = read_pdf_pages(path)
    studies = [s for s in list_references(session) if s.case_id is not None]
    study, how = _match(path, paged, studies)
    return PdfCandidate(path, paged, study.id if study else None, study.case_name if study else "", how)


def attach_fulltexts(session: Session, *, paths: Sequence[str | Path], coder_id: int | None = None,
                     progress: Progress = NullProgress()) -> FulltextReport:
    """Match each PDF to one study record and import it; report what matched and how, what did
    not, and which studies still have no PDF. A bad file is reported, the others still land."""
    studies = [s for s in list_references(session) if s.case_id is not None]
    with_pdf = set(session.scalars(select(case_document.c.case_id).join(Document, Document.id == case_document.c.document_id)
                                   .where(Document.kind == "literature")))
    matched: list[PdfMatch] = []
    unmatched: list[PdfMatch] = []
    changes: list[Change] = []
    for index, raw in enumerate(paths):
        path = Path(raw)
        if progress.cancelled():
            unmatched.append(PdfMatch(path, "", None, "not started (cancelled)"))
            continue
        progress.update(index, len(paths), path.name)
        try:
            paged = read_pdf_pages(path)
        except QualCodeError as exc:
            unmatched.append(PdfMatch(path, "", None, str(exc)))
            continue
        study, how = _match(path, paged, studies)
        if study is None:
            unmatched.append(PdfMatch(path, "", None, how))
            continue
        change = attach_pdf(session, reference_id=study.id, path=path, paged=paged, coder_id=coder_id)
        changes.append(change)
        with_pdf.add(study.case_id)
        matched.append(PdfMatch(path, study.case_name, study.id, how, int(change.result)))
    progress.update(len(paths), len(paths), "done")
    missing = tuple(s.case_name for s in studies if s.case_id not in with_pdf)
    return FulltextReport(tuple(matched), tuple(unmatched), missing, tuple(changes))


def document_pages(session: Session, document_id: int) -> list[PageInfo]:
    rows = session.scalars(select(DocumentPage).where(DocumentPage.document_id == document_id)
                           .order_by(DocumentPage.start, DocumentPage.number))
    return [PageInfo(p.number, p.label, p.start, p.end) for p in rows]
