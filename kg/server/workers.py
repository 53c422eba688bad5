"""Queries run in worker processes, so that one that runs too long can be stopped.

pyoxigraph cannot interrupt a query, so each SPARQL query is sent to a worker process; the server
waits at most ``timeout`` seconds for the answer and then kills that worker (a new one is started
on demand).  A worker evaluates at most ``max_rows`` solutions (or triples) and serialises them
itself, so only the bytes of the answer cross the pipe; an answer larger than ``max_bytes`` keeps
only the rows that fit.  A worker's heap is limited (``RLIMIT_DATA``, ``memory`` bytes), so that a
query building huge strings stops that worker, not the machine; queries run on a thread with a
large stack, so that a long chain of operators (``!!!…``, ``1+1+…``, ``UNION`` after ``UNION``) is
evaluated rather than overflowing the stack.  A job is a plain dict:

    store: path of the release's store        query: SPARQL text     base: base IRI
    prefixes: default prefixes                union: default graph = union of named graphs
    default_graphs, named_graphs: IRIs (SPARQL protocol dataset), bindings: name -> term tuple
    results_format / graph_format: wanted format for solutions / triples (None: not acceptable)
    max_rows, max_bytes (None: no limit), context (JSON-LD context)

The answer is a dict: ``{"status": 200, "format", "body", "truncated", "rows", "capped"}`` (capped:
``"rows"`` or ``"bytes"`` when the answer was cut there, else None) or ``{"status": 400|406, "message"}``.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

import pyoxigraph as ox

from .rdfout import serialize

RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
STACK = 1 << 30  # bytes of stack for the thread evaluating queries (reserved, used only as needed)


class Overloaded(Exception):
    """Every worker stayed busy for longer than the queue wait."""


class QueryTimeout(Exception):
    """The query ran longer than the timeout; its worker was killed."""


class WorkerLost(Exception):
    """The worker died while evaluating (out of memory, crashed, killed from outside)."""

    def __init__(self, reason: str = "stopped") -> None:
        super().__init__(reason)
        self.reason = reason  # "memory" (hit its heap limit), "crashed" (a fatal signal) or "stopped"


# --- in the worker process -------------------------------------------------------------------

def term_json(term) -> dict:
    """One RDF term in the SPARQL 1.1 JSON results format.

    >>> term_json(ox.Literal("chat", language="fr"))
    {'type': 'literal', 'value': 'chat', 'xml:lang': 'fr'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def solutions_json(variables: list[str], rows: list) -> bytes:
    bindings = [{v: term_json(row[v]) for v in variables if row[v] is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def _term(spec: tuple):
    if spec[0] == "iri":
        return ox.NamedNode(spec[1])
    _, value, datatype, language = spec
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


def _graphs(iris: list[str] | None):
    return [ox.NamedNode(i) for i in iris] if iris else None


def evaluate(store: ox.Store, job: dict):
    """Run the job's query; parameters are substituted, or bound by VALUES if not projected."""
    from ..queries import with_values

    bound = {k: _term(v) for k, v in job.get("bindings", {}).items()}
    options = dict(base_iri=job["base"], prefixes=job.get("prefixes"),
                   default_graph=_graphs(job.get("default_graphs")), named_graphs=_graphs(job.get("named_graphs")))
    options["use_default_graph_as_union"] = job.get("union", True) and not job.get("default_graphs")
    try:
        return store.query(job["query"], substitutions={ox.Variable(k): v for k, v in bound.items()}, **options)
    except RuntimeError as err:
        if "projection" not in str(err):
            raise
        return store.query(with_values(job["query"], bound), **options)


def answer(store: ox.Store, job: dict) -> dict:
    """Evaluate a job and serialise at most ``max_rows`` rows in the wanted format."""
    try:
        results = evaluate(store, job)
        if isinstance(results, ox.QueryBoolean):
            return _boolean(results, job)
        if isinstance(results, ox.QuerySolutions):
            return _solutions(results, job)
        return _triples(results, job)
    except SyntaxError as err:
        return {"status": 400, "message": f"SPARQL syntax error: {str(err).splitlines()[0]}"}
    except (RuntimeError, ValueError, OSError) as err:
        return {"status": 400, "message": f"the query failed: {str(err).splitlines()[0] if str(err) else type(err).__name__}"}


def _not_acceptable(kind: str) -> dict:
    return {"status": 406, "message": f"this query gives {kind}; the Accept header or format asks for none "
                                      "of the formats they can be written in"}


def _boolean(results, job: dict) -> dict:
    fmt = job.get("results_format")
    if fmt is None:
        return _not_acceptable("a boolean")
    return {"status": 200, "format": fmt, "body": results.serialize(format=RESULTS[fmt]), "truncated": False, "rows": 1,
            "capped": None}


def _solutions(results, job: dict) -> dict:
    fmt = job.get("results_format")
    if fmt is None:
        return _not_acceptable("solutions (a table)")
    variables = [v.value for v in results.variables]

    def write(rows: list) -> bytes:
        body = solutions_json(variables, rows)
        if fmt != "json":
            body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=RESULTS[fmt])
        return body

    return _capped(list(itertools.islice(results, job["max_rows"] + 1)), write, fmt, job)


def _triples(results, job: dict) -> dict:
    fmt = job.get("graph_format")
    if fmt is None:
        return _not_acceptable("triples (a graph)")
    write = lambda triples: serialize(triples, fmt, context=job["context"], base=job["base"])  # noqa: E731
    return _capped(list(itertools.islice(results, job["max_rows"] + 1)), write, fmt, job)


def _capped(items: list, write, fmt: str, job: dict) -> dict:
    """At most ``max_rows`` items written, and fewer (halving) while the body is over ``max_bytes``.

    >>> job = {"max_rows": 4, "max_bytes": 10}
    >>> [_capped(list(range(n)), lambda xs: b"12" * len(xs), "x", job)["capped"] for n in (3, 5)]
    [None, 'rows']
    >>> answer = _capped(list(range(9)), lambda xs: b"123" * len(xs), "x", job)
    >>> answer["rows"], answer["capped"], answer["body"]
    (2, 'bytes', b'123123')
    """
    capped = "rows" if len(items) > job["max_rows"] else None
    kept = items[: job["max_rows"]]
    body, limit = write(kept), job.get("max_bytes")
    while limit is not None and len(body) > limit and kept:
        kept, capped = kept[: len(kept) // 2], "bytes"
        body = write(kept)
    return {"status": 200, "format": fmt, "body": body, "truncated": capped is not None, "rows": len(kept),
            "capped": capped}


def _serve(conn: Connection) -> None:
    """The worker's loop: one job in, one answer out; the store of each release opened once."""
    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if opened is None or opened[0] != job["store"]:
            opened = (job["store"], ox.Store.read_only(job["store"]))
        conn.send(answer(opened[1], job))


def _main(fd: int, memory: int | None) -> None:
    """The worker process: limit its heap, then serve jobs on a thread with a large stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if memory:  # the stack is reserved as data too, so the limit is the heap plus the stack
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = memory + STACK if hard == resource.RLIM_INFINITY else min(hard, memory + STACK)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    conn = Connection(fd)
    try:
        threading.stack_size(STACK)
        thread = threading.Thread(target=_serve, args=(conn,), name="queries")
        thread.start()
    except (RuntimeError, ValueError):  # no room for the stack (strict overcommit): the main thread's
        _serve(conn)
        return
    thread.join()


# --- in the server process -------------------------------------------------------------------

class _Worker:
    """A worker process (``python -m kg.server.workers FD MEMORY``) and our end of its socket.

    Started as a fresh interpreter rather than with multiprocessing's spawn, so that it never
    re-imports the server's main module (a script, pytest, uvicorn's reloader).
    """

    def __init__(self, memory: int | None = None) -> None:
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p), "RUST_BACKTRACE": "0"}
        self.process = subprocess.Popen([sys.executable, "-m", "kg.server.workers", str(theirs.fileno()),
                                         str(memory or 0)],
                                        pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())

    def lost(self) -> str:
        """Why the worker died: "memory" (Rust aborts when an allocation fails), "crashed" or "stopped"."""
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return "stopped"
        return "memory" if code == -signal.SIGABRT else "crashed" if code in (-signal.SIGSEGV, -signal.SIGBUS) else "stopped"

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class QueryPool:
    """At most ``size`` worker processes, started when first needed; thread-safe, loop-agnostic."""

    def __init__(self, size: int, timeout: float, *, queue_wait: float = 5.0, memory: int | None = None) -> None:
        self.size, self.timeout, self.queue_wait, self.memory = max(1, size), timeout, queue_wait, memory
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        self.killed = 0

    def _acquire(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._live) < self.size:
                worker = _Worker(self.memory)
                self._live.add(worker)
                return worker
        try:
            return self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise Overloaded() from None

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and put a fresh one in its place, so that waiting requests get it."""
        worker.kill()
        with self._lock:
            self._live.discard(worker)
            self.killed += 1
            fresh = _Worker(self.memory)
            self._live.add(fresh)
        self._idle.put(fresh)

    def run(self, job: dict) -> dict:
        """Send a job to an idle worker and wait for its answer, at most ``timeout`` seconds."""
        worker = self._acquire()
        try:
            worker.conn.send(job)
            ready = worker.conn.poll(self.timeout)
            if not ready:
                self._replace(worker)
                raise QueryTimeout()
            result = worker.conn.recv()
        except (EOFError, OSError):
            reason = worker.lost()
            self._replace(worker)
            raise WorkerLost(reason) from None
        self._idle.put(worker)
        return result

    def close(self) -> None:
        """Stop every worker; the pool starts new ones if used again."""
        while True:
            try:
                self._idle.get_nowait()
            except queue.Empty:
                break
        with self._lock:
            workers, self._live = list(self._live), set()
        for worker in workers:
            worker.kill()


if __name__ == "__main__":
    _main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)
