"""A bibliography of the studies (included ones by default) as BibTeX, RIS or CSL-JSON."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.io.references.writers import write_bibliography
from qualcode.services.reviews.tables import studies


def export_bibliography(session: Session, *, path: str | Path, which: str = "included",
                        format: str | None = None) -> int:
    """Write the studies' references in author–year order; returns how many were written."""
    chosen = studies(session, which=which)
    if not chosen:
        raise ValidationError("No studies are included yet (screen the full texts first, or choose all studies).")
    write_bibliography([s.record for s in chosen], path, format=format)
    return len(chosen)
