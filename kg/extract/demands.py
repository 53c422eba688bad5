"""Calls to action: what a document demands, and of whom.

Numbered lists introduced by a demand ("Signatories of this letter urge states to:") and
sentences that make a demand ("We call on the Security Council to ...", "The UK Government
must act ...").  Reported demands in a news report are not the report's own and are left out.

>>> text = "We urge the Council to:\\n\\n1. Act now.\\n2. Report back.\\n"
>>> [(c.position, c.text, c.recipients) for c in calls_to_action(text, Span(0, len(text)), "letter")]
[(1, 'Act now.', ('the Council',)), (2, 'Report back.', ('the Council',))]
"""

from __future__ import annotations

import re

from ..records import CallToAction, Span
from .text import lines, sentences, squash

VERBS = r"(?:urge|urges|urged|call\s+on|calls\s+on|call\s+upon|calls\s+upon|demand|demands|ask|asks|request|requests|appeal\s+to|appeals\s+to|implore|recommend|recommends|invite|invites|encourage|encourages)"
INTRO = re.compile(rf"\b{VERBS}\s+(?P<who>[^:]*?)\s*(?:to|that)?\s*:\s*$", re.I)
SUBJECT_VERB = re.compile(
    rf"^(?:(?:we|i)(?:,[^,]{{1,80}},)?\s+(?:(?:therefore|also|again|now|further|hereby|would like to|strongly|urgently|respectfully)\s+)*{VERBS})\s+(?P<who>.+?)(?:,\s*as\s+(?P<as>[^,]+),)?\s+(?:to|that)\s+",
    re.I)
MUST = re.compile(r"^(?P<who>(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){0,5}(?:government|governments|states|state|council|community|nations|union|authorities|parliament|congress|countries|members|member states|secretary-general|commissioner|court|assembly|[A-Z][\w'’-]+))\s+(?:can\s+and\s+)?must\s+(?!not\b)", re.I)
NUMBERED = re.compile(r"^\s*(?:\(?(?P<num>\d{1,2})[.)]|(?P<letter>[a-z])\))\s+(?=\S)")


def calls_to_action(text: str, body: Span, doc_type: str) -> list[CallToAction]:
    """Every demand made in the body, numbered lists first, then demand sentences."""
    if doc_type == "news":
        return []
    numbered, covered = _numbered(text, body)
    loose = [c for c in _sentences(text, body) if not any(_overlaps(c.span, s) for s in covered)]
    return sorted(numbered + loose, key=lambda c: c.span.start)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _numbered(text: str, body: Span) -> tuple[list[CallToAction], list[Span]]:
    found, covered = [], []
    body_lines = [l for l in lines(text) if l.start >= body.start and l.end <= body.end]
    i = 0
    while i < len(body_lines):
        intro = INTRO.search(body_lines[i].stripped)
        if not intro:
            i += 1
            continue
        items, i = _items(body_lines, i + 1)
        who = _recipient(intro.group("who"))
        covered.append(Span(body_lines[i - 1].start if items else 0, 0))
        for number, span in items:
            raw = text[span.start:span.end]
            found.append(CallToAction(position=number, text=squash(raw), span=span, recipients=who))
            covered.append(span)
        if items:
            covered.append(Span(body_lines[0].start, items[-1][1].end))
    return found, [c for c in covered if c.end > c.start]


def _items(body_lines, i):
    """Numbered items from line i: each runs to the next item or the first blank after text."""
    items: list[list] = []
    while i < len(body_lines):
        line = body_lines[i]
        m = NUMBERED.match(line.text)
        if m:
            number = int(m.group("num")) if m.group("num") else ord(m.group("letter")) - 96
            items.append([number, Span(line.start + m.end(), line.span.end)])
        elif line.blank:
            if items and i + 1 < len(body_lines) and not NUMBERED.match(body_lines[i + 1].text) and not body_lines[i + 1].blank:
                i += 1
                break
        elif items:
            items[-1][1] = Span(items[-1][1].start, line.span.end)
        else:
            break
        i += 1
    return [(n, s) for n, s in items], i


def _recipient(who: str) -> tuple[str, ...]:
    who = squash(who).strip(" ,")
    who = re.sub(r"^(?:the\s+)?(?:governments?\s+of\s+)?", lambda m: m.group(0), who)
    who = re.sub(r"\s+(?:to|that)$", "", who)
    if not who or who.lower() in {"you", "them", "us"}:
        return ()
    return (who,)


def _sentences(text: str, body: Span) -> list[CallToAction]:
    found = []
    for sentence in sentences(text, body.start, body.end):
        flat = squash(sentence.text)
        if _in_quotation(text, sentence.start):
            continue
        m = SUBJECT_VERB.match(flat)
        if m and not flat.rstrip().endswith(":"):
            who = m.group("as") or m.group("who")
            found.append(CallToAction(None, flat, sentence.span, _recipient(who)))
            continue
        m = MUST.match(flat)
        if m and m.group("who").split()[0].lower() not in {"we", "i", "it", "this", "that", "there", "which"}:
            found.append(CallToAction(None, flat, sentence.span, _recipient(m.group("who"))))
    return found


def _in_quotation(text: str, position: int) -> bool:
    """True when an opening quotation mark before ``position`` in its paragraph is not closed."""
    para_start = text.rfind("\n\n", 0, position) + 1
    before = text[para_start:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1
