"""``kg serve`` under stress, on loopback: slow clients, clients that leave mid-response,
oversized requests, runaway and huge queries, malformed Accept headers, path traversal, and
script-injection payloads from the documents checked in headless Chromium.

Every test talks to a real uvicorn server on 127.0.0.1 (a free port): ``kg serve`` in its own
process over the seed graph built with the real pipeline, or, where a limit has no command-line
option, the app on uvicorn in a thread.  After each test the server must still answer and its
log must hold no traceback.  What is tried and what happens: docs/SERVER-STRESS.md.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from csv import reader
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent
R = "/atrocity-kg/id/"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAYLOADS = json.loads((ROOT / "tests" / "data" / "injection" / "payloads.json").read_text(encoding="utf-8"))
TIMEOUT, MAX_ROWS, MAX_BODY = 2.0, 100, 100_000  # the limits the stressed server runs with
# five copies of the store joined: 5000^5 rows to count, minutes at the least
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# --- servers ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """A server on loopback: its URL and port, and a way to check it is still well."""

    def __init__(self, port: int, log: Path | None = None, proc: subprocess.Popen | None = None) -> None:
        self.port, self.log, self.proc = port, log, proc
        self.url = f"http://127.0.0.1:{port}"

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=kwargs.pop("timeout", 15), **kwargs)

    def assert_healthy(self) -> None:
        """Still running, still answering a page and a query, nothing in the log but warnings."""
        if self.proc is not None:
            assert self.proc.poll() is None, "the server process exited"
        assert self.get(R, headers={"Accept": HTML}).status_code == 200
        deadline = time.monotonic() + 10  # a worker may still be finishing a runaway query
        while True:
            r = self.get(R + "sparql", params={"query": "ASK { ?s ?p ?o }"})
            if r.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 200 and r.json()["boolean"] is True
        if self.log is not None:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            assert "Traceback" not in text and "Exception in ASGI" not in text, text[-3000:]


@contextlib.contextmanager
def kg_serve(cwd: Path, out: Path, *args: str):
    """``kg serve --port N --out OUT`` in its own process, its log in a file; yields a Served."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    log = Path(tempfile.mkstemp(prefix="kg-serve-", suffix=".log")[1])
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--out", str(out), *args], cwd=cwd, env=env, stdout=sink, stderr=sink)
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kg serve did not start: {log.read_text()}")
            time.sleep(0.05)
        yield Served(port, log, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.unlink(missing_ok=True)


@contextlib.contextmanager
def uvicorn_thread(app, **config):
    """The app on uvicorn in a thread of this process (for limits without a command-line option)."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Served(port)
    finally:
        server.should_exit = True
        thread.join(15)


def raw(port: int, data: bytes, *, timeout: float = 15) -> tuple[int, bytes]:
    """Send bytes as they are (no client normalises the path) and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    answer = b"".join(chunks)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, answer


def raw_get(port: int, target: str | bytes, headers: dict[str, str | bytes] | None = None) -> tuple[int, bytes]:
    target = target.encode("latin-1") if isinstance(target, str) else target
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("latin-1")))
    return raw(port, b"\r\n".join(lines) + b"\r\n\r\n")


def read_response(sock: socket.socket) -> bytes:
    """One whole response with a Content-Length, read from a connection that stays open."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")))
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a client that crashes or loses its network does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The seed graph built with the real pipeline, and canary files beside its dumps."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("stress-build")
    build(Settings.for_project(ROOT).with_(out=out))
    (out / "canary.txt").write_text("CANARY-OUT outside the release\n")
    (out / "current" / "canary.txt").write_text("CANARY-RELEASE beside the dumps\n")
    return out


@pytest.fixture(scope="module")
def server(release):
    with kg_serve(ROOT, release, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--workers", "2",
                  "--max-body", str(MAX_BODY)) as served:
        yield served


# --- slow clients and clients that leave ---------------------------------------------------------

def test_slow_header_clients_do_not_block_others(server):
    """20 clients send their request a byte at a time (about 2 s each); meanwhile others are
    answered at once, and in the end the slow ones are answered too."""
    request = f"GET {R}doc/000_bbfb80d926e12133 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/turtle\r\nConnection: close\r\n\r\n".encode()
    answers: list[int] = []

    def slow_client() -> None:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            for i in range(len(request)):
                sock.sendall(request[i:i + 1])
                time.sleep(2.0 / len(request))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        answers.append(int(data.split(b" ", 2)[1]))

    threads = [threading.Thread(target=slow_client) for _ in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    latencies = []
    with httpx.Client(timeout=10) as client:
        while any(t.is_alive() for t in threads) and len(latencies) < 200:
            began = time.perf_counter()
            r = client.get(server.url + R + "org/aegis-trust", headers={"Accept": "text/turtle"})
            latencies.append(time.perf_counter() - began)
            assert r.status_code == 200
    for t in threads:
        t.join(30)
    assert answers == [200] * 20
    assert len(latencies) >= 10 and max(latencies) < 1.0, latencies
    server.assert_healthy()


def test_slow_reader_does_not_block_others(server):
    """A client reads the largest dump a kilobyte at a time; others are answered meanwhile."""
    dump = max(("graph.nt", "graph.jsonld", "graph.nq"), key=lambda f: len(server.get(R + "dumps/" + f).content))
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", server.port))
        sock.sendall(f"GET {R}dumps/{dump} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        assert sock.recv(1024).startswith(b"HTTP/1.1 200")
        began, slowest = time.monotonic(), 0.0
        while time.monotonic() - began < 2.0:
            sock.recv(1024)
            t0 = time.perf_counter()
            assert server.get(R + "dumps/" + dump).status_code == 200
            assert server.get(R + "sparql", params={"query": "ASK { ?s a ?t }"}).status_code == 200
            slowest = max(slowest, time.perf_counter() - t0)
            time.sleep(0.1)
        reset(sock)
    assert slowest < 1.0
    server.assert_healthy()


def test_clients_that_disconnect_mid_response(server):
    """Clients ask for dumps, pages and query answers, read a little and reset the connection,
    or send a runaway query and hang up at once; the server goes on answering, logs no error."""
    targets = [R + "dumps/graph.nt", R + "dumps/graph.jsonld", R + "dumps/graph.ttl", R + "doc/000_bbfb80d926e12133",
               R + "sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o }"), R + "query"]

    def leave_early(i: int) -> None:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(f"GET {targets[i % len(targets)]} HTTP/1.1\r\nHost: x\r\nAccept: {HTML}\r\n\r\n".encode())
            sock.recv(512 if i % 2 else 1)
            reset(sock)

    threads = [threading.Thread(target=leave_early, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    for _ in range(2):  # a query the worker keeps running for the timeout, nobody waiting for it
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(f"GET {R}sparql?query={quote(RUNAWAY)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            time.sleep(0.1)
            reset(sock)
    r = server.get(R + "doc/000_bbfb80d926e12133", headers={"Accept": HTML})  # pages need no worker
    assert r.status_code == 200 and "Uyghurs" in r.text
    time.sleep(TIMEOUT + 0.5)  # the abandoned queries' workers are killed at the timeout and replaced
    r = server.get(R + "doc/000_bbfb80d926e12133", headers={"Accept": HTML})
    assert r.status_code == 200 and "Uyghurs" in r.text
    server.assert_healthy()


def test_idle_connections_are_closed_by_the_head_timeout(release):
    """300 connections that never finish their request head: plain uvicorn keeps them for ever
    (and past its concurrency limit answers everyone 503); with kg.server.protocol they are
    closed after the head timeout and others are answered."""
    from kg.server.app import Limits, create_app
    from kg.server.protocol import HeadTimeoutProtocol

    class Quick(HeadTimeoutProtocol):
        head_timeout = 1.5

    app = create_app(Settings.for_project(ROOT).with_(out=release), Limits(workers=1))
    with uvicorn_thread(app, http=Quick, limit_concurrency=200, timeout_keep_alive=5) as served:
        idle = []
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", served.port))
            sock.sendall(b"GET / HT")
            idle.append(sock)
        time.sleep(0.3)
        assert served.get(R).status_code == 503  # uvicorn's own limit, reached by idle connections
        time.sleep(Quick.head_timeout + 0.5)
        closed = 0
        for sock in idle:
            sock.settimeout(2)
            with contextlib.suppress(OSError):
                closed += sock.recv(16) == b""
            sock.close()
        assert closed == 300
        assert served.get(R, headers={"Accept": HTML}).status_code == 200
        served.assert_healthy()
        # a keep-alive connection that starts a second request and stalls is closed too
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(f"GET {R}static/kg.css HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert read_response(sock).startswith(b"HTTP/1.1 200")
            sock.sendall(b"GET / HT")
            began = time.monotonic()
            assert sock.recv(16) == b"" and time.monotonic() - began < Quick.head_timeout + 1


# --- oversized requests --------------------------------------------------------------------------

def test_oversized_bodies_are_413(server):
    big = b"ASK {} #" + b"x" * (MAX_BODY + 10)
    head = f"POST {R}sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nConnection: close\r\n"
    status, body = raw(server.port, head.encode() + f"Content-Length: {len(big)}\r\n\r\n".encode() + big)
    assert status == 413 and b"larger than" in body
    # declared far too large, never sent: refused at once, without waiting for a body
    began = time.monotonic()
    assert raw(server.port, head.encode() + b"Content-Length: 1000000000000\r\n\r\n")[0] == 413
    assert time.monotonic() - began < 2
    # chunked, without a length: counted while it arrives
    chunks = b"".join(b"%x\r\n%s\r\n" % (10_000, b"#" * 10_000) for _ in range(12)) + b"0\r\n\r\n"
    assert raw(server.port, head.encode() + b"Transfer-Encoding: chunked\r\n\r\n" + chunks)[0] == 413
    # the query page's form too
    form = b"query=" + b"x" * (MAX_BODY + 10)
    status, _ = raw(server.port, f"POST {R}query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                 f"Content-Length: {len(form)}\r\nConnection: close\r\n\r\n".encode() + form)
    assert status == 413
    # lengths that are not numbers, or two different ones: refused by the HTTP parser
    assert raw(server.port, head.encode() + b"Content-Length: abc\r\n\r\n")[0] == 400
    assert raw(server.port, head.encode() + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nASK{}")[0] == 400
    server.assert_healthy()


def test_too_long_urls_are_414_and_huge_heads_are_refused(server):
    assert raw_get(server.port, R + "sparql?query=" + "x" * 20_000)[0] == 414
    assert raw_get(server.port, R + "doc/" + "a" * 20_000)[0] == 414
    assert raw_get(server.port, R + "?" + "a" * 100_000)[0] in (400, 414)
    # a head of 2 MB (one header, or thousands): uvicorn's parser refuses it; never a 5xx
    assert raw_get(server.port, R, {"X-Big": "a" * 2_000_000})[0] == 400
    many = {f"X-H{i}": "v" * 100 for i in range(20_000)}
    assert raw_get(server.port, R, many)[0] == 400
    server.assert_healthy()


# --- queries ---------------------------------------------------------------------------------

def test_runaway_query_is_504_while_others_are_answered(server):
    """A query that would run for minutes is stopped at the timeout (its worker killed);
    meanwhile pages and simple queries are answered at their usual speed."""
    results: dict[str, object] = {}

    def runaway() -> None:
        began = time.monotonic()
        r = server.get(R + "sparql", params={"query": RUNAWAY}, timeout=60)
        results["runaway"] = (r.status_code, r.json(), time.monotonic() - began)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    latencies, statuses = [], []
    with httpx.Client(timeout=10) as client:
        while thread.is_alive():
            for path, params, accept in ((R + "org/aegis-trust", None, HTML),
                                         (R + "sparql", {"query": f"ASK {{ ?s ?p {len(latencies)} }}"}, "application/json"),
                                         (R + "dumps/", None, HTML)):
                began = time.perf_counter()
                statuses.append(client.get(server.url + path, params=params, headers={"Accept": accept}).status_code)
                latencies.append(time.perf_counter() - began)
    thread.join()
    status, body, seconds = results["runaway"]
    assert status == 504 and "longer than 2 s" in body["detail"]
    assert TIMEOUT <= seconds < TIMEOUT + 3
    assert set(statuses) == {200} and len(statuses) >= 15 and max(latencies) < 1.5, (statuses, latencies)
    server.assert_healthy()


def test_huge_results_are_capped_and_say_so(server):
    everything_twice = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }"  # 25 million rows
    began = time.monotonic()
    r = server.get(R + "sparql", params={"query": everything_twice}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS and time.monotonic() - began < TIMEOUT
    csv = server.get(R + "sparql", params={"query": everything_twice, "format": "csv"})
    assert csv.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert len(list(reader(io.StringIO(csv.text)))) == MAX_ROWS + 1  # the header, then the rows
    graph = server.get(R + "sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . ?a ?b ?c }"},
                       headers={"Accept": "application/n-triples"})
    assert graph.headers["x-sparql-maxrows"] == str(MAX_ROWS) and len(graph.content.splitlines()) <= MAX_ROWS
    page = server.get(R + "query", params={"query": everything_twice}, headers={"Accept": HTML})
    assert page.status_code == 200 and f"Only the first {MAX_ROWS} results are shown" in page.text
    assert page.text.count("<tr>") == MAX_ROWS + 1
    small = server.get(R + "sparql", params={"query": "SELECT * WHERE { ?s a ?t } LIMIT 3"})
    assert "x-sparql-maxrows" not in small.headers
    server.assert_healthy()


def test_deep_and_long_queries_never_crash_a_worker(server):
    """pyoxigraph recurses on nesting: deep brackets are refused (400) before a worker sees them;
    long flat chains run on the worker's large stack (an answer, or 504), never a crash."""
    def post(text: str) -> httpx.Response:
        return httpx.post(server.url + R + "sparql", content=text.encode(), timeout=30,
                          headers={"Content-Type": "application/sparql-query", "Accept": "application/json"})

    deep = server.get(R + "sparql", params={"query": "SELECT * WHERE " + "{" * 2500 + "}" * 2500})
    assert deep.status_code == 400 and "nested" in deep.json()["detail"]
    assert post("ASK { FILTER(" + "(" * 40_000 + "1" + ")" * 40_000 + ") }").status_code == 400
    assert post("ASK { FILTER(" + "!" * 90_000 + "true) }").json()["boolean"] is True
    for chain in ("ASK { FILTER(" + "+".join(["1"] * 40_000) + " > 0) }",
                  "SELECT * WHERE { " + " UNION ".join(["{}"] * 10_000) + " }",
                  "SELECT * WHERE { " + " ".join(["OPTIONAL {}"] * 8_000) + " }"):
        assert post(chain).status_code in (200, 504)
    server.assert_healthy()


def test_answer_bytes_and_worker_memory_are_capped(release):
    """Few rows can still be huge: past max_bytes rows are dropped (X-SPARQL-MaxBytes); a query
    that builds a string of gigabytes hits the worker's heap limit: 500 for it, others go on."""
    from kg.server.app import Limits, create_app

    limits = Limits(workers=1, timeout=10.0, max_bytes=200_000, worker_memory=256 << 20)
    app = create_app(Settings.for_project(ROOT).with_(out=release), limits)
    with uvicorn_thread(app) as served:
        wide = "SELECT ?t ?s WHERE { ?d akg:source ?x . ?x schema:text ?t . ?s ?p ?o } LIMIT 60"  # ~8 KB a row
        r = served.get(R + "sparql", params={"query": wide})
        rows = r.json()["results"]["bindings"]
        assert r.headers["x-sparql-maxbytes"] == "200000" and len(r.content) <= 200_000 and 0 < len(rows) < 60
        doubling = ['BIND("' + "x" * 100 + '" AS ?v0)'] + [f"BIND(CONCAT(?v{i - 1}, ?v{i - 1}) AS ?v{i})" for i in range(1, 19)]
        r = served.get(R + "sparql", params={"query": "SELECT ?v18 WHERE { " + " ".join(doubling) + " }"})  # 26 MB
        assert r.status_code == 200 and r.headers["x-sparql-maxbytes"] and r.json()["results"]["bindings"] == []
        doubling += [f"BIND(CONCAT(?v{i - 1}, ?v{i - 1}) AS ?v{i})" for i in range(19, 36)]  # 3 TB, if it could
        began = time.monotonic()
        r = served.get(R + "sparql", params={"query": "SELECT (STRLEN(?v35) AS ?n) WHERE { " + " ".join(doubling) + " }"})
        assert r.status_code == 500 and "more memory" in r.json()["detail"] and time.monotonic() - began < 10
        served.assert_healthy()


# --- malformed headers and paths -------------------------------------------------------------------

ACCEPTS: list[str | bytes] = [
    "text/html;q=abc", "*/*;;", "," * 10_000, ";;;", "/", "text/", "*", "*/*;q=nan", "*/*;q=-1", "*/*;q=1e999",
    "text/turtle;q=0.5;q=", "=", 'a/b;c="d,e"', "text/html, */*;q=0", "text/*;q=0.0001", "application/ld+json;" * 2000,
    "tëxt/htmł".encode("utf-8"), "text/html; charset=\u00ff".encode("latin-1"), "\u2603/\u2603".encode("utf-8"),
    "text/turtle\x0b", "  ", "text/html;q=0.5, text/html;q=abc, image/*",
]
PATHS = [R, R + "org/aegis-trust", R + "doc/000_bbfb80d926e12133", R + "sparql", R + "sparql?query=ASK%7B%7D",
         R + "sparql?query=CONSTRUCT%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201", R + "query",
         R + "query/signatories-of-edition", R + "dumps/", R + "dumps/graph.ttl", "/.well-known/void", R + "org/nobody"]


def test_malformed_accept_headers_never_give_5xx(server):
    failures = []
    for accept in ACCEPTS:
        for path in PATHS:
            status, answer = raw_get(server.port, path, {"Accept": accept})
            allowed = {404} if path.endswith("nobody") else {200, 303, 406}
            if any(c < 32 and c != 9 for c in (accept if isinstance(accept, bytes) else accept.encode("latin-1"))):
                allowed = {400}  # a control character: refused by the HTTP parser before the app
            if status not in allowed:
                failures.append((accept[:40], path, status, answer[-200:]))
    assert not failures, failures
    server.assert_healthy()


def test_path_traversal_gives_nothing_outside_the_release(server, release):
    secrets = [Path("/etc/passwd").read_bytes()[:32], b"CANARY-OUT", b"CANARY-RELEASE",
               (release / "current" / "store" / "CURRENT").read_bytes()]
    d = R + "dumps/"
    attempts = [
        d + "../../etc/passwd", d + "../canary.txt", d + "../../canary.txt", d + "..%2fcanary.txt",
        d + "..%2f..%2fcanary.txt", d + "%2e%2e%2fcanary.txt", d + "%2e%2e/%2e%2e/canary.txt", d + "%252e%252e%252fcanary.txt",
        d + "..%5ccanary.txt", d + "%2fetc%2fpasswd", d + "%2Fetc%2Fpasswd", d + "/etc/passwd", d + "//etc/passwd",
        d + "..%2fstore%2fCURRENT", d + "../store/CURRENT", d + "graph.ttl/../../canary.txt", d + "graph.ttl%00",
        d + "graph.ttl%00.html", d + "%00", d + "..;/canary.txt", d + "%c0%ae%c0%ae%c0%afcanary.txt", d + ".", d + "..",
        d + "%2e", d + "%2e%2e", d + "~", d + "*", R + "static/../../../../etc/passwd", R + "static/..%2f..%2fcanary.txt",
        R + "static/kg.css/../../canary.txt", R + "static/%2e%2e%2f%2e%2e%2fcanary.txt", R + "..%2f..%2fetc%2fpasswd",
        R + "%2e%2e/%2e%2e/etc/passwd", "/../../../etc/passwd", "//etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
        "/.well-known/../../etc/passwd", "/.well-known/void/../../canary.txt", "http://127.0.0.1/etc/passwd",
        "file:///etc/passwd", "/etc/passwd", "*",
    ]
    raw_attempts = [(d + "..\\..\\canary.txt").encode(), (d + "graph.ttl\x00").encode(), (d + "\\etc\\passwd").encode(),
                    d.encode() + b"..\xc0\xaf..\xc0\xafcanary.txt", (d + "..%2f..%2fcanary.txt\r\nX: y").encode()]
    for target in attempts + raw_attempts:
        status, answer = raw_get(server.port, target)
        assert status in (400, 404), (target, status, answer[:300])
        assert not any(s in answer for s in secrets), target
    assert raw_get(server.port, d + "graph.ttl")[0] == 200  # the dumps themselves are served
    server.assert_healthy()


# --- script injection, in headless Chromium --------------------------------------------------------

def injection_text(payloads: list[str]) -> str:
    """A letter with the payloads in its title line, in sentences of its text and in the names of
    its signatories, written as the extraction stages expect a letter to be."""
    lines = [f"Joint Letter on {payloads[0]} and {payloads[1]} Atrocities Against the Masalit", "", "12 March 2024", "",
             "Dear Members of the Security Council,", "",
             "We, the undersigned human rights organizations, write to raise grave concern about attacks on civilians.", ""]
    for i, p in enumerate(payloads):
        lines += [f"Between {10 + i},000 and {20 + i},000 people were killed in {p} alone, and the militia said {p} again.", ""]
    lines += [f"These acts amount to crimes against humanity under the Rome Statute, including murder and {payloads[4]} "
              "persecution.", "", "We call on the Council to:", "", f"1. Extend the arms embargo to {payloads[2]} Sudan.",
              f"2. Refer {payloads[6]} to the International Criminal Court.", "", "Yours sincerely,", ""]
    for i, p in enumerate(payloads):
        lines += [f"Justice Network {i} {p}", ""]
    lines += [f"Amina Yusuf, Director, {payloads[1]} Institute", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """A copy of the project whose only seed carries the payloads, built with the real pipeline
    and served; yields (server, the document's IRI path, its stored title, text and signatories)."""
    from kg.pipeline import build

    project = tmp_path_factory.mktemp("injection-project")
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, project / name)
    (project / "seeds").mkdir()
    (project / "seeds" / "letter.txt").write_text(injection_text(PAYLOADS), encoding="utf-8")
    settings = Settings.for_project(project)
    build(settings)
    with kg_serve(project, settings.out, "--workers", "1") as served:
        query = """SELECT ?doc ?title ?text WHERE { ?doc akg:source ?t ; schema:name ?title . ?t schema:text ?text }"""
        doc = served.get(R + "sparql", params={"query": query}).json()["results"]["bindings"][0]
        query = """SELECT ?agent ?name WHERE { ?sig a akg:Signature ; schema:agent ?agent . ?agent schema:name ?name }"""
        signers = {b["agent"]["value"]: b["name"]["value"]
                   for b in served.get(R + "sparql", params={"query": query}).json()["results"]["bindings"]}
        yield served, doc["doc"]["value"], doc["title"]["value"], doc["text"]["value"], signers


def test_payloads_reach_the_graph_as_written(injected):
    _, _, title, text, signers = injected
    assert len(PAYLOADS) >= 20
    assert PAYLOADS[0] in title and PAYLOADS[1] in title
    assert all(p in text for p in PAYLOADS)
    carrying = {p for p in PAYLOADS for name in signers.values() if p in name}
    assert len(carrying) >= 20, sorted(signers.values())


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("/usr/bin/chromium or /usr/bin/chromedriver is missing (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS + [f"--user-data-dir={profile}"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    # The pages' Content-Security-Policy forbids every script; switch it off in the browser so that
    # what is checked is the escaping itself: an injected handler would run.
    driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "body", "header", "nav", "main", "a", "h1", "h2", "p", "span",
                "div", "table", "thead", "tbody", "tr", "th", "td", "ol", "ul", "li", "details", "summary", "mark",
                "blockquote", "form", "label", "input", "button", "textarea", "pre", "section"}
INSPECT = """
const all = [...document.querySelectorAll('*')];
return {
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  url: location.href,
  tags: [...new Set(all.map(e => e.localName))],
  handlers: all.flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.localName + '@' + a.name)),
  scripted: [...document.querySelectorAll('a[href], area[href], form[action], iframe[src], embed[src], object[data]')]
      .map(e => e.href || e.action || e.src || e.data || '').filter(u => !/^(https?:|mailto:|about:blank$)/.test(u)),
  autofocus: document.querySelectorAll('[autofocus]').length,
  refresh: document.querySelectorAll('meta[http-equiv]').length,
  base: document.querySelectorAll('base').length,
  baseURI: document.baseURI,
};
"""


def visit(driver, url: str) -> dict:
    """Load a page, let any handler fire, and report what ran and what the DOM holds."""
    from selenium.common.exceptions import NoAlertPresentException

    driver.get(url)
    time.sleep(0.15)  # onload, onerror, onfocus (autofocus), ontoggle, onbegin fire by now
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.accept()
        pytest.fail(f"an alert ran on {url}: {text}")
    except NoAlertPresentException:
        pass
    seen = driver.execute_script(INSPECT)
    assert seen["pwned"] is None, f"a payload ran on {url}"
    assert set(seen["tags"]) <= ALLOWED_TAGS, (url, set(seen["tags"]) - ALLOWED_TAGS)
    assert seen["handlers"] == [] and seen["scripted"] == [], (url, seen)
    assert seen["autofocus"] == seen["refresh"] == seen["base"] == 0, (url, seen)
    assert seen["url"] == url and seen["baseURI"] == url, (url, seen)
    return seen


def text_of(driver, css: str) -> str:
    return driver.execute_script("return document.querySelector(arguments[0]).textContent", css)


def texts_of(driver, css: str) -> list[str]:
    return driver.execute_script("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", css)


def test_document_page_runs_no_payload(injected, browser):
    served, doc, title, text, signers = injected
    visit(browser, served.url + R + doc.rsplit("/id/", 1)[1])
    assert text_of(browser, "h1") == title
    assert browser.title.startswith(title)
    assert text_of(browser, ".source-text") == text  # every payload, as text
    assert set(texts_of(browser, "ol.signatories li > a:first-child")) == set(signers.values())
    labels = browser.execute_script("return [...document.querySelectorAll('a.span')].map(a => a.title)")
    assert any(PAYLOADS[4] in label for label in labels)  # an attribute breakout payload, kept inside title=""
    visit(browser, served.url + R)  # the home page lists the document by its title
    assert title in texts_of(browser, "table.documents td a")


def test_signatory_pages_run_no_payload(injected, browser):
    served, doc, title, _, signers = injected
    for agent, name in signers.items():
        visit(browser, served.url + R + agent.rsplit("/id/", 1)[1])
        assert text_of(browser, "h1") == name
        assert title in texts_of(browser, "table.signed td a")


def test_query_pages_run_no_payload(injected, browser):
    served, doc, title, _, signers = injected
    visit(browser, served.url + R + "query")
    free = ('SELECT ?name WHERE { ?a schema:name ?name FILTER(CONTAINS(?name, "pwned")) } ORDER BY ?name\n'
            "# </textarea><script>window.__pwned=1</script>")
    visit(browser, served.url + R + "query?query=" + quote(free))
    assert browser.execute_script("return document.getElementById('sparql').value") == free
    cells = set(texts_of(browser, "#results td"))
    assert {n for n in signers.values() if "pwned" in n} <= cells and title in cells
    breakout = "\" autofocus onfocus=\"window.__pwned=1\" x=\"</textarea><script>window.__pwned=1</script>"
    visit(browser, served.url + R + "query/entity-names?name=" + quote(breakout))
    assert browser.execute_script("return document.querySelector('input[name=name]').value") == breakout
    visit(browser, served.url + R + "query/entity-names?name=pwned")
    assert {n for n in signers.values() if "pwned" in n} & set(texts_of(browser, "#results td"))
    visit(browser, served.url + R + "query/signatories-of-edition?edition=" + quote(doc))
    assert set(signers.values()) <= set(texts_of(browser, "#results td"))


def test_error_pages_run_no_payload(injected, browser):
    served = injected[0]
    for payload in (PAYLOADS[2], PAYLOADS[1], PAYLOADS[21]):
        for path in (R + "doc/" + quote(payload, safe=""), R + "query/" + quote(payload, safe=""),
                     R + "dumps/" + quote(payload, safe="")):
            visit(browser, served.url + path)
            assert text_of(browser, "h1") == "404 Not Found" and payload in text_of(browser, "main")
    served.assert_healthy()
