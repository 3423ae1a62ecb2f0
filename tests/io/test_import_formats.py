"""Each importer on a real file written in the test yields exactly the expected text, turns
and timestamps, and non-ASCII text (accents, ß, Chinese, emoji) survives every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.io.base import TurnMark
from qualcode.io.documents import read_document
from tests.filemakers import (
    NON_ASCII,
    write_docx,
    write_odt,
    write_pdf,
    write_pdf_text_layer,
    write_rtf,
    write_srt,
    write_vtt,
)

DIALOGUE = [
    "Interviewer: How did you first hear about the service?",
    f"P3: My GP told me. {NON_ASCII}",
    "Interviewer: And then?",
    "P3: I went along to the walking group on a Tuesday.",
]
EXPECTED = "\n".join(DIALOGUE)


def spoken(text: str, turns: tuple[TurnMark, ...]) -> list[tuple[str, str]]:
    return [(t.speaker, text[t.start : t.end]) for t in turns]


EXPECTED_TURNS = [(line.split(": ", 1)[0], line.split(": ", 1)[1]) for line in DIALOGUE]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_unicode_text_files_read_exactly_whatever_the_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(EXPECTED.replace("\n", "\r\n").encode(encoding))
    read = read_document(path)
    assert read.text == EXPECTED
    assert spoken(read.text, read.turns) == EXPECTED_TURNS
    assert read.encoding in (encoding.removesuffix("-sig"), "utf-8")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_legacy_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = "Interviewer: Où était-ce ?\nP1: À la café près de la Straße, avec Zoë. Ça m'a aidé, déjà.\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    read = read_document(path)
    assert read.text == text.strip()
    assert read.encoding == "cp1252"


def test_windows_quotes_and_dashes_are_read_as_cp1252(tmp_path: Path) -> None:
    text = "R: It was “brilliant” – honestly… worth £5."
    (tmp_path / "q.txt").write_bytes(text.encode("cp1252"))
    assert read_document(tmp_path / "q.txt").text == text


def test_other_legacy_encodings_fall_to_the_detector(tmp_path: Path) -> None:
    text = "Я работаю в больнице уже пять лет, и мне очень нравится моя работа с пациентами."
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    read = read_document(tmp_path / "ru.txt")
    assert read.text == text


def test_a_named_encoding_overrides_detection(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes("Zażółć gęślą jaźń".encode("cp1250"))
    assert read_document(tmp_path / "x.txt", encoding="cp1250").text == "Zażółć gęślą jaźń"


def test_docx_paragraphs_runs_and_tables(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "t.docx", DIALOGUE, table=[["Interviewer", "Anything else?"], ["P3", "No, ta."]])
    read = read_document(path)
    assert read.text == EXPECTED + "\nInterviewer\tAnything else?\nP3\tNo, ta."
    assert spoken(read.text, read.turns) == [*EXPECTED_TURNS, ("Interviewer", "Anything else?"), ("P3", "No, ta.")]
    assert read.format == "docx"


def test_docx_keeps_empty_paragraphs_between_text(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "gaps.docx", ["Title", "", "First paragraph.", "", "", "Second."])
    assert read_document(path).text == "Title\n\nFirst paragraph.\n\n\nSecond."


def test_odt_paragraphs_heading_spaces_and_tabs(tmp_path: Path) -> None:
    lines = ["Note:  two spaces\tand a tab", *DIALOGUE]
    path = write_odt(tmp_path / "t.odt", lines, heading="Interview 3 — Zoë")
    read = read_document(path)
    assert read.text == "Interview 3 — Zoë\n" + "\n".join(lines)
    assert spoken(read.text, read.turns) == EXPECTED_TURNS


def test_rtf_with_code_page_and_unicode_escapes(tmp_path: Path) -> None:
    read = read_document(write_rtf(tmp_path / "t.rtf", DIALOGUE))
    assert read.text == EXPECTED
    assert spoken(read.text, read.turns) == EXPECTED_TURNS


def test_pdf_lines_are_reflowed_into_paragraphs(tmp_path: Path) -> None:
    long_question = ("Interviewer: Could you tell me about the walking group, how you first went along, who was "
                     "there, and whether it helped you get out of the house after the winter?")
    paragraphs = [long_question, "P3: Yes. It helped a lot, café and all.", "Interviewer: Why?",
                  "P3: Because Straße — no, the people. They were kind to me every single week, even when I was "
                  "quiet and did not want to talk to anyone at all."]
    read = read_document(write_pdf(tmp_path / "t.pdf", paragraphs))
    assert read.text == "\n".join(paragraphs)
    assert [s for s, _ in spoken(read.text, read.turns)] == ["Interviewer", "P3", "Interviewer", "P3"]


def test_pdf_text_layer_with_chinese_and_emoji(tmp_path: Path) -> None:
    read = read_document(write_pdf_text_layer(tmp_path / "cjk.pdf", DIALOGUE))
    assert read.text == EXPECTED
    assert spoken(read.text, read.turns) == EXPECTED_TURNS


def test_markdown_becomes_readable_text(tmp_path: Path) -> None:
    source = ("# Interview with P3\n\n*Recorded* at the **hub**.\n\n- first point\n- second [link](http://x.org)\n\n"
              + "\n\n".join(DIALOGUE) + "\n")
    (tmp_path / "t.md").write_text(source, encoding="utf-8")
    read = read_document(tmp_path / "t.md")
    assert read.text == "Interview with P3\nRecorded at the hub.\n• first point\n• second link\n" + EXPECTED
    assert spoken(read.text, read.turns) == EXPECTED_TURNS


def test_html_becomes_readable_text(tmp_path: Path) -> None:
    body = "".join(f"<p>{line.replace('&', '&amp;')}</p>\n" for line in DIALOGUE)
    source = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>T</title><style>p {{}}</style></head>"
              f"<body><h1>Interview   3</h1><p>line<br>break</p>{body}<script>var x = 1;</script></body></html>")
    (tmp_path / "t.html").write_text(source, encoding="utf-8")
    read = read_document(tmp_path / "t.html")
    assert read.text == "Interview 3\nline\nbreak\n" + EXPECTED
    assert spoken(read.text, read.turns) == EXPECTED_TURNS


CUES = [
    ("00:00:01.000", "00:00:03.500", "Interviewer: How did you first hear"),
    ("00:00:03.500", "00:00:05.000", "Interviewer: about the service?"),
    ("00:01:02.250", "00:01:06.000", f"P3: My GP told me. {NON_ASCII}"),
    ("01:00:00.000", "01:00:02.000", "Interviewer: Thanks &amp; goodbye."),
]


@pytest.mark.parametrize("voice_tags", [False, True])
def test_vtt_joins_cues_per_speaker_and_keeps_start_times(tmp_path: Path, voice_tags: bool) -> None:
    read = read_document(write_vtt(tmp_path / "t.vtt", CUES, voice_tags=voice_tags))
    assert read.text == ("Interviewer: How did you first hear about the service?\n"
                         f"P3: My GP told me. {NON_ASCII}\nInterviewer: Thanks & goodbye.")
    assert spoken(read.text, read.turns) == [("Interviewer", "How did you first hear about the service?"),
                                             ("P3", f"My GP told me. {NON_ASCII}"),
                                             ("Interviewer", "Thanks & goodbye.")]
    assert [t.timestamp for t in read.turns] == [1.0, 62.25, 3600.0]


def test_srt_reads_like_vtt(tmp_path: Path) -> None:
    read = read_document(write_srt(tmp_path / "t.srt", CUES))
    assert [t.timestamp for t in read.turns] == [1.0, 62.25, 3600.0]
    assert read.text.split("\n")[1] == f"P3: My GP told me. {NON_ASCII}"


def test_cues_without_speakers_become_paragraphs_at_pauses(tmp_path: Path) -> None:
    cues = [("00:00:01.000", "00:00:02.000", "Hello there,"), ("00:00:02.100", "00:00:03.000", "how are you?"),
            ("00:00:09.000", "00:00:10.000", "Fine, thanks.")]
    read = read_document(write_vtt(tmp_path / "n.vtt", cues))
    assert read.text == "Hello there, how are you?\nFine, thanks."
    assert [(t.speaker, t.timestamp) for t in read.turns] == [("", 1.0), ("", 9.0)]


def test_decomposed_accents_are_composed(tmp_path: Path) -> None:
    (tmp_path / "nfd.txt").write_text("Cafe\u0301 and Zoe\u0308", encoding="utf-8")
    assert read_document(tmp_path / "nfd.txt").text == "Café and Zoë"


def test_speaker_detection_can_be_switched_off(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(EXPECTED, encoding="utf-8")
    assert read_document(tmp_path / "t.txt", detect_speakers=False).turns == ()
