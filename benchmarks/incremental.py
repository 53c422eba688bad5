"""A rebuild after one document is changed and one added, against the same rebuild from scratch.

    python -m benchmarks.generate --n 10000 --seed 1 --out /tmp/corpus-10000
    nice -n 5 python -m benchmarks.incremental /tmp/corpus-10000 /tmp/incremental-10000 --json F

In the work folder: a copy of the corpus and a clean build of it; then one document gets a
sentence more and a new one is added (a document of the corpus with a line of its own on top),
and three builds of the changed corpus are timed stage by stage:

- ``incremental``: the rebuild, which builds on the last release;
- ``full``: the same rebuild with ``--full`` (extractions cached, every graph loaded, validated
  and dumped): the baseline the ratio is taken against;
- ``scratch``: a build into an empty folder (nothing cached).

Every dump and the validation report of the incremental build are compared, byte for byte, with
those of the build from scratch; a difference is an error (exit 1).
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

from .stages import ROOT, Stages, _cpu, arguments, write_json


def _timed(settings, *, full: bool = False) -> dict:
    from kg.pipeline import build

    stages = Stages()
    t0, c0 = time.perf_counter(), _cpu()
    result = build(settings, stages, full=full)
    stages.close()
    return {"wall_s": time.perf_counter() - t0, "cpu_s": _cpu() - c0, "reused": result.reused,
            "documents": result.documents, "quads": result.quads, "stages": stages.rows}


def _digests(release: Path) -> dict[str, str]:
    files = sorted((release / "dumps").iterdir()) + [release / "report.json"]
    out = {}
    for path in files:
        h = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 24), b""):
                h.update(block)
        out[path.name] = h.hexdigest()
    return out


def change(seeds: Path) -> tuple[Path, Path]:
    """One document gets a sentence more; a new one is added.  Returns both."""
    texts = sorted(p for p in seeds.iterdir() if p.suffix in (".txt", ".md", ".html") and p.is_file())
    if len(texts) < 2:
        raise SystemExit(f"{seeds}: needs at least two documents")
    changed = texts[len(texts) // 2]
    with open(changed, "a", encoding="utf-8") as handle:
        handle.write("\nThe signatories will publish a further statement next month.\n")
    source = texts[len(texts) // 3]
    added = seeds / ("zz-added" + source.suffix)
    added.write_text("Published again, with this line added, for the benchmark.\n\n"
                     + source.read_text(encoding="utf-8"), encoding="utf-8")
    return changed, added


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv, __doc__, "work")
    if args is None:
        return 3
    from kg.config import Settings, project_root

    shutil.rmtree(args.work, ignore_errors=True)
    seeds = args.work / "seeds"
    shutil.copytree(args.seeds, seeds)
    settings = Settings.for_project(project_root(ROOT), seeds=seeds, out=args.work / "out")
    print("first build (from scratch)", flush=True)
    runs = {"first": _timed(settings)}
    changed, added = change(seeds)
    print(f"changed {changed.name}, added {added.name}\nincremental rebuild", flush=True)
    runs["incremental"] = _timed(settings)
    incremental = _digests((args.work / "out" / "current").resolve())
    print("the same rebuild with --full", flush=True)
    runs["full"] = _timed(settings, full=True)
    print("build from scratch", flush=True)
    scratch = Settings.for_project(project_root(ROOT), seeds=seeds, out=args.work / "scratch")
    runs["scratch"] = _timed(scratch)
    same = incremental == _digests((args.work / "scratch" / "current").resolve())
    summary = {"documents": runs["incremental"]["documents"], "quads": runs["incremental"]["quads"],
               "reused": runs["incremental"]["reused"], "identical_to_scratch": same,
               "incremental_s": runs["incremental"]["wall_s"], "full_s": runs["full"]["wall_s"],
               "scratch_s": runs["scratch"]["wall_s"],
               "full_over_incremental": runs["full"]["wall_s"] / runs["incremental"]["wall_s"],
               "scratch_over_incremental": runs["scratch"]["wall_s"] / runs["incremental"]["wall_s"],
               "runs": runs}
    print(f"{summary['documents']:,} documents: incremental {summary['incremental_s']:.1f} s, "
          f"--full {summary['full_s']:.1f} s ({summary['full_over_incremental']:.1f}x), "
          f"from scratch {summary['scratch_s']:.1f} s ({summary['scratch_over_incremental']:.1f}x); "
          f"built on the last release: {summary['reused']}; dumps and report identical to scratch: {same}")
    write_json(args.json, summary)
    return 0 if same and summary["reused"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
