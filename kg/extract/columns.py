"""Signers set in two columns, as a PDF's text layer gives them back: row by row, the left
column's line and the right column's joined ("Jane Doe John Roe").  Rows are cut where the
second column starts, when every row of an entry can be cut (names, then offices or
institutions), or, in a PDF, when rows of two names come in a run.

Works on the entries of :mod:`kg.extract.signatories` (``lines``, ``stacked``, ``behalf``).

>>> from kg.extract.text import Line
>>> [l.text for l in _two_names(Line(0, 26, "Tharini Selvam Marcus Webb"))]
['Tharini Selvam', 'Marcus Webb']
>>> [l.text for l in _two_roles(Line(0, 33, "Director, Example Project Chair, Example Forum"))]
['Director, Example Project', 'Chair, Example Forum']
"""

from __future__ import annotations

import re
from dataclasses import replace

from .names import HONORIFICS, ORG_HEADS, ROLE_WORDS, bare_token, has_org_head, is_role, personish, split_title
from .text import Line


def side_by_side(entries: list) -> list:
    """Two signers set in two columns, read back row by row ("Jane Doe John Roe" over
    "Director, Example Project Chair, Example Forum"): each row cut where the second column
    starts, when every row of the entry can be cut."""
    out: list = []
    for entry in entries:
        halves = [_two_names(entry.lines[0])] + [_two_roles(line) for line in entry.lines[1:]]
        if len(entry.lines) < 2 or any(h is None for h in halves):
            out.append(entry)
            continue
        out.append(replace(entry, lines=[h[0] for h in halves], stacked=True))
        out.append(replace(entry, lines=[h[1] for h in halves], stacked=True, behalf=None))
    return out


def rows_of_two(entries: list, *, gutter_only: bool = False) -> list:
    """Two or more rows in a run, each two names of two or three words ("Amina Yusuf Peter
    Olsen"): two signers a row, left then right (the order the rows give).  With
    ``gutter_only`` (plain text, where columns keep their spaces) a row is cut only at a wide
    gap ("A. K. Doe          M. de F. Roe")."""
    cut_at = _gutter_names if gutter_only else _two_names
    cuts = [cut_at(e.lines[0]) if len(e.lines) == 1 and not e.stacked else None for e in entries]
    out: list = []
    for k, (entry, cut) in enumerate(zip(entries, cuts)):
        in_run = cut is not None and ((k > 0 and cuts[k - 1] is not None) or (k + 1 < len(cuts) and cuts[k + 1] is not None))
        if in_run:
            out += [replace(entry, lines=[cut[0]]), replace(entry, lines=[cut[1]])]
        else:
            out.append(entry)
    return out


WORD = re.compile(r"\S+")
GUTTER = re.compile(r"(?<=\S)[ \t]{3,}(?=\S)")  # a wide gap between two words


def _cut(line: Line, k: int) -> tuple[Line, Line]:
    """A line cut before its ``k``-th word."""
    words = list(WORD.finditer(line.text))
    at = words[k].start()
    left = line.text[:at].rstrip()
    return Line(line.start, line.start + len(left), left), Line(line.start + at, line.end, line.text[at:])


def _gutter(line: Line) -> tuple[Line, Line] | None:
    """A row cut at its one wide gap (three spaces or more between two words)."""
    gaps = list(GUTTER.finditer(line.text))
    if len(gaps) != 1:
        return None
    at, end = gaps[0].start(), gaps[0].end()
    return Line(line.start, line.start + at, line.text[:at]), Line(line.start + end, line.end, line.text[end:])


def _gutter_names(line: Line) -> tuple[Line, Line] | None:
    gutter = _gutter(line)
    return gutter if gutter is not None and personish(gutter[0].text) and personish(gutter[1].text) else None


def _two_names(line: Line) -> tuple[Line, Line] | None:
    """Two persons' names on one row: each part a name of two or three words (after an
    honorific), the cut that makes the most ordinary names."""
    gutter = _gutter(line)
    if gutter is not None:  # a gap of three spaces or more: where the second column starts
        left, right = gutter
        return gutter if personish(left.text) and personish(right.text) else None
    words = line.text.split()
    if not 4 <= len(words) <= 7 or "," in line.text or any(bare_token(w) in ORG_HEADS for w in words):
        return None
    best = None
    for k in range(2, len(words) - 1):
        left, right = " ".join(words[:k]), " ".join(words[k:])
        cores = [split_title(part)[1].split() for part in (left, right)]
        if personish(left) and personish(right) and all(any(bare_token(t) not in HONORIFICS for t in c) for c in cores):
            cost = sum(abs(len(c) - 2) for c in cores)
            if best is None or cost < best[0]:
                best = (cost, k)
    return _cut(line, best[1]) if best and best[0] <= 1 else None


def _two_roles(line: Line) -> tuple[Line, Line] | None:
    """Two signers' offices or institutions on one row, cut where an office follows the name
    of an institution ("... Memory Project Chair, Forensic ..."), between two offices
    ("Director Chair") or between two institutions ("Example Project Other Forum")."""
    gutter = _gutter(line)
    if gutter is not None:
        return gutter
    words = line.text.split()
    if len(words) > 24:
        return None  # running text, not a row of two signers
    for k in range(1, len(words)):
        if not words[k][:1].isupper():
            continue
        left, right = " ".join(words[:k]), " ".join(words[k:])
        after_institution = bare_token(words[k - 1]) in ORG_HEADS
        if after_institution and (bare_token(words[k]) in ROLE_WORDS or has_org_head(right) and "," not in right):
            return _cut(line, k)
        if len(words) <= 6 and "," not in line.text and is_role(left) and is_role(right) and not has_org_head(line.text):
            return _cut(line, k)
    return None
