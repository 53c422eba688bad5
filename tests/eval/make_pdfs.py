"""Write the evaluation PDFs from their page layouts in ``pdf-src/``, deterministically.

Each corpus folder (``tests/eval``, ``tests/eval/holdout``) keeps its layouts in ``pdf-src/``
and its documents in ``docs/``.  A layout is plain text: one line per printed line, a blank line for a paragraph gap, a form
feed between pages, ``# `` before a heading line (set larger, in bold), and a tab between the
cells of a line set in two columns (the second column 260 points to the right).  The writer is
deliberately tiny (standard Type 1 fonts, one content stream per page, no compression) so
that the PDFs can be rebuilt byte for byte and checked against the copies in ``docs/``:

    python tests/eval/make_pdfs.py          # rewrite tests/eval/docs/*.pdf
    python tests/eval/make_pdfs.py --check  # exit 1 if a PDF is out of date
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPARE_CODES = [0x81, 0x8D, 0x8F, 0x90, 0x9D]  # unused in Windows-1252: for other letters


def _encoding(text: str) -> dict[str, int]:
    """Windows-1252 codes, plus spare codes named in a /Differences array for other letters."""
    table, spare = {}, iter(SPARE_CODES)
    for ch in sorted(set(text)):
        try:
            table[ch] = ch.encode("cp1252")[0]
        except UnicodeEncodeError:
            table[ch] = next(spare)
    return table


def _differences(table: dict[str, int]) -> str:
    extra = [(code, ch) for ch, code in table.items() if code in SPARE_CODES]
    return " ".join(f"{code} /uni{ord(ch):04X}" for code, ch in sorted(extra))


def _string(line: str, table: dict[str, int]) -> str:
    raw = bytes(table[ch] for ch in line)
    out = []
    for b in raw:
        c = chr(b)
        out.append("\\" + c if c in "()\\" else c if 32 <= b < 127 else f"\\{b:03o}")
    return "(" + "".join(out) + ")"


def _page_stream(lines: list[str], table: dict[str, int]) -> bytes:
    y, ops = 770, []
    for line in lines:
        if not line.strip():
            y -= 8
            continue
        heading = line.startswith("# ")
        text = line[2:] if heading else line
        font, size = ("/F2", 14) if heading else ("/F1", 10)
        for column, cell in enumerate(text.split("\t")):  # a tab: the next column, 260 points to the right
            if cell.strip():
                ops.append(f"BT {font} {size} Tf 1 0 0 1 {60 + 260 * column} {y} Tm {_string(cell, table)} Tj ET")
        y -= size + 4
    return "\n".join(ops).encode("latin-1")


def pdf_bytes(layout: str) -> bytes:
    text = unicodedata.normalize("NFC", layout)
    table = _encoding(text.replace("\f", "").replace("\n", "").replace("\t", ""))
    pages = [p.strip("\n").split("\n") for p in text.split("\f")]
    enc = f"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [{_differences(table)}] >>"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 5 0 R >>",
               f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding 5 0 R >>", enc]
    kids = []
    for lines in pages:
        stream = _page_stream(lines, table)
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode("latin-1") + stream + b"\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {len(objects)} 0 R "
                       "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    return _serialise(objects)


def _serialise(objects: list) -> bytes:
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        body = body if isinstance(body, bytes) else body.encode("latin-1")
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def main(argv: list[str]) -> int:
    stale = []
    for src in sorted(HERE.glob("**/pdf-src/*.txt")):
        target = src.parent.parent / "docs" / (src.stem + ".pdf")
        data = pdf_bytes(src.read_text(encoding="utf-8"))
        if "--check" in argv:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target.name)
        else:
            target.write_bytes(data)
    for name in stale:
        print(f"out of date: {name} (run python tests/eval/make_pdfs.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
