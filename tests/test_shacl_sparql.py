"""The SPARQL engine (kg/shacl_sparql.py) finds what pyshacl finds.

- Every example of tests/test_shapes.py (97 violating, 27 conforming), run through both: the same
  results, each identified by focus node, result path, source shape, value and SPARQL constraint,
  with the same messages and severity.
- Every constraint component the engine supports, on a small graph made to break each one, and the
  Python fallback for inner shapes that do not compile to one FILTER: the same results as pyshacl.
- The seed graph conforms for both engines; a generated corpus with seeded violations (anchors
  moved or changed, required properties deleted, datatypes changed) gets the same results from the
  SPARQL engine over the Oxigraph store as from pyshacl on the whole graph, and the same report
  (document, focus, path, value, message, span) as the pyshacl engine of ``kg validate``.
- A component the engine does not support is a clear error when the shapes are compiled, and
  ``kg validate`` then falls back to pyshacl.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import SH

import test_shapes as examples
from kg.config import Settings
from kg.pipeline import _edition_index, compile_graph, to_ntriples, validate_compiled
from kg.shacl_sparql import UnsupportedShape, compile_shapes, normalised_literals
from kg.validate import load_shapes, validate_graphs

ROOT = Path(__file__).resolve().parent.parent
DOC_GRAPH = ox.NamedNode("https://w3id.org/atrocity-kg/id/graph/doc/example")
ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/atrocity-kg/id/graph/ontology")


# --------------------------------------------------------------------------------------------
# Comparing results


@lru_cache(maxsize=None)
def _stored(term: ox.Term) -> ox.Term:
    """A term as an Oxigraph store holds it (xsd:nonNegativeInteger becomes xsd:integer, ...)."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), term))
    return next(iter(store)).object


def _ox(term) -> ox.Term | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))


def _key(focus, path, shape, value, constraint, messages, severity) -> tuple:
    """What must agree: blank nodes (a complex path, an anonymous shape) compare as 'a blank node'."""
    def named(node):
        return node if isinstance(node, ox.NamedNode) else ("blank node" if node is not None else None)

    def term(node):
        if isinstance(node, ox.Literal):
            return _stored(node)
        return "blank node" if isinstance(node, ox.BlankNode) else node
    return (term(focus), named(path), named(shape), term(value),
            named(constraint), tuple(sorted(set(messages))), severity)


def pyshacl_results(report: rdflib.Graph) -> set[tuple]:
    found = set()
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        found.add(_key(_ox(report.value(r, SH.focusNode)), _ox(report.value(r, SH.resultPath)),
                       _ox(report.value(r, SH.sourceShape)), _ox(report.value(r, SH.value)),
                       _ox(report.value(r, SH.sourceConstraint)),
                       [str(m) for m in report.objects(r, SH.resultMessage)],
                       str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]))
    return found


def sparql_results(results) -> set[tuple]:
    return {_key(r.focus, r.path, r.shape, r.value, r.constraint, r.messages, r.severity) for r in results}


def summary(found: set) -> str:
    return "\n".join(f"  {k}" for k in sorted(found, key=str)) or "  (none)"


def assert_same(pyshacl_found: set, sparql_found: set) -> None:
    assert sparql_found == pyshacl_found, (
        f"only pyshacl:\n{summary(pyshacl_found - sparql_found)}\nonly SPARQL:\n{summary(sparql_found - pyshacl_found)}")


# --------------------------------------------------------------------------------------------
# The examples of test_shapes.py


@lru_cache(maxsize=None)
def engine_for(shapes: rdflib.Graph):
    return compile_shapes(shapes.serialize(format="nt"))


def example_store(data_nt: str) -> ox.Store:
    """The example as a document graph, with the class hierarchy as the ontology graph."""
    store = ox.Store()
    store.load(data_nt.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=DOC_GRAPH)
    store.load(examples.HIERARCHY.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ONTOLOGY_GRAPH)
    return store


@pytest.mark.parametrize("case", examples.GOOD + examples.BAD, ids=lambda c: c.id)
def test_the_example_gets_the_same_results_from_both_engines(case):
    conforms, report, _ = examples._validate(case.update, case.shapes)
    data = examples._example(case.update).serialize(format="nt")
    found = engine_for(case.shapes).validate(example_store(data), normalised=normalised_literals([data]))
    assert_same(pyshacl_results(report), sparql_results(found))
    assert conforms == (not found)


# --------------------------------------------------------------------------------------------
# Every supported component, and the fallback in Python


ZOO_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:targetNode ex:lonely ;
  sh:nodeKind sh:IRI ; sh:pattern "^urn:ex:[a-z]+$" ; sh:flags "i" ;
  sh:property ex:Thing-label , ex:Thing-size , ex:Thing-colour , ex:Thing-part , ex:Thing-kind ,
              ex:Thing-range , ex:Thing-parent , ex:Thing-alias , ex:Thing-code , ex:Thing-members .
ex:Thing-label sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 2 ; sh:languageIn ( "en" "fr" ) ;
  sh:minLength 2 ; sh:maxLength 10 .
ex:Thing-size sh:path ex:size ; sh:datatype xsd:integer ; sh:minExclusive 0 ; sh:maxExclusive 100 ;
  sh:severity sh:Warning .
ex:Thing-colour sh:path ex:colour ; sh:in ( ex:red ex:green "blue" ) ; sh:message "a colour of the list" .
ex:Thing-part sh:path ex:part ; sh:class ex:Part ; sh:node ex:PartShape ;
  sh:qualifiedValueShape [ sh:path ex:weight ; sh:minCount 1 ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 2 .
ex:Thing-kind sh:path ex:kind ; sh:xone ( [ sh:nodeKind sh:IRI ] [ sh:datatype xsd:string ] ) ;
  sh:not [ sh:hasValue ex:forbidden ] .
ex:Thing-range sh:path ex:low ; sh:lessThan ex:high ; sh:disjoint ex:high ; sh:maxInclusive 1000 ; sh:minInclusive -5 .
ex:Thing-parent sh:path ( ex:part [ sh:inversePath ex:part ] ) ; sh:maxCount 3 .
ex:Thing-alias sh:path [ sh:alternativePath ( ex:alias ex:nickname ) ] ; sh:equals ex:alias .
ex:Thing-code sh:path [ sh:zeroOrMorePath ex:next ] ; sh:datatype xsd:string ; sh:deactivated true .
ex:Thing-members sh:path [ sh:oneOrMorePath ex:member ] ; sh:nodeKind sh:IRI ;
  sh:property [ sh:path ex:weight ; sh:maxCount 1 ] .
ex:PartShape a sh:NodeShape ; sh:property [ sh:path ex:weight ; sh:datatype xsd:decimal ] ;
  sh:and ( [ sh:nodeKind sh:IRI ] [ sh:not [ sh:class ex:Broken ] ] ) .

# an inner shape that is not one FILTER: evaluated in Python on the candidates
ex:BoxShape a sh:NodeShape ; sh:targetSubjectsOf ex:holds ;
  sh:or ( [ sh:path ex:holds ; sh:minCount 3 ] [ sh:path ex:holds ; sh:qualifiedValueShape [ sh:class ex:Part ] ;
                                                  sh:qualifiedMinCount 2 ] ) .
ex:HeldShape a sh:NodeShape ; sh:targetObjectsOf ex:holds ; sh:hasValue ex:p1 .
ex:Gadget a rdfs:Class , sh:NodeShape ; sh:property [ sh:path ex:size ; sh:minCount 1 ] .

ex:SparqlShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [
  sh:message "{$this} is its own part at {?value}" ; sh:prefixes ex: ;
  sh:select "SELECT $this ?value WHERE { $this ex:part ?value . FILTER(sameTerm($this, ?value)) }" ] .
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "urn:ex:"^^xsd:anyURI ] .
"""

ZOO_DATA = """
@prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:SubThing rdfs:subClassOf ex:Thing .
ex:good a ex:Thing ; rdfs:label "good"@en ; ex:size 5 ; ex:colour ex:red ; ex:part ex:p1 ; ex:kind "k" ;
  ex:low 1 ; ex:high 2 ; ex:alias ex:a ; ex:member ex:m1 .
ex:p1 a ex:Part ; ex:weight 1.5 .
ex:p2 a ex:Part , ex:Broken ; ex:weight "heavy" .
ex:p3 a ex:Part .
ex:m1 ex:weight 1 , 2 ; ex:member ex:m2 . ex:m2 ex:weight 3 .
ex:bad a ex:SubThing ; rdfs:label "x" , "abcdefghijkl"@de , "third"@en ; ex:size 0 , "7" , 100 ;
  ex:colour "red" , "blue" ; ex:part ex:p2 , ex:p3 , ex:bad , "p" ; ex:kind ex:forbidden , 3 ;
  ex:low 7 , 9 ; ex:high 7 ; ex:alias ex:a ; ex:nickname ex:b ; ex:member _:b1 .
<urn:ex:Bad_Name> a ex:Thing ; rdfs:label "ok"@fr ; ex:low "a" ; ex:high 2 ; ex:nickname ex:c .
ex:box1 ex:holds ex:p1 , ex:p2 . ex:box2 ex:holds ex:p3 , ex:good .
ex:gizmo a ex:Gadget .
"""


def test_every_supported_component_gets_the_same_results_as_pyshacl():
    # as N-Triples, as kg passes them: pyshacl's own messages then name terms the same way
    shapes = rdflib.Graph().parse(data=rdflib.Graph().parse(data=ZOO_SHAPES, format="turtle").serialize(format="nt"),
                                  format="nt")
    data = rdflib.Graph().parse(data=rdflib.Graph().parse(data=ZOO_DATA, format="turtle").serialize(format="nt"),
                                format="nt")
    _, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    store = ox.Store()
    store.load(data.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=DOC_GRAPH)
    engine = compile_shapes(shapes.serialize(format="nt"))
    expected, found = pyshacl_results(report), sparql_results(engine.validate(store))
    assert len(expected) > 30, text  # the graph breaks something everywhere
    assert_same(expected, found)
    labels = [label for label, _ in engine.queries()]
    assert any("(in Python)" in label for label in labels), "the fallback was not exercised"


# --------------------------------------------------------------------------------------------
# Unsupported components: a clear error when compiling, and pyshacl instead


@pytest.mark.parametrize("extra, component", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:closed true .", "sh:closed"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .",
     "sh:uniqueLang"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:ask \"ASK {}\" ] .", "sh:ask"),
    ("ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"SELECT ?this {}\" ] .", "sh:SPARQLTarget"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:node ex:S .", "recursive"),
])
def test_an_unsupported_component_is_refused_when_compiling(extra, component):
    shapes = rdflib.Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .\n"
                                       + extra, format="turtle")
    with pytest.raises(UnsupportedShape) as caught:
        compile_shapes(shapes.serialize(format="nt"))
    message = str(caught.value)
    assert component in message and ("urn:ex:S" in message or "_:" in message), message


def test_kg_validate_falls_back_to_pyshacl_for_shapes_it_cannot_run(project, caplog):
    (project / "shapes" / "zz-closed.ttl").write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix akg: <https://w3id.org/atrocity-kg/ontology#> .
<urn:test:Closed> a sh:NodeShape ; sh:targetClass akg:Work ; sh:closed false .
""", encoding="utf-8")
    settings = Settings.for_project(project)
    with caplog.at_level(logging.WARNING, logger="kg.validate"):
        report = validate_compiled(settings, compile_graph(settings), jobs=1)
    assert report.conforms
    assert any("sh:closed" in r.getMessage() and "pyshacl" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------------------------------------
# The seed graph, and a generated corpus with seeded violations


def test_the_seed_graph_conforms_for_both_engines(root):
    settings = Settings.for_project(root)
    compiled = compile_graph(settings)
    fast = validate_compiled(settings, compiled, jobs=1)
    reference = validate_compiled(settings, compiled, jobs=2, engine="pyshacl")
    assert fast.conforms and reference.conforms, fast.text() + reference.text()
    assert fast.violations == reference.violations == []
    assert fast.sources == reference.sources


XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA, OA = "https://schema.org/", "http://www.w3.org/ns/oa#"


def _change(text: str, predicate: str, change) -> str:
    """Change (or with None, delete) the first line of a document's N-Quads with the predicate."""
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if f" <{predicate}> " in line)
    new = change(lines[k])
    if new is None:
        del lines[k]
    else:
        assert new != lines[k], lines[k]
        lines[k] = new
    return "\n".join(lines)


def _literal(line: str, new: str) -> str:
    """The line with its object (a literal) replaced."""
    return re.sub(r'"(?:[^"\\]|\\.)*"(?:\^\^<[^>]+>|@[\w-]+)? (<[^>]+>) \.$', lambda m: f"{new} {m.group(1)} .", line)


SEEDED = [  # (what, predicate, change)
    ("quoted text changed", OA + "exact", lambda l: _literal(l, '"tampered words"')),
    ("start moved", OA + "start", lambda l: re.sub(r'"(\d+)"', lambda m: f'"{int(m.group(1)) + 1}"', l)),
    ("end beyond the text", OA + "end", lambda l: re.sub(r'"\d+"', '"99999999"', l)),
    ("signature without signer", SCHEMA + "agent", lambda l: None),
    ("text without digest", SCHEMA + "sha256", lambda l: None),
    ("position as text", SCHEMA + "position", lambda l: _literal(l, '"first"')),
    ("position as xsd:nonNegativeInteger", SCHEMA + "position",
     lambda l: re.sub(r"\^\^<[^>]+#integer>", f"^^<{XSD}nonNegativeInteger>", l)),
    ("date as text", SCHEMA + "datePublished", lambda l: _literal(l, '"17 May 2024"')),
    ("appearance not an edition", SCHEMA + "appearance", lambda l: re.sub(r"<([^>]+)> (<[^>]+>) \.$", r"<\1/text> \2 .", l)),
    ("anchor without source", OA + "hasSource", lambda l: None),
    ("quotation without anchor", "https://w3id.org/atrocity-kg/ontology#anchor", lambda l: None),
]


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory, root):
    """30 generated documents, one seeded violation in each of the first documents that can have it;
    the settings, the compiled graph and the keys of the changed documents."""
    seeds = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--n", "30", "--seed", "1", "--out", str(seeds)],
                   cwd=ROOT, check=True, capture_output=True)
    settings = Settings.for_project(root).with_(seeds=seeds)
    compiled = compile_graph(settings)
    documents, keys, changed = dict(compiled.documents), iter(sorted(compiled.documents)), []
    for what, predicate, change in SEEDED:
        key = next(k for k in keys if f" <{predicate}> " in documents[k])
        documents[key] = _change(documents[key], predicate, change)
        changed.append(key)
    return settings, dataclasses.replace(compiled, documents=documents), changed


def test_seeded_violations_whole_graph_pyshacl_and_the_sparql_engine_agree(corrupted):
    settings, compiled, _ = corrupted
    text = "".join(compiled.chunks())
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.N_QUADS)
    shapes_nt = (ROOT / "shapes").glob("*.ttl")
    shapes = rdflib.Graph()
    for path in shapes_nt:
        shapes.parse(path, format="turtle")
    engine = compile_shapes(shapes.serialize(format="nt"))
    found = sparql_results(engine.validate(store, normalised=normalised_literals([text]), jobs=2))
    data = rdflib.Graph()  # the whole graph: the union of the named graphs, as the store's default graph
    data.parse(data=re.sub(r" <[^>]+> \.$", " .", text, flags=re.M), format="nt")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    expected = pyshacl_results(report)
    assert len({k[0] for k in expected}) >= len(SEEDED)  # every seeded violation is found
    assert_same(expected, found)


def test_seeded_violations_the_report_of_both_engines_is_the_same(corrupted):
    """Documents, focus nodes, paths, values, messages and spans: kg validate's report.  pyshacl
    validates the changed document graphs (each with the shared graphs, as kg validate
    --engine pyshacl does); the SPARQL engine validates the whole store."""
    settings, compiled, changed = corrupted
    fast = validate_compiled(settings, compiled, jobs=2)
    m = compiled.minter
    graphs = {key: to_ntriples(compiled.documents[key], compiled.graph_iris[key]) for key in changed}
    shared = (to_ntriples(compiled.entities, m.iri("graph/entities"))
              + to_ntriples(compiled.reference, m.iri("graph/reference")))
    graphs["reference"] = shared
    reference = validate_graphs(graphs, shared + _edition_index(m, sorted(compiled.documents)),
                                load_shapes(settings.shapes), jobs=2)
    assert not fast.conforms
    assert set(fast.by_source()) <= set(changed) and len(fast.by_source()) == len(set(changed))
    assert set(fast.violations) == set(reference.violations), (
        "only pyshacl:\n" + "\n".join(map(str, set(reference.violations) - set(fast.violations)))
        + "\nonly SPARQL:\n" + "\n".join(map(str, set(fast.violations) - set(reference.violations))))
    assert len({v.focus for v in fast.violations if v.span}) >= 5  # the anchored ones point into the text


# ------------------------------------------------------------------------------------------
# The anchor constraints: evaluated in Python (kg/shacl_native.py), equal to their SPARQL


ANCHOR_TEXT = "Zoë’s report: “1,000 🙂 detained”.\nSecond line ends here"


def _anchor_quads(cases) -> str:
    """A document with ANCHOR_TEXT and one anchor per case (start, end, exact, prefix, suffix);
    None leaves a selector property out; a str start or end is written as a plain literal."""
    doc = "<urn:t:doc>"
    lines = [f'{doc} <{SCHEMA}text> "{_esc(ANCHOR_TEXT)}" <urn:t:g> .',
             f"{doc} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SCHEMA}DigitalDocument> <urn:t:g> ."]

    def num(v):
        return f'"{v}"' if isinstance(v, str) else f'"{v}"^^<{XSD}integer>'
    for i, (start, end, exact, prefix, suffix) in enumerate(cases):
        a, pos, quote = f"<urn:t:a{i}>", f"<urn:t:a{i}/pos>", f"<urn:t:a{i}/quote>"
        lines += [f"{a} <{OA}hasSource> {doc} <urn:t:g> .", f"{a} <{OA}hasSelector> {pos} <urn:t:g> .",
                  f"{a} <{OA}hasSelector> {quote} <urn:t:g> .",
                  f"{pos} <{OA}start> {num(start)} <urn:t:g> .", f"{pos} <{OA}end> {num(end)} <urn:t:g> .",
                  f'{quote} <{OA}exact> "{_esc(exact)}" <urn:t:g> .']
        lines += [f'{quote} <{OA}prefix> "{_esc(prefix)}" <urn:t:g> .'] if prefix is not None else []
        lines += [f'{quote} <{OA}suffix> "{_esc(suffix)}" <urn:t:g> .'] if suffix is not None else []
    return "\n".join(lines) + "\n"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _span(start, end):
    t = ANCHOR_TEXT
    return (start, end, t[start:end], t[max(0, start - 32):start], t[end:end + 32])


ANCHOR_CASES = {
    "right, with astral and accented characters": [_span(0, 12), _span(15, 32), _span(34, len(ANCHOR_TEXT))],
    "exact changed": [(0, 3, "Zoe", "", "’s report")],
    "start below zero": [(-1, 3, "Zoë", "", "’s")],
    "end past the text": [(30, len(ANCHOR_TEXT) + 5, ANCHOR_TEXT[30:], ANCHOR_TEXT[:30][-32:], "")],
    "start after end": [(10, 4, "port", "", "")],
    "prefix wrong": [(15, 20, ANCHOR_TEXT[15:20], "xx", ANCHOR_TEXT[20:30])],
    "prefix longer than the text before": [(2, 5, ANCHOR_TEXT[2:5], "QZo", ANCHOR_TEXT[5:9])],
    "suffix running past the end": [(50, len(ANCHOR_TEXT), ANCHOR_TEXT[50:], ANCHOR_TEXT[40:50], "more")],
    "no prefix or suffix": [(0, 3, "Zoë", None, None)],
    "an offset as a plain string (SPARQL's own semantics)": [("0", 3, "Zoë", "", "’s")],
}


@pytest.mark.parametrize("name", ANCHOR_CASES)
def test_anchor_constraints_in_python_equal_their_sparql(name, monkeypatch):
    from kg import shacl_native

    shapes = rdflib.Graph()
    for path in (ROOT / "shapes").glob("*.ttl"):
        shapes.parse(path, format="turtle")
    store = ox.Store()
    store.load(_anchor_quads(ANCHOR_CASES[name]).encode(), format=ox.RdfFormat.N_QUADS)
    engine = compile_shapes(shapes.serialize(format="nt"))
    calls = []
    evaluate = shacl_native.evaluate
    monkeypatch.setattr(shacl_native, "evaluate", lambda *a: calls.append(a[0]) or evaluate(*a))
    native = {r for r in sparql_results(engine.validate(store, jobs=1)) if "Anchors" in str(r)}
    assert sorted(set(calls)) == ["context", "exact"]  # both constraints went through Python
    monkeypatch.setattr(shacl_native, "KNOWN", {})
    sparql = {r for r in sparql_results(compile_shapes(shapes.serialize(format="nt")).validate(store, jobs=1))
              if "Anchors" in str(r)}
    assert native == sparql
    if name.startswith(("right", "no prefix", "an offset as a plain string")):
        assert native == set()  # the last: an error in SPARQL's FILTER (SHACL's datatype shape finds it)
    else:
        assert native, "the broken anchor is found"


def test_a_changed_anchor_query_is_evaluated_as_sparql():
    from kg import shacl_native

    text = (ROOT / "shapes" / "anchor-shapes.ttl").read_text(encoding="utf-8")
    g = rdflib.Graph().parse(data=text, format="turtle")
    selects = [str(o) for o in g.objects(None, SH.select)]
    assert sorted(shacl_native.native_kind(s) for s in selects) == ["context", "exact"]
    assert all(shacl_native.native_kind("  " + s.replace("\n", " \n ") + " ") for s in selects)  # whitespace aside
    changed = [s.replace("SELECT $this", "SELECT DISTINCT $this") for s in selects]
    assert changed != selects and not any(shacl_native.native_kind(s) for s in changed)
