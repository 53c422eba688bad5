"""Quotations with their speakers, and rebuttals with their authors: reported speech.

Consumes a document's text, its body and its furniture regions; creates
:class:`kg.records.Quotation` and :class:`kg.records.Rebuttal` records.  A quotation's span is the
words inside the marks (curly or straight double quotes; single quotes nested in them or used
alone); an apostrophe between letters ("China’s", "don't") is not a quotation mark.  A quotation
may run across a page break: when the paragraph ends mid-sentence and what lies between it and
the next paragraph is page furniture or a blank, the quotation goes on (``Quotation.gaps`` are
the regions inside it that are not the speaker's words).

>>> text = 'The minister said: “We don’t torture anyone.” Critics disagreed.'
>>> [(text[q.span.start:q.span.end], q.speaker) for q in quotations(text, Span(0, len(text)), ())]
[('We don’t torture anyone.', None)]
"""

from __future__ import annotations

import re

from ..records import Quotation, Rebuttal, Span
from .acts import Lexicon
from .signatories import looks_like_person_name
from .text import squash

OPEN_DOUBLE, CLOSE_DOUBLE = "“„", "”"
MAX_QUOTE = 3000
REPORTING = (r"said|says|say|told|tells|stated|states|wrote|writes|added|adds|warned|warns|noted|notes|declared|"
             r"reported|reports|"
             r"argued|argues|insisted|explained|explains|remarked|commented|tweeted|announced|asserted|claimed|"
             r"claims|concluded|found|observed|described|called|urged|urges|(?:have|has|had)\s+(?:\w+\s+)?"
             r"(?:raised|expressed|voiced)\s+(?:\w+\s+)?concerns?\s+(?:about|over|that)|(?:have|has|had)\s+"
             r"referred\s+to|referred\s+to|rejected|denied|dismissed|according\s+to")
PRE = re.compile(rf"(?P<who>[^.!?;:“”\"]*?)\s+(?:(?:have|has|had)\s+)?(?P<verb>{REPORTING})\b[^“”\"]*$", re.I)
ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^,“”\"]+),?\s*$", re.I)
POST = re.compile(r"^[\s,]*(?:(?P<verb1>said|says|added|wrote|told|stated|asked|explained)\s+(?P<who1>[^,.;:“”\"\n]+?)"
                  r"(?=\s*(?:[,.;:]\s|[,.;:]?$))|(?P<who2>[^,.;:“”\"\n]+?)\s+(?:(?:has|have|had)\s+)?"
                  r"(?:said|says|added|wrote|told|stated|asked|explained)\b)")
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "who", "which"}
GENERIC = re.compile(r"^(?:the|a|an|this|that|these|those|some|many|other|several|its|their)?\s*"
                     r"(?:letter|statement|report|document|petition|groups?|observers?|critics?|activists?|"
                     r"sources?|officials?|experts?|people|authorities|reports|studies|evidence|analysts?|"
                     r"organi[sz]ations?|signatories|others|article|convention|submission)\b", re.I)
OFFICE = re.compile(r"^(?:[Tt]he\s+)?(?:[a-z][\w’'-]*\s+){1,4}(?:at|of|from|in)\s+(?:the\s+)?(?P<org>[A-Z].*)$")
REJECTION = re.compile(
    r"\b(?P<verb>reject(?:ed|s)?|den(?:y|ies|ied)|dismiss(?:ed|es)?|refut(?:ed|es)?|repudiat(?:ed|es)?|"
    r"dispute[sd]?)\s+(?P<what>(?:the\s+|such\s+|these\s+|those\s+|all\s+|any\s+|its\s+|their\s+)?"
    r"(?:[\w’'-]+\s+){0,3}?(?:allegations?|accusations?|claims?|charges?|reports?|letter|findings|"
    r"statement|assertions?|criticism))\b", re.I)


def quotations(text: str, body: Span, furniture: tuple[Span, ...], lex: Lexicon | None = None) -> list[Quotation]:
    """Every quotation in the body, nested ones included, in text order."""
    out: list[Quotation] = []
    pos = body.start
    while pos < body.end:
        opening = _next_opening(text, pos, body.end, furniture)
        if opening is None:
            break
        found = _closed(text, opening, body, furniture)
        if found is None:
            pos = opening + 1
            continue
        close, gaps = found
        span = _inner(text, opening + 1, close)
        if span is not None:
            speaker = speaker_of(text, opening, close, body, out, lex)
            out.append(Quotation(span, speaker, tuple(g for g in gaps if span.start < g.start < span.end)))
            out += _nested(text, span, furniture)
        pos = close + 1
    return out


def _in(pos: int, regions) -> bool:
    return any(r.start <= pos < r.end for r in regions)


OPENING = re.compile(r"[“„\"‘']")
MARK = re.compile(r"\n[ \t\xa0]*\n|[“„”\"‘’']")


def _next_opening(text: str, pos: int, end: int, furniture) -> int | None:
    for m in OPENING.finditer(text, pos, end):
        i = m.start()
        if (text[i] in OPEN_DOUBLE or _opens(text, i)) and not _in(i, furniture):
            return i
    return None


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:/") and not after.isspace()


def _closes(text: str, i: int, mark: str) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace():
        return False
    if mark in "’'":  # an apostrophe sits between letters: China’s, don't
        return not (before.isalnum() and after.isalnum())
    return True


def _closed(text: str, opening: int, body: Span, furniture) -> tuple[int, list[Span]] | None:
    """The closing mark of the quotation opened at ``opening``, and the gaps it runs across."""
    single = text[opening] in "‘'"
    closers = "’'" if single else CLOSE_DOUBLE + '"'
    gaps: list[Span] = []
    i, limit = opening + 1, min(body.end, opening + MAX_QUOTE)
    while True:
        m = MARK.search(text, i, limit)
        if m is None:
            return None
        i, c = m.start(), text[m.start()]
        if c == "\n":  # a paragraph break: the quotation goes on only across a page break
            resumed = _page_break(text, i, limit, furniture)
            if resumed is None or single:
                return None
            gaps.append(Span(i, resumed))
            i = resumed
            continue
        if not single and (c in OPEN_DOUBLE or c == '"' and text[opening] != '"' and _opens(text, i)):
            return None  # a new quotation opens before this one closes
        if c in closers and (c != '"' or text[opening] == '"' or not _opens(text, i)) and _closes(text, i, c):
            return i, gaps
        i += 1


def _page_break(text: str, i: int, limit: int, furniture) -> int | None:
    """Where the text resumes after a paragraph break that falls inside a sentence (a page break):
    the paragraph ends without closing punctuation, and the next one starts in lower case or
    the break holds page furniture."""
    if re.search(r"[.!?]\s*$", text[max(0, i - 3):i]) and not re.search(r"\.\s\.\s\.\s*$", text[max(0, i - 8):i]):
        return None
    j, crossed = i, False
    while j < limit:
        m = re.match(r"\s+", text[j:limit])
        if m:
            j += m.end()
            continue
        region = next((r for r in furniture if r.start <= j < r.end), None)
        if region is None:
            break
        crossed, j = True, region.end
    if j >= limit or not (crossed or text[j].islower()):
        return None
    return j


def _inner(text: str, start: int, end: int) -> Span | None:
    raw = text[start:end]
    lead, trail = len(raw) - len(raw.lstrip()), len(raw.rstrip())
    if trail <= lead or not re.search(r"\w", raw):
        return None
    return Span(start + lead, start + trail)


def _nested(text: str, span: Span, furniture) -> list[Quotation]:
    """Single-quoted words inside a double-quoted quotation."""
    out, pos = [], span.start
    while pos < span.end:
        i = next((k for k in range(pos, span.end) if text[k] in "‘'" and _opens(text, k)), None)
        if i is None:
            break
        j = next((k for k in range(i + 1, span.end + 1) if text[k] in "’'" and _closes(text, k, text[k])), None)
        inner = _inner(text, i + 1, j) if j is not None else None
        if inner is not None:
            out.append(Quotation(inner))
        pos = (j if j is not None else i) + 1
    return out


# ------------------------------------------------------------------------------------------------
# Speakers
# ------------------------------------------------------------------------------------------------

def speaker_of(text: str, opening: int, close: int, body: Span, earlier: list[Quotation],
               lex: Lexicon | None = None) -> str | None:
    """Who said the quoted words, where the text says: "X said", "X told", "according to X",
    a pronoun for the last person quoted, or the speaker of a quotation joined by "and that"."""
    start = _sentence_start(text, opening, body.start)
    before = text[start:opening]
    m = ACCORDING.search(before) or PRE.search(before)
    who = m.group("who") if m else None
    if (who is None or not _agent(who)) and not re.search(r"[.!]\W*$", text[max(0, close - 2):close]):
        post = POST.match(text[close + 1:min(body.end, close + 160)])  # “...,” she said.
        if post:
            who = post.group("who1") or post.group("who2")
    if who and who.strip().lower() in ("he", "she"):
        return next((q.speaker for q in reversed(earlier) if q.speaker and looks_like_person_name(q.speaker)), None)
    if (who is None or not _agent(who)) and earlier and earlier[-1].speaker:
        joined = text[earlier[-1].span.end:opening]
        if re.fullmatch(r"[”\"’',.\s]*(?:and|or|but)?\s*(?:that|as|:)?\s*", joined):
            return earlier[-1].speaker  # “...” and that “...”
        if not re.search(r"\n\s*\n|[“”\"]", joined[1:]) and len(joined) < 200 and not who:
            return earlier[-1].speaker  # “...,” said X. “...” (the same paragraph goes on quoting X)
    return agent_name(who, lex) if who and _agent(who) else None


def _sentence_start(text: str, pos: int, floor: int) -> int:
    """The start of the sentence or clause a quotation opens in."""
    window = text[max(floor, pos - 300):pos]
    cut = max((m.end() for m in re.finditer(r"[.!?][”\"’]?\s+(?=[A-Z“\"])|\n\s*\n", window)), default=0)
    return max(floor, pos - 300) + cut


def _agent(phrase: str) -> bool:
    words = squash(phrase).strip(" ,;:-–—").split()
    if not words or len(words) > 14 or words[0].lower() in PRONOUNS - {"he", "she"}:
        return False
    if words[0].lower() in ("he", "she"):
        return len(words) == 1
    if GENERIC.match(" ".join(words)) and not any(w[:1].isupper() for w in words[1:]):
        return False
    return any(w[:1].isupper() for w in (words[1:] if words[0].lower() in ("the", "a", "an") else words)) \
        or words[0][:1].isupper() and words[0].lower() not in ("the", "a", "an", "but", "and")


def agent_name(phrase: str, lex: Lexicon | None = None) -> str:
    """A speaker or author as a name: "Sarah Brooks of the ISHR" -> "Sarah Brooks", "the
    spokesperson's office at the Chinese foreign ministry" -> "Chinese foreign ministry"."""
    phrase = squash(phrase).strip(" ,;:-–—")
    phrase = re.sub(r"^(?:but|and|however|instead|meanwhile|in\s+a\s+statement|on\s+\w+day)[,\s]+", "", phrase, flags=re.I)
    phrase = re.sub(r"\s+(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year)$",
                    "", phrase)
    person = re.match(r"^(?P<name>(?:[A-Z][\w’'.-]+\s+){1,3}[A-Z][\w’'-]+)\s*(?:,|\bof\b|\bfrom\b|\bat\b)", phrase)
    if person and looks_like_person_name(person.group("name")) and person.group("name").split()[0] not in ("The", "A"):
        return person.group("name")
    office = OFFICE.match(phrase)
    if office:
        return re.sub(r"^the\s+", "", office.group("org"), flags=re.I)
    if lex is not None:  # "U.N. human rights chief Michelle Bachelet": a person the gazetteer knows
        persons = [phrase[s:e] for s, e, v in lex.names.find(phrase) if v.startswith("person ")]
        if persons:
            return persons[0]
    titled = re.search(r"(?:^|\s)[a-z][\w-]*\s+(?P<name>(?:[A-Z][\w’'.-]+\s+){1,3}[A-Z][\w’'-]+)$", phrase)
    if titled and looks_like_person_name(titled.group("name")):
        return titled.group("name")  # "rights chief Jane Doe"
    return re.sub(r"^the\s+", "", phrase, flags=re.I) if phrase[:4].lower() == "the " and \
        any(w[:1].isupper() for w in phrase.split()[1:]) else phrase


# ------------------------------------------------------------------------------------------------
# Rebuttals
# ------------------------------------------------------------------------------------------------

def rebuttals(text: str, sentences: list[Span], lex: Lexicon | None = None) -> list[Rebuttal]:
    """Sentences in which someone rejects, denies or dismisses allegations, claims or a report."""
    out = []
    for sentence in sentences:
        m = REJECTION.search(text, sentence.start, sentence.end)
        if not m:
            continue
        subject = text[sentence.start:m.start()]
        subject = re.split(rf"\s+(?:(?:has|have|had|also|repeatedly|strongly|flatly)\s+)*(?:{REPORTING})\b",
                           subject, maxsplit=1)[0]
        subject = re.split(r"\s+(?:has|have|had|also|repeatedly|strongly|flatly)\s*$", subject.strip(" ,"))[0]
        if not _agent(subject) or subject.strip().lower() in ("he", "she"):
            continue
        out.append(Rebuttal(sentence, agent_name(subject, lex), squash(m.group("what"))))
    return out
