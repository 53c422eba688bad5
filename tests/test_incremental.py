"""Incremental builds: after one document is added or changed, only it is extracted again,
and the result is byte-identical to a clean build of the same folder."""

from __future__ import annotations

import hashlib
import shutil

import pytest

import kg.pipeline as pipeline
from kg.config import Settings


def digests(release):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((release / "dumps").iterdir())}


@pytest.fixture()
def counted(monkeypatch):
    calls = []
    real = pipeline.extract

    def counting(doc):
        calls.append(doc.key)
        return real(doc)

    monkeypatch.setattr(pipeline, "extract", counting)
    return calls


def test_rebuild_extracts_only_what_changed(tmp_path, root, counted):
    seeds = tmp_path / "seeds"
    shutil.copytree(root / "seeds", seeds)
    settings = Settings.for_project(root).with_(seeds=seeds, out=tmp_path / "out")
    pipeline.build(settings)
    assert len(counted) == 5
    counted.clear()
    pipeline.build(settings)
    assert counted == []  # nothing changed: every extraction read back
    (seeds / "005_added.txt").write_text(
        "Joint Statement on Example Atrocities\n\n3 March 2023\n\nWe urge the Council to act.\n\n"
        "Yours sincerely,\nExample Watch\n", encoding="utf-8")
    changed = seeds / "002_cd49a45c123e606c.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing line added later.\n", encoding="utf-8")
    incremental = pipeline.build(settings)
    assert sorted(counted) == ["002_cd49a45c123e606c", "005_added"]
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert digests(incremental.release) == digests(clean.release)


def test_a_damaged_cache_entry_is_a_miss_not_an_error(tmp_path, root, counted):
    seeds = tmp_path / "seeds"
    shutil.copytree(root / "seeds", seeds)
    settings = Settings.for_project(root).with_(seeds=seeds, out=tmp_path / "out")
    first = pipeline.build(settings)
    for entry in (tmp_path / "out" / "cache" / "extract").iterdir():
        entry.write_bytes(b"not a pickle")
    counted.clear()
    again = pipeline.build(settings)
    assert len(counted) == 5
    assert digests(first.release) == digests(again.release)


def test_parallel_extraction_gives_the_same_graph(tmp_path, root, monkeypatch, seed_build, counted):
    _, sequential = seed_build
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    settings = Settings.for_project(root).with_(out=tmp_path / "parallel", jobs=2)
    parallel = pipeline.build(settings)
    assert digests(parallel.release) == digests(sequential.release)
    # the workers kept their extractions in the cache: the next build extracts nothing
    assert len(list((tmp_path / "parallel" / "cache" / "extract").iterdir())) == 5
    counted.clear()
    again = pipeline.build(settings, full=True)
    assert counted == [] and digests(again.release) == digests(sequential.release)


# ------------------------------------------------------------------------------------------
# Building on the last release: only the changed graphs are loaded, validated and dumped.

import json  # noqa: E402

import pyoxigraph as ox  # noqa: E402

from kg.errors import NotConforming  # noqa: E402
from kg.publish import segments  # noqa: E402


def outputs(release):
    """Every dump, the report and the store's quads (sorted N-Quads): what a build gives."""
    out = digests(release)
    out["report.json"] = hashlib.sha256((release / "report.json").read_bytes()).hexdigest()
    store = ox.Store.read_only(str(release / "store"))
    lines = sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())
    out["store"] = hashlib.sha256(b"\n".join(lines)).hexdigest()
    return out


@pytest.fixture()
def corpus(tmp_path):
    """A synthetic corpus of letters, editions and news reports, and settings to build it."""
    from benchmarks.generate import write_corpus

    seeds = tmp_path / "seeds"
    write_corpus(seeds, 40, seed=5)
    (seeds / ".manifest.json").unlink()
    return seeds


@pytest.fixture()
def fresh_segments(monkeypatch):
    """The graphs whose segments a build writes rather than copies, by format family."""
    written: list[tuple[str, tuple]] = []
    real = segments.Segmenter.family

    def family(self, store, graph, formats, lines=None):
        written.append((graph, formats))
        return real(self, store, graph, formats, lines)

    monkeypatch.setattr(segments.Segmenter, "family", family)
    return written


def edit(seeds):
    """Change one document, add one, remove one; return the keys of the first two and the third."""
    texts = sorted(seeds.glob("*.txt"))
    changed, removed, source = texts[10], texts[20], texts[30]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nWe will write again next month.\n", encoding="utf-8")
    removed.unlink()
    removed.with_suffix("").with_suffix(".meta.toml").unlink(missing_ok=True)
    added = seeds / "zz_added.txt"
    added.write_text("A line of its own.\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    return {changed.stem, added.stem}, removed.stem


def test_a_rebuild_loads_validates_and_dumps_only_the_changed_graphs(tmp_path, root, corpus, fresh_segments,
                                                                        monkeypatch):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    assert not first.reused and (first.release / segments.INDEX).is_file()
    touched, gone = edit(corpus)
    validated: list[set] = []
    real_validate = pipeline.validate_store_sparql

    def spy(store, *args, **kwargs):
        prefix = settings.base_iri + "graph/doc/"
        validated.append({g.value[len(prefix):] for g in store.named_graphs() if g.value.startswith(prefix)})
        return real_validate(store, *args, **kwargs)

    monkeypatch.setattr(pipeline, "validate_store_sparql", spy)
    fresh_segments.clear()
    again = pipeline.build(settings)
    assert again.reused
    assert validated == [touched]  # only the changed documents' graphs, with the shared graphs
    prefix = settings.base_iri + "graph/doc/"
    rewritten = {g[len(prefix):] for g, _ in fresh_segments if g.startswith(prefix)}
    assert rewritten == touched
    assert len(fresh_segments) <= 3 * (len(touched) + 4)  # the documents and at most the shared graphs
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert not clean.reused
    assert outputs(again.release) == outputs(clean.release)
    assert again.quads == clean.quads and again.documents == clean.documents
    index = json.loads((again.release / segments.INDEX).read_text(encoding="utf-8"))
    assert settings.base_iri + f"graph/doc/{gone}" not in index["graphs"]


def test_a_rebuild_of_the_same_documents_writes_no_segment(tmp_path, root, corpus, fresh_segments):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    fresh_segments.clear()
    again = pipeline.build(settings)
    assert again.reused and fresh_segments == []
    assert outputs(again.release) == outputs(first.release)


def test_full_builds_every_graph_and_gives_the_same_release(tmp_path, root, corpus, fresh_segments):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    fresh_segments.clear()
    again = pipeline.build(settings, full=True)
    assert not again.reused and fresh_segments
    assert outputs(again.release) == outputs(first.release)


def damage_index(release):
    (release / segments.INDEX).write_text("{not json", encoding="utf-8")


def truncate_a_dump(release):
    path = release / "dumps" / "graph.ttl"
    path.write_bytes(path.read_bytes()[:-100])


def drop_the_report(release):
    (release / "report.json").unlink()


def flip_a_byte_of_a_dump(release):
    path = release / "dumps" / "graph.jsonld"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def flip_a_byte_of_the_store(release):
    table = max((release / "store").glob("*.sst"), key=lambda p: p.stat().st_size)
    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 0x01
    table.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [damage_index, truncate_a_dump, drop_the_report, flip_a_byte_of_a_dump,
                                    flip_a_byte_of_the_store])
def test_a_last_release_that_cannot_be_built_on_gives_a_build_from_scratch(tmp_path, root, corpus, damage):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    damage(first.release)
    edit(corpus)
    again = pipeline.build(settings)
    assert not again.reused
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert outputs(again.release) == outputs(clean.release)


def test_changed_shapes_or_most_documents_changed_give_a_build_from_scratch(tmp_path, project, corpus):
    settings = Settings.for_project(project).with_(seeds=corpus, out=tmp_path / "out")
    pipeline.build(settings)
    shapes = project / "shapes" / "akg-shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert not pipeline.build(settings).reused  # the results of the unchanged graphs may differ
    assert pipeline.build(settings).reused
    for text in sorted(corpus.glob("*.txt"))[:30]:
        text.write_text(text.read_text(encoding="utf-8") + "\nAnd one more line.\n", encoding="utf-8")
    assert not pipeline.build(settings).reused  # most quads changed: loading them all is cheaper


def test_a_changed_graph_that_does_not_conform_keeps_the_last_release(tmp_path, root, corpus, monkeypatch):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    touched, _ = edit(corpus)
    real = pipeline.document_quads

    def without_hash(x, corpus_, m, subjects=None):  # a changed document's source text loses its required hash
        text = real(x, corpus_, m, subjects)
        if x.doc.key in touched:
            text = "".join(line for line in text.splitlines(keepends=True) if "schema.org/sha256" not in line)
        return text

    monkeypatch.setattr(pipeline, "document_quads", without_hash)
    with pytest.raises(NotConforming) as caught:
        pipeline.build(settings)
    assert {v.source for v in caught.value.report.violations} <= touched
    assert caught.value.report.violations
    assert (tmp_path / "out" / "current").resolve() == first.release
    assert not [p for p in (tmp_path / "out" / "releases").iterdir() if p.name.endswith(".partial")]


WARNING_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix akg: <https://w3id.org/atrocity-kg/ontology#> .
@prefix schema: <https://schema.org/> .
<urn:test:shape> a sh:NodeShape ; sh:targetClass akg:Edition ;
    sh:property [ sh:path schema:name ; sh:maxLength 20 ; sh:severity sh:Warning ; sh:message "a long name" ] .
"""


def test_the_results_of_unchanged_graphs_are_kept_from_the_last_report(tmp_path, project, corpus):
    (project / "shapes" / "warnings.ttl").write_text(WARNING_SHAPE, encoding="utf-8")
    settings = Settings.for_project(project).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    warned = {v.source for v in first.report.violations}
    assert len(warned) > 5 and first.report.conforms  # warnings only
    edit(corpus)
    again = pipeline.build(settings)
    assert again.reused
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert again.report.violations == clean.report.violations
    assert outputs(again.release) == outputs(clean.release)


@pytest.fixture()
def mapped(monkeypatch):
    """The documents whose graph a build maps (rather than copies from the last release)."""
    keys: list[str] = []
    real = pipeline.document_quads

    def counting(x, corpus_, m, subjects=None):
        keys.append(x.doc.key)
        return real(x, corpus_, m, subjects)

    monkeypatch.setattr(pipeline, "document_quads", counting)
    return keys


def test_a_rebuild_maps_only_the_documents_whose_extraction_or_answers_changed(tmp_path, root, corpus, mapped):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    pipeline.build(settings)
    assert len(mapped) == 40
    mapped.clear()
    assert pipeline.build(settings).reused and mapped == []
    touched, _ = edit(corpus)
    again = pipeline.build(settings)
    assert touched <= set(mapped) and len(mapped) < 20, mapped
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert outputs(again.release) == outputs(clean.release)


def test_a_new_edition_maps_the_letters_whose_links_it_changes_again(tmp_path, root, corpus, mapped):
    """A letter unchanged itself gets an edition of the same date that sorts before it: it
    becomes a revision of the new one, so it is mapped again (its answers from the corpus
    differ), and the graph is a clean build's."""
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    store = ox.Store.read_only(str(first.release / "store"))
    rows = list(store.query("SELECT ?d WHERE { GRAPH ?g { ?d <https://schema.org/exampleOfWork> ?w } } ORDER BY ?d"))
    letter = rows[0]["d"].value.rsplit("/", 1)[1]
    del store
    source = corpus / f"{letter}.txt"
    early = f"{letter.split('_')[0]}-early"  # "-" sorts before "_": the first of the work
    (corpus / f"{early}.txt").write_text(
        source.read_text(encoding="utf-8") + "\nAdded to the letter, with more signatories.\n", encoding="utf-8")
    meta = source.with_suffix("").with_suffix(".meta.toml")
    if meta.exists():
        (corpus / f"{early}.meta.toml").write_text(meta.read_text(encoding="utf-8"), encoding="utf-8")
    mapped.clear()
    again = pipeline.build(settings)
    assert early in mapped and letter in mapped
    assert again.release != first.release
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert outputs(again.release) == outputs(clean.release)


def test_a_damaged_mapping_maps_every_document_and_gives_the_same_graph(tmp_path, root, corpus, mapped):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    first = pipeline.build(settings)
    (first.release / pipeline.MAPPING).write_bytes(b"not a pickle")
    mapped.clear()
    again = pipeline.build(settings)
    assert len(mapped) == 40 and again.reused  # the graphs are mapped again; the rest still built on
    assert outputs(again.release) == outputs(first.release)


def test_a_triple_a_changed_graph_shares_with_another_graph_gives_a_build_from_scratch(tmp_path, root, corpus,
                                                                                          monkeypatch):
    """The dumps can be written graph by graph only while no triple is in two graphs: a changed
    document whose graph repeats a triple of the (unchanged) ontology graph makes the rebuild
    start from scratch, with the dumps of the union."""
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    pipeline.build(settings)
    touched, _ = edit(corpus)
    real = pipeline.document_quads
    ontology = ("<https://w3id.org/atrocity-kg/ontology#Edition> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                "<http://www.w3.org/2002/07/owl#Class> {} .\n")

    def repeating(x, corpus_, m, subjects=None):
        text = real(x, corpus_, m, subjects)
        if x.doc.key not in touched:
            return text
        if subjects is not None:  # as the mapper records each subject
            subjects.add(ontology.split(" ")[0])
        return text + ontology.format(m.graph(x.doc.key))

    monkeypatch.setattr(pipeline, "document_quads", repeating)
    checked = []
    real_check = pipeline._no_triple_in_two_graphs
    monkeypatch.setattr(pipeline, "_no_triple_in_two_graphs",
                        lambda store, changed: checked.append(real_check(store, changed)) or checked[-1])
    again = pipeline.build(settings)
    assert checked == [False] and not again.reused
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert outputs(again.release) == outputs(clean.release)
    assert not (again.release / segments.INDEX).exists()  # nothing for the next build to build on


def test_the_check_for_a_triple_in_two_graphs_looks_at_the_changed_graphs():
    store = ox.Store()
    a, b = ox.NamedNode("http://x.org/a"), ox.NamedNode("http://x.org/b")
    s, p = ox.NamedNode("http://x.org/s"), ox.NamedNode("http://x.org/p")
    store.add(ox.Quad(s, p, ox.Literal("1"), a))
    store.add(ox.Quad(s, p, ox.Literal("2"), b))
    assert pipeline._no_triple_in_two_graphs(store, [a.value])
    store.add(ox.Quad(s, p, ox.Literal("1"), b))
    assert not pipeline._no_triple_in_two_graphs(store, [a.value])
    assert not pipeline._no_triple_in_two_graphs(store, [b.value])
    store.remove(ox.Quad(s, p, ox.Literal("1"), b))
    store.add(ox.Quad(s, p, ox.Literal("3")))  # the default graph
    assert not pipeline._no_triple_in_two_graphs(store, [a.value])


def test_a_store_that_reports_damage_while_it_is_copied_gives_a_build_from_scratch(tmp_path, root, corpus,
                                                                                     monkeypatch):
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out")
    pipeline.build(settings)
    edit(corpus)

    def damaged(source, target):
        target.mkdir()
        raise RuntimeError("Corruption: block checksum mismatch in 000042.sst")

    monkeypatch.setattr(pipeline, "copy_store", damaged)
    again = pipeline.build(settings)
    assert not again.reused
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert outputs(again.release) == outputs(clean.release)


def test_documents_mapped_by_two_processes_give_the_same_release(tmp_path, root, corpus, monkeypatch):
    """From PARALLEL_FROM documents on, a forked copy of the build maps the second half of them;
    the release, and what it records for the next build, are those of one process."""
    import pickle

    forks = []
    real = pipeline.Forked
    monkeypatch.setattr(pipeline, "Forked", lambda work, what: forks.append(what) or real(work, what))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 8)
    settings = Settings.for_project(root).with_(seeds=corpus)
    one = pipeline.build(settings.with_(out=tmp_path / "one", jobs=1))
    assert forks == []
    two = pipeline.build(settings.with_(out=tmp_path / "two", jobs=2))
    assert forks == ["the mapping process"] and outputs(two.release) == outputs(one.release)
    assert (pickle.loads((two.release / pipeline.MAPPING).read_bytes())
            == pickle.loads((one.release / pipeline.MAPPING).read_bytes()))
    assert not list((two.release / "dumps").glob("*.mapped"))
    # without the memory for a copy's own pages, nothing is forked: the same release
    forks.clear()
    monkeypatch.setattr(pipeline, "available_memory", lambda: 0)
    tight = pipeline.build(settings.with_(out=tmp_path / "tight", jobs=2))
    assert forks == [] and outputs(tight.release) == outputs(one.release)
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 8)
    # a rebuild maps the changed documents (fewer than PARALLEL_FROM: here) and reuses the rest
    edit(corpus)
    again = pipeline.build(settings.with_(out=tmp_path / "two", jobs=2))
    clean = pipeline.build(settings.with_(out=tmp_path / "clean", jobs=2))
    assert again.reused and outputs(again.release) == outputs(clean.release)


def test_a_mapping_process_that_fails_fails_the_build_and_keeps_the_last_release(tmp_path, root, corpus, monkeypatch):
    import os

    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 8)
    settings = Settings.for_project(root).with_(seeds=corpus, out=tmp_path / "out", jobs=2)
    first = pipeline.build(settings)
    last = sorted(x.stem for x in corpus.glob("*.txt"))[-1]  # mapped by the forked process
    real = pipeline.document_quads
    parent = os.getpid()

    def failing(x, corpus, m, subjects=None):
        if x.doc.key == last:
            assert os.getpid() != parent, "the last document was not mapped by the forked process"
            raise ValueError("cannot map this one")
        return real(x, corpus, m, subjects)

    monkeypatch.setattr(pipeline, "document_quads", failing)
    (corpus / f"{last}.txt").write_text((corpus / f"{last}.txt").read_text(encoding="utf-8") + "\nAnd more.\n",
                                        encoding="utf-8")
    with pytest.raises(ValueError, match="cannot map this one"):
        pipeline.build(settings, full=True)
    assert (settings.out / "current").resolve() == first.release
    assert not [p for p in (settings.out / "releases").iterdir() if p.name.endswith(".partial")]
