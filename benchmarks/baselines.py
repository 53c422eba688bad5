"""Baselines for the benchmark, each run in its own measured child process on the built graph.

| baseline | what it does | compared with |
| --- | --- | --- |
| ``rdflib`` | every quad of the final N-Quads added to an ``rdflib.Dataset`` one by one (``Graph.add``; the terms are parsed by pyoxigraph, which flatters rdflib), then the same stock queries, with the same parameters, through rdflib's SPARQL engine | kg's map + load stages; kg's query medians |
| ``pyshacl`` | one violation injected into each of a few document graphs, then pyshacl on the whole graph at once (documents, entities, reference data), under a time cap; kg's own validation of the same document graphs | kg's validate stage; the violations found |
| ``oxload`` | the Oxigraph CLI's bulk loader (``oxigraph load``) on the final N-Quads, and pyoxigraph ``bulk_load`` of the file | kg's load stage (the floor) |

    python -m benchmarks.baselines rdflib --nquads graph.nq --result out.json --queries params.json
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MIB = 2**20
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True, default=str), encoding="utf-8")


# ------------------------------------------------------------------------------------------
# rdflib: Graph.add and rdflib SPARQL


def _rdflib_term(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


class QueryTimeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise QueryTimeout()


def rdflib_child(args) -> int:
    import pyoxigraph as ox
    import rdflib

    out: dict = {}
    t = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    graphs: dict = {}
    count = 0
    for quad in ox.parse(path=str(args.nquads), format=ox.RdfFormat.N_QUADS):
        g = quad.graph_name
        graph = graphs.get(g)
        if graph is None:
            graph = graphs[g] = ds.graph(rdflib.URIRef(g.value) if isinstance(g, ox.NamedNode) else None)
        graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
        count += 1
    out.update(build_s=time.perf_counter() - t, quads=count, build_ended=time.time())
    _write(args.result, out)
    out["queries"] = rdflib_queries(ds, args)
    _write(args.result, out)
    return 0


def rdflib_queries(ds, args) -> dict:
    from kg.config import Settings, project_root
    from kg.queries import PREFIXES, bind, stock_queries

    settings = Settings.for_project(project_root(ROOT))
    base = settings.base_iri
    wanted = json.loads(args.queries.read_text()) if args.queries else {}
    stock = stock_queries(settings.queries)
    namespaces = {k: v or base for k, v in PREFIXES.items()}
    signal.signal(signal.SIGALRM, _alarm)
    out = {}
    for name, params in sorted(wanted.items()):
        if name not in stock:
            continue
        query = stock[name]
        bindings = {k: _rdflib_term(v) for k, v in bind(query, params, base).items()}
        times, rows, entry = [], None, {"cap_s": args.query_timeout}
        try:
            for run in range(args.query_runs):
                signal.setitimer(signal.ITIMER_REAL, args.query_timeout)
                t = time.perf_counter()
                try:
                    rows = sum(1 for _ in ds.query(query.text, initNs=namespaces, initBindings=bindings, base=base))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                times.append(time.perf_counter() - t)
                if times[-1] > 2.0:
                    break  # slow enough: one run tells the story, and keeps the baseline short
            entry.update(median_ms=statistics.median(times) * 1000, runs=len(times), rows=rows)
        except QueryTimeout:
            entry["timed_out"] = True
        except Exception as err:  # noqa: BLE001 - rdflib may not support a construct
            entry["error"] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
        out[name] = entry
    return out


# ------------------------------------------------------------------------------------------
# pyshacl on the whole graph, with injected violations, against kg's validation

OA, SCHEMA = "http://www.w3.org/ns/oa#", "https://schema.org/"
INJECTIONS = [  # (name, predicate the document graph must hold, how the line is changed)
    ("quoted text changed", f"<{OA}exact>", lambda line: re.sub(r'"(?:[^"\\]|\\.)*"\s*\.\s*$', '"tampered words" .', line)),
    ("position not an integer", f"<{SCHEMA}position>", lambda line: re.sub(r'"\d+"\^\^<[^>]+>\s*\.\s*$', '"first" .', line)),
    ("signature without agent", f"<{SCHEMA}agent>", lambda line: None),
    ("end beyond the text", f"<{OA}end>", lambda line: re.sub(r'"\d+"\^\^', '"99999999"^^', line)),
    ("text without sha256", f"<{SCHEMA}sha256>", lambda line: None),
    ("appearance not an edition", f"<{SCHEMA}appearance>", lambda line: re.sub(r"<([^>]+)>\s*\.\s*$", r"<\1/text> .", line)),
]


def split_graphs(nquads: Path, base: str) -> tuple[dict[str, list[str]], str, str]:
    """The document graphs as N-Triples lines by key, and the entities and reference graphs."""
    docs: dict[str, list[str]] = {}
    entities, reference = [], []
    doc_graph = f"<{base}graph/doc/"
    for line in nquads.read_text(encoding="utf-8").split("\n"):  # not splitlines: U+2028 may be in a literal
        if not line.strip():
            continue
        head, _, graph = line.rstrip(" .").rpartition(" ")
        triple = head + " .\n"
        if graph.startswith(doc_graph):
            docs.setdefault(graph[len(doc_graph):-1], []).append(triple)
        elif graph == f"<{base}graph/entities>":
            entities.append(triple)
        elif graph == f"<{base}graph/reference>":
            reference.append(triple)
    return docs, "".join(entities), "".join(reference)


def inject(docs: dict[str, list[str]], count: int) -> list[dict]:
    """Change one line in each of ``count`` document graphs (deterministic: sorted keys)."""
    done, used = [], set()
    for name, predicate, change in INJECTIONS[:count]:
        for key in sorted(docs):
            if key in used:
                continue
            lines = docs[key]
            k = next((i for i, l in enumerate(lines) if f" {predicate} " in l), None)
            if k is None:
                continue
            new = change(lines[k].rstrip("\n"))
            if new is None:
                del lines[k]
            else:
                lines[k] = new.rstrip("\n") + "\n"
            used.add(key)
            done.append({"doc": key, "violation": name})
            break
    return done


def _edition_index(base: str, keys) -> str:
    return "".join(f"<{base}doc/{k}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                   f"<https://w3id.org/atrocity-kg/ontology#Edition> .\n" for k in sorted(keys))


PARSE_CAP_S = 240  # parsing the whole graph into rdflib for pyshacl: given up after this


def _kg_whole_graph(docs: dict[str, list[str]], shared: str, shapes_nt: str) -> dict:
    """kg's SPARQL validation of the whole graph, in an in-memory store as a build does it:
    the seconds it took and the (focus node, path) of each violation."""
    import pyoxigraph as ox

    from kg.shacl_sparql import compile_shapes

    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(("".join(line for lines in docs.values() for line in lines) + shared).encode("utf-8"),
                    format=ox.RdfFormat.N_TRIPLES)
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    results = compile_shapes(shapes_nt).validate(store, union=False, jobs=2)
    seconds = time.perf_counter() - t
    found = sorted({(r.focus.value, r.path.value if isinstance(r.path, ox.NamedNode) else "")
                    for r in results if r.severity == "Violation"})
    return {"kg_load_s": loaded, "kg_validate_s": seconds, "kg_violations": [list(x) for x in found],
            "kg_found": len(found)}


def pyshacl_child(args) -> int:
    from kg.config import Settings, project_root
    from kg.validate import load_shapes, validate_graphs

    settings = Settings.for_project(project_root(ROOT))
    base = settings.base_iri
    shapes_nt = load_shapes(settings.shapes)
    docs, entities, reference = split_graphs(args.nquads, base)
    injected = inject(docs, args.inject)
    out: dict = {"injected": injected, "triples": sum(map(len, docs.values())) + entities.count("\n") + reference.count("\n")}
    shared = entities + reference
    # kg's validation (the SPARQL engine of a build) of the same whole graph, violations injected
    out.update(_kg_whole_graph(docs, shared, shapes_nt))
    _write(args.result, out)
    # pyshacl on the whole graph at once
    import rdflib
    from pyshacl import validate as shacl

    t = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PARSE_CAP_S)
    try:
        data = rdflib.Graph()
        data.parse(data="".join(line for lines in docs.values() for line in lines) + shared, format="nt")
        shapes = rdflib.Graph().parse(data=shapes_nt, format="nt")
    except QueryTimeout:
        out.update(parse_timed_out=True, parse_cap_s=PARSE_CAP_S)
        _write(args.result, out)
        return 0
    finally:
        signal.alarm(0)
    out.update(parse_s=time.perf_counter() - t, started_validate=time.time())
    _write(args.result, out)
    t = time.perf_counter()
    _conforms, results, _ = shacl(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    out["validate_s"] = time.perf_counter() - t
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = set()
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        if results.value(r, SH.resultSeverity) != SH.Violation:
            continue
        path = results.value(r, SH.resultPath)
        found.add((str(results.value(r, SH.focusNode)), str(path) if isinstance(path, rdflib.URIRef) else ""))
    out.update(pyshacl_violations=[list(x) for x in sorted(found)], pyshacl_found=len(found),
               same_violations=[list(x) for x in sorted(found)] == out["kg_violations"])
    _write(args.result, out)
    return 0


# ------------------------------------------------------------------------------------------
# Oxigraph's own bulk loader: the floor for the load step


def oxload_child(args) -> int:
    import pyoxigraph as ox

    folder = args.work / "pyoxigraph-load"
    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=str(args.nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    out = {"pyoxigraph_bulk_load_s": time.perf_counter() - t, "quads": len(store)}
    del store
    shutil.rmtree(folder, ignore_errors=True)
    _write(args.result, out)
    return 0


# ------------------------------------------------------------------------------------------
# In the parent


def run_baselines(release: Path, seeds: Path, work: Path, args, result: dict) -> dict:
    from .measure import run_measured

    nquads = release / "dumps" / "graph.nq"
    out: dict = {}
    py = [sys.executable, "-m", "benchmarks.baselines"]

    # rdflib
    params = {name: q["params"] for name, q in result.get("queries", {}).items() if "params" in q}
    params_file = work / "query-params.json"
    params_file.write_text(json.dumps(params), encoding="utf-8")
    res = work / "baseline-rdflib.json"
    res.unlink(missing_ok=True)
    m = run_measured(py + ["rdflib", "--nquads", str(nquads), "--result", str(res), "--queries", str(params_file),
                           "--query-runs", str(args.rdflib_query_runs), "--query-timeout", str(args.rdflib_query_timeout)],
                     timeout=args.rdflib_timeout, cwd=ROOT)
    rd = json.loads(res.read_text()) if res.exists() else {}
    rd.update(peak_pss_mib=m.peak_pss(None, rd.get("build_ended")) / MIB, wall_s=m.wall, timed_out=m.timed_out,
              cap_s=args.rdflib_timeout)
    if m.returncode not in (0, None) and not m.timed_out:
        rd["error"] = m.stderr[-1500:]
    out["rdflib"] = rd
    _note(args, f"rdflib: build {rd.get('build_s', float('nan')):.1f} s, peak {rd['peak_pss_mib']:.0f} MiB")

    # pyshacl, whole graph
    res = work / "baseline-pyshacl.json"
    res.unlink(missing_ok=True)
    m = run_measured(py + ["pyshacl", "--nquads", str(nquads), "--result", str(res), "--inject", str(args.inject)],
                     cwd=ROOT, stop_when=_validation_over_cap(res, args.pyshacl_timeout))
    ps = json.loads(res.read_text()) if res.exists() else {}
    ps.update(peak_pss_mib=m.peak_pss() / MIB, wall_s=m.wall, timed_out=m.timed_out, cap_s=args.pyshacl_timeout)
    if m.returncode not in (0, None) and not m.timed_out:
        ps["error"] = m.stderr[-1500:]
    out["pyshacl"] = ps
    _note(args, f"pyshacl whole graph: {ps.get('validate_s', 'timed out' if m.timed_out else 'failed')}")

    # Oxigraph's bulk loader
    folder = work / "oxigraph-cli-load"
    shutil.rmtree(folder, ignore_errors=True)
    cli = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    ox_out: dict = {}
    if Path(cli).exists():
        m = run_measured([cli, "load", "--location", str(folder), "--file", str(nquads)], timeout=3600)
        ox_out.update(cli_s=m.wall, cli_peak_pss_mib=m.peak_pss() / MIB, cli_returncode=m.returncode)
        shutil.rmtree(folder, ignore_errors=True)
    else:
        ox_out["skipped"] = "oxigraph CLI not installed (pip install oxigraph)"
    res = work / "baseline-oxload.json"
    res.unlink(missing_ok=True)
    m = run_measured(py + ["oxload", "--nquads", str(nquads), "--result", str(res), "--work", str(work)],
                     timeout=3600, cwd=ROOT)
    if res.exists():
        ox_out.update(json.loads(res.read_text()))
    out["oxigraph_load"] = ox_out
    _note(args, f"oxigraph load: CLI {ox_out.get('cli_s')}, pyoxigraph {ox_out.get('pyoxigraph_bulk_load_s')}")
    return out


def _validation_over_cap(res: Path, cap: float):
    """True once pyshacl has been validating for ``cap`` seconds: the cap is on the validation,
    not on parsing the graph into rdflib first (the child reports when validation starts)."""
    def over() -> bool:
        if cap <= 0 or not res.exists():
            return False
        try:
            started = json.loads(res.read_text()).get("started_validate")
        except ValueError:  # being written
            return False
        return bool(started) and time.time() > started + cap
    return over


def _note(args, message: str) -> None:
    if not getattr(args, "quiet", False):
        print("  " + message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="One baseline, run as a child of benchmarks.run.")
    p.add_argument("which", choices=("rdflib", "pyshacl", "oxload"))
    p.add_argument("--nquads", type=Path, required=True)
    p.add_argument("--result", type=Path, required=True)
    p.add_argument("--queries", type=Path, help="JSON: stock query name -> parameter values")
    p.add_argument("--query-runs", type=int, default=3)
    p.add_argument("--query-timeout", type=float, default=30.0)
    p.add_argument("--inject", type=int, default=6)
    p.add_argument("--work", type=Path, default=Path("/tmp"))
    args = p.parse_args(argv)
    return {"rdflib": rdflib_child, "pyshacl": pyshacl_child, "oxload": oxload_child}[args.which](args)


if __name__ == "__main__":
    raise SystemExit(main())
