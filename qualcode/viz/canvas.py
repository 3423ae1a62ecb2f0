"""The Agg canvas QualCode draws its figures on.

It writes the PNG of a figure on an opaque background as RGB: every pixel is opaque, so an
alpha channel would only add a quarter more bytes without changing a pixel. Its rows go out
unfiltered (see qualcode.viz.png), which for a large 300-dpi figure takes a fraction of the
time Pillow's filter search does. A transparent figure, or one saved with Pillow options
(`pil_kwargs`), is written as matplotlib writes it.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg

# From this many pixels on, a light compression: a 300-dpi poster is written in half the time
# of the default level, in a tenth more bytes.
LARGE_IMAGE = 20e6


class AggCanvas(FigureCanvasAgg):
    def print_png(self, filename_or_obj: Any, *, metadata: dict[str, str] | None = None,
                  pil_kwargs: dict[str, Any] | None = None, **_applied: Any) -> None:
        # `_applied`: the dpi, colours and orientation savefig has already set on the figure.
        patch = self.figure.patch
        if pil_kwargs is not None or not patch.get_visible() or patch.get_facecolor()[3] < 1.0:
            super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)
            return
        import matplotlib
        import numpy as np

        from qualcode.viz.png import write_rgb_png

        FigureCanvasAgg.draw(self)
        width, height = self.get_width_height(physical=True)
        software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"  # as matplotlib fills it
        write_rgb_png(filename_or_obj, np.asarray(self.buffer_rgba()), dpi=self.figure.dpi,
                      text={"Software": software} | (metadata or {}), level=2 if width * height >= LARGE_IMAGE else 6)
