"""Triples written as Turtle (vocabularies as prefixes, data IRIs in full), N-Triples, RDF/XML or JSON-LD (compacted with the project's context,
which is embedded, so that a reader offline gets the same triples).

>>> t = ox.Triple(ox.NamedNode("https://ex.org/id/a"), ox.NamedNode("https://schema.org/name"), ox.Literal("A"))
>>> print(serialize([t], "turtle", context={"schema": "https://schema.org/"}, base="https://ex.org/id/").decode())
@prefix schema: <https://schema.org/> .
<https://ex.org/id/a> schema:name "A" .
<BLANKLINE>
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from ..publish.dumps import RDF_TYPE, Compactor, prefixes_of

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML}


def context_for(context: dict, base: str) -> dict:
    """The project's JSON-LD context with ``id`` pointing at the configured base."""
    return {**context, "id": base}


def serialize(triples: list[ox.Triple], fmt: str, *, context: dict, base: str) -> bytes:
    """The triples in one format: turtle, ntriples, rdfxml or jsonld."""
    if fmt == "jsonld":
        return jsonld(triples, context_for(context, base))
    prefixes = used_prefixes(triples, {k: v for k, v in prefixes_of(context).items() if v != base and k != "id"})
    if fmt == "ntriples":
        return ox.serialize(triples, format=RDF_FORMATS[fmt])
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)


def used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace some IRI of the triples starts with."""
    iris = {term.value for t in triples for term in (t.subject, t.predicate, t.object, getattr(t.object, "datatype", None))
            if isinstance(term, ox.NamedNode)}
    return {k: ns for k, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


def _subject_id(c: Compactor, term) -> str:
    return c.iri(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def jsonld(triples: list[ox.Triple], context: dict) -> bytes:
    """A JSON-LD document: the context embedded, one node object per subject."""
    c = Compactor(context)
    nodes: dict[str, dict] = {}
    for t in triples:
        sid = _subject_id(c, t.subject)
        node = nodes.setdefault(sid, {"@id": sid})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(c.iri(t.object.value))
        else:
            node.setdefault(c.iri(t.predicate.value), []).append(c.value(t.object))
    doc = {"@context": context, "@graph": list(nodes.values())}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
