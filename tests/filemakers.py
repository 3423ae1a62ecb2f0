"""Real files of every importable format, written by the libraries that produce them.

Each maker writes `paragraphs` (one per line of the expected text) to `path`.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

NON_ASCII = "Café, Straße, naïve Zoë — 中文 and 😀 survive."
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_docx(path: Path, paragraphs: Sequence[str], *, bold_labels: bool = True,
               table: Sequence[Sequence[str]] = ()) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        label, sep, rest = text.partition(": ")
        if bold_labels and sep and len(label) < 30:
            paragraph.add_run(label + ":").bold = True
            paragraph.add_run(" " + rest)
        else:
            paragraph.add_run(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def write_odt(path: Path, paragraphs: Sequence[str], *, heading: str | None = None) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P, S, Span, Tab

    document = OpenDocumentText()
    if heading is not None:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        paragraph = P()
        # Write double spaces and tabs as ODF's own elements, as office suites do.
        for index, chunk in enumerate(text.split("\t")):
            if index:
                paragraph.addElement(Tab())
            parts = chunk.split("  ")
            for j, part in enumerate(parts):
                if j:
                    paragraph.addText(" ")
                    paragraph.addElement(S(c=1))
                if part:
                    span = Span()
                    span.addText(part)
                    paragraph.addElement(span)
        document.text.addElement(paragraph)
    document.save(str(path))
    return path


def rtf_escape(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif code < 128:
            out.append(char)
        elif code < 256:
            out.append(f"\\'{code:02x}")
        else:
            data = char.encode("utf-16-le")  # RTF's \\uN is one signed UTF-16 unit
            for i in range(0, len(data), 2):
                value = int.from_bytes(data[i : i + 2], "little")
                out.append(f"\\u{value - 65536 if value >= 32768 else value}?")
    return "".join(out)


def write_rtf(path: Path, paragraphs: Sequence[str]) -> Path:
    body = "\\par\n".join(rtf_escape(p) for p in paragraphs)
    path.write_text("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\n\\f0\\fs22 " + body + "\\par\n}",
                    encoding="ascii")
    return path


def write_pdf(path: Path, paragraphs: Sequence[str]) -> Path:
    """A PDF made with fpdf2 and an embedded DejaVu font (wrapping long paragraphs)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=11)
    for text in paragraphs:
        pdf.multi_cell(0, 6, text)
        pdf.ln(3)
    pdf.output(str(path))
    return path


def write_pdf_text_layer(path: Path, lines: Sequence[str]) -> Path:
    """A hand-built PDF whose text layer maps single-byte codes to any Unicode text through a
    ToUnicode CMap (how PDFs carry Chinese or emoji text whatever font draws it)."""
    chars = sorted({c for line in lines for c in line if ord(c) > 126})
    if len(chars) > 90:
        raise ValueError("too many distinct characters for one single-byte font")
    codes = {c: 0x80 + i for i, c in enumerate(chars)}

    def encode(line: str) -> bytes:
        raw = bytes(codes.get(c, ord(c)) for c in line)
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = b"BT /F1 12 Tf 14 TL 72 740 Td\n" + b"".join(b"(" + encode(line) + b") Tj T*\n" for line in lines) + b"ET"
    entries = "".join(f"<{code:02X}> <{char.encode('utf-16-be').hex().upper()}>\n" for char, code in codes.items())
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            "1 beginbfrange <20> <7E> <0020> endbfrange\n"
            f"{len(codes)} beginbfchar\n{entries}endbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        _stream(content),
        _stream(cmap),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode() + packed + b"\nendstream"


def write_image_only_pdf(path: Path) -> Path:
    """A PDF page with a drawing and no text at all (what a scanner produces)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def write_vtt(path: Path, cues: Sequence[tuple[str, str, str]], *, voice_tags: bool = False) -> Path:
    """cues: (start, end, "Speaker: words" or words)."""
    lines = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(cues, 1):
        if voice_tags and ": " in text:
            speaker, words = text.split(": ", 1)
            text = f"<v {speaker}>{words}</v>"
        lines += [str(number), f"{start} --> {end}", text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_srt(path: Path, cues: Sequence[tuple[str, str, str]]) -> Path:
    lines = []
    for number, (start, end, text) in enumerate(cues, 1):
        lines += [str(number), f"{start.replace('.', ',')} --> {end.replace('.', ',')}", text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    book.save(str(path))
    return path


def write_paged_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF (fpdf2, the built-in Helvetica: Latin-1 text) with each inner list of paragraphs
    on its own page."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for paragraphs in pages:
        pdf.add_page()
        for text in paragraphs:
            pdf.multi_cell(0, 6, text)
            pdf.ln(3)
    pdf.output(str(path))
    return path
