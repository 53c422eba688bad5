"""Page furniture: the lines of a captured web page that are not the document.

Menus, "Skip to main content", share buttons, tweets, newsletter boxes, cookie notices,
"You might also like", footers, adverts and photo captions stay in the stored text (so that
offsets stay honest) but are marked here so that extraction skips them.

>>> is_furniture_line("  • About Us")
True
>>> is_furniture_line("We call on all states to act.")
False
"""

from __future__ import annotations

import re

from ..records import Span
from .text import Line

_EXACT = re.compile(
    r"^(skip to (main )?content|skip to navigation|menu|search|share|share this|tweet|print|email|"
    r"follow|load more\.*|you might also like|related( articles| stories| posts)?|read more|"
    r"read the (full )?(letter|blog|report|statement)|advertisement|sponsored|cookie settings|"
    r"accept( all)?( cookies)?|sign up|subscribe|donate|privacy policy|terms of use|sitemap|"
    r"latest news|site links|get in contact|send us an email|make a donation|support us|"
    r"back to top|home|next|previous|close|open menu|comments?)\s*:?$", re.I)
_PATTERNS = [
    re.compile(r"^\s*[•·▪►»]\s"),  # menu bullets
    re.compile(r"^\s*https?://\S+\s*$"),  # a bare URL (footnote links, tweets)
    re.compile(r"^\s*www\.\S+\s*$"),
    re.compile(r"@\w+\s*·|\bRetweeted\b|^\s*\d+\s*[hm]\s*$|Twitter\s*$|^\s*pic\.twitter\.com", re.I),
    re.compile(r"©|\(c\)\s*(19|20)\d\d|all rights reserved|privacy policy|cookie", re.I),
    re.compile(r"\b(newsletter|subscribe|sign up today|sign up for)\b", re.I),
    re.compile(r"/(The )?(Associated Press|AP|Reuters|AFP|Getty Images|EPA|Bloomberg)\s*$|^\s*(Photo|Image|Credit|Photograph):", re.I),
    re.compile(r"^\s*(registered charity|registered company|website (developed|designed) by)", re.I),
    re.compile(r"^\s*(share|follow us|like us) on\b", re.I),
    re.compile(r"^\s*page \d+( of \d+)?\s*$|^\s*\d{1,3}\s*$", re.I),  # page numbers
]


def is_furniture_line(line: str) -> bool:
    """True for a line that belongs to a page's furniture, not to its document."""
    text = line.strip()
    if not text:
        return False
    if _EXACT.match(text):
        return True
    return any(p.search(line) for p in _PATTERNS)


def furniture_lines(all_lines: list[Line]) -> set[int]:
    """Indexes of furniture lines, with breadcrumbs (a line ending in the next heading)."""
    marked = {i for i, line in enumerate(all_lines) if is_furniture_line(line.text)}
    texts = [line.stripped for line in all_lines]
    for i, text in enumerate(texts):
        if i in marked or len(text) < 20:
            continue
        for j in range(i + 1, min(i + 4, len(texts))):
            later = texts[j]
            if later and len(later) >= 15 and text != later and text.endswith(later):
                marked.add(i)  # "Home > News > Title" above "Title"
    return marked


def regions(all_lines: list[Line], marked: set[int]) -> tuple[Span, ...]:
    """Marked lines merged into spans (blank lines between marked lines join them)."""
    spans: list[Span] = []
    for i in sorted(marked):
        line = all_lines[i]
        if spans and _only_blank_between(all_lines, spans[-1].end, line.start):
            spans[-1] = Span(spans[-1].start, line.end)
        else:
            spans.append(Span(line.start, line.end))
    return tuple(spans)


def _only_blank_between(all_lines: list[Line], end: int, start: int) -> bool:
    return all(l.blank for l in all_lines if l.start > end and l.end < start)
