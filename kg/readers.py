"""Readers that reduce HTML and PDF to text, deterministically.

HTML becomes light Markdown, so that the text-based extractors see the page's structure:
headings as ``#`` lines, list items as ``- `` or ``1. `` lines, table cells separated by
`` | ``.  Links in navigation, header, footer and sidebar containers stand on lines of their
own (a menu reads as a column of short lines, not as one title-like line).  Nothing is
dropped except what a browser does not show (``head``, scripts, styles, templates).

>>> html_text("<html><body><h1>Title</h1><p>One &amp; two</p><script>x()</script></body></html>", "x.html")
'# Title\\n\\nOne & two'
>>> html_text("<ol><li>Act.</li><li>Report.</li></ol><nav><a>Home</a> <a>News</a></nav>", "x.html")
'1. Act.\\n2. Report.\\n\\nHome\\nNews'
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager
from html.parser import HTMLParser

from .errors import InputError

BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "h1", "h2",
              "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "blockquote", "pre", "br",
              "hr", "figure", "figcaption", "form", "address", "dd", "dt", "dl", "title", "button",
              "details", "summary", "dialog", "fieldset", "legend", "caption", "center"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "select", "textarea", "iframe"}
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "param", "track"}
LINE_TAGS = {"br", "li", "tr", "button", "dt", "dd"}
NAV_TAGS = {"nav", "header", "footer", "aside"}
NAV_CLASS = re.compile(r"nav|menu|topbar|breadcrumb|footer|sidebar|social|share|widget", re.I)
MAX_NESTING = 1000  # the default of the max_nesting setting (kg.toml)


class _TextParser(HTMLParser):
    def __init__(self, max_nesting: int = MAX_NESTING) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, is a navigation container)
        self.navs = 0  # navigation containers in the stack
        self.max_nesting = max_nesting
        self.lists: list[list] = []  # [ordered, next number]
        self.pre = 0
        self.too_deep = False
        self.figures: list[bool] = []  # open <figure>s: has each shown an image yet

    @property
    def in_nav(self) -> bool:
        return self.navs > 0

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_TAGS:
            names = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
            nav = tag in NAV_TAGS or bool(NAV_CLASS.search(names))
            self.stack.append((tag, nav))
            self.navs += nav
            if len(self.stack) > self.max_nesting:
                self.too_deep = True
        if tag in SKIP_TAGS:
            self.skip += 1
        elif not self.skip:
            self._open(tag, dict(attrs))

    def _open(self, tag: str, attrs: dict) -> None:
        if tag in ("ul", "ol"):
            start = attrs.get("start") or "1"
            self.lists.append([tag == "ol", int(start) if start.isdigit() else 1])
        if tag == "pre":
            self.pre += 1
        if tag == "li":
            self._newline()
            self.parts.append("  " * max(0, len(self.lists) - 1) + self._marker())
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag == "a" and self.in_nav:
            self._newline()
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img" and self.figures:  # an image in a figure (not a signature's, nor an icon in a line)
            self._image(attrs)
        elif tag == "figure":
            self.figures.append(False)
            self.parts.append("\n\n")
        elif tag == "figcaption":
            if self.figures and not self.figures[-1]:
                self._image({})  # a caption with no image before it: marked as one all the same
            self.parts.append("\n")
        elif tag in LINE_TAGS or (tag in ("ul", "ol") and len(self.lists) > 1):
            self._newline()
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def _image(self, attrs: dict) -> None:
        """An image as a Markdown image line of its own, so that the extractors see where
        a photo and its caption stand (furniture, not the document)."""
        alt = re.sub(r"[\[\]\s]+", " ", attrs.get("alt") or "").strip()[:200]
        src = attrs.get("src") or ""
        src = "" if src.startswith("data:") or re.search(r"[\s()]", src) else src[:300]
        self._newline()
        self.parts.append(f"![{alt}]({src})\n")
        if self.figures:
            self.figures[-1] = True

    def _newline(self) -> None:
        if not self._at_line_start():
            self.parts.append("\n")

    def _at_line_start(self) -> bool:
        tail = "".join(self.parts[-4:])
        return not tail or bool(re.search(r"\n[ \t]*(?:- |\d+\. )?$", tail))

    def _marker(self) -> str:
        if not self.lists:
            return "- "
        current = self.lists[-1]
        if current[0]:
            current[1] += 1
            return f"{current[1] - 1}. "
        return "- "

    def handle_endtag(self, tag):
        nav_link = tag == "a" and self.in_nav
        while self.stack:
            open_tag, nav = self.stack.pop()
            self.navs -= nav
            if open_tag == tag:
                break
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "figure" and self.figures:
            self.figures.pop()
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if nav_link or tag in LINE_TAGS or (tag in ("ul", "ol") and self.lists):
            self._newline()
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            self.parts.append(data)
        elif data.strip() or not self._at_line_start():
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str, where: str, *, max_nesting: int = MAX_NESTING) -> str:
    """The visible text of an HTML page as light Markdown, blocks separated by blank lines.
    Elements nested more than ``max_nesting`` deep are refused (a malformed or hostile page)."""
    parser = _TextParser(max_nesting)
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError) as err:  # html.parser gives up on some broken markup
        raise InputError(f"{where}: HTML that cannot be read: {err}",
                         hint="save the page again from the browser") from None
    if parser.too_deep:
        raise InputError(f"{where}: HTML nested more than {max_nesting} levels deep, over the limit max_nesting = {max_nesting}",
                         hint="raise max_nesting in kg.toml, or save the page again from the browser")
    return _tidy("".join(parser.parts))


def _tidy(text: str) -> str:
    """Blank lines at most one in a row; no empty list markers, headings or table bars."""
    out = []
    for raw in text.split("\n"):
        line = re.sub(r"^(\s*)\|\s*", r"\1", raw.rstrip()).rstrip(" |")
        if line.startswith(" ") and not re.match(r"\s+(?:-|\d+\.)\s", line):
            line = line.strip()
        if re.fullmatch(r"\s*(?:#+|-|\d+\.)\s*", line):
            line = ""
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def pdf_text(data: bytes, where: str) -> str:
    """The text layer of a PDF, pages separated by blank lines, paragraphs by blank lines
    where the page leaves a vertical gap."""
    return read_pdf(data, where)[0]


def read_pdf(data: bytes, where: str) -> tuple[str, tuple[str, ...]]:
    """The text layer of a PDF and any warnings.  A PDF that pypdf cannot read, for whatever
    reason (a damaged file is arbitrary input to a large parser), is refused in one line; one
    encrypted with a password is refused, one encrypted with an empty user password (an owner
    password that only restricts printing or copying) is read with a warning."""
    from pypdf import PdfReader

    warnings: tuple[str, ...] = ()
    try:
        with _quiet("pypdf"):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                warnings = _decrypt(reader, where)
            pages = [_page_text(page) for page in reader.pages]
    except InputError:
        raise
    except NotImplementedError as err:  # an encryption handler other than the standard one
        raise InputError(f"{where}: PDF is encrypted in a way that is not read ({err})",
                         hint="save an unencrypted copy") from None
    except Exception as err:  # noqa: BLE001 - pypdf on damaged input (RecursionError included)
        raise InputError(f"{where}: PDF that cannot be read ({type(err).__name__})",
                         hint="check the file is complete") from None
    text = "\n\n".join(p.strip("\n") for p in pages if p.strip()).strip()
    if not text.strip():
        raise InputError(f"{where}: PDF has no text layer (scanned images only)",
                         hint="run OCR on it first and add the text")
    return text, warnings


def _decrypt(reader, where: str) -> tuple[str, ...]:
    from pypdf import PasswordType
    from pypdf.errors import PyPdfError

    try:
        opened = reader.decrypt("")
    except PyPdfError:  # e.g. AES without the cryptography package
        opened = PasswordType.NOT_DECRYPTED
    if opened == PasswordType.NOT_DECRYPTED:
        raise InputError(f"{where}: PDF is encrypted with a password", hint="save an unencrypted copy")
    return (f"{where}: PDF is encrypted with an owner password only (permissions); read without a password",)


@contextmanager
def _quiet(name: str):
    """Keep a library's log messages (pypdf: 'EOF marker not found') off stderr while it reads:
    what matters is said in the one-line refusal."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _page_text(page) -> str:
    """Layout mode keeps vertical gaps as blank lines; its column padding is squeezed out."""
    try:
        laid_out = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
    except Exception:  # noqa: BLE001 - layout mode fails on some fonts; plain mode still works
        laid_out = None
    if not laid_out or not laid_out.strip():
        return page.extract_text() or ""
    laid = _columns_apart(laid_out.split("\n"))
    lines = [re.sub(r"(?<=\S) {2,}(?=\S)", " ", line).strip() for line in laid]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


GUTTER = re.compile(r"(?<=\S) {3,}(?=\S)")
MIN_ROWS = 2  # rows with text on both sides of one gutter that make a run of two columns


def _columns_apart(rows: list[str]) -> list[str]:
    """Text set in two columns, as layout mode gives it (each row the left column's line, a
    wide gap, the right column's line), read as the left column and then the right, a blank
    line between them.  A run of rows holds the gutter: every row has text on both sides of
    the same column with a gap before it, or text on one side only; a row that runs across
    it (a heading, a paragraph set full width) ends the run.

    >>> _columns_apart(["Title", "Jane Doe      John Roe", "Director      Chair", "", "Ann Poe"])
    ['Title', 'Jane Doe', 'Director', '', 'John Roe', 'Chair', '', 'Ann Poe']
    """
    starts: dict[int, int] = {}
    for row in rows:
        for m in GUTTER.finditer(row):
            starts[m.end()] = starts.get(m.end(), 0) + 1
    gutters = sorted((c for c, n in starts.items() if n >= MIN_ROWS), key=lambda c: (-starts[c], c))
    for at in gutters[:3]:  # the body's gutter, and another for a block of signers set otherwise
        rows = _split_runs(rows, at)
    return rows


def _split_runs(rows: list[str], at: int) -> list[str]:
    out: list[str] = []
    k = 0
    while k < len(rows):
        end, cut, last = k, 0, k
        while rows[k].strip() and end < len(rows) and _side(rows[end], at) is not None:
            side = _side(rows[end], at)
            cut += side == "both"
            end += 1
            if side in ("both", "right"):
                last = end
            elif side == "blank" and last < end - 1:
                break  # a paragraph with nothing right of the gutter after the columns: not theirs
        while last < end and rows[last].strip():
            last += 1  # the rest of the last paragraph with a right column
        end = last
        if cut >= MIN_ROWS:
            left = [row[:at].rstrip() for row in rows[k:end]]
            right = [row[at:].rstrip() for row in rows[k:end]]
            out += _trimmed(left) + [""] + _trimmed(right)
            k = end
        else:  # a later start in the same stretch holds fewer rows of two: none makes a run
            nxt = max(k + 1, end)
            out += rows[k:nxt]
            k = nxt
    return out


def _side(row: str, at: int) -> str | None:
    """Where a row's text stands about the gutter at column ``at``: "both", "left", "right",
    "blank", or None when it runs across."""
    if not row.strip():
        return "blank"
    left, right = row[:at], row[at:]
    if not right.strip():
        return "left" if len(left.rstrip()) <= at - 3 else None
    if not left.strip():
        return "right"
    return "both" if left.endswith("   ") and not right.startswith(" ") else None


def _trimmed(rows: list[str]) -> list[str]:
    while rows and not rows[-1].strip():
        rows = rows[:-1]
    while rows and not rows[0].strip():
        rows = rows[1:]
    return rows
