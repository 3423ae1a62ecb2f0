"""Inter-coder agreement for chosen coders, codes and documents (DESIGN.md section 5).

Reads the spans, hands them to the pure measures in qualcode.analysis.agreement, and
returns labelled rows for the GUI table, the command line and CSV/XLSX/DOCX files.
Each code's agreement uses the codings made to that code itself (not to codes below it).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.agreement import (
    DEFAULT_SEED,
    DEFAULT_THRESHOLD,
    MIN_RESAMPLED_DOCUMENTS,
    Agreement,
    CodedDocument,
    NodeAgreement,
)
from qualcode.analysis.agreement import compute_agreement as measure
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.domain.text import plural
from qualcode.services.codebook.nodes import list_nodes
from qualcode.store.models import Coder, Coding, Document

if TYPE_CHECKING:
    from qualcode.io.tables import DataTable

HEADER = (
    "Code", "Coder A", "Coder B",
    "Units (characters)", "Prevalence",
    "% agreement (all text)", "κ (all text)", "κ 95% CI low", "κ 95% CI high",
    "Gwet's AC1 (all text)", "Brennan-Prediger κ (all text)",
    "Units (coded text)", "% agreement (coded text only)", "κ (coded text only)",
    "α characters (all coders)", "α 95% CI low", "α 95% CI high", "α sentences (all coders)",
    "Fleiss' κ (all coders)", "αu unitizing (all coders)",
    "Segments A", "Segments B", "Matched", "Precision", "Recall", "F1",
)
PERCENT_COLUMNS = frozenset({5, 12})
COUNT_COLUMNS = frozenset({3, 11, 20, 21, 22})


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
    units: int = 0
    prevalence: float | None = None
    kappa_interval: tuple[float, float] | None = None
    ac1: float | None = None
    bp: float | None = None
    units_coded: int = 0
    alpha_interval: tuple[float, float] | None = None
    fleiss_kappa: float | None = None
    alpha_unitizing: float | None = None

    def values(self) -> tuple[str | int | float | None, ...]:
        """The row's cells in HEADER order (None where a measure is undefined)."""
        kappa_low, kappa_high = self.kappa_interval or (None, None)
        alpha_low, alpha_high = self.alpha_interval or (None, None)
        return (self.node, self.coder_a, self.coder_b, self.units, self.prevalence,
                self.percent_all, self.kappa_all, kappa_low, kappa_high, self.ac1, self.bp,
                self.units_coded, self.percent_coded, self.kappa_coded,
                self.alpha_characters, alpha_low, alpha_high, self.alpha_sentences, self.fleiss_kappa,
                self.alpha_unitizing, self.segments_a, self.segments_b, self.matched, self.precision, self.recall,
                self.f1)


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    documents: int
    threshold: float
    sentence_units: bool
    rows: tuple[AgreementRow, ...]
    resamples: int = 0
    seed: int | None = None
    unassigned: int = 0

    @property
    def overall(self) -> tuple[AgreementRow, ...]:
        return tuple(row for row in self.rows if row.node_id is None)

    def notes(self) -> list[str]:
        notes = [
            f"Coders: {', '.join(self.coders)}; {plural(self.documents, 'document')}.",
            "Units are characters. 'All text': every character of the documents counts, so text nobody coded "
            "adds agreement. 'Coded text only': only characters either coder of the pair coded with any code of "
            "the project count (whichever codes are chosen here, so a code's row does not change with the "
            "selection).",
            "Prevalence: share of the units coded with the code, averaged over the two coders.",
            "κ: Cohen's kappa (chance agreement from each coder's own marginals; low for rare codes even when "
            "agreement is high). Gwet's AC1 and Brennan-Prediger κ (chance agreement 1/2) are robust to "
            "prevalence. κ (coded text only) is n/a when the code covers all of the coded text (no character "
            "outside it), where kappa would be 0 or below however well the coders agree.",
            "αu: Krippendorff's unitizing alpha (Krippendorff 1995; 2004, section 12.4) over the segments the "
            "coders cut for the code: near-misses cost the squared differences of starts and ends, a segment in "
            "the other coder's gap its squared length; on the documents every coder was assigned.",
            "α: Krippendorff's alpha, nominal, for all chosen coders; Fleiss' κ likewise for all chosen coders"
            + ("; on sentences a coder marks a sentence for a code when any of it is coded."
               if self.sentence_units else " (sentence units not computed)."),
            f"Segments are matched one to one (the most pairs possible) when they overlap by at least "
            f"{self.threshold:.0%} (shared characters over the characters either covers); precision and recall "
            "of coder B against coder A.",
        ]
        if self.resamples:
            notes.append(f"95% confidence intervals: percentile bootstrap over documents ({self.resamples:,} "
                         f"resamples of the {self.documents} documents with replacement, seed {self.seed}).")
        else:
            notes.append(f"Confidence intervals not computed (they need {MIN_RESAMPLED_DOCUMENTS} or more documents, "
                         "which are the units resampled, and a number of resamples).")
        if self.unassigned:
            notes.append(f"Documents a coder was not assigned count as missing for that coder, not as 'not coded' "
                         f"({plural(self.unassigned, 'coder-document pair')} not assigned).")
        notes.append("n/a (an empty cell in files): the measure is undefined, e.g. neither coder used the code.")
        return notes

    def table(self) -> DataTable:
        """The report as a table for qualcode.io.tables (numbers kept as numbers)."""
        from qualcode.io.tables import Cell, DataTable

        rows = []
        for row in self.rows:
            overall = row.node_id is None
            cells = [Cell.of(row.node, bold=overall, indent=row.depth), Cell.of(row.coder_a, bold=overall),
                     Cell.of(row.coder_b, bold=overall)]
            for column, value in enumerate(row.values()[3:], start=3):
                if isinstance(value, float):
                    value = round(value, 1 if column in PERCENT_COLUMNS else 3) + 0.0  # no -0.0
                cells.append(Cell.of(value))
            rows.append(tuple(cells))
        return DataTable(header=HEADER, rows=tuple(rows), title="Inter-coder agreement", note=" ".join(self.notes()),
                         landscape=True, sheet_name="Agreement", widths=(2.4, 1.0, 1.0) + (0.75,) * (len(HEADER) - 3))




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
    resamples: int = 0,
    seed: int = DEFAULT_SEED,
    assignments: Mapping[int, Collection[int]] | None = None,
    progress: Progress | None = None,
) -> AgreementReport:
    """Agreement per code and overall between two or more coders.

    `resamples` > 0 adds 95 % bootstrap intervals. `assignments` maps a coder id to the
    documents that coder was assigned; a coder missing from it was assigned every document.
    By default they are the assignments recorded when the coders' copies were made
    (services.teamwork.distribute). Documents a coder was not assigned are missing for that
    coder, not "not coded".
    """
    if assignments is None:
        from qualcode.services.teamwork.distribute import recorded_assignments

        assignments = recorded_assignments(session, coder_ids)
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
    assigned = _assigned(assignments or {}, coder_ids, lengths)
    chosen = _choose_nodes(session, node_ids, coder_ids, list(lengths))
    spans: dict[int, dict[tuple[Hashable, Hashable], list[tuple[int, int]]]] = {doc_id: {} for doc_id in lengths}
    node_set = {node_id for node_id, _name, _depth in chosen}
    rows = session.execute(select(Coding.document_id, Coding.node_id, Coding.coder_id, Coding.start, Coding.end)
                           .where(Coding.coder_id.in_(coder_ids), Coding.document_id.in_(list(lengths)))).tuples()
    for doc_id, node_id, coder_id, start, end in rows:
        # Every code's spans go in: codes not compared still mark text as coded (coded-text universe).
        key = (node_id if node_id in node_set else ("other", node_id), coder_id)
        spans[doc_id].setdefault(key, []).append((start, end))
    sentences = _sentences(session, list(lengths), progress) if sentence_units else {}
    check_cancelled(progress)
    progress.update(0, 1, "Measuring agreement")
    documents = [CodedDocument(lengths[doc_id], spans[doc_id], sentences.get(doc_id), assigned.get(doc_id))
                 for doc_id in lengths]
    result = measure(documents, coders=list(coder_ids), nodes=[node_id for node_id, _n, _d in chosen],
                     threshold=threshold, resamples=resamples, seed=seed)
    progress.update(1, 1, "Done")
    unassigned = sum(len(coder_ids) - len(members) for members in assigned.values())
    return _report(result, chosen, coders, len(lengths), unassigned)


def _assigned(assignments: Mapping[int, Collection[int]], coder_ids: Sequence[int],
              lengths: Mapping[int, int]) -> dict[int, frozenset[Hashable]]:
    """Per document, the coders assigned it, for documents not every chosen coder was assigned."""
    for coder_id, document_ids in assignments.items():
        if coder_id not in coder_ids:
            raise ValidationError(f"Coder {coder_id} has assigned documents but is not one of the coders compared.")
        unknown = set(document_ids) - set(lengths)
        if unknown:
            raise NotFoundError(f"There is no document with id {min(unknown)} among the documents compared.")
    result: dict[int, frozenset[Hashable]] = {}
    for doc_id in lengths:
        members = frozenset(c for c in coder_ids if c not in assignments or doc_id in assignments[c])
        if len(members) < len(coder_ids):
            result[doc_id] = members
    return result


def _report(result: Agreement, chosen: list[tuple[int, str, int]], coders: dict[int, str],
            documents: int, unassigned: int = 0) -> AgreementReport:
    rows: list[AgreementRow] = []

    def add(node: NodeAgreement, node_id: int | None, name: str, depth: int) -> None:
        for pair in node.pairs:
            segments = pair.segments
            rows.append(AgreementRow(
                node_id, name, depth, coders[cast(int, pair.coder_a)], coders[cast(int, pair.coder_b)],
                pair.all_text.percent, pair.all_text.kappa, pair.coded_text.percent, pair.coded_kappa,
                node.alpha_characters, node.alpha_sentences, segments.reference, segments.candidate,
                segments.matched, segments.precision, segments.recall, segments.f1,
                units=pair.all_text.units, prevalence=pair.all_text.prevalence, kappa_interval=pair.kappa_interval,
                ac1=pair.all_text.ac1, bp=pair.all_text.bp, units_coded=pair.coded_text.units,
                alpha_interval=node.alpha_interval, fleiss_kappa=node.fleiss_kappa,
                alpha_unitizing=node.alpha_unitizing))

    for (node_id, name, depth), node in zip(chosen, result.nodes, strict=True):
        add(node, node_id, name, depth)
    add(result.overall, None, "Overall (all codes pooled)", 0)
    return AgreementReport(tuple(coders[cast(int, c)] for c in result.coders), documents, result.threshold,
                           result.sentence_units, tuple(rows), result.resamples, result.seed, unassigned)


def export_agreement(report: AgreementReport, path: str | Path, *, format: str | None = None) -> Path:
    """Write the agreement table to CSV, XLSX, DOCX, HTML or Markdown (by suffix or `format`)."""
    from qualcode.io.table_export import write_tables

    return write_tables(report.table(), path, format=format, title="Inter-coder agreement")
