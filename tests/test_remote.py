"""``kg push`` and ``kg query --endpoint`` against a real Oxigraph server (the ``oxigraph`` package
from PyPI), started on 127.0.0.1 on a free port for this module and stopped after it.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InputError
from kg.queries import bind, run_local, stock_queries
from kg.remote import Auth, graph_url, push, run_remote
from kg.server.sparql import query_form
from kg.store import open_store
from test_server import BASE, QUERIES, ROOT, _wait_for_port, free_port, make_project

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server is not installed (pip install oxigraph)")


@contextlib.contextmanager
def start_oxigraph(location: Path):
    """A fresh Oxigraph server whose default graph is the union of its named graphs, as locally."""
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with start_oxigraph(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The fixture graph, with the fixture queries and every stock query of the project."""
    real = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))}
    return make_project(tmp_path_factory.mktemp("remote-project"), queries={**real, **QUERIES})


@pytest.fixture(scope="module")
def pushed(project, oxigraph):
    store = open_store(project.out)
    report = push(store, oxigraph + "/store", endpoint=oxigraph + "/query")
    return store, report


def remote_graph(oxigraph: str, iri: str) -> set:
    request = urllib.request.Request(graph_url(oxigraph + "/store", iri), headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return {q.triple for q in ox.parse(response.read(), format=ox.RdfFormat.N_TRIPLES)}


def local_graph(store, iri: str) -> set:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))}


def test_pushed_graphs_are_isomorphic_to_the_local_ones(pushed, oxigraph):
    store, report = pushed
    local = sorted(g.value for g in store.named_graphs())
    assert [iri for iri, _ in report.graphs] == local and report.triples == len(store)
    for iri in local:
        assert remote_graph(oxigraph, iri) == local_graph(store, iri), iri


def test_push_again_changes_nothing(pushed, oxigraph):
    store, _ = pushed
    before = {g.value: remote_graph(oxigraph, g.value) for g in store.named_graphs()}
    push(store, oxigraph + "/store")
    after = {g.value: remote_graph(oxigraph, g.value) for g in store.named_graphs()}
    assert after == before


def rows(results_json: bytes) -> Counter:
    data = json.loads(results_json)
    if "boolean" in data:
        return Counter([data["boolean"]])
    return Counter(frozenset((k, json.dumps(v, sort_keys=True)) for k, v in b.items()) for b in data["results"]["bindings"])


def local_json(store, query, terms) -> Counter | set:
    results = run_local(store, query, terms, BASE)
    if isinstance(results, ox.QueryBoolean):
        return Counter([bool(results)])
    if isinstance(results, ox.QueryTriples):
        return set(results)
    return rows(results.serialize(format=ox.QueryResultsFormat.JSON))


def assert_same_results(store, queries: dict, endpoint: str) -> None:
    """Every stock query, with its default parameters, gives the same rows (or triples) remotely."""
    for name, query in queries.items():
        terms = bind(query, {}, BASE)
        local = local_json(store, query, terms)
        if isinstance(local, set):
            remote = {q.triple for q in ox.parse(run_remote(endpoint, query, terms, "csv", BASE).encode(),
                                                 format=ox.RdfFormat.N_TRIPLES)}
        elif query_form(query.text) == "ASK":
            remote = Counter([run_remote(endpoint, query, terms, "json", BASE).strip() == "true"])
        else:
            remote = rows(run_remote(endpoint, query, terms, "json", BASE).encode())
        assert remote == local, name


def test_stock_queries_give_the_same_results_remotely(pushed, project, oxigraph):
    queries = stock_queries(project.queries)
    assert set(QUERIES) <= set(queries)
    assert_same_results(pushed[0], queries, oxigraph + "/query")


def test_seed_graph_round_trip(seed_build, tmp_path):
    """The seed graph built by the real pipeline: pushed whole, and every stock query of the
    project giving the same results on the remote server as on the embedded store."""
    settings, _ = seed_build
    store = open_store(settings.out)
    with start_oxigraph(tmp_path / "oxigraph") as url:
        push(store, url + "/store")
        for graph in store.named_graphs():
            assert remote_graph(url, graph.value) == local_graph(store, graph.value), graph.value
        assert_same_results(store, stock_queries(settings.queries), url + "/query")


def test_parameters_are_bound_remotely(pushed, project, oxigraph):
    queries = stock_queries(project.queries)
    for name, given, expected in [("signatories", {"edition": "id:doc/t2"}, 1), ("signed_by_name", {"name": "Jane Doe"}, 1),
                                  ("signature_at", {"position": "2"}, 1), ("editions_since", {"since": "2021-02-01"}, 1)]:
        terms = bind(queries[name], given, BASE)
        remote = rows(run_remote(oxigraph + "/query", queries[name], terms, "json", BASE).encode())
        assert sum(remote.values()) == expected == sum(local_json(pushed[0], queries[name], terms).values()), name


def test_kg_query_endpoint_prints_what_the_local_run_prints(pushed, project, oxigraph, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli import app

    monkeypatch.chdir(project.root)
    runner = CliRunner()
    for args in (["signatories", "--format", "csv"], ["signatories"], ["edition_graph", "--format", "csv"]):
        local = runner.invoke(app, ["query", *args])
        remote = runner.invoke(app, ["query", *args, "--endpoint", oxigraph + "/query"])
        assert local.exit_code == remote.exit_code == 0, (local.output, remote.output)
        if "edition_graph" in args:
            parse = lambda text: set(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))  # noqa: E731
            assert parse(remote.stdout) == parse(local.stdout)
        else:
            assert remote.stdout == local.stdout


def test_kg_push_prunes_stale_graphs_under_the_base_only(pushed, project, oxigraph, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli import app

    stale, foreign = BASE + "graph/doc/stale", "http://example.org/other-graph"
    for iri in (stale, foreign):
        body = f"<{iri}> <http://example.org/p> \"x\" .".encode()
        request = urllib.request.Request(graph_url(oxigraph + "/store", iri), data=body, method="PUT",
                                         headers={"Content-Type": "text/turtle"})
        urllib.request.urlopen(request, timeout=10).close()
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(app, ["push", "--endpoint", oxigraph + "/query", "--graph-store", oxigraph + "/store", "--prune"])
    assert result.exit_code == 0, result.output
    assert "removed 1 stale graphs" in result.stdout
    graphs = {b["g"]["value"] for b in json.loads(urllib.request.urlopen(urllib.request.Request(
        oxigraph + "/query?query=" + urllib.request.quote("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"),
        headers={"Accept": "application/sparql-results+json"}), timeout=10).read())["results"]["bindings"]}
    assert stale not in graphs and foreign in graphs and BASE + "graph/doc/t1" in graphs


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_PUT(self):  # noqa: N802 - the http.server API
        self.seen.append(dict(self.headers))
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(401 if "/deny" in self.path else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def recorder():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_push_sends_credentials_and_reports_refusal(recorder):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(BASE + "a"), ox.NamedNode(BASE + "p"), ox.Literal("x"), ox.NamedNode(BASE + "graph/x")))
    push(store, recorder + "/store", auth=Auth(token="s3cret"))
    assert _Recorder.seen[-1]["Authorization"] == "Bearer s3cret"
    assert _Recorder.seen[-1]["Content-Type"].startswith("text/turtle")
    push(store, recorder + "/store", auth=Auth(user="kg", password="pw"))
    assert _Recorder.seen[-1]["Authorization"] == "Basic a2c6cHc="
    with pytest.raises(InputError, match="HTTP 401"):
        push(store, recorder + "/deny?x=1", auth=Auth(user="kg", password="bad"))
    with pytest.raises(InputError, match="cannot reach"):
        push(store, f"http://127.0.0.1:{free_port()}/store", timeout=5)
