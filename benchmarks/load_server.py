"""Load test of ``kg serve`` on loopback: many concurrent clients, bounded in time.

Starts ``kg serve`` in its own process (so that the load generator does not share the server's
interpreter) on a free port of 127.0.0.1, in the project folder given (default: this
repository, its built graph), unless ``--url`` points at a running server.  Each client keeps
one connection and sends requests from a mix of pages, RDF formats, the VoID description, the
query page, stock queries and SPARQL queries, until ``--duration`` seconds have passed or it has
sent ``--requests`` requests.  Prints the figures; exits 1 if any request failed.

    .venv/bin/python benchmarks/load_server.py --clients 50 --duration 20
    .venv/bin/python benchmarks/load_server.py --url http://127.0.0.1:8000 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SPARQL = ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
          "SELECT ?name WHERE { ?a a schema:Organization ; schema:name ?name } ORDER BY ?name LIMIT 20",
          "ASK { ?s a akg:Signature }",
          "CONSTRUCT { ?s schema:name ?n } WHERE { ?s a schema:Person ; schema:name ?n } LIMIT 50"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def kg_server(project: Path, *args: str):
    """``kg serve`` in a child process on a free loopback port; yields its URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO)] + [p for p in sys.path if p])}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port), *args],
                            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"kg serve did not start: {proc.stderr.read().decode() if proc.poll() is not None else 'timeout'}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(15)


def targets(url: str) -> list[tuple[str, str]]:
    """(path, Accept) pairs: resources found through the server's own endpoint, and fixed pages."""
    root = urlsplit(httpx.get(url + "/", follow_redirects=False, timeout=10).headers.get("location", "/")).path
    query = ("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(<>))) } "
             "ORDER BY ?s LIMIT 60")
    found = httpx.get(url + root + "sparql", params={"query": query}, timeout=30).json()  # <> is the base
    paths = [urlsplit(b["s"]["value"]).path for b in found["results"]["bindings"]] or [root]
    out = [(root, HTML), ("/.well-known/void", "text/turtle"), (root + "query", HTML), (root + "dumps/", HTML)]
    for i, path in enumerate(paths):
        out.append((path, (HTML, "text/turtle", "application/ld+json", "application/n-triples")[i % 4]))
    for text in SPARQL:
        out.append((root + "sparql?query=" + quote(text), "application/sparql-results+json, text/turtle;q=0.9"))
    return out


async def client(http: httpx.AsyncClient, url: str, mix: list, offset: int, stop: float, budget: int | None,
                 latencies: list, errors: list) -> None:
    sent = 0
    while time.monotonic() < stop and (budget is None or sent < budget):
        path, accept = mix[(offset + sent) % len(mix)]
        began = time.perf_counter()
        try:
            response = await http.get(url + path, headers={"Accept": accept})
            if response.status_code != 200:
                errors.append(f"{response.status_code} {path}")
        except httpx.HTTPError as err:
            errors.append(f"{type(err).__name__} {path}")
        latencies.append(time.perf_counter() - began)
        sent += 1


async def run_load_async(url: str, mix: list, clients: int, duration: float, requests: int | None,
                         timeout: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    began = time.monotonic()
    stop = began + duration
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    sessions = [httpx.AsyncClient(timeout=timeout, limits=limits) for _ in range(clients)]
    try:
        await asyncio.gather(*[client(s, url, mix, i * 7, stop, requests, latencies, errors)
                               for i, s in enumerate(sessions)])
    finally:
        await asyncio.gather(*[s.aclose() for s in sessions])
    return summary(latencies, errors, clients, time.monotonic() - began)


def summary(latencies: list[float], errors: list[str], clients: int, elapsed: float) -> dict:
    ordered = sorted(latencies) or [0.0]
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"clients": clients, "requests": len(latencies), "errors": len(errors), "error_samples": errors[:5],
            "seconds": round(elapsed, 2), "requests_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(pick(0.50), 1), "p95_ms": round(pick(0.95), 1), "p99_ms": round(pick(0.99), 1),
            "max_ms": round(ordered[-1] * 1000, 1), "mean_ms": round(statistics.fmean(ordered) * 1000, 1)}


def run_load(url: str, *, clients: int = 50, duration: float = 10.0, requests: int | None = None,
             timeout: float = 30.0) -> dict:
    """Load a running server; returns the figures."""
    return asyncio.run(run_load_async(url, targets(url), clients, duration, requests, timeout))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start kg serve)")
    parser.add_argument("--project", type=Path, default=REPO, help="project folder with a built graph")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds (the bound)")
    parser.add_argument("--requests", type=int, help="requests per client (default: until --duration)")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes of the server")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.url:
        figures = run_load(args.url, clients=args.clients, duration=args.duration, requests=args.requests)
    else:
        with kg_server(args.project, "--workers", str(args.workers)) as url:
            figures = run_load(url, clients=args.clients, duration=args.duration, requests=args.requests)
    print(json.dumps(figures, indent=1) if args.json else
          "{clients} clients, {requests} requests in {seconds} s: {requests_per_second} requests/s, "
          "{errors} errors; latency p50 {p50_ms} ms, p95 {p95_ms} ms, p99 {p99_ms} ms, max {max_ms} ms".format(**figures))
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
