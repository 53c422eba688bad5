"""Signature blocks: who signed, in which order, as organisation or person, with affiliations.

Consumes the document text and its structure (the closing line); creates
:class:`kg.records.Signature` records.  Lines wrapped by a PDF are joined back into one entry;
footnote URLs, page numbers and page furniture inside the block are skipped.

>>> text = "Yours sincerely,\\nAegis Trust\\n\\nJane Q. Doe, Professor of Law, Example University\\n"
>>> [(s.name, s.kind) for s in signatures(text, closing_line=0)]
[('Aegis Trust', 'organization'), ('Jane Q. Doe', 'person')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Affiliation, Span, Signature
from .dates import find_dates
from .furniture import is_furniture_line
from .text import Line, lines, squash

ORG_WORDS = {
    "trust", "centre", "center", "project", "institute", "foundation", "society", "watch", "alert",
    "coalition", "approaches", "peace", "genocide", "rights", "human", "university", "college",
    "school", "council", "committee", "association", "network", "initiative", "forum", "campaign",
    "group", "international", "programme", "program", "office", "ministry", "department", "agency",
    "union", "league", "federation", "alliance", "commission", "fund", "church", "movement",
    "partners", "services", "museum", "memorial", "congress", "party", "government", "amnesty",
    "freedom", "justice", "action", "voice", "law", "studies", "clinic", "lab", "laboratory",
    "organization", "organisation", "consortium", "collective", "board", "academy", "secretariat",
    "mission", "forecasting", "prevention", "protection", "holocaust", "srebrenica", "uyghur",
    "world", "global", "national", "european", "council", "caucus", "assembly", "parliament",
    "press", "media", "news", "club", "bar", "chapter", "inc", "ltd", "llc", "ngo", "aid", "relief",
    "refugees", "women", "youth", "students", "workers", "community", "communities", "without",
}
ROLE_WORDS = {
    "director", "co-director", "professor", "president", "vice-president", "fellow", "chair",
    "chairman", "chairwoman", "chairperson", "co-chair", "founder", "co-founder", "lecturer",
    "researcher", "senator", "mp", "mep", "member", "secretary", "executive", "officer", "head",
    "dean", "coordinator", "manager", "advisor", "adviser", "rapporteur", "ambassador", "minister",
    "judge", "lawyer", "attorney", "journalist", "editor", "scholar", "emeritus", "chancellor",
    "rector", "trustee", "ceo", "representative", "deputy", "partner", "counsel", "analyst",
    "student", "candidate", "curator", "commissioner", "former", "senior", "associate", "assistant",
    "principal", "chief", "leader", "spokesperson", "author", "historian", "activist", "survivor",
    "pastor", "rabbi", "imam", "bishop", "archbishop", "reverend", "baroness", "lord", "lady", "sir",
    "dr", "prof", "professorial", "visiting", "distinguished", "honorary", "general", "congressman",
    "congresswoman", "representative", "mayor", "governor", "councillor", "peer",
}
DANGLING = {"and", "of", "the", "for", "de", "del", "della", "da", "do", "du", "&", "at", "in", "on",
            "von", "van", "der", "la", "le", "y", "e", "et", "und", "to", "with"}
PARTICLES = {"von", "van", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "bin",
             "binti", "al", "el", "ibn", "ten", "ter", "dos", "das", "y"}
PERSON_START = re.compile(r"^(?P<name>[^,()]{3,60}?)\s*,\s*(?P<rest>\S.*)$", re.S)
END_OF_BLOCK = re.compile(r"^\s*(cc|c\.c\.|copy to|contact|contacts|media contact|for more information|"
                          r"press contact|enclosure|annex|attachment|p\.s\.|notes?|footnotes?|references)\b", re.I)
URL_LINE = re.compile(r"^\s*(https?://|www\.)\S+\s*$")


def looks_like_person_name(name: str) -> bool:
    """Two to five capitalised words or initials, none of them a word organisations use.

    >>> looks_like_person_name("Elisa von Joeden-Forgey"), looks_like_person_name("Genocide Watch")
    (True, False)
    """
    tokens = name.split()
    if not 2 <= len(tokens) <= 6:
        return False
    capitals = 0
    for token in tokens:
        bare = token.strip(".,'’\"()").lower()
        if bare in ORG_WORDS or bare in ROLE_WORDS - {"sir", "lady", "lord"}:
            return False
        if token[:1].isupper():
            capitals += 1
        elif bare not in PARTICLES:
            return False
        if any(ch.isdigit() for ch in token):
            return False
    return capitals >= 2


def _person_start(text: str) -> re.Match | None:
    m = PERSON_START.match(text)
    if m and looks_like_person_name(m.group("name")):
        return m
    return None


@dataclass
class _Entry:
    lines: list[Line]

    @property
    def span(self) -> Span:
        return Span(self.lines[0].span.start, self.lines[-1].span.end)


def signatures(text: str, closing_line: int | None) -> list[Signature]:
    """The signatures listed after the closing line, in order."""
    if closing_line is None:
        return []
    all_lines = lines(text)
    entries = _entries(all_lines[closing_line + 1:])
    out = []
    for entry in entries:
        signature = _signature(text, entry, len(out) + 1)
        if signature is not None:
            out.append(signature)
    return out


def _entries(block: list[Line]) -> list[_Entry]:
    entries: list[_Entry] = []
    blank_before = True
    for line in block:
        text = line.stripped
        if not text:
            blank_before = True
            continue
        if URL_LINE.match(text) or re.fullmatch(r"\d{1,3}|page \d+( of \d+)?", text, re.I):
            continue  # footnote links and page numbers between the lines of a block
        if _ends_block(text, entries):
            break
        if entries and _continues(entries[-1], text, blank_before):
            entries[-1].lines.append(line)
        else:
            entries.append(_Entry([line]))
        blank_before = False
    return entries


def _ends_block(text: str, entries: list[_Entry]) -> bool:
    if is_furniture_line(text) or END_OF_BLOCK.match(text):
        return True
    found = find_dates(text)
    if found and found[0].span.start <= 1:
        return True  # "Sep 15, 2020 Author": a byline after the post
    words = text.split()
    if len(words) >= 2 and text.isupper() and len(text) > 6:
        return True  # "MAKE A DONATION"
    if len(words) > 16 and text.endswith(".") and not _person_start(text) and text[:1].isupper():
        return True  # running text again
    return False


def _continues(entry: _Entry, text: str, blank_before: bool) -> bool:
    previous = entry.lines[-1].stripped
    last_word = previous.split()[-1].lower() if previous.split() else ""
    if previous.endswith((",", "-", "–", "&")) or last_word in DANGLING:
        return True
    if text[:1].islower() or text[:1] in "([":
        return True
    if blank_before:
        return False
    if _person_start(text):
        return False
    first = squash(" ".join(l.stripped for l in entry.lines))
    return _person_start(first) is not None  # a person's entry wraps; organisations rarely do


def _signature(text: str, entry: _Entry, position: int) -> Signature | None:
    span = entry.span
    raw = text[span.start:span.end]
    flat = squash(raw).rstrip(".;")
    if len(flat) < 3 or not flat[:1].isalnum():
        return None
    person = _person_start(flat)
    if person and not person.group("rest")[:1].islower():
        return _person(text, span, position, person.group("name"), person.group("rest"))
    titled = _name_then_role(flat)
    if titled:
        name, role = titled
        return _person(text, span, position, name, role)
    return _organization(text, span, position, flat)


def _name_then_role(flat: str) -> tuple[str, str] | None:
    """"Agnès Callamard Secretary General": a name followed by an office, no comma."""
    tokens = flat.split()
    for k in range(2, min(5, len(tokens))):
        name, role = tokens[:k], tokens[k:]
        if role and role[0].lower().strip(".") in ROLE_WORDS and looks_like_person_name(" ".join(name)):
            return " ".join(name), " ".join(role)
    return None


def _name_span(text: str, span: Span, name: str) -> Span:
    start = text.find(name.split()[0], span.start, span.end)
    start = span.start if start < 0 else start
    last = name.split()[-1]
    end = text.find(last, start, span.end)
    return Span(start, end + len(last)) if end >= 0 else Span(start, start + len(name))


def _person(text: str, span: Span, position: int, name: str, rest: str) -> Signature:
    return Signature(position=position, name=name.strip(), kind="person", span=span,
                     name_span=_name_span(text, span, name.strip()),
                     affiliations=tuple(affiliations(rest, span)))


def _organization(text: str, span: Span, position: int, flat: str) -> Signature:
    head = flat.split(",")[0].strip() if "," in flat else flat
    rest = flat[len(head):].lstrip(", ")
    name = head if rest and (rest[:1].islower() or _is_parent(rest)) else flat
    return Signature(position=position, name=name, kind="organization", span=span,
                     name_span=_name_span(text, span, name))


def _is_parent(rest: str) -> bool:
    """The part after a comma names a parent institution ("…, Keene State College")."""
    words = {w.strip(".,()").lower() for w in rest.split()}
    return bool(words & {"university", "college", "school", "institute", "academy", "faculty"})


def affiliations(rest: str, span: Span) -> list[Affiliation]:
    """Split "Title, Institution and Title, Institution" into affiliations.

    >>> [(a.role, a.organization) for a in affiliations("Director, Genocide Watch", Span(0, 1))]
    [('Director', 'Genocide Watch')]
    """
    parts = _segments(rest)
    found: list[list[str | None]] = []
    for raw_part in parts:
        part = re.sub(r"^(and|&)\s+", "", raw_part)
        member = re.match(r"^(?:a\s+)?(member)\s+of\s+(?:the\s+)?(?P<org>.+)$", part, re.I)
        if member:
            found.append(["member", member.group("org")])
        elif _is_role(part):
            found.append([part, None])
        elif found:
            found[-1][1] = part if found[-1][1] is None else f"{found[-1][1]}, {raw_part}"
        else:
            found.append([None, part])
    return [Affiliation(role=r, organization=o, span=span) for r, o in found if r or o]


def _segments(rest: str) -> list[str]:
    rest = squash(rest).rstrip(".;")
    pieces = [p.strip() for p in rest.split(",")]
    out: list[str] = []
    for piece in pieces:
        split = re.split(r"\s+and\s+(?=(?:[A-Z][\w-]*\s+){0,3}?(?:" + "|".join(sorted(w.title() for w in ROLE_WORDS)) + r")\b|member\s+of\b)", piece)
        out.extend(s.strip() for s in split if s.strip())
    return out


def _is_role(part: str) -> bool:
    words = [w.strip(".()").lower() for w in part.split()[:5]]
    if not words:
        return False
    for word in words:
        if word in ROLE_WORDS and word not in {"general", "former", "senior", "associate", "assistant", "visiting", "distinguished", "honorary"}:
            return True
        if word in ORG_WORDS:
            return False
    return False


def with_reported_signers(x):
    return x
