"""One big document: ``kg build`` of a single 10 MB document beside a 100 KB one, stage by stage.

No stage may be quadratic in the length of a document (issue 8, point 5): a document 100 times
longer should take about 100 times longer, not 10,000 times.  The document is one long report
in the generator's PDF layout (``benchmarks/generate.py``): a title and date, paragraphs of
allegations, figures, legal characterisations and quotations, hard-wrapped at 92 characters
with a page number and a footnote link now and then, then numbered demands and a signature
block.  Each size is built in a child process (memory of its process tree sampled), with a
time limit; a build that runs out of time is reported with the stage it was in.

    nice -n 10 python -m benchmarks.bigdoc                       # 100 KB and 10 MB
    python -m benchmarks.bigdoc --sizes 100000 1000000 --timeout 600
    python -m benchmarks.bigdoc --profile 1000000                 # where the time goes (cProfile)

Writes ``benchmarks/out/bigdoc.json`` and prints a Markdown table (docs/RELIABILITY.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGES = ("read", "extract", "link", "map", "validate", "load", "dump", "swap")


def big_report(n_bytes: int, seed: int = 1) -> str:
    """One document of about ``n_bytes`` characters (a little more: page breaks and the signature
    block come on top), made of the paragraphs of generated letters."""
    from benchmarks.generate import letter, render_letter

    head = letter(seed, 0)
    paragraphs, size, i = [], 0, 0
    while size < n_bytes:
        for paragraph in letter(seed, i).paragraphs:
            paragraphs.append(paragraph)
            size += sum(len(s) + 1 for s in paragraph) + 2
        i += 1
    return render_letter(dataclasses.replace(head, paragraphs=paragraphs, layout="pdf"), seed)


CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from benchmarks.run import StageClock
from kg.config import Settings, project_root
from kg.pipeline import build

class Loud(StageClock):
    def __call__(self, stage=None, *a, **k):
        if isinstance(stage, str) and stage != self.current:
            print(f"{time.time():.3f} {stage}", file=sys.stderr, flush=True)
        super().__call__(stage, *a, **k)

seeds, out, result = map(Path, sys.argv[1:4])
settings = Settings.for_project(project_root(Path(sys.argv[4]))).with_(seeds=seeds, out=out,
                                                                        max_document_bytes=10**9)
clock = Loud()
t0 = time.perf_counter()
built = build(settings, clock)
clock.close()
result.write_text(json.dumps({"wall": time.perf_counter() - t0, "stages": clock.seconds, "cpu": clock.cpu,
                              "quads": built.quads}))
"""


def measure(n_bytes: int, work: Path, timeout: float) -> dict:
    from benchmarks.measure import run_measured

    folder = work / f"doc-{n_bytes}"
    seeds = folder / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    text = big_report(n_bytes)
    (seeds / "report.txt").write_text(text, encoding="utf-8")
    result = folder / "result.json"
    m = run_measured([sys.executable, "-c", CHILD, str(seeds), str(folder / "out"), str(result), str(ROOT)],
                     timeout=timeout, cwd=ROOT)
    row = {"bytes": len(text.encode("utf-8")), "characters": len(text), "lines": text.count("\n"),
           "wall": round(m.wall, 2), "timed_out": m.timed_out, "returncode": m.returncode,
           "peak_pss_mib": round(m.peak_pss() / 2**20), "stages": {}}
    marks = [line.split(" ", 1) for line in m.stderr.splitlines() if line[:1].isdigit() and " " in line]
    if result.exists() and not m.timed_out:
        data = json.loads(result.read_text())
        row.update(stages={k: round(v, 2) for k, v in data["stages"].items()}, quads=data["quads"],
                   cpu={k: round(v, 2) for k, v in data["cpu"].items()})
    elif marks:  # out of time or failed: time spent in each stage reached, and the last one
        times = [float(t) for t, _ in marks] + [m.started + m.wall]
        row["stages"] = {name: round(times[i + 1] - times[i], 2) for i, (_, name) in enumerate(marks)}
        row["stopped_in"] = marks[-1][1]
    if m.returncode not in (0, None) and not m.timed_out:
        row["error"] = m.stderr.strip().splitlines()[-1:] if m.stderr.strip() else []
    return row


def profile(n_bytes: int) -> None:
    """Extraction of one big document under cProfile: the functions that take the time."""
    import cProfile
    import pstats

    from kg.extract import extract
    from kg.records import SourceDocument
    from kg.sources import normalise_text

    doc = SourceDocument("report", "report.txt", "text/plain", "0" * 64, normalise_text(big_report(n_bytes)))
    cProfile.runctx("extract(doc)", globals(), {"extract": extract, "doc": doc}, "/tmp/bigdoc.prof")
    pstats.Stats("/tmp/bigdoc.prof").sort_stats("tottime").print_stats(15)


def table(rows: list[dict]) -> str:
    """Wall seconds per stage, and CPU seconds (what a busy shared machine disturbs less)."""
    base = rows[0]
    lines = ["| document | quads | wall (CPU) | " + " | ".join(STAGES) + " | peak memory | vs the smallest (CPU) |",
             "| --- | --- | --- | " + " | ".join("---" for _ in STAGES) + " | --- | --- |"]
    for r in rows:
        size = f"{r['bytes'] / 1e6:.1f} MB" if r["bytes"] >= 1e6 else f"{r['bytes'] / 1e3:.0f} KB"
        cpu = r.get("cpu", {})
        total = sum(cpu.values()) if cpu else None
        wall = f"{r['wall']:.0f} s" + (f" ({total:.0f} s)" if total is not None else "")
        if r["timed_out"]:
            wall += f", time limit reached in {r.get('stopped_in')}"
        stages = " | ".join((f"{r['stages'][s]:.1f} ({cpu[s]:.1f})" if s in cpu else f"{r['stages'][s]:.1f}")
                            if s in r["stages"] else "" for s in STAGES)
        ratio = ""
        if r is not base and total is not None and base.get("cpu"):
            ratio = f"{total / sum(base['cpu'].values()):.0f}x for {r['bytes'] / base['bytes']:.0f}x the size"
        lines.append(f"| {size} | {r.get('quads', '')} | {wall} | {stages} | {r['peak_pss_mib']} MiB | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 10_000_000], help="document sizes in bytes")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed for each build")
    parser.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--profile", type=int, default=None, help="profile the extraction of one document of this size")
    parser.add_argument("--table", action="store_true", help="print the table of the last run (benchmarks/out/bigdoc.json)")
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile)
        return 0
    if args.table:
        print(table(json.loads((HERE / "out" / "bigdoc.json").read_text())["rows"]))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bigdoc-"))
    rows = []
    for size in sorted(args.sizes):
        started = time.time()
        rows.append(measure(size, work, args.timeout))
        print(f"{size} bytes: {time.time() - started:.1f} s", file=sys.stderr)
    from benchmarks.measure import machine

    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "bigdoc.json").write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1), encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
