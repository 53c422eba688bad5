"""Remote SPARQL servers: push the graph with the Graph Store Protocol, run stock queries there.

``push`` sends each named graph of the store with ``PUT GRAPH_STORE?graph=IRI`` (Turtle), which
replaces that graph whole, so a second push of the same build changes nothing.  ``run_remote``
runs a stock query on an endpoint with SPARQLWrapper: the parameters are bound by a VALUES
block, the prefixes and base that ``kg query`` predefines locally are declared in the query,
and the answer is read back with pyoxigraph and written exactly as the local run writes it.

The remote default graph must be the union of the named graphs, as it is locally (Oxigraph:
``--union-default-graph``; see docs/PUBLISHING.md for other servers).

>>> print(remote_text("SELECT ?x WHERE { ?x a schema:Thing }", {}, "https://ex.org/id/").splitlines()[0])
BASE <https://ex.org/id/>
"""

from __future__ import annotations

import base64
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

import pyoxigraph as ox

from .errors import InputError, StoreError
from .queries import PREFIXES, StockQuery, check_read_only, with_values
from .server.sparql import query_form, strip_comments

TURTLE = "text/turtle; charset=utf-8"
CREDENTIALS = "set KG_REMOTE_USER and KG_REMOTE_PASSWORD (or --user), or KG_REMOTE_TOKEN for a bearer token"
DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.I | re.M)


@dataclass(frozen=True)
class Auth:
    """HTTP credentials: a user and password (Basic or Digest, as the server asks) or a bearer token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    @classmethod
    def from_env(cls, env=None) -> "Auth":
        """Credentials from KG_REMOTE_TOKEN, or KG_REMOTE_USER and KG_REMOTE_PASSWORD.

        >>> Auth.from_env({"KG_REMOTE_USER": "kg", "KG_REMOTE_PASSWORD": "pw"}).headers()
        {'Authorization': 'Basic a2c6cHc='}
        """
        env = os.environ if env is None else env
        return cls(user=env.get("KG_REMOTE_USER") or None, password=env.get("KG_REMOTE_PASSWORD"),
                   token=env.get("KG_REMOTE_TOKEN") or None)

    def headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode("utf-8")
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}


# --- queries ---------------------------------------------------------------------------------

def remote_text(text: str, terms: dict, base_iri: str) -> str:
    """The query as a remote server needs it: base, predefined prefixes, parameters as VALUES."""
    declared = {m.group(1) or "" for m in DECLARED.finditer(text)}
    prologue = [] if re.search(r"^\s*BASE\s*<", text, re.I | re.M) else [f"BASE <{base_iri}>"]
    prologue += [f"PREFIX {k}: <{v or base_iri}>" for k, v in PREFIXES.items() if k not in declared]
    return "\n".join(prologue) + "\n" + with_values(strip_comments(text), terms)


def _wrapper(endpoint: str, text: str, auth: Auth, timeout: int):
    from SPARQLWrapper import POST, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setTimeout(timeout)
    sw.setQuery(text)
    if auth.token:
        sw.addCustomHttpHeader("Authorization", f"Bearer {auth.token}")
    elif auth.user is not None:
        sw.setCredentials(auth.user, auth.password or "")
    return sw


def _fetch(sw, endpoint: str) -> bytes:
    from SPARQLWrapper import SPARQLExceptions as sx

    try:
        return sw.query().response.read()
    except sx.QueryBadFormed as err:
        raise InputError(f"{endpoint}: the server refused the query: {_first_line(err)}") from None
    except sx.Unauthorized:
        raise InputError(f"{endpoint}: not authorised", hint=CREDENTIALS) from None
    except sx.EndPointNotFound:
        raise InputError(f"{endpoint}: no SPARQL endpoint at this URL") from None
    except sx.SPARQLWrapperException as err:
        raise StoreError(f"{endpoint}: the server failed: {_first_line(err)}") from None
    except (urllib.error.URLError, OSError) as err:
        raise InputError(f"{endpoint}: cannot reach the server: {getattr(err, 'reason', err)}") from None


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def run_remote(endpoint: str, q: StockQuery, terms: dict, format: str, base_iri: str, *,
               auth: Auth | None = None, timeout: int = 120) -> str:
    """Run a stock query on a remote endpoint; the output is what ``kg query`` prints locally.
    Credentials, when not given, come from the environment (:meth:`Auth.from_env`)."""
    from SPARQLWrapper import JSON, TURTLE as SW_TURTLE

    text = remote_text(q.text, terms, base_iri)
    check_read_only(text, q.name)
    sw = _wrapper(endpoint, text, auth or Auth.from_env(), timeout)
    sw.queryType = query_form(text)  # SPARQLWrapper's own guess can read "a copy" in a comment as COPY
    graph = sw.queryType in ("CONSTRUCT", "DESCRIBE")
    sw.setReturnFormat(SW_TURTLE if graph else JSON)
    body = _fetch(sw, endpoint)
    try:
        if graph:
            return _render_triples([q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)], format)
        return _render_results(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), format, base_iri)
    except SyntaxError as err:
        raise StoreError(f"{endpoint}: the answer cannot be read: {_first_line(err)}") from None


def _render_triples(triples: list, format: str) -> str:
    fmt = ox.RdfFormat.TURTLE if format == "table" else ox.RdfFormat.N_TRIPLES
    return ox.serialize(triples, format=fmt).decode("utf-8")


def _render_results(results, format: str, base_iri: str) -> str:
    from .render import RESULT_FORMATS, solutions_table

    if isinstance(results, ox.QueryBoolean):
        return ("true" if bool(results) else "false") + "\n"
    if format == "table":
        return solutions_table(results, {"id": base_iri})[0] + "\n"
    return results.serialize(format=RESULT_FORMATS[format]).decode("utf-8")


# --- push ------------------------------------------------------------------------------------

@dataclass
class PushReport:
    """What a push did: each graph sent with its triple count, and graphs removed by --prune."""

    graph_store: str
    graphs: list[tuple[str, int]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def graph_url(graph_store: str, graph: str) -> str:
    """
    >>> graph_url("http://h/store", "https://ex.org/g/1")
    'http://h/store?graph=https%3A%2F%2Fex.org%2Fg%2F1'
    """
    return graph_store + ("&" if "?" in graph_store else "?") + "graph=" + quote(graph, safe="")


def _opener(url: str, auth: Auth):
    handlers = []
    if auth.user is not None and not auth.token:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, auth.user, auth.password or "")
        handlers = [urllib.request.HTTPDigestAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


def _send(method: str, url: str, body: bytes | None, auth: Auth, timeout: int) -> int:
    headers = {"Content-Type": TURTLE} if body is not None else {}
    request = urllib.request.Request(url, data=body, method=method, headers={**headers, **auth.headers()})
    try:
        with _opener(url, auth).open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as err:
        detail = err.read(300).decode("utf-8", "replace").strip().splitlines()
        message = f"{method} {url}: HTTP {err.code} {err.reason}" + (f": {detail[0]}" if detail else "")
        if err.code in (401, 403):
            raise InputError(message, hint=CREDENTIALS) from None
        if err.code in (404, 405, 415):
            raise InputError(message, hint="is --graph-store the server's Graph Store Protocol URL? see docs/PUBLISHING.md") from None
        raise StoreError(message) from None
    except (urllib.error.URLError, OSError) as err:
        raise InputError(f"{url}: cannot reach the server: {getattr(err, 'reason', err)}") from None


def graph_turtle(store: ox.Store, graph: ox.NamedNode, prefixes: dict[str, str]) -> tuple[bytes, int]:
    """One named graph as Turtle, and its number of triples."""
    triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, graph)]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes), len(triples)


def push(store: ox.Store, graph_store: str, *, endpoint: str | None = None, auth: Auth | None = None,
         prefixes: dict[str, str] | None = None, prune_under: str | None = None, timeout: int = 300,
         progress: Callable[[str, int], None] = lambda graph, n: None) -> PushReport:
    """PUT every named graph of the store; with ``prune_under``, DELETE remote graphs under that
    IRI prefix that the store no longer has (found with a query on ``endpoint``)."""
    auth = auth or Auth()
    report = PushReport(graph_store)
    local = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    for iri in local:
        body, count = graph_turtle(store, ox.NamedNode(iri), prefixes or {})
        _send("PUT", graph_url(graph_store, iri), body, auth, timeout)
        report.graphs.append((iri, count))
        progress(iri, count)
    if prune_under:
        for iri in sorted(set(remote_graphs(endpoint or graph_store, auth, timeout)) - set(local)):
            if iri.startswith(prune_under):
                _send("DELETE", graph_url(graph_store, iri), None, auth, timeout)
                report.pruned.append(iri)
    return report


def remote_graphs(endpoint: str, auth: Auth, timeout: int) -> list[str]:
    """The named graphs a remote endpoint holds."""
    from SPARQLWrapper import JSON

    sw = _wrapper(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", auth, timeout)
    sw.setReturnFormat(JSON)
    results = ox.parse_query_results(_fetch(sw, endpoint), format=ox.QueryResultsFormat.JSON)
    return [row["g"].value for row in results if isinstance(row["g"], ox.NamedNode)]
