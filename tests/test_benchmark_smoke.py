"""The benchmark harness, run small: the generator is deterministic, and a run at N=20 writes
results that make sense.  No timing is asserted here (timings depend on the machine); the
numbers themselves are in benchmarks/results/RESULTS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import write_corpus  # noqa: E402
from benchmarks.run import STAGES  # noqa: E402


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def test_generator_is_deterministic_and_prefix_stable(tmp_path):
    a = write_corpus(tmp_path / "a", 30, seed=7)
    write_corpus(tmp_path / "b", 30, seed=7)
    write_corpus(tmp_path / "c", 12, seed=7)
    write_corpus(tmp_path / "d", 30, seed=8)
    files_a = _files(tmp_path / "a")
    assert files_a == _files(tmp_path / "b")
    assert _files(tmp_path / "c") == {k: v for k, v in files_a.items() if k in _files(tmp_path / "c")}
    assert len(_files(tmp_path / "c")) >= 12
    assert files_a != _files(tmp_path / "d")
    kinds = {d["kind"] for d in a["documents"].values()}
    assert {"letter", "edition", "news"} <= kinds, kinds
    assert a["totals"]["organizations"] > 30 and a["totals"]["demands"] > 30


def test_shared_signers_across_letters(tmp_path):
    import re
    write_corpus(tmp_path / "c", 60, seed=1)
    blocks = [p.read_text().split("sincerely,", 1)[-1] for p in sorted((tmp_path / "c").glob("*.txt"))
              if "sincerely," in p.read_text()]
    names = [set(l.strip() for l in b.splitlines() if re.match(r"^[A-Z]", l.strip())) for b in blocks]
    repeated = {n for n in set().union(*names) if sum(n in s for s in names) >= 3}
    assert len(repeated) >= 3, "a shared pool of signers: some sign several letters"


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    cmd = [sys.executable, "-m", "benchmarks.run", "--sizes", "20", "--work", str(work / "work"),
           "--results", str(work / "results"), "--query-runs", "1", "--rdflib-query-runs", "1",
           "--rdflib-query-timeout", "10", "--pyshacl-timeout", "60", "--quiet"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = work / "results"
    return json.loads((results / "results-20.json").read_text()), (results / "RESULTS.md").read_text()


def test_smoke_build_conforms_with_every_stage(smoke):
    result, _ = smoke
    build = result["build"]
    assert build["conforms"] is True
    assert build["documents"] == 20 and build["quads"] > 5_000
    assert set(STAGES) <= set(build["stages"])
    for stage in ("read", "extract", "link", "map", "validate", "load", "dump"):
        assert build["stages"][stage]["seconds"] > 0, stage
    # the stages account for the build and are not counted twice; not a timing check: what is
    # left over (taking the lock, reading the context) is a few hundredths of a second, which a
    # 20-document build on a busy machine can make 10% of its wall time (seen once at 0.89)
    assert 0.5 < sum(s["share"] for s in build["stages"].values()) <= 1.0001
    assert build["peak_pss_mib"] > 10
    assert result["machine"]["cores"] >= 1 and result["machine"]["memory_gib"] > 0


def test_smoke_graph_holds_what_was_generated(smoke):
    result, _ = smoke
    found, expected = result["sanity"]["found"], result["sanity"]["expected"]
    for key in ("documents", "signatures", "numbered_calls", "works", "about"):
        assert found[key] == expected[key], key


def test_smoke_queries_dumps_and_baselines(smoke):
    result, markdown = smoke
    stock = {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert set(result["queries"]) == stock
    for name, q in result["queries"].items():
        assert "error" not in q, (name, q)
        assert q["median_ms"] >= 0 and q["rows"] >= 0
    assert set(result["dumps"]) == {"turtle", "ntriples", "nquads", "trig", "jsonld"}
    assert all(d["bytes"] > 0 for d in result["dumps"].values())
    base = result["baselines"]
    assert base["rdflib"]["quads"] == result["build"]["quads"]
    assert base["oxigraph_load"]["pyoxigraph_bulk_load_s"] > 0
    assert base["oxigraph_load"]["quads"] == result["build"]["quads"]
    pyshacl = base["pyshacl"]
    assert len(pyshacl["injected"]) == 6 and pyshacl["kg_found"] >= 6
    assert pyshacl["timed_out"] or pyshacl["same_violations"] is True
    assert "| 20 |" in markdown and "cores" in markdown and "## Stages" in markdown


def test_one_build_timed_stage_by_stage(tmp_path):
    """``python -m benchmarks.stages``: every stage of a clean build with its wall and CPU time,
    the same graph as the build itself, and a peak memory that was sampled."""
    write_corpus(tmp_path / "seeds", 20, seed=3)
    (tmp_path / "out" / "cache").mkdir(parents=True)  # left by an earlier build: removed first
    cmd = [sys.executable, "-m", "benchmarks.stages", str(tmp_path / "seeds"), str(tmp_path / "out"),
           "--json", str(tmp_path / "stages.json")]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads((tmp_path / "stages.json").read_text())
    names = [row["stage"] for row in figures["stages"]]
    assert names[:4] == ["read", "extract", "link", "map"] and {"load", "validate", "dump", "swap"} <= set(names)
    assert figures["conforms"] and figures["documents"] >= 20 and figures["quads"] > 1000
    # sampled at least at the start and the end: the interpreter with kg and pyoxigraph loaded
    assert figures["peak_pss_mib"] > 20 and all(row["wall_s"] >= 0 for row in figures["stages"])
    assert all(20 < row["peak_pss_mib"] <= figures["peak_pss_mib"] <= figures["peak_rss_mib"] + 1 for row in figures["stages"])
    assert sum(row["wall_s"] for row in figures["stages"]) <= figures["wall_s"] + 0.01
    assert "total" in done.stdout and "quads" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "benchmarks.stages", str(tmp_path / "nowhere"), str(tmp_path / "o2")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 3 and "not a folder" in missing.stderr


def test_incremental_rebuild_benchmark(tmp_path):
    """``python -m benchmarks.incremental``: a rebuild after one document changed and one was
    added builds on the last release and gives the dumps and report of a build from scratch."""
    write_corpus(tmp_path / "seeds", 20, seed=3)
    cmd = [sys.executable, "-m", "benchmarks.incremental", str(tmp_path / "seeds"), str(tmp_path / "work"),
           "--json", str(tmp_path / "incremental.json")]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    figures = json.loads((tmp_path / "incremental.json").read_text())
    assert figures["reused"] is True and figures["identical_to_scratch"] is True
    assert figures["documents"] == len(list((tmp_path / "seeds").glob("*.txt"))) + 1
    assert not figures["runs"]["full"]["reused"] and not figures["runs"]["scratch"]["reused"]
    assert figures["full_over_incremental"] > 0 and "incremental" in done.stdout


def test_link_stage_timed_part_by_part(tmp_path):
    """``python -m benchmarks.link``: the link stage alone on a corpus, with what it found."""
    write_corpus(tmp_path / "seeds", 20, seed=3)
    cmd = [sys.executable, "-m", "benchmarks.link", str(tmp_path / "seeds"), str(tmp_path / "out"),
           "--json", str(tmp_path / "link.json")]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads((tmp_path / "link.json").read_text())
    assert figures["documents"] == 20 and figures["works"] > 0 and figures["link_s"] > 0
    assert {"_editions", "_contained_pairs", "_reports"} <= set(figures["parts_s"])
    assert figures["about"] > 0  # the generator's news reports are about its letters
