"""Stage 1, sources: any folder of documents in, decoded text out, formats told by content.

Documents are written into a temporary folder by each test; PDFs come from the tiny writer
used for the evaluation corpus (tests/eval/make_pdfs.py).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import InputError
from kg.readers import html_text, pdf_text
from kg.sources import read_document, read_folder, sniff_media_type

sys.path.insert(0, str(Path(__file__).resolve().parent / "eval"))
from make_pdfs import pdf_bytes  # noqa: E402

LETTER = ("Open Letter to the Council on Detentions in the North\n\n3 May 2022\n\nDear Members of the Council,\n\n"
          "We write about the detention of hundreds of people in the north, where families have had no news of "
          "their relatives for months.\n\nWe urge the Council to:\n\n1. Demand access for independent monitors.\n"
          "2. Publish the names of those detained.\n\nYours sincerely,\n\nNorthern Rights Watch\nJane Q. Doe, "
          "Professor of Law, Example University\n")
PAGE = ("<!DOCTYPE html><html><head><title>Site title</title><script>var x = 1;</script></head><body>"
        "<a href='#main'>Skip to main content</a><nav><ul><li><a>Home</a></li><li><a>About us</a></li></ul></nav>"
        "<div class='cookie-banner'><p>We use cookies to improve your experience.</p><button>Accept all</button></div>"
        "<h1>Statement on Detentions in the North</h1><p><time>May 3, 2022</time></p>"
        "<p>We call on the authorities to release every person held without charge in the northern camps.</p>"
        "<p>Signed:</p><ol><li>Northern Rights Watch</li><li>Legal Aid Collective</li></ol>"
        "<footer>&copy; 2022 Northern Rights Watch</footer></body></html>")


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def read(path: Path):
    return read_document(path, root=path.parent, max_bytes=10_000_000)


def test_every_format_reads_from_a_folder_without_metadata(tmp_path):
    write(tmp_path, "a.txt", LETTER)
    write(tmp_path, "b.md", "# Statement\n\nWe remember.\n")
    write(tmp_path, "c.html", PAGE)
    write(tmp_path, "d.pdf", pdf_bytes("# A Letter in a PDF File\n\nDear Minister,\n\nWe write.\n"))
    docs = read_folder(tmp_path)
    assert [d.media_type for d in docs] == ["text/plain", "text/markdown", "text/html", "application/pdf"]
    assert all(d.metadata.url is None and d.metadata.date is None for d in docs)
    assert docs[0].text == LETTER
    assert docs[0].sha256 == hashlib.sha256(LETTER.encode()).hexdigest()


@pytest.mark.parametrize("name, data, media_type", [
    ("saved-page", PAGE, "text/html"),  # no extension
    ("page.txt", "\ufeff" + PAGE, "text/html"),  # a web page saved as .txt, with a byte-order mark
    ("page.xhtml", "<?xml version='1.0'?>\n<html><body><p>x</p></body></html>", "text/html"),
    ("letter.txt", pdf_bytes("Dear Minister,\n"), "application/pdf"),  # a PDF with the wrong name
    ("statement", "# Heading\n\nText.\n", "text/markdown"),
])
def test_format_is_detected_by_content(tmp_path, name, data, media_type):
    path = write(tmp_path, name, data)
    assert sniff_media_type(path, path.read_bytes()) == media_type
    assert read(path).text.strip()


@pytest.mark.parametrize("name, data, says", [
    ("fake.pdf", b"just text", "not a PDF"),
    ("letter.rtf", b"{\\rtf1\\ansi Hello}", "RTF"),
    ("letter.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Microsoft Office"),
    ("letter.docx", b"PK\x03\x04" + b"\x00" * 100, "ZIP"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG"),
    ("broken.txt", "Caf\u00e9 ".encode("utf-8") * 3 + b"\x81\x8d\x8f\x90" * 20, "not UTF-8"),
    ("empty.txt", b"   \n", "has no text"),
])
def test_bad_documents_are_refused_with_one_line_naming_the_file(tmp_path, name, data, says):
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert name in message and says in message and "\n" not in message


def test_windows_1252_text_is_decoded_with_a_warning(tmp_path):
    path = write(tmp_path, "cp.txt", "The Chambers’ archive – café\r\nline two\r\n".encode("cp1252"))
    doc = read(path)
    assert doc.text == "The Chambers’ archive – café\nline two\n"
    assert doc.warnings == ("cp.txt: not UTF-8; read as Windows-1252",)


def test_html_declared_charset_is_used(tmp_path):
    page = "<html><head><meta charset='koi8-r'></head><body><p>Заявление</p></body></html>"
    doc = read(write(tmp_path, "ru.html", page.encode("koi8_r")))
    assert doc.text == "Заявление"


def test_utf16_without_byte_order_mark_is_read(tmp_path):
    doc = read(write(tmp_path, "u16.txt", "Open letter on Darfur\n".encode("utf-16-le")))
    assert doc.text == "Open letter on Darfur\n"
    assert "UTF-16-LE" in doc.warnings[0]


def test_html_becomes_light_markdown_with_menus_on_lines_of_their_own():
    text = html_text(PAGE, "p.html")
    assert "Site title" not in text and "var x" not in text  # head and scripts are not shown
    assert "# Statement on Detentions in the North" in text.split("\n")
    assert "- Home" in text.split("\n") and "- About us" in text.split("\n")
    assert "1. Northern Rights Watch\n2. Legal Aid Collective" in text


def test_pdf_keeps_paragraph_gaps_and_pages():
    text = pdf_text(pdf_bytes("# Title Line\n\nFirst paragraph\nwraps here.\n\nSecond.\n\fPage two.\n"), "x.pdf")
    assert text == "Title Line\n\nFirst paragraph\nwraps here.\n\nSecond.\n\nPage two."


def test_pdf_that_is_broken_is_refused():
    with pytest.raises(InputError, match="x.pdf: PDF that cannot be read"):
        pdf_text(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "x.pdf")


def test_pdf_letters_outside_windows_1252_survive():
    text = pdf_text(pdf_bytes("Hajra Selimović and Emir Hodžić\n"), "x.pdf")
    assert text == "Hajra Selimović and Emir Hodžić"


@pytest.mark.parametrize("name", ["a.txt", "b.html", "c.pdf", "d.md"])
def test_kg_extract_prints_json_for_every_format(tmp_path, name):
    data = {"a.txt": LETTER, "b.html": PAGE, "d.md": "# Statement on Things\n\nWe urge the Council to act.\n",
            "c.pdf": pdf_bytes(LETTER)}[name]
    path = write(tmp_path, name, data)
    result = CliRunner().invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["document"]["path"] == name and found["calls"]


def test_kg_extract_refuses_a_bad_file_with_exit_3(tmp_path):
    path = write(tmp_path, "x.pdf", b"not a pdf")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 3
    assert "x.pdf" in result.output


def test_kg_build_reads_any_folder_of_mixed_documents(tmp_path, project):
    docs = tmp_path / "mine"
    docs.mkdir()
    write(docs, "letter.txt", LETTER)
    write(docs, "page.html", PAGE)
    write(docs, "copy.pdf", pdf_bytes(LETTER))
    result = CliRunner().invoke(app, ["build", str(docs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Built 3 documents" in result.output and "the graph conforms" in result.output
