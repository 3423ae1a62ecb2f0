"""Markdown (.md) and HTML (.html, .htm) as readable plain text.

Markdown is rendered with markdown-it, then both are read with BeautifulSoup: each block
element (paragraph, heading, list item, table row) becomes one line, as a Word paragraph
does, and <br> a line end;
runs of white space inside a paragraph become one space, scripts and styles are dropped,
list items start with a bullet, table cells are separated by tabs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qualcode.io.base import collapse_blank_lines, file_error
from qualcode.io.text import decode, read_bytes, refuse_other_formats

_BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul",
    "body", "html", "caption",
}
_SKIP = {"script", "style", "head", "template", "noscript", "svg", "math", "iframe", "object"}
_SPACE = re.compile(r"[ \t\r\n\f]+")
_SOFT = "\x00"
_SOFT_RUN = re.compile(r"[ ]*\x00(?:[ \x00]*\x00)?[ ]*")


def read_markdown(path: Path, *, encoding: str | None = None) -> tuple[str, str]:
    data = read_bytes(path)
    if not encoding:
        refuse_other_formats(path, data, "Markdown")
    source, used = decode(path, data, encoding)
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(source)
    return html_to_text(html), used


def read_html(path: Path, *, encoding: str | None = None) -> tuple[str, str]:
    data = read_bytes(path)
    if not encoding:
        refuse_other_formats(path, data, "HTML")
    source, used = decode(path, data, encoding or _declared_charset(data))
    if "<" not in source:
        raise file_error(path, "does not look like HTML (it has no tags); import it as a .txt file.")
    return html_to_text(source), used


def _declared_charset(data: bytes) -> str | None:
    match = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    return match.group(1).decode("ascii") if match else None


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    out: list[str] = []
    _walk(soup, out, preformatted=False)
    # Block edges are soft breaks: any number of them between two blocks make one line end.
    text = _SOFT_RUN.sub("\n", "".join(out))
    lines = [line.strip(" ") for line in text.split("\n")]
    return collapse_blank_lines("\n".join(lines)).strip()


def _walk(node: Any, out: list[str], *, preformatted: bool) -> None:
    """Append the text under `node`; iterative, so markup nested any depth cannot overflow
    the stack. The stack holds pending children and the text to emit after a block."""
    from bs4.element import CData, NavigableString, PreformattedString, Tag

    stack: list[tuple[Any, bool] | str] = [(child, preformatted) for child in reversed(list(node.children))]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        child, pre = item
        if isinstance(child, PreformattedString) and not isinstance(child, CData):
            continue  # comments, doctype, processing instructions
        if isinstance(child, NavigableString):
            text = str(child)
            out.append(text if pre else _SPACE.sub(" ", text))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _SKIP:
            continue
        if name == "br":
            out.append("\n")
            continue
        inner = pre
        if name in ("td", "th"):
            if child.find_previous_sibling(("td", "th")) is not None:
                out.append("\t")
        else:
            inner = pre or name == "pre"
            if name in _BLOCKS:
                out.append(_SOFT)
                stack.append(_SOFT)
            if name == "li":
                out.append("• ")
        stack.extend((grandchild, inner) for grandchild in reversed(list(child.children)))
