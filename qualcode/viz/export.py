"""Writing figures as PNG (at a chosen dpi), SVG (text kept as text) or PDF (fonts embedded).

The caller supplies the file to write (a temporary one, for an atomic export) or a binary
stream (for an on-screen preview).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING

from qualcode.domain.errors import ValidationError
from qualcode.viz.theme_map_data import ImageFormat

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_DPI = 300
_SUFFIXES = {".png": ImageFormat.PNG, ".svg": ImageFormat.SVG, ".pdf": ImageFormat.PDF}


def image_format(path: str | Path | None, format: str | None = None) -> ImageFormat:
    """The format named, or the one the file's suffix implies."""
    if format:
        try:
            return ImageFormat(format.strip().lower().lstrip("."))
        except ValueError:
            raise ValidationError(f"Unknown image format '{format}': use png, svg or pdf.") from None
    suffix = Path(path).suffix.lower() if path is not None else ""
    if suffix not in _SUFFIXES:
        raise ValidationError(f"Cannot tell the image format of '{Path(path or '').name}': "
                              "end the name with .png, .svg or .pdf.")
    return _SUFFIXES[suffix]


def check_dpi(dpi: int) -> int:
    if not 50 <= dpi <= 1200:
        raise ValidationError(f"A resolution of {dpi} dpi is not usable: choose 50-1200 dpi.")
    return dpi


def write_figure(figure: Figure, target: str | Path | IO[bytes], fmt: ImageFormat, *, dpi: int = DEFAULT_DPI,
                 title: str = "") -> None:
    """Save the figure exactly at its size; PNG carries its dpi, SVG keeps labels as searchable text."""
    import matplotlib

    check_dpi(dpi)
    metadata = {"Software" if fmt is ImageFormat.PNG else "Creator": "QualCode"} | ({"Title": title} if title else {})
    settings = {"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "qualcode"}
    with matplotlib.rc_context(settings), warnings.catch_warnings():  # type: ignore[arg-type]
        warnings.simplefilter("ignore", UserWarning)  # missing glyphs were reported when the map was drawn
        figure.savefig(target, format=fmt.value, dpi=dpi, metadata=metadata, facecolor="white")
