"""Labels for figures: fonts that exist here, wrapping, and characters no font can draw."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from functools import cache

_INVISIBLE = "\u200c\u200d\u200e\u200f\ufe0e\ufe0f"  # joiners, direction marks, variation selectors
FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib: Latin, Greek, Cyrillic, Hebrew, Arabic, many symbols


@cache
def _installed() -> frozenset[str]:
    from matplotlib import font_manager

    return frozenset(f.name for f in font_manager.fontManager.ttflist)


def font_families(preferred: Sequence[str]) -> list[str]:
    """The preferred families that are installed, with the fallback last (for missing glyphs)."""
    families = [f for f in preferred if f in _installed() and f != FALLBACK_FAMILY]
    return [*families, FALLBACK_FAMILY]


@cache
def _charmap(family: str) -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    try:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return frozenset()
    return frozenset(FT2Font(path).get_charmap())


def missing_glyphs(text: str, families: Sequence[str]) -> str:
    """The characters of `text` that none of the families can draw (in order, once each)."""
    maps = [_charmap(f) for f in families]
    missing: dict[str, None] = {}
    for char in text:
        if char.isspace() or char in _INVISIBLE or not char.isprintable():
            continue
        if not any(ord(char) in m for m in maps):
            missing[char] = None
    return "".join(missing)


def one_line(text: str) -> str:
    """Whitespace (newlines, tabs) collapsed to single spaces."""
    return " ".join(text.split())


def wrap_label(text: str, *, aspect: float = 3.0, short: int = 14) -> str:
    """Wrap into the number of lines that makes the block about `aspect` times as wide as tall,
    with lines of even length (not ragged); words are broken only when longer than a line."""
    if len(text) <= short:
        return text
    # A line of c characters is about 0.55c em wide and 1.2 em tall: n lines give 0.46 len / n^2.
    lines = min(range(1, 12), key=lambda n: abs(math.log(0.458 * len(text) / n**2 / aspect)))
    longest = max(len(word) for word in text.split())
    if longest > 28:  # a URL, a long compound, or script without spaces
        width = max(12, math.ceil(len(text) / lines))
        return "\n".join(textwrap.wrap(text, width=width, break_long_words=True))
    for width in range(max(longest, math.ceil(len(text) / lines)), len(text) + 1):
        wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=True)
        if len(wrapped) <= lines:
            return "\n".join(wrapped)
    return text


def warn_missing(labels: Iterable[str], families: Sequence[str]) -> list[str]:
    warnings = []
    for label in labels:
        gone = missing_glyphs(label, families)
        if gone:
            warnings.append(f"No installed font can draw {' '.join(gone)} in '{label}': "
                            "those characters show as empty boxes.")
    return warnings
