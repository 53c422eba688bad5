"""Organisations as signature blocks write them: a name, and what follows it that is not the
name (a country, a town, a parent institution); and a run of names in one paragraph.

Shared by :mod:`kg.extract.signatories`.

>>> organization("Example Forum, Nairobi, Kenya", Span(0, 29), 1, "Example Forum, Nairobi, Kenya", "organization").name
'Example Forum'
>>> named_items("Example Watch, Lakeside Justice Project and Centre for Land, Peace and Indigenous Rights")
['Example Watch', 'Lakeside Justice Project', 'Centre for Land, Peace and Indigenous Rights']
"""

from __future__ import annotations

import re

from ..records import Signature, Span
from .names import has_org_head, is_country, is_place, split_list

TRAILING_COUNTRY = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<paren>[^)]+)\)|\s[–—-]\s(?P<dash>[^,]+)|,\s*(?P<comma>[^,]+))\s*$")
BRANCH = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}(?:chapter|branch|section|office|unit)", re.I)
FOR_TOPIC = re.compile(r"\b(?:for|of|on|against)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?$")
LAST_BRACKETS = re.compile(r"\s*\((?P<where>[^()]+)\)\s*$")
COUNTRY_BREAK = re.compile(r"\s*(?:/|,|;|&|\band\b)\s*")
TOWN_AFTER = re.compile(r"^(?P<head>.+?)(?:,\s*(?P<comma>[^,]+)|\s+[–—-]\s+(?P<dash>[^,–—-]+)|\s*\((?P<paren>[^()]+)\))\s*$")
LIST_BREAK = re.compile(r",\s*(?:and\s+|&\s+)?|;\s*")


def organization(text: str, span: Span, position: int, flat: str, kind: str | None) -> Signature:
    """An organisation's entry (``kind`` None: a bare name that may be a person's)."""
    name, country = flat, None
    m = TRAILING_COUNTRY.match(flat)
    where = m and (m.group("paren") or m.group("dash") or m.group("comma"))
    paren = LAST_BRACKETS.search(flat)
    if paren and _countries(paren.group("where")):  # "Centre for Dialogue, Abidjan (Côte d'Ivoire)", "(Kenya/Uganda)"
        name, country = flat[:paren.start()].strip(), paren.group("where").strip()
    elif where and is_country(where):
        name, country = m.group("name").strip(), where.strip()
    elif paren and BRANCH.fullmatch(paren.group("where").strip()):  # "Example Union (Lakeside chapter)"
        name = flat[:paren.start()].strip()
    name = without_town(name)
    if country is None and "," in name:
        head = name.split(",")[0].strip()
        rest = name[len(head):].lstrip(", ")
        name = head if rest[:1].islower() or names_parent(rest) else name
    return Signature(position=position, name=name, kind=kind, span=span,
                     name_span=name_span(text, span, name), country=country)


def _countries(where: str) -> bool:
    """"Kenya", "Kenya/Uganda", "UK and Ireland": one country or several."""
    parts = [p for p in COUNTRY_BREAK.split(where) if p.strip()]
    return is_country(where) or bool(parts) and all(is_country(p) for p in parts)


def without_town(name: str) -> str:
    """"Baltic Peace Council, Tallinn", "... – Tallinn", "... (Tallinn)" -> "Baltic Peace Council"."""
    while True:
        m = TOWN_AFTER.match(name)
        tail = m and (m.group("comma") or m.group("dash") or m.group("paren"))
        if not tail or not (is_place(tail.strip()) and has_org_head(m.group("head"))) or _quote_open(m.group("head")):
            return name  # 'Association "Women of X – Mothers of Y"': the dash is inside the quoted name
        name = m.group("head").strip()


def _quote_open(head: str) -> bool:
    return head.count('"') % 2 == 1 or head.count("“") > head.count("”") or head.count("„") > head.count("“")


def names_parent(rest: str) -> bool:
    """The part after a comma names a parent institution ("…, Keene State College")."""
    words = {w.strip(".,()").lower() for w in rest.split()}
    return bool(words & {"university", "college", "school", "institute", "academy", "faculty", "department"})


def named_items(listed: str) -> list[str]:
    """Organisations in one comma-separated run: "A, B and C", where any part may hold the
    "and" that ends the list, and a name may itself hold commas and "and" ("Centre for Land,
    Peace and Indigenous Rights": the words after "for X" that name no institution are its own)."""
    parts = [p.strip() for p in LIST_BREAK.split(listed) if p.strip()]
    single = sum(1 for p in parts if len(p.split()) == 1) >= 2
    items: list[str] = []
    for part in parts:
        pieces = split_list(part) if " and " in part or " & " in part else [part]
        pieces = [x for x in pieces if x]
        if len(pieces) > 1 and (_topic_after(pieces[0], pieces[1]) or not single and any(len(x.split()) < 2 for x in pieces)):
            pieces = [part]
        for piece in pieces:
            if items and _topic_after(items[-1], piece):
                items[-1] = f"{items[-1]}, {piece}"
            else:
                items.append(piece)
    return items


def _topic_after(name: str, nxt: str) -> bool:
    """``nxt`` continues a name that ends "for X" rather than naming an institution."""
    return bool(FOR_TOPIC.search(name)) and len(nxt.split()) <= 4 and not has_org_head(nxt) \
        and not is_country(nxt) and nxt[:1].isupper()


def located(items: list[str]) -> bool:
    """"Example Forum, Nairobi, Kenya": one organisation and where it is, not three."""
    if all(is_country(i) for i in items):
        return False
    return is_country(items[-1]) or all(is_place(i) for i in items[1:])


def name_span(text: str, span: Span, name: str) -> Span:
    start = text.find(name.split()[0], span.start, span.end)
    start = span.start if start < 0 else start
    last = name.split()[-1]
    end = text.find(last, start, span.end)
    return Span(start, end + len(last)) if end >= 0 else Span(start, start + len(name))


def find_span(text: str, within: Span, item: str) -> Span:
    start = text.find(item, within.start, within.end)
    return Span(start, start + len(item)) if start >= 0 else within
