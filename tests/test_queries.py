"""The stock queries in queries/: every one runs, on the seed graph and on hand-written fixtures,
and gives the facts the sources support.

The seed graph is built once for the module with the real pipeline (seeds/ -> store). The
statement queries (allegations, figures, quotations, rebuttals, legal characterisations) are
checked on tests/data/queries/statements.trig, a small graph in the data contract's terms, so
that they do not depend on what the extractor finds today; on the seed graph they must run and
give rows consistent with the rest of the graph. tests/data/queries/broken-anchor.trig has one
anchor whose offsets count UTF-16 code units instead of code points.

Each query is also run the way a remote endpoint gets it (parameters as a VALUES block, no
predeclared prefixes, no base IRI): the rows must be the same.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings, project_root
from kg.errors import InputError
from kg.pipeline import build
from kg.queries import (PREFIXES, bind, check_read_only, parse_params, resolve_query, run_local,
                        stock_queries, with_values)
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DATA = Path(__file__).resolve().parent / "data" / "queries"
BASE = "https://w3id.org/atrocity-kg/id/"
XSD = PREFIXES["xsd"]

D000 = "doc/000_bbfb80d926e12133"  # the letter, PDF edition of 14 January 2021
D001 = "doc/001_e6a54758775b160a"  # the same letter on Remembering Srebrenica, 15 September 2020
D002 = "doc/002_cd49a45c123e606c"  # the Jo Cox Foundation's page about it
D003 = "doc/003_a368d2a828393d5a"  # Amnesty International's letter to all UN member states
D004 = "doc/004_2b46f8cca0edf780"  # the Reuters report on the letter
WORK = "work/open-letter-of-concern-to-governments-on-crimes-against-humanity-and-genocide"

ALL = sorted(stock_queries(QUERIES))
ISSUE_3 = ["allegations-by-act", "figures", "provisions-invoked", "quotations", "rebuttals",
           "documents-alleging-provision", "alleged-acts"]
INJECTION = 'x" } INSERT DATA { <a> <b> <c> } #'


# --------------------------------------------------------------------------------------------
# fixtures and helpers
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The seed graph, built with the real pipeline into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    settings = Settings.for_project(project_root(ROOT)).with_(out=out, base_iri=BASE)
    build(settings)
    return open_store(settings.out)


def _load(name: str) -> ox.Store:
    store = ox.Store()
    store.load(path=str(DATA / name), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def statements():
    return _load("statements.trig")


@pytest.fixture(scope="module")
def broken():
    return _load("broken-anchor.trig")


def _value(term, base: str = BASE):
    """A plain Python value: IRIs relative to the base (``doc/...``), integers as int."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value[len(base):] if term.value.startswith(base) else term.value
    if isinstance(term, ox.Literal):
        if term.datatype.value in (XSD + "integer", XSD + "decimal", XSD + "double") and \
                re.fullmatch(r"[+-]?\d+(\.0+)?(E0)?", term.value):
            return int(float(term.value))
        if term.datatype.value == XSD + "boolean":
            return term.value == "true"
        return term.value
    return str(term)


def _rows(results) -> tuple[list[str], list[dict]]:
    names = [v.value for v in results.variables]
    return names, [{n: _value(row[n]) for n in names} for row in results]


def run_full(store: ox.Store, query: str, /, **params) -> tuple[list[str], list[dict]]:
    q = resolve_query(query, None, QUERIES)
    return _rows(run_local(store, q, bind(q, {k: str(v) for k, v in params.items()}, BASE), BASE))


def run(store: ox.Store, query: str, /, **params) -> list[dict]:
    return run_full(store, query, **params)[1]


def run_remote_style(store: ox.Store, query: str, /, **params):
    """As a remote endpoint would get it: a VALUES block, the query's own PREFIXes, no base."""
    q = resolve_query(query, None, QUERIES)
    text = with_values(q.text, bind(q, {k: str(v) for k, v in params.items()}, BASE))
    return _rows(store.query(text, use_default_graph_as_union=True))


def by(rows: list[dict], **match) -> list[dict]:
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def repeated(rows: list[dict]) -> list:
    counts = Counter(tuple(sorted(r.items(), key=str)) for r in rows)
    return [row for row, n in counts.items() if n > 1]


# --------------------------------------------------------------------------------------------
# every query: header, syntax, determinism, no repeated rows, same rows remotely
# --------------------------------------------------------------------------------------------


def test_there_are_enough_stock_queries():
    assert len(ALL) >= 18
    for name in ALL:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name
    for name in ISSUE_3 + ["documents-and-editions", "signatories-of-edition", "signatory-diff",
                           "multi-document-signatories", "calls-to-action", "provisions-by-instrument",
                           "co-signatories", "stated-vs-counted", "anchors-check", "addressees",
                           "affiliations", "entity-names"]:
        assert name in ALL


@pytest.mark.parametrize("name", ALL)
def test_header_and_rules(name):
    q = stock_queries(QUERIES)[name]
    assert q.title and q.title != name, "no '# title:' line"
    assert len(q.description) > 20, "no '# description:' line"
    body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
    select = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.S | re.I)
    assert select, "a stock query is a SELECT ... WHERE"
    for p in q.params:
        assert p.default is not None or p.doc, f"param {p.name}: neither a default nor a description"
        # pyoxigraph substitutes only variables of the SELECT projection
        assert re.search(rf"\?{p.name}\b", select.group(1)), f"param {p.name} is not in the SELECT clause"
    assert re.search(r"\bDISTINCT\b|\bGROUP\s+BY\b", body, re.I), "use DISTINCT or GROUP BY"
    assert re.search(r"\bORDER\s+BY\b", body, re.I), "order the rows"
    assert not re.search(r"^\s*BASE\b", body, re.M | re.I), "no BASE: the data base IRI is configurable"
    check_read_only(q.text, name)
    # its own PREFIX lines, no relative IRIs: it parses with no predeclared prefixes and no base
    ox.Store().query(with_values(q.text, bind(q, {}, BASE)))


@pytest.mark.parametrize("name", ALL)
def test_runs_on_the_seed_graph(seed, name):
    names, first = run_full(seed, name)
    assert first == run(seed, name), "not deterministic"
    assert not repeated(first), f"repeated rows: {repeated(first)[:3]}"
    assert run_remote_style(seed, name) == (names, first), "other rows with the parameters as VALUES"


@pytest.mark.parametrize("name", ALL)
def test_runs_on_the_statements_fixture(statements, name):
    rows = run(statements, name)
    assert not repeated(rows), f"repeated rows: {repeated(rows)[:3]}"
    assert run_remote_style(statements, name)[1] == rows


def test_queries_do_not_depend_on_the_base_iri(statements):
    """The data base IRI is configurable: no query names a data IRI, defaults are id:..."""
    other = "https://example.org/kg/"
    text = (DATA / "statements.trig").read_text(encoding="utf-8")
    store = ox.Store()
    store.load(text.replace(f"@base <{BASE}>", f"@base <{other}>").encode(), format=ox.RdfFormat.TRIG)
    assert not store.query(f"ASK {{ GRAPH ?g {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{BASE}')) }} }}")
    for name in ALL:
        q = resolve_query(name, None, QUERIES)
        results = run_local(store, q, bind(q, {}, other), other)
        rows = [{v.value: _value(row[v], other) for v in results.variables} for row in results]
        assert rows == run(statements, name), name


def test_parameters_are_bound_as_terms_not_spliced(seed):
    q = resolve_query("entity-names", None, QUERIES)
    normal = run_local(seed, q, bind(q, {}, BASE), BASE)
    variables = [v.value for v in normal.variables]
    list(normal)
    terms = bind(q, parse_params([f"name={INJECTION}"]), BASE)
    assert terms["name"] == ox.Literal(INJECTION)
    results = run_local(seed, q, terms, BASE)
    assert [v.value for v in results.variables] == variables
    assert list(results) == []
    # the remote form: the value is one escaped literal in a VALUES block, still a read-only SELECT
    text = with_values(q.text, terms)
    check_read_only(text, "remote")
    names, rows = _rows(seed.query(text, use_default_graph_as_union=True))
    assert names == variables and rows == []
    # an IRI parameter refuses the same text
    with pytest.raises(InputError):
        bind(resolve_query("signatories-of-edition", None, QUERIES), {"edition": INJECTION}, BASE)
    with pytest.raises(InputError):
        bind(resolve_query("signatories-of-edition", None, QUERIES), {"edition": "id:doc/x> } #"}, BASE)


def test_string_parameter_with_quotes_and_braces_finds_nothing_but_runs(statements):
    before = len(statements)
    assert run(statements, "entity-names", name=INJECTION) == []
    assert len(statements) == before


# --------------------------------------------------------------------------------------------
# the seed graph: documents, editions, signatures
# --------------------------------------------------------------------------------------------


def test_documents_and_editions(seed):
    rows = run(seed, "documents-and-editions")
    assert sorted({r["document"] for r in rows}) == [D000, D001, D002, D003, D004]
    (r000,) = by(rows, document=D000)
    assert r000["revisionOf"] == D001 and r000["work"] == WORK and r000["date"] == "2021-01-14"
    assert "Message" in r000["type"].split()
    (r001,) = by(rows, document=D001)
    assert r001["revisionOf"] is None and r001["work"] == WORK and r001["date"] == "2020-09-15"
    for key in (D002, D004):
        (row,) = by(rows, document=key)
        assert row["about"] == WORK
    assert "NewsArticle" in by(rows, document=D004)[0]["type"].split()
    assert by(rows, document=D003)[0]["date"] == "2021-10-11"


def test_signatories_of_edition_000(seed):
    rows = run(seed, "signatories-of-edition")
    assert len(rows) == 51
    assert Counter(r["kind"] for r in rows) == {"organization": 30, "person": 21}
    assert [r["position"] for r in rows] == list(range(1, 52))
    assert {r["edition"] for r in rows} == {D000}
    assert rows[0]["name"] == "Aegis Trust" and rows[0]["role"] is None and rows[0]["institution"] is None
    assert all(r["role"] for r in rows if r["kind"] == "person")
    (kiernan,) = by(rows, name="Ben Kiernan")
    # two listed affiliations, role and institution joined in the same order
    assert set(zip(kiernan["role"].split("; "), kiernan["institution"].split("; "))) == {
        ("A. Whitney Griswold Professor of History", "-"),
        ("Founding Director (1994-2015)", "Genocide Studies Program, Yale University")}
    (stanton,) = by(rows, name="Gregory Stanton")
    assert (stanton["role"], stanton["institution"]) == ("President", "Genocide Watch")


def test_signatories_of_edition_001(seed):
    rows = run(seed, "signatories-of-edition", edition=f"id:{D001}")
    assert len(rows) == 39
    assert Counter(r["kind"] for r in rows) == {"organization": 23, "person": 16}
    assert run(seed, "signatories-of-edition", edition=BASE + D001) == rows


def test_signatory_diff(seed):
    rows = run(seed, "signatory-diff")  # a = 001 (2020), b = 000 (2021)
    assert Counter(r["kind"] for r in rows) == {"organization": 7, "person": 5}
    assert {(r["side"], r["signedOnly"]) for r in rows} == {("b", D000)}
    names = {r["name"] for r in rows}
    assert {"Human Security Centre", "Sentinel Project for Genocide Prevention", "Ben Kiernan", "Tod Lindberg"} <= names
    swapped = run(seed, "signatory-diff", a=f"id:{D000}", b=f"id:{D001}")
    assert {(r["side"], r["signedOnly"]) for r in swapped} == {("a", D000)}
    assert {r["agent"] for r in swapped} == {r["agent"] for r in rows}
    assert run(seed, "signatory-diff", a=f"id:{D000}", b=f"id:{D000}") == []
    # every signer of 001 signed 000 as well, so 000 against a letter without signatures gives all 51
    assert len(run(seed, "signatory-diff", a=f"id:{D000}", b=f"id:{D004}")) == 51


def test_signature_counts(seed):
    rows = {r["edition"]: (r["organizations"], r["persons"], r["signatures"]) for r in run(seed, "signature-counts")}
    assert rows[D000] == (30, 21, 51)
    assert rows[D001] == (23, 16, 39)
    assert rows[D003] == (0, 1, 1)


def test_multi_document_signatories(seed):
    rows = run(seed, "multi-document-signatories")
    assert len(rows) == 23
    assert all(r["documents"] == 2 and r["works"] == 1 for r in rows)
    assert all(set(r["documentKeys"].split()) == {D000[4:], D001[4:]} for r in rows)
    assert "Uyghur Human Rights Project" in {r["name"] for r in rows}


def test_co_signatories(seed):
    rows = run(seed, "co-signatories")
    pairs = [(r["organization1"], r["organization2"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert not {(b, a) for a, b in pairs} & set(pairs), "a pair appears in both orders"
    assert all(a < b for a, b in pairs)
    counts = [r["sharedEditions"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    # 000 lists 30 organisations, 23 of them also in 001; no other document has organisation signers
    assert Counter(counts) == {2: 23 * 22 // 2, 1: 30 * 29 // 2 - 23 * 22 // 2}


def test_affiliations(seed):
    rows = run(seed, "affiliations")
    (callamard,) = by(rows, name="Agnès Callamard")
    assert (callamard["role"], callamard["institutionName"], callamard["edition"]) == \
        ("Secretary General", "Amnesty International", D003)
    assert len(by(rows, name="Ben Kiernan", edition=D000)) == 2
    assert len(by(rows, edition=D000)) == len({r["affiliation"] for r in by(rows, edition=D000)})
    persons = {r["agent"] for r in run(seed, "signatories-of-edition") if r["kind"] == "person"}
    assert {r["person"] for r in by(rows, edition=D000)} == persons


def test_addressees(seed):
    rows = run(seed, "addressees")
    assert {(r["document"], r["recipientName"]) for r in rows} >= {
        (D000, "Governments"), (D001, "Governments"), (D003, "all UN member states")}
    assert all(r["recipientKind"] in {"audience", "organization", "person", "other"} for r in rows)
    assert not by(rows, document=D004)


def test_calls_to_action(seed):
    rows = run(seed, "calls-to-action")
    calls = by(rows, document=D000)
    assert [c["position"] for c in calls] == [1, 2, 3]
    assert all(c["recipients"] == "states" for c in calls)
    assert calls[0]["text"].startswith("Convene a special session")
    assert all(c["start"] < c["end"] for c in calls)
    assert [c["start"] for c in calls] == sorted(c["start"] for c in calls)
    assert [c["text"] for c in by(rows, document=D001)] == [c["text"] for c in calls]
    assert {r["recipients"] for r in by(rows, document=D002)} >= {"Government of the United Kingdom"}


def test_who_is_asked(seed):
    rows = run(seed, "who-is-asked")
    (states,) = by(rows, recipientName="states")
    assert (states["calls"], states["documents"]) == (6, 2)
    assert rows[0] == states


def test_anchor_of(seed):
    (row,) = run(seed, "anchor-of")
    assert (row["document"], row["exact"], row["matches"]) == (D000, "Aegis Trust", True)
    assert row["end"] - row["start"] == len("Aegis Trust") and re.fullmatch(r"[0-9a-f]{64}", row["sha256"])
    (call,) = run(seed, "anchor-of", node=f"id:{D000}/signature/51")
    assert call["exact"].startswith("Andrew Woolford") and call["matches"] is True


def test_agent_activity(seed):
    rows = run(seed, "agent-activity")
    assert {(r["activity"], r["document"]) for r in rows} >= {("signed", D000), ("signed", D001)}
    assert {r["name"] for r in rows} == {"The Jo Cox Foundation"}
    amnesty = run(seed, "agent-activity", agent="id:org/amnesty-international")
    assert {(r["activity"], r["document"]) for r in amnesty} >= {
        ("author of", D003), ("institution of a signer of", D003)}


# --------------------------------------------------------------------------------------------
# the seed graph: reference data, names, anchors, stated counts
# --------------------------------------------------------------------------------------------


def test_provisions_by_instrument(seed):
    rows = run(seed, "provisions-by-instrument")
    provisions = [r["provision"] for r in rows]
    assert len(provisions) == len(set(provisions))
    ids = {r["identifier"]: r for r in rows}
    for letter in "abcde":
        row = ids[f"Genocide Convention, Art. II({letter})"]
        assert row["instrument"] == "eli/treaty/genocide-convention" and row["text"]
    for letter in "abcdefghijk":
        row = ids[f"Rome Statute, Art. 7(1)({letter})"]
        assert row["instrument"] == "eli/treaty/rome-statute"
        assert row["provision"] == f"eli/treaty/rome-statute/art_7/para_1/point_{letter}"
    assert ids["Genocide Convention, Art. II(d)"]["acts"] == "Coercive birth prevention"
    assert ids["Genocide Convention, Art. II(d)"]["text"] == "Imposing measures intended to prevent births within the group"
    assert "Persecution" in ids["Rome Statute, Art. 7(1)(h)"]["acts"]


def test_entity_names(seed):
    rows = run(seed, "entity-names")  # default: "uyghur"
    (uhrp,) = by(rows, entity="org/uyghur-human-rights-project")
    assert uhrp["entityName"] == "Uyghur Human Rights Project"
    assert "UHRP" in uhrp["alternateNames"].split(" | ") and "Organization" in uhrp["types"].split()
    assert {r["name"] for r in rows} == {"uyghur"}
    upper = run(seed, "entity-names", name="UHRP")
    assert [r["entity"] for r in upper] == ["org/uyghur-human-rights-project"]
    assert [r["entity"] for r in run(seed, "entity-names", name="uhrp")] == ["org/uyghur-human-rights-project"]
    amnesty = run(seed, "entity-names", name="amnesty")
    assert "org/amnesty-international" in {r["entity"] for r in amnesty}
    letters = run(seed, "entity-names", name="open letter")
    assert not any(r["entity"].startswith(("doc/", "work/")) for r in letters)


def test_anchors_check_on_the_seed_graph(seed):
    assert run(seed, "anchors-check") == []


def test_anchors_check_finds_a_broken_anchor(broken, statements):
    rows = run(broken, "anchors-check")
    assert len(rows) == 1
    (row,) = rows
    assert (row["document"], row["anchor"], row["start"], row["end"]) == \
        ("doc/broken", "doc/broken/anchor/90-98", 90, 98)
    assert (row["exact"], row["found"]) == ("Aid Fund", "id Fund\n")
    assert run(statements, "anchors-check") == []  # code points past a character outside the BMP


def test_anchors_check_reports_a_missing_selector():
    store = _load("broken-anchor.trig")
    store.update("""PREFIX oa: <http://www.w3.org/ns/oa#>
        DELETE WHERE { GRAPH ?g { <https://w3id.org/atrocity-kg/id/doc/broken/anchor/33-58> oa:hasSelector
                                   <https://w3id.org/atrocity-kg/id/doc/broken/anchor/33-58/quote> } }""")
    problems = {r["anchor"]: r["problem"] for r in run(store, "anchors-check")}
    assert problems == {"doc/broken/anchor/33-58": "no text quote selector",
                        "doc/broken/anchor/90-98": "the text at start..end differs from oa:exact"}


def test_stated_vs_counted_on_the_seed_graph(seed):
    """Until the extractor states counts this may be empty; every row it gives must add up."""
    listed = {}
    for edition in {r["edition"] for r in run(seed, "stated-vs-counted")}:
        kinds = Counter(r["kind"] for r in run(seed, "signatories-of-edition", edition=BASE + edition))
        listed[edition] = kinds
    for row in run(seed, "stated-vs-counted"):
        concept = (row["quantityOf"] or "").rsplit("/", 1)[-1]
        if concept in ("organizations", "persons"):
            kind = {"organizations": "organization", "persons": "person"}[concept]
            assert row["counted"] == listed[row["edition"]][kind]
            if row["stated"] is not None:
                assert row["difference"] == row["counted"] - row["stated"]
        else:
            assert row["counted"] is None


def test_stated_vs_counted_on_the_fixture(statements):
    rows = run(statements, "stated-vs-counted")
    got = {r["quantityOf"].rsplit("/", 1)[-1]: (r["stated"], r["counted"], r["difference"]) for r in rows}
    # no count of signatures for what is not a kind of signer
    assert got == {"organizations": (2, 2, 0), "persons": (3, 1, -2), "countries": (4, None, None)}
    assert {(r["statedIn"], r["edition"]) for r in rows} == {("doc/news", "doc/letter")}
    assert {r["exact"] for r in rows} == {"2 organizations", "3 experts", "4 countries"}


# --------------------------------------------------------------------------------------------
# statements (issue 3): on the fixture, and consistent on the seed graph
# --------------------------------------------------------------------------------------------


def _text(store: ox.Store, doc: str) -> str:
    path = "<https://w3id.org/atrocity-kg/ontology#source>/<https://schema.org/text>"
    (row,) = store.query(f"SELECT ?t {{ <{BASE}{doc}> {path} ?t }}", use_default_graph_as_union=True)
    return row["t"].value


def test_allegations_by_act(statements):
    rows = run(statements, "allegations-by-act")
    assert [(r["actLabel"], r["document"]) for r in rows] == [
        ("Coercive birth prevention", "doc/letter"), ("Mass internment", "doc/letter"), ("Mass internment", "doc/news")]
    letter = _text(statements, "doc/letter")
    for row in by(rows, document="doc/letter"):
        assert letter[row["start"]:row["end"]] == row["exact"] == row["text"]
        assert row["against"] == "Examplans"
    assert by(rows, document="doc/news")[0]["against"] in (None, "")
    assert rows[0]["act"] == "concept/act/coercive-birth-prevention"


def test_figures(statements):
    rows = run(statements, "figures")
    assert len(rows) == 5
    (camps,) = by(rows, document="doc/letter")
    assert (camps["minValue"], camps["maxValue"], camps["value"], camps["unit"]) == (1000000, 1800000, None, "people")
    assert camps["counts"] == "concept/counted/people-detained" and camps["countsLabel"] == "People detained"
    assert camps["exact"] == "Between 1 and 1.8 million people"
    assert camps["statementText"].startswith("Between 1 and 1.8 million people are held")
    assert {r["value"] for r in by(rows, document="doc/news")} == {2, 3, 4, None}


def test_provisions_invoked(statements):
    (row,) = run(statements, "provisions-invoked")
    assert (row["document"], row["identifier"], row["characterizations"]) == \
        ("doc/letter", "Genocide Convention, Art. II(d)", 1)
    assert row["instrumentName"] == "Convention on the Prevention and Punishment of the Crime of Genocide"
    assert row["firstText"].startswith("These measures amount to genocide")


def test_quotations(statements):
    rows = run(statements, "quotations")
    assert len(rows) == 2
    (brooks,) = by(rows, speakerName="Sarah Brooks")
    assert brooks["text"] == "Nothing of substance was said," and brooks["quotedFrom"] is None
    (quoted,) = by(rows, quotedFrom="doc/letter")
    assert quoted["document"] == "doc/news" and quoted["quotedFromTitle"] == "Joint letter on Example Region"
    assert _text(statements, "doc/news")[quoted["start"]:quoted["end"]] == quoted["text"]


def test_rebuttals(statements):
    rows = run(statements, "rebuttals")
    assert {r["authorName"] for r in rows} == {"Foreign Ministry of Example State"}
    assert {r["disputes"] for r in rows} == {"doc/letter", "doc/letter/allegation/168-coercive-birth-prevention"}
    assert by(rows, disputes="doc/letter")[0]["disputed"] == "Joint letter on Example Region"
    assert all(r["text"] == "The foreign ministry rejected the letter as “lies”." for r in rows)


def test_documents_alleging_provision(statements):
    (row,) = run(statements, "documents-alleging-provision")  # default: Genocide Convention Art. II(d)
    assert (row["document"], row["allegations"], row["characterizations"], row["acts"]) == \
        ("doc/letter", 1, 1, "Coercive birth prevention")
    # the article covers its points
    article = run(statements, "documents-alleging-provision", provision="id:eli/treaty/genocide-convention/art_2")
    assert [r["document"] for r in article] == ["doc/letter"]
    persecution = "id:eli/treaty/rome-statute/art_7/para_1/point_h"
    assert run(statements, "documents-alleging-provision", provision=persecution) == []


def test_alleged_acts(statements):
    rows = run(statements, "alleged-acts")
    assert [(r["actLabel"], r["allegations"], r["documents"]) for r in rows] == [
        ("Mass internment", 2, 2), ("Coercive birth prevention", 1, 1)]
    assert rows[1]["provisions"] == "Genocide Convention, Art. II(d)"


def test_statement_queries_are_consistent_on_the_seed_graph(seed):
    """The extractor may not find statements yet; whatever it finds must hang together."""
    texts = {}
    for row in run(seed, "allegations-by-act"):
        doc = row["document"]
        texts.setdefault(doc, _text(seed, doc))
        assert row["actLabel"] and texts[doc][row["start"]:row["end"]] == row["exact"]
    for row in run(seed, "quotations"):
        assert row["document"] and row["text"]
        assert row["quotedFrom"] != row["document"]
    for row in run(seed, "figures"):
        assert row["value"] is not None or row["minValue"] is not None or row["maxValue"] is not None
    invoked = {(r["document"], r["provision"]) for r in run(seed, "provisions-invoked")}
    for document, provision in invoked:
        alleging = run(seed, "documents-alleging-provision", provision=BASE + provision)
        assert document in {r["document"] for r in alleging}
    for row in run(seed, "rebuttals"):
        assert row["author"] and row["disputes"]


@pytest.mark.parametrize("name", [n for n in ALL if resolve_query(n, None, QUERIES).params])
def test_parameters_are_bound_before_the_clause_is_read(seed, name):
    """Locally, a parameterised query runs as VALUES + LATERAL { the WHERE clause } (Oxigraph
    does not push VALUES into a UNION): the form must parse, not fall back, and give the rows
    of the standard form (test_runs_on_the_seed_graph compares them)."""
    q = resolve_query(name, None, QUERIES)
    assert q.lateral, "a stock query with parameters says '# bind: lateral' (or is slow at scale)"
    terms = bind(q, {}, BASE)
    text = with_values(q.text, terms, lateral=True)
    assert text is not None and "LATERAL {" in text
    seed.query(text, use_default_graph_as_union=True, base_iri=BASE,
               prefixes={k: v or BASE for k, v in PREFIXES.items()})  # raises SyntaxError if the form is broken
    with_injection = with_values(q.text, {**terms, **{p.name: ox.Literal(INJECTION) for p in q.params if p.type == "string"}},
                                 lateral=True)
    assert with_injection.count("LATERAL {") == 1


def test_a_query_that_does_not_say_bind_lateral_keeps_sparqls_scoping():
    """Bound first, a parameter is seen where SPARQL's bottom-up evaluation would not see it:
    a query gets that form only when its header asks for it."""
    text = "# param: x iri - a thing (default: id:a)\nSELECT ?y WHERE { { FILTER(BOUND(?x)) BIND(1 AS ?y) } }"
    store = ox.Store()
    q = resolve_query(None, text, QUERIES)
    assert not q.lateral
    assert list(run_local(store, q, bind(q, {}, BASE), BASE)) == []  # ?x is not in scope inside the group
    asked = resolve_query(None, "# bind: lateral\n" + text, QUERIES)
    assert asked.lateral and len(list(run_local(store, asked, bind(asked, {}, BASE), BASE))) == 1
