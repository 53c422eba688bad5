"""Dates in the forms documents use, as ISO dates with their spans.

>>> [d.iso for d in find_dates("Sent 14 January 2021, again on January 14, 2021, 2021-01-14, 12/19/2022, Sep 15, 2020")]
['2021-01-14', '2021-01-14', '2021-01-14', '2022-12-19', '2020-09-15']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..records import Span

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}
for _name, _num in list(MONTHS.items()):
    MONTHS[_name[:3]] = _num
MONTHS["sept"] = 9
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_PATTERNS = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<year>(?:19|20)\d\d)(?!\d)", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),
]


@dataclass(frozen=True)
class FoundDate:
    iso: str
    span: Span


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[FoundDate]:
    """Every full date (day, month and year) in ``text[start:end]``, in text order."""
    end = len(text) if end is None else end
    found: dict[int, FoundDate] = {}
    for pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            iso = _iso(m)
            if iso and not any(m.start() < f.span.end and f.span.start < m.end() for f in found.values()):
                found[m.start()] = FoundDate(iso, Span(m.start(), m.end()))
    return [found[k] for k in sorted(found)]


def _iso(m: re.Match) -> str | None:
    month = m.group("month")
    month_num = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
    try:
        return date(int(m.group("year")), month_num, int(m.group("day"))).isoformat()
    except (TypeError, ValueError):
        return None
