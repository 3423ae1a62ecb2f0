"""A theme's exemplar quotes in the order the researcher sets: the quotes a themes table
prints when it shows "exemplars only".

A theme's exemplars are the exemplar codings of the theme and of every node below it. Their
order is kept on the codings (`exemplar_position`); a newly marked exemplar goes last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.services._common import require
from qualcode.services.codebook.nodes import descendant_ids
from qualcode.services.commands import Change, Command, Recorder
from qualcode.services.themes.quotes import Quote, speakers
from qualcode.store.models import Coding, Document, Node


@dataclass(frozen=True)
class Exemplar:
    coding_id: int
    node_id: int
    position: int
    quote: Quote


def exemplar_rows(session: Session, node_ids: Sequence[int]) -> list[tuple[int, int, int, int, int, int]]:
    """(coding, node, document, start, end, position) of the exemplars coded at these nodes, in order."""
    if not node_ids:
        return []
    return [tuple(row) for row in session.execute(
        select(Coding.id, Coding.node_id, Coding.document_id, Coding.start, Coding.end, Coding.exemplar_position)
        .where(Coding.exemplar, Coding.node_id.in_(list(node_ids)))
        .order_by(Coding.exemplar_position, Coding.id))]


def exemplars_of(session: Session, node_id: int) -> list[Exemplar]:
    """The theme's exemplar quotes (its own and those of the nodes below it), in order."""
    require(session, Node, node_id, "theme")
    rows = exemplar_rows(session, [node_id, *descendant_ids(session, node_id)])
    if not rows:
        return []
    labels = speakers(session).labels
    texts = dict(session.execute(
        select(Coding.id, func.substr(Document.text, Coding.start + 1, Coding.end - Coding.start))
        .join(Document, Document.id == Coding.document_id)
        .where(Coding.id.in_([r[0] for r in rows]))).tuples().all())
    return [Exemplar(coding, node, position, Quote(coding, document, start, end, texts.get(coding, ""),
                                                     labels.get(document, ""), True))
            for coding, node, document, start, end, position in rows]


def order_exemplars(session: Session, *, node_id: int, coding_ids: Sequence[int],
                    coder_id: int | None = None) -> Change:
    """Set the order of a theme's exemplar quotes: `coding_ids` first, in this order; the
    theme's other exemplars follow in their present order."""
    node = require(session, Node, node_id, "theme")
    current = [e.coding_id for e in exemplars_of(session, node_id)]
    wanted = list(dict.fromkeys(coding_ids))
    strangers = [c for c in wanted if c not in current]
    if strangers:
        raise ValidationError(f"Coding{'s' if len(strangers) > 1 else ''} {', '.join(map(str, strangers))} "
                              f"{'are' if len(strangers) > 1 else 'is'} not an exemplar of '{node.name}' "
                              "(mark it as an exemplar first).")
    order = wanted + [c for c in current if c not in wanted]
    positions = dict(session.execute(select(Coding.id, Coding.exemplar_position)
                                     .where(Coding.id.in_(order))).tuples().all())
    slots = sorted(positions.values())
    if len(set(slots)) < len(slots):  # ties (e.g. from before exemplars had an order): renumber
        base = min(slots)
        slots = list(range(base, base + len(slots)))

    def run(rec: Recorder) -> None:
        for coding_id, place in zip(order, slots, strict=True):
            if positions[coding_id] != place:
                rec.update(Coding, coding_id, exemplar_position=place)

    return Command(f"Reorder the exemplar quotes of '{node.name}'", run, action="reorder exemplars",
                   details={"node": node.uid, "order": order}, coder_id=coder_id).apply(session)
