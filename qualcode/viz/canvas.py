"""The Agg canvas QualCode draws its figures on.

It writes the PNG of a figure on an opaque background as RGB: every pixel is opaque, so an
alpha channel would only add a quarter more bytes to filter and compress without changing a
pixel. A large image (a 300-dpi poster) goes through QualCode's own writer, whose unfiltered
rows take a fraction of the time Pillow spends choosing a filter for each row (see
qualcode.viz.png). A transparent figure is written as matplotlib writes it.
"""

from __future__ import annotations

from typing import IO, Any

from matplotlib.backends.backend_agg import FigureCanvasAgg

LARGE_IMAGE = 20e6  # pixels


class AggCanvas(FigureCanvasAgg):
    def print_png(self, filename_or_obj: Any, *, metadata: dict[str, str] | None = None,
                  pil_kwargs: dict[str, Any] | None = None, **_applied: Any) -> None:
        # `_applied`: the dpi, colours and orientation savefig has already set on the figure.
        patch = self.figure.patch
        if not patch.get_visible() or patch.get_facecolor()[3] < 1.0:
            super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)
            return
        import matplotlib
        import numpy as np
        from PIL import Image, PngImagePlugin

        FigureCanvasAgg.draw(self)
        width, height = self.get_width_height(physical=True)
        text = {"Software": f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"} | (metadata or {})
        if pil_kwargs is None and width * height >= LARGE_IMAGE:
            from qualcode.viz.png import write_rgb_png

            # A light compression: half the time of the default level, for a tenth more bytes.
            write_rgb_png(filename_or_obj, np.asarray(self.buffer_rgba()), dpi=self.figure.dpi, text=text, level=2)
            return
        image = Image.frombuffer("RGBA", (width, height), self.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
        options = dict(pil_kwargs or {})
        if "pnginfo" not in options:  # as matplotlib fills it
            info = PngImagePlugin.PngInfo()
            for key, value in text.items():
                if value is not None:
                    info.add_text(key, value)
            options["pnginfo"] = info
        options.setdefault("dpi", (self.figure.dpi, self.figure.dpi))
        target: str | IO[bytes] = filename_or_obj
        image.save(target, format="png", **options)
