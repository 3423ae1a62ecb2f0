"""What the import wizard's pages share: the files read so far and the ones that failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.services.importing.importing import FilePreview


@dataclass
class ImportState:
    previews: dict[Path, FilePreview] = field(default_factory=dict)  # files read, in the order added
    errors: dict[Path, str] = field(default_factory=dict)  # files that could not be read, with why
