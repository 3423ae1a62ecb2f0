"""Bad files give one clear error that names the file and the problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualcode.io.base import UnreadableFileError
from qualcode.io.casesheet import read_sheet
from qualcode.io.documents import read_document
from tests.filemakers import write_docx, write_image_only_pdf, write_pdf, write_rtf, write_vtt


def error_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(UnreadableFileError) as caught:
        read_document(path, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith(f"'{path.name}': ")
    assert "\n" not in message
    return message


@pytest.mark.parametrize("name", ["empty.txt", "empty.docx", "empty.pdf", "empty.vtt", "empty.odt", "empty.md"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    assert "the file is empty" in error_of(tmp_path / name)


def test_whitespace_only_text(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text(" \n\t\n  \n", encoding="utf-8")
    assert "contains no text" in error_of(tmp_path / "blank.txt")


def test_binary_garbage_renamed_docx(tmp_path: Path) -> None:
    (tmp_path / "garbage.docx").write_bytes(os.urandom(4096))
    assert "is not a .docx file" in error_of(tmp_path / "garbage.docx")


def test_binary_garbage_renamed_txt(tmp_path: Path) -> None:
    (tmp_path / "garbage.txt").write_bytes(bytes(range(256)) * 16)
    assert "does not look like text" in error_of(tmp_path / "garbage.txt")


def test_truncated_docx(tmp_path: Path) -> None:
    whole = write_docx(tmp_path / "whole.docx", ["I: hello", "R: hi"] * 50).read_bytes()
    (tmp_path / "cut.docx").write_bytes(whole[: len(whole) // 2])
    assert "damaged or incomplete" in error_of(tmp_path / "cut.docx")


def test_a_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "fake.docx", "w") as package:
        package.writestr("hello.txt", "not a document")
    assert "is not a readable Word document" in error_of(tmp_path / "fake.docx")


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = write_pdf(tmp_path / "whole.pdf", ["I: hello there", "R: hi"]).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(whole[: len(whole) * 2 // 3])
    assert "the PDF is incomplete" in error_of(tmp_path / "cut.pdf")


def test_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    message = error_of(write_image_only_pdf(tmp_path / "scan.pdf"))
    assert "no text layer" in message and "OCR it first" in message


def test_password_protected_pdf(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Confidential")
    pdf.output(str(tmp_path / "locked.pdf"))
    assert "password-protected" in error_of(tmp_path / "locked.pdf")


def test_wrong_encoding_named_by_the_user(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("I: Où était-ce ?".encode("cp1252"))
    message = error_of(tmp_path / "latin.txt", encoding="utf-8")
    assert "is not valid utf-8 text (byte 0xF9 at position 4)" in message


def test_unknown_encoding_name(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("hello", encoding="utf-8")
    assert "'klingon' is not a character encoding" in error_of(tmp_path / "t.txt", encoding="klingon")


def test_text_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = b"R: and then we talked about the allotment and the walking group again.\n"
    with path.open("wb") as handle:
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    message = error_of(path)
    assert "the file is 50.0 MB" in message and "up to 20 MB" in message


def test_word_file_renamed_txt(tmp_path: Path) -> None:
    data = write_docx(tmp_path / "real.docx", ["I: hello"]).read_bytes()
    (tmp_path / "renamed.txt").write_bytes(data)
    assert "this is a zip package" in error_of(tmp_path / "renamed.txt")


def test_unsupported_and_old_formats(tmp_path: Path) -> None:
    (tmp_path / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "save it as .docx" in error_of(tmp_path / "notes.doc")
    (tmp_path / "audio.mp3").write_bytes(b"ID3")
    assert "cannot import '.mp3' files" in error_of(tmp_path / "audio.mp3")


def test_truncated_vtt(tmp_path: Path) -> None:
    path = write_vtt(tmp_path / "t.vtt", [("00:00:01.000", "00:00:02.000", "I: hello")])
    path.write_text(path.read_text(encoding="utf-8") + "\n00:00:03.000 --> 00:00:0\nR: cut", encoding="utf-8")
    assert "is not a valid WebVTT (.vtt) file" in error_of(path)


def test_vtt_that_is_plain_text(tmp_path: Path) -> None:
    (tmp_path / "t.vtt").write_text("I: hello\nR: hi\n", encoding="utf-8")
    assert "is not a valid WebVTT (.vtt) file" in error_of(tmp_path / "t.vtt")


def test_truncated_rtf(tmp_path: Path) -> None:
    data = write_rtf(tmp_path / "t.rtf", ["I: hello", "R: hi there"]).read_bytes()
    (tmp_path / "cut.rtf").write_bytes(data[:-3])
    assert "incomplete or damaged" in error_of(tmp_path / "cut.rtf")


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in error_of(tmp_path / "gone.txt")


def test_csv_with_mismatched_columns(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,site,age\nP1,North,34\nP2,South,41,extra\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError) as caught:
        read_sheet(path)
    assert str(caught.value) == ("'people.csv': row 3 has 4 cells but the header has 3 columns; "
                                 "fix the row (a missing or extra delimiter?).")


def test_csv_short_row_and_duplicate_header(tmp_path: Path) -> None:
    (tmp_path / "short.csv").write_text("id;site;age\nP1;North\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="row 2 has 2 cells but the header has 3"):
        read_sheet(tmp_path / "short.csv")
    (tmp_path / "dup.csv").write_text("id,Age,age\nP1,3,4\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="names the column 'age' twice"):
        read_sheet(tmp_path / "dup.csv")


def test_garbage_renamed_xlsx(tmp_path: Path) -> None:
    (tmp_path / "sheet.xlsx").write_bytes(os.urandom(2048))
    with pytest.raises(UnreadableFileError, match="'sheet.xlsx': is not a readable Excel workbook"):
        read_sheet(tmp_path / "sheet.xlsx")
