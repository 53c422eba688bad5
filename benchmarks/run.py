"""The benchmark runner: the real ``kg build`` at several corpus sizes, timed stage by stage.

For each N it generates (or reuses) a synthetic corpus, then runs in a child process
``kg.pipeline.build`` with a progress callback that times each stage (read, extract, link, map,
validate, load, dump), while this process samples the memory of the child's process tree.  After
the build the child times the stock queries (``queries/*.rq``, median of several runs, on the
built store) and each dump format, and checks the graph against what the generator put in.  Then
the baselines (``benchmarks/baselines.py``) run in their own child processes.  Results go to
``results/results-N.json``; ``results/RESULTS.md`` is regenerated from every results file there.

    nice -n 10 python -m benchmarks.run --sizes 100 1000

Nothing here asserts a timing: tests/test_benchmark_smoke.py runs it at N=20 and checks that
the outputs exist and make sense.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGES = ("read", "extract", "link", "map", "validate", "load", "dump")
MIB = 2**20


# ------------------------------------------------------------------------------------------
# In the child: the build, the queries, the dumps


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the validation workers)."""
    import resource
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class StageClock:
    """A progress callback that times the stages of ``build`` from the stage names it reports:
    wall seconds, and CPU seconds (which a busy shared machine disturbs less)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.current: str | None = None
        self.since = time.perf_counter()
        self.cpu_since = cpu_seconds()

    def __call__(self, stage=None, *args, **kwargs) -> None:
        name = stage if isinstance(stage, str) else getattr(stage, "name", None)
        if not name or name == self.current:
            return  # a progress update within the stage
        self.close()
        self.current = name

    def close(self) -> None:
        now, cpu = time.perf_counter(), cpu_seconds()
        name = self.current or "setup"
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.since
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu - self.cpu_since
        self.current, self.since, self.cpu_since = None, now, cpu


def child_build(args) -> int:
    from kg.config import Settings, project_root
    from kg.errors import NotConforming
    from kg.pipeline import build

    root = project_root(ROOT)
    settings = Settings.for_project(root, seeds=args.seeds, out=args.out, jobs=args.jobs or None)
    out: dict = {"started": time.time()}
    clock = StageClock()
    t0 = time.perf_counter()
    try:
        result = build(settings, clock)
    except NotConforming as err:
        clock.close()
        report = getattr(err, "report", None)
        out.update(conforms=False, wall=time.perf_counter() - t0, ended=time.time(), stages=clock.seconds,
                   stages_cpu=clock.cpu, error=str(err), violations=_violations(report))
        _write(args.result, out)
        return 1
    clock.close()
    out.update(wall=time.perf_counter() - t0, ended=time.time(), stages=clock.seconds, stages_cpu=clock.cpu,
               conforms=result.report.conforms, quads=result.quads, documents=result.documents,
               violations=_violations(result.report), release=str(result.release))
    _write(args.result, out)  # the build is measured; what follows is not part of it
    store = _open(settings)
    manifest = json.loads((args.seeds / ".manifest.json").read_text()) if (args.seeds / ".manifest.json").exists() else None
    out["sanity"] = sanity(store, manifest, settings.base_iri)
    out["queries"] = time_queries(store, settings, manifest, runs=args.query_runs, cap=args.query_cap)
    out["dumps"] = time_dumps(store, settings, args.out / "bench-dumps", out["quads"])
    _write(args.result, out)
    return 0


def _violations(report) -> dict:
    if report is None:
        return {"count": None}
    found = list(getattr(report, "violations", []))
    return {"count": len(found), "sample": [f"{v.source}: {v.message}" for v in found[:5]]}


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True, default=str), encoding="utf-8")


def _open(settings):
    from kg.store import open_store
    return open_store(settings.out)


def _scalar(store, sparql: str) -> int:
    rows = list(store.query(sparql, use_default_graph_as_union=True))
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


AKG = "https://w3id.org/atrocity-kg/ontology#"


def sanity(store, manifest: dict | None, base: str) -> dict:
    """What the graph holds against what the generator wrote (not timed)."""
    count = lambda cls: _scalar(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{cls}> }} }}")  # noqa: E731
    numbered = _scalar(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{AKG}CallToAction> ; "
                              "<https://schema.org/position> ?p } }")
    found = {"documents": count(f"{AKG}Edition"), "signatures": count(f"{AKG}Signature"),
             "numbered_calls": numbered, "works": count(f"{AKG}Work"),
             "allegations": count(f"{AKG}Allegation"), "quotations": count("https://schema.org/Quotation"),
             "about": _scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d <https://schema.org/about> ?w } }")}
    if not manifest:
        return {"found": found}
    docs = manifest["documents"].values()
    expected = {"documents": len(manifest["documents"]),
                "signatures": sum(d.get("organizations", 0) + d.get("persons", 0) for d in docs),
                "numbered_calls": sum(d.get("demands", 0) for d in docs),
                "works": sum(1 for d in docs if d["kind"] == "letter"),
                "about": sum(1 for d in docs if d["kind"] in ("news", "summary"))}
    return {"found": found, "expected": expected}


def _representatives(store, base: str, manifest: dict | None) -> dict:
    """IRIs that the synthetic graph holds, to stand in for stock-query defaults that point at the
    seeds: documents (a later edition, then the edition it revises, then other letters) and the
    most referenced IRI of each other kind (org/, person/, work/, ...)."""
    reps: dict = {"docs": []}
    if manifest:
        docs = manifest["documents"]
        editions = sorted(k for k, d in docs.items() if d["kind"] == "edition")
        if editions:
            reps["docs"] += [editions[0], docs[editions[0]]["edition_of"]]
        reps["docs"] += sorted(k for k, d in docs.items() if d["kind"] == "letter" and k not in reps["docs"])[:8]
    for kind in ("org/", "person/", "work/", "place/", "group/", "audience/", "concept/act/"):
        rows = list(store.query(
            f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?o) && "
            f"STRSTARTS(STR(?o), \"{base}{kind}\")) }} GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 1"))
        if rows:
            reps[kind] = rows[0][0].value
    return reps


def bound_params(query, store, base: str, reps: dict, doc_map: dict[str, str]) -> dict[str, str]:
    """Parameter values for a stock query on the synthetic graph: the default where it names
    something in the graph, else an IRI of the same kind that is there.  A default under
    ``doc/KEY/`` keeps its tail (``doc/KEY/signature/1``) with KEY mapped to a synthetic document,
    distinct default keys to distinct documents (``doc_map`` is shared across queries)."""
    import pyoxigraph as ox
    from kg.queries import expand

    values = {}
    for p in query.params:
        if p.default is None:
            continue
        value = p.default
        if p.type == "iri":
            iri = expand(value, base)
            present = any(True for _ in store.quads_for_pattern(ox.NamedNode(iri), None, None, None))
            rest = iri[len(base):] if iri.startswith(base) else None
            if not present and rest and rest.startswith("doc/") and reps["docs"]:
                key, _, tail = rest[4:].partition("/")
                if key not in doc_map:
                    doc_map[key] = reps["docs"][min(len(doc_map), len(reps["docs"]) - 1)]
                value = f"{base}doc/{doc_map[key]}" + (f"/{tail}" if tail else "")
            elif not present and rest:
                kind = next((k for k in sorted(reps, key=len, reverse=True) if k != "docs" and rest.startswith(k)), None)
                value = reps[kind] if kind else value
        values[p.name] = value
    return values


def _consume(result) -> int:
    """Read every row (or triple) of a query result, every term of it; the row count."""
    import pyoxigraph as ox
    if isinstance(result, bool):
        return int(result)
    rows = 0
    if isinstance(result, ox.QuerySolutions):
        variables = result.variables
        for row in result:
            for v in variables:
                row[v]
            rows += 1
        return rows
    for _ in result:
        rows += 1
    return rows


QUERY_CAP_S = 120.0  # all runs of one query; the query is stopped (its process killed) after this
SLOW_QUERY_S = 5.0  # a warm-up slower than this is the only run: the median of one


def time_queries(store, settings, manifest, *, runs: int, cap: float = QUERY_CAP_S,
                 slow: float = SLOW_QUERY_S) -> dict:
    """Each stock query's latency on the built store, in a worker process that is killed when a
    query runs past ``cap`` seconds (a query cannot be interrupted otherwise)."""
    from kg.queries import bind, stock_queries

    base = settings.base_iri
    queries = stock_queries(settings.queries)
    reps = _representatives(store, base, manifest) if queries else {}
    doc_map: dict[str, str] = {}
    for name in sorted(queries):  # seeds' keys in the order of the documents they name
        for p in queries[name].params:
            if p.type == "iri" and p.default and p.default.startswith("id:doc/"):
                doc_map.setdefault(p.default[7:].split("/")[0], None)
    for key, rep in zip(sorted(doc_map), reps.get("docs", [])):
        doc_map[key] = rep
    doc_map = {k: v for k, v in doc_map.items() if v}
    out, worker = {}, None
    try:
        for name, query in sorted(queries.items()):
            entry: dict = {"title": query.title}
            try:
                given = bound_params(query, store, base, reps, doc_map)
                bind(query, given, base)  # a bad parameter is reported here
                entry["params"] = given
            except Exception as err:  # noqa: BLE001 - a broken stock query is reported, not fatal
                entry["error"] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
                out[name] = entry
                continue
            worker = worker or _QueryWorker(settings)
            answer = worker.ask((name, given, runs, slow), cap)
            if answer is None:
                entry.update(timed_out=True, cap_s=cap)
                worker = None
            else:
                entry.update(answer)
            out[name] = entry
    finally:
        if worker is not None:
            worker.close()
    return out


class _QueryWorker:
    """A spawned process with the store open read-only, timing one query at a time."""

    def __init__(self, settings) -> None:
        import multiprocessing as mp
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_query_worker, args=(child, str(settings.out), str(settings.root),
                                                            settings.base_iri), daemon=True)
        self.proc.start()

    def ask(self, request, cap: float):
        self.conn.send(request)
        if self.conn.poll(cap):
            return self.conn.recv()
        self.proc.kill()
        self.proc.join()
        return None

    def close(self) -> None:
        self.conn.send(None)
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()


def _query_worker(conn, out: str, root: str, base: str) -> None:
    from kg.config import Settings
    from kg.queries import bind, run_local, stock_queries
    from kg.store import open_store

    settings = Settings.for_project(Path(root), out=Path(out), base_iri=base)
    store = open_store(settings.out)
    queries = stock_queries(settings.queries)
    while True:
        request = conn.recv()
        if request is None:
            return
        name, given, runs, slow = request
        try:
            query = queries[name]
            terms = bind(query, given, base)
            t = time.perf_counter()
            rows = _consume(run_local(store, query, terms, base))  # warm-up
            times = [time.perf_counter() - t]
            if times[0] < slow:
                times = []
                for _ in range(runs):
                    t = time.perf_counter()
                    _consume(run_local(store, query, terms, base))
                    times.append(time.perf_counter() - t)
            conn.send({"rows": rows, "runs": len(times), "median_ms": statistics.median(times) * 1000,
                       "min_ms": min(times) * 1000, "max_ms": max(times) * 1000})
        except Exception as err:  # noqa: BLE001
            conn.send({"error": f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"})


def time_dumps(store, settings, folder: Path, quads: int) -> dict:
    from kg.publish.dumps import FORMATS, dump, load_context

    folder.mkdir(parents=True, exist_ok=True)
    context = load_context(settings.ontology / "context.jsonld")
    out = {}
    for fmt, (suffix, _) in FORMATS.items():
        path = folder / f"graph.{suffix}"
        t = time.perf_counter()
        with open(path, "wb") as handle:
            dump(store, fmt, handle, context=context, base_iri=settings.base_iri)
        seconds = time.perf_counter() - t
        out[fmt] = {"seconds": seconds, "bytes": path.stat().st_size, "quads_per_s": quads / seconds if seconds else None}
        path.unlink()
    return out


# ------------------------------------------------------------------------------------------
# In the parent: one N


def run_one(n: int, args) -> dict:
    from .generate import write_corpus
    from .measure import machine, run_measured

    work = args.work / f"n{n}"
    seeds = work / "seeds"
    t = time.perf_counter()
    manifest = write_corpus(seeds, n, args.seed)
    generated = {"seconds": time.perf_counter() - t, **manifest["totals"]}
    _log(args, f"N={n}: corpus ready ({generated['bytes'] / MIB:.1f} MiB) in {generated['seconds']:.1f} s")
    out_dir = work / "build"
    shutil.rmtree(out_dir / "cache", ignore_errors=True)  # a clean build: no extraction reused from the last run
    child_result = work / "build-result.json"
    child_result.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.run", "_child", "--seeds", str(seeds), "--out", str(out_dir),
           "--result", str(child_result), "--query-runs", str(args.query_runs), "--query-cap", str(args.query_cap)]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    info = machine()
    m = run_measured(cmd, timeout=args.build_timeout, cwd=ROOT)
    info["load_average_after_build"] = [round(x, 2) for x in os.getloadavg()]
    if not child_result.exists():
        raise SystemExit(f"N={n}: the build child wrote no result (exit {m.returncode}, "
                         f"{'timed out' if m.timed_out else 'failed'}):\n{m.stderr[-3000:]}")
    child = json.loads(child_result.read_text())
    build = _build_summary(child, m)
    _log(args, f"N={n}: build {build['wall_s']:.1f} s, {build.get('quads', 0):,} quads, "
               f"peak {build['peak_pss_mib']:.0f} MiB, conforms={build['conforms']}")
    result = {"n": n, "seed": args.seed, "generator": manifest["generator"], "machine": info,
              "generated": generated, "build": build, "queries": child.get("queries", {}),
              "dumps": child.get("dumps", {}), "sanity": child.get("sanity", {}),
              "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]])}
    if m.returncode != 0:
        result["build"]["child_stderr"] = m.stderr[-2000:]
    if args.baselines and child.get("release"):
        from .baselines import run_baselines
        result["baselines"] = run_baselines(Path(child["release"]), seeds, work, args, result)
        result["ratios"] = ratios(result)
    return result


def _build_summary(child: dict, m) -> dict:
    stages, cpu = child.get("stages", {}), child.get("stages_cpu", {})
    wall = child.get("wall") or m.wall
    shares = {s: {"seconds": stages.get(s, 0.0), "share": stages.get(s, 0.0) / wall if wall else None,
                  "cpu_s": cpu.get(s)} for s in STAGES}
    other = {k: v for k, v in stages.items() if k not in STAGES}
    quads = child.get("quads") or 0
    return {"wall_s": wall, "cpu_s": sum(cpu.values()) if cpu else None, "conforms": child.get("conforms"), "quads": quads, "documents": child.get("documents"),
            "triples_per_s": quads / wall if wall and quads else None, "stages": shares,
            "other_stages": other, "violations": child.get("violations"),
            "peak_pss_mib": m.peak_pss(child.get("started"), child.get("ended")) / MIB,
            "peak_rss_mib": m.peak_rss(child.get("started"), child.get("ended")) / MIB,
            "peak_pss_whole_child_mib": m.peak_pss() / MIB, "timed_out": m.timed_out, "error": child.get("error")}


def ratios(result: dict) -> dict:
    """Baseline time / kg time (above 1: kg is faster), per comparison."""
    b, stages = result.get("baselines", {}), result["build"]["stages"]
    out: dict = {}
    rd = b.get("rdflib", {})
    kg_build = stages["map"]["seconds"] + stages["load"]["seconds"]
    if rd.get("build_s") and kg_build:
        out["rdflib_build_vs_kg_map_load"] = rd["build_s"] / kg_build
    q = {}
    for name, entry in result.get("queries", {}).items():
        other = rd.get("queries", {}).get(name, {})
        if entry.get("median_ms") and other.get("median_ms"):
            q[name] = other["median_ms"] / entry["median_ms"]
        elif entry.get("median_ms") and other.get("timed_out"):
            q[name] = f"> {other['cap_s'] * 1000 / entry['median_ms']:.0f}"
    if q:
        out["rdflib_query_vs_kg"] = q
    ps = b.get("pyshacl", {})
    kg_validate = stages["validate"]["seconds"]
    if kg_validate and ps.get("validate_s"):
        out["pyshacl_whole_vs_kg_validate"] = ps["validate_s"] / kg_validate
    elif kg_validate and ps.get("timed_out"):
        out["pyshacl_whole_vs_kg_validate"] = f"> {ps['cap_s'] / kg_validate:.1f}"
    if ps.get("kg_validate_s") and ps.get("validate_s"):
        out["pyshacl_whole_vs_kg_same_graph"] = ps["validate_s"] / ps["kg_validate_s"]
    elif ps.get("kg_validate_s") and ps.get("timed_out"):
        out["pyshacl_whole_vs_kg_same_graph"] = f"> {ps['cap_s'] / ps['kg_validate_s']:.1f}"
    ox = b.get("oxigraph_load", {})
    if ox.get("cli_s") and stages["load"]["seconds"]:
        out["kg_load_vs_oxigraph_cli_load"] = stages["load"]["seconds"] / ox["cli_s"]
    return out


def _log(args, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# The Markdown table


def _fmt_s(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def _fmt_ratio(x) -> str:
    if x is None:
        return "–"
    return x if isinstance(x, str) else f"{x:.1f}x"


def markdown(results: list[dict]) -> str:
    results = sorted(results, key=lambda r: r["n"])
    if not results:
        return "No results yet.\n"
    mach = results[-1]["machine"]
    lines = ["# Benchmark results", "",
             f"Machine: {mach.get('cores')} cores ({mach.get('cores_available', '?')} available), "
             f"{mach.get('memory_gib')} GiB memory, {mach.get('cpu') or '?'}; Python {mach.get('python')}, "
             f"pyoxigraph {mach.get('pyoxigraph')}, rdflib {mach.get('rdflib')}, pyshacl {mach.get('pyshacl')}. "
             f"Load average at the start of the last run: {mach.get('load_average')} (a shared machine: read "
             "each time to about ±20%; compare the ratios, measured in the same run).", "",
             f"Reproduce: `{results[-1].get('command', 'python -m benchmarks.run')}` "
             "(corpus: `python -m benchmarks.generate --n N --seed 1 --out DIR`).", "",
             "## Whole build (`kg.pipeline.build`, validation included)", "",
             "| N documents | quads | wall (s) | CPU (s) | peak memory (MiB, PSS of the process tree) | triples/s | conforms | load average before, after |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in results:
        b, mach_n = r["build"], r["machine"]
        lines.append(f"| {r['n']:,} | {b.get('quads') or 0:,} | {_fmt_s(b['wall_s'])} | {_fmt_s(b.get('cpu_s'))} | "
                     f"{b['peak_pss_mib']:.0f} | {(b.get('triples_per_s') or 0):,.0f} | {b.get('conforms')} | "
                     f"{(mach_n.get('load_average') or ['?'])[0]}, {(mach_n.get('load_average_after_build') or ['?'])[0]} |")
    lines += ["", "## Stages: seconds (share of the build)", "",
              "| N | " + " | ".join(STAGES) + " |", "| ---: |" + " ---: |" * len(STAGES)]
    for r in results:
        st = r["build"]["stages"]
        lines.append(f"| {r['n']:,} | " + " | ".join(
            f"{_fmt_s(st[s]['seconds'])} ({(st[s]['share'] or 0) * 100:.0f}%)" for s in STAGES) + " |")
    lines += ["", "CPU seconds by stage (this process and its validation workers; less disturbed by other "
              "work on the machine than wall time):", "",
              "| N | " + " | ".join(STAGES) + " |", "| ---: |" + " ---: |" * len(STAGES)]
    for r in results:
        st = r["build"]["stages"]
        lines.append(f"| {r['n']:,} | " + " | ".join(_fmt_s(st[s].get("cpu_s")) for s in STAGES) + " |")
    names = sorted({q for r in results for q in r.get("queries", {})})
    if names:
        lines += ["", "## Stock queries: median of the timed runs (ms) on the built store; rdflib in brackets", "",
                  "| query | " + " | ".join(f"N={r['n']:,}" for r in results) + " |",
                  "| --- |" + " ---: |" * len(results)]
        for name in names:
            cells = []
            for r in results:
                q = r.get("queries", {}).get(name, {})
                rq = r.get("baselines", {}).get("rdflib", {}).get("queries", {}).get(name, {})
                cell = ("error" if "error" in q else f"> {q['cap_s'] * 1000:.0f}" if q.get("timed_out")
                        else _fmt_s(q.get("median_ms")) + (" (1 run)" if q.get("runs") == 1 else ""))
                if rq.get("median_ms"):
                    cell += f" ({_fmt_s(rq['median_ms'])})"
                elif rq.get("timed_out"):
                    cell += f" (> {rq['cap_s'] * 1000:.0f})"
                elif rq.get("error"):
                    cell += " (rdflib: error)"
                cells.append(cell + (f", {q['rows']} rows" if "rows" in q else ""))
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    else:
        lines += ["", "No stock queries (queries/*.rq) were present when these runs were made."]
    fmts = sorted({f for r in results for f in r.get("dumps", {})})
    if fmts:
        lines += ["", "## Dumps from the built store: seconds (MiB)", "",
                  "| N | " + " | ".join(fmts) + " |", "| ---: |" + " ---: |" * len(fmts)]
        for r in results:
            d = r.get("dumps", {})
            lines.append(f"| {r['n']:,} | " + " | ".join(
                f"{_fmt_s(d[f]['seconds'])} ({d[f]['bytes'] / MIB:.0f})" if f in d else "–" for f in fmts) + " |")
    lines += ["", "## Baselines, measured in the same run", "",
              "| N | rdflib Graph.add build (s) / kg map+load (s) | rdflib peak (MiB) | pyshacl whole graph (s) / kg validate stage (s) | pyshacl / kg on the same graph (s) | same violations | kg load (s) / Oxigraph CLI bulk load (s) |",
              "| ---: | --- | ---: | --- | --- | --- | --- |"]
    for r in results:
        b, st, ra = r.get("baselines", {}), r["build"]["stages"], {**r.get("ratios", {}), **ratios(r)}
        rd, ps, ox = b.get("rdflib", {}), b.get("pyshacl", {}), b.get("oxigraph_load", {})
        kg_ml = st["map"]["seconds"] + st["load"]["seconds"]
        rd_cell = (f"{_fmt_s(rd.get('build_s'))} / {_fmt_s(kg_ml)} = {_fmt_ratio(ra.get('rdflib_build_vs_kg_map_load'))}"
                   if rd.get("build_s") else rd.get("skipped") or ("> " + _fmt_s(rd.get("cap_s")) + " s" if rd.get("timed_out") else "–"))
        ps_time = _fmt_s(ps.get("validate_s")) if ps.get("validate_s") else (
            f"> {ps['cap_s']:.0f}" if ps.get("timed_out") else
            f"parse > {ps['parse_cap_s']:.0f}" if ps.get("parse_timed_out") else None)
        ps_cell = (f"{ps_time} / {_fmt_s(st['validate']['seconds'])} = {_fmt_ratio(ra.get('pyshacl_whole_vs_kg_validate'))}"
                   if ps_time else ps.get("skipped") or "–")
        same_graph = (f"{ps_time} / {_fmt_s(ps.get('kg_validate_s'))} = {_fmt_ratio(ra.get('pyshacl_whole_vs_kg_same_graph'))}"
                      if ps_time and ps.get("kg_validate_s") else "–")
        same = ps.get("same_violations")
        same_cell = "–" if same is None else (f"yes ({ps.get('kg_found')} injected, found)" if same else
                                              f"no: kg {ps.get('kg_found')}, pyshacl {ps.get('pyshacl_found')}")
        ox_cell = (f"{_fmt_s(st['load']['seconds'])} / {_fmt_s(ox.get('cli_s'))} = {_fmt_ratio(ra.get('kg_load_vs_oxigraph_cli_load'))}"
                   if ox.get("cli_s") else ox.get("skipped") or "–")
        lines.append(f"| {r['n']:,} | {rd_cell} | {rd.get('peak_pss_mib', 0):.0f} | {ps_cell} | {same_graph} | {same_cell} | {ox_cell} |")
    lines += ["", "Ratios above 1 mean kg is faster, except the last column: the Oxigraph CLI's bulk load of the "
              "final N-Quads is the floor for kg's load step, and the ratio says how far above the floor kg is "
              "(1.0x: as fast as it can be).",
              "The pyshacl column validates the whole graph at once (documents, entities and reference data) "
              "after injecting one violation into each of a few document graphs; the next column runs kg's "
              "SPARQL validation (the build's engine) on that same graph in the same child process, and 'same "
              "violations' compares the focus nodes and paths the two report. kg's load stage loads the "
              "release's on-disk store and, in parallel, the in-memory copy that is validated and dumped.", ""]
    return "\n".join(lines)


DOC_BEGIN, DOC_END = "<!-- benchmark results: written by benchmarks/run.py -->", "<!-- end of benchmark results -->"


def write_markdown(folder: Path, doc: Path | None = None) -> Path:
    """RESULTS.md from every results file in ``folder``, by N; and the same tables (without
    their title) into ``doc`` between its markers, the rest of it kept."""
    results = sorted((json.loads(p.read_text()) for p in folder.glob("results-*.json")), key=lambda r: r["n"])
    path = folder / "RESULTS.md"
    text = markdown(results)
    path.write_text(text, encoding="utf-8")
    if doc is not None and doc.exists():
        page = doc.read_text(encoding="utf-8")
        if DOC_BEGIN in page and DOC_END in page:
            tables = text.split("\n", 1)[1].lstrip("\n").replace("\n## ", "\n### ")
            head, rest = page.split(DOC_BEGIN, 1)
            doc.write_text(f"{head}{DOC_BEGIN}\n{tables}\n{DOC_END}{rest.split(DOC_END, 1)[1]}", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        p = argparse.ArgumentParser()
        p.add_argument("_child")
        p.add_argument("--seeds", type=Path, required=True)
        p.add_argument("--out", type=Path, required=True)
        p.add_argument("--result", type=Path, required=True)
        p.add_argument("--query-runs", type=int, default=5)
        p.add_argument("--query-cap", type=float, default=QUERY_CAP_S)
        p.add_argument("--jobs", type=int, default=0)
        return child_build(p.parse_args(argv))
    p = argparse.ArgumentParser(description="Benchmark kg build at several corpus sizes.")
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "kg-bench",
                   help="where corpora and builds go (default: $TMPDIR/kg-bench)")
    p.add_argument("--results", type=Path, default=HERE / "results", help="where results-N.json and RESULTS.md go")
    p.add_argument("--query-runs", type=int, default=5, help="timed runs of each stock query (median reported)")
    p.add_argument("--query-cap", type=float, default=QUERY_CAP_S,
                   help="stop a stock query after this many seconds (all its runs); a warm-up slower than "
                        f"{SLOW_QUERY_S:.0f} s is the only run")
    p.add_argument("--jobs", type=int, default=0, help="validation processes (default: kg's own)")
    p.add_argument("--build-timeout", type=float, default=None, help="kill the build after this many seconds")
    p.add_argument("--no-baselines", dest="baselines", action="store_false")
    p.add_argument("--pyshacl-timeout", type=float, default=300.0)
    p.add_argument("--rdflib-timeout", type=float, default=900.0, help="cap on the whole rdflib baseline")
    p.add_argument("--rdflib-query-timeout", type=float, default=30.0, help="cap on each rdflib query run")
    p.add_argument("--rdflib-query-runs", type=int, default=3)
    p.add_argument("--inject", type=int, default=6, help="violations injected for the pyshacl comparison")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--doc", type=Path, default=None,
                   help=f"also write the tables into this Markdown file, between {DOC_BEGIN} and {DOC_END}")
    p.add_argument("--markdown-only", action="store_true",
                   help="run nothing: write RESULTS.md (and --doc) from the results files there")
    args = p.parse_args(argv)
    args.work, args.results = args.work.resolve(), args.results.resolve()
    args.results.mkdir(parents=True, exist_ok=True)
    for n in [] if args.markdown_only else args.sizes:
        result = run_one(n, args)
        (args.results / f"results-{n}.json").write_text(json.dumps(result, indent=1, sort_keys=True, default=str),
                                                       encoding="utf-8")
        path = write_markdown(args.results, args.doc)
        _log(args, f"N={n}: written {args.results / f'results-{n}.json'} and {path}")
    if args.markdown_only:
        _log(args, f"written {write_markdown(args.results, args.doc)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
