"""Stage 5, validate: SHACL with readable reports, by two engines that find the same results.

- The SPARQL engine (:func:`validate_store_sparql`, the default): the shapes compiled into SPARQL
  queries (``kg/shacl_sparql.py``) and run over a pyoxigraph store that holds every document
  graph and the shared graphs; each result is reported under the document whose graph types its
  focus node, with the source span it concerns.
- The reference engine, pyshacl (:func:`validate_graphs`): each document graph plus the shared
  graph (entities and reference data, which the class checks need), in parallel.  The anchor
  invariant is a SHACL-SPARQL constraint targeted at the source text, so it runs once per
  document, not once per anchor.

Both create a :class:`Report`.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .reference import parse_turtle

SH = "http://www.w3.org/ns/shacl#"
OA = "http://www.w3.org/ns/oa#"
AKG = "https://w3id.org/atrocity-kg/ontology#"


@dataclass(frozen=True)
class Violation:
    source: str  # the document key, or "reference"
    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None
    shape: str | None
    span: tuple[int, int, str] | None = None  # start, end, exact text of the source span


@dataclass
class Report:
    """The outcome of validation: a result, not an exception."""

    violations: list[Violation] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def by_source(self) -> dict[str, list[Violation]]:
        out: dict[str, list[Violation]] = {}
        for v in sorted(self.violations, key=lambda v: (v.source, v.focus, v.path or "", v.message)):
            out.setdefault(v.source, []).append(v)
        return out

    def text(self) -> str:
        if self.conforms and not self.violations:
            return f"Conforms: {len(self.sources)} graphs checked, no violations."
        lines = [f"{'Conforms' if self.conforms else 'Does not conform'}: "
                 f"{len(self.violations)} results in {len(self.by_source())} of {len(self.sources)} graphs."]
        for source, found in self.by_source().items():
            lines.append(f"\n{source}:")
            for v in found:
                lines.append(f"  [{v.severity}] {v.message}")
                lines.append(f"    focus: {v.focus}")
                if v.path:
                    lines.append(f"    path:  {v.path}")
                if v.value:
                    lines.append(f"    value: {v.value}")
                if v.span:
                    lines.append(f"    span:  {v.span[0]}-{v.span[1]} {json.dumps(v.span[2][:80], ensure_ascii=False)}")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "graphs": self.sources,
                           "violations": {k: [asdict(v) for v in vs] for k, vs in self.by_source().items()}},
                          indent=2, ensure_ascii=False)

    def to_turtle(self) -> str:
        """The report as a SHACL validation report graph (the same results as the text)."""
        import rdflib
        from rdflib import Literal, URIRef
        from rdflib.namespace import RDF, SH as SHN

        g = rdflib.Graph()
        g.bind("sh", SHN)
        report = URIRef("urn:kg:validation-report")
        g.add((report, RDF.type, SHN.ValidationReport))
        g.add((report, SHN.conforms, Literal(self.conforms)))
        for k, v in enumerate(sorted(self.violations, key=lambda v: (v.source, v.focus, v.path or "", v.message))):
            r = URIRef(f"urn:kg:validation-report/result/{k + 1}")
            g.add((report, SHN.result, r))
            g.add((r, RDF.type, SHN.ValidationResult))
            g.add((r, SHN.focusNode, URIRef(v.focus)))
            g.add((r, SHN.resultSeverity, SHN[v.severity]))
            g.add((r, SHN.resultMessage, Literal(v.message)))
            if v.path:
                g.add((r, SHN.resultPath, URIRef(v.path)))
            if v.value:
                g.add((r, SHN.value, URIRef(v.value) if v.value.startswith(("http", "urn:")) else Literal(v.value)))
            if v.shape:
                g.add((r, SHN.sourceShape, URIRef(v.shape)))
            if v.span:
                g.add((r, rdflib.RDFS.comment, Literal(f"source {v.source} span {v.span[0]}-{v.span[1]}: {v.span[2]}")))
        return g.serialize(format="turtle")


def load_shapes(folder: Path) -> str:
    """All shapes files as one N-Triples text; a broken file is a one-line InputError."""
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else []
    if not files:
        raise InputError(f"{folder}: no shapes (*.ttl) found", hint="restore the shapes folder")
    triples = []
    for path in files:
        triples.extend(parse_turtle(path, "https://w3id.org/atrocity-kg/shapes/"))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


_WORKER: dict = {}


def _init_worker(shapes_nt: str, shared_nt: str, parent: int | None = None) -> None:
    """Set a worker up; ``parent`` (the pid of the build, in a pool) makes it exit with the build."""
    if parent is not None:
        from .procs import die_with_parent

        die_with_parent(parent)
    import rdflib

    _WORKER["shapes"] = rdflib.Graph().parse(data=shapes_nt, format="nt")
    _WORKER["shared"] = shared_nt


def _validate_one(name: str, graph_nt: str) -> list[Violation]:
    import rdflib
    from pyshacl import validate as shacl

    data = rdflib.Graph()
    data.parse(data=graph_nt, format="nt")
    own_subjects = set(data.subjects())
    if name != "reference":
        data.parse(data=_WORKER["shared"], format="nt")
    from pyshacl.errors import ReportableRuntimeError

    try:
        _conforms, results, text = shacl(data, shacl_graph=_WORKER["shapes"], inference="none",
                                         advanced=True, allow_warnings=True)
    except ReportableRuntimeError as err:  # a shape pyshacl cannot load: sh:path a literal, a broken sh:select
        results, text = err, str(err)
    if not isinstance(results, rdflib.Graph):  # pyshacl could not use the shapes
        first = str(getattr(results, "message", text)).strip().splitlines()
        raise InputError(f"shapes/: the shapes cannot be used: {first[0] if first else 'unknown error'}",
                         hint="fix the shape files")
    found = [v for v in _results(name, results, data) if name == "reference" or v.focus in own_subjects_str(own_subjects)]
    return found


def own_subjects_str(subjects) -> set[str]:
    return {str(s) for s in subjects}


def _results(name: str, results, data) -> list[Violation]:
    rows = results.query(f"""
        PREFIX sh: <{SH}>
        SELECT ?focus ?path ?message ?severity ?value ?shape WHERE {{
          ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity .
          OPTIONAL {{ ?r sh:resultPath ?path }} OPTIONAL {{ ?r sh:resultMessage ?message }}
          OPTIONAL {{ ?r sh:value ?value }} OPTIONAL {{ ?r sh:sourceShape ?shape }}
        }}""")
    out = []
    import rdflib

    for focus, path, message, severity, value, shape in rows:
        # a path that is not an IRI (a sequence or inverse path) is a blank node: not reported
        out.append(Violation(source=name, focus=str(focus), path=str(path) if isinstance(path, rdflib.URIRef) else None,
                             message=str(message) if message else "constraint not met",
                             severity=str(severity).rsplit("#", 1)[-1],
                             value=str(value) if value is not None else None,
                             shape=str(shape) if shape is not None and not str(shape).startswith("N") else None,
                             span=_span(data, focus, value)))
    return sorted(set(out), key=lambda v: (v.focus, v.path or "", v.message))


def _span(data, focus, value) -> tuple[int, int, str] | None:
    import rdflib
    OAN, AKGN = rdflib.Namespace(OA), rdflib.Namespace(AKG)
    for node in (value, focus):
        if node is None or not isinstance(node, rdflib.URIRef):
            continue
        anchors = [node] if (node, OAN.hasSelector, None) in data else list(data.objects(node, AKGN.anchor))
        for anchor in anchors:
            start = end = exact = None
            for sel in data.objects(anchor, OAN.hasSelector):
                start = data.value(sel, OAN.start, default=start)
                end = data.value(sel, OAN.end, default=end)
                exact = data.value(sel, OAN.exact, default=exact)
            if start is not None and end is not None:
                return int(start), int(end), str(exact or "")
    return None


def validate_graphs(graphs: dict[str, str], shared_nt: str, shapes_nt: str, *, jobs: int = 1) -> Report:
    """Validate each named N-Triples graph (plus the shared graph) against the shapes."""
    report = Report(sources=sorted(graphs))
    names = sorted(graphs)
    if jobs <= 1 or len(names) <= 2:
        _init_worker(shapes_nt, shared_nt)
        outcomes = [_validate_one(n, graphs[n]) for n in names]
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(shapes_nt, shared_nt, os.getpid())) as pool:
            outcomes = list(pool.map(_validate_one, names, [graphs[n] for n in names]))
    for found in outcomes:
        report.violations.extend(found)
    return report


# ------------------------------------------------------------------------------------------------
# The SPARQL engine


def validate_store_sparql(store: ox.Store, shapes_folder: Path, base_iri: str, *, jobs: int = 1,
                          normalised=(), engine=None) -> Report:
    """Validate every graph of the store at once (their union) with the shapes compiled to SPARQL.

    ``normalised``: quads whose literal the store holds under another datatype
    (:func:`kg.shacl_sparql.normalised_literals`).  ``engine``: shapes already compiled.
    Raises :class:`kg.shacl_sparql.UnsupportedShape` for shapes the SPARQL engine cannot run.
    """
    from .shacl_sparql import compile_shapes

    if engine is None:
        engine = compile_shapes(load_shapes(shapes_folder))
    results = engine.validate(store, jobs=jobs, normalised=normalised)
    return report_from_results(store, results, base_iri)


def report_from_results(store: ox.Store, results, base_iri: str) -> Report:
    """The :class:`Report` of SPARQL-engine results: each under its source document, with spans."""
    prefix = f"{base_iri}graph/doc/"
    documents = sorted(g.value[len(prefix):] for g in store.named_graphs()
                       if isinstance(g, ox.NamedNode) and g.value.startswith(prefix))
    sources: dict = {}
    spans = _spans_sparql(store, {n for r in results for n in (r.focus, r.value) if isinstance(n, ox.NamedNode)})
    violations = []
    for r in results:
        if r.focus not in sources:
            sources[r.focus] = _source_of(store, r.focus, prefix)
        span = next((spans[n] for n in (r.value, r.focus) if n in spans), None)
        for message in r.messages or ("constraint not met",):
            violations.append(Violation(
                source=sources[r.focus], focus=r.focus.value, path=r.path.value if isinstance(r.path, ox.NamedNode) else None,
                message=message, severity=r.severity, value=r.value.value if r.value is not None else None,
                shape=r.shape.value if isinstance(r.shape, ox.NamedNode) else None, span=span))
    found = sorted(set(violations), key=lambda v: (v.source, v.focus, v.path or "", v.message))
    return Report(violations=found, sources=sorted(documents + ["reference"]))


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _source_of(store: ox.Store, node, prefix: str) -> str:
    """The document whose graph states the node's type (else holds it as subject, else as object);
    'reference' for the shared graphs."""
    for pattern in ((node, _RDF_TYPE, None), (node, None, None), (None, None, node)):
        if isinstance(node, ox.Literal) and pattern[0] is node:
            continue
        graphs = {q.graph_name.value for q in store.quads_for_pattern(*pattern)
                  if isinstance(q.graph_name, ox.NamedNode)}
        docs = sorted(g[len(prefix):] for g in graphs if g.startswith(prefix))
        if docs:
            return docs[0]
        if graphs:
            return "reference"
    return "reference"


def _spans_sparql(store: ox.Store, nodes: set) -> dict:
    """Like :func:`_span`: the span of each node's anchor (the node itself if it has selectors)."""
    out: dict = {}
    nodes = sorted(nodes, key=lambda n: n.value)
    for k in range(0, len(nodes), 500):
        values = " ".join(str(n) for n in nodes[k:k + 500])
        found: dict = {}
        for r in store.query(f"""
                PREFIX oa: <{OA}> PREFIX akg: <{AKG}>
                SELECT DISTINCT ?n ?anchor ?p ?o WHERE {{
                  VALUES ?n {{ {values} }}
                  {{ ?n oa:hasSelector ?any . BIND(?n AS ?anchor) }}
                  UNION {{ ?n akg:anchor ?anchor . FILTER NOT EXISTS {{ ?n oa:hasSelector ?other }} }}
                  ?anchor oa:hasSelector ?selector . ?selector ?p ?o . VALUES ?p {{ oa:start oa:end oa:exact }}
                }}""", use_default_graph_as_union=True):
            found.setdefault(r["n"], {}).setdefault(r["anchor"], {})[r["p"].value[len(OA):]] = r["o"].value
        for n, anchors in found.items():
            for anchor in sorted(anchors, key=lambda a: a.value):
                got = anchors[anchor]
                try:
                    out[n] = (int(got["start"]), int(got["end"]), got.get("exact", ""))
                    break
                except (KeyError, ValueError):
                    continue
    return out
