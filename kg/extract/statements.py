"""Statements: allegations, legal characterisations, figures, quotations and rebuttals.

Consumes an :class:`Extraction` with its body and furniture found; creates its statements, each
with its span.  The rules are in :mod:`kg.extract.acts` (acts, groups, places, provisions),
:mod:`kg.extract.figures` and :mod:`kg.extract.quotations`; this module cuts the body into
sentences (skipping page furniture) and gives each figure its owner: the allegation whose act is
named nearest to it in the sentence, else a rebuttal, else the sentence itself.

>>> from kg.records import SourceDocument
>>> text = "Report\\n\\nThe militia subjected at least 300 Masalit civilians to torture in West Darfur.\\n"
>>> x = Extraction(SourceDocument("d", "d.txt", "text/plain", "0" * 64, text), "webpage", body=Span(6, len(text)))
>>> a = find_statements(x).allegations[0]
>>> a.act, a.against, a.places, a.figures[0].min_value
('torture', ('Masalit',), ('West Darfur',), 300.0)
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Allegation, Extraction, Figure, Span
from .acts import allegations, characterizations, lexicon
from .figures import figures
from .quotations import quotations, rebuttals
from .text import sentences


def find_statements(x: Extraction) -> Extraction:
    """The extraction with its allegations, characterisations, figures, quotations and rebuttals."""
    text = x.doc.text
    body = x.body if x.body is not None else Span(0, len(text))
    body = Span(max(0, min(body.start, len(text))), max(0, min(body.end, len(text))))
    lex = lexicon()
    units = body_sentences(text, body, x.furniture)
    found = allegations(text, units, lex, x.title.span if x.title and x.title.span.end > 0 else None)
    against = rebuttals(text, units, lex)
    owned, loose = _assign(text, figures(text, units, lex), found, against)
    found = [replace(a, figures=tuple(owned.get(i, ()))) for i, a in enumerate(found)]
    against = [replace(r, figures=tuple(owned.get(-1 - i, ()))) for i, r in enumerate(against)]
    return replace(x, allegations=tuple(found), characterizations=tuple(characterizations(text, units, lex)),
                   figures=tuple(loose), quotations=tuple(quotations(text, body, x.furniture, lex)),
                   rebuttals=tuple(against))


def body_sentences(text: str, body: Span, furniture: tuple[Span, ...]) -> list[Span]:
    """The sentences of the body, page furniture left out (a sentence never spans furniture)."""
    out, pos = [], body.start
    for region in sorted(furniture):
        if region.end <= pos or region.start >= body.end:
            continue
        out += [s.span for s in sentences(text, pos, max(pos, region.start))]
        pos = max(pos, region.end)
    if pos < body.end:
        out += [s.span for s in sentences(text, pos, body.end)]
    return out


def _assign(text: str, found_figures: list[Figure], found: list[Allegation],
            against) -> tuple[dict[int, list[Figure]], list[Figure]]:
    """Figures owned by an allegation (key: its index) or a rebuttal (key: -1 - index), and the rest.
    A count of people goes to the allegation whose act is named nearest, in its clause first;
    counts of signers, countries or signatures stay with the sentence."""
    owned: dict[int, list[Figure]] = {}
    loose = []
    by_sentence: dict[Span, list[int]] = {}
    for i, a in enumerate(found):
        by_sentence.setdefault(a.span, []).append(i)
    rebutting = {r.span: -1 - i for i, r in reversed(list(enumerate(against)))}
    for f in found_figures:
        near = [(_distance(text, f.span, found[i].act_span), i) for i in by_sentence.get(f.statement, ())
                if _counts_for(text, f.span, found[i].act_span)]
        if near and f.counts in PEOPLE_COUNTS:
            i = min(near)[1]
            owned.setdefault(i, []).append(_counted_by_act(f, found[i].act))
        elif f.statement in rebutting:
            owned.setdefault(rebutting[f.statement], []).append(f)
        else:
            loose.append(f)
    return owned, loose


def _counts_for(text: str, figure: Span, act: Span) -> bool:
    """A figure counts the victims of an act named in its own clause, or named after it
    ("hundreds of thousands of X, Y and Z, subjected to mass internment")."""
    return act.start >= figure.end or _distance(text, figure, act)[0] == 0


def _distance(text: str, figure: Span, act: Span) -> tuple[int, int]:
    """Clause breaks between a figure and an act's words, then characters between them."""
    lo, hi = (act.end, figure.start) if act.end <= figure.start else (figure.end, act.start)
    return (0, 0) if hi < lo else (len(CLAUSE_BREAK.findall(text, lo, hi)), hi - lo)


CLAUSE_BREAK = re.compile(r"[,;:](?=\s)|[—–]|\(")
ACT_COUNTS = {"arbitrary-detention": "people-detained", "mass-internment": "people-detained",
              "imprisonment": "people-detained", "prison-incarceration": "people-detained",
              "deprivation-of-liberty": "people-detained", "forced-labour": "workers",
              "forced-separation-of-children": "children"}


PEOPLE_COUNTS = {None, "people", *ACT_COUNTS.values()}


def _counted_by_act(f: Figure, act: str) -> Figure:
    """A count of people cited for an act counts the people it befell: detainees, workers, children."""
    if (f.counts == "people" or f.counts is None and f.unit is None) and act in ACT_COUNTS:
        return replace(f, counts=ACT_COUNTS[act])
    return f
