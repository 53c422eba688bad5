"""The parts of a document: title, date, type, addressees, letterhead, body, closing.

Consumes a :class:`SourceDocument`'s text; creates the fields of :class:`Extraction` that
describe the document as a whole.  Furniture lines (see :mod:`kg.extract.furniture`) are
skipped.  The title is a heading when there is one (a Markdown or HTML heading, a "Re:" or
"Subject:" line, a title-like first line, a headline); none is invented when there is not.

>>> st = read_structure("ACME WATCH\\n1 High Street, London\\n\\n3 May 2022\\n\\nDear Minister,\\n\\n"
...                     "RE: DETENTIONS IN THE NORTH\\n\\nWe write to you about the detentions.\\n\\n"
...                     "Yours sincerely,\\nJane Doe\\n")
>>> st.title.text, st.date[0], st.doc_type, st.letterhead, [a.text for a in st.addressees]
('DETENTIONS IN THE NORTH', '2022-05-03', 'letter', 'Acme Watch', ['Minister'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Located, Span
from .dates import day_first, document_date, find_dates, writes_numeric_dates
from .furniture import bare, furniture_lines, paragraphs, regions
from .names import has_org_head, is_caption
from .text import Line, lines, squash

_COMMA_CLOSING = (r"yours(\s+(sincerely|faithfully|truly|respectfully|ever|in\s+(?:the\s+)?(?:service|struggle|solidarity|peace|faith|hope)))?|sincerely(\s+yours)?|"
                  r"respectfully(\s+(yours|submitted))?|regards|(with\s+)?(?:(?:our|my)\s+)?(kind|best|warm|warmest|respectful|sincere)\s+(regards|wishes)|"
                  r"with\s+(respect|gratitude|thanks|appreciation|best\s+wishes|solidarity)[\w ]{0,30}|"
                  r"in\s+(?:solidarity|hope|faith|peace|friendship)(?:\s+and\s+(?:with\s+)?[a-z]+(?:\s+[a-z]+)?)?|"  # "In solidarity and with affection,"
                  r"with\s+hope|cordially|faithfully")
_LIST_CLOSING = (r"(this\s+(?:open\s+|joint\s+)?(?:letter|statement|appeal|petition)\s+(?:is|was|has\s+been)\s+)?"
                 r"(initial\s+|list\s+of\s+|other\s+|additional\s+|further\s+|current\s+|first\s+|founding\s+|original\s+)?"
                 r"(signed|signatories|signatures|signers|endorsed|endorsements|co-?signed|supported|"
                 r"(?:signing|endorsing|supporting)\s+organi[sz]ations|"
                 r"(?:organi[sz]ational|individual|institutional|civil\s+society|ngo|parliamentary|academic)\s+"
                 r"(?:signatories|signers|endorsements)|signatory\s+(?:organi[sz]ations|groups|individuals))(\s+by)?"
                 r"(,?\s+in\s+(?:alphabetical|no\s+particular|random)\s+order)?"  # "Signed, in alphabetical order:"
                 r"(\s+(?:the\s+following|these)(?:\s+[\w-]+){0,3})?"
                 r"(\s+on\s+behalf\s+of\s+[^:]{1,60})?(\s*\([^)]{1,100}\))?(,\s*with\s+[^:,]{1,60})?|"
                 r"(?:(we,?\s+)?the\s+undersigned|undersigned)(,?\s+on\s+behalf\s+of\s+[^:]{1,80}(?=\s*:))?|"
                 r"on\s+behalf\s+of(?=\s*:)|on\s+behalf\s+of\s+the\s+following[\w\s]{0,30}(?=\s*:)")
CLOSING = re.compile(rf"^({_COMMA_CLOSING}|{_LIST_CLOSING})\s*[,:.]?$", re.I)
INLINE_CLOSING = re.compile(rf"^\s*(?:\*\*|__)?(?:{_LIST_CLOSING})\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<rest>[^\s*_].{{3,}})$",
                            re.I)  # "Signatories: A, B and C.", "**Co-signed by:** A; B"
COVER_SUBMITTERS = re.compile(r"^[ \t]*(?:reporting|submitting|authoring|contributing)\s+organi[sz]ations?[ \t]*\|[ \t]*"
                              r"(?P<list>[^|\n]+(?:\n[^|\n]+$){0,30})", re.I | re.M)  # a cover table's row "Reporting organisations | A<br>B"
SUBMITTED = re.compile(r"^[ \t]*(?:jointly\s+)?(?:submitted|presented|prepared)(?:\s+jointly)?\s+by(?:\s*:|(?=\s+the\s+(?:\*\*|__)?[A-Z]))[ \t]*(?P<list>\S[^\n]*(?:\n[ \t]*\S[^\n]*){0,3})",
                       re.I | re.M)  # "Submitted by: A, B and the C" at the head of a submission, wrapped or not
SIGNED_BY = re.compile(r"^[ \t]*signed(?:\s+in\s+\w+)?\s+by\s+(?P<list>(?:the\s+)?[A-Z][^\n.]*(?:\n[^\n.]+){0,3})\.[ \t]*(?=\n[ \t]*\n|\s*\Z)",
                       re.I | re.M)  # "Signed in solidarity by A, B and the C." as a paragraph of its own
SALUTATION = re.compile(
    r"^(dear\s+(?P<who>[^\n]{2,120}?)|respected\s+(?:madam|sirs?)(?:\s*/\s*(?:madam|sir))?|your\s+excellenc(y|ies)|excellenc(y|ies)|to\s+whom\s+it\s+may\s+concern|"
    r"(mr|mrs|ms|madam|madame|mister)\.?\s+(president|chair(person|man|woman)?|speaker|secretary[- ]general|"
    r"high\s+commissioner|prosecutor|minister|ambassador|rapporteur)[^\n]{0,40}?|"
    r"(?:monsieur|madame)\s+(?:l[ea]\s+|l['’])(?:pr[ée]sidente?|ministre|maire|ambassad(?:eur|rice)|procureur|rapporteur|"
    r"secr[ée]taire\s+g[ée]n[ée]rale?|haut(?:e)?-commissaire|d[ée]put[ée]e?|s[ée]nat(?:eur|rice))[^\n,]{0,40}?|"  # "Monsieur le Président,"
    r"(?:right\s+)?hono(?:u)?rable\s+[^\n,]{2,60}?(?=\s*,$))\s*[,:]?$", re.I)  # "Honourable Attorney General,"
HON_TITLE = re.compile(r"^\s*(?P<who>(?:[Rr]ight\s+)?[Hh]ono(?:u)?rable\s+[A-Z][^\n,]{2,60}?)\s*,\s*$")
ADDRESSED_TO = re.compile(r"(?:to|attn\.?|attention)\s+(?:the\s+)?[A-Z][^,]{1,80},\s*\S", re.I)  # "To the Chairman, X, Country"
ADDRESSED_HEADING = re.compile(r"^To\s+(?:the|all|our|my)\s+[a-z][^,:;.]{3,80}$")  # "To the families of the disappeared"
MR_TITLE = re.compile(r"^\s*(?P<who>(?:mr|mrs|ms|madam|madame|mister|monsieur)\.?\s+[A-Za-z][\w '’-]{2,40}?)\s*[,:]?\s*$", re.I)
HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
SUBJECT = re.compile(r"^\s*(?:\*\*)?(?:re|subject|subj|sub|object)\s*:\s*(?P<title>\S.*?)\s*(?:\*\*)?\s*$", re.I)
LABEL = re.compile(r"^\s*(to|from|date|dated|cc|bcc|ref|reference|our\s+ref|your\s+ref|attn|attention|contact|"
                   r"tel|phone|email|e-mail|fax|web|website|address|venue|time|place|location|by|for)\s*:\s", re.I)
ADDRESS = re.compile(
    r"\bP\.?\s?O\.?\s+Box\b|\b(?:Caixa\s+Postal|Apartado\s+(?:de\s+Correos\s+)?\d|Casilla\s+(?:de\s+Correos?\s+)?\d|Bo[iî]te\s+[Pp]ostale|Postfach)\b|\b\d{1,5}[a-z]?,?\s+(?:[A-Z][\w.'-]*\s+){0,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|"
    r"Lane|Square|Place|Boulevard|Blvd\.?|Way|Drive|Strasse|Straße|Rue|Plaza|Quay)\b|[\w.-]+@[\w-]+\.\w|"
    r"\b(?:tel|phone|fax|t|f|e)\s*[:.]\s*\+?\d|\+\d[\d\s()-]{7,}|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b|"
    r"\b[A-Z]{2}\s+\d{5}\b|\b\d{4,5}\s+[A-Z][a-z]+$|\bwww\.|https?://|\s\|\s|"
    r"^\s*(?:(?:registered|head|postal|mailing|street)\s+)?(?:office|address)\s*:", re.I)  # "Registered office: ..."
ADDRESS_MARK = re.compile(r"[\d@|:]|box|post|www", re.I)  # what every form of ADDRESS holds (keep the two in step)
COPY_TO = re.compile(r"^(?:with\s+(?:a\s+)?cop(?:y|ies)|cop(?:y|ies)(?:\s+sent)?)\s+to\s", re.I)  # "With copy to the Coordinator of X"
BYLINE = re.compile(r"^(by|from|posted\s+by|written\s+by)\s+[A-Z]", re.I)
REPORTING = re.compile(r"\b(said|says|told|according to|added|stated)\b")
KICKER = re.compile(r"^(?:press\s+release|news\s+release|media\s+release|for\s+immediate\s+release|media\s+advisory|"
                    r"news|update|breaking(?:\s+news)?|opinion|analysis|comment|blog|feature|editorial|"
                    r"(?:open|joint|public|press)\s+(?:letter|statement)|statement|petition|appeal)\s*:?$", re.I)
PAPER_HEAD = re.compile(r"^(?:letter|statement|appeal|petition|submission|declaration)\s+(?:from|by|of)\s+(?:the\s+)?[a-z]", re.I)
TITLED_PAPER = re.compile(r"^[A-Z][^:]{3,80}:\s+(?:an?\s+|the\s+)?(?:open\s+|joint\s+|public\s+)?(?:letter|statement|appeal|petition)"
                          r"\s+(?:from|by|of|to)\s", re.I)  # "Twenty years on: a letter from European MPs"
NAMED_PAPER = re.compile(r"^(?:an?\s+)?(?:open|joint|public)\s+(?:letter|statement|appeal)\b(?!\s*:?$)", re.I)
NEWS_VERBS = re.compile(r"\b(?:warned|noted|urged|called\s+(?:on|for)|wrote|announced|reported|insisted|explained|"
                        r"acknowledged|confirmed|denied|argued|claimed|accused)\b")
WEEKDAY = re.compile(r"\b(?:on|last|this|late|early)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
DATELINE = re.compile(r"(?:^|\n)[A-Z][A-Z .'’-]{2,30}(?:,\s*[A-Z][A-Za-z .]{2,30})?(?:\s*\([^)\n]{2,30}\))?\s*[-–—]\s+[A-Z]")
POSTED = re.compile(r"^\W*posted\s+(?:by|on|in)\b", re.I | re.M)
FIRST_PERSON = re.compile(r"\b(we|our|us)\b", re.I)
PRESS_RELEASE = re.compile(r"\b(press release|news release|media release|for immediate release|notes? to editors|"
                           r"media contacts?|press contacts?|press office|for (?:further|more) information,? (?:please )?contact)\b"
                           r"|^[ \t]*(?:-[ \t]*)?(?:ends|###)(?:[ \t]*-)?[ \t]*$", re.I | re.M)
PETITION = re.compile(r"\b(this petition|petition to|started this petition)\b|^\s*to\s*:", re.I | re.M)  # not a "Sign the petition" button
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
    closing: int | None  # index of the closing line ("Yours sincerely,"), or the blank line before a sign-off
    body: Span


def read_structure(text: str) -> Structure:
    all_lines = lines(text)
    marked = furniture_lines(all_lines)
    title = find_title(all_lines, marked)
    closing = find_closing(all_lines, marked)
    kind = document_type(text, all_lines, marked, closing, title)
    if closing is None and kind == "letter":
        closing = find_signoff(all_lines, marked)
    addressees = find_addressees(text, all_lines, marked, title) if kind == "letter" else ()
    body = _body(all_lines, marked, title, closing)
    headed = {i for i, l in enumerate(all_lines) if title and l.start >= title.span.start and l.end <= title.span.end
              and ADDRESSED_HEADING.match(bare(l.text))}  # "To the survivors of 28 September 2009": the date is theirs
    days_first = writes_numeric_dates(text) and day_first(text)  # the order matters for "04/05/2022" only
    dated = document_date(all_lines, marked | headed | _greeting_to(all_lines), days_first=days_first)
    return Structure(all_lines, marked, title, dated, kind, addressees,
                     find_letterhead(all_lines, marked), closing, body)


GREETING_TO = re.compile(r"To\s+(?:the|all|our|my)\s+[a-z]")


def _greeting_to(all_lines: list[Line]) -> set[int]:
    """A greeting that says whom the letter is to ("To the families of ..., / and to the survivors
    of 12 November 1991,"): a date in it is theirs, not the letter's."""
    out: set[int] = set()
    for para in paragraphs(all_lines[:80]):
        first, last = all_lines[para[0]].stripped, all_lines[para[-1]].stripped
        if len(para) <= 4 and GREETING_TO.match(first) and last.endswith(","):
            out.update(para)
    return out


def furniture_spans(structure: Structure) -> tuple[Span, ...]:
    return regions(structure.lines, structure.furniture)


def _title_like(text: str) -> bool:
    words = text.split()
    if not 3 <= len(words) <= 30 or text.endswith((".", ",", ";")) or "@" in text or "http" in text or " :: " in text:
        return False  # "THE WEEKLY :: Africa :: Angola": a masthead's cells
    if LABEL.match(text) or find_dates(text) or SALUTATION.match(text) or ADDRESS.search(text) or BYLINE.match(text):
        return False
    if ADDRESSED_TO.match(text) or COPY_TO.match(text):
        return False  # "To the Chairman, National Commission, Country", "With copy to X": whom the letter goes to
    content = [w for w in words if w.lower().strip("(),:") not in SMALL_WORDS]
    capital = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    return bool(content) and capital / len(content) >= 0.6


LEAD_WORD = re.compile(r"(to|dear|from|for|by|attn|ref)\b", re.I)


def _headline_like(text: str) -> bool:
    """A headline in sentence case: a short line that does not end like a sentence."""
    words = text.split()
    if not 4 <= len(words) <= 20 or not text[:1].isupper() or text.endswith((".", ",", ";", ":")):
        return False
    return not (LABEL.match(text) or SALUTATION.match(text) or ADDRESS.search(text) or find_dates(text)
                or CLOSING.match(text) or COPY_TO.match(text) or LEAD_WORD.match(text))


def _is_body_line(text: str) -> bool:
    """Running text: a dozen words or more, most of them in lower case, no addresses."""
    words = [w for w in text.split() if w[:1].isalpha()]
    if len(words) < 12 or "@" in text or _title_like(text):
        return False
    return sum(w[:1].islower() for w in words) >= 0.5 * len(words)


def find_title(all_lines: list[Line], marked: set[int]) -> Located | None:
    """A heading near the top, else a subject line, else the first title-like line that is
    not part of a letterhead or address block, else a headline standing first."""
    top = _top_lines(all_lines, marked)
    for i in top:
        m = HEADING.match(all_lines[i].text)
        if m and not SALUTATION.match(m.group("title")):
            return _heading(all_lines[i], m)
    for i in top:
        m = SUBJECT.match(all_lines[i].text)
        if m:
            return _heading(all_lines[i], m)
    referenced = _title_under_references(all_lines, top)
    if referenced is not None:
        return _join_title(all_lines, marked, referenced)
    blocked = _address_blocks(all_lines, marked)
    for i in top:  # "Open letter: stop the detentions", even in sentence case and below a letterhead
        text = bare(all_lines[i].text)
        if (NAMED_PAPER.match(text) or PAPER_HEAD.match(text) or TITLED_PAPER.match(text)) and _headline_like(text) \
                and _stands_alone(all_lines, i) and (i not in blocked or _ends_paragraph_after_address(all_lines, i)):
            above = _heading_above(all_lines, top, blocked, i)
            return above or _join_title(all_lines, marked, i)
    for n, i in enumerate(top):
        text = bare(all_lines[i].text)
        under = _title_under_label(all_lines, i, top[n + 1:n + 4], blocked, text)
        if under is not None:
            return _join_title(all_lines, marked, under)
        if i not in blocked and _title_like(text) and not _label_or_continuation(all_lines, i, text) \
                and not _kind_label_over_title(all_lines, top[n + 1:n + 3], blocked, text):
            return _join_title(all_lines, marked, i)
    for i in top:  # a heading under the line that says whom the letter goes to ("To the Chairman, X")
        prev = next((k for k in range(i - 1, -1, -1) if not all_lines[k].blank), None)
        if prev is not None and i not in blocked and (ADDRESSED_TO.match(all_lines[prev].text.strip()) or _before_greeting(all_lines, prev, i, blocked)) \
                and _headline_like(bare(all_lines[i].text)) and _stands_alone(all_lines, i) and all_lines[i - 1].blank:
            return _join_title(all_lines, marked, i)
    opening = next((i for i, l in enumerate(all_lines) if not l.blank and i not in marked), None)
    if opening is not None and ADDRESSED_HEADING.match(bare(all_lines[opening].text)) and _stands_alone(all_lines, opening):
        return _join_title(all_lines, marked, opening)  # "To the survivors of the massacre": a letter headed by whom it is to
    first = next((i for i, l in enumerate(all_lines) if not l.blank and i not in marked
                  and not KICKER.match(bare(l.text)) and not _date_line(l.text) and not _meta_line(l.text)), None)
    after_meta = first is not None and first > 0 and _meta_line(all_lines[first - 1].text)
    under_label = first is not None and first > 0 and KICKER.match(bare(all_lines[first - 1].text))  # "JOINT STATEMENT" right over it
    if first is not None and (first not in blocked or after_meta) and _headline_like(bare(all_lines[first].text)) \
            and (_stands_alone(all_lines, first) or under_label):
        return _join_title(all_lines, marked, first)
    headline = _headline_under_masthead(all_lines, marked, first) if first is not None else None
    return _join_title(all_lines, marked, headline) if headline is not None else None


REFERENCE = re.compile(r"\b(?:case|petition|report|communication|application|complaint|ref\.?)\s+(?:no\.?\s*)?\d", re.I)


def _title_under_references(all_lines: list[Line], top: list[int]) -> int | None:
    """A submission's head: the body it goes to in capitals, then lines with case or report
    numbers ("Case 11.291 (X) - Country", "Follow-up of Report No. 34/00"), then the title
    ("The 111 of X: thirty years of unfinished justice") in the same block."""
    if len(top) < 3 or not (bare(all_lines[top[0]].text).isupper() and has_org_head(bare(all_lines[top[0]].text))):
        return None
    k = 1
    while k < len(top) and top[k] == top[k - 1] + 1 and REFERENCE.search(all_lines[top[k]].text):
        k += 1
    if k == 1 or k >= len(top) or top[k] != top[k - 1] + 1:
        return None
    text = bare(all_lines[top[k]].text)
    return top[k] if (_title_like(text) or _headline_like(text)) and not PAPER_HEAD.match(text) else None


def _before_greeting(all_lines: list[Line], prev: int, i: int, blocked: set[int]) -> bool:
    """A line alone between an address block and the greeting ("To: X" / "Palais des Nations,
    Geneva", then "Five years on, the Council must act", then "Excellencies,")."""
    nxt = next((k for k in range(i + 1, min(len(all_lines), i + 4)) if not all_lines[k].blank), None)
    return prev in blocked and nxt is not None and bool(SALUTATION.match(bare(all_lines[nxt].text)))


def _headline_under_masthead(all_lines: list[Line], marked: set[int], first: int) -> int | None:
    """A news page: a masthead of short lines or cells ("THE EXAMPLE TIMES | World", "Example
    Courier" over "NATION"), then a headline standing alone, then a byline or a dated line."""
    end = first
    while end + 1 < len(all_lines) and not all_lines[end + 1].blank:
        end += 1
    for i in range(first, end + 1):
        cells = [c for c in re.split(r"\s(?:[|·•—]|::)\s", all_lines[i].stripped) if c.strip()]  # "THE WEEKLY :: Africa"
        if i in marked:
            continue  # crumbs under the masthead ("Home / National / Law")
        if all_lines[i].stripped.endswith(".") or any(len(c.split()) > 4 for c in cells):
            return None
    after = [i for i in range(end + 1, min(len(all_lines), end + 10)) if not all_lines[i].blank and i not in marked]
    if len(after) < 2 or not _headline_like(bare(all_lines[after[0]].text)) or not _stands_alone(all_lines, after[0]):
        return None
    follow = [all_lines[i].stripped for i in after[1:3]]  # a byline under it, or under its standfirst
    return after[0] if any(BYLINE.match(f) or _date_line(f) or _meta_line(f) for f in follow) else None


KIND_TO = re.compile(r"^(?:joint\s+|open\s+)?(?:submission|letter|statement|petition|appeal)\s+to\s+(?:the\s+)?[A-Z]", re.I)


def _kind_label_over_title(all_lines: list[Line], after: list[int], blocked: set[int], text: str) -> bool:
    """"Submission to the Committee on X" over a dateline and a heading: the line says what the
    paper is and whom it goes to; the heading under the date is the title."""
    if not KIND_TO.match(text) or len(after) < 2 or not _date_line(all_lines[after[0]].text):
        return False
    nxt = bare(all_lines[after[1]].text)
    return after[1] not in blocked and _title_like(nxt) and not KIND_TO.match(nxt)


def _title_under_label(all_lines: list[Line], i: int, after: list[int], blocked: set[int], text: str) -> int | None:
    """"SUBMISSION TO THE SPECIAL RAPPORTEUR ON X" in capitals, wrapped or not, right over a
    heading in sentence case: the capitals say what the paper is and whom it goes to, the
    heading is the title."""
    if not (KIND_TO.match(text) and text.isupper()):
        return None
    rest = [k for k in after if k not in blocked]
    while rest and rest[0] == i + 1 and bare(all_lines[rest[0]].text).isupper():
        i, rest = rest[0], rest[1:]  # the label wraps
    if not rest or rest[0] != i + 1:
        return None
    nxt = bare(all_lines[rest[0]].text)
    return rest[0] if (_title_like(nxt) or _headline_like(nxt)) and not nxt.isupper() and not KIND_TO.match(nxt) else None


def _heading_above(all_lines: list[Line], top: list[int], blocked: set[int], i: int) -> Located | None:
    """The heading over a line that names the paper's kind ("Seven Years On: No More Delay" over
    "Joint statement of regional organisations"): the subtitle says what it is, the heading is
    the title."""
    k = i - 1
    if k < 0 or k not in top or k in blocked or (k > 0 and not all_lines[k - 1].blank) \
            or not _title_like(bare(all_lines[k].text)) or not NAMED_PAPER.match(bare(all_lines[i].text)) and not PAPER_HEAD.match(bare(all_lines[i].text)):
        return None
    line = all_lines[k]
    lead = len(line.text) - len(line.text.lstrip("*_#- "))
    raw = line.text[lead:].rstrip("*_ ")
    return Located(squash(raw), Span(line.start + lead, line.start + lead + len(raw)))


def _label_or_continuation(all_lines: list[Line], i: int, text: str) -> bool:
    """No title: a label naming the paper's kind, in one language or two ("PETITION",
    "PETICIÓN / PETITION"); a line going on from the one above in lower case ("and the X",
    under "To: Y"); a reporter's post under the byline ("By Jane Doe" / "Africa Correspondent")."""
    if KICKER.match(text) or any(KICKER.match(p.strip()) for p in text.split("/")) and len(text.split("/")) == 2 \
            and all(len(p.split()) <= 2 for p in text.split("/")):
        return True
    prev = all_lines[i - 1] if i > 0 else None
    return text[:1].islower() or bool(prev and not prev.blank and BYLINE.match(prev.stripped))


def _date_line(text: str) -> bool:
    """A line that only dates the document ("14 January 2021", "Geneva, 4 April 2023")."""
    found = find_dates(text)
    return bool(found) and len(text.split()) <= 8


CELL_BREAK = re.compile(r"\s[|·•]\s")
PIPE = re.compile(r"\s\|\s")


def _meta_line(text: str) -> bool:
    """A masthead or meta line in cells, with a date ("EXAMPLE MONITOR | Bulletin No. 7 | 2 May 2022")."""
    return bool(CELL_BREAK.search(text)) and bool(find_dates(text))


def _ends_paragraph_after_address(all_lines: list[Line], i: int) -> bool:
    """"Open letter on ..." as the last line of an address block: a PDF's text layer lost the
    gap between the address and the heading under it."""
    return i > 0 and not all_lines[i - 1].blank and _stands_alone(all_lines, i)


def _stands_alone(all_lines: list[Line], i: int) -> bool:
    return i + 1 >= len(all_lines) or all_lines[i + 1].blank


TOWN_LINE = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2},\s+[A-Z][\w'’.-]*(?:\s+(?:and|&|[A-Z][\w'’.-]*)){0,3}$")


def _address_blocks(all_lines: list[Line], marked: set[int]) -> set[int]:
    """Lines of a letterhead or an address: a paragraph with an address line, or the short
    lines just before a salutation."""
    out: set[int] = set()
    for n, para in enumerate(paragraphs(all_lines)):
        kept = [i for i in para if i not in marked]
        if n == 0 and len(kept) == 2 and has_org_head(bare(all_lines[kept[0]].text)) \
                and TOWN_LINE.match(bare(all_lines[kept[1]].text)):
            out.update(kept)  # "Example Women's Collective" over "Lakeside, Northern Region": a letterhead
        if any(_address_line(all_lines[i].text) for i in kept) \
                or len(kept) == 1 and any(_has_address(all_lines[i].text) for i in para
                                          if i in marked or _meta_line(all_lines[i].text)):  # (a kept line as it is: searched just above)
            out.update(kept)  # a name over a furniture line of its address ("Registered charity no. 1 | 2 X Street")
        if len(kept) >= 2 and _addressed_block([bare(all_lines[i].text) for i in kept]):
            out.update(kept)  # "To: Permanent Representatives of X" / "Palais des Nations, Geneva": the address under the label
        if len(kept) >= 3 and all(len(all_lines[i].text.split()) <= 6 for i in kept):
            out.update(kept)  # "The Prosecutor / International Criminal Court / The Hague"
        nxt = para[-1] + 1
        while nxt < len(all_lines) and all_lines[nxt].blank:
            nxt += 1
        if len(kept) >= 2 and nxt < len(all_lines) and SALUTATION.match(bare(all_lines[nxt].text)):
            out.update(kept)
    return out


def _address_line(text: str) -> bool:
    """A line of an address; a dated meta line in cells ("Posted on 10 March 2026 by X | Events")
    is not one for its cells alone."""
    return _has_address(PIPE.sub(" ", text) if _meta_line(text) else text)


def _has_address(text: str) -> bool:
    """``ADDRESS.search(text)``, after a quicker look for what every form of an address holds (a
    digit, "@", "|", ":", "Box", "Post" or "www"): most lines of running text have none of them."""
    return bool(ADDRESS_MARK.search(text)) and bool(ADDRESS.search(text))


TO_LABEL = re.compile(r"(?:to|attn\.?|attention)\s*:", re.I)
TO_EXCELLENCY = re.compile(r"To\s+(?:(?:His|Her|Their|Your)\s+(?:Excellenc|Majesty|Holiness)|H\.\s?E\.|the\s+[A-Z])")


def _addressed_block(texts: list[str]) -> bool:
    """A paragraph that says where the letter goes: "To: X" over its address lines, or "To His
    Excellency the President" over short capitalised lines ("Presidential Palace", "Lake Town")."""
    if TO_LABEL.match(texts[0]):
        return True
    return bool(TO_EXCELLENCY.match(texts[0])) \
        and all(t[:1].isupper() and len(t.split()) <= 6 for t in texts[1:])


def _top_lines(all_lines: list[Line], marked: set[int]) -> list[int]:
    """Non-blank, non-furniture lines before the first paragraph of running text."""
    out = []
    for i, line in enumerate(all_lines[:400]):
        if line.blank or i in marked:
            continue
        if _is_body_line(line.stripped) and not (HEADING.match(line.text) or SUBJECT.match(line.text) or _over_greeting(all_lines, i)):
            break
        out.append(i)
    return out


def _over_greeting(all_lines: list[Line], i: int) -> bool:
    """A long heading in sentence case standing alone over the greeting, not running text
    ("Five years after the explosion, the Council must act" over "Excellencies,")."""
    text = all_lines[i].stripped
    if text.endswith((".", ",", ";", ":")) or len(text.split()) > 20 or not _stands_alone(all_lines, i):
        return False
    nxt = next((k for k in range(i + 1, min(len(all_lines), i + 4)) if not all_lines[k].blank), None)
    return nxt is not None and bool(SALUTATION.match(bare(all_lines[nxt].text)))


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
    lead = len(raw) - len(raw.lstrip("*_#- "))
    trail = len(raw.rstrip("*_ "))
    span = Span(span.start + lead, span.start + trail)
    return Located(squash(whole[span.start:span.end]), span)


def find_closing(all_lines: list[Line], marked: set[int]) -> int | None:
    for i, line in enumerate(all_lines):
        if i not in marked and (CLOSING.match(bare(line.text)) or INLINE_CLOSING.match(line.text)):
            return i
    return _grouped_signers(all_lines, marked)


SIGNER_GROUP = re.compile(r"^(?:signing\s+|endorsing\s+)?(?:organi[sz]ations|individuals|institutions|civil\s+society"
                          r"(?:\s+organi[sz]ations)?|ngos|persons|parliamentarians|scholars|academics)\s*:?$", re.I)


def _grouped_signers(all_lines: list[Line], marked: set[int]) -> int | None:
    """Signers under two group headings and no closing word ("Organisations" over a list,
    "Individuals" over another), after the running text: the line before the first heading."""
    found = [i for i, l in enumerate(all_lines) if i not in marked and SIGNER_GROUP.match(bare(l.text))
             and _list_follows(all_lines, i)]
    if len(found) < 2 or not any(_is_body_line(l.stripped) for l in all_lines[:found[0]]):
        return None
    return found[0] - 1 if found[0] > 0 else None


LIST_ITEM = re.compile(r"\s*(?:[-*•]|\d{1,3}[.)])\s+\S")


def _list_follows(all_lines: list[Line], i: int) -> bool:
    nxt = next((l for l in all_lines[i + 1:i + 3] if not l.blank), None)
    return nxt is not None and bool(LIST_ITEM.match(nxt.text))


PANEL = re.compile(r"^(?:our\s+|the\s+)?(?:speakers?|panell?ists?|moderators?|chairs?|hosts?|presenters?|contributors?|"
                   r"team|staff|board|trustees|partners|organi[sz]ed\s+(?:with|by)|in\s+partnership\s+with)\s*:?$", re.I)


def find_signoff(all_lines: list[Line], marked: set[int]) -> int | None:
    """A letter signed without a closing word: it ends with paragraphs of one to four short
    name lines ("Jane Doe, Director, Example Watch") after running text.  Returns the index
    of the blank line before the first of them."""
    paras = [p for p in ([i for i in p if i not in marked] for p in paragraphs(all_lines)) if p]
    while paras and all(is_caption(bare(all_lines[i].text)) for i in paras[-1]):
        paras.pop()  # a photo's caption after the signatures
    k = len(paras)
    while k > 0 and len(paras[k - 1]) <= 4 and len(paras) - k < 40 \
            and all(_name_line(bare(all_lines[i].text)) for i in paras[k - 1]):
        k -= 1
    if k == len(paras) or k == 0 or not any(_is_body_line(all_lines[i].stripped) for p in paras[max(0, k - 2):k] for i in p):
        return None  # running text in the last paragraph or the one before it ("Thank you for your attention.")
    if any(PANEL.match(bare(all_lines[i].text)) for p in paras[k:] for i in p):
        return None  # an event's speakers or a page's team, not signers
    first = paras[k][0]
    return first - 1 if all_lines[first - 1].blank else None


DOWNLOAD = re.compile(r"\b(?:pdf|docx?|odt|rtf|epub|download|\d+\s*[kKmM]B)\b", re.I)
ENDS = re.compile(r"(?:-\s*)?(?:ends|###)(?:\s*-)?", re.I)


def _name_line(text: str) -> bool:
    """A line that names a signer: a name, or a name with title and institution."""
    words = text.split()
    if not 1 <= len(words) <= 16 or text.endswith((".", ":", ";", "?", "!")) or find_dates(text) \
            or ENDS.fullmatch(text) or DOWNLOAD.search(text):
        return False  # a press release's "ENDS" is no signer, nor a link to a file ("Joint statement (English, PDF)")
    head = text.split(",")[0].replace("*", "")
    if len(words) > 8 and not (len(head.split()) <= 5 and "," in text) or is_caption(text):
        return False  # running text, or a photo's caption ("A vigil in Gaziantep")
    return text[:1].isupper() and not HEADING.match(text) and not ADDRESS.search(text)


def document_type(text: str, all_lines: list[Line], marked: set[int], closing: int | None,
                  title: Located | None) -> str:
    """letter, news or webpage, from the text's shape."""
    salutation = any(SALUTATION.match(bare(l.text)) for i, l in enumerate(all_lines) if i not in marked)
    if closing is not None or salutation or SUBMITTED.search(text) or SIGNED_BY.search(text) or COVER_SUBMITTERS.search(text):
        return "letter"
    kept = "\n".join(l.text for i, l in enumerate(all_lines) if i not in marked)
    reporting = len(REPORTING.findall(kept))
    own_voice = FIRST_PERSON.search(_unquoted(kept))
    released = PRESS_RELEASE.search(kept)
    if own_voice and POSTED.search(kept):
        return "webpage"  # a blog post in the organisation's own voice ("Posted by Jane Doe on ..."), quotes or not
    if reporting >= 3 and not (own_voice and released) or reporting and not own_voice and not released:
        return "news"  # a press release quotes its own people, and speaks as "we": the organisation's page
    if not own_voice and not PRESS_RELEASE.search(kept) and _news_shape(all_lines, marked, kept):
        return "news"
    if find_signoff(all_lines, marked) is not None or own_voice and PETITION.search(kept):
        return "letter"
    return "webpage"


BY_REPORTER = re.compile(r"^by\s+(?:[A-Z]|(?:a|an|our)\s+(?:staff|special|correspondent|reporter))", re.I)


def _news_shape(all_lines: list[Line], marked: set[int], kept: str) -> bool:
    """A report in the third person that never writes "said": a byline at the top ("By Jane
    Doe", "By a staff reporter"), or two of a dateline ("NAIROBI -"), a weekday ("on Tuesday")
    and verbs of reporting in the past ("warned", "urged", "noted")."""
    top = [bare(l.text) for i, l in enumerate(all_lines) if i not in marked and not l.blank][:8]
    if any(BY_REPORTER.match(t) for t in top):
        return True
    signs = [bool(DATELINE.search(kept)), bool(WEEKDAY.search(kept)), len(NEWS_VERBS.findall(kept)) >= 2]
    return sum(signs) >= 2


def _unquoted(text: str) -> str:
    return re.sub(r"“[^”]*”|\"[^\"\n]*\"", " ", text)


def find_addressees(text: str, all_lines: list[Line], marked: set[int], title: Located | None) -> tuple[Located, ...]:
    found: list[Located] = []
    if title is not None:
        raw = text[title.span.start:title.span.end]
        m = ADDRESSEE_IN_TITLE.search(raw)
        if m:
            who = m.group("who").strip()
            start = title.span.start + m.start("who")
            found.append(Located(_case_phrase(squash(who)), Span(start, start + len(who))))
    return tuple(found) + salutation_addressees(all_lines, marked)


def salutation_addressees(all_lines: list[Line], marked: set[int] = frozenset()) -> tuple[Located, ...]:
    """Who "Dear ..." names: "Dear Chairperson, dear High Representative," gives two.

    >>> [a.text for a in salutation_addressees(lines("Dear Chairperson, dear High Representative,"))]
    ['Chairperson', 'High Representative']
    """
    for i, line in enumerate(all_lines):
        m = SALUTATION.match(line.text.strip())
        if i not in marked and m and not m.group("who"):
            title = MR_TITLE.match(line.text) or HON_TITLE.match(line.text)
            if title:  # "Honourable Attorney General," greets the Attorney General  # "Mr President," greets the President
                return (Located(squash(title.group("who")), Span(line.start + title.start("who"), line.start + title.end("who"))),)
        if i in marked or not m or not m.group("who") or len(m.group("who").split()) > 15:
            continue
        base = line.start + len(line.text) - len(line.text.lstrip()) + m.start("who")
        out = []
        parts = [(p.start(), p.group()) for p in re.finditer(r"[^,]+", m.group("who"))]
        if len(parts) >= 2:  # "Dear A, B and C": the last comma's part holds two
            at, last = parts.pop()
            cut = re.search(r"\s+and\s+(?=[A-Z])", last)
            parts += [(at, last[:cut.start()]), (at + cut.start(), last[cut.start():])] if cut else [(at, last)]
        for at, part in parts:
            lead = re.match(r"\s*(?:and\s+)?(?:dear\s+)?", part, re.I).end()
            who = part[lead:].rstrip()
            if who and not re.match(r"(sir|madam|colleague|friend|all)\b", who, re.I):
                start = base + at + lead
                out.append(Located(squash(who), Span(start, start + len(who))))
        return tuple(out)
    return ()


TO_LINE = re.compile(r"^\s*to\s*:\s*(?:the\s+)?(?P<who>[^,\n]{3,120}?)\s*(?:,(?![^\n]*\s(?:and|&)\s)[^\n]{0,200})?$", re.I)
TO_PRESIDENT = re.compile(r"^\s*[Tt]o\s+(?:the\s+)?(?P<who>[A-Z][^:\n]{3,120}?)\s*:\s*$")


def letter_addressees(all_lines: list[Line]) -> tuple[Located, ...]:
    """Whom "you" means: the names of the salutation, else those of "To:" lines."""
    found = salutation_addressees(all_lines)
    if found:
        return found
    out = []
    for k, line in enumerate(all_lines):
        m = TO_LINE.match(line.text) if k < 60 else None  # "To: The Working Group on X, Office of Y, Geneva": the body, not its seat
        m = m or TO_PRESIDENT.match(line.text)  # a petition's "To the President of X:"
        if m:
            who = m.group("who")
            out.append(Located(squash(who), Span(line.start + m.start("who"), line.start + m.start("who") + len(who))))
    return tuple(out)


def _case_phrase(phrase: str) -> str:
    """An addressee in running-text case: "ALL UN MEMBER STATES" -> "all UN member states"."""
    letters = [c for c in phrase if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return " ".join(w if ACRONYMS.match(w) else w.lower() for w in phrase.split())
    return phrase


BOLD_NAME = re.compile(r"^\s*\*\*(?P<name>[^*]{3,80})\*\*")


def find_letterhead(all_lines: list[Line], marked: set[int] = frozenset()) -> str | None:
    """The organisation at the top of a letter: named in bold (``**AMNESTY INTERNATIONAL**``),
    or on a first line followed by its address."""
    for line in all_lines[:5]:
        m = BOLD_NAME.match(line.text)
        if m:
            return _org_case(m.group("name").strip())
    paras = [[i for i in p if i not in marked] for p in paragraphs(all_lines[:40])]
    first = next((p for p in paras if p), None)
    if first and len(first) >= 2 and ADDRESS.search(all_lines[first[1]].text):
        name = bare(all_lines[first[0]].text)
        if 2 <= len(name.split()) <= 10 and not ADDRESS.search(name) and not find_dates(name):
            return _org_case(name)
    return None


def _org_case(name: str) -> str:
    return name.title() if name.isupper() else name


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
