"""Curated reference data beside the ontology: instruments, concept schemes, gazetteer.

The files in ``ontology/reference/`` write data IRIs relative to the base; they are resolved
against the configured base when read.  This module parses them once (pyoxigraph) and offers
the look-ups the other stages need: names to entities, labels to concepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .extract.text import name_key

SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KINDS = {SCHEMA + "Organization": "organization", SCHEMA + "Person": "person",
         SCHEMA + "Place": "place", SCHEMA + "AdministrativeArea": "place", SCHEMA + "Country": "place",
         SCHEMA + "Audience": "audience"}


def parse_turtle(path: Path, base_iri: str, where: str | None = None) -> list[ox.Triple]:
    """Parse a Turtle file, turning a syntax error into a one-line :class:`InputError`."""
    where = where or str(path)
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base_iri))
    except SyntaxError as err:
        line = getattr(err, "lineno", None)
        col = getattr(err, "offset", None)
        at = f" at line {line}, column {col}" if line else ""
        message = str(err.msg if hasattr(err, "msg") else err).splitlines()[0]
        raise InputError(f"{where}: Turtle syntax error{at}: {message}", hint="fix the file") from None
    except OSError as err:  # pyoxigraph's carry no strerror: 'No such file or directory (os error 2)'
        reason = err.strerror or (str(err).splitlines() or [type(err).__name__])[0]
        raise InputError(f"{where}: cannot be read: {reason}", hint="restore the file") from None


@dataclass
class Reference:
    """The parsed reference data and its indexes."""

    triples: list[ox.Triple]
    base: str = ""
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name key -> (iri, kind)
    concepts: dict[str, str] = field(default_factory=dict)  # label key -> concept iri
    provisions: dict[str, str] = field(default_factory=dict)  # iri -> legislationIdentifier

    def lookup(self, name: str) -> tuple[str, str] | None:
        return self.names.get(name_key(name))

    def path(self, iri: str) -> str:
        """An IRI of the data as a path relative to the base."""
        return iri[len(self.base):] if self.base and iri.startswith(self.base) else iri


def load_reference(folder: Path, base_iri: str) -> Reference:
    """Read every ``*.ttl`` under ``folder`` (sorted) and index it."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no reference data folder", hint="restore ontology/reference/")
    triples: list[ox.Triple] = []
    for path in sorted(folder.glob("*.ttl")):
        triples.extend(parse_turtle(path, base_iri))
    ref = Reference(triples, base_iri)
    _index(ref)
    return ref


def _index(ref: Reference) -> None:
    kinds: dict[str, str] = {}
    labels: list[tuple[str, str, str]] = []
    for t in ref.triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == RDF_TYPE and o.value in KINDS:
            kinds.setdefault(s.value, KINDS[o.value])
        elif p == RDF_TYPE and o.value == SKOS + "Concept":
            kinds.setdefault(s.value, "concept")
        elif p in (SCHEMA + "name", SCHEMA + "alternateName", SKOS + "prefLabel", SKOS + "altLabel"):
            labels.append((s.value, p, o.value))
        elif p == SCHEMA + "legislationIdentifier":
            ref.provisions[s.value] = o.value
    for iri, pred, label in sorted(labels):
        kind = kinds.get(iri)
        if kind == "concept":
            ref.concepts.setdefault(name_key(label), iri)
        elif kind is not None:
            ref.names.setdefault(name_key(label), (iri, kind))
        elif "/group/" in iri:
            ref.names.setdefault(name_key(label), (iri, "group"))
