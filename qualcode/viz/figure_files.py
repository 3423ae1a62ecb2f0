"""Write a matplotlib Figure to PNG, SVG or PDF safely (temporary file, then moved into place)."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.domain.errors import ValidationError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_FORMATS = (".png", ".svg", ".pdf")


def new_figure(width: float, height: float) -> Figure:
    """A Figure on the Agg canvas (no pyplot state), white background."""
    from matplotlib.figure import Figure

    from qualcode.viz.canvas import AggCanvas

    figure = Figure(figsize=(width, height), facecolor="white")
    AggCanvas(figure)
    return figure


def shorten(label: str, limit: int = 34) -> str:
    """A label cut to `limit` characters with an ellipsis, so axes stay readable."""
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_figure(figure: Figure, path: str | Path, *, dpi: int = 200, tight: bool = True) -> Path:
    """Save as the suffix says (.png at `dpi`, .svg, .pdf); return the path written.
    `tight`: crop to the drawing with a small pad; otherwise keep the figure's exact size."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FIGURE_FORMATS:
        raise ValidationError(f"Cannot save a figure as '{target.suffix or target.name}': use .png, .svg or .pdf.")
    if not target.parent.is_dir():
        raise ValidationError(f"Cannot write '{target.name}': the folder {target.parent} does not exist.")
    if not 50 <= dpi <= 1200:
        raise ValidationError(f"A resolution of {dpi} dpi is out of range: use 50-1200.")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=suffix, dir=target.parent)
    os.close(handle)
    try:
        figure.savefig(temporary, dpi=dpi, format=suffix[1:], bbox_inches="tight" if tight else None,
                       pad_inches=0.15,
                       metadata={"Creator": "QualCode"} if suffix != ".png" else {"Software": "QualCode"})
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's private 0600
        os.replace(temporary, target)
    except OSError as exc:
        raise ValidationError(f"Could not write '{target.name}': {exc.strerror or exc}.") from None
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
    return target
