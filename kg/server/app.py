"""The web app: a read-only SPARQL endpoint, dereferenceable IRIs with content negotiation, HTML
pages, the query page, the dumps and the VoID description, over the current release.

Made by :func:`create_app` (no global state: the settings, limits, release watch and query pool
live on one :class:`Server` object).  Routes, with ROOT the path of the base IRI
(``/atrocity-kg/id/`` by default):

    GET  /                           redirect to ROOT
    GET  /.well-known/void           VoID + DCAT description (Turtle, N-Triples, JSON-LD, HTML)
    GET  ROOT                        home page
    GET  ROOT static/kg.css          style sheet
    GET  ROOT sparql ?query=         SPARQL 1.1 Protocol (also POST); no query: service description
    GET  ROOT query                  query page; ?query= or POST: run free SPARQL, HTML results
    GET  ROOT query/NAME ?param=…    a stock query (HTML page, or results by Accept / ?format=)
    GET  ROOT dumps/ , dumps/FILE    the dumps of the current release
    GET  ROOT PATH                   the resource BASE+PATH (HTML, Turtle, N-Triples, JSON-LD)
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..config import Settings, cpu_count
from ..errors import InputError, KgError, StoreError
from ..publish.dumps import load_context
from ..queries import PREFIXES, StockQuery, bind, stock_queries
from . import describe as d
from . import negotiation as neg
from . import pages, querypages
from .cache import ResponseCache
from .guard import Guard
from .markup import CSS
from .problems import Problem, problem_json
from .rdfout import serialize
from .release import ReleaseWatch
from .site import Site
from .sparql import from_request, service_description
from .workers import Overloaded, QueryPool, QueryTimeout, WorkerLost

DUMP_MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
              ".trig": "application/trig", ".jsonld": "application/ld+json"}
RESULT_MEDIA = {o.name: o.media_type for o in neg.RESULTS + neg.GRAPH}
LOST = {"stopped": "the query worker stopped while running the query",
        "memory": "the query worker stopped: the query needed more memory than a worker may use",
        "crashed": "the query worker stopped: it crashed on this query"}


@dataclass(frozen=True)
class Limits:
    """What one request may cost."""

    timeout: float = 10.0  # seconds a SPARQL query may run before its worker is killed
    max_rows: int = 10_000  # solutions or triples in one answer; more are cut (X-SPARQL-MaxRows)
    max_bytes: int = 32_000_000  # bytes of one query answer; rows past it are cut (X-SPARQL-MaxBytes)
    worker_memory: int = 1 << 30  # bytes of heap a query worker may use; past it the worker dies (500)
    workers: int = field(default_factory=lambda: min(4, cpu_count()))  # query worker processes
    max_body: int = 1_000_000  # bytes of a request body
    max_url: int = 16_000  # characters of a request's path and query string
    max_inflight: int = 256  # requests at once; more get 503 with Retry-After
    queue_wait: float = 5.0  # seconds a query waits for a free worker before 503
    threads: int = 64  # threads serving blocking requests (store reads, waiting on workers)
    cache_bytes: int = 64_000_000  # rendered pages and query answers kept per release


class Server:
    """The state of one app: settings, limits, the release being served, the query workers."""

    def __init__(self, settings: Settings, limits: Limits) -> None:
        self.settings, self.limits = settings, limits
        self.site = Site(settings.base_iri)
        self.releases = ReleaseWatch(settings.out)
        self.pool = QueryPool(limits.workers, limits.timeout, queue_wait=limits.queue_wait,
                              memory=limits.worker_memory)
        self.cache = ResponseCache(limits.cache_bytes)
        path = settings.ontology / "context.jsonld"
        self.context = load_context(path) if path.is_file() else {k: v for k, v in d.NS.items()}

    # --- helpers ------------------------------------------------------------------------

    def store(self):
        return self.releases.snapshot().store

    def negotiate(self, request: Request, offers) -> str:
        fmt = neg.choose(offers, request.headers.get("accept"), request.query_params.get("format"))
        if fmt is None:
            wanted = request.query_params.get("format") or request.headers.get("accept", "")
            raise Problem(406, f"cannot give this as {wanted}",
                          hint="available: " + ", ".join(o.media_type for o in offers))
        return fmt

    def html(self, body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(body, status_code=status, headers={"Vary": "Accept"})

    def rdf(self, triples, fmt: str, offers, etag: str | None = None) -> Response:
        body = serialize(triples, fmt, context=self.context, base=self.settings.base_iri)
        headers = {"Vary": "Accept"} | ({"ETag": etag} if etag else {})
        return Response(body, media_type=neg.media_type(offers, fmt), headers=headers)

    def job(self, query: str, *, results: str | None, graph: str | None, bindings=None,
            default_graphs=(), named_graphs=()) -> dict:
        base = self.settings.base_iri
        return {"store": str(self.releases.snapshot().store_path), "query": query, "base": base,
                "prefixes": {k: v or base for k, v in PREFIXES.items()}, "union": True,
                "default_graphs": list(default_graphs), "named_graphs": list(named_graphs),
                "bindings": bindings or {}, "results_format": results, "graph_format": graph,
                "max_rows": self.limits.max_rows, "max_bytes": self.limits.max_bytes, "context": self.context}

    def run(self, job: dict) -> dict:
        """Run a query job in a worker (or take its answer from the cache: a release never changes)."""
        key = ("query", json.dumps({k: v for k, v in job.items() if k != "context"}, sort_keys=True))
        return self.cache.get_or_make(key, lambda: self._run(job), size=lambda a: len(a["body"]) + 200)

    def _run(self, job: dict) -> dict:
        """Run a query job in a worker; the pool's failures become HTTP problems."""
        try:
            answer = self.pool.run(job)
        except Overloaded:
            raise Problem(503, "every query worker is busy", hint="try again in a few seconds",
                          headers={"Retry-After": "5"}) from None
        except QueryTimeout:
            raise Problem(504, f"the query ran longer than {self.limits.timeout:g} s and was stopped",
                          hint="narrow it down or add a LIMIT") from None
        except WorkerLost as lost:
            raise Problem(500, LOST[lost.reason], hint="narrow the query down; other requests are not affected"
                          if lost.reason != "stopped" else None) from None
        if answer["status"] != 200:
            raise Problem(answer["status"], answer["message"])
        return answer

    def answer_response(self, answer: dict) -> Response:
        headers = {"Vary": "Accept"}
        capped = answer.get("capped", "rows" if answer["truncated"] else None)
        if capped == "rows":
            headers["X-SPARQL-MaxRows"] = str(self.limits.max_rows)
        elif capped == "bytes":
            headers["X-SPARQL-MaxBytes"] = str(self.limits.max_bytes)
        return Response(answer["body"], media_type=RESULT_MEDIA[answer["format"]], headers=headers)

    # --- routes -------------------------------------------------------------------------

    def home(self, request: Request) -> Response:
        snapshot = self.releases.snapshot()
        return self.html(self.cache.get_or_make((snapshot.name, "home"), lambda: pages.home_page(self.site, snapshot.store)))

    def css(self, request: Request) -> Response:
        return Response(CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    def to_root(self, request: Request) -> Response:
        return RedirectResponse(self.site.root, status_code=302)

    def resource(self, request: Request) -> Response:
        iri = self.site.base + request.path_params["path"]
        snapshot = self.releases.snapshot()
        try:
            found = d.find(snapshot.store, iri)
        except ValueError:  # not an IRI at all (a space, a NUL, a backslash, a bad %-escape): not in the graph
            found = None
        if found is None:
            raise Problem(404, f"no resource with this IRI: {iri}", hint=f"see {self.site.root} for what is here")
        fmt = self.negotiate(request, neg.RESOURCE)
        etag = f'"{snapshot.name}-{fmt}"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag, "Vary": "Accept"})
        body = self.cache.get_or_make((snapshot.name, iri, fmt), lambda: self.describe(snapshot.store, found, fmt))
        return Response(body, media_type=neg.media_type(neg.RESOURCE, fmt), headers={"Vary": "Accept", "ETag": etag})

    def describe(self, store, found: d.Resource, fmt: str) -> bytes:
        """A resource's page, or its triples (as subject and object; a named graph's content too)."""
        if fmt == "html":
            return pages.resource_page(self.site, store, found).encode("utf-8")
        triples = found.outgoing + found.incoming
        if found.is_graph:
            triples += d.graph_triples(store, found.iri, self.limits.max_rows)
        return serialize(list(dict.fromkeys(triples)), fmt, context=self.context, base=self.settings.base_iri)

    def void(self, request: Request) -> Response:
        fmt = self.negotiate(request, neg.DESCRIPTION)
        snapshot = self.releases.snapshot()
        body = self.cache.get_or_make((snapshot.name, "void", fmt), lambda: self.void_body(snapshot.store, fmt),
                                      size=lambda value: len(value or b""))
        if body is None:
            raise Problem(404, "this release has no dataset description", hint="rebuild with 'kg build'")
        return Response(body, media_type=neg.media_type(neg.DESCRIPTION, fmt), headers={"Vary": "Accept"})

    def void_body(self, store, fmt: str) -> bytes | None:
        triples = d.graph_triples(store, self.site.base + "graph/dataset", self.limits.max_rows)
        dataset = d.find(store, self.site.base + "dataset")
        if not triples or dataset is None:
            return None
        if fmt == "html":
            return pages.resource_page(self.site, store, dataset).encode("utf-8")
        return serialize(triples, fmt, context=self.context, base=self.settings.base_iri)

    async def sparql(self, request: Request) -> Response:
        body = await read_body(request, self.limits.max_body) if request.method == "POST" else b""
        return await run_in_threadpool(self.sparql_answer, request, body)

    def sparql_answer(self, request: Request, body: bytes) -> Response:
        """The SPARQL 1.1 Protocol: a query's answer, or the service description without one."""
        params, accept = request.query_params, request.headers.get("accept")
        if request.method == "GET" and "query" not in params and "update" not in params:
            return self.service_description(request)
        query = from_request(request.method, request.url.query, request.headers.get("content-type", ""), body)
        if neg.prefers_html(accept) and "format" not in params:
            return self.free_results(query.query)
        job = self.job(query.query, results=neg.choose(neg.RESULTS, accept, params.get("format")),
                       graph=neg.choose(neg.GRAPH, accept, params.get("format")),
                       default_graphs=query.default_graphs, named_graphs=query.named_graphs)
        return self.answer_response(self.run(job))

    def service_description(self, request: Request) -> Response:
        if neg.choose(neg.DESCRIPTION, request.headers.get("accept"), request.query_params.get("format")) == "html":
            return RedirectResponse(self.site.query_page, status_code=303)
        fmt = self.negotiate(request, neg.DESCRIPTION)
        graphs = sorted(g.value for g in self.store().named_graphs())
        return self.rdf(service_description(self.site.endpoint_iri, graphs), fmt, neg.DESCRIPTION)

    def free_results(self, text: str) -> Response:
        answer = self.run(self.job(text, results="json", graph="ntriples"))
        results = querypages.results_html(self.site, self.store(), answer)
        return self.html(querypages.free_page(self.site, text, results))

    async def query_page(self, request: Request) -> Response:
        if request.method == "POST" or "query" in request.query_params:
            body = await read_body(request, self.limits.max_body) if request.method == "POST" else b""
            query = from_request(request.method, request.url.query, request.headers.get("content-type", ""), body)
            return await run_in_threadpool(self.free_results, query.query)
        return await run_in_threadpool(lambda: self.html(querypages.index_page(self.site, self.stock())))

    def stock(self) -> dict[str, StockQuery]:
        try:
            return stock_queries(self.settings.queries)
        except InputError as err:
            raise Problem(500, f"a stock query cannot be read: {err}") from None

    def stock_query(self, request: Request) -> Response:
        query = self.stock().get(request.path_params["name"])
        if query is None:
            raise Problem(404, f"no stock query named {request.path_params['name']!r}", hint=f"see {self.site.query_page}")
        given = {k: v for k, v in request.query_params.items() if k != "format"}
        wants_html = neg.choose((neg.HTML,) + neg.RESULTS, request.headers.get("accept"),
                                request.query_params.get("format")) == "html"
        if wants_html and any(p.default is None and p.name not in given for p in query.params):
            return self.html(querypages.stock_page(self.site, query, given, ""))  # the form, to fill in
        try:
            terms = bind(query, given, self.settings.base_iri)
        except InputError as err:
            raise Problem(400, err.message.replace("--param ", ""), hint=err.hint) from None
        bindings = {k: term_tuple(v) for k, v in terms.items()}
        accept, fmt = request.headers.get("accept"), request.query_params.get("format")
        if wants_html:
            answer = self.run(self.job(query.text, results="json", graph="ntriples", bindings=bindings))
            results = querypages.results_html(self.site, self.store(), answer)
            return self.html(querypages.stock_page(self.site, query, given, results))
        job = self.job(query.text, results=neg.choose(neg.RESULTS, accept, fmt), graph=neg.choose(neg.GRAPH, accept, fmt),
                       bindings=bindings)
        return self.answer_response(self.run(job))

    def dumps_index(self, request: Request) -> Response:
        files = dump_files(self.releases.snapshot().dumps)
        return self.html(querypages.dumps_page(self.site, files, DUMP_MEDIA))

    def dump_file(self, request: Request) -> Response:
        files = {f.name: f for f in dump_files(self.releases.snapshot().dumps)}
        path = files.get(request.path_params["file"])
        if path is None:
            raise Problem(404, f"no dump named {request.path_params['file']!r}", hint=f"see {self.site.dumps}")
        return FileResponse(path, media_type=DUMP_MEDIA.get(path.suffix, "application/octet-stream"))

    def routes(self) -> list[Route]:
        root = self.site.root
        table = [Route("/.well-known/void", self.void), Route(root, self.home),
                 Route(root + "static/kg.css", self.css), Route(root + "sparql", self.sparql, methods=["GET", "POST"]),
                 Route(root + "query", self.query_page, methods=["GET", "POST"]),
                 Route(root + "query/{name}", self.stock_query), Route(root + "dumps/", self.dumps_index),
                 Route(root + "dumps", lambda request: RedirectResponse(self.site.dumps, status_code=301)),
                 Route(root + "dumps/{file}", self.dump_file), Route(root + "{path:path}", self.resource)]
        return ([Route("/", self.to_root)] if root != "/" else []) + table


def term_tuple(term) -> tuple:
    """A bound parameter as a picklable tuple for a worker."""
    if term.__class__.__name__ == "NamedNode":
        return ("iri", term.value)
    return ("literal", term.value, term.datatype.value if term.datatype else None, term.language)


def dump_files(folder):
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes (checked while it arrives)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def problem_response(request: Request, problem: Problem, site: Site) -> Response:
    """The error as an HTML page for a browser, else as application/problem+json."""
    headers = {"Vary": "Accept", **problem.headers}
    if neg.prefers_html(request.headers.get("accept")):
        return HTMLResponse(querypages.error_page(site, problem), status_code=problem.status, headers=headers)
    return Response(problem_json(problem), status_code=problem.status, media_type="application/problem+json",
                    headers=headers)


def _handlers(site: Site) -> dict:
    def on_problem(request, exc):
        return problem_response(request, exc, site)

    def on_http(request, exc: HTTPException):
        detail = {404: f"nothing at {request.url.path}", 405: f"{request.method} is not allowed here"}
        headers = dict(exc.headers or {})
        return problem_response(request, Problem(exc.status_code, detail.get(exc.status_code, str(exc.detail)),
                                                 headers=headers), site)

    def on_kg(request, exc: KgError):
        status = 503 if isinstance(exc, StoreError) else 400 if isinstance(exc, InputError) else 500
        extra = {"Retry-After": "30"} if status == 503 else None
        return problem_response(request, Problem(status, exc.message, hint=exc.hint, headers=extra), site)

    def on_error(request, exc: Exception):
        return problem_response(request, Problem(500, f"internal error: {type(exc).__name__}"), site)

    return {Problem: on_problem, HTTPException: on_http, KgError: on_kg, Exception: on_error}


def create_app(settings: Settings, limits: Limits | None = None) -> Starlette:
    """The Starlette app serving ``settings.out``'s current release."""
    server = Server(settings, limits or Limits())

    @contextlib.asynccontextmanager
    async def lifespan(app):
        anyio.to_thread.current_default_thread_limiter().total_tokens = server.limits.threads
        try:
            yield
        finally:
            server.pool.close()

    render = lambda request, problem: problem_response(request, problem, server.site)  # noqa: E731
    app = Starlette(routes=server.routes(), exception_handlers=_handlers(server.site), lifespan=lifespan,
                    middleware=[Middleware(Guard, limits=server.limits, render=render)])
    app.state.server = server
    return app
