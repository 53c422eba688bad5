"""Readers that reduce HTML and PDF to text, deterministically.

>>> html_text("<html><body><h1>Title</h1><p>One &amp; two</p><script>x()</script></body></html>", "x.html")
'Title\\n\\nOne & two'
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from .errors import InputError

BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "h1", "h2",
              "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "blockquote", "pre", "br",
              "hr", "figure", "figcaption", "form", "address", "dd", "dt", "dl", "title"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}
MAX_DEPTH = 2000


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.depth = 0
        self.too_deep = False

    def handle_starttag(self, tag, attrs):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.too_deep = True
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag not in {"br", "li", "tr"} else "\n")

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag not in {"li", "tr"} else "\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str, where: str) -> str:
    """The visible text of an HTML page, blocks separated by blank lines."""
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError) as err:  # html.parser gives up on some broken markup
        raise InputError(f"{where}: HTML that cannot be read: {err}") from None
    if parser.too_deep:
        raise InputError(f"{where}: HTML nested more than {MAX_DEPTH} levels deep",
                         hint="this page is malformed; save it again from the browser")
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def pdf_text(data: bytes, where: str) -> str:
    """The text layer of a PDF, pages separated by blank lines."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(f"{where}: PDF is encrypted", hint="save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as err:
        raise InputError(f"{where}: PDF that cannot be read ({type(err).__name__})",
                         hint="check the file is complete") from None
    text = "\n\n".join(p.strip("\n") for p in pages).strip()
    if not text.strip():
        raise InputError(f"{where}: PDF has no text layer (scanned images only)",
                         hint="run OCR on it first and add the text")
    return text
