"""One build, timed stage by stage: wall and CPU seconds of each stage and the peak memory of the
process tree, for a corpus of any size (no queries, dumps timed again or baselines: for that, see
``run.py``).

    python -m benchmarks.generate --n 30000 --seed 1 --out /tmp/corpus-30000
    nice -n 5 python -m benchmarks.stages /tmp/corpus-30000 /tmp/build-30000

Prints one line per stage and a total; ``--json FILE`` writes the same figures.  The output
folder is emptied first (a clean build: no extraction cache).  Memory is the summed resident
set of this process and its children, sampled every half second (pages shared with forked
workers are counted in each: an upper bound).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _tree_rss_mib(pid: int) -> float:
    """The summed VmRSS of ``pid`` and its descendants, from /proc (0 where /proc is not there)."""
    parents: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        child = int(entry.name)
        parents.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(child)
        rss[child] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += parents.get(p, [])
    return total / 1024


class Stages:
    """The progress callback of ``build``: a stage ends when the next one starts."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.current: tuple[str, float, float] | None = None

    def __call__(self, stage=None, *rest) -> None:
        if rest or not isinstance(stage, str):
            return  # progress within a stage
        self.close()
        self.current = (stage, time.perf_counter(), _cpu())

    def close(self) -> None:
        if self.current:
            name, wall, cpu = self.current
            self.rows.append({"stage": name, "wall_s": time.perf_counter() - wall, "cpu_s": _cpu() - cpu})
            print(f"{name:9s} {self.rows[-1]['wall_s']:8.1f} s wall {self.rows[-1]['cpu_s']:8.1f} s CPU", flush=True)
        self.current = None


def arguments(argv: list[str] | None, doc: str, folder: str):
    """``SEEDS FOLDER [--json FILE]``, or None (said on stderr) when SEEDS is not a folder."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("seeds", type=Path)
    p.add_argument(folder, type=Path)
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args(argv)
    if not args.seeds.is_dir():
        print(f"{args.seeds}: not a folder of documents", file=sys.stderr)
        return None
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv, __doc__, "out")
    if args is None:
        return 3
    from kg.config import Settings, project_root
    from kg.pipeline import build

    shutil.rmtree(args.out, ignore_errors=True)
    settings = Settings.for_project(project_root(ROOT), seeds=args.seeds, out=args.out)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while True:  # once at the start, every half second, and once at the end
            peak[0] = max(peak[0], _tree_rss_mib(os.getpid()))
            if done.wait(0.5):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stages = Stages()
    t0, c0 = time.perf_counter(), _cpu()
    result = build(settings, stages)
    stages.close()
    done.set()
    sampler.join()
    peak[0] = max(peak[0], _tree_rss_mib(os.getpid()))
    total = {"documents": result.documents, "quads": result.quads, "wall_s": time.perf_counter() - t0,
             "cpu_s": _cpu() - c0, "peak_rss_mib": peak[0], "conforms": result.report.conforms,
             "stages": stages.rows}
    print(f"total     {total['wall_s']:8.1f} s wall {total['cpu_s']:8.1f} s CPU; {result.documents:,} documents, "
          f"{result.quads:,} quads; peak {peak[0]:,.0f} MiB (summed RSS of the process tree)")
    write_json(args.json, total)
    return 0


def write_json(path: Path | None, figures: dict) -> None:
    """The figures as a JSON file, when ``--json`` asked for one."""
    if path is not None:
        path.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
