"""Dumps written graph by graph, so that a rebuild copies what an unchanged graph wrote before.

When no triple is in two named graphs and the default graph is empty (the build's case,
:func:`kg.publish.dumps.each_triple_in_one_graph`), every dump is a header, one part per named
graph (a *segment*) in the order of the graph IRIs, and a footer:

- N-Triples: the graph's N-Triples; N-Quads: the same lines with the graph name;
- Turtle: the graph's Turtle less the prefix lines, which are written once, at the top;
- TriG: the same Turtle as the graph's block, each line indented by a tab;
- JSON-LD: the graph's object in the ``@graph`` array (:func:`kg.publish.dumps.write_jsonld`).

Oxigraph's in-memory store writes a graph's quads in an order set by the order they were loaded
in, whatever else the store holds; the build loads each graph's N-Quads as they were mapped, one
graph after the other, so a graph's segments depend on its N-Quads text, the prefixes and the
code (pyoxigraph's version included), and on nothing else.
A release records, for every graph, a hash of its quads and where its segments are in each file
(:data:`INDEX`, beside ``dumps/``); the next build copies the segments of each graph whose hash it
finds again and writes only the others (:func:`write_segmented`).  What it writes is byte for
byte what a build from scratch writes (``tests/test_incremental.py``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..procs import CAN_FORK, Forked
from .dumps import FORMATS, Compactor, _jsonld, each_in_threads, graph_nodes, prefixes_of

INDEX = "segments.json"
VERSION = 1
SEGMENTED = ("ntriples", "nquads", "turtle", "trig", "jsonld")
# The formats written from one serialisation of each graph, together (one thread each).
FAMILIES = (("jsonld",), ("turtle", "trig"), ("ntriples", "nquads"))
_PROBE = ox.Triple(ox.NamedNode("urn:kg:probe:s"), ox.NamedNode("urn:kg:probe:p"), ox.NamedNode("urn:kg:probe:o"))


def basis(context: dict, base_iri: str | None) -> str:
    """What every segment depends on besides its graph's quads: the prefixes, pyoxigraph and the
    code that writes the dumps (the C writer's source too, built or not: it writes the same
    bytes as the Python one).  Segments of a release with another basis are not reused."""
    h = hashlib.sha256(f"{VERSION}\x1f{ox.__version__}\x1f{base_iri}\x1f".encode())
    h.update(json.dumps(context, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    here = Path(__file__).resolve().parent
    for name in ("dumps.py", "segments.py", "_jsonld.c"):
        h.update((here / name).read_bytes() if (here / name).is_file() else name.encode())
    return h.hexdigest()


@dataclass
class Previous:
    """The segments of the last release: its dump files and, by graph IRI, the hash of the
    graph's quads and each format's (offset, length)."""

    paths: dict[str, Path]
    graphs: dict[str, dict]
    extra: dict  # what else the index holds (the caller's entries)

    def reusable(self, graph: str, digest: str) -> dict | None:
        found = self.graphs.get(graph)
        return found if found is not None and found.get("hash") == digest else None


def read_index(release: Path, expected_basis: str) -> Previous | None:
    """The previous release's segments, or None when there are none to reuse (no index, another
    basis, a damaged index, a dump file missing or of another size): a build from scratch then."""
    try:
        data = json.loads((release / INDEX).read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("basis") != expected_basis:
            return None
        paths = {fmt: release / "dumps" / name for fmt, name in data["files"].items()}
        for fmt, path in paths.items():
            if fmt not in SEGMENTED or path.stat().st_size != data["sizes"][fmt]:
                return None
        graphs = data["graphs"]
        if not isinstance(graphs, dict):
            return None
        return Previous(paths, graphs, {k: v for k, v in data.items() if k not in ("graphs", "files", "sizes")})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


class Segmenter:
    """Each format's segment of one graph of an in-memory store."""

    def __init__(self, context: dict, base_iri: str | None = None, *, compiled: bool = True) -> None:
        """``compiled``: the JSON-LD written by ``kg/publish/_jsonld.c`` when it is built (which
        :attr:`compiled` then says), else in Python."""
        self.compiled = compiled and _jsonld is not None
        prefixes = prefixes_of(context)
        if base_iri:
            prefixes = {k: v for k, v in prefixes.items() if v != base_iri}
        self.prefixes = prefixes
        self.context = context
        self.compactor = Compactor(context)
        probe = ox.serialize([_PROBE], None, ox.RdfFormat.TURTLE, prefixes=prefixes)
        self.header = probe[: probe.index(b"<urn:kg:probe:s>")]

    def headers(self) -> dict[str, bytes]:
        opening = '{"@context": ' + json.dumps(self.context, ensure_ascii=False, sort_keys=True) + ',\n "@graph": ['
        return {"ntriples": b"", "nquads": b"", "turtle": self.header, "trig": self.header,
                "jsonld": opening.encode("utf-8")}

    FOOTERS = {"ntriples": b"", "nquads": b"", "turtle": b"", "trig": b"", "jsonld": b"\n]}\n"}
    SEPARATORS = {"ntriples": b"", "nquads": b"", "turtle": b"", "trig": b"", "jsonld": b","}

    def family(self, store: ox.Store, graph: str, formats: tuple[str, ...],
               lines: "GraphLines | None" = None) -> dict[str, bytes]:
        """The segments of ``graph`` in ``formats`` (formats of one of :data:`FAMILIES`); only
        those asked for are made (the build has its N-Quads already).  With ``lines``, the
        N-Triples are the graph's lines of the build's N-Quads file, less the graph name, and
        the JSON-LD is made from them, in their order."""
        if lines is not None and formats == ("ntriples",):
            return {"ntriples": lines.ntriples(graph)}
        node = ox.NamedNode(graph)
        if "jsonld" in formats:  # from the same lines as the N-Triples, when they are cut
            return {"jsonld": self.jsonld(store, node, None if lines is None else lines.ntriples(graph))}
        out = {}
        if "turtle" in formats or "trig" in formats:
            text = store.dump(format=ox.RdfFormat.TURTLE, from_graph=node, prefixes=self.prefixes)
            if not text.startswith(self.header):
                raise ValueError(f"{graph}: the Turtle writer did not start with the prefixes")
            body = text[len(self.header):]
            if "turtle" in formats:
                out["turtle"] = body
            if "trig" in formats:
                out["trig"] = b"<" + graph.encode("utf-8") + b"> {\n" + (b"\t" + body.replace(b"\n", b"\n\t"))[:-1] + b"}\n"
            return out
        lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
        if "ntriples" in formats:
            out["ntriples"] = lines
        if "nquads" in formats:
            # A line of N-Triples ends with " .\n" and nothing else does: a literal's line breaks are escaped.
            out["nquads"] = lines.replace(b" .\n", b" <" + graph.encode("utf-8") + b"> .\n")
        return out

    def jsonld(self, store: ox.Store, graph: ox.NamedNode, text: bytes | None = None) -> bytes:
        """The graph's JSON-LD segment, from its N-Triples ``text`` when given, else the store's."""
        head = '\n  {"@id": ' + json.dumps(self.compactor.iri(graph.value)) + ', "@graph": ['
        nodes = graph_nodes(store, graph, self.compactor, compiled=self.compiled, text=text)
        parts = [head.encode("utf-8"), *nodes, b"\n  ]}"]
        return b"".join(parts)


class GraphLines:
    """Each graph's lines of an N-Quads file in which every graph's quads are one range of
    lines (``layout``: graph -> offset, length), each line as the store writes it: the file a
    build maps its graphs into, when no literal of it is stored in another form."""

    KEPT = 64  # graphs whose N-Triples are kept for their second reader

    def __init__(self, nquads: Path, layout: dict[str, tuple[int, int]]) -> None:
        import threading

        self.nquads, self.layout = nquads, layout
        # The N-Triples and the JSON-LD writers (two threads) each ask for every graph: the
        # first one's answer is kept for the second (the last KEPT graphs; a graph asked for
        # again after that is cut again).
        self.kept: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def ntriples(self, graph: str) -> bytes:
        """The graph's lines less the graph name: its N-Triples, in the order of the file.  A line
        ends with " <graph> .\n" and nothing else in it does (a literal's line breaks are escaped)."""
        with self.lock:
            found = self.kept.pop(graph, None)
        if found is not None:
            return found
        data = self._cut(graph)
        with self.lock:
            self.kept[graph] = data
            while len(self.kept) > self.KEPT:
                del self.kept[next(iter(self.kept))]
        return data

    def _cut(self, graph: str) -> bytes:
        offset, length = self.layout[graph]
        with open(self.nquads, "rb") as handle:
            data = os.pread(handle.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"{self.nquads}: shorter than the build wrote it")
        ending = b" <" + graph.encode("utf-8") + b"> .\n"
        if data.count(b"\n") != data.count(ending):
            raise ValueError(f"{graph}: the N-Quads file holds lines of another graph where this one's are")
        return data.replace(ending, b" .\n")


class Appender:
    """A file written by appending parts: fresh bytes, or ranges copied from a file of the
    previous release, or from another file (:meth:`also_from`), in the kernel, contiguous ranges
    at once."""

    def __init__(self, path: Path, source: Path | None) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.sources: list[int] = []
        self.source = self.also_from(source) if source is not None else None
        self.position = 0
        self.pending: tuple[int, int, int] | None = None  # (source, offset in it, length)

    def also_from(self, path: Path) -> int:
        """Open ``path`` as one more file to copy from: the ``source`` to give :meth:`copy`."""
        fd = os.open(path, os.O_RDONLY)
        self.sources.append(fd)
        return fd

    def write(self, data: bytes) -> int:
        self._flush()
        at = self.position
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        self.position += len(data)
        return at

    def copy(self, offset: int, length: int, source: int | None = None) -> int:
        """Append ``length`` bytes at ``offset`` of ``source`` (the previous release's file by
        default); where the copy starts."""
        source = self.source if source is None else source
        at = self.position
        if self.pending and self.pending[0] == source and self.pending[1] + self.pending[2] == offset:
            self.pending = (source, self.pending[1], self.pending[2] + length)
        else:
            self._flush()
            self.pending = (source, offset, length)
        self.position += length
        return at

    def moved_to(self, position: int) -> None:
        """Another process (sharing this open file) appended up to ``position``, pending copies
        included."""
        self.pending, self.position = None, position

    def flush(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        source, offset, length = self.pending
        self.pending = None
        while length:
            try:
                done = os.copy_file_range(source, self.fd, length, offset)
            except OSError:
                done = 0
            if not done:  # not supported here, or the source shrank: read and write
                data = os.pread(source, min(length, 1 << 24), offset)
                if not data:
                    raise OSError(f"{source}: the file copied from is shorter than its index says")
                done = len(data)
                view = memoryview(data)
                while view:
                    view = view[os.write(self.fd, view):]
            offset += done
            length -= done

    def close(self) -> None:
        try:
            self._flush()
        finally:
            os.close(self.fd)
            for fd in self.sources:
                os.close(fd)

    def __enter__(self) -> "Appender":
        return self

    def __exit__(self, *_) -> None:
        self.close()


def write_segmented(folder: Path, graphs: list[str], store_of, segmenter: Segmenter, *,
                    digests: dict[str, str], previous: Previous | None = None,
                    formats: tuple[str, ...] = SEGMENTED, jobs: int = 2,
                    name: str = "graph", fork: bool = True, alongside=None,
                    lines: GraphLines | None = None, share: float = 0.0) -> tuple[dict[str, Path], dict]:
    """Write the dumps in ``formats`` into ``folder``, graph by graph in the order of
    ``graphs`` (sorted IRIs): the segments of a graph whose digest ``previous`` holds are copied
    from its files, the others written from an in-memory store that holds the graph.

    ``store_of`` is that store (one for every graph), or a :class:`Batches`: the graphs are then
    written batch by batch, each batch's graphs loaded into a store of their own, so that the
    memory needed is one batch's.  Returns the paths and the index to save (:func:`save_index`).
    With ``fork`` (and ``jobs`` > 1, on Linux, and the JSON-LD written in Python: not
    ``segmenter.compiled``), the JSON-LD segments are written by a forked copy of the process,
    the other formats' in threads meanwhile.  ``alongside``, when given, is
    called once, in those threads after the other formats of the first batch (the forked
    writer is then the longest): work that only reads, which would otherwise run before or
    after the dumps (the caller keeps what it returns).  With ``lines`` (:class:`GraphLines`),
    the N-Triples segments are cut from the N-Quads file, not written from the store.  With a
    ``share`` (0 to 1) and the JSON-LD forked, this process writes that share of each batch's
    JSON-LD (its last graphs) once its other formats are written, into a file of its own that is
    then copied in after the forked writer's part."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {fmt: folder / f"{name}.{FORMATS[fmt][0]}" for fmt in formats}
    headers = segmenter.headers()
    places: dict[str, dict[str, list[int]]] = {fmt: {} for fmt in formats}
    families = [tuple(f for f in family if f in formats) for family in FAMILIES]
    families = [(family, wanted) for family, wanted in zip(FAMILIES, families) if wanted]
    # The N-Triples and JSON-LD of a graph are in the order of the N-Quads file's lines when they
    # are made from them, else in the store's: a segment made the other way is not reused.
    remade = {"ntriples", "jsonld"} if previous is not None and previous.extra.get("lines", False) != (
        lines is not None) else set()
    reusable = lambda graph: (None if previous is None else  # noqa: E731
                              _without(previous.reusable(graph, digests[graph]), remade))
    fresh_formats = lambda old: old is None or any(f not in old or f not in previous.paths  # noqa: E731
                                                   for f in formats)
    outputs = {}
    side = folder / f".{name}.jsonld.part"
    try:
        for f in formats:
            outputs[f] = Appender(paths[f], previous.paths.get(f) if previous else None)
            outputs[f].write(headers[f])
        pending = [alongside] if alongside is not None else []
        batches = store_of if isinstance(store_of, Batches) else Batches.one(store_of, graphs)
        first = graphs[0] if graphs else None
        for batch, store in batches.loaded([g for g in graphs if fresh_formats(reusable(g))]):
            def run(item, batch=batch, store=store, into=outputs, where=places) -> None:
                _, wanted = item
                for graph in batch:
                    old = reusable(graph)
                    fresh = None
                    if old is None or any(f not in old or f not in previous.paths for f in wanted):
                        fresh = segmenter.family(store, graph, wanted, lines)
                    for f in wanted:
                        if graph != first and segmenter.SEPARATORS[f]:
                            into[f].write(segmenter.SEPARATORS[f])
                        if fresh is None:
                            offset, length = old[f]
                            where[f][graph] = [into[f].copy(offset, length), length]
                        else:
                            where[f][graph] = [into[f].write(fresh[f]), len(fresh[f])]

            # The JSON-LD writer in Python would hold the interpreter lock the other writers'
            # threads need: without the compiled one, it runs in a forked copy of the process (at
            # 10,000 letters it alone took 21 s of the 34 s the dumps took), appending to its file
            # through the same open file, and says where each graph's segment went and where the
            # file ends.  The compiled writer lets go of the lock: it runs in a thread.
            forked = ([item for item in families if item[0] == ("jsonld",)]
                      if fork and jobs > 1 and CAN_FORK and not segmenter.compiled else [])
            # the forked writer takes the batch's first graphs; the last ``share`` of them are
            # written here, once this process's other formats are
            cut = len(batch) - int(len(batch) * share) if forked and 0 < share < 1 else len(batch)
            child = Forked(functools.partial(_forked_family, functools.partial(run, batch=batch[:cut]), forked[0],
                                             outputs["jsonld"], places["jsonld"]),
                           "the JSON-LD writer process") if forked else None
            items = [item for item in families if item not in forked] + pending
            pending = []
            mine: dict = {"jsonld": {}}
            try:
                each_in_threads(lambda item: item() if callable(item) else run(item), items,
                                max(1, jobs - len(forked)))
                if cut < len(batch):
                    with Appender(side, previous.paths.get("jsonld") if previous else None) as tail:
                        run(forked[0], batch=batch[cut:], into={"jsonld": tail}, where=mine)
                        tail.flush()
                        length = tail.position
            except BaseException:
                if child is not None:
                    child.kill()
                raise
            if child is not None:
                position, written = child.join()
                places["jsonld"].update(written)
                outputs["jsonld"].moved_to(position)
            if cut < len(batch):  # this process's part, after the forked writer's
                at = outputs["jsonld"].copy(0, length, outputs["jsonld"].also_from(side))
                outputs["jsonld"].flush()  # now: the next batch writes the file again
                places["jsonld"].update({g: [at + offset, size] for g, (offset, size) in mine["jsonld"].items()})
        for work in pending:  # no graph was written
            work()
        for f in formats:
            outputs[f].write(segmenter.FOOTERS[f])
    finally:
        try:
            for out in outputs.values():
                out.close()
        finally:
            side.unlink(missing_ok=True)
    index = {"graphs": {g: {"hash": digests[g], **{f: places[f][g] for f in formats}} for g in graphs},
             "files": {f: paths[f].name for f in formats},
             "sizes": {f: paths[f].stat().st_size for f in formats},
             "lines": lines is not None}
    return paths, index


def _without(old: dict | None, formats: set[str]) -> dict | None:
    return old if old is None or not formats else {k: v for k, v in old.items() if k not in formats}


def _forked_family(run, item, appender: Appender, places: dict) -> tuple[int, dict]:
    """In the forked writer: write ``item``'s segments, and say where the file now ends and
    where each new segment is."""
    before = set(places)
    run(item)
    appender.flush()
    return appender.position, {g: places[g] for g in set(places) - before}


CHECKSUM_THREADS = 2


def checksums(release: Path) -> dict[str, list[int]]:
    """Size and CRC-32 of each file a later build may reuse: the dumps and the store's table
    files (``*.sst``, which RocksDB never changes once written), by path in the release."""
    import zlib

    def checksum(path: Path) -> list[int]:
        crc, size = 0, 0
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 24), b""):
                crc, size = zlib.crc32(block, crc), size + len(block)
        return [size, crc]

    files = sorted((release / "dumps").glob("*")) + sorted((release / "store").glob("*.sst"))
    # zlib and the reads let go of the interpreter lock: the files are summed two at a time,
    # the largest first (7.3 GB at 10,000 documents: 2.4 s in one thread).
    found: dict[str, list[int]] = {}
    each_in_threads(lambda path: found.__setitem__(path.relative_to(release).as_posix(), checksum(path)),
                    sorted(files, key=lambda path: -path.stat().st_size), CHECKSUM_THREADS)
    return dict(sorted(found.items()))


def seal(release: Path) -> None:
    """Add the checksums of the release's files to its index (the last step before it is
    published), so that the next build reuses them only when they are intact (:func:`intact`)."""
    path = release / INDEX
    data = json.loads(path.read_text(encoding="utf-8"))
    data["checksums"] = checksums(release)
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")


def intact(release: Path) -> bool:
    """Whether every file the release's index has a checksum for is there, of the same size and
    CRC, and no table file of its store is missing or extra: a damaged release is not built on."""
    try:
        recorded = json.loads((release / INDEX).read_text(encoding="utf-8"))["checksums"]
        tables = {p.relative_to(release).as_posix() for p in (release / "store").glob("*.sst")}
        if tables != {k for k in recorded if k.startswith("store/")}:
            return False
        now = checksums(release)
        return all(now.get(name) == list(value) for name, value in recorded.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


BATCH_BYTES = 1 << 28  # of N-Quads a batch of graphs is loaded from: about 1 GiB in memory


class Batches:
    """The graphs in batches of about ``size`` bytes of N-Quads, each loaded from the file the
    build mapped them into (``layout``: graph -> offset, length) into an in-memory store of its
    own when its graphs are written: the order in which a graph's quads are loaded, and so its
    segments, are those of a store that holds every graph."""

    def __init__(self, nquads: Path, layout: dict[str, tuple[int, int]], graphs: list[str], size: int | None = None):
        size = size or BATCH_BYTES
        self.nquads, self.layout, self.size = nquads, layout, size
        self.batches: list[list[str]] = []
        held = size
        for graph in graphs:
            if held >= size:
                self.batches.append([])
                held = 0
            self.batches[-1].append(graph)
            held += layout[graph][1]
        self.store = None

    def largest(self) -> int:
        """The bytes of N-Quads of the largest batch."""
        return max((sum(self.layout[g][1] for g in batch) for batch in self.batches), default=0)

    @classmethod
    def one(cls, store: ox.Store, graphs: list[str]) -> "Batches":
        batches = cls.__new__(cls)
        batches.batches, batches.store = [list(graphs)] if graphs else [], store
        return batches

    def loaded(self, wanted: list[str]):
        """Each batch and a store holding those of its graphs in ``wanted`` (the others are
        copied, not written: a batch with none of them is not loaded)."""
        wanted_set = set(wanted)
        for batch in self.batches:
            if self.store is not None:
                yield batch, self.store
                continue
            store = ox.Store()
            needed = [g for g in batch if g in wanted_set]
            if needed:
                parts = []
                with open(self.nquads, "rb") as handle:
                    for graph in needed:
                        offset, length = self.layout[graph]
                        handle.seek(offset)
                        parts.append(handle.read(length))
                store.bulk_load(b"".join(parts), format=ox.RdfFormat.N_QUADS)
                del parts
            yield batch, store
            del store


def save_index(release: Path, index: dict, expected_basis: str) -> None:
    """Write the index of a release's segments (``INDEX``), for the next build to reuse them."""
    data = {"version": VERSION, "basis": expected_basis, **index}
    (release / INDEX).write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
