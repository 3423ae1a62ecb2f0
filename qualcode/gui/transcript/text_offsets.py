"""The one place where Qt text positions (UTF-16 code units) and model offsets (Unicode code
points, Python `str` indices) are converted. They differ after every character outside the
Basic Multilingual Plane (emoji, some CJK), which Qt counts twice."""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class OffsetMap:
    """Converts between model offsets and Qt positions for one text."""

    __slots__ = ("_astral_cp", "_astral_qt", "length")

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Code-point index of every astral character, and where it starts in UTF-16 units.
        self._astral_cp = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        self._astral_qt = [cp + n for n, cp in enumerate(self._astral_cp)]

    @property
    def qt_length(self) -> int:
        return self.length + len(self._astral_cp)

    def to_qt(self, offset: int) -> int:
        """The Qt position of model offset `offset` (0 <= offset <= len(text))."""
        if not self._astral_cp:
            return offset
        return offset + bisect_left(self._astral_cp, offset)

    def to_model(self, position: int) -> int:
        """The model offset of Qt position `position`; a position between the two halves of a
        surrogate pair counts as the start of that character."""
        if not self._astral_qt:
            return position
        inside = bisect_right(self._astral_qt, position - 1) - 1
        if inside >= 0 and self._astral_qt[inside] == position - 1:
            return position - 1 - inside
        return position - bisect_right(self._astral_qt, position - 2)
