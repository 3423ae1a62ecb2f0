"""Find files under resources/ from a source checkout, an installed copy or a frozen app.

The repository keeps resources/ at its top level. A wheel carries it inside the package as
qualcode/_resources/ (see setup.py); the PyInstaller bundle carries it as resources/ beside
the program (see qualcode.spec)."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resources_root() -> Path:
    """The resources folder: in the frozen bundle, in the installed package, or in the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    installed = _PACKAGE / "_resources"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a resource, e.g. resource_path("samples", "participants.csv")."""
    return resources_root().joinpath(*parts)
