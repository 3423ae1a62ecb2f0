"""Find files under resources/ from a source checkout, an installed copy or a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The resources/ folder: inside the PyInstaller bundle when frozen, else beside the package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a resource, e.g. resource_path("samples", "participants.csv")."""
    return resources_root().joinpath(*parts)
