"""Content negotiation: the Accept header (with q-values) or a ``?format=`` override.

An offer is a format name with its media types; the first media type is the one the response
is labelled with, the others are aliases a client may ask for.

>>> choose(RESOURCE, "text/turtle;q=0.9, application/ld+json")
'jsonld'
>>> choose(RESOURCE, "text/html,application/xhtml+xml,*/*;q=0.8")
'html'
>>> choose(RESOURCE, "image/png") is None
True
>>> choose(RESOURCE, None, override="ttl")
'turtle'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    name: str
    media_types: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def media_type(self) -> str:
        return self.media_types[0]


HTML = Offer("html", ("text/html", "application/xhtml+xml"), ("html", "htm"))
TURTLE = Offer("turtle", ("text/turtle", "application/x-turtle"), ("turtle", "ttl"))
NTRIPLES = Offer("ntriples", ("application/n-triples", "text/plain"), ("ntriples", "nt", "n-triples"))
JSONLD = Offer("jsonld", ("application/ld+json", "application/json"), ("jsonld", "json-ld", "json"))
RDFXML = Offer("rdfxml", ("application/rdf+xml",), ("rdfxml", "rdf", "xml"))
RESULTS_JSON = Offer("json", ("application/sparql-results+json", "application/json"), ("json", "srj"))
RESULTS_XML = Offer("xml", ("application/sparql-results+xml", "application/xml", "text/xml"), ("xml", "srx"))
RESULTS_CSV = Offer("csv", ("text/csv",), ("csv",))
RESULTS_TSV = Offer("tsv", ("text/tab-separated-values",), ("tsv",))

RESOURCE = (HTML, TURTLE, NTRIPLES, JSONLD)  # a browser's */* gets HTML
DESCRIPTION = (TURTLE, NTRIPLES, JSONLD, HTML)  # VoID and service description: RDF first
GRAPH = (TURTLE, NTRIPLES, JSONLD, RDFXML)  # CONSTRUCT and DESCRIBE results
RESULTS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)  # SELECT and ASK results
PROBLEM = (Offer("json", ("application/problem+json", "application/json")), HTML)


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches (2 exact, 1 type/*, 0 */*), -1 if not at all."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header; a missing or empty header accepts anything.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/*;q=0.5, text/turtle")]
    [('text', '*', 0.5), ('text', 'turtle', 1.0)]
    """
    if not header or not header.strip():
        return [Range("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        kind, _, sub = media.lower().partition("/")
        if not kind or not sub:
            continue
        ranges.append(Range(kind, sub, _q(params)))
    return ranges or [Range("*", "*", 1.0)]


def _q(params: list[str]) -> float:
    for p in params:
        key, _, value = p.partition("=")
        if key.strip().lower() == "q":
            try:
                return min(1.0, max(0.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def _quality(ranges: list[Range], offer: Offer) -> tuple[float, int]:
    """The q-value the client gives this offer: the most specific matching range wins."""
    best = (-1, 0.0)
    for media_type in offer.media_types:
        for r in ranges:
            spec = r.matches(media_type)
            if spec > best[0]:
                best = (spec, r.q)
    return (best[1], best[0]) if best[0] >= 0 else (0.0, -1)


def choose(offers: tuple[Offer, ...], accept: str | None, override: str | None = None) -> str | None:
    """The name of the best offer, or None when the client accepts none of them (406)."""
    if override:
        wanted = override.strip().lower()
        return next((o.name for o in offers if wanted in o.aliases or wanted in o.media_types), None)
    ranges = parse_accept(accept)
    scored = [(_quality(ranges, o), -i, o.name) for i, o in enumerate(offers)]
    (q, _), _, name = max(scored)
    return name if q > 0 else None


def media_type(offers: tuple[Offer, ...], name: str) -> str:
    return next(o.media_type for o in offers if o.name == name)


def prefers_html(accept: str | None) -> bool:
    """Whether a client (a browser) prefers an HTML page to JSON, for error pages.

    >>> prefers_html("text/html,*/*;q=0.8"), prefers_html("*/*"), prefers_html(None)
    (True, False, False)
    """
    ranges = parse_accept(accept)
    html_q, html_spec = _quality(ranges, HTML)
    json_q, json_spec = _quality(ranges, PROBLEM[0])
    return html_spec == 2 and (html_q, html_spec) > (json_q, json_spec)
