"""What the store says about one resource, and the look-ups its page needs (labels, signatures,
anchored statements, documents invoking a provision).  Read-only; every query over the union of
the named graphs, with DISTINCT where the union (a bag) would repeat a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..queries import with_values

NS = {
    "schema": "https://schema.org/", "akg": "https://w3id.org/atrocity-kg/ontology#",
    "oa": "http://www.w3.org/ns/oa#", "eli": "http://data.europa.eu/eli/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "org": "http://www.w3.org/ns/org#",
    "void": "http://rdfs.org/ns/void#", "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#", "xsd": "http://www.w3.org/2001/XMLSchema#",
}
PROLOGUE = "".join(f"PREFIX {k}: <{v}>\n" for k, v in NS.items())
RDF_TYPE = NS["rdf"] + "type"
LABELS = [NS["schema"] + "name", NS["skos"] + "prefLabel", NS["rdfs"] + "label",
          NS["schema"] + "legislationIdentifier"]
TEXTUAL = [NS["schema"] + "text", NS["oa"] + "exact"]
MAX_TRIPLES = 2000  # per direction on a resource's page and in its RDF description


def q(name: str) -> str:
    """A full IRI from a prefixed name.

    >>> q("schema:name")
    'https://schema.org/name'
    """
    prefix, _, local = name.partition(":")
    return NS[prefix] + local


def select(store: ox.Store, query: str, **bound: ox.NamedNode) -> list[dict]:
    """Rows of a SELECT over the union graph, variables bound as RDF terms (a VALUES block)."""
    results = store.query(PROLOGUE + with_values(query, bound), use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: sol[n] for n in names} for sol in results]


def _unique(quads, limit: int) -> list[ox.Triple]:
    seen: dict[ox.Triple, None] = {}
    for quad in quads:
        seen.setdefault(quad.triple, None)
        if len(seen) >= limit:
            break
    return list(seen)


@dataclass
class Resource:
    """A resource's triples in the store: as subject, as object, and as a named graph."""

    iri: str
    outgoing: list[ox.Triple]
    incoming: list[ox.Triple]
    is_graph: bool
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def node(self) -> ox.NamedNode:
        return ox.NamedNode(self.iri)

    def values(self, predicate: str) -> list:
        full = q(predicate) if ":" in predicate and not predicate.startswith("http") else predicate
        return [t.object for t in self.outgoing if t.predicate.value == full]

    def value(self, predicate: str):
        found = self.values(predicate)
        return found[0] if found else None

    @property
    def types(self) -> list[str]:
        return [t.value for t in self.values(RDF_TYPE) if isinstance(t, ox.NamedNode)]

    def has_type(self, *names: str) -> bool:
        return any(q(n) in self.types for n in names)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or humanize(iri)


def find(store: ox.Store, iri: str, limit: int = MAX_TRIPLES) -> Resource | None:
    """The resource, or None when the store never mentions the IRI."""
    node = ox.NamedNode(iri)
    out = _unique(store.quads_for_pattern(node, None, None), limit)
    inc = _unique(store.quads_for_pattern(None, None, node), limit)
    is_graph = store.contains_named_graph(node)
    if not out and not inc and not is_graph:
        return None
    return Resource(iri, out, inc, is_graph)


def graph_triples(store: ox.Store, iri: str, limit: int) -> list[ox.Triple]:
    return _unique(store.quads_for_pattern(None, None, None, ox.NamedNode(iri)), limit)


def iris_of(triples: list[ox.Triple]) -> set[str]:
    found = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
        if isinstance(t.object, ox.Literal) and t.object.datatype is not None:
            found.add(t.object.datatype.value)
    return found


def humanize(iri: str) -> str:
    """A readable name from the end of an IRI, when the store gives no label.

    >>> humanize("https://schema.org/datePublished"), humanize("http://data.europa.eu/eli/ontology#is_part_of")
    ('date published', 'is part of')
    """
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", tail).replace("_", " ").split()
    return " ".join(w.lower() if w[1:].islower() else w for w in words)


def _objects(store: ox.Store, subject: ox.NamedNode, predicate: str) -> list:
    return [quad.object for quad in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def labels(store: ox.Store, iris) -> dict[str, str]:
    """Best label per IRI: schema:name, skos:prefLabel, rdfs:label, legislationIdentifier,
    else the statement's text or quoted words, else 'signature N: who'; by index look-ups."""
    found: dict[str, str] = {}
    for iri in set(iris):
        label = _direct_label(store, ox.NamedNode(iri)) or _fallback_label(store, ox.NamedNode(iri))
        if label:
            found[iri] = label
    return found


def _direct_label(store: ox.Store, node: ox.NamedNode) -> str | None:
    for predicate in LABELS + TEXTUAL:
        literals = [o for o in _objects(store, node, predicate) if isinstance(o, ox.Literal)]
        if literals:
            best = min(literals, key=lambda lit: (lit.language not in (None, "", "en"), lit.value))
            return _text_label(predicate, best.value)
    return None


def _text_label(predicate: str, value: str) -> str:
    value = " ".join(value.split())
    if predicate in TEXTUAL:
        return "“" + (value if len(value) <= 100 else value[:99].rstrip() + "…") + "”"
    return value


def _first_name(store: ox.Store, nodes: list) -> str | None:
    names = sorted(o.value for n in nodes if isinstance(n, ox.NamedNode)
                   for o in _objects(store, n, q("schema:name")) if isinstance(o, ox.Literal))
    return names[0] if names else None


def _fallback_label(store: ox.Store, node: ox.NamedNode) -> str | None:
    """A signature by its signer, an anchor by its quoted words, a membership by its member."""
    who = _first_name(store, _objects(store, node, q("schema:agent")))
    if who:
        pos = _objects(store, node, q("schema:position"))
        return f"signature {pos[0].value}: {who}" if pos else who
    for selector in _objects(store, node, q("oa:hasSelector")):
        exact = _objects(store, selector, q("oa:exact")) if isinstance(selector, ox.NamedNode) else []
        if exact:
            return _text_label(TEXTUAL[1], exact[0].value)
    return _first_name(store, _objects(store, node, q("org:member")))


def anchored_statements(store: ox.Store, text_iri: str) -> list[dict]:
    """Every statement, signature or figure anchored in one source text, with its offsets."""
    return select(store, """SELECT DISTINCT ?st ?start ?end WHERE {
        ?a oa:hasSource ?text ; oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end .
        ?st akg:anchor ?a } ORDER BY ?start ?end ?st""", text=ox.NamedNode(text_iri))


def signatures(store: ox.Store, doc_iri: str) -> list[dict]:
    """The signatures of an edition in the order listed."""
    return select(store, """SELECT DISTINCT ?sig ?agent ?pos WHERE {
        ?sig a akg:Signature ; schema:object ?doc ; schema:agent ?agent .
        OPTIONAL { ?sig schema:position ?pos } } ORDER BY ?pos ?sig""", doc=ox.NamedNode(doc_iri))


def signed(store: ox.Store, agent_iri: str) -> list[dict]:
    """What an agent signed: the editions, with date and position in each list."""
    return select(store, """SELECT DISTINCT ?doc ?sig ?pos ?date WHERE {
        ?sig a akg:Signature ; schema:agent ?agent ; schema:object ?doc .
        OPTIONAL { ?sig schema:position ?pos } OPTIONAL { ?doc schema:datePublished ?date } }
        ORDER BY ?date ?doc""", agent=ox.NamedNode(agent_iri))


def invoking(store: ox.Store, provision_iri: str) -> list[dict]:
    """The documents with a statement that invokes the provision or one of its parts."""
    return select(store, """SELECT DISTINCT ?doc ?st ?cited WHERE {
        ?st akg:characterizedAs ?cited . ?cited eli:is_part_of* ?provision .
        ?st schema:appearance ?doc } ORDER BY ?doc ?st""", provision=ox.NamedNode(provision_iri))


def anchors(store: ox.Store, statement_iri: str) -> list[dict]:
    """The anchors of a statement: source document, offsets and quoted words in context."""
    return select(store, """SELECT DISTINCT ?anchor ?doc ?start ?end ?exact ?prefix ?suffix WHERE {
        ?st akg:anchor ?anchor . ?anchor oa:hasSource ?text ; oa:hasSelector ?pos .
        ?pos oa:start ?start ; oa:end ?end .
        OPTIONAL { ?anchor oa:hasSelector ?quote . ?quote oa:exact ?exact
                   OPTIONAL { ?quote oa:prefix ?prefix } OPTIONAL { ?quote oa:suffix ?suffix } }
        OPTIONAL { ?doc akg:source ?text } } ORDER BY ?start""", st=ox.NamedNode(statement_iri))


def source_text(store: ox.Store, text_iri: str) -> str | None:
    node = ox.NamedNode(text_iri)
    for quad in store.quads_for_pattern(node, ox.NamedNode(q("schema:text")), None):
        return quad.object.value
    return None


def documents(store: ox.Store) -> list[dict]:
    """Every document with a source text, for the home page."""
    return select(store, """SELECT ?doc (SAMPLE(?d) AS ?date) (COUNT(DISTINCT ?sig) AS ?signatures) WHERE {
        ?doc akg:source ?text . OPTIONAL { ?doc schema:datePublished ?d }
        OPTIONAL { ?sig a akg:Signature ; schema:object ?doc } } GROUP BY ?doc ORDER BY ?doc""")


def data_base(store: ox.Store) -> str | None:
    """The base IRI the release was built with (its dataset description's void:uriSpace)."""
    rows = select(store, "SELECT ?space WHERE { ?d void:uriSpace ?space } LIMIT 1")
    return rows[0]["space"].value if rows else None
