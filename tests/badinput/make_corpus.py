"""The big and binary files of the bad-input corpus, made at test time (never stored as blobs).

Every function returns bytes (or writes into a folder) deterministically: the same call gives
the same bytes on every machine.  ``tests/badinput/cases.py`` uses them; to look at the files::

    python tests/badinput/make_corpus.py /tmp/badinput-corpus

writes one file per generator into that folder (the big ones included: about 80 MB).
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
MB = 1_000_000


def letter(title: str = "Open Letter to the Council on Example Matters", signer: str = "Example Watch",
           extra: str = "") -> str:
    """A small letter that the pipeline reads, extracts and validates."""
    return (f"{title}\n\n3 May 2022\n\nDear members of the Council,\n\n"
            "We write to express our grave concern about the arbitrary detention of civilians.\n"
            f"{extra}\n"
            "We urge the Council to:\n\n1. Act now.\n2. Report back within a month.\n\n"
            f"Yours sincerely,\n{signer}\nJane Q. Doe, Professor of Law, Example University\n")


def sentences(n_bytes: int, seed: int = 1) -> str:
    """Running text of about ``n_bytes`` characters, on one line, in varied sentences."""
    rng = random.Random(seed)
    words = ("the council must act on reports of detention and forced labour in the region while "
             "witnesses describe camps villages and the destruction of homes across three provinces").split()
    out, size = [], 0
    while size < n_bytes:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randrange(8, 25))).capitalize() + "."
        out.append(sentence)
        size += len(sentence) + 1
    return " ".join(out)[:n_bytes]


def words(n_bytes: int, seed: int = 1) -> str:
    """A run of ``n_bytes`` characters of words, no sentence ends: a line that never stops."""
    rng = random.Random(seed)
    pool = "council detention region witnesses camps villages homes provinces".split()
    return " ".join(rng.choice(pool) for _ in range(n_bytes // 7 + 1))[:n_bytes]


def long_line_letter(n_bytes: int = 10 * MB) -> bytes:
    """A letter whose body is a single line of ``n_bytes`` bytes."""
    return letter(extra=sentences(n_bytes) + "\n").encode("utf-8")


def big_text(n_bytes: int) -> bytes:
    """A plain-text file of ``n_bytes`` bytes in lines of about 80 characters."""
    line = (sentences(79, seed=2) + "\n").encode("ascii")
    reps = n_bytes // len(line) + 1
    return (line * reps)[:n_bytes]


def random_bytes(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def zip_bytes(inner_name: str = "letter.txt", inner: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(inner_name, date_time=(2022, 5, 3, 0, 0, 0))
        archive.writestr(info, inner if inner is not None else letter())
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The outside of a Word document: a ZIP with the parts Word writes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in (("[Content_Types].xml", "<Types/>"),
                           ("word/document.xml", f"<w:document><w:body>{letter()}</w:body></w:document>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2022, 5, 3, 0, 0, 0)), body)
    return buffer.getvalue()


def gzip_bytes() -> bytes:
    return gzip.compress(letter().encode("utf-8"), mtime=0)


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG image (grey)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    """The start of a JPEG file (SOI, APP0/JFIF) and filler: enough to be recognised."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + random_bytes(3000, seed=3) + b"\xff\xd9"


def ole_bytes() -> bytes:
    """The header of an old Word .doc (OLE2 compound file) and filler."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + random_bytes(4000, seed=4)


def rtf_bytes() -> bytes:
    return ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0\\fs24 " + letter().replace("\n", "\\par\n")
            + "}").encode("ascii")


def _pdf_module():
    spec = importlib.util.spec_from_file_location("make_pdfs", HERE.parent / "eval" / "make_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pdf_bytes(text: str | None = None) -> bytes:
    """A text PDF (one page per form feed), written by the evaluation corpus's PDF writer."""
    layout = text if text is not None else "# Open Letter to the Council on PDF Matters\n\n" + letter().split("\n", 1)[1]
    return _pdf_module().pdf_bytes(layout)


def pdf_truncated() -> bytes:
    data = pdf_bytes()
    return data[: len(data) // 3]


def pdf_encrypted(user_password: str) -> bytes:
    """The text PDF encrypted (RC4, which pypdf writes without extra packages)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_certificate_encrypted() -> bytes:
    """A PDF encrypted for certificate holders (/Adobe.PubSec), not with a password."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>",
               "<< /Filter /Adobe.PubSec /V 4 /SubFilter /adbe.pkcs7.s5 >>"]
    return _pdf_module()._serialise(objects).replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt 3 0 R /ID [<01> <01>] >>")


def pdf_image_only() -> bytes:
    """A scanned page: one image drawn on the page, no text layer."""
    pixels = zlib.compress(bytes(range(256)) * 64)
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /XObject << /Im1 5 0 R >> >> >>",
        None, None]
    draw = b"q 400 0 0 600 100 100 cm /Im1 Do Q"
    objects[3] = f"<< /Length {len(draw)} >>\nstream\n".encode() + draw + b"\nendstream"
    objects[4] = (f"<< /Type /XObject /Subtype /Image /Width 128 /Height 128 /ColorSpace /DeviceGray "
                  f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(pixels)} >>\nstream\n").encode() + pixels + b"\nendstream"
    return _pdf_module()._serialise(objects)


def pdf_garbage() -> bytes:
    return b"%PDF-1.7\n" + random_bytes(5000, seed=5)


def pdf_deep(depth: int = 100_000) -> bytes:
    """A PDF whose catalog holds an array nested ``depth`` levels deep."""
    nested = "[" * depth + "]" * depth
    return _pdf_module()._serialise(["<< /Type /Catalog /Pages 2 0 R /Junk " + nested + " >>",
                                     "<< /Type /Pages /Kids [] /Count 0 >>"])


def nested_html(depth: int = 100_000) -> bytes:
    return ("<!doctype html><html><body>" + "<div>" * depth + "Deep text." + "</div>" * depth
            + "</body></html>").encode("ascii")


def html_many_void_tags(n: int = 2500) -> bytes:
    """A long, flat page: thousands of <br> and <img> tags (void elements, never closed)."""
    rows = "".join(f"Line {i} of the appeal.<br><img src='x{i}.png'>\n" for i in range(n))
    return ("<!doctype html><html><head><title>Appeal</title></head><body>"
            "<h1>Open Letter to the Council on Many Lines</h1><p>3 May 2022</p><p>" + rows
            + "</p></body></html>").encode("ascii")


def malformed_html() -> bytes:
    return ("<html><body><h1>Open Letter to the Council on Broken Markup</h2><p>3 May 2022"
            "<div><p>We urge the Council to act.<b><i>now</b></i></div></span></span>"
            "<p unclosed='<p>' <<>> &bogus; &#xZZ; &#99999999; <![CDATA[ x ]]> <!-- open comment"
            ).encode("utf-8")


def tiny_files(folder: Path, n: int, content: bytes = b"x") -> None:
    """``n`` one-line documents named ``tiny-00000.txt`` ..."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"tiny-{i:05d}.txt").write_bytes(content)


def deep_toml(depth: int = 100_000) -> str:
    return "notes = " + "[" * depth + "]" * depth + "\n"


def deep_sparql(depth: int = 20_000) -> str:
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth


GENERATED = {
    "long-line-10mb.txt": long_line_letter,
    "big-60mb.txt": lambda: big_text(60 * MB),
    "random.bin.txt": lambda: random_bytes(10_000),
    "archive.zip.txt": zip_bytes,
    "letter.docx": docx_bytes,
    "letter.gz.txt": gzip_bytes,
    "image.png.md": png_bytes,
    "photo.jpg.html": jpeg_bytes,
    "old-word.doc": ole_bytes,
    "letter.rtf": rtf_bytes,
    "text.pdf": pdf_bytes,
    "truncated.pdf": pdf_truncated,
    "encrypted.pdf": lambda: pdf_encrypted("user-secret"),
    "owner-only.pdf": lambda: pdf_encrypted(""),
    "scanned.pdf": pdf_image_only,
    "certificate.pdf": pdf_certificate_encrypted,
    "garbage.pdf": pdf_garbage,
    "deep.pdf": pdf_deep,
    "deep.html": nested_html,
    "many-br.html": html_many_void_tags,
    "malformed.html": malformed_html,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for name, make in GENERATED.items():
        (out / name).write_bytes(make())
    print(f"wrote {len(GENERATED)} files to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
