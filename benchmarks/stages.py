"""One build, timed stage by stage: wall and CPU seconds of each stage and the peak memory of the
process tree, for a corpus of any size (no queries, dumps timed again or baselines: for that, see
``run.py``).

    python -m benchmarks.generate --n 30000 --seed 1 --out /tmp/corpus-30000
    nice -n 5 python -m benchmarks.stages /tmp/corpus-30000 /tmp/build-30000

Prints one line per stage (wall, CPU, the largest memory sampled in it) and a total; ``--json
FILE`` writes the same figures.  The output folder is emptied first (a clean build: no
extraction cache).  Memory is the summed PSS of this process and its children (pages shared with
forked workers counted once, in shares), sampled every half second; the summed RSS, which counts
shared pages in each process, is given too.
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

from .measure import MIB, memory, tree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _tree_mib(pid: int) -> tuple[float, float]:
    """The summed PSS and RSS (MiB) of ``pid`` and its descendants (:mod:`benchmarks.measure`)."""
    pss = rss = 0
    for member in tree(pid):
        p, r = memory(member)
        pss, rss = pss + p, rss + r
    return pss / MIB, rss / MIB


class Stages:
    """The progress callback of ``build``: a stage ends when the next one starts."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.current: tuple[str, float, float] | None = None
        self.peaks: dict[str, float] = {}  # stage -> the largest summed PSS sampled in it (MiB)

    def sampled(self, mib: float) -> None:
        if self.current:
            self.peaks[self.current[0]] = max(self.peaks.get(self.current[0], 0.0), mib)

    def __call__(self, stage=None, *rest) -> None:
        if rest or not isinstance(stage, str):
            return  # progress within a stage
        self.close()
        self.current = (stage, time.perf_counter(), _cpu())

    def close(self) -> None:
        if self.current:
            name, wall, cpu = self.current
            self.sampled(_tree_mib(os.getpid())[0])
            self.rows.append({"stage": name, "wall_s": time.perf_counter() - wall, "cpu_s": _cpu() - cpu,
                              "peak_pss_mib": self.peaks.get(name, 0.0)})
            print(f"{name:9s} {self.rows[-1]['wall_s']:8.1f} s wall {self.rows[-1]['cpu_s']:8.1f} s CPU "
                  f"{self.rows[-1]['peak_pss_mib']:8,.0f} MiB", flush=True)
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
    peak = [0.0, 0.0]  # summed PSS, summed RSS
    done = threading.Event()
    stages = Stages()

    def sample() -> None:
        while True:  # once at the start, every half second, and once at the end
            pss, rss = _tree_mib(os.getpid())
            peak[:] = max(peak[0], pss), max(peak[1], rss)
            stages.sampled(pss)
            if done.wait(0.5):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0, c0 = time.perf_counter(), _cpu()
    result = build(settings, stages)
    stages.close()
    done.set()
    sampler.join()
    pss, rss = _tree_mib(os.getpid())
    peak[:] = max(peak[0], pss, *stages.peaks.values()), max(peak[1], rss)
    total = {"documents": result.documents, "quads": result.quads, "wall_s": time.perf_counter() - t0,
             "cpu_s": _cpu() - c0, "peak_pss_mib": peak[0], "peak_rss_mib": peak[1],
             "conforms": result.report.conforms, "stages": stages.rows}
    print(f"total     {total['wall_s']:8.1f} s wall {total['cpu_s']:8.1f} s CPU; {result.documents:,} documents, "
          f"{result.quads:,} quads; peak {peak[0]:,.0f} MiB (summed PSS of the process tree; "
          f"{peak[1]:,.0f} MiB summed RSS)")
    write_json(args.json, total)
    return 0


def write_json(path: Path | None, figures: dict) -> None:
    """The figures as a JSON file, when ``--json`` asked for one."""
    if path is not None:
        path.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
