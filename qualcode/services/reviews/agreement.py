"""Agreement of two blind screeners at a stage: each record both decided is a unit
(include / exclude), summarised by percentage agreement, Cohen's kappa and Krippendorff's
alpha from qualcode.analysis.reliability, the same coefficients as coding agreement."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.analysis.reliability import PairTable, binary_units, nominal_alpha
from qualcode.domain.references import ScreeningDecisionValue
from qualcode.services.reviews.screening import decisions, stage_of


@dataclass(frozen=True)
class ScreeningDisagreement:
    reference_id: int
    decision_a: str
    decision_b: str


@dataclass(frozen=True)
class ScreeningAgreement:
    stage: str
    coder_a: str
    coder_b: str
    table: PairTable  # both = both included; only_a = only A included; neither = both excluded
    kappa: float | None
    alpha: float | None
    disagreements: tuple[ScreeningDisagreement, ...]
    only_one_screened: int  # records only one of the two has decided

    @property
    def percent(self) -> float | None:
        return self.table.percent


def screening_agreement(session: Session, *, stage: str, coder_a: str, coder_b: str) -> ScreeningAgreement:
    """Agreement between two screeners on the records both have screened at `stage`."""
    stage_value = stage_of(stage)
    mine: dict[str, dict[int, ScreeningDecisionValue]] = {coder_a.lower(): {}, coder_b.lower(): {}}
    for item in decisions(session, stage=stage_value):
        if not item.final and item.coder.lower() in mine:
            mine[item.coder.lower()][item.reference_id] = item.decision
    a, b = mine[coder_a.lower()], mine[coder_b.lower()]
    both_screened = sorted(a.keys() & b.keys())
    include = ScreeningDecisionValue.INCLUDE
    counts = {"both": 0, "only_a": 0, "only_b": 0, "neither": 0}
    disagreements = []
    for reference_id in both_screened:
        yes_a, yes_b = a[reference_id] is include, b[reference_id] is include
        key = "both" if yes_a and yes_b else "only_a" if yes_a else "only_b" if yes_b else "neither"
        counts[key] += 1
        if yes_a != yes_b:
            disagreements.append(ScreeningDisagreement(reference_id, a[reference_id].value, b[reference_id].value))
    table = PairTable(**counts)
    units = binary_units([table.neither, table.only_a + table.only_b, table.both])  # by how many included
    return ScreeningAgreement(stage_value.value, coder_a, coder_b, table, table.kappa, nominal_alpha(units),
                              tuple(disagreements), len(a.keys() ^ b.keys()))
