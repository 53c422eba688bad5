"""The web app, in-process: every route and status code, content negotiation for each format,
the SPARQL protocol and its limits, the pages a person reads, ``kg serve --get``.

The graph is a small hand-made release (two editions, a provision, nested spans, a title and a
text with ``<script>`` in them) built into a temporary project, so that these tests do not
depend on the extraction stages.  Other test modules import ``make_project`` and
``serve_process`` from here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kg.config import Settings
from kg.publish.dumps import load_context, write_all
from kg.server.app import Limits, create_app
from kg.store import load_nquads, new_release, publish

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/atrocity-kg/id/"
S, AKG, OA = "https://schema.org/", "https://w3id.org/atrocity-kg/ontology#", "http://www.w3.org/ns/oa#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
TITLE1 = "Open letter on the <script>alert('kg')</script> crisis"
TEXT1 = (TITLE1 + "\n\nAt least 1,000 people were killed in the region.\n"
         "These acts amount to genocide under Article II(a) of the Genocide Convention.\n"
         "We call on all governments to act now.\n\nSigned:\nAegis Trust\nJane Doe, Professor\n")
TEXT2 = "Second edition of the letter.\n\nSigned:\nAegis Trust\n"
QUERIES = {
    "signatories": """# title: Signatories of an edition
# description: Who signed one edition, in the order listed.
# param: edition iri - the edition (default: id:doc/t1)
SELECT ?edition ?position ?signatory ?name WHERE {
  ?signature a akg:Signature ; schema:object ?edition ; schema:agent ?signatory ; schema:position ?position .
  ?signatory schema:name ?name .
} ORDER BY ?position
""",
    "signed_by_name": """# title: Editions signed by a name
# description: The editions that an agent of this name signed.
# param: name string - the signatory's name (default: Aegis Trust)
SELECT DISTINCT ?name ?edition WHERE {
  ?signature a akg:Signature ; schema:agent ?agent ; schema:object ?edition .
  ?agent schema:name ?name .
} ORDER BY ?edition
""",
    "signature_at": """# title: Signature at a position
# description: Who signed at one place of the lists.
# param: position integer - the place in the list (default: 1)
SELECT ?position ?signature WHERE { ?signature a akg:Signature ; schema:position ?position } ORDER BY ?signature
""",
    "editions_since": """# title: Editions since a date
# description: Editions published on or after a date.
# param: since date - the first day (default: 2020-01-01)
SELECT ?since ?edition ?date WHERE { ?edition schema:datePublished ?date FILTER(?date >= ?since) } ORDER BY ?edition
""",
    "has_signatures": """# title: Any signatures?
# description: Whether the graph holds any signature.
ASK { ?s a akg:Signature }
""",
    "edition_graph": """# title: An edition's signatures as a graph
# description: The signatures of an edition as triples.
# param: edition iri - the edition (default: id:doc/t1)
CONSTRUCT { ?signature schema:agent ?agent ; schema:object ?edition } WHERE {
  ?signature a akg:Signature ; schema:object ?edition ; schema:agent ?agent }
""",
}


# --- the fixture graph -----------------------------------------------------------------------

class Graph:
    def __init__(self, name: str, base: str) -> None:
        self.base, self.name, self.quads = base, ox.NamedNode(base + name), []

    def node(self, value):
        if isinstance(value, (ox.Literal, ox.NamedNode)):
            return value
        return ox.NamedNode(value if ":" in value.split("/")[0] else self.base + value)

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(self.node(s), self.node(p), self.node(o), self.name))


def lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype) if datatype else None)


def anchor(g: Graph, doc: str, text: str, start: int, end: int) -> str:
    node = f"doc/{doc}/anchor/{start}-{end}"
    g.add(node, RDF_TYPE, OA + "SpecificResource")
    g.add(node, OA + "hasSource", f"doc/{doc}/text")
    g.add(node, OA + "hasSelector", node + "/position")
    g.add(node, OA + "hasSelector", node + "/quote")
    g.add(node + "/position", OA + "start", lit(start, "integer"))
    g.add(node + "/position", OA + "end", lit(end, "integer"))
    g.add(node + "/quote", OA + "exact", lit(text[start:end]))
    g.add(node + "/quote", OA + "prefix", lit(text[max(0, start - 32):start]))
    return node


def document(g: Graph, key: str, title: str, text: str, date: str) -> str:
    doc = f"doc/{key}"
    for t in (S + "CreativeWork", S + "Message", AKG + "Edition"):
        g.add(doc, RDF_TYPE, t)
    g.add(doc, S + "name", lit(title))
    g.add(doc, S + "datePublished", lit(date, "date"))
    g.add(doc, AKG + "source", doc + "/text")
    g.add(doc + "/text", RDF_TYPE, S + "DigitalDocument")
    g.add(doc + "/text", S + "text", lit(text))
    return doc


def signature(g: Graph, key: str, text: str, position: int, agent: str, words: str) -> None:
    node, start = f"doc/{key}/signature/{position}", text.index(words)
    g.add(node, RDF_TYPE, AKG + "Signature")
    g.add(node, RDF_TYPE, S + "EndorseAction")
    g.add(node, S + "agent", agent)
    g.add(node, S + "object", f"doc/{key}")
    g.add(node, S + "position", lit(position, "integer"))
    g.add(node, AKG + "anchor", anchor(g, key, text, start, start + len(words)))
    g.add(f"doc/{key}", AKG + "signatory", agent)


def claim(g: Graph, key: str, kind: str, name: str, words: str, text: str = TEXT1) -> str:
    start = text.index(words)
    node = f"doc/{key}/{name}/{start}"
    g.add(node, RDF_TYPE, S + "Claim")
    if kind:
        g.add(node, RDF_TYPE, AKG + kind)
    g.add(node, S + "text", lit(words))
    g.add(node, S + "appearance", f"doc/{key}")
    g.add(node, AKG + "anchor", anchor(g, key, text, start, start + len(words)))
    return node


def doc_t1(base: str) -> Graph:
    g = Graph("graph/doc/t1", base)
    document(g, "t1", TITLE1, TEXT1, "2021-01-14")
    g.add("doc/t1", S + "url", ox.NamedNode("javascript:alert(1)"))
    allegation = claim(g, "t1", "Allegation", "allegation", "At least 1,000 people were killed in the region.")
    g.add(allegation, AKG + "allegedAct", "concept/act/killing")
    start = TEXT1.index("1,000")
    figure = f"doc/t1/figure/{start}-{start + 5}"
    g.add(allegation, AKG + "quantity", figure)
    g.add(figure, RDF_TYPE, S + "QuantitativeValue")
    g.add(figure, S + "value", lit(1000, "integer"))
    g.add(figure, AKG + "anchor", anchor(g, "t1", TEXT1, start, start + 5))
    legal = claim(g, "t1", "LegalCharacterization", "characterization",
                  "These acts amount to genocide under Article II(a) of the Genocide Convention.")
    g.add(legal, AKG + "characterizedAs", "eli/treaty/genocide-convention/art_2/point_a")
    call = claim(g, "t1", "CallToAction", "call", "We call on all governments to act now.")
    g.add(call, S + "position", lit(1, "integer"))
    signature(g, "t1", TEXT1, 1, "org/aegis-trust", "Aegis Trust")
    signature(g, "t1", TEXT1, 2, "person/jane-doe", "Jane Doe")
    return g


def doc_t2(base: str, key: str = "t2") -> Graph:
    g = Graph(f"graph/doc/{key}", base)
    document(g, key, f"Second edition ({key})", TEXT2, "2021-03-01")
    g.add(f"doc/{key}", "http://www.w3.org/ns/prov#wasRevisionOf", "doc/t1")
    signature(g, key, TEXT2, 1, "org/aegis-trust", "Aegis Trust")
    return g


def reference(base: str) -> list[Graph]:
    ent, ref, ont = Graph("graph/entities", base), Graph("graph/reference", base), Graph("graph/ontology", base)
    ent.add("org/aegis-trust", RDF_TYPE, S + "Organization")
    ent.add("org/aegis-trust", S + "name", lit("Aegis Trust"))
    ent.add("person/jane-doe", RDF_TYPE, S + "Person")
    ent.add("person/jane-doe", S + "name", lit("Jane Doe"))
    eli, gc = "http://data.europa.eu/eli/ontology#", "eli/treaty/genocide-convention"
    ref.add(gc, RDF_TYPE, eli + "LegalResource")
    ref.add(gc, S + "name", lit("Convention on the Prevention and Punishment of the Crime of Genocide"))
    for node, ident, parent in ((gc + "/art_2", "Genocide Convention, Art. II", gc),
                                (gc + "/art_2/point_a", "Genocide Convention, Art. II(a)", gc + "/art_2")):
        ref.add(node, RDF_TYPE, eli + "LegalResourceSubdivision")
        ref.add(node, S + "legislationIdentifier", lit(ident))
        ref.add(node, eli + "is_part_of", parent)
    ref.add("concept/act/killing", "http://www.w3.org/2004/02/skos/core#prefLabel", lit("Killing", lang="en"))
    ont.add(AKG + "Signature", "http://www.w3.org/2000/01/rdf-schema#label", lit("signature", lang="en"))
    return [ent, ref, ont]


def dataset(base: str, graphs: list[Graph]) -> Graph:
    g, void, dct = Graph("graph/dataset", base), "http://rdfs.org/ns/void#", "http://purl.org/dc/terms/"
    g.add("dataset", RDF_TYPE, void + "Dataset")
    g.add("dataset", RDF_TYPE, "http://www.w3.org/ns/dcat#Dataset")
    g.add("dataset", dct + "title", lit("atrocity-kg test graph"))
    g.add("dataset", dct + "license", "https://creativecommons.org/licenses/by/4.0/")
    g.add("dataset", "http://www.w3.org/2002/07/owl#versionInfo", lit("0.1.0"))
    g.add("dataset", void + "triples", lit(sum(len(x.quads) for x in graphs), "integer"))
    g.add("dataset", void + "uriSpace", lit(base))
    g.add("dataset", void + "sparqlEndpoint", "sparql")
    g.add("dataset", void + "dataDump", "dumps/graph.ttl")
    g.add("dataset", "http://www.w3.org/ns/dcat#distribution", "dataset/dump/turtle")
    g.add("dataset/dump/turtle", "http://www.w3.org/ns/dcat#downloadURL", "dumps/graph.ttl")
    return g


def make_release(settings: Settings, *, extra: tuple[str, ...] = ()) -> Path:
    """Build the fixture graph into a new release of ``settings.out`` and make it current."""
    base = settings.base_iri
    graphs = [doc_t1(base), doc_t2(base), *[doc_t2(base, k) for k in extra], *reference(base)]
    graphs.append(dataset(base, graphs))
    nquads = ox.serialize([q for g in graphs for q in g.quads], format=ox.RdfFormat.N_QUADS).decode()
    partial = new_release(settings.out)
    store = load_nquads(partial / "store", [nquads])
    write_all(store, partial / "dumps", context=load_context(settings.ontology / "context.jsonld"), base_iri=base)
    del store
    return publish(settings.out, partial)


def make_project(root: Path, base: str = BASE, queries: dict[str, str] | None = None) -> Settings:
    """A project folder (ontology context, shapes, stock queries, kg.toml) with one release."""
    for name in ("ontology", "shapes", "queries", "seeds"):
        (root / name).mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "ontology" / "context.jsonld", root / "ontology" / "context.jsonld")
    for name, text in (QUERIES if queries is None else queries).items():
        (root / "queries" / f"{name}.rq").write_text(text, encoding="utf-8")
    (root / "kg.toml").write_text(f'base_iri = "{base}"\n', encoding="utf-8")
    settings = Settings.for_project(root)
    make_release(settings)
    return settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_process(project: Path, *args: str, port: int | None = None):
    """``kg serve`` on 127.0.0.1 in its own process; yields its URL; stops it at the end."""
    port = port or free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
                            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for_port(port: int, proc, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited: {proc.stderr.read().decode()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("kg serve did not start")


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Settings:
    return make_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def client(project):
    app = create_app(project, Limits(workers=2, timeout=2.0, max_rows=50, max_body=20_000, max_url=4_000))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
R = "/atrocity-kg/id/"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# --- dereferencing and content negotiation ---------------------------------------------------

@pytest.mark.parametrize("accept, fmt, media", [
    ("text/turtle", ox.RdfFormat.TURTLE, "text/turtle"),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    ("application/ld+json", ox.RdfFormat.JSON_LD, "application/ld+json"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", ox.RdfFormat.JSON_LD, "application/ld+json"),
])
def test_resource_in_each_rdf_format(client, accept, fmt, media):
    r = client.get(R + "org/aegis-trust", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "Accept" in r.headers["vary"]
    triples = {(t.subject.value, t.predicate.value, t.object.value) for t in ox.parse(r.content, format=fmt)}
    assert (BASE + "org/aegis-trust", S + "name", "Aegis Trust") in triples
    assert (BASE + "doc/t2/signature/1", S + "agent", BASE + "org/aegis-trust") in triples


@pytest.mark.parametrize("fmt, media", [("turtle", "text/turtle"), ("ttl", "text/turtle"),
                                        ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
                                        ("html", "text/html")])
def test_format_parameter_overrides_accept(client, fmt, media):
    r = client.get(R + "doc/t1", params={"format": fmt}, headers={"Accept": "image/png"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)


def test_browser_gets_html_and_alternates(client):
    r = client.get(R + "doc/t1", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["vary"] == "Accept"
    for media in ("text/turtle", "application/n-triples", "application/ld+json"):
        assert f'<link rel="alternate" type="{media}"' in r.text


def test_jsonld_embeds_its_context_and_reads_offline(client):
    r = client.get(R + "doc/t1", headers={"Accept": "application/ld+json"})
    doc = r.json()
    assert isinstance(doc["@context"], dict) and doc["@context"]["id"] == BASE
    nt = client.get(R + "doc/t1", headers={"Accept": "application/n-triples"}).content
    assert set(ox.parse(r.content, format=ox.RdfFormat.JSON_LD)) == set(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))


def test_unknown_iri_is_404_for_machines_and_people(client):
    body = problem(client.get(R + "org/nobody"), 404)
    assert BASE + "org/nobody" in body["detail"]
    page = client.get(R + "org/nobody", headers=HTML)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "404 Not Found" in page.text


def test_format_it_cannot_give_is_406(client):
    body = problem(client.get(R + "doc/t1", headers={"Accept": "image/png"}), 406)
    assert "text/turtle" in body["hint"]
    problem(client.get(R + "doc/t1", params={"format": "rdfxml"}), 406)


def test_named_graph_iri_gives_its_triples(client):
    r = client.get(R + "graph/doc/t2", headers={"Accept": "application/n-triples"})
    triples = list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
    assert any(t.subject.value == BASE + "doc/t2/signature/1" for t in triples)
    assert "holds" in client.get(R + "graph/doc/t2", headers=HTML).text


def test_etag_gives_304(client):
    r = client.get(R + "org/aegis-trust", headers={"Accept": "text/turtle"})
    again = client.get(R + "org/aegis-trust", headers={"Accept": "text/turtle", "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_served_iris_follow_the_configured_base(tmp_path):
    settings = make_project(tmp_path, base="https://kg.example.org/")
    with TestClient(create_app(settings, Limits(workers=1))) as c:
        r = c.get("/org/aegis-trust", headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and "<https://kg.example.org/org/aegis-trust>" in r.text
        assert 'href="/doc/t1"' in c.get("/org/aegis-trust", headers=HTML).text
        assert c.get("/", headers=HTML).status_code == 200
        assert c.get("/atrocity-kg/id/org/aegis-trust").status_code == 404


def test_new_release_is_served_without_restart(tmp_path):
    settings = make_project(tmp_path)
    with TestClient(create_app(settings, Limits(workers=1))) as c:
        assert c.get(R + "doc/t9").status_code == 404
        assert c.get(R + "sparql", params={"query": "ASK { <doc/t9> ?p ?o }"}).json()["boolean"] is False
        make_release(settings, extra=("t9",))
        assert c.get(R + "doc/t9", headers={"Accept": "text/turtle"}).status_code == 200
        assert c.get(R + "sparql", params={"query": "ASK { <doc/t9> ?p ?o }"}).json()["boolean"] is True


# --- pages -----------------------------------------------------------------------------------

def test_document_page_escapes_and_highlights(client):
    text = client.get(R + "doc/t1", headers=HTML).text
    assert "<script>" not in text and "&lt;script&gt;alert(&#x27;kg&#x27;)&lt;/script&gt;" in text
    start = TEXT1.index("We call on")
    assert f'<span id="a-{start}-{start + 38}"></span><a href="{R}doc/t1/call/{start}"' in text
    assert "<mark>We call on all governments to act now.</mark>" in text
    figure = TEXT1.index("1,000")
    assert f'href="{R}doc/t1/figure/{figure}-{figure + 5}"' in text and 'class="span multi"' in text
    assert f'<a href="{R}org/aegis-trust">Aegis Trust</a>' in text
    assert "javascript:" not in text.split("</head>")[1].replace("javascript:alert(1)</", "")


def test_pages_send_a_policy_that_forbids_scripts(client):
    r = client.get(R + "doc/t1", headers=HTML)
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_hostile_iri_is_not_a_link(client):
    text = client.get(R + "doc/t1", headers=HTML).text
    assert 'href="javascript:' not in text and "javascript:alert(1)" in text


def test_signatory_page_lists_what_it_signed(client):
    text = client.get(R + "org/aegis-trust", headers=HTML).text
    assert "<h1>Aegis Trust</h1>" in text and "Signed (2)" in text
    assert f'href="{R}doc/t1"' in text and f'href="{R}doc/t2"' in text and "2021-03-01" in text


def test_provision_page_lists_invoking_documents(client):
    text = client.get(R + "eli/treaty/genocide-convention/art_2", headers=HTML).text
    assert "<h1>Genocide Convention, Art. II</h1>" in text and "Invoked by" in text
    assert f'href="{R}doc/t1"' in text and "Genocide Convention, Art. II(a)" in text


def test_statement_page_shows_its_span_in_context(client):
    start = TEXT1.index("We call on")
    text = client.get(R + f"doc/t1/call/{start}", headers=HTML).text
    assert "In the source" in text and f'href="{R}doc/t1#a-{start}-{start + 38}"' in text
    assert "<mark>We call on all governments to act now.</mark>" in text


def test_signature_label_is_not_an_iri(client):
    text = client.get(R + "doc/t1/signature/2", headers=HTML).text
    assert "<h1>signature 2: Jane Doe</h1>" in text


def test_home_page(client):
    assert client.get("/", follow_redirects=False).headers["location"] == R
    text = client.get(R, headers=HTML).text
    assert "atrocity-kg test graph" in text and "Documents (2)" in text and "Second edition (t2)" in text
    assert client.get(R + "static/kg.css").headers["content-type"].startswith("text/css")


# --- VoID, dumps -----------------------------------------------------------------------------

def test_void_description(client):
    r = client.get("/.well-known/void")
    assert r.headers["content-type"].startswith("text/turtle")
    triples = {(t.predicate.value, t.object.value) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    assert ("http://purl.org/dc/terms/license", "https://creativecommons.org/licenses/by/4.0/") in triples
    assert ("http://www.w3.org/2002/07/owl#versionInfo", "0.1.0") in triples
    assert ("http://rdfs.org/ns/void#dataDump", BASE + "dumps/graph.ttl") in triples
    assert any(p == "http://rdfs.org/ns/void#triples" for p, _ in triples)
    assert client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).json()["@graph"]
    assert "atrocity-kg test graph" in client.get("/.well-known/void", headers=HTML).text


def test_dumps(client):
    listing = client.get(R + "dumps/").text
    for name in ("graph.ttl", "graph.nt", "graph.nq", "graph.trig", "graph.jsonld"):
        assert f'href="{R}dumps/{name}"' in listing
    r = client.get(R + "dumps/graph.nq")
    assert r.headers["content-type"].startswith("application/n-quads")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))) > 50
    problem(client.get(R + "dumps/graph.zip"), 404)
    assert client.get(R + "dumps", follow_redirects=False).headers["location"] == R + "dumps/"
    assert client.get(R + "dumps/..%2F..%2Fkg.toml").status_code == 404


# --- SPARQL protocol -------------------------------------------------------------------------

SELECT = "SELECT ?name WHERE { ?a a schema:Organization ; schema:name ?name }"


@pytest.mark.parametrize("accept, media, check", [
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda b: json.loads(b)["results"]["bindings"][0]["name"]["value"] == "Aegis Trust"),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<literal>Aegis Trust</literal>" in b),
    ("text/csv", "text/csv", lambda b: b.splitlines() == [b"name", b"Aegis Trust"]),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.splitlines() == [b"?name", b'"Aegis Trust"']),
    ("*/*", "application/sparql-results+json", lambda b: b"Aegis Trust" in b),
])
def test_select_in_each_results_format(client, accept, media, check):
    r = client.get(R + "sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media) and check(r.content), r.text


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                         ("application/ld+json", ox.RdfFormat.JSON_LD),
                                         ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_construct_and_describe_in_each_graph_format(client, accept, fmt):
    for query in ("CONSTRUCT { ?a schema:name ?n } WHERE { ?a a schema:Person ; schema:name ?n }",
                  "DESCRIBE <person/jane-doe>"):
        r = client.post(R + "sparql", content=query, headers={"Content-Type": "application/sparql-query",
                                                              "Accept": accept})
        assert r.status_code == 200, r.text
        objects = {t.object.value for t in ox.parse(r.content, format=fmt)}
        assert "Jane Doe" in objects


def test_post_form_and_dataset_parameters(client):
    r = client.post(R + "sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                        "default-graph-uri": BASE + "graph/entities"},
                    headers={"Accept": "application/sparql-results+json"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == 4


def test_ask(client):
    r = client.get(R + "sparql", params={"query": "ASK { ?s a akg:Signature }"})
    assert r.json()["boolean"] is True


def test_construct_cannot_be_csv(client):
    problem(client.get(R + "sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"}), 406)


def test_service_description(client):
    r = client.get(R + "sparql", headers={"Accept": "text/turtle"})
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = {(t.predicate.value, t.object.value) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    assert (sd + "endpoint", BASE + "sparql") in triples and (sd + "name", BASE + "graph/doc/t1") in triples
    assert client.get(R + "sparql", headers=HTML, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("request_kwargs, status", [
    ({"params": {"query": "SELEKT * WHERE { ?s ?p ?o }"}}, 400),
    ({"params": {}, "data": {"update": "INSERT DATA { <a:x> <a:y> <a:z> }"}}, 403),
    ({"params": {"query": "INSERT DATA { <a:x> <a:y> <a:z> }"}}, 403),
    ({"params": {"query": "PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }"}}, 403),
    ({"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}, 403),
    ({"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "not an iri"}}, 400),
    ({"params": {"query": ["ASK {}", "ASK {}"]}}, 400),
])
def test_bad_and_forbidden_queries(client, request_kwargs, status):
    method = client.post if "data" in request_kwargs else client.get
    problem(method(R + "sparql", **request_kwargs), status)


def test_update_content_type_and_unknown_body(client):
    problem(client.post(R + "sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}), 403)
    problem(client.post(R + "sparql", content="x", headers={"Content-Type": "text/plain"}), 415)
    problem(client.put(R + "sparql", content="x"), 405)


def test_request_size_limits(client):
    problem(client.post(R + "sparql", content="ASK {} #" + "x" * 30_000,
                        headers={"Content-Type": "application/sparql-query"}), 413)
    chunks = (b"ASK {} #" + b"x" * 10_000 for _ in range(3))
    problem(client.post(R + "sparql", content=chunks, headers={"Content-Type": "application/sparql-query"}), 413)
    problem(client.get(R + "sparql", params={"query": "ASK {} #" + "x" * 5_000}), 414)


def test_result_size_cap(client):
    r = client.get(R + "sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(r.json()["results"]["bindings"]) == 50 and r.headers["x-sparql-maxrows"] == "50"
    r = client.get(R + "sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert len(r.content.splitlines()) == 50


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_query_timeout_kills_the_worker_and_recovers(client):
    began = time.monotonic()
    body = problem(client.get(R + "sparql", params={"query": SLOW}), 504)
    assert "longer than 2 s" in body["detail"] and time.monotonic() - began < 6
    assert client.get(R + "sparql", params={"query": "ASK { ?s ?p 42 }"}).json()["boolean"] is False
    assert client.app.state.server.pool.killed >= 1


def test_busy_workers_give_503(project):
    app = create_app(project, Limits(workers=1, timeout=3.0, queue_wait=0.2))
    with TestClient(app, raise_server_exceptions=False) as c:
        c.get(R + "sparql", params={"query": "ASK {}"})
        slow = threading.Thread(target=lambda: c.get(R + "sparql", params={"query": SLOW}))
        slow.start()
        time.sleep(0.3)
        r = c.get(R + "sparql", params={"query": "ASK { ?s ?p ?o }"})  # not an answer the cache has
        slow.join()
    assert problem(r, 503) and r.headers["retry-after"]


def test_too_many_requests_at_once_give_503(project):
    with TestClient(create_app(project, Limits(workers=1, max_inflight=0)), raise_server_exceptions=False) as c:
        r = c.get(R + "doc/t1", headers={"Accept": "text/turtle"})
    assert problem(r, 503) and r.headers["retry-after"] == "1"


def test_missing_release_is_503(tmp_path):
    settings = Settings(root=tmp_path, seeds=tmp_path, out=tmp_path / "out")
    with TestClient(create_app(settings, Limits(workers=1)), raise_server_exceptions=False) as c:
        body = problem(c.get(R + "doc/t1"), 503)
    assert "kg build" in body["hint"]


def test_browser_sees_html_results_and_html_errors(client):
    r = client.get(R + "sparql", params={"query": SELECT}, headers=HTML)
    assert 'id="results"' in r.text and "Aegis Trust" in r.text
    r = client.get(R + "sparql", params={"query": "SELEKT"}, headers=HTML)
    assert r.status_code == 400 and "<h1>400 Bad Request</h1>" in r.text


# --- query page ------------------------------------------------------------------------------

def test_query_page_lists_stock_queries_with_fields(client):
    text = client.get(R + "query").text
    assert "Signatories of an edition" in text and 'id="form-signatories"' in text
    assert f'name="edition" value="id:doc/t1"' in text and 'type="date" name="since"' in text
    assert 'type="number" name="position"' in text and "<textarea" in text


def test_stock_query_page_and_formats(client):
    text = client.get(R + "query/signatories", params={"edition": "id:doc/t1"}, headers=HTML).text
    assert 'id="results"' in text and f'<a href="{R}org/aegis-trust"' in text and "Jane Doe" in text
    rows = client.get(R + "query/signatories", headers={"Accept": "application/sparql-results+json"}).json()
    assert [b["name"]["value"] for b in rows["results"]["bindings"]] == ["Aegis Trust", "Jane Doe"]
    csv = client.get(R + "query/signed_by_name", params={"name": "Aegis Trust", "format": "csv"}).text
    assert csv.splitlines()[1:] == [f"Aegis Trust,{BASE}doc/t1", f"Aegis Trust,{BASE}doc/t2"]
    since = client.get(R + "query/editions_since", params={"since": "2021-02-01", "format": "json"}).json()
    assert [b["edition"]["value"] for b in since["results"]["bindings"]] == [BASE + "doc/t2"]
    assert client.get(R + "query/has_signatures", params={"format": "json"}).json()["boolean"] is True
    graph = client.get(R + "query/edition_graph", headers={"Accept": "text/turtle"})
    assert graph.headers["content-type"].startswith("text/turtle") and "aegis-trust" in graph.text


def test_stock_query_errors(client):
    problem(client.get(R + "query/nonesuch"), 404)
    body = problem(client.get(R + "query/signature_at", params={"position": "first"}), 400)
    assert "not an integer" in body["detail"]
    problem(client.get(R + "query/signatories", params={"nonesuch": "x"}), 400)


def test_free_query_from_the_page(client):
    r = client.post(R + "query", data={"query": SELECT})
    assert r.status_code == 200 and 'id="results"' in r.text and "Aegis Trust" in r.text
    assert "<textarea" in r.text and "schema:Organization" in r.text


# --- kg serve --get --------------------------------------------------------------------------

def test_serve_get_prints_one_response(project, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli import app

    monkeypatch.chdir(project.root)
    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--get", R + "org/aegis-trust", "-H", "Accept: text/turtle"])
    assert result.exit_code == 0, result.output
    assert "<https://w3id.org/atrocity-kg/id/org/aegis-trust>" in result.stdout
    result = runner.invoke(app, ["serve", "--get", R + "org/nobody", "--include"])
    assert result.exit_code == 3 and result.stdout.startswith("HTTP 404") and '"status": 404' in result.stdout
    result = runner.invoke(app, ["serve", "--get", R + "org/aegis-trust", "--base-iri", "https://elsewhere.org/"])
    assert result.exit_code == 3 and "base IRI" in result.output


def test_real_server_answers_on_loopback(project):
    import httpx

    with serve_process(project.root, "--workers", "1") as url:
        r = httpx.get(url + R + "doc/t1", headers={"Accept": "text/turtle"}, timeout=10)
        assert r.status_code == 200 and r.headers["vary"] == "Accept"
        assert httpx.get(url + R + "sparql", params={"query": "ASK {}"}, timeout=10).json()["boolean"] is True


def test_parameter_not_in_the_projection_is_bound_by_values():
    from kg.server.workers import answer

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex.org/a"), ox.NamedNode(S + "name"), ox.Literal("A"), ox.NamedNode("http://ex.org/g")))
    job = {"query": "SELECT ?n WHERE { ?s schema:name ?n }", "base": BASE, "prefixes": {"schema": S},
           "bindings": {"s": ("iri", "http://ex.org/a")}, "results_format": "json", "graph_format": None,
           "max_rows": 10, "context": {}}
    result = answer(store, job)
    assert json.loads(result["body"])["results"]["bindings"] == [{"n": {"type": "literal", "value": "A"}}]


def test_answers_are_cached_per_release(tmp_path):
    settings = make_project(tmp_path)
    with TestClient(create_app(settings, Limits(workers=1))) as c:
        server = c.app.state.server
        c.get(R + "doc/t1", headers=HTML)
        c.get(R + "sparql", params={"query": "ASK { <doc/t7> ?p ?o }"})
        cached = len(server.cache.entries)
        assert c.get(R + "doc/t1", headers=HTML).status_code == 200 and len(server.cache.entries) == cached
        make_release(settings, extra=("t7",))
        assert c.get(R + "sparql", params={"query": "ASK { <doc/t7> ?p ?o }"}).json()["boolean"] is True
        assert "Documents (3)" in c.get(R, headers=HTML).text


def test_load_on_loopback(project):
    """50 concurrent clients against a real server, bounded in time: no request may fail.
    (The full benchmark: benchmarks/load_server.py.)"""
    import importlib.util

    spec = importlib.util.spec_from_file_location("load_server", ROOT / "benchmarks" / "load_server.py")
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    with serve_process(project.root, "--workers", "2") as url:
        figures = load.run_load(url, clients=50, duration=30.0, requests=6)
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["requests"] == 300 and figures["seconds"] < 30


def test_stock_query_with_a_required_parameter_shows_the_form_first(client, project):
    (project.queries / "needs_name.rq").write_text(
        "# title: Who has a name\n# description: The resource with this name.\n# param: who string - a name\n"
        "SELECT ?who ?resource WHERE { ?resource schema:name ?who }\n", encoding="utf-8")
    try:
        page = client.get(R + "query/needs_name", headers=HTML)
        assert page.status_code == 200 and 'name="who" value=""' in page.text and 'id="results"' not in page.text
        page = client.get(R + "query/needs_name", params={"who": "Jane Doe"}, headers=HTML)
        assert 'id="results"' in page.text and f'href="{R}person/jane-doe"' in page.text
        json_only = {"Accept": "application/sparql-results+json"}
        assert "is required" in problem(client.get(R + "query/needs_name", headers=json_only), 400)["detail"]
    finally:
        (project.queries / "needs_name.rq").unlink()


def test_a_worker_that_dies_gives_500_and_is_replaced(project):
    app = create_app(project, Limits(workers=1, timeout=20.0))
    with TestClient(app, raise_server_exceptions=False) as c:
        pool = c.app.state.server.pool
        answers = []
        slow = threading.Thread(target=lambda: answers.append(c.get(R + "sparql", params={"query": SLOW})))
        slow.start()
        deadline = time.monotonic() + 10
        while not pool._live and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        for worker in list(pool._live):
            worker.process.kill()  # as the kernel's OOM killer would
        slow.join(15)
        assert "stopped" in problem(answers[0], 500)["detail"]
        assert c.get(R + "sparql", params={"query": "ASK { ?s ?p 7 }"}).json()["boolean"] is False


def test_an_internal_error_is_500_in_the_one_shape(project, monkeypatch):
    from kg.server import pages

    monkeypatch.setattr(pages, "home_page", lambda *a: 1 / 0)
    with TestClient(create_app(project, Limits(workers=1)), raise_server_exceptions=False) as c:
        assert "ZeroDivisionError" in problem(c.get(R), 500)["detail"]
        page = c.get(R, headers=HTML)
        assert page.status_code == 500 and "<h1>500 Internal Server Error</h1>" in page.text
