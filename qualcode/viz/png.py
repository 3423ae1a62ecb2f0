"""Writing an opaque figure as an 8-bit RGB PNG, quickly even at poster size.

Pillow's PNG encoder tries all five row filters on every row and keeps the best; on a 300-dpi
poster (tens of millions of pixels) that search takes longer than drawing the figure. A figure
is flat colour with thin antialiased edges, which deflate compresses as well or better with no
filter at all, so every row is written unfiltered (filter type 0), band by band. The deflate
stream comes from zlib-ng: the same format as zlib's, made several times faster.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO

import numpy as np
from numpy.typing import NDArray
from zlib_ng import zlib_ng

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BAND = 256  # rows compressed at a time: a few MB of memory whatever the image's size


def write_rgb_png(target: str | os.PathLike[str] | IO[bytes], rgba: NDArray[np.uint8], *, dpi: float,
                  text: Mapping[str, str | None] | None = None, level: int = 6) -> None:
    """Write the colour of an (height, width, 4) RGBA array (its alpha is ignored: the caller
    knows every pixel is opaque) with its physical size at `dpi` and the `text` entries
    (None values skipped); `level` is the deflate compression level (1-9)."""
    height, width, channels = rgba.shape
    if channels != 4:
        raise ValueError(f"Expected RGBA pixels, got {channels} channels.")
    compressor = zlib_ng.compressobj(level)
    band = np.zeros((min(_BAND, height), 1 + 3 * width), dtype=np.uint8)  # column 0: each row's filter type
    with _binary_output(target) as out:
        out.write(SIGNATURE)
        _chunk(out, b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))  # 8-bit RGB
        for key, value in (text or {}).items():
            if value is not None:
                _chunk(out, *_text_chunk(key, value))
        per_metre = int(dpi / 0.0254 + 0.5)
        _chunk(out, b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
        for top in range(0, height, _BAND):
            rows = min(_BAND, height - top)
            colour = band[:rows, 1:].reshape(rows, width, 3)
            for c in range(3):
                colour[:, :, c] = rgba[top:top + rows, :, c]
            data = compressor.compress(band[:rows].data)
            if data:
                _chunk(out, b"IDAT", data)
        _chunk(out, b"IDAT", compressor.flush())
        _chunk(out, b"IEND", b"")


def _text_chunk(key: str, value: str) -> tuple[bytes, bytes]:
    """A tEXt chunk when the text is Latin-1 (as PNG defines tEXt), else an uncompressed iTXt (UTF-8)."""
    keyword = key.encode("latin-1")
    try:
        return b"tEXt", keyword + b"\0" + value.encode("latin-1")
    except UnicodeEncodeError:
        # keyword, compression flag and method (none), language tag, translated keyword, text
        return b"iTXt", keyword + b"\0\0\0" + b"\0" + b"\0" + value.encode("utf-8")


def _chunk(out: IO[bytes], kind: bytes, data: bytes) -> None:
    out.write(struct.pack(">I", len(data)) + kind)
    out.write(data)
    out.write(struct.pack(">I", zlib.crc32(data, zlib.crc32(kind))))


@contextmanager
def _binary_output(target: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as out:
            yield out
    else:
        yield target
