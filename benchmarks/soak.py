"""Soak test of ``kg serve`` on loopback: 50 clients for minutes, errors, latency and memory.

Starts ``kg serve --port N --out OUT`` in its own process on a free port of 127.0.0.1 (over the
built graph of ``--project``, ``build/`` by default) and runs ``--clients`` concurrent clients for
``--duration`` seconds, each on its own keep-alive connection, sending a weighted mix of requests:

    page          a resource's HTML page, the home page, the query page, the dumps listing
    negotiation   a resource as Turtle, N-Triples or JSON-LD (by Accept or ?format=), the VoID
                  description, a conditional GET with If-None-Match (304)
    sparql        SELECT / ASK / CONSTRUCT on the endpoint, as JSON, CSV, XML or Turtle; some with a
                  varying constant so that the answer is not cached and a worker runs each
    stock         stock queries by name, as HTML or JSON
    dump          a dump file

Every answer with an unexpected status (or none: a transport error) is an error.  Meanwhile the
resident memory (RSS) of the server process and of its query workers is read from /proc every
``--sample`` seconds.  Memory is called flat when, after ``--warmup`` seconds (60), the mean of the
last third of the samples is within ``--flat`` (10%) of the mean of the first third.

    .venv/bin/python benchmarks/soak.py                       # 50 clients, 180 s
    .venv/bin/python benchmarks/soak.py --duration 30 --json  # a short run, the figures as JSON
    .venv/bin/python benchmarks/soak.py --url http://127.0.0.1:8000 --pid 1234  # a running server

Bounded: at most 500 clients and one hour, each client at most ``--requests`` requests; loopback
only.  Figures and the reasons for them: docs/SERVER-STRESS.md.  Exit status 1 when any request
failed, the server stopped, or memory was not flat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF = ["text/turtle", "application/n-triples", "application/ld+json"]
SPARQL = [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json"),
    ("SELECT ?name WHERE { ?a a schema:Organization ; schema:name ?name } ORDER BY ?name LIMIT 20", "text/csv"),
    ("SELECT ?doc ?name WHERE { ?doc akg:source ?t ; schema:name ?name }", "application/sparql-results+xml"),
    ("ASK { ?s a akg:Signature }", "application/sparql-results+json"),
    ("CONSTRUCT { ?s schema:name ?n } WHERE { ?s a schema:Person ; schema:name ?n } LIMIT 50", "text/turtle"),
    ("DESCRIBE ?s WHERE { ?s a schema:Organization } LIMIT 3", "application/n-triples"),
]
VARYING = 500  # distinct constants in the uncached queries: the cache fills during the warm-up
MAX_CLIENTS, MAX_DURATION = 500, 3600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def kg_server(project: Path, out: Path, *args: str):
    """``kg serve`` in a child process on a free loopback port; yields (URL, process)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO)] + [p for p in sys.path if p])}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--out", str(out), *args], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"kg serve did not start: {proc.stderr.read().decode() if proc.poll() is not None else 'timeout'}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- memory ----------------------------------------------------------------------------------

def rss_kb(pid: int) -> int:
    """Resident memory of one process in KB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the server's query workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


async def sample_memory(pid: int, every: float, stop: float, began: float, samples: list) -> None:
    while True:
        workers = children(pid)
        samples.append({"t": round(time.monotonic() - began, 1), "server_kb": rss_kb(pid),
                        "workers_kb": sum(rss_kb(w) for w in workers), "workers": len(workers)})
        if time.monotonic() + every > stop:
            return
        await asyncio.sleep(every)


def flatness(samples: list[dict], key: str, warmup: float, tolerance: float) -> dict:
    """Means of the first and last thirds of the samples after the warm-up, and whether they agree."""
    kept = [s[key] for s in samples if s["t"] >= warmup]
    if len(kept) < 3:
        return {"first_third_kb": None, "last_third_kb": None, "change": None, "flat": None}
    third = len(kept) // 3
    first, last = statistics.fmean(kept[:third]), statistics.fmean(kept[-third:])
    change = (last - first) / first if first else 0.0
    return {"first_third_kb": round(first), "last_third_kb": round(last), "change": round(change, 4),
            "flat": abs(change) <= tolerance}


# --- the mix ---------------------------------------------------------------------------------

def discover(url: str) -> tuple[str, list[str], list[str], list[str]]:
    """The served root, resource paths (from the server's own endpoint), stock query names, dumps."""
    root = urlsplit(httpx.get(url + "/", follow_redirects=False, timeout=10).headers.get("location", "/")).path
    query = ("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(<>))) } "
             "ORDER BY ?s LIMIT 400")
    found = httpx.get(url + root + "sparql", params={"query": query}, timeout=60).json()
    resources = [urlsplit(b["s"]["value"]).path for b in found["results"]["bindings"]] or [root]
    stock = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
    page = httpx.get(url + root + "query", timeout=30).text
    stock = [name for name in stock if f'id="form-{name}"' in page]
    dumps = [name for name in ("graph.ttl", "graph.jsonld", "graph.nt")
             if httpx.head(url + root + "dumps/" + name, timeout=10).status_code == 200]
    return root, resources, stock, dumps


class Mix:
    """Draws requests: (category, path, params, headers, expected statuses)."""

    WEIGHTS = {"page": 35, "negotiation": 30, "sparql": 20, "stock": 12, "dump": 3}

    def __init__(self, root: str, resources: list[str], stock: list[str], dumps: list[str], etags: dict) -> None:
        self.root, self.resources, self.stock, self.dumps, self.etags = root, resources, stock, dumps, etags
        self.categories = [c for c, w in self.WEIGHTS.items() for _ in range(w) if c != "dump" or dumps]

    def draw(self, rng: random.Random) -> tuple[str, str, dict | None, dict, tuple[int, ...]]:
        kind = rng.choice(self.categories)
        root = self.root
        if kind == "page":
            path = rng.choice(self.resources + [root, root + "query", root + "dumps/"])
            return kind, path, None, {"Accept": HTML}, (200,)
        if kind == "negotiation":
            path = rng.choice(self.resources)
            roll = rng.random()
            if roll < 0.15:
                return kind, "/.well-known/void", None, {"Accept": rng.choice(RDF)}, (200,)
            if roll < 0.3 and path in self.etags:
                return kind, path, None, {"Accept": "text/turtle", "If-None-Match": self.etags[path]}, (304,)
            if roll < 0.5:
                return kind, path, {"format": rng.choice(["ttl", "nt", "jsonld"])}, {"Accept": HTML}, (200,)
            return kind, path, None, {"Accept": rng.choice(RDF)}, (200,)
        if kind == "sparql":
            if rng.random() < 0.3:  # not in the cache (until every constant has been asked): a worker runs it
                query = f"SELECT ?s WHERE {{ ?s ?p ?o FILTER(?o = {rng.randrange(VARYING)}) }} LIMIT 5"
                return kind, root + "sparql", {"query": query}, {"Accept": "application/sparql-results+json"}, (200,)
            query, accept = rng.choice(SPARQL)
            return kind, root + "sparql", {"query": query}, {"Accept": accept}, (200,)
        if kind == "stock":
            name = rng.choice(self.stock)
            accept = rng.choice([HTML, "application/sparql-results+json, text/turtle;q=0.9"])
            return kind, root + "query/" + name, None, {"Accept": accept}, (200,)
        return kind, root + "dumps/" + rng.choice(self.dumps), None, {}, (200,)


async def client(http: httpx.AsyncClient, url: str, mix: Mix, seed: int, stop: float, budget: int,
                 results: list, errors: list) -> None:
    rng = random.Random(seed)
    for _ in range(budget):
        if time.monotonic() >= stop:
            return
        kind, path, params, headers, expected = mix.draw(rng)
        began = time.perf_counter()
        try:
            response = await http.get(url + path, params=params, headers=headers)
            await response.aread()
            renewed = response.status_code == 200 and "If-None-Match" in headers and \
                response.headers.get("etag") != headers["If-None-Match"]  # a rebuild since: a new release
            if response.status_code not in expected and not renewed:
                errors.append(f"{response.status_code} {kind} {path} {params or ''}"[:300])
        except httpx.HTTPError as err:
            errors.append(f"{type(err).__name__} {kind} {path}")
        results.append((kind, time.perf_counter() - began))


def percentiles(latencies: list[float]) -> dict:
    ordered = sorted(latencies) or [0.0]
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)  # noqa: E731
    return {"requests": len(latencies), "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "max_ms": round(ordered[-1] * 1000, 1)}


async def soak_async(url: str, pid: int | None, *, clients: int, duration: float, sample: float, warmup: float,
                     tolerance: float, timeout: float, budget: int) -> dict:
    root, resources, stock, dumps = discover(url)
    etags = {}
    for path in resources[:50]:
        tag = httpx.get(url + path, headers={"Accept": "text/turtle"}, timeout=10).headers.get("etag")
        if tag:
            etags[path] = tag
    mix = Mix(root, resources, stock, dumps, etags)
    results: list[tuple[str, float]] = []
    errors: list[str] = []
    samples: list[dict] = []
    began = time.monotonic()
    stop = began + duration
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    sessions = [httpx.AsyncClient(timeout=timeout, limits=limits) for _ in range(clients)]
    tasks = [client(s, url, mix, i, stop, budget, results, errors) for i, s in enumerate(sessions)]
    if pid is not None:
        tasks.append(sample_memory(pid, sample, stop, began, samples))
    try:
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*[s.aclose() for s in sessions])
    elapsed = time.monotonic() - began
    figures = {"clients": clients, "duration_s": round(elapsed, 1), "errors": len(errors), "error_samples": errors[:10],
               "requests_per_second": round(len(results) / elapsed, 1), "resources": len(resources),
               **percentiles([t for _, t in results]),
               "by_kind": {k: percentiles([t for kind, t in results if kind == k]) for k in Mix.WEIGHTS}}
    if samples:
        figures["memory"] = {"samples": samples, "warmup_s": warmup, "tolerance": tolerance,
                             "server": flatness(samples, "server_kb", warmup, tolerance),
                             "workers": flatness(samples, "workers_kb", warmup, tolerance),
                             "server_rss_start_kb": samples[0]["server_kb"],
                             "server_rss_after_warmup_kb": next((s["server_kb"] for s in samples if s["t"] >= warmup), None),
                             "server_rss_end_kb": samples[-1]["server_kb"],
                             "server_rss_max_kb": max(s["server_kb"] for s in samples),
                             "workers_rss_end_kb": samples[-1]["workers_kb"]}
    return figures


def report(figures: dict) -> str:
    lines = ["{clients} clients, {duration_s} s: {requests} requests, {errors} errors, {requests_per_second} requests/s; "
             "latency p50 {p50_ms} ms, p95 {p95_ms} ms, p99 {p99_ms} ms, max {max_ms} ms".format(**figures)]
    for kind, f in figures["by_kind"].items():
        lines.append(f"  {kind:<12} {f['requests']:>7} requests  p50 {f['p50_ms']} ms  p95 {f['p95_ms']} ms  "
                     f"p99 {f['p99_ms']} ms  max {f['max_ms']} ms")
    memory = figures.get("memory")
    if memory:
        s, w = memory["server"], memory["workers"]
        lines.append(f"server RSS: {memory['server_rss_start_kb'] / 1024:.1f} MB at start, "
                     f"{(memory['server_rss_after_warmup_kb'] or 0) / 1024:.1f} MB after the warm-up, "
                     f"{memory['server_rss_end_kb'] / 1024:.1f} MB at the end (max {memory['server_rss_max_kb'] / 1024:.1f} MB)")
        for name, f in (("server", s), ("workers", w)):
            if f["flat"] is not None:
                lines.append(f"{name} RSS after {memory['warmup_s']:g} s: first third {f['first_third_kb'] / 1024:.1f} MB, "
                             f"last third {f['last_third_kb'] / 1024:.1f} MB ({f['change']:+.1%}): "
                             + ("flat" if f["flat"] else "NOT flat"))
    if figures["error_samples"]:
        lines.append("errors: " + "; ".join(figures["error_samples"]))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a server already running on loopback (default: start kg serve)")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, to sample its memory")
    parser.add_argument("--project", type=Path, default=REPO, help="project folder (queries, kg.toml)")
    parser.add_argument("--out", type=Path, help="the built graph's folder (default: PROJECT/build)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180.0, help="seconds (the bound)")
    parser.add_argument("--requests", type=int, default=1_000_000, help="at most this many requests per client")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds left out of the memory comparison")
    parser.add_argument("--flat", type=float, default=0.10, help="largest relative change of RSS called flat")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes of the server")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a client waits for one answer")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--save", type=Path, help="also write the figures, with every memory sample, to this file")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--clients 1..{MAX_CLIENTS} and --duration up to {MAX_DURATION} s")
    options = dict(clients=args.clients, duration=args.duration, sample=args.sample, warmup=args.warmup,
                   tolerance=args.flat, timeout=args.timeout, budget=args.requests)
    if args.url:
        if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error("--url: loopback only (127.0.0.1, localhost, ::1)")
        figures = asyncio.run(soak_async(args.url.rstrip("/"), args.pid, **options))
        alive = args.pid is None or rss_kb(args.pid) > 0
    else:
        out = args.out or args.project / "build"
        with kg_server(args.project, out, "--workers", str(args.workers)) as (url, proc):
            figures = asyncio.run(soak_async(url, proc.pid, **options))
            alive = proc.poll() is None
    figures["server_alive_at_end"] = alive
    if args.save:
        args.save.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps({k: v for k, v in figures.items() if k != "memory"} | {"memory": {
            k: v for k, v in figures.get("memory", {}).items() if k != "samples"}}, indent=1))
    else:
        print(report(figures))
    memory = figures.get("memory", {})
    flat = all(memory.get(k, {}).get("flat") is not False for k in ("server", "workers"))
    return 0 if figures["errors"] == 0 and alive and flat else 1


if __name__ == "__main__":
    sys.exit(main())
