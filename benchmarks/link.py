"""The link stage alone, timed part by part, on a corpus's extractions (read back from a cache).

    python -m benchmarks.generate --n 30000 --seed 1 --out /tmp/corpus-30000
    python -m benchmarks.link /tmp/corpus-30000 /tmp/link-30000 [--json F]

The second folder keeps the extraction cache (``cache/extract``), so that a second run times
linking only.  Prints the whole stage, then each of its parts (a part called inside another is
counted in both: ``_editions`` holds ``_shingles`` and ``_contained_pairs``), and the number of
edition pairs, works, and reports found to be about a letter.  Linking runs as the build runs it,
with the build's number of jobs: on 2 cores and from 2,000 quotations the documents holding the
quoted words are looked for by a forked copy (``_quote_holders``, not timed then), and
``_quotation_origins`` is the wait for it and what follows.
"""

from __future__ import annotations

import time

from .stages import ROOT, arguments, write_json

PARTS = ("_collect_acronyms", "_resolve", "_editions", "_shingles", "_contained_pairs", "_reports",
         "_quotation_origins", "_quote_holders", "_stated_counts")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv, __doc__, "out")
    if args is None:
        return 3
    import kg.link as L
    from kg.config import Settings, cpu_count, project_root
    from kg.pipeline import extract_all
    from kg.reference import load_reference
    from kg.sources import read_folder

    settings = Settings.for_project(project_root(ROOT), seeds=args.seeds, out=args.out)
    started = time.perf_counter()
    extractions = extract_all(settings, read_folder(settings.seeds), lambda *_: None, cache=True)
    extracted = time.perf_counter() - started
    reference = load_reference(settings.ontology / "reference", settings.base_iri)
    jobs = settings.jobs or cpu_count()
    times: dict[str, float] = {}
    real = {name: getattr(L, name) for name in PARTS}

    def timed(name):
        def part(*a, **k):
            t = time.perf_counter()
            try:
                return real[name](*a, **k)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - t
        return part

    for name in PARTS:
        setattr(L, name, timed(name))
    try:
        t = time.perf_counter()
        corpus = L.link(extractions, reference, jobs=jobs)
        total = time.perf_counter() - t
    finally:
        for name, function in real.items():
            setattr(L, name, function)
    works = {w.path for w in corpus.works.values()}
    result = {"documents": len(extractions), "jobs": jobs, "extract_or_cache_s": extracted, "link_s": total, "parts_s": times,
              "works": len(works), "revisions": len(corpus.revision_of), "about": len(corpus.about),
              "quotation_origins": len(corpus.quoted_from)}
    print(f"{len(extractions):,} documents: link {total:.1f} s with {jobs} jobs (extractions {extracted:.1f} s)")
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"  {name:20s} {seconds:7.1f} s")
    print(f"works {result['works']:,}, revisions {result['revisions']:,}, about a letter {result['about']:,}, "
          f"quotation origins {result['quotation_origins']:,}")
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
