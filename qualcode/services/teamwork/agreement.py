"""Inter-coder agreement for chosen coders, codes and documents (DESIGN.md section 5).

Reads the spans, hands them to the pure measures in qualcode.analysis.agreement, and
returns labelled rows for the GUI table, the command line and CSV/XLSX/DOCX files.
Each code's agreement uses the codings made to that code itself (not to codes below it).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.agreement import DEFAULT_THRESHOLD, Agreement, CodedDocument, NodeAgreement
from qualcode.analysis.agreement import compute_agreement as measure
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.services.codebook.nodes import list_nodes
from qualcode.store.models import Coder, Coding, Document

if TYPE_CHECKING:
    from qualcode.io.tables import DataTable

HEADER = (
    "Code", "Coder A", "Coder B",
    "% agreement (all text)", "κ (all text)",
    "% agreement (coded text only)", "κ (coded text only)",
    "α characters (all coders)", "α sentences (all coders)",
    "Segments A", "Segments B", "Matched", "Precision", "Recall", "F1",
)


@dataclass(frozen=True)
class AgreementRow:
    """One code (or the overall pool, `node_id` None) for one pair of coders."""

    node_id: int | None
    node: str
    depth: int
    coder_a: str
    coder_b: str
    percent_all: float | None
    kappa_all: float | None
    percent_coded: float | None
    kappa_coded: float | None
    alpha_characters: float | None
    alpha_sentences: float | None
    segments_a: int
    segments_b: int
    matched: int
    precision: float | None
    recall: float | None
    f1: float | None

    def values(self) -> tuple[str | int | float | None, ...]:
        """The row's cells in HEADER order (None where a measure is undefined)."""
        return (self.node, self.coder_a, self.coder_b, self.percent_all, self.kappa_all, self.percent_coded,
                self.kappa_coded, self.alpha_characters, self.alpha_sentences, self.segments_a, self.segments_b,
                self.matched, self.precision, self.recall, self.f1)


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    documents: int
    threshold: float
    sentence_units: bool
    rows: tuple[AgreementRow, ...]

    @property
    def overall(self) -> tuple[AgreementRow, ...]:
        return tuple(row for row in self.rows if row.node_id is None)

    def notes(self) -> list[str]:
        return [
            f"Coders: {', '.join(self.coders)}; {self.documents} document{'s' if self.documents != 1 else ''}.",
            "Character units. 'All text': every character of the documents counts, so text nobody coded adds "
            "agreement. 'Coded text only': only characters either coder of the pair coded with any of the "
            "chosen codes count.",
            "κ: Cohen's kappa. α: Krippendorff's alpha, nominal, for all chosen coders; on sentences a coder "
            "marks a sentence for a code when any of it is coded." if self.sentence_units else
            "κ: Cohen's kappa. α: Krippendorff's alpha, nominal, for all chosen coders (sentence units not "
            "computed).",
            f"Segments match one to one when they overlap by at least {self.threshold:.0%} (shared characters "
            "over the characters either covers); precision and recall of coder B against coder A.",
            "n/a (an empty cell in files): the measure is undefined, e.g. neither coder used the code.",
        ]

    def table(self) -> DataTable:
        """The report as a table for qualcode.io.tables (numbers kept as numbers)."""
        from qualcode.io.tables import Cell, DataTable

        def number(value: float | None, digits: int) -> Cell:
            return Cell.of(None if value is None else round(value, digits))

        rows = []
        for row in self.rows:
            overall = row.node_id is None
            rows.append((
                Cell.of(row.node, bold=overall, indent=row.depth), Cell.of(row.coder_a, bold=overall),
                Cell.of(row.coder_b, bold=overall),
                number(row.percent_all, 1), number(row.kappa_all, 3), number(row.percent_coded, 1),
                number(row.kappa_coded, 3), number(row.alpha_characters, 3), number(row.alpha_sentences, 3),
                Cell.of(row.segments_a), Cell.of(row.segments_b), Cell.of(row.matched),
                number(row.precision, 3), number(row.recall, 3), number(row.f1, 3),
            ))
        return DataTable(header=HEADER, rows=tuple(rows), title="Inter-coder agreement", note=" ".join(self.notes()),
                         landscape=True, sheet_name="Agreement", widths=(3.0, 1.2, 1.2) + (1.0,) * 12)


def _choose_nodes(session: Session, node_ids: Sequence[int] | None, coder_ids: Sequence[int],
                  document_ids: Sequence[int]) -> list[tuple[int, str, int]]:
    """(id, name, depth) of the chosen codes in tree order; by default those the coders used.

    Depth counts only chosen ancestors, so a table indents a code under a theme it shows."""
    tree = list_nodes(session)
    parent = {node.id: node.parent_id for node in tree}
    if node_ids is None:
        used = set(session.scalars(select(Coding.node_id).distinct().where(
            Coding.coder_id.in_(coder_ids), Coding.document_id.in_(document_ids))))
    else:
        used = set(node_ids)
        missing = used - set(parent)
        if missing:
            raise NotFoundError(f"There is no node with id {min(missing)} in this project.")

    def depth(node_id: int) -> int:
        ancestor, count = parent[node_id], 0
        while ancestor is not None:
            count += ancestor in used
            ancestor = parent[ancestor]
        return count

    return [(node.id, node.name, depth(node.id)) for node in tree if node.id in used]


def _sentences(session: Session, document_ids: Sequence[int], progress: Progress) -> dict[int, list[tuple[int, int]]]:
    """Sentence spans per document, from the shared NLP module (cached there by text hash)."""
    from qualcode.nlp.sentences import sentence_spans

    result: dict[int, list[tuple[int, int]]] = {}
    rows = session.execute(select(Document.id, Document.text).where(Document.id.in_(document_ids))).tuples().all()
    for done, (doc_id, text) in enumerate(rows):
        check_cancelled(progress)
        progress.update(done, len(rows), "Finding sentences")
        result[doc_id] = [(span.start, span.end) for span in sentence_spans(text)]
    return result


def compute_agreement(
    session: Session,
    *,
    coder_ids: Sequence[int],
    node_ids: Sequence[int] | None = None,
    document_ids: Sequence[int] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    sentence_units: bool = True,
    progress: Progress | None = None,
) -> AgreementReport:
    """Agreement per code and overall between two or more coders."""
    progress = progress or NullProgress()
    coders = dict(session.execute(select(Coder.id, Coder.name).where(Coder.id.in_(coder_ids))).tuples().all())
    if len(set(coder_ids)) != len(coder_ids):
        raise ValidationError("Each coder can be chosen once.")
    for coder_id in coder_ids:
        if coder_id not in coders:
            raise NotFoundError(f"There is no coder with id {coder_id} in this project.")
    if len(coder_ids) < 2:
        raise ValidationError("Agreement needs at least two coders.")
    lengths_query = select(Document.id, func.length(Document.text))
    if document_ids is not None:
        lengths_query = lengths_query.where(Document.id.in_(document_ids))
    lengths = dict(session.execute(lengths_query).tuples().all())
    if document_ids is not None and len(lengths) != len(set(document_ids)):
        raise NotFoundError(f"There is no document with id {min(set(document_ids) - set(lengths))} in this project.")
    if not lengths:
        raise ValidationError("There are no documents to compare.")
    chosen = _choose_nodes(session, node_ids, coder_ids, list(lengths))
    spans: dict[int, dict[tuple[Hashable, Hashable], list[tuple[int, int]]]] = {doc_id: {} for doc_id in lengths}
    node_set = {node_id for node_id, _name, _depth in chosen}
    rows = session.execute(select(Coding.document_id, Coding.node_id, Coding.coder_id, Coding.start, Coding.end)
                           .where(Coding.coder_id.in_(coder_ids), Coding.document_id.in_(list(lengths)))).tuples()
    for doc_id, node_id, coder_id, start, end in rows:
        if node_id in node_set:
            spans[doc_id].setdefault((node_id, coder_id), []).append((start, end))
    sentences = _sentences(session, list(lengths), progress) if sentence_units else {}
    check_cancelled(progress)
    progress.update(0, 1, "Measuring agreement")
    documents = [CodedDocument(lengths[doc_id], spans[doc_id], sentences.get(doc_id)) for doc_id in lengths]
    result = measure(documents, coders=list(coder_ids), nodes=[node_id for node_id, _n, _d in chosen],
                     threshold=threshold)
    progress.update(1, 1, "Done")
    return _report(result, chosen, coders, len(lengths))


def _report(result: Agreement, chosen: list[tuple[int, str, int]], coders: dict[int, str],
            documents: int) -> AgreementReport:
    rows: list[AgreementRow] = []

    def add(node: NodeAgreement, node_id: int | None, name: str, depth: int) -> None:
        for pair in node.pairs:
            segments = pair.segments
            rows.append(AgreementRow(
                node_id, name, depth, coders[cast(int, pair.coder_a)], coders[cast(int, pair.coder_b)],
                pair.all_text.percent, pair.all_text.kappa, pair.coded_text.percent, pair.coded_text.kappa,
                node.alpha_characters, node.alpha_sentences, segments.reference, segments.candidate,
                segments.matched, segments.precision, segments.recall, segments.f1))

    for (node_id, name, depth), node in zip(chosen, result.nodes, strict=True):
        add(node, node_id, name, depth)
    add(result.overall, None, "Overall (all codes pooled)", 0)
    return AgreementReport(tuple(coders[cast(int, c)] for c in result.coders), documents, result.threshold,
                           result.sentence_units, tuple(rows))


def export_agreement(report: AgreementReport, path: str | Path, *, format: str | None = None) -> Path:
    """Write the agreement table to CSV, XLSX, DOCX, HTML or Markdown (by suffix or `format`)."""
    from qualcode.io.table_export import write_tables

    return write_tables(report.table(), path, format=format, title="Inter-coder agreement")
