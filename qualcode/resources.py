"""Where QualCode's bundled resources (style sheet, demo samples) live, in a source checkout,
an installed package or the frozen (PyInstaller) application."""

from __future__ import annotations

import sys
from pathlib import Path

from qualcode.domain.errors import ProjectError


def resources_dir() -> Path:
    """The `resources/` folder: beside the package, or inside the frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file or folder under `resources/`; a clear error when the installation lacks it."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise ProjectError(f"QualCode's resource '{'/'.join(parts)}' is missing from {resources_dir()}.")
    return path
