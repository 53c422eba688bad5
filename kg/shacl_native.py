"""Built-in evaluations of the two anchor constraints (``shapes/anchor-shapes.ttl``).

Written in SPARQL, the anchor check takes ``STRLEN`` and ``SUBSTR`` of a document's whole text
for each of its anchors, and each costs time in the length of the text: the check of one
document grows with anchors x length, which is quadratic in the length of the document (a 1 MB
document took 17 s to validate, a 10 MB one did not finish in 13 minutes).

Here the same constraints are evaluated with two linear queries (the texts; the anchors with
their offsets and quoted words, without the text) and the comparison done in Python, with the
semantics of the SPARQL: offsets in code points, ``SUBSTR`` as XPath's ``fn:substring`` (the
part of the requested range that lies within the text), ``DISTINCT`` rows over the projected
variables.  A constraint is evaluated here only when its ``sh:select`` is, whitespace aside,
exactly one of the two texts this module implements (compared by digest): a shapes file that
changes the query gets the SPARQL evaluation.  Rows whose terms are not what the other shapes
require (integer offsets, string literals) are also left to SPARQL, whose error semantics
apply to them.  ``tests/test_shacl_sparql.py`` checks that both evaluations give the same
results.
"""

from __future__ import annotations

import hashlib
from typing import Callable

import pyoxigraph as ox

SCHEMA_TEXT = "<https://schema.org/text>"
OA = "http://www.w3.org/ns/oa#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
STRINGS = {ox.NamedNode("http://www.w3.org/2001/XMLSchema#string"),
           ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")}

EXACT = "exact"
CONTEXT = "context"
# sha256 of the sh:select texts of shapes/anchor-shapes.ttl, whitespace collapsed (digest()):
# the texts this module evaluates.  Change a query there and it is evaluated as SPARQL.
KNOWN = {
    "dc186105c6b559c215f1176d40b1209c5c31171f86f961484a75ab7cee922f97": EXACT,
    "fb4870725ddd6204983f84d956a7e111364a6c69706f35a1c0b4e8852d8a9cdf": CONTEXT,
}


def digest(select: str) -> str:
    return hashlib.sha256(" ".join(select.split()).encode("utf-8")).hexdigest()


def native_kind(select: str) -> str | None:
    return KNOWN.get(digest(select))


class NotNative(Exception):
    """A row this module does not evaluate: use the SPARQL query instead."""


def _int(term) -> int:
    if isinstance(term, ox.Literal) and term.datatype == XSD_INTEGER:
        try:
            return int(term.value)
        except ValueError:
            pass
    raise NotNative


def _str(term) -> str:
    if isinstance(term, ox.Literal) and term.datatype in STRINGS:
        return term.value
    raise NotNative


def _substr(text: str, start: int, length: int) -> str:
    """SPARQL ``SUBSTR(text, start, length)`` (XPath fn:substring, 1-based positions)."""
    lo, hi = max(start - 1, 0), max(start - 1 + length, 0)
    return text[lo:hi] if hi > lo else ""


def _texts(select: Callable, focus: str) -> dict:
    texts: dict = {}
    for this, text in select(f"SELECT ?this ?text WHERE {{ {focus} ?this {SCHEMA_TEXT} ?text }}"):
        texts.setdefault(this, []).append(_str(text))
    return texts


def evaluate(kind: str, select: Callable, focus: str) -> tuple[list[str], list[tuple]]:
    """The rows the constraint's SELECT would give: ``select(query)`` returns rows of terms,
    ``focus`` is the graph pattern that binds ``?this`` to the focus nodes."""
    texts = _texts(select, focus)
    # The constraint's pattern, its quote selector asked for after the position's offsets: the
    # same solutions, which Oxigraph finds 10-20% faster in this order (10,000 documents).
    anchors = (f"{focus} ?value <{OA}hasSource> ?this ; <{OA}hasSelector> ?position . "
               f"?position <{OA}start> ?start ; <{OA}end> ?end . ?value <{OA}hasSelector> ?quote . ")
    rows: dict[tuple, None] = {}
    if kind == EXACT:
        query = f"SELECT ?this ?value ?start ?end ?exact WHERE {{ {anchors} ?quote <{OA}exact> ?exact }}"
        for this, value, start_t, end_t, exact_t in select(query):
            for text in texts.get(this, ()):
                start, end = _int(start_t), _int(end_t)
                if start < 0 or end > len(text) or _substr(text, start + 1, end - start) != _str(exact_t):
                    rows[(this, value, start_t, end_t)] = None
        return ["this", "value", "start", "end"], list(rows)
    query = (f"SELECT ?this ?value ?start ?end ?context ?side WHERE {{ {anchors} "
             f"{{ ?quote <{OA}prefix> ?context . BIND (\"before\" AS ?side) }} UNION "
             f"{{ ?quote <{OA}suffix> ?context . BIND (\"after\" AS ?side) }} }}")
    selector = {"before": ox.Literal("prefix (oa:prefix)"), "after": ox.Literal("suffix (oa:suffix)")}
    for this, value, start_t, end_t, context_t, side_t in select(query):
        for text in texts.get(this, ()):
            context = _str(context_t)
            n = len(context)
            origin = _int(start_t) - n if side_t.value == "before" else _int(end_t)
            if _substr(text, origin + 1, n) != context:
                rows[(this, value, selector[side_t.value], side_t)] = None
    return ["this", "value", "selector", "side"], list(rows)
