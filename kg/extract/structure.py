"""The parts of a document: title, date, type, addressees, letterhead, body.

Consumes a :class:`SourceDocument`; creates the fields of :class:`Extraction` that describe
the document as a whole.  Furniture lines (see :mod:`kg.extract.furniture`) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Located, Span
from .dates import find_dates
from .furniture import furniture_lines, regions
from .text import Line, lines, squash

CLOSING = re.compile(
    r"^\s*(yours\s+(sincerely|faithfully|truly)|sincerely(\s+yours)?|respectfully(\s+yours)?|"
    r"(with\s+)?(kind|best|warm)\s+regards|signed|signed\s+by|signatories|signatures|"
    r"list\s+of\s+signatories|the\s+undersigned|endorsed\s+by|initial\s+signatories)\s*[,:.]?\s*$", re.I)
SALUTATION = re.compile(r"^\s*(dear\s+(?P<who>[^,:\n]{2,80})|your\s+excellenc(y|ies)|excellenc(y|ies))\s*[,:]?\s*$", re.I)
HEADING = re.compile(r"^\s*#{1,3}\s+(?P<title>.+?)\s*#*\s*$")
LABEL = re.compile(r"^\s*[A-Za-z][A-Za-z ]{0,20}:\s")
REPORTING = re.compile(r"\b(said|says|told|according to|added|stated)\b")
ADDRESSEE_IN_TITLE = re.compile(
    r"\b(?:letter|statement|appeal|petition|submission|call|message)\b[^\n]*?\bto\s+"
    r"(?P<who>(?:the\s+)?[A-Za-z][\w .'’-]*?)(?=\s+(?:on|about|regarding|concerning|re|in|over|urging|calling|demanding|for)\b|\s*[:\-–—(]|$)",
    re.I)
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
               "with", "against", "into", "over", "under", "all", "re", "vs"}
ACRONYMS = re.compile(r"^(UN|EU|UK|US|USA|ICC|ICJ|NGO|NGOS|OHCHR|HRC|UNHCR|OSCE|AU|ASEAN|OIC|PRC|XUAR|G7|G20|NATO|UNSC|UNGA)$")


@dataclass(frozen=True)
class Structure:
    lines: list[Line]
    furniture: set[int]
    title: Located | None
    date: tuple[str, Span] | None
    doc_type: str
    addressees: tuple[Located, ...]
    letterhead: str | None
    closing: int | None  # index of the closing line ("Yours sincerely,")
    body: Span


def read_structure(text: str) -> Structure:
    all_lines = lines(text)
    marked = furniture_lines(all_lines)
    title = find_title(all_lines, marked)
    closing = find_closing(all_lines, marked)
    kind = document_type(text, all_lines, marked, closing, title)
    addressees = find_addressees(text, all_lines, marked, title) if kind == "letter" else ()
    body = _body(all_lines, marked, title, closing)
    return Structure(all_lines, marked, title, find_date(all_lines, marked), kind, addressees,
                     find_letterhead(all_lines), closing, body)


def furniture_spans(structure: Structure) -> tuple[Span, ...]:
    return regions(structure.lines, structure.furniture)


def _title_like(text: str) -> bool:
    words = text.split()
    if not 3 <= len(words) <= 30 or text.endswith((".", ",", ";")) or "@" in text or "http" in text:
        return False
    if LABEL.match(text) or find_dates(text) or SALUTATION.match(text):
        return False
    content = [w for w in words if w.lower().strip("(),:") not in SMALL_WORDS]
    capital = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    return bool(content) and capital / len(content) >= 0.6


def _is_body_line(text: str) -> bool:
    """Running text: a dozen words or more, most of them in lower case, no addresses."""
    words = [w for w in text.split() if w[:1].isalpha()]
    if len(words) < 12 or "@" in text or _title_like(text):
        return False
    return sum(w[:1].islower() for w in words) >= 0.5 * len(words)


def find_title(all_lines: list[Line], marked: set[int]) -> Located | None:
    """The heading: a Markdown heading near the top, else the first title-like line(s)."""
    top = _top_lines(all_lines, marked)
    for i in top:
        m = HEADING.match(all_lines[i].text)
        if m:
            return _heading(all_lines[i], m)
    for i in top:
        text = all_lines[i].stripped.strip("*_ ")
        if _title_like(text):
            return _join_title(all_lines, marked, i)
    return None


def _top_lines(all_lines: list[Line], marked: set[int]) -> list[int]:
    """Non-blank, non-furniture lines before the first paragraph of running text."""
    out = []
    for i, line in enumerate(all_lines[:400]):
        if line.blank or i in marked:
            continue
        if _is_body_line(line.stripped) and not HEADING.match(line.text):
            break
        out.append(i)
    return out


def _heading(line: Line, m: re.Match) -> Located:
    raw = m.group("title")
    start = line.start + m.start("title")
    prefix = re.match(r"(?:re|subject|subj)\s*:\s*|\*+", raw, re.I)
    while prefix and prefix.end() > 0:
        raw, start = raw[prefix.end():], start + prefix.end()
        prefix = re.match(r"(?:re|subject|subj)\s*:\s*|\*+", raw, re.I)
    raw = raw.rstrip("*_ ")
    return Located(squash(raw), Span(start, start + len(raw)))


def _join_title(all_lines: list[Line], marked: set[int], i: int) -> Located:
    span = all_lines[i].span
    j = i + 1
    while j < len(all_lines) and j not in marked and not all_lines[j].blank:
        nxt = all_lines[j].stripped
        if not (_title_like(nxt) or nxt[:1].islower()) or len(nxt.split()) > 15:
            break
        span = Span(span.start, all_lines[j].span.end)
        j += 1
    whole = "\n".join(l.text for l in all_lines)
    raw = whole[span.start:span.end]
    lead = len(raw) - len(raw.lstrip("*_ "))
    trail = len(raw.rstrip("*_ "))
    span = Span(span.start + lead, span.start + trail)
    return Located(squash(whole[span.start:span.end]), span)


def find_date(all_lines: list[Line], marked: set[int]) -> tuple[str, Span] | None:
    """The document's date: the first date that opens a line or stands in a short dateline."""
    fallback = None
    for i, line in enumerate(all_lines):
        if i in marked or line.blank:
            continue
        found = find_dates(line.text)
        if not found:
            continue
        first = found[0]
        span = Span(line.start + first.span.start, line.start + first.span.end)
        if not line.text[: first.span.start].strip() or len(line.text.split()) <= 8:
            return first.iso, span
    return fallback


def find_closing(all_lines: list[Line], marked: set[int]) -> int | None:
    for i, line in enumerate(all_lines):
        if i not in marked and CLOSING.match(line.text):
            return i
    return None


def document_type(text: str, all_lines: list[Line], marked: set[int], closing: int | None,
                  title: Located | None) -> str:
    """letter, news or webpage, from the text's shape."""
    salutation = any(SALUTATION.match(l.text) for i, l in enumerate(all_lines) if i not in marked)
    if closing is not None or salutation:
        return "letter"
    kept = "\n".join(l.text for i, l in enumerate(all_lines) if i not in marked)
    if len(REPORTING.findall(kept)) >= 3:
        return "news"
    return "webpage"


def find_addressees(text: str, all_lines: list[Line], marked: set[int], title: Located | None) -> tuple[Located, ...]:
    found: list[Located] = []
    if title is not None:
        raw = text[title.span.start:title.span.end]
        m = ADDRESSEE_IN_TITLE.search(raw)
        if m:
            who = m.group("who").strip()
            start = title.span.start + m.start("who")
            found.append(Located(_case_phrase(squash(who)), Span(start, start + len(who))))
    for i, line in enumerate(all_lines):
        m = SALUTATION.match(line.text)
        if i not in marked and m and m.group("who") and not re.match(r"(sir|madam|colleague|friend)", m.group("who"), re.I):
            who = m.group("who").strip()
            start = line.start + m.start("who")
            found.append(Located(squash(who), Span(start, start + len(who))))
            break
    return tuple(found)


def _case_phrase(phrase: str) -> str:
    """An addressee in running-text case: "ALL UN MEMBER STATES" -> "all UN member states"."""
    letters = [c for c in phrase if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return " ".join(w if ACRONYMS.match(w) else w.lower() for w in phrase.split())
    return phrase


def find_letterhead(all_lines: list[Line]) -> str | None:
    """The organisation named in bold at the top of a letter (``**AMNESTY INTERNATIONAL**``)."""
    for line in all_lines[:5]:
        m = re.match(r"^\s*\*\*(?P<name>[^*]{3,80})\*\*", line.text)
        if m:
            name = m.group("name").strip()
            return name.title() if name.isupper() else name
    return None


def _body(all_lines: list[Line], marked: set[int], title: Located | None, closing: int | None) -> Span:
    kept = [i for i, l in enumerate(all_lines) if i not in marked and not l.blank]
    if not kept:
        return Span(0, 0)
    start = title.span.end if title else all_lines[kept[0]].start
    if closing is not None:
        end = all_lines[closing].start
    else:
        end = all_lines[kept[-1]].end
        tail = [i for i in kept if all_lines[i].start >= start]
        end = all_lines[tail[-1]].end if tail else end
    return Span(start, max(start, end))
