"""The dump writers on stores made for the purpose: the fast paths of the triples formats (no
triple in two graphs) and their fallback, and the JSON-LD writer's batches."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.publish.dumps import dump, each_triple_in_one_graph, write_all

X = "http://x.org/"
CONTEXT = {"x": X, "schema": "https://schema.org/", "xsd": "http://www.w3.org/2001/XMLSchema#",
           "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def _store(nquads: str) -> ox.Store:
    store = ox.Store()
    store.load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def _awkward(graphs: int = 3, nodes: int = 3000, blanks: bool = True) -> str:
    """Graphs of many nodes with every kind of term, and literals that look like TriG's graph
    blocks and N-Quads lines once their line breaks are read."""
    lines = []
    for g in range(graphs):
        for n in range(nodes if g == 0 else 40):
            s = f"<{X}g{g}/n{n}>"
            graph = f"<{X}graph/{g}>"
            lines += [
                f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Thing> {graph} .",
                f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> \"odd type\" {graph} .",
                f'{s} <https://schema.org/name> "n{n}\\n}}\\n<{X}graph/9> {{\\n\\t<{X}a> <{X}b> <{X}c> <{X}d> ." {graph} .',
                f'{s} <https://schema.org/alternateName> "nom {n}"@fr {graph} .',
                f'{s} <https://schema.org/position> "{n}"^^<http://www.w3.org/2001/XMLSchema#integer> {graph} .',
            ]
            if blanks:
                lines += [f"{s} <https://schema.org/about> _:b{g}x{n} {graph} .",
                          f'_:b{g}x{n} <https://schema.org/text> "blank {n}" {graph} .']
    return "\n".join(lines) + "\n"


def _triples(data: bytes, fmt: ox.RdfFormat) -> list:
    return [q.triple for q in ox.parse(data, format=fmt)]


def _union(store: ox.Store) -> set:
    return {q.triple for q in store}


def test_triples_formats_from_the_quads_formats_hold_the_union_each_triple_once():
    store = _store(_awkward())
    assert each_triple_in_one_graph(store)
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        out, slow = io.BytesIO(), io.BytesIO()
        dump(store, fmt, out, context=CONTEXT, separate=True)
        dump(store, fmt, slow, context=CONTEXT)  # from a CONSTRUCT of the union
        got = _triples(out.getvalue(), rdf_format)
        assert len(_triples(slow.getvalue(), rdf_format)) == len(got)
        # blank nodes are relabelled by the parser: compare the ground triples and the counts
        assert len(got) == len(store), fmt
        ground = lambda ts: {t for t in ts if not any(isinstance(x, ox.BlankNode) for x in t)}  # noqa: E731
        assert ground(got) == ground(_union(store)), fmt
    out = io.BytesIO()
    dump(store, "turtle", out, context=CONTEXT, separate=True)
    text = out.getvalue().decode("utf-8")
    assert "{\n" not in text and "\n}" not in text  # no graph block is left
    assert text.startswith("@prefix ")


def test_a_triple_in_two_graphs_is_written_once_in_the_triples_formats(tmp_path):
    store = _store(f"<{X}a> <{X}p> <{X}b> <{X}g1> .\n<{X}a> <{X}p> <{X}b> <{X}g2> .\n<{X}a> <{X}q> \"1\" <{X}g2> .\n")
    assert not each_triple_in_one_graph(store)
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        out = io.BytesIO()
        write_all(store, Path(tmp_path), context=CONTEXT, jobs=1)  # checks, and takes the union
        out.write((Path(tmp_path) / f"graph.{'ttl' if fmt == 'turtle' else 'nt'}").read_bytes())
        got = _triples(out.getvalue(), rdf_format)
        assert sorted(map(str, got)) == sorted(map(str, _union(store))), fmt


def test_a_default_graph_triple_keeps_the_union_path(tmp_path):
    store = _store(f"<{X}a> <{X}p> <{X}b> .\n<{X}a> <{X}p> <{X}c> <{X}g1> .\n")
    assert not each_triple_in_one_graph(store)
    write_all(store, tmp_path, context=CONTEXT, jobs=1, written=("jsonld",))
    assert len(_triples((tmp_path / "graph.nt").read_bytes(), ox.RdfFormat.N_TRIPLES)) == 1  # the named graphs' union


def test_jsonld_in_batches_is_the_same_dataset_and_each_node_once(tmp_path):
    store = _store(_awkward(graphs=2, nodes=5000))  # more nodes in a graph than one batch holds
    paths = write_all(store, tmp_path, context=CONTEXT, jobs=1)
    data = json.loads(paths["jsonld"].read_text(encoding="utf-8"))
    graphs = data["@graph"]
    assert [g["@id"] for g in graphs] == ["x:graph/0", "x:graph/1"]
    ids = [n["@id"] for n in graphs[0]["@graph"]]
    assert len(ids) == len(set(ids)) == 10000  # 5,000 named nodes and 5,000 blank ones
    node = next(n for n in graphs[0]["@graph"] if n["@id"] == "x:g0/n7")
    assert node["@type"] == ["schema:Thing"]
    assert node["rdf:type"] == ["odd type"]  # a literal type stays a value of rdf:type
    assert node["schema:position"] == [{"@value": "7", "@type": "xsd:integer"}]
    assert node["schema:alternateName"] == [{"@value": "nom 7", "@language": "fr"}]
    parsed = list(ox.parse(path=str(paths["jsonld"]), format=ox.RdfFormat.JSON_LD))
    assert len(parsed) == len(store)
    ground = lambda qs: {q for q in qs if not any(isinstance(x, ox.BlankNode) for x in q)}  # noqa: E731
    assert ground(parsed) == ground(store)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "trig", "jsonld"])
def test_each_dump_is_byte_identical_when_written_again(tmp_path, fmt):
    written = []
    for run in range(2):
        store = _store(_awkward(graphs=3, nodes=200, blanks=False))  # a blank node's label is the store's
        out = io.BytesIO()
        dump(store, fmt, out, context=CONTEXT, separate=fmt in ("turtle", "ntriples"))
        written.append(out.getvalue())
    assert written[0] == written[1]


def test_write_all_takes_the_quads_formats_path_when_no_triple_is_in_two_graphs(tmp_path):
    store = _store(_awkward(graphs=3, nodes=300, blanks=False))
    write_all(store, tmp_path, context=CONTEXT, jobs=2)
    for fmt, suffix in (("turtle", "ttl"), ("ntriples", "nt")):
        fast = io.BytesIO()
        dump(store, fmt, fast, context=CONTEXT, separate=True)
        assert (tmp_path / f"graph.{suffix}").read_bytes() == fast.getvalue(), fmt


# ------------------------------------------------------------------------------------------
# Dumps written graph by graph (kg/publish/segments.py)

from kg.publish import segments  # noqa: E402

FILES = {"ntriples": ("nt", ox.RdfFormat.N_TRIPLES), "nquads": ("nq", ox.RdfFormat.N_QUADS),
         "turtle": ("ttl", ox.RdfFormat.TURTLE), "trig": ("trig", ox.RdfFormat.TRIG),
         "jsonld": ("jsonld", ox.RdfFormat.JSON_LD)}


def _segmented(store: ox.Store, folder: Path, previous=None, digests=None):
    graphs = sorted(g.value for g in store.named_graphs())
    digests = digests or {g: str(len(g)) for g in graphs}
    return segments.write_segmented(folder, graphs, store, segments.Segmenter(CONTEXT), digests=digests,
                                    previous=previous)


def _ground(quads) -> set:
    return {q for q in quads if not any(isinstance(x, ox.BlankNode) for x in (q.subject, q.object))}


def test_segmented_dumps_hold_the_store_in_every_format(tmp_path):
    text = _awkward(graphs=4, nodes=300, blanks=False)  # a blank node is relabelled at each parse
    store = _store(text)
    paths, index = _segmented(store, tmp_path)
    quads = list(store)
    for fmt, (_, rdf_format) in FILES.items():
        parsed = list(ox.parse(path=paths[fmt], format=rdf_format))
        assert len(parsed) == len(quads), fmt
        if rdf_format.supports_datasets:
            assert _ground(parsed) == _ground(quads), fmt
        else:
            assert {q.triple for q in _ground(parsed)} == {q.triple for q in _ground(quads)}, fmt
    assert json.loads(paths["jsonld"].read_text(encoding="utf-8"))["@context"] == CONTEXT
    # each segment is where the index says, and is what a store loaded with that graph's lines
    # alone, in the same order, writes (the in-memory store keeps a graph's quads in the order
    # they were loaded in, whatever else it holds)
    for graph, places in index["graphs"].items():
        alone = _store("".join(line + "\n" for line in text.splitlines() if line.endswith(f"<{graph}> .")))
        expected = {}
        for family in segments.FAMILIES:
            expected.update(segments.Segmenter(CONTEXT).family(alone, graph, family))
        for fmt in ("ntriples", "nquads", "turtle", "trig"):  # one format of a family alone: that one, the same
            assert segments.Segmenter(CONTEXT).family(alone, graph, (fmt,)) == {fmt: expected[fmt]}, fmt
        for fmt, (offset, length) in ((f, places[f]) for f in FILES):
            with open(paths[fmt], "rb") as handle:
                handle.seek(offset)
                assert handle.read(length) == expected[fmt], (graph, fmt)


def test_segments_copied_from_a_previous_release_give_the_bytes_of_a_fresh_write(tmp_path):
    text = _awkward(graphs=5, nodes=200, blanks=False)
    first, index = _segmented(_store(text), tmp_path / "first")
    release = tmp_path / "first-release"
    (release / "dumps").mkdir(parents=True)
    for fmt, path in first.items():
        path.rename(release / "dumps" / path.name)
    segments.save_index(release, index, "b")
    previous = segments.read_index(release, "b")
    assert previous is not None and segments.read_index(release, "other basis") is None
    # graph 2 changes (its digest too), graph 4 goes, graph 7 comes
    changed = "".join(line + "\n" for line in text.splitlines()
                      if f"<{X}graph/4>" not in line and not (f"<{X}graph/2>" in line and "/n7>" in line))
    changed += f'<{X}new> <https://schema.org/name> "seven" <{X}graph/7> .\n'
    store = _store(changed)
    graphs = sorted(g.value for g in store.named_graphs())
    digests = {g: ("changed" if g.endswith(("/2", "/7")) else str(len(g))) for g in graphs}
    again, _ = _segmented(store, tmp_path / "again", previous=previous, digests=digests)
    scratch, _ = _segmented(store, tmp_path / "scratch", digests=digests)
    for fmt in FILES:
        assert again[fmt].read_bytes() == scratch[fmt].read_bytes(), fmt


def test_an_index_that_does_not_match_its_files_is_not_used(tmp_path):
    paths, index = _segmented(_store(_awkward(graphs=2, nodes=20)), tmp_path / "release" / "dumps")
    segments.save_index(tmp_path / "release", index, "b")
    assert segments.read_index(tmp_path / "release", "b") is not None
    paths["trig"].write_bytes(paths["trig"].read_bytes() + b"\n")
    assert segments.read_index(tmp_path / "release", "b") is None
    (tmp_path / "release" / segments.INDEX).write_text("[]", encoding="utf-8")
    assert segments.read_index(tmp_path / "release", "b") is None


# The JSON-LD segments are written by a forked copy of the process beside the threads that write
# the other formats (kg.publish.segments._Child).

def _children() -> set[int]:
    """This process's child processes, zombies included (from /proc)."""
    import os

    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry.name))
    return found


def _batched(text: str, folder: Path, size: int) -> "segments.Batches":
    """The graphs of ``text`` in one N-Quads file, graph after graph, read back in batches."""
    by_graph: dict[str, list[str]] = {}
    for line in text.splitlines():
        by_graph.setdefault(line.rsplit(" ", 2)[1][1:-1], []).append(line + "\n")
    layout, data = {}, b""
    for graph in sorted(by_graph):
        part = "".join(by_graph[graph]).encode("utf-8")
        layout[graph] = (len(data), len(part))
        data += part
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.nq").write_bytes(data)
    return segments.Batches(folder / "graph.nq", layout, sorted(by_graph), size=size)


@pytest.mark.skipif(not segments.CAN_FORK, reason="the forked writer is used on Linux only")
def test_segments_are_the_same_whether_the_jsonld_writer_is_forked_or_not(tmp_path):
    before = _children()  # a server another test left running, say
    text = _awkward(graphs=6, nodes=150, blanks=False)
    store = _store(text)
    graphs = sorted(g.value for g in store.named_graphs())
    digests = {g: str(len(g)) for g in graphs}
    first, index = segments.write_segmented(tmp_path / "release" / "dumps", graphs, store,
                                            segments.Segmenter(CONTEXT), digests=digests, jobs=1)
    segments.save_index(tmp_path / "release", index, "b")
    previous = segments.read_index(tmp_path / "release", "b")
    changed = {g: ("changed" if g.endswith(("/1", "/4")) else d) for g, d in digests.items()}
    written = {}
    forks = []
    real = segments.Forked
    segments.Forked = lambda work, what: forks.append(what) or real(work, what)
    try:
        # the JSON-LD written in Python (forked when asked) and by the compiled writer (never forked)
        for jobs, fork, share, compiled in ((1, True, 0, False), (2, True, 0, False), (2, False, 0, False),
                                            (2, True, 0.4, False), (2, False, 0.4, False), (1, True, 0.4, False),
                                            (2, True, 0.99, False), (2, True, 0, True), (2, True, 0.4, True)):
            for name, source in (("one", store),
                                 ("batches", _batched(text, tmp_path / f"nq{jobs}{fork}{share}{compiled}",
                                                      size=3000 if not share else 40000))):
                for reuse in (None, previous):
                    key = (name, jobs, fork, share, reuse is not None, compiled)
                    where = tmp_path / "-".join(map(str, key))
                    segmenter = segments.Segmenter(CONTEXT, compiled=compiled)
                    paths, places = segments.write_segmented(where, graphs, source, segmenter,
                                                             digests=changed, previous=reuse, jobs=jobs, fork=fork,
                                                             share=share)
                    written[key] = ({f: p.read_bytes() for f, p in paths.items()}, places)
                    assert bool(forks) == (jobs == 2 and fork and not segmenter.compiled), key
                    assert sorted(p.name for p in where.iterdir()) == sorted(p.name for p in paths.values()), key
                    forks.clear()
    finally:
        segments.Forked = real
    assert len(_batched(text, tmp_path / "probe", size=3000).batches) > 2
    # batches of one and two graphs: a share of 0.99 leaves one of each two to the forked writer
    assert [len(b) for b in _batched(text, tmp_path / "probe", size=40000).batches] == [1, 2, 2, 1]
    reference = written[("one", 1, True, 0, False, False)]
    assert reference[0]["jsonld"] == first["jsonld"].read_bytes()
    for key, value in written.items():
        assert value == reference, key
    assert _children() <= before, "a forked writer was left behind"


def test_work_alongside_the_writers_runs_once_here_after_the_fork(tmp_path):
    """``alongside`` runs once per write, in this process (what it leaves is seen by the caller),
    whether the writer forks or not, with one store or batches, and when there is no graph."""
    import os

    text = _awkward(graphs=5, nodes=60, blanks=False)
    store = _store(text)
    graphs = sorted(g.value for g in store.named_graphs())
    digests = {g: str(len(g)) for g in graphs}
    for jobs, fork in ((1, True), (2, True), (2, False)):
        for name, source, wanted in (("one", store, graphs), ("batches", _batched(text, tmp_path / f"nq{jobs}{fork}",
                                                                                   size=2000), graphs),
                                     ("none", ox.Store(), [])):
            calls = []
            forks = []
            real = segments.Forked
            segments.Forked = lambda work, what: forks.append(what) or real(work, what)
            try:
                segments.write_segmented(tmp_path / f"{name}-{jobs}-{fork}", wanted, source,
                                         segments.Segmenter(CONTEXT, compiled=False), digests=digests, jobs=jobs,
                                         fork=fork,
                                         alongside=lambda: calls.append((os.getpid(), len(forks))))
            finally:
                segments.Forked = real
            assert len(calls) == 1 and calls[0][0] == os.getpid(), (name, jobs, fork, calls)
            if forks:  # started once the JSON-LD writer had forked: no thread of ours is inside the store then
                assert calls[0][1] >= 1, (name, jobs, fork)


def _fail_in(kind: str):
    def jsonld(self, store, graph, text=None):
        import errno
        import os
        import signal

        if kind == "disk full":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "graph.jsonld")
        if kind == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        raise ValueError("a node that cannot be written")
    return jsonld


@pytest.mark.skipif(not segments.CAN_FORK, reason="the forked writer is used on Linux only")
@pytest.mark.parametrize("kind, error, words", [
    ("disk full", OSError, "No space left on device"),
    ("bug", ValueError, "a node that cannot be written"),
    ("killed", RuntimeError, "JSON-LD writer process stopped without a word (killed by signal 9)")])
def test_a_forked_writer_that_fails_is_raised_in_the_parent(kind, error, words, tmp_path, monkeypatch):
    before = _children()  # a server another test left running, say
    store = _store(_awkward(graphs=2, nodes=20, blanks=False))
    monkeypatch.setattr(segments.Segmenter, "jsonld", _fail_in(kind))
    graphs = sorted(g.value for g in store.named_graphs())
    with pytest.raises(error) as raised:  # the JSON-LD in Python: its writer is forked
        segments.write_segmented(tmp_path, graphs, store, segments.Segmenter(CONTEXT, compiled=False),
                                 digests={g: "x" for g in graphs}, jobs=2)
    assert words in str(raised.value)
    if kind == "disk full":
        import errno

        assert raised.value.errno == errno.ENOSPC
    assert _children() <= before, "a forked writer was left behind"


@pytest.mark.skipif(not segments.CAN_FORK, reason="the forked writer is used on Linux only")
def test_a_failing_thread_stops_the_forked_writer(tmp_path, monkeypatch):
    before = _children()  # a server another test left running, say
    store = _store(_awkward(graphs=2, nodes=20, blanks=False))
    family = segments.Segmenter.family

    def failing(self, store, graph, formats, lines=None):
        if formats[0] == "turtle":
            raise ValueError("no Turtle today")
        return family(self, store, graph, formats, lines)

    def slow(self, store, graph, text=None):
        import time

        time.sleep(30)

    monkeypatch.setattr(segments.Segmenter, "family", failing)
    monkeypatch.setattr(segments.Segmenter, "jsonld", slow)
    graphs = sorted(g.value for g in store.named_graphs())
    import time

    started = time.monotonic()
    with pytest.raises(ValueError, match="no Turtle today"):  # the JSON-LD in Python: forked
        segments.write_segmented(tmp_path, graphs, store, segments.Segmenter(CONTEXT, compiled=False),
                                 digests={g: "x" for g in graphs}, jobs=2)
    assert time.monotonic() - started < 20, "the parent waited for the forked writer instead of stopping it"
    assert _children() <= before, "a forked writer was left behind"


def _lines_file(nquads: Path, by_graph: dict[str, list[str]]):
    """An N-Quads file of each graph's lines in turn (in the order of the graph IRIs), its
    layout, and its :class:`segments.GraphLines`."""
    layout, at = {}, 0
    with open(nquads, "wb") as handle:
        for graph in sorted(by_graph):
            data = "".join(by_graph[graph]).encode("utf-8")
            handle.write(data)
            layout[graph], at = (at, len(data)), at + len(data)
    return nquads, layout, segments.GraphLines(nquads, layout)


def test_ntriples_cut_from_the_nquads_file_are_each_graphs_lines_less_its_name(tmp_path):
    text = _awkward(graphs=3, nodes=50, blanks=False)
    lines = text.splitlines(keepends=True)
    by_graph: dict[str, list[str]] = {}
    import random

    random.Random(7).shuffle(lines)  # in the file in another order than the store writes
    for line in lines:
        by_graph.setdefault(line.rsplit(" ", 2)[1][1:-1], []).append(line)
    nquads, layout, cut = _lines_file(tmp_path / "graph.nq", by_graph)
    store = _store(text)
    for graph, own in by_graph.items():
        got = cut.ntriples(graph)
        assert got.splitlines(keepends=True) == [line.rsplit(" ", 2)[0].encode("utf-8") + b" .\n" for line in own]
        assert {q.triple for q in ox.parse(got, format=ox.RdfFormat.N_TRIPLES)} == {q.triple for q in store.quads_for_pattern(
            None, None, None, ox.NamedNode(graph))}
    # segments written with the cut lines: the N-Triples file is the N-Quads lines less their graph
    graphs = sorted(by_graph)
    paths, _ = segments.write_segmented(tmp_path / "out", graphs, store, segments.Segmenter(CONTEXT),
                                        digests={g: "x" for g in graphs}, formats=("ntriples", "turtle"), lines=cut)
    assert paths["ntriples"].read_bytes() == b"".join(cut.ntriples(g) for g in graphs)
    # a range holding a line of another graph is refused, not cut wrongly
    first, second = graphs[0], graphs[1]
    wrong = segments.GraphLines(nquads, {first: (layout[first][0], layout[first][1] + len(by_graph[second][0]))})
    with pytest.raises(ValueError, match="another graph"):
        wrong.ntriples(first)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_the_checksums_of_a_release_are_each_files_size_and_crc(tmp_path, monkeypatch, threads):
    import zlib

    monkeypatch.setattr(segments, "CHECKSUM_THREADS", threads)
    (tmp_path / "dumps").mkdir()
    (tmp_path / "store").mkdir()
    contents = {"dumps/graph.nt": b"", "dumps/graph.ttl": bytes(range(256)) * 70_000,
                "dumps/graph.jsonld": b"{}\n", "store/000001.sst": b"x" * (1 << 24) + b"y",
                "store/000002.sst": b"z" * 1000}
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "store" / "LOG").write_bytes(b"not summed")
    found = segments.checksums(tmp_path)
    assert list(found) == sorted(contents)
    assert found == {name: [len(data), zlib.crc32(data)] for name, data in contents.items()}


# ------------------------------------------------------------------------------------------
# The compiled JSON-LD writer (kg/publish/_jsonld.c) against the Python one

from kg.publish import dumps as dumps_module  # noqa: E402

_ODD_TEXTS = ["plain", "", "quote \" and backslash \\ and both \\\"", "tab\there, line\nbreak, return\r, "
              "form\ffeed, back\bspace", "controls \x01\x1f and delete \x7f", "été, 日本語, emoji \U0001F600",
              "separators \u2028\u2029 and nbsp \u00a0", "looks like N-Triples: <http://x.org/a> \"b\" .",
              'looks like JSON: {"@id": "x:a"}, ["@value"]', "\\u0041 written out", "ends with a backslash \\"]


def _odd_graphs() -> str:
    """N-Quads of terms of every kind the compiled writer reads: IRIs that are compacted or not
    (an empty local part, one starting with "/", no namespace, non-ASCII), blank nodes as
    subjects and objects, literals plain, typed (xsd:string written out too), with a language,
    holding every escape; rdf:type with an IRI, a literal and a blank node; a subject whose
    lines are not together; a node of many keys and one key of many values."""
    g, lines = f"<{X}graph/odd>", []
    objects = [f"<{X}b>", f"<{X}>", f"<{X}/slash>", "<urn:isbn:0451450523>", "<http://ex.org/é/ü#x>",
               "<https://schema.org/>", "_:b1"]
    objects += [json.dumps(t, ensure_ascii=False).replace("\\u007f", "\x7f") for t in _ODD_TEXTS]
    objects += ['"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"^^<http://www.w3.org/2001/XMLSchema#string>',
                '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>', '"y"^^<http://other.org/type>',
                '"chat"@fr', '"colour"@en-GB', '"odd \\" lang"@x-private', '"right to left"@ar--rtl']
    for k, o in enumerate(objects):
        lines.append(f"<{X}a> <{X}p{k % 5}> {o} {g} .")
    lines += [f"<{X}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{X}T{k}> {g} ." for k in range(3)]
    lines += [f'<{X}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "literal type" {g} .',
              f"<{X}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> _:t {g} .",
              f'_:b1 <{X}p0> "blank subject" {g} .', f"_:b1 <{X}/x> <{X}a> {g} .",
              f"<{X}a> <{X}later> \"the same subject again\" {g} .",
              f'<urn:other> <https://schema.org/> "an empty local part" {g} .']
    lines += [f'<{X}wide> <{X}key{k}> "v{k}" {g} .' for k in range(40)]  # more keys than the first allocation
    lines += [f'<{X}deep> <{X}many> "value {k}" {g} .' for k in range(300)]  # more values than the first one
    lines += [f'<{X}g2/n{k}> <{X}p> "{k}" <{X}graph/two> .' for k in range(5)]
    return "\n".join(lines) + "\n"


def _both(store: ox.Store, graph: str) -> tuple[bytes, bytes]:
    c = dumps_module.Compactor(CONTEXT)
    node = ox.NamedNode(graph)
    return (b"".join(dumps_module.graph_nodes(store, node, c, compiled=True)),
            b"".join(dumps_module.graph_nodes(store, node, c, compiled=False)))


def test_the_compiled_jsonld_writer_is_built():
    """``pip install -e .`` builds it where there is a C compiler (CI installs one): without it
    kg still writes the same JSON-LD, five times slower."""
    import shutil
    import sysconfig

    if not (shutil.which((sysconfig.get_config_var("CC") or "cc").split()[0])
            and Path(sysconfig.get_paths()["include"], "Python.h").is_file()):
        pytest.skip("no C compiler or no Python headers here: the JSON-LD is written in Python")
    assert dumps_module._jsonld is not None, "kg/publish/_jsonld.c was not built: pip install -e . again"


@pytest.mark.skipif(dumps_module._jsonld is None, reason="kg/publish/_jsonld.c is not built here")
def test_the_compiled_jsonld_writer_writes_what_the_python_one_does():
    store = _store(_odd_graphs() + _awkward(graphs=2, nodes=300))
    graphs = sorted(g.value for g in store.named_graphs())
    assert len(graphs) == 4
    for graph in graphs:
        compiled, python = _both(store, graph)
        assert compiled == python, graph
        assert compiled.startswith(b"\n    {") and b"\n    " in compiled
    # and what it writes is the graph, read back with the context
    compiled, _ = _both(store, f"{X}graph/odd")
    document = b'{"@context": ' + json.dumps(CONTEXT).encode() + b', "@graph": [' + compiled + b"\n]}"
    parsed = {q.triple for q in ox.parse(document, format=ox.RdfFormat.JSON_LD)}
    ground = lambda ts: {t for t in ts if not any(isinstance(x, ox.BlankNode) for x in t)}  # noqa: E731
    expected = {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(f"{X}graph/odd"))}
    assert ground(parsed) == ground(expected) and len(parsed) == len(expected)


@pytest.mark.skipif(dumps_module._jsonld is None, reason="kg/publish/_jsonld.c is not built here")
def test_the_compiled_jsonld_writer_on_random_graphs():
    from hypothesis import given, settings, strategies as st

    iris = st.sampled_from([f"{X}a", f"{X}b/c", f"{X}", "https://schema.org/name", "urn:x:y", f"{X}é#ü",
                            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"])
    texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
    literals = st.one_of(texts.map(lambda t: ox.Literal(t)), texts.map(lambda t: ox.Literal(t, language="en")),
                         st.integers().map(ox.Literal))
    literals = st.one_of(literals, texts.map(lambda t: ox.Literal(t, language="he", direction=ox.BaseDirection.RTL)))
    objects = st.one_of(iris.map(ox.NamedNode), st.sampled_from(["b1", "b2"]).map(ox.BlankNode), literals)
    subjects = st.one_of(iris.map(ox.NamedNode), st.sampled_from(["b1", "b2"]).map(ox.BlankNode))
    graph = ox.NamedNode(f"{X}graph/r")

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.tuples(subjects, iris.map(ox.NamedNode), objects), max_size=25))
    def check(triples):
        store = ox.Store()
        store.extend(ox.Quad(s, p, o, graph) for s, p, o in triples)
        compiled, python = _both(store, graph.value)
        assert compiled == python

    check()


@pytest.mark.skipif(dumps_module._jsonld is None, reason="kg/publish/_jsonld.c is not built here")
def test_text_the_compiled_jsonld_writer_cannot_read_is_refused_and_written_in_python(monkeypatch):
    namespaces = dumps_module.Compactor(CONTEXT).namespaces
    for bad in (b"<http://x.org/a> <http://x.org/p> .\n", b'<http://x.org/a> <http://x.org/p> "open .\n',
                b"<http://x.org/a> <http://x.org/p> <<( <http://x.org/s> <http://x.org/p> <http://x.org/o> )>> .\n",
                b"<<( <http://x.org/s> <http://x.org/p> <http://x.org/o> )>> <http://x.org/p> <http://x.org/b> .\n",
                b"<http://x.org/a b> <http://x.org/p> <http://x.org/b> .\n",
                b"<http://x.org/a> <http://x.org/p> <http://x.org/b>\n", b'"s" <http://x.org/p> <http://x.org/b> .\n',
                b'<http://x.org/a> <http://x.org/p> "\\q" .\n', b'<http://x.org/a> <http://x.org/p> "\\u12" .\n',
                b"<http://x.org/a> <http://x.org/p> <http://x.org/b> .\n# a comment\n"):
        with pytest.raises(ValueError, match=r"^line \d+: not a triple"):
            dumps_module._jsonld.nodes(bad, namespaces)
    store = _store(_awkward(graphs=1, nodes=30))
    graph = f"{X}graph/0"
    _, python = _both(store, graph)

    class Refusing:
        @staticmethod
        def nodes(text, namespaces):
            raise ValueError("line 1: not a triple as N-Triples writes it")

    monkeypatch.setattr(dumps_module, "_jsonld", Refusing)
    compiled, _ = _both(store, graph)
    assert compiled == python
    monkeypatch.undo()
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(f"{X}a"), ox.NamedNode(f"{X}p"),
                      ox.Triple(ox.NamedNode(f"{X}s"), ox.NamedNode(f"{X}p"), ox.NamedNode(f"{X}o")),
                      ox.NamedNode(graph)))
    for compiled in (True, False):  # the compiled writer refuses it, the Python one says why
        with pytest.raises(ValueError, match="a triple term"):
            b"".join(dumps_module.graph_nodes(store, ox.NamedNode(graph), dumps_module.Compactor(CONTEXT),
                                              compiled=compiled))


@pytest.mark.parametrize("compiled", [True, False])
def test_jsonld_from_the_nquads_files_lines_is_the_graph_in_their_order(tmp_path, compiled):
    """With the N-Quads file's lines (:class:`segments.GraphLines`), each graph's JSON-LD is made
    from them, in the file's order (a subject's lines together), by either writer alike; a
    segment made from the store's order is not reused for it, nor the other way round."""
    import random

    text = _awkward(graphs=3, nodes=40, blanks=False)
    by_subject: dict[tuple[str, str], list[str]] = {}
    for line in text.splitlines(keepends=True):
        by_subject.setdefault((line.rsplit(" ", 2)[1], line.split(" ", 1)[0]), []).append(line)
    runs = list(by_subject.values())
    random.Random(3).shuffle(runs)  # subjects in another order than the store writes them
    by_graph: dict[str, list[str]] = {}
    for run in runs:
        by_graph.setdefault(run[0].rsplit(" ", 2)[1][1:-1], []).extend(run)
    nquads, layout, cut = _lines_file(tmp_path / "graph.nq", by_graph)
    store = _store(text)
    graphs = sorted(by_graph)
    digests = {g: "x" for g in graphs}
    segmenter = segments.Segmenter(CONTEXT, compiled=compiled)
    write = lambda where, lines, previous=None: segments.write_segmented(  # noqa: E731
        tmp_path / where / "dumps", graphs, store, segmenter, digests=digests, formats=("ntriples", "jsonld"),
        lines=lines, previous=previous)
    (from_lines, index), (from_store, store_index) = write("a", cut), write("b", None)
    assert index["lines"] and not store_index["lines"]
    document = json.loads(from_lines["jsonld"].read_text(encoding="utf-8"))
    for graph, part in zip(graphs, document["@graph"]):
        subjects = [line.split(" ", 1)[0][1:-1].replace(X, "x:") for line in by_graph[graph]]
        order = [s for k, s in enumerate(subjects) if k == 0 or subjects[k - 1] != s]
        assert [node["@id"] for node in part["@graph"]] == order, graph
    parsed = {q for q in ox.parse(path=from_lines["jsonld"], format=ox.RdfFormat.JSON_LD)}
    assert parsed == set(store)
    assert from_lines["jsonld"].read_bytes() != from_store["jsonld"].read_bytes()
    other = segments.Segmenter(CONTEXT, compiled=not compiled)
    again, _ = segments.write_segmented(tmp_path / "c" / "dumps", graphs, store, other, digests=digests,
                                        formats=("ntriples", "jsonld"), lines=cut)
    assert again["jsonld"].read_bytes() == from_lines["jsonld"].read_bytes()
    # reuse: only a segment made from the same kind of text
    for where, made, lines in (("a", from_store, None), ("b", from_lines, cut)):
        segments.save_index(tmp_path / where, index if where == "a" else store_index, "basis")
        previous = segments.read_index(tmp_path / where, "basis")
        rebuilt, _ = write(f"re-{where}", lines, previous)
        for fmt in ("ntriples", "jsonld"):
            assert rebuilt[fmt].read_bytes() == made[fmt].read_bytes(), (where, fmt)


def test_graph_lines_are_cut_once_for_their_two_readers(tmp_path, monkeypatch):
    """The N-Triples and the JSON-LD writers each ask for a graph's lines: the file is read once
    for both, and again for a third ask, or when more than KEPT other graphs came between."""
    import os

    by_graph = {f"{X}graph/{g}": [f"<{X}s{g}> <{X}p> \"{g}\" <{X}graph/{g}> .\n"] for g in range(70)}
    _, _, cut = _lines_file(tmp_path / "graph.nq", by_graph)
    reads = []
    real = os.pread
    monkeypatch.setattr(os, "pread", lambda *a: reads.append(a) or real(*a))
    first = f"{X}graph/0"
    expected = f"<{X}s0> <{X}p> \"0\" .\n".encode()
    assert cut.ntriples(first) == cut.ntriples(first) == expected and len(reads) == 1
    assert cut.ntriples(first) == expected and len(reads) == 2  # a third ask reads it again
    for g in range(1, 70):  # more than KEPT other graphs, each asked for once
        cut.ntriples(f"{X}graph/{g}")
    assert len(cut.kept) == segments.GraphLines.KEPT
    assert cut.ntriples(first) == expected and len(reads) == 2 + 69 + 1  # the first was let go: read again
