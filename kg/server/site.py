"""Where things are on the web: the data base IRI, the URL path its resources are served under,
and the paths of the query page, endpoint, dumps and VoID description.

Resources are served at the path of the configured base IRI, so that a deployment under the
base's own domain (or behind a redirect that keeps the path, as w3id.org does) answers for the
IRIs themselves; the endpoint and dumps sit beside them, where the dataset description says.

>>> s = Site("https://w3id.org/atrocity-kg/id/")
>>> s.root, s.local("https://w3id.org/atrocity-kg/id/doc/a"), s.local("https://schema.org/name")
('/atrocity-kg/id/', '/atrocity-kg/id/doc/a', None)
>>> s.href("https://schema.org/name"), s.href("javascript:x") is None
('https://schema.org/name', True)
>>> s.iri_for("/atrocity-kg/id/org/x")
'https://w3id.org/atrocity-kg/id/org/x'
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from .markup import safe_url

FILE_SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "html": ".html"}
FORMAT_TITLES = {"turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD"}


@dataclass(frozen=True)
class Site:
    """The URL layout of the served (or statically written) graph."""

    base: str
    static: bool = False  # a static site: no endpoint, formats as files beside the pages
    title: str = "atrocity-kg"

    @property
    def root(self) -> str:
        path = urlsplit(self.base).path or "/"
        return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"

    def local(self, iri: str) -> str | None:
        """The URL path serving a base IRI, or None for any other IRI."""
        if not iri.startswith(self.base) or len(iri) == len(self.base):
            return None
        return self.root + quote(iri[len(self.base):], safe="/:@!$&'()*+,;=-._~")

    def iri_for(self, path: str) -> str:
        """The IRI served at a URL path under the root (the inverse of :meth:`local`)."""
        return self.base + unquote(path[len(self.root):])

    def href(self, iri: str) -> str | None:
        """A link for an IRI: its local page for a base IRI, else the IRI if it is safe."""
        return self.local(iri) or safe_url(iri)

    def alternate(self, iri: str, fmt: str) -> str:
        """The URL of one format of a resource."""
        local = self.local(iri) or ""
        return local + FILE_SUFFIX[fmt] if self.static else f"{local}?format={fmt}"

    @property
    def css(self) -> str:
        return self.root + "static/kg.css"

    @property
    def query_page(self) -> str:
        return self.root + "query"

    @property
    def endpoint(self) -> str:
        return self.root + "sparql"

    @property
    def dumps(self) -> str:
        return self.root + "dumps/"

    @property
    def void(self) -> str:
        return "/.well-known/void"

    @property
    def endpoint_iri(self) -> str:
        return self.base + "sparql"
