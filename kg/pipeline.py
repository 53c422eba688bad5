"""The pipeline end to end: sources -> extract -> link -> rdf -> validate -> store -> publish.

Each function here calls the stages in order; the CLI calls these.  Nothing here prints.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from . import __version__
from concurrent.futures import ProcessPoolExecutor

from .cache import ExtractionCache, code_fingerprint
from .config import Settings, cpu_count
from .errors import KgError, NotConforming, StoreError
from .extract import extract
from .link import Corpus, link
from .procs import CAN_FORK, Forked, available_memory, die_with_parent, resident_memory
from .publish import segments
from .publish.dumps import FORMATS, each_triple_in_one_graph, load_context, write_all
from .rdf import AKG, Asked, Minter, Quads, document_quads, entity_quads, integer, lit
from .reference import load_reference, parse_turtle
from .shacl_sparql import UnsupportedShape, compile_shapes, normalised_literals
from .sources import read_folder
from .store import build_lock, discard, is_disk_full, is_store_failure, load_memory, load_nquads, new_release, publish
from .validate import Report, load_shapes, validate_graphs, validate_store_sparql

Progress = Callable[[str], None]


def failpoint(stage: str) -> None:
    """Fault injection for the reliability tests: ``KG_FAILPOINT=load`` kills the process with
    SIGKILL when the build reaches that stage, as a crash or ``kill -9`` would."""
    if os.environ.get("KG_FAILPOINT") == stage:
        import signal
        os.kill(os.getpid(), signal.SIGKILL)


def _stage(progress: Progress, stage: str) -> None:  # noqa: D103
    failpoint(stage)
    progress(stage)


@dataclass
class Compiled:
    """The whole graph as N-Quads text, by named graph."""

    corpus: Corpus
    documents: dict[str, str]  # doc key -> N-Quads of its graph
    entities: str
    reference: str
    ontology: str
    minter: Minter
    graph_iris: dict[str, str] = field(default_factory=dict)
    # When the text was written out as it was made (:func:`compile_graph` with a ``sink``):
    # the quads of each chunk ("ontology", "reference", "entities", a document's key), and the
    # quads whose literal Oxigraph stores under another datatype.
    counts: dict[str, int] | None = None
    normalised: list | None = None
    # Where each chunk is in that file: name -> (graph IRI, offset, length, hash of its bytes);
    # None when a chunk held quads of another graph than its own (then nothing is reused).
    layout: dict[str, tuple[str, int, int, str]] | None = None
    mapping: dict[str, tuple] | None = None  # for the next build: see :class:`PreviousMapping`
    # The subjects of each graph's lines in that file, while no two graphs share one (then no
    # triple is in two graphs): see :class:`Subjects`.
    subjects: "Subjects | None" = None

    def chunks(self):
        yield self.ontology
        yield self.reference
        yield self.entities
        for key in sorted(self.documents):
            yield self.documents[key]

    def quad_count(self) -> int:
        if self.counts is not None:
            return sum(self.counts.values())
        return sum(chunk.count(" .\n") for chunk in self.chunks())

    def quads_of(self, key: str) -> int:
        """The quads of a document's graph."""
        return self.counts[key] if self.counts is not None else self.documents[key].count(" .\n")

    def write_nquads(self, path: Path, *extra: str) -> int:
        """Every graph (and ``extra`` chunks) into one N-Quads file, in a fixed order; the
        number of lines written."""
        lines = 0
        with open(path, "wb") as handle:
            for chunk in [*self.chunks(), *extra]:
                if chunk:
                    data = chunk.encode("utf-8")
                    handle.write(data if data.endswith(b"\n") else data + b"\n")
                    lines += data.count(b"\n") + (not data.endswith(b"\n"))
        return lines

    def drop_text(self) -> None:
        """Let go of the N-Quads text once it is on disk (a third of a large build's memory)."""
        self.documents = dict.fromkeys(self.documents, "")
        self.entities = self.reference = self.ontology = ""


def _triples_to_nquads(triples, graph: str) -> str:
    return "".join(f"{t.subject} {t.predicate} {t.object} {graph} .\n" for t in triples)


def compile_graph(settings: Settings, progress: Progress = lambda *_: None, *, cache: bool = False,
                  sink: Path | None = None, previous: "PreviousMapping | None" = None) -> Compiled:
    """Read, extract, link and map every document of the seeds folder, in memory.

    With ``cache``, extractions are kept under ``OUT/cache/`` by content hash, so that a
    rebuild extracts only the documents that were added or changed.  With a ``sink``, the
    graph's N-Quads are written to that file as each graph is mapped, in the order of
    :meth:`Compiled.chunks`, and not held: the result has their counts instead of their text
    (a tenth of a large build's memory, and most of it at 100,000 documents).  With a
    ``previous`` mapping too, the graph of a document whose extraction is the same and whose
    questions to the corpus get the same answers is copied from the last release's file rather
    than mapped again (:class:`kg.rdf.Asked`).
    """
    _stage(progress, "read")
    docs = read_folder(settings.seeds, max_bytes=settings.max_document_bytes,
                       max_documents=settings.max_documents, max_nesting=settings.max_nesting)
    _stage(progress, "extract")
    extractions = extract_all(settings, docs, progress, cache=cache)
    _stage(progress, "link")
    m = Minter(settings.base_iri)
    ref = load_reference(settings.ontology / "reference", settings.base_iri)
    corpus = link(extractions, ref, jobs=settings.jobs or cpu_count())
    _stage(progress, "map")
    ontology = _triples_to_nquads(parse_turtle(settings.ontology / "akg.ttl", settings.base_iri),
                                  m.iri("graph/ontology"))
    reference = _triples_to_nquads(ref.triples, m.iri("graph/reference"))
    graph_iris = {x.doc.key: m.graph(x.doc.key) for x in corpus.extractions}
    if sink is not None:
        compiled = Compiled(corpus, {}, entity_quads(corpus, m), reference, ontology, m, graph_iris)
        return _compile_to(sink, compiled, previous, ExtractionCache(Path(), code_fingerprint(settings.root)).key,
                           jobs=settings.jobs or cpu_count())
    documents = {x.doc.key: document_quads(x, corpus, m) for x in corpus.extractions}
    return Compiled(corpus, documents, entity_quads(corpus, m), reference, ontology, m, graph_iris)


MAPPING = "mapping.pickle"


@dataclass
class PreviousMapping:
    """How the last release mapped each document (:data:`MAPPING`): by document key, the
    identity of its extraction, the questions it asked the corpus with their answers, and where
    its graph is in the release's N-Quads file (offset, length, lines, hash, normalised quads)."""

    nquads: Path
    documents: dict[str, tuple]


def mapping_basis(settings: Settings) -> str:
    """What a document's mapped graph depends on besides its extraction and its answers."""
    h = hashlib.sha256(f"{__version__}\x1f{settings.base_iri}\x1f".encode("utf-8"))
    here = Path(__file__).resolve().parent
    for name in ("rdf.py", "shacl_sparql.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _last_release(settings: Settings) -> Path | None:
    """The current release, when a build may build on it: its files are those it was published
    with (:func:`kg.publish.segments.intact`)."""
    link = settings.out / "current"
    try:
        release = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return release if (release / "store").is_dir() and segments.intact(release) else None


def read_mapping(settings: Settings, release: Path) -> PreviousMapping | None:
    """The mapping of ``release``, or None (another basis, a damaged file, an N-Quads file of
    another size): every document is mapped then."""
    import pickle

    try:
        with open(release / MAPPING, "rb") as handle:
            data = pickle.load(handle)
        nquads = release / "dumps" / f"graph.{FORMATS['nquads'][0]}"
        if data["basis"] != mapping_basis(settings) or nquads.stat().st_size != data["size"]:
            return None
        return PreviousMapping(nquads, dict(data["documents"]))
    except Exception:  # noqa: BLE001 - whatever is wrong with it, it is not used
        return None


def save_mapping(settings: Settings, partial: Path, compiled: Compiled, nquads: Path) -> None:
    import pickle

    data = {"basis": mapping_basis(settings), "size": nquads.stat().st_size, "documents": compiled.mapping}
    with open(partial / MAPPING, "wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _compile_to(path: Path, compiled: Compiled, previous: PreviousMapping | None = None,
                identity: Callable = lambda doc: None, jobs: int = 1) -> Compiled:
    """Write the shared graphs, then map each document and write its graph, into ``path``;
    keep the counts, the normalised literals and where each graph is, not the text.  A document
    that ``previous`` mapped from the same extraction, with the same answers from the corpus,
    has its graph copied from the last release's file.  With ``jobs`` > 1, a forked copy of the
    process maps the second half of the documents to be mapped, into a file of its own that is
    then copied in, while this one maps the first half."""
    corpus, m = compiled.corpus, compiled.minter
    counts: dict[str, int] = {}
    normalised: list = []
    layout: dict[str, tuple[str, int, int, str]] | None = {}
    mapping: dict[str, tuple] = {}
    out = segments.Appender(path, previous.nquads if previous else None)
    order = sorted(corpus.extractions, key=lambda x: x.doc.key)
    kept: dict[str, tuple] = {}
    apart = Subjects()
    for x in order:
        last = previous.documents.get(x.doc.key) if previous else None
        ident = identity(x.doc)
        if last is not None and ident is not None and last[0] == ident and last[5] and Asked.still(corpus, last[1]):
            kept[x.doc.key] = last
    fresh = [x for x in order if x.doc.key not in kept]
    side, child, theirs = path.with_name(path.name + ".mapped"), None, {}
    try:
        def put(name: str, graph: str, text: str, subjects: set[str] | None = None) -> tuple[int, int, int, str | None, str]:
            data, lines, found, digest, hashes = _encoded(text, graph, subjects)
            at = out.write(data)
            apart.add(hashes)
            return place(name, graph, at, len(data), lines, digest, found)

        def place(name, graph, at, length, lines, digest, found) -> tuple[int, int, int, str | None, str]:
            nonlocal layout
            counts[name] = lines
            if found:
                normalised.extend(ox.parse(found.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
            if digest is None:
                layout = None
            elif layout is not None:
                layout[name] = (graph[1:-1], at, length, digest)
            return at, length, lines, digest, found

        put("ontology", m.iri("graph/ontology"), compiled.ontology)
        put("reference", m.iri("graph/reference"), compiled.reference)
        put("entities", m.iri("graph/entities"), compiled.entities)
        # the copy makes its own copies of the pages it writes to (reference counts): at most
        # about half the build's memory, judging by the 30,000-document build's
        if jobs > 1 and CAN_FORK and len(fresh) >= PARALLEL_FROM and resident_memory() <= available_memory():
            part = fresh[len(fresh) // 2:]
            child = Forked(functools.partial(_map_into, side, part, corpus, m, compiled.graph_iris),
                           "the mapping process")
            theirs = dict.fromkeys(x.doc.key for x in part)
        source = None
        for x in order:
            key, graph = x.doc.key, compiled.graph_iris[x.doc.key]
            if key in kept:
                ident, log, at, length, lines, digest, found = kept[key]
                apart.add(None)  # not read again: the store is asked
                mapping[key] = (ident, log, *place(key, graph, out.copy(at, length), length, lines, digest, found))
            elif key in theirs:
                if source is None:
                    theirs, child = child.join(), None
                    source = out.also_from(side)
                log, at, length, lines, digest, found, hashes = theirs[key]
                apart.add(hashes)
                mapping[key] = (identity(x.doc), log,
                                *place(key, graph, out.copy(at, length, source), length, lines, digest, found))
            else:
                view, subjects_of = Asked(corpus), set()
                text = document_quads(x, view, m, subjects_of)
                mapping[key] = (identity(x.doc), view.log, *put(key, graph, text, subjects_of))
            compiled.documents[key] = ""
    except BaseException:
        if child is not None:
            child.kill()
        raise
    finally:
        try:
            out.close()
        finally:
            side.unlink(missing_ok=True)
    compiled.ontology = compiled.reference = compiled.entities = ""
    compiled.counts, compiled.normalised = counts, list(dict.fromkeys(normalised))
    compiled.layout, compiled.mapping = layout, mapping
    compiled.subjects = apart
    return compiled


def _encoded(text: str, graph: str, subjects: set[str] | None = None) -> tuple[bytes, int, str, str | None, frozenset]:
    """A graph's N-Quads as written: the bytes, their lines, the quads Oxigraph stores otherwise
    (as N-Quads), the hash of the bytes (None when a line is not in ``graph``) and the hashes of
    its subjects (those of ``subjects``, the mapper's record of them, else read from the text)."""
    data = text.encode("utf-8")
    if data and not data.endswith(b"\n"):
        data += b"\n"
    lines = data.count(b"\n")
    found = "".join(str(q) + " .\n" for q in normalised_literals([text]))
    digest = hashlib.sha256(data).hexdigest() if data.count(b" " + graph.encode("utf-8") + b" .\n") == lines else None
    return data, lines, found, digest, (frozenset(map(hash, subjects)) if subjects is not None else subject_hashes(text))


_SUBJECT = re.compile(r"\n([^ ]+)")


def subject_hashes(text: str) -> frozenset:
    """The hashes of the subjects of N-Quads lines (the first term of each: an IRI or a blank
    node label, neither of which holds a space).  ``hash`` is the same in a forked copy."""
    return frozenset(map(hash, _SUBJECT.findall("\n" + text)))


class Subjects:
    """The subjects of the graphs written so far, by hash, while no two graphs share one.  When
    no subject is in the lines of two graphs, no triple is in two graphs, and the build need not
    ask the store (a join of every quad with every other: 7 s and more at 10,000 documents).  A
    shared hash (two subjects may share one) only means the store is asked."""

    def __init__(self) -> None:
        self.seen: set[int] | None = set()

    def add(self, hashes: frozenset | None) -> None:
        """The subjects of one more graph's lines (None: a graph copied without them)."""
        if self.seen is None:
            return
        if hashes is None or not self.seen.isdisjoint(hashes):
            self.seen = None
            return
        self.seen |= hashes

    @property
    def apart(self) -> bool:
        return self.seen is not None


def _map_into(path: Path, extractions: list, corpus, m: Minter, graph_iris: dict[str, str]) -> dict[str, tuple]:
    """Map ``extractions`` into the file ``path``, one graph after the other (in the forked
    mapping process): by document key, the questions asked and where its graph is."""
    done = {}
    with open(path, "wb") as handle:
        for x in extractions:
            view, subjects = Asked(corpus), set()
            data, lines, found, digest, hashes = _encoded(document_quads(x, view, m, subjects), graph_iris[x.doc.key],
                                                          subjects)
            done[x.doc.key] = (view.log, handle.tell(), len(data), lines, digest, found, hashes)
            handle.write(data)
    return done


PARALLEL_FROM = 64  # documents: below this, worker processes cost more than they save


def extract_all(settings: Settings, docs: list, progress: Progress, *, cache: bool) -> list:
    """Extract every document, reading unchanged ones back from the cache, in parallel."""
    store = ExtractionCache(settings.out / "cache" / "extract", code_fingerprint(settings.root)) if cache else None
    found = {doc.key: store.get(doc) for doc in docs} if store else {}
    todo = [doc for doc in docs if found.get(doc.key) is None]
    jobs = settings.jobs or cpu_count()
    parallel = len(todo) >= PARALLEL_FROM and jobs > 1
    if parallel:
        with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            work = extract if store is None else functools.partial(_extract_and_keep, store.folder, store.fingerprint)
            fresh = pool.map(work, todo, chunksize=max(1, len(todo) // (jobs * 8)))
            for n, x in enumerate(fresh, start=1):
                found[x.doc.key] = x
                progress("extract", n, len(todo))
    else:
        for n, doc in enumerate(todo, start=1):
            found[doc.key] = extract(doc)
            progress("extract", n, len(todo))
    if store:
        if not parallel:  # the workers kept theirs
            for doc in todo:
                store.put(found[doc.key])
        store.prune()
    return [found[doc.key] for doc in docs]


def _extract_and_keep(folder: Path, fingerprint: str, doc):
    """A worker's extraction, written to the cache by the worker (not by the parent, which
    would do it one document after the other once every worker is done)."""
    x = extract(doc)
    ExtractionCache(folder, fingerprint).put(x)
    return x


def to_ntriples(nquads: str, graph: str) -> str:
    return nquads.replace(f" {graph} .\n", " .\n")


def validate_compiled(settings: Settings, compiled: Compiled, *, jobs: int | None = None,
                      engine: str = "sparql") -> Report:
    """Validate the compiled graph: with the SPARQL engine over an in-memory Oxigraph store that
    holds every graph (the default), or with pyshacl, document graph by document graph."""
    shapes = load_shapes(settings.shapes)
    jobs = jobs or settings.jobs or cpu_count()
    validator = _sparql_engine(shapes) if engine == "sparql" else None
    if validator is None:
        return _validate_compiled_pyshacl(settings, compiled, shapes, jobs)
    store = load_memory(compiled.chunks())
    return validate_store_sparql(store, settings.shapes, settings.base_iri, jobs=jobs, engine=validator,
                                 normalised=normalised_literals(compiled.chunks()))


def _sparql_engine(shapes_nt: str, warnings: list[str] | None = None):
    """The shapes compiled for the SPARQL engine; None (validate with pyshacl) if they use
    something it does not support, which is said once as a warning."""
    try:
        return compile_shapes(shapes_nt)
    except UnsupportedShape as err:
        note = f"{err.message}; validating with pyshacl instead"
        if warnings is not None:
            warnings.append(note)
        else:
            logging.getLogger("kg.validate").warning("warning: %s", note)
        return None


def _validate_compiled_pyshacl(settings: Settings, compiled: Compiled, shapes: str, jobs: int) -> Report:
    m = compiled.minter
    graphs = {key: to_ntriples(nq, compiled.graph_iris[key]) for key, nq in compiled.documents.items()}
    shared = (to_ntriples(compiled.entities, m.iri("graph/entities"))
              + to_ntriples(compiled.reference, m.iri("graph/reference")))
    graphs["reference"] = shared
    shared += _edition_index(m, sorted(compiled.documents))
    return validate_graphs(graphs, shared, shapes, jobs=jobs)


def _edition_index(m: Minter, keys: list[str]) -> str:
    """Validation context: each document graph may point at other documents (revisions,
    quotation origins); their types live in their own graphs, so state them for the checks."""
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    return "".join(f"{m.doc(k)} {a} <{AKG}Edition> .\n" for k in keys)


def dataset_description(compiled: Compiled, settings: Settings) -> str:
    """VoID and DCAT for the dataset: counts, dumps, licence, version.  No clock time."""
    m = compiled.minter
    q = Quads(m.iri("graph/dataset"))
    d = m.iri("dataset")
    A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    VOID, DCAT, DCT = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    q.add(d, A, f"<{VOID}Dataset>")
    q.add(d, A, f"<{DCAT}Dataset>")
    q.add(d, f"<{DCT}title>", lit("atrocity-kg knowledge graph"))
    q.add(d, f"<{DCT}description>", lit("Documents on atrocity crimes, their signatories, statements and "
                                       "calls to action, each anchored to its source text."))
    q.add(d, f"<{DCT}license>", "<https://creativecommons.org/licenses/by/4.0/>")
    q.add(d, "<http://www.w3.org/2002/07/owl#versionInfo>", lit(__version__))
    q.add(d, f"<{VOID}triples>", integer(compiled.quad_count()))
    q.add(d, f"<{VOID}documents>", integer(len(compiled.documents)))
    q.add(d, f"<{VOID}sparqlEndpoint>", m.iri("sparql"))
    q.add(d, f"<{VOID}uriSpace>", lit(settings.base_iri))
    for vocab in ("https://schema.org/", AKG, "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/prov#",
                  "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/org#"):
        q.add(d, f"<{VOID}vocabulary>", f"<{vocab}>")
    for fmt, (suffix, rdf_format) in sorted(FORMATS.items()):
        dist = m.iri(f"dataset/dump/{fmt}")
        url = m.iri(f"dumps/graph.{suffix}")
        q.add(d, f"<{VOID}dataDump>", url)
        q.add(d, f"<{DCAT}distribution>", dist)
        q.add(dist, A, f"<{DCAT}Distribution>")
        q.add(dist, f"<{DCAT}downloadURL>", url)
        media = rdf_format.media_type if rdf_format else "application/ld+json"
        q.add(dist, f"<{DCAT}mediaType>", lit(media))
    for key in sorted(compiled.documents):
        sub = m.iri(f"dataset/graph/doc/{key}")
        q.add(d, f"<{VOID}subset>", sub)
        q.add(sub, A, f"<{VOID}Dataset>")
        q.add(sub, f"<{VOID}triples>", integer(compiled.quads_of(key)))
        q.add(sub, f"<{DCT}source>", m.doc(key))
        q.add(sub, "<http://www.w3.org/ns/sparql-service-description#name>", compiled.graph_iris[key])
    return q.text()


@dataclass
class BuildResult:
    release: Path
    documents: int
    quads: int
    report: Report
    dumps: dict[str, Path]
    warnings: list[str]
    reused: bool = False  # built on the last release: only the changed graphs were loaded, validated, dumped


def build(settings: Settings, progress: Progress = lambda *_: None, *, wait: float = 0.0,
          full: bool = False) -> BuildResult:
    """Build the graph from the seeds into a new release and swap it in when complete.

    The graph's N-Quads are written into the new release as each graph is mapped (not held in
    memory), then loaded into the release's store and, meanwhile, into an in-memory copy,
    which is validated (the SPARQL engine) and dumped: both read it several times faster than
    the on-disk store.  A graph that does not conform is discarded with the partial release.
    Shapes the SPARQL engine cannot run are checked with pyshacl before anything is written.

    When the last release can be built on (:func:`_incremental`), only the graphs that changed
    are loaded, validated and dumped; ``full`` builds everything from scratch all the same.
    """
    with build_lock(settings.out, wait=wait):
        load_context(settings.ontology / "context.jsonld")  # refuse a broken context before any work
        shapes = load_shapes(settings.shapes)
        warnings: list[str] = []
        validator = _sparql_engine(shapes, warnings)
        if validator is not None:  # the graph is written into the release as it is made
            return _write_release(settings, None, None, progress, validator=validator, warnings=warnings,
                                  full=full)
        compiled = compile_graph(settings, progress, cache=True)
        _stage(progress, "validate")
        report = _validate_compiled_pyshacl(settings, compiled, shapes, settings.jobs or cpu_count())
        _check_conforms(report)
        return _write_release(settings, compiled, report, progress, validator=validator, warnings=warnings)


def _one_graph_each(store: ox.Store, subjects_apart: bool) -> bool:
    """:func:`each_triple_in_one_graph`, the store asked only if the graphs' lines may share a
    subject (:class:`Subjects`)."""
    if subjects_apart:
        return not any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return each_triple_in_one_graph(store)


def _let_go(held: list):
    """A started thread that empties ``held`` (the only references to what it holds left), so
    that what it held is freed there."""
    import threading

    thread = threading.Thread(target=held.clear, name="kg-free", daemon=True)
    thread.start()
    return thread


def _check_conforms(report: Report) -> None:
    if not report.conforms:
        raise NotConforming(f"the graph does not conform: {len(report.violations)} results; "
                            "the previous build is kept", report)


def _write_release(settings: Settings, compiled: Compiled | None, report: Report | None, progress: Progress, *,
                   validator=None, warnings: list[str] | None = None, full: bool = False) -> BuildResult:
    """Load the new release's store, validate it there (unless ``report`` is given), write the
    dumps and swap the release in.  Whatever fails, the partial release is discarded.  Without
    a ``compiled`` graph, the graph is compiled here, straight into the N-Quads dump."""
    partial = new_release(settings.out)
    releasing = None
    try:
        (partial / "dumps").mkdir()
        nquads = partial / "dumps" / f"graph.{FORMATS['nquads'][0]}"
        base = None if full or validator is None else _last_release(settings)
        apart = False  # whether no two graphs' lines share a subject (:class:`Subjects`)
        if compiled is None:
            compiled = compile_graph(settings, progress, cache=True, sink=nquads,
                                     previous=read_mapping(settings, base) if base else None)
            _stage(progress, "load")
            description = dataset_description(compiled, settings)
            normalised = compiled.normalised + normalised_literals([description])
            description += "" if description.endswith("\n") or not description else "\n"
            data = description.encode("utf-8")
            with open(nquads, "ab") as handle:
                at = handle.tell()
                handle.write(data)
            graph = compiled.minter.iri("graph/dataset")
            if compiled.subjects is not None:
                compiled.subjects.add(subject_hashes(description))
                apart = compiled.subjects.apart
                compiled.subjects = None  # a hash per subject: let go before the load
            if compiled.layout is not None and data.count(f" {graph} .\n".encode("utf-8")) == data.count(b"\n"):
                compiled.layout["dataset"] = (graph[1:-1], at, len(data), hashlib.sha256(data).hexdigest())
            else:
                compiled.layout = None
            lines = compiled.quad_count() + description.count("\n")
        else:
            _stage(progress, "load")
            description = dataset_description(compiled, settings)
            normalised = normalised_literals(compiled.chunks())
            lines = compiled.write_nquads(nquads, description)
            compiled.drop_text()
        context = load_context(settings.ontology / "context.jsonld")
        jobs = settings.jobs or cpu_count()
        bases = (segments.basis(context, settings.base_iri), _validation_basis(settings.shapes))
        reuse = None
        if base is not None and compiled.layout is not None:
            reuse = _incremental(settings, base, partial, compiled, nquads, bases, lines=lines, normalised=normalised,
                                 validator=validator, context=context, progress=progress)
        if reuse is not None:
            quads, report, dumps, written = reuse
        else:
            store, memory = _load_twice(partial / "store", nquads, in_memory=lines <= memory_copy_limit())
            quads = len(store)
            view = store if memory is None else memory
            if report is None:
                _stage(progress, "validate")
                report = validate_store_sparql(view, settings.shapes, settings.base_iri, jobs=jobs,
                                               engine=validator, normalised=normalised)
                _check_conforms(report)
            _stage(progress, "dump")
            # The N-Quads file the store was loaded from is the N-Quads dump when it holds each quad
            # once, each as the store holds it; otherwise the store writes it again.
            written = ("nquads",) if lines == quads and not normalised else ()
            separate = None
            if compiled.layout is not None and validator is not None:
                # Graph by graph, from the in-memory copy, or, without one, from each batch of
                # graphs loaded alone; meanwhile, beside the writers, the store is checked for a
                # triple in two graphs (else the dumps are written again from the whole store).
                graphs = _graphs(compiled)
                source = memory if memory is not None else segments.Batches(
                    nquads, {g: (at, length) for g, (at, length, _) in graphs.items()}, sorted(graphs))
                checked: dict[str, bool] = {}
                dumps = _write_segments(settings, partial, compiled, source, None, context, bases,
                                        written=written, report=report,
                                        alongside=lambda: checked.setdefault("separate", _one_graph_each(view, apart)))
                separate = checked["separate"]
                if not separate:
                    (partial / segments.INDEX).unlink()
            if not separate:
                dumps = write_all(view, partial / "dumps", context=context, base_iri=settings.base_iri,
                                  jobs=jobs, written=written, check_separate=separate is None and memory is not None)
            # The in-memory copy takes seconds to free (2.8 s at 10,000 documents): it is let go in
            # a thread, this frame keeping no hold on it.  Oxigraph frees it holding the interpreter
            # lock, so the build waits for it all the same (docs/PERFORMANCE.md, tenth session).
            held = [memory]
            del store, memory, view
            source = None
            releasing = _let_go(held)
        if compiled.mapping is not None and "nquads" in written:  # the file the graphs were mapped into
            save_mapping(settings, partial, compiled, nquads)
        (partial / "report.json").write_text(report.to_json(), encoding="utf-8")
        if (partial / segments.INDEX).is_file():
            segments.seal(partial)
        _stage(progress, "swap")
        release = publish(settings.out, partial, failpoint=failpoint)
    except OSError as err:
        discard(partial)
        if is_disk_full(err):
            raise StoreError(f"{settings.out}: the disk is full; the previous build is kept",
                             hint="free some space and build again") from None
        raise StoreError(f"{settings.out}: cannot write the build: {err.strerror or err}") from None
    except BaseException:
        discard(partial)
        raise
    finally:
        if releasing is not None:
            releasing.join()
    warnings = (warnings or []) + [w for x in compiled.corpus.extractions for w in x.doc.warnings]
    dumps = {fmt: release / "dumps" / path.name for fmt, path in dumps.items()}
    return BuildResult(release, len(compiled.documents), quads, report, dumps, warnings,
                       reused=reuse is not None)


def _validation_basis(folder: Path) -> str:
    """What the results of an unchanged graph depend on besides its quads: the shape files and
    the engine's code."""
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.ttl")):
        h.update(path.name.encode("utf-8") + b"\x1f" + path.read_bytes() + b"\x1f")
    here = Path(__file__).resolve().parent
    for name in ("shacl_sparql.py", "shacl_native.py", "validate.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _graphs(compiled: Compiled) -> dict[str, tuple[int, int, str]]:
    """The graphs of the N-Quads file that hold quads: IRI -> (offset, length, hash)."""
    return {iri: (at, length, digest) for iri, at, length, digest in compiled.layout.values() if length}


def _write_segments(settings: Settings, partial: Path, compiled: Compiled, source, previous, context: dict,
                    bases: tuple[str, str], *, written: tuple[str, ...], report: Report,
                    alongside=None) -> dict[str, Path]:
    """The dumps graph by graph (:mod:`kg.publish.segments`), and the index for the next build."""
    graphs = _graphs(compiled)
    formats = tuple(f for f in segments.SEGMENTED if f not in written)
    # The forked JSON-LD writer makes its own copy of the store's pages it touches: about half
    # of them (at 10,000 and 30,000 documents); it is forked only when all of them would fit.
    held = len(source) if isinstance(source, ox.Store) else source.largest() // NQUADS_BYTES_PER_QUAD
    # When the N-Quads file holds each quad as the store writes it, each graph's N-Triples are its
    # lines there less the graph name: cut from the file rather than written from the store.
    lines = segments.GraphLines(partial / "dumps" / f"graph.{FORMATS['nquads'][0]}",
                                {g: (at, length) for g, (at, length, _) in graphs.items()}) if "nquads" in written else None
    paths, index = segments.write_segmented(
        partial / "dumps", sorted(graphs), source, segments.Segmenter(context, settings.base_iri),
        digests={g: d for g, (_, _, d) in graphs.items()}, previous=previous, formats=formats,
        jobs=settings.jobs or cpu_count(), fork=held * BYTES_PER_QUAD <= available_memory(), alongside=alongside,
        lines=lines, share=JSONLD_HERE)
    index["validation"] = bases[1]
    index["documents"] = {compiled.graph_iris[k][1:-1]: k for k in compiled.documents}
    segments.save_index(partial, index, bases[0])
    return {fmt: partial / "dumps" / f"graph.{suffix}" for fmt, (suffix, _) in FORMATS.items()}


JSONLD_HERE = 0.2
"""The share of the JSON-LD the build writes itself, once its other dumps are written, beside the
forked JSON-LD writer (which would otherwise write it all while this process waits): the dumps of
the 10,000-document in-memory copy took 18.5-18.7 s with 0.2 against 22.2-23.9 s with none, 21-22 s
with 0.25 and 0.3 (the same bytes)."""

REBUILD_SHARE = 0.5
"""A build reloads everything when more than this share of the quads changed since the last one."""

VALIDATION_INDEX = "urn:kg:validation:editions"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _incremental(settings: Settings, previous_release: Path, partial: Path, compiled: Compiled, nquads: Path,
                 bases: tuple[str, str], *, lines: int, normalised: list, validator, context: dict, progress: Progress):
    """Build on the last release, when it has segments of the same basis, a report from the same
    shapes, and most of its graphs are unchanged: its store is copied (hard links) and the changed
    graphs replaced in it; only they and the shared graphs are validated, each document with the
    shared graphs, as the reference engine validates them (the results of the others are the
    last report's); the dumps copy the segments of the unchanged graphs.  None when this cannot
    be done (then the build starts from scratch): the store it started is removed."""
    previous = segments.read_index(previous_release, bases[0])
    last_report = _read_report(previous_release / "report.json")
    if previous is None or last_report is None or previous.extra.get("validation") != bases[1]:
        return None
    graphs = _graphs(compiled)
    changed = sorted(g for g, (_, _, digest) in graphs.items() if previous.reusable(g, digest) is None)
    removed = sorted(set(previous.graphs) - set(graphs))
    name_of = {iri: name for name, (iri, *_rest) in compiled.layout.items()}
    changed_quads = sum(compiled.counts.get(name_of[g], 0) for g in changed)
    if changed_quads > REBUILD_SHARE * max(1, compiled.quad_count()):
        return None
    store_path = partial / "store"
    try:
        with open(nquads, "rb") as handle:
            def text(iris) -> bytes:
                out = []
                for iri in iris:
                    at, length, _ = graphs[iri]
                    handle.seek(at)
                    out.append(handle.read(length))
                return b"".join(out)

            fresh = text(changed)
            doc_prefix = compiled.minter.iri("graph/doc/")[1:-1]
            shared = [g for g in sorted(graphs) if not g.startswith(doc_prefix)]
            context_text = text(g for g in shared if g not in changed)
        try:
            copy_store(previous_release / "store", store_path)
        except (OSError, RuntimeError) as err:  # a damaged or vanished store: built from scratch
            if is_disk_full(err):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(store_path)) from None
            discard(store_path)
            return None
        try:
            store = ox.Store(str(store_path))
            for graph in changed + removed:
                store.remove_graph(ox.NamedNode(graph))
            if fresh:
                store.bulk_load(fresh, format=ox.RdfFormat.N_QUADS)
            store.flush()
            separate = _no_triple_in_two_graphs(store, changed)
            quads = len(store)
            del store
        except (OSError, RuntimeError) as err:
            if is_disk_full(err):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(store_path)) from None
            if not is_store_failure(err):
                raise
            separate = False  # a damage the checksums did not show: built from scratch
        if not separate:
            discard(store_path)
            return None

        _stage(progress, "validate")
        keys = {compiled.graph_iris[k][1:-1]: k for k in compiled.documents}
        changed_docs = {keys[g] for g in changed if g in keys}
        gone_docs = set(previous.extra.get("documents", {}).get(g, "") for g in removed) - {""}
        editions = _edition_index(compiled.minter, sorted(compiled.documents)).replace(" .\n", f" <{VALIDATION_INDEX}> .\n")
        checked = ox.Store()
        checked.bulk_load(fresh + context_text + editions.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        loaded = set(changed) | set(shared)
        results = validate_store_sparql(checked, settings.shapes, settings.base_iri, jobs=settings.jobs or cpu_count(),
                                        engine=validator,
                                        normalised=[q for q in normalised if q.graph_name.value in loaded])
        found = [v for v in results.violations
                 if v.source in changed_docs or (v.source == "reference" and not _other_document(checked, v.focus))]
        kept = [v for v in last_report.violations if v.source not in changed_docs | gone_docs | {"reference"}]
        report = Report(violations=sorted(set(found + kept), key=lambda v: (v.source, v.focus, v.path or "", v.message)),
                        sources=sorted(list(compiled.documents) + ["reference"]))
        _check_conforms(report)

        _stage(progress, "dump")
        written = ("nquads",) if lines == quads and not normalised else ()
        checked.remove_graph(ox.NamedNode(VALIDATION_INDEX))
        dumps = _write_segments(settings, partial, compiled, checked, previous, context, bases,
                                written=written, report=report)
        return quads, report, dumps, written
    except BaseException:
        discard(store_path)
        raise


def copy_store(source: Path, target: Path) -> None:
    """A copy of an on-disk store that shares its table files (hard links, when on one file
    system): RocksDB never changes a table file once written."""
    ox.Store.read_only(str(source)).backup(str(target))


def _no_triple_in_two_graphs(store: ox.Store, changed: list[str]) -> bool:
    """Whether the store, whose unchanged graphs shared no triple, still has no triple in two
    graphs and nothing in the default graph (what a build from scratch checks on all of it)."""
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        return False
    for k in range(0, len(changed), 256):
        values = " ".join(f"<{g}>" for g in changed[k:k + 256])
        if store.query(f"ASK {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                       "GRAPH ?h { ?s ?p ?o } FILTER (?g != ?h) }"):
            return False
    return True


def _other_document(store: ox.Store, focus: str) -> bool:
    """Whether a node is a document whose graph was not validated: typed by the edition index
    (were its graph loaded, its results would be its document's, not the shared graphs')."""
    if focus.startswith("_:"):
        return False
    index = ox.NamedNode(VALIDATION_INDEX)
    return any(True for _ in store.quads_for_pattern(ox.NamedNode(focus), _RDF_TYPE, None, index))


def _read_report(path: Path) -> Report | None:
    """The report a release was built with, or None when it cannot be read back."""
    from .validate import Violation

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        violations = [Violation(**{**v, "span": tuple(v["span"]) if v.get("span") else None})
                      for found in data["violations"].values() for v in found]
        return Report(violations=violations, sources=list(data["graphs"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


MEMORY_COPY_MAX_QUADS: int | None = None
"""Up to this many quads the graph is validated and dumped from an in-memory copy; above it, from
the on-disk store (validation) and from each batch of graphs loaded alone (dumps), slower but in
bounded memory.  None (the default): as many as fit in :data:`MEMORY_COPY_SHARE` of the memory
available when the store is loaded, at :data:`BYTES_PER_QUAD` each.  Either way the release is
the same, byte for byte (tests/test_pipeline.py): only the time and memory differ."""

BYTES_PER_QUAD = 420
"""What the in-memory copy takes per quad, with a margin: 10,000 generated letters, 7.28M quads,
took 2.55 GiB once loaded (367 bytes a quad) and 2.95 GiB at the peak of the load."""

MEMORY_COPY_SHARE = 0.6
NQUADS_BYTES_PER_QUAD = 200  # at least: 254 in the 10,000 generated letters' N-Quads file


def memory_copy_limit() -> int:
    """The most quads an in-memory copy may hold on this machine now (:data:`MEMORY_COPY_MAX_QUADS`)."""
    if MEMORY_COPY_MAX_QUADS is not None:
        return MEMORY_COPY_MAX_QUADS
    return int(available_memory() * MEMORY_COPY_SHARE) // BYTES_PER_QUAD


def _load_twice(store_path: Path, nquads: Path, *, in_memory: bool = True):
    """The release's on-disk store (:func:`load_nquads`, in a thread: pyoxigraph releases the
    GIL while it loads) and, meanwhile, an in-memory copy (:func:`load_memory`; None when not
    ``in_memory``), both loaded from the N-Quads file and both complete."""
    import threading

    done: dict = {}

    def on_disk() -> None:
        try:
            # the in-memory copy, when there is one, checks the file's syntax in full
            done["store"] = load_nquads(store_path, nquads, lenient=in_memory)
        except BaseException as err:  # noqa: BLE001 - raised again in the caller's thread
            done["error"] = err

    worker = threading.Thread(target=on_disk, name="kg-load", daemon=True)
    worker.start()
    try:
        memory = load_memory(nquads) if in_memory else None
    finally:
        worker.join()
    if "error" in done:
        raise done["error"]
    return done["store"], memory


def validate_store(settings: Settings, *, engine: str = "sparql") -> Report:
    """Validate the graphs of the current built store: all at once with the SPARQL engine, or
    document graph by document graph with pyshacl."""
    from .store import open_store

    store = open_store(settings.out)
    shapes = load_shapes(settings.shapes)
    jobs = settings.jobs or cpu_count()
    validator = _sparql_engine(shapes) if engine == "sparql" else None
    if validator is not None:
        return validate_store_sparql(store, settings.shapes, settings.base_iri, jobs=jobs, engine=validator)
    m = Minter(settings.base_iri)
    prefix = m.iri("graph/doc/")[1:-1]
    nt = lambda g: store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g).decode("utf-8")  # noqa: E731
    graphs = {g.value[len(prefix):]: nt(g) for g in store.named_graphs() if g.value.startswith(prefix)}
    shared = nt(ox.NamedNode(m.iri("graph/entities")[1:-1])) + nt(ox.NamedNode(m.iri("graph/reference")[1:-1]))
    graphs["reference"] = shared
    shared += _edition_index(m, sorted(k for k in graphs if k != "reference"))
    return validate_graphs(graphs, shared, shapes, jobs=jobs)
