"""Dates in the forms documents use, as ISO dates with their spans; and the document's date.

A numeric date whose two first parts are both 12 or less ("04/05/2022") is ambiguous.  It is
read day first when the document otherwise writes its dates day first ("14 January 2021",
"19/12/2022", "14.01.2021" outnumber "January 14, 2021" and "12/19/2022"), and month first
(the US order) when it does not; with no other date to tell by, British spelling
("organisation", "programme", "defence") reads it day first.

>>> [d.iso for d in find_dates("Sent 14 January 2021, again on January 14, 2021, 2021-01-14, 12/19/2022, Sep 15, 2020")]
['2021-01-14', '2021-01-14', '2021-01-14', '2022-12-19', '2020-09-15']
>>> [d.iso for d in find_dates("19/12/2022, 14.01.2021, 2021/01/14, Monday 3rd of May, 2021")]
['2022-12-19', '2021-01-14', '2021-01-14', '2021-05-03']
>>> [d.iso for d in find_dates("04/05/2022", day_first=True)], day_first("Sent 04/05/2022 after 14 January 2022.")
(['2022-05-04'], True)
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from datetime import date

from ..records import Span
from .text import Line

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}
for _name, _num in list(MONTHS.items()):
    MONTHS[_name[:3]] = _num
MONTHS["sept"] = 9
FRENCH_MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
                 "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}
MONTHS.update(FRENCH_MONTHS)
IBERIAN_MONTHS = {"enero": 1, "janeiro": 1, "febrero": 2, "fevereiro": 2, "marzo": 3, "março": 3, "marco": 3, "abril": 4,
                  "mayo": 5, "maio": 5, "junio": 6, "junho": 6, "julio": 7, "julho": 7, "agosto": 8, "septiembre": 9,
                  "setiembre": 9, "setembro": 9, "octubre": 10, "outubro": 10, "noviembre": 11, "novembro": 11,
                  "diciembre": 12, "dezembro": 12}  # Spanish and Portuguese
MONTHS.update(IBERIAN_MONTHS)
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+|of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s*{_YEAR}(?!\d)", re.I),
    re.compile(rf"\b{_YEAR}[-/](?P<month>\d\d)[-/](?P<day>\d\d)\b"),
    re.compile(rf"\b(?P<month>\d{{1,2}})([/-])(?P<day>\d{{1,2}})\2{_YEAR}\b"),  # US order first; day/month if it cannot be
    re.compile(rf"\b(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.{_YEAR}\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{'|'.join(FRENCH_MONTHS)})\s+{_YEAR}\b", re.I),  # "30 mars 2023", "1er mai"
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:º|o)?\s+de\s+(?P<month>{'|'.join(IBERIAN_MONTHS)})\s+(?:de\s+|del\s+)?{_YEAR}\b",
               re.I),  # "2 de outubro de 2025", "15 de marzo del 2024"
]
_SLASHED = _PATTERNS[3]
assert all(_YEAR in p.pattern for p in _PATTERNS)  # find_dates looks for a year's "19" or "20" before it searches


_BRITISH = re.compile(r"\b(?:organi[sz]ations?|recogni[sz]e[sd]?|criticise[sd]?|apologise[sd]?|emphasise[sd]?|reali[sz]e[sd]?|"
                      r"mobilise[sd]?|centres?|programmes?|colou?rs?|favou?r|labou?r|defen[cs]e|behaviou?r|honou?r|neighbou?rs?)\b")


def day_first(text: str) -> bool:
    """True when the text writes its dates day first more often than month first; with no
    date to tell by, when its spelling is British ("organisation", "programme", "defence")."""
    days = len(_PATTERNS[0].findall(text)) + len(_PATTERNS[4].findall(text))
    months = len(_PATTERNS[1].findall(text))
    for m in _SLASHED.finditer(text):
        first, second = int(m.group("month")), int(m.group("day"))
        days += first > 12 >= second
        months += second > 12 >= first
    if days != months:
        return days > months
    british = american = 0
    for m in _BRITISH.finditer(text):  # in lower case only: "Example Centre" is a name, not a spelling
        word = m.group()
        if re.search(r"is(e|ed|es|ation|ations)$|our$|tres?$|mmes?$|nce$", word):
            british += 1
        else:
            american += 1
    return british > american


def writes_numeric_dates(text: str) -> bool:
    """The text writes a date in numbers with slashes or dashes ("04/05/2022"), the one form
    whose order :func:`day_first` settles (so a text without one need not be asked it)."""
    return _SLASHED.search(text) is not None


# A date the document gives as its own: "Posted on ...", "Sent ...", "This petition was opened on ..."
_OWN_LEAD = re.compile(r"^\W*(?:first\s+|last\s+)?(?:posted|published|sent|dated|date|issued|released|signed|"
                       r"delivered|submitted|adopted|updated|launched|opened|started|written|publiée?|mis\s+en\s+ligne)\b"
                       r"(?:\s+by\s+[A-Z][^,;|·]{1,60}?)?(?:\s+(?:on|in|at|le))?[\s:,]*"
                       r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?$", re.I)  # "Posted on Sunday, 1st December 2024"  # "Posted by Jane Doe on"
_OWN_SENTENCE = re.compile(
    r"\b(?:this|the|our)\s+(?:open\s+|joint\s+)?(?:letter|statement|petition|appeal|submission|declaration|"
    r"document|post|release)\s+(?:was|is|has\s+been|were)\s+(?:first\s+)?(?:opened|launched|published|sent|"
    r"issued|signed|delivered|submitted|adopted|released|posted)\s+(?:on\s+)?$", re.I)
_KIND_LEAD = re.compile(r"^\W*(?:press|news|media)\s+release\s*[—–|:-]\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?$",
                        re.I)  # "PRESS RELEASE — Monday 10 November 2025 — Town"
_PLACE = re.compile(r"^\W*[A-Z][A-Za-z .'’/-]{1,40}[,(]\s*\(?$")
DATELINE_WORDS = 8


@dataclass(frozen=True)
class FoundDate:
    iso: str
    span: Span


def find_dates(text: str, start: int = 0, end: int | None = None, *, day_first: bool = False) -> list[FoundDate]:
    """Every full date (day, month and year) in ``text[start:end]``, in text order; an
    ambiguous numeric date read day first when ``day_first``."""
    end = len(text) if end is None else end
    found: dict[int, FoundDate] = {}
    starts: list[int] = []  # of the dates found so far, which never overlap: sorted, their ends sorted too
    if not _may_hold_a_year(text, start, end):
        return []  # a quick look saves the seven searches
    for pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            iso = _iso(m, day_first and pattern is _SLASHED)
            k = bisect_left(starts, m.end())  # the dates that start before this one ends; the last ends last
            if iso and not (k and found[starts[k - 1]].span.end > m.start()):
                found[m.start()] = FoundDate(iso, Span(m.start(), m.end()))
                insort(starts, m.start())
    return [found[k] for k in starts]


def _may_hold_a_year(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (its bounds taken as a search takes them) holds "19" or "20", as the
    year of every date the patterns read does."""
    start, end = max(start, 0), max(end, 0)
    return text.find("19", start, end) >= 0 or text.find("20", start, end) >= 0


def _iso(m: re.Match, swap: bool = False) -> str | None:
    month, day, year = m.group("month"), int(m.group("day")), int(m.group("year"))
    month_num = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
    orders = [(month_num, day), (day, month_num) if month.isdigit() else (month_num, day)]
    for mm, dd in (orders[::-1] if swap else orders):
        try:
            return date(year, mm, dd).isoformat()
        except (TypeError, ValueError):
            continue
    return None


def document_date(all_lines: list[Line], skip: set[int], *, days_first: bool = False) -> tuple[str, Span] | None:
    """The document's date: the first date that opens a line, stands in a short dateline
    ("Geneva, 4 April 2023"), or that the text gives as the document's own ("Posted on ...",
    "This petition was opened on ...").  A date inside running text is not the document's.

    >>> from kg.extract.text import lines
    >>> document_date(lines("Title\\n\\nIn 2014, on 3 August 2014, it began.\\n\\nPosted on Aug 3, 2024 by the editors\\n"), set())
    ('2024-08-03', Span(start=55, end=66))
    """
    for i, line in enumerate(all_lines):
        if i in skip or line.blank:
            continue
        dates = find_dates(line.text, day_first=days_first)
        if len(dates) > 1:  # "Last updated 3 Feb 2021 | First published 14 Jan 2021": the first publication's date
            dates = [d for d in dates if not _UPDATED.search(line.text[max(0, d.span.start - 40):d.span.start])] or dates
        for found in dates:
            if _is_own(line.text, found):
                span = Span(line.start + found.span.start, line.start + found.span.end)
                return found.iso, span
    return None


def _place_before(before: str) -> bool:
    """What a dateline puts before "…, date": places, a weekday, a name, in capitals but for
    small words ("Bamako and London,", "Monday,", "By Jane Doe,"); a photo's caption says
    what it shows ("A vigil in Kigali,").  Other lead-ins ("Petition started on") pass."""
    if not before.rstrip().endswith(","):
        return True
    small = {"and", "of", "the", "by", "on", "de", "du", "la", "le", "in", "at", "&", "-", "–", "—", "|", "/"}
    words = re.findall(r"[^\s,;:()]+", before)
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small or not w[:1].isalpha() for w in words)


def _is_own(text: str, found: FoundDate) -> bool:
    before, after = text[: found.span.start], text[found.span.end:].strip()
    if not before.strip("*_#>|-–— \t"):
        return True
    if len(text.split()) <= DATELINE_WORDS and (not after.endswith((".", "!", "?")) or len(after) <= 1) \
            and _place_before(before):
        return True  # "Geneva, 4 April 2023", but not a short sentence, nor a photo's caption ("A vigil in Kigali, ...")
    if _OWN_LEAD.match(before) or _KIND_LEAD.match(before):
        return True
    if not after.strip("*_ ") and before.rstrip(" *_").endswith(",") and len(text.split()) <= 2 * DATELINE_WORDS \
            and _place_before(before.rstrip(" *_")):
        return True  # a long dateline alone on its line: "Upper Town and Lower Town City, 2 November 2025"
    if _BYLINE_DASH.match(before) and not after.strip("*_ "):
        return True  # a byline ending in the date: "Jane Doe in Lake Town — 19 February 2025"
    if _PLACE.match(before) and re.match(r"^\)?\s*(?:\([^()]{1,60}\)\s*)?[–—-]", text[found.span.end:]):
        return True  # a press release's or a wire's dateline: "GENEVA, 12 September 2022 (Agency) – ..."
    if _own_cell(text, found):
        return True
    return bool(_OWN_SENTENCE.search(before))


_BYLINE_DASH = re.compile(r"^[*_\s]*(?:[Bb]y\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|in|at|and|de|da|van|von|al|el|bin)){1,9}"
                          r"\s+[—–-]\s*$")
_CELL = re.compile(r"\s+[|·•]\s+")
_TIME = re.compile(r"^[,\s]*(?:(?:at\s+)?\d{1,2}[.:]\d\d(?:\s*(?:am|pm|a\.m\.|p\.m\.))?(?:\s+[A-Z]{2,5})?)?\s*$", re.I)


_UPDATED = re.compile(r"\b(?:updated|modified|revised|edited)\b[^|·•\d]{0,12}$", re.I)
SECTION_LABEL = re.compile(r"\W*(?:news|statements?|press(?:\s+releases?)?|blog|stor(?:y|ies)|articles?|analysis|opinion|"
                           r"updates?|reports?|commentary|publications?|features?|insights?|media)\s*", re.I)


def _own_cell(text: str, found: FoundDate) -> bool:
    """A page's or a bulletin's meta line, in cells ("By Jane Doe | The Dispatch | October 6, 2023,
    09:40", "News · 4 May 2022 · 3 min read"): the date alone in its cell, or after a weekday, a
    lead-in ("Published:"), and before a time."""
    cuts = [m for m in _CELL.finditer(text)]
    if not cuts:
        return False
    start = max((m.end() for m in cuts if m.end() <= found.span.start), default=0)
    end = min((m.start() for m in cuts if m.start() >= found.span.end), default=len(text))
    before, after = text[start:found.span.start], text[found.span.end:end]
    lead = re.sub(r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?", "", before, flags=re.I)
    label = SECTION_LABEL.fullmatch(lead) and start == 0  # a section's label first ("Statement 13 Mar 2024 · ...")
    return (not lead.strip() or bool(_OWN_LEAD.match(lead)) or bool(label)) and bool(_TIME.match(after))
