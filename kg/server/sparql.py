"""The SPARQL 1.1 Protocol, read-only: what a request asks, checks on the query, and the
service description.

A query comes as ``GET ?query=``, ``POST`` of a form (``query=``) or ``POST`` of
``application/sparql-query``; ``default-graph-uri`` and ``named-graph-uri`` choose the dataset
(by default the default graph is the union of the named graphs).  Updates (``update=``,
``application/sparql-update``, an update in ``query=``) and federated queries (``SERVICE``, which
would make the server fetch other URLs) are refused with 403.

>>> check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.server.problems.Problem: 403: federated queries (SERVICE) are not allowed on this endpoint
>>> check_query("SELECT ?s WHERE { ?s <http://ex.org/SERVICE> 'SERVICE' } # SERVICE")
>>> check_query("ASK { FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }")
Traceback (most recent call last):
...
kg.server.problems.Problem: 400: the query is nested 502 levels deep; at most 100 are allowed
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate
from urllib.parse import parse_qs

import pyoxigraph as ox

from ..errors import InputError
from ..queries import (COMMENTS, IRIS, PROLOGUE, STRINGS, UPDATE_KEYWORDS, _code, check_read_only,  # noqa: F401
                       is_update, query_form, strip_comments)
from .negotiation import GRAPH, RESULTS
from .problems import Problem

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.I)
BRACKETS = re.compile(r"[{(\[]|<<|[})\]]|>>")
MAX_DEPTH = 100  # brackets, parentheses and quoted triples inside each other: the parser recurses on each


@dataclass
class QueryRequest:
    """What a protocol request asks: the query and its dataset."""

    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


def check_query(text: str) -> None:
    """Refuse updates and federated queries (403)."""
    try:
        check_read_only(text, "the query")
    except InputError:
        updating = True
    else:
        updating = is_update(text)
    if updating:
        raise Problem(403, "updates are not allowed: this endpoint is read-only",
                      hint="the graph is rebuilt from its sources with 'kg build'")
    code = _code(text)
    if SERVICE.search(code):
        raise Problem(403, "federated queries (SERVICE) are not allowed on this endpoint")
    depth = nesting(code)
    if depth > MAX_DEPTH:
        raise Problem(400, f"the query is nested {depth} levels deep; at most {MAX_DEPTH} are allowed")


def nesting(code: str) -> int:
    """How deep brackets, parentheses and quoted triples go (strings, IRIs and comments removed).

    >>> nesting("SELECT * WHERE { { ?s ?p ?o FILTER((1)) } }"), nesting("}}}")
    (4, 0)
    """
    steps = (1 if b in "{([<<" else -1 for b in BRACKETS.findall(code))
    return max(accumulate(steps, initial=0))


def _params(pairs: dict[str, list[str]]) -> QueryRequest:
    if "update" in pairs:
        raise Problem(403, "updates are not allowed: this endpoint is read-only")
    queries = pairs.get("query", [])
    if len(queries) != 1:
        raise Problem(400, "give exactly one query parameter" if queries else "no query given",
                      hint="send ?query=SPARQL (GET or form POST) or POST application/sparql-query")
    return QueryRequest(queries[0], pairs.get("default-graph-uri", []), pairs.get("named-graph-uri", []))


def from_request(method: str, query_string: str, content_type: str, body: bytes) -> QueryRequest:
    """Read a protocol request (the body already size-checked)."""
    params = parse_qs(query_string, keep_blank_values=True)
    kind = content_type.split(";")[0].strip().lower()
    if method == "GET":
        request = _params(params)
    elif kind == FORM:
        request = _params(parse_qs(_text(body), keep_blank_values=True))
    elif kind == SPARQL_QUERY:
        request = QueryRequest(_text(body), params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    elif kind == SPARQL_UPDATE:
        raise Problem(403, "updates are not allowed: this endpoint is read-only")
    else:
        raise Problem(415, f"cannot read a request body of type {kind or 'none'}",
                      hint=f"POST {SPARQL_QUERY} or {FORM}")
    check_query(request.query)
    _check_graphs(request.default_graphs + request.named_graphs)
    return request


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request body is not UTF-8") from None


def _check_graphs(iris: list[str]) -> None:
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise Problem(400, f"not an IRI: {iri!r}", hint="default-graph-uri and named-graph-uri take IRIs") from None


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                      "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
                      "jsonld": "JSON-LD", "rdfxml": "RDF_XML"}


def service_description(endpoint: str, graphs: list[str]) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint."""
    node, a = ox.NamedNode(endpoint), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    sd = lambda local: ox.NamedNode(SD + local)  # noqa: E731
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [ox.Triple(node, a, sd("Service")), ox.Triple(node, sd("endpoint"), node),
               ox.Triple(node, sd("supportedLanguage"), sd("SPARQL11Query")),
               ox.Triple(node, sd("feature"), sd("UnionDefaultGraph")),
               ox.Triple(node, sd("defaultDataset"), dataset), ox.Triple(dataset, a, sd("Dataset")),
               ox.Triple(dataset, sd("defaultGraph"), default), ox.Triple(default, a, sd("Graph"))]
    for offer in RESULTS + GRAPH:
        triples.append(ox.Triple(node, sd("resultFormat"), ox.NamedNode(FORMATS + RESULT_FORMAT_IRIS[offer.name])))
    for i, graph in enumerate(graphs):
        named = ox.BlankNode(f"g{i}")
        triples += [ox.Triple(dataset, sd("namedGraph"), named), ox.Triple(named, a, sd("NamedGraph")),
                    ox.Triple(named, sd("name"), ox.NamedNode(graph))]
    return triples
