"""Where the time goes: the build's stages under cProfile, on a generated corpus.

    python -m benchmarks.profile --n 1000                 # read, extract, link, map
    python -m benchmarks.profile --n 1000 --validate 40   # plus validation of 40 document graphs, in-process
    python -m benchmarks.profile --n 1000 --load          # plus the load step

Prints, per stage, the wall time and the functions with the most cumulative and own time; writes
``.prof`` files (for snakeviz or pstats) next to the corpus.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _profiled(name: str, folder: Path, func, *args, top: int = 25):
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    value = func(*args)
    prof.disable()
    wall = time.perf_counter() - t
    prof.dump_stats(str(folder / f"{name}.prof"))
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats(key).print_stats(top)
        body = buf.getvalue()
        body = body[body.find("   ncalls"):]
        print(f"\n=== {name}: {wall:.2f} s wall, sorted by {key} ===\n{body}")
    return value, wall


def main(argv: list[str] | None = None) -> int:
    from kg.config import Settings, project_root
    from kg.extract import extract
    from kg.link import link
    from kg.pipeline import Compiled, _triples_to_nquads, validate_compiled
    from kg.rdf import Minter, document_quads, entity_quads
    from kg.reference import load_reference, parse_turtle
    from kg.sources import read_folder

    from .generate import write_corpus

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "kg-bench")
    p.add_argument("--validate", type=int, default=0, help="document graphs to validate in-process")
    p.add_argument("--load", action="store_true")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)
    seeds = args.work / f"n{args.n}" / "seeds"
    write_corpus(seeds, args.n, args.seed)
    folder = seeds.parent
    settings = Settings.for_project(project_root(ROOT), seeds=seeds, out=folder / "profile-build")
    docs, _ = _profiled("read", folder, lambda: read_folder(seeds, max_bytes=settings.max_document_bytes,
                                                             max_documents=settings.max_documents), top=args.top)
    extractions, _ = _profiled("extract", folder, lambda: [extract(d) for d in docs], top=args.top)
    m = Minter(settings.base_iri)

    def do_link():
        ref = load_reference(settings.ontology / "reference", settings.base_iri)
        return ref, link(extractions, ref)

    (ref, corpus), _ = _profiled("link", folder, do_link, top=args.top)

    def do_map():
        documents = {x.doc.key: document_quads(x, corpus, m) for x in corpus.extractions}
        ontology = parse_turtle(settings.ontology / "akg.ttl", settings.base_iri)
        return Compiled(corpus, documents, entity_quads(corpus, m),
                        _triples_to_nquads(ref.triples, m.iri("graph/reference")),
                        _triples_to_nquads(ontology, m.iri("graph/ontology")), m,
                        {key: m.graph(key) for key in documents})

    compiled, _ = _profiled("map", folder, do_map, top=args.top)
    print(f"\n{len(compiled.documents)} documents, {compiled.quad_count():,} quads")
    if args.validate:
        keys = sorted(compiled.documents)[: args.validate]
        sample = Compiled(compiled.corpus, {k: compiled.documents[k] for k in keys}, compiled.entities,
                          compiled.reference, compiled.ontology, m, {k: compiled.graph_iris[k] for k in keys})
        _profiled(f"validate-{len(keys)}", folder, lambda: validate_compiled(settings, sample, jobs=1), top=args.top)
    if args.load:
        import shutil

        from kg.store import load_nquads
        target = folder / "profile-store"
        shutil.rmtree(target, ignore_errors=True)
        _profiled("load", folder, lambda: len(load_nquads(target, compiled.chunks())), top=args.top)
        shutil.rmtree(target, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
