"""The seeds end to end: facts the documents state, derived by the pipeline, not entered."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.pipeline import build

ID = "https://w3id.org/atrocity-kg/id/"
PDF_EDITION = ID + "doc/000_bbfb80d926e12133"
WEB_EDITION = ID + "doc/001_e6a54758775b160a"
PREFIXES = """PREFIX schema: <https://schema.org/> PREFIX akg: <https://w3id.org/atrocity-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> """


def select(store, query: str, **bindings):
    """Run a SELECT; ``?name`` placeholders are replaced by the given IRIs (test constants)."""
    for name, iri in bindings.items():
        query = query.replace(f"?{name}", f"<{iri}>")
    return [[t.value if t is not None else None for t in row]
            for row in store.query(PREFIXES + query, use_default_graph_as_union=True)]


def signatories(store, edition: str, kind: str) -> set[str]:
    rows = select(store, f"""SELECT DISTINCT ?agent WHERE {{
        ?sig a akg:Signature ; schema:object ?edition ; schema:agent ?agent . ?agent a schema:{kind} }}""",
                  edition=edition)
    return {r[0] for r in rows}


def test_pdf_edition_has_30_organisations_and_21_people(seed_store):
    assert len(signatories(seed_store, PDF_EDITION, "Organization")) == 30
    assert len(signatories(seed_store, PDF_EDITION, "Person")) == 21


def test_web_edition_has_23_organisations_and_16_people(seed_store):
    assert len(signatories(seed_store, WEB_EDITION, "Organization")) == 23
    assert len(signatories(seed_store, WEB_EDITION, "Person")) == 16


def test_editions_differ_by_7_organisations_and_5_people(seed_store):
    for kind, expected in (("Organization", 7), ("Person", 5)):
        later, earlier = signatories(seed_store, PDF_EDITION, kind), signatories(seed_store, WEB_EDITION, kind)
        assert len(later - earlier) == expected
        assert earlier <= later  # nobody dropped out between the editions


def test_signature_shortcut_matches_signatures(seed_store):
    shortcut = {r[0] for r in select(seed_store, "SELECT ?a WHERE { ?e akg:signatory ?a }", e=PDF_EDITION)}
    assert shortcut == signatories(seed_store, PDF_EDITION, "Organization") | signatories(seed_store, PDF_EDITION, "Person")


def test_institution_of_a_person_is_an_affiliation_not_a_signatory(seed_store):
    rows = select(seed_store, """SELECT DISTINCT ?org ?role WHERE {
        ?sig schema:object ?e ; schema:agent ?p ; akg:listedAffiliation ?m .
        ?p schema:name "Peter McBride" . ?m org:organization ?org ; rdfs:label ?role }""", e=PDF_EDITION)
    assert rows and rows[0][1] == "Director"
    keene = ID + "org/keene-state-college"
    assert keene not in signatories(seed_store, PDF_EDITION, "Organization")


def test_the_letter_makes_three_numbered_calls_to_states(seed_store):
    for edition in (PDF_EDITION, WEB_EDITION):
        rows = select(seed_store, """SELECT ?pos ?who WHERE {
            ?c a akg:CallToAction ; schema:appearance ?e ; schema:position ?pos ; schema:recipient ?r .
            ?r schema:name ?who } ORDER BY ?pos""", e=edition)
        assert [(int(p), who) for p, who in rows] == [(1, "states"), (2, "states"), (3, "states")]


def test_one_work_two_editions_and_what_is_about_it(seed_store):
    rows = select(seed_store, "SELECT ?w WHERE { ?e schema:exampleOfWork ?w }", e=PDF_EDITION)
    work = rows[0][0]
    assert select(seed_store, "SELECT ?w WHERE { ?e schema:exampleOfWork ?w }", e=WEB_EDITION) == [[work]]
    assert select(seed_store, "SELECT ?x WHERE { ?e prov:wasRevisionOf ?x }", e=PDF_EDITION) == [[WEB_EDITION]]
    assert select(seed_store, "SELECT ?x WHERE { ?e prov:wasRevisionOf ?x }", e=WEB_EDITION) == []
    about = {r[0] for r in select(seed_store, "SELECT ?d WHERE { ?d schema:about ?w }", w=work)}
    assert about == {ID + "doc/002_cd49a45c123e606c", ID + "doc/004_2b46f8cca0edf780"}
    amnesty = select(seed_store, "SELECT ?w WHERE { ?e schema:exampleOfWork ?w }", e=ID + "doc/003_a368d2a828393d5a")
    assert amnesty and amnesty[0][0] != work


def test_dates_and_types_come_from_the_texts(seed_store):
    rows = dict((d, (date, types)) for d, date, types in select(seed_store, """
        SELECT ?d ?date (GROUP_CONCAT(STR(?t); separator=" ") AS ?types) WHERE {
          ?d a akg:Edition ; a ?t . OPTIONAL { ?d schema:datePublished ?date } } GROUP BY ?d ?date"""))
    assert rows[PDF_EDITION][0] == "2021-01-14" and "Message" in rows[PDF_EDITION][1]
    assert rows[WEB_EDITION][0] == "2020-09-15" and "WebPage" in rows[WEB_EDITION][1]
    assert rows[ID + "doc/003_a368d2a828393d5a"][0] == "2021-10-11"
    assert "NewsArticle" in rows[ID + "doc/004_2b46f8cca0edf780"][1]
    assert rows[ID + "doc/004_2b46f8cca0edf780"][0] == "2020-09-15"  # from its metadata file


def test_every_anchor_quotes_its_source_exactly(seed_store):
    rows = select(seed_store, """SELECT ?a ?text ?start ?end ?exact WHERE {
        ?a oa:hasSource ?src ; oa:hasSelector ?p, ?q . ?src schema:text ?text .
        ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }""")
    assert len(rows) > 100
    for anchor, text, start, end, exact in rows:
        assert text[int(start):int(end)] == exact, anchor


def test_one_named_graph_per_document_plus_shared_graphs(seed_store):
    graphs = {g.value for g in seed_store.named_graphs()}
    docs = {g for g in graphs if g.startswith(ID + "graph/doc/")}
    assert len(docs) == 5
    assert {ID + "graph/reference", ID + "graph/ontology", ID + "graph/dataset", ID + "graph/entities"} <= graphs
    assert not list(seed_store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_dumps_in_every_format_are_the_same_graph(seed_build):
    settings, result = seed_build
    dumps = result.dumps
    quads = set(ox.parse(path=str(dumps["nquads"]), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == result.quads
    assert set(ox.parse(path=str(dumps["trig"]), format=ox.RdfFormat.TRIG)) == quads
    assert set(ox.parse(path=str(dumps["jsonld"]), format=ox.RdfFormat.JSON_LD)) == quads
    triples = {q.triple for q in quads}
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        assert {q.triple for q in ox.parse(path=str(dumps[fmt]), format=rdf_format)} == triples


def test_jsonld_dump_embeds_its_context_and_reads_offline_with_rdflib(seed_build):
    import json

    import rdflib

    _, result = seed_build
    data = json.loads(result.dumps["jsonld"].read_text(encoding="utf-8"))
    assert isinstance(data["@context"], dict) and data["@context"]["schema"] == "https://schema.org/"
    dataset = rdflib.Dataset()
    dataset.parse(data=json.dumps(data), format="json-ld")
    nquads = rdflib.Dataset()
    nquads.parse(str(result.dumps["nquads"]), format="nquads")
    assert len(dataset) == len(nquads)


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_rebuild_is_byte_identical(seed_build, tmp_path):
    settings, result = seed_build
    again = build(settings.with_(out=tmp_path / "again"))
    assert _digests(result.release / "dumps") == _digests(again.release / "dumps")


def test_changing_the_base_iri_changes_every_data_iri(seed_build, tmp_path):
    settings, _ = seed_build
    other = build(settings.with_(out=tmp_path / "other", base_iri="https://example.org/kg/"))
    text = (other.release / "dumps" / "graph.nq").read_text(encoding="utf-8")
    assert "https://w3id.org/atrocity-kg/id/" not in text
    assert "<https://example.org/kg/doc/000_bbfb80d926e12133>" in text


def test_the_nquads_dump_is_the_store_line_for_line(seed_build, seed_store):
    """The build writes the N-Quads dump from its own text and loads the store from it: each
    line must be a quad as the store itself would write it, and each quad once."""
    import io

    _, result = seed_build
    lines = result.dumps["nquads"].read_bytes().splitlines()
    out = io.BytesIO()
    seed_store.dump(out, ox.RdfFormat.N_QUADS)
    assert len(lines) == len(set(lines)) == result.quads
    assert set(lines) == set(out.getvalue().splitlines())


def test_a_graph_too_large_for_a_memory_copy_is_validated_and_dumped_from_the_store(seed_build, tmp_path, monkeypatch):
    """Above MEMORY_COPY_MAX_QUADS the build works from the on-disk store alone: the same
    graph, every dump the same graph, and two such builds byte-identical."""
    import kg.pipeline

    settings, result = seed_build
    monkeypatch.setattr(kg.pipeline, "MEMORY_COPY_MAX_QUADS", 0)
    loaded = []
    real_load_memory = kg.pipeline.load_memory
    monkeypatch.setattr(kg.pipeline, "load_memory", lambda source: loaded.append(source) or real_load_memory(source))
    monkeypatch.setattr("kg.publish.segments.BATCH_BYTES", 200_000)  # the graphs in several batches
    first = build(settings.with_(out=tmp_path / "first"))
    second = build(settings.with_(out=tmp_path / "second"))
    assert loaded == [] and first.report.conforms and first.quads == result.quads
    assert first.report.to_json() == result.report.to_json()  # validated on disk: the same report
    assert _digests(first.release / "dumps") == _digests(second.release / "dumps")
    # the dumps are written graph by graph from each batch of graphs loaded alone: the bytes of
    # the dumps written from the in-memory copy
    assert _digests(first.release / "dumps") == _digests(result.release / "dumps")
    # and a rebuild builds on the last build at this size too
    again = build(settings.with_(out=tmp_path / "first"))
    assert again.reused and _digests(again.release / "dumps") == _digests(result.release / "dumps")
    for fmt, path in first.dumps.items():
        rdf_format = {"jsonld": ox.RdfFormat.JSON_LD}.get(fmt) or ox.RdfFormat.from_extension(path.suffix[1:])
        assert set(ox.parse(path=str(path), format=rdf_format)) == set(ox.parse(path=str(result.dumps[fmt]), format=rdf_format)), fmt


def test_compact_iris_by_head_agree_with_trying_every_namespace():
    """The JSON-LD dump compacts IRIs by their part up to the last '/' or '#'; on random IRIs
    made of namespace pieces it must give what trying every namespace gives."""
    import random

    from kg.publish.dumps import Compactor

    c = Compactor({"a": "http://x.org/", "b": "http://x.org/v/", "c": "http://x.org/v#", "s": "https://schema.org/"})
    assert c.by_head
    pieces = ["http://x.org", "/", "v", "#", "w", "", "x", "https://schema.org", "name", "http:", "//"]
    rng = random.Random(7)
    iris = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))) for _ in range(20_000)]
    assert [c.iri(i) for i in iris] == [c._compact(i) for i in iris]
    assert c.iri("http://x.org/v/doc") == "b:doc" and c.iri("http://x.org//doc") == "http://x.org//doc"
    assert not Compactor({"odd": "http://x.org/item-"}).by_head  # a namespace ending mid-word: tried whole
    assert Compactor({"odd": "http://x.org/item-"}).iri("http://x.org/item-7") == "odd:7"


def test_a_graph_compiled_into_a_file_is_the_graph_compiled_in_memory(seed_build, tmp_path):
    """The build maps each document straight into the N-Quads file (no text held): the file is
    the in-memory compile's text line for line, with the same counts and normalised literals,
    and the build's N-Quads dump is that file and the dataset description."""
    from kg.pipeline import compile_graph, dataset_description
    from kg.shacl_sparql import normalised_literals

    settings, result = seed_build
    held = compile_graph(settings)
    sink = tmp_path / "graph.nq"
    streamed = compile_graph(settings, sink=sink)
    text = "".join(chunk if chunk.endswith("\n") or not chunk else chunk + "\n" for chunk in held.chunks())
    assert sink.read_text(encoding="utf-8") == text
    assert set(streamed.documents) == set(held.documents) and not any(streamed.documents.values())
    assert streamed.quad_count() == held.quad_count() == text.count("\n")
    assert all(streamed.quads_of(k) == held.quads_of(k) > 0 for k in held.documents)
    assert streamed.normalised == normalised_literals(held.chunks())
    assert dataset_description(streamed, settings) == dataset_description(held, settings)
    dumped = result.dumps["nquads"].read_text(encoding="utf-8")
    assert dumped == text + dataset_description(held, settings)


@pytest.mark.parametrize("memory_copy", [True, False])
def test_generated_nquads_that_do_not_parse_fail_the_build_and_keep_the_last(seed_build, tmp_path, monkeypatch,
                                                                             memory_copy):
    """The on-disk store loads leniently when the in-memory copy checks the same file: a bad
    line must still fail the build, with or without the copy, and leave the last release."""
    import kg.pipeline
    from kg.errors import KgError

    settings, _ = seed_build
    settings = settings.with_(out=tmp_path / "out")
    good = build(settings)
    before = _digests(good.release / "dumps")
    real = kg.pipeline.dataset_description
    monkeypatch.setattr(kg.pipeline, "dataset_description",
                        lambda *a: real(*a) + '<not an iri> <http://x.org/p> "x" <http://x.org/g> .\n')
    if not memory_copy:
        monkeypatch.setattr(kg.pipeline, "MEMORY_COPY_MAX_QUADS", 0)
    with pytest.raises(KgError, match="generated N-Quads do not parse"):
        build(settings)
    assert _digests((settings.out / "current").resolve() / "dumps") == before
    assert not [p for p in (settings.out / "releases").iterdir() if p.name.endswith(".partial")]


def test_the_in_memory_copy_is_made_when_it_fits_in_the_memory_available(monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "available_memory", lambda: 10 * kg.pipeline.BYTES_PER_QUAD * 1000)
    assert kg.pipeline.memory_copy_limit() == int(10_000 * kg.pipeline.MEMORY_COPY_SHARE)
    monkeypatch.setattr(kg.pipeline, "MEMORY_COPY_MAX_QUADS", 7)  # a fixed limit wins
    assert kg.pipeline.memory_copy_limit() == 7
    assert kg.pipeline.available_memory() > 0


def test_a_build_without_room_for_the_in_memory_copy_works_from_the_store(seed_build, tmp_path, monkeypatch):
    import kg.pipeline

    settings, result = seed_build
    monkeypatch.setattr(kg.pipeline, "available_memory", lambda: result.quads * kg.pipeline.BYTES_PER_QUAD)
    loaded = []
    real_load_memory = kg.pipeline.load_memory
    monkeypatch.setattr(kg.pipeline, "load_memory", lambda source: loaded.append(source) or real_load_memory(source))
    short = build(settings.with_(out=tmp_path / "short"))
    assert loaded == [] and _digests(short.release / "dumps") == _digests(result.release / "dumps")
    monkeypatch.setattr(kg.pipeline, "available_memory", lambda: 2 * result.quads * kg.pipeline.BYTES_PER_QUAD)
    roomy = build(settings.with_(out=tmp_path / "roomy"))
    assert len(loaded) == 1 and _digests(roomy.release / "dumps") == _digests(result.release / "dumps")


def test_a_triple_in_two_graphs_makes_the_dumps_be_written_from_the_union(seed_build, tmp_path, monkeypatch):
    """The dumps are written graph by graph only when no triple is in two graphs; otherwise from
    the union (each triple once in the triples formats), and a check that fails fails the build
    and leaves the last release.  The store is asked only when two graphs' lines share a subject."""
    import kg.pipeline
    from kg.publish.dumps import each_triple_in_one_graph

    settings, result = seed_build
    asked = []
    monkeypatch.setattr(kg.pipeline, "each_triple_in_one_graph",
                        lambda store: asked.append(store) or each_triple_in_one_graph(store))
    again = build(settings.with_(out=tmp_path / "apart"))
    assert asked == [] and (again.release / "segments.json").exists()  # no subject in two graphs
    assert _digests(again.release / "dumps") == _digests(result.release / "dumps")

    real = kg.pipeline.document_quads

    def also(line):
        def mapped(x, view, m, subjects=None):
            text = real(x, view, m, subjects) + f"{line(x.doc.key)} {m.graph(x.doc.key)} .\n"
            if subjects is not None:
                subjects.add(line(x.doc.key).split(" ")[0])  # as the mapper records each subject
            return text

        monkeypatch.setattr(kg.pipeline, "document_quads", mapped)

    also(lambda key: f'<urn:kg:test:s> <urn:kg:test:p> "{key}"')  # one subject, a triple of its own in each graph
    shared_subject = build(settings.with_(out=tmp_path / "shared-subject"))
    assert len(asked) == 1 and (shared_subject.release / "segments.json").exists()

    also(lambda key: "<urn:kg:test:s> <urn:kg:test:p> <urn:kg:test:o>")
    union = build(settings.with_(out=tmp_path / "union"))
    assert len(asked) == 2 and not (union.release / "segments.json").exists()
    store = ox.Store.read_only(str(union.release / "store"))
    quads = set(store)
    assert sum(1 for q in quads if q.subject == ox.NamedNode("urn:kg:test:s")) == result.documents
    for fmt, path in union.dumps.items():
        rdf_format = {"jsonld": ox.RdfFormat.JSON_LD}.get(fmt) or ox.RdfFormat.from_extension(path.suffix[1:])
        parsed = list(ox.parse(path=str(path), format=rdf_format))
        if rdf_format.supports_datasets:
            assert set(parsed) == quads, fmt
        else:
            assert len(parsed) == len(set(parsed)) == len({q.triple for q in quads}), fmt
            assert {q.triple for q in parsed} == {q.triple for q in quads}, fmt
    del store

    def broken(store):
        raise RuntimeError("the check broke")

    monkeypatch.setattr(kg.pipeline, "each_triple_in_one_graph", broken)
    with pytest.raises(RuntimeError, match="the check broke"):
        build(settings.with_(out=tmp_path / "union"))
    assert (tmp_path / "union" / "current").resolve() == union.release
    assert not [p for p in (tmp_path / "union" / "releases").iterdir() if p.name.endswith(".partial")]


def test_the_ntriples_dump_is_each_graphs_nquads_lines_less_the_graph_name(seed_build):
    """The build cuts each graph's N-Triples from its N-Quads file (whose lines are the store's
    own form): the N-Triples dump is, graph after graph in the order of their IRIs, each graph's
    lines of the N-Quads dump in their order there, less the graph name."""
    _, result = seed_build
    by_graph: dict[bytes, list[bytes]] = {}
    for line in result.dumps["nquads"].read_bytes().splitlines():
        cut = line.rindex(b" <")
        by_graph.setdefault(line[cut + 2:-3], []).append(line[:cut] + b" .")
    expected = [line for graph in sorted(by_graph) for line in by_graph[graph]]
    assert result.dumps["ntriples"].read_bytes().splitlines() == expected


def test_the_in_memory_copy_is_let_go_in_a_thread_with_no_other_hold_on_it(seed_build, tmp_path, monkeypatch):
    """After the dumps the build hands its in-memory copy to a thread that frees it while the
    release is sealed; that is only so if nothing else still refers to it."""
    import sys

    import kg.pipeline

    settings, result = seed_build
    seen = []
    real = kg.pipeline._let_go

    def let_go(held):
        seen.append((type(held[0]), sys.getrefcount(held[0])))
        return real(held)

    monkeypatch.setattr(kg.pipeline, "_let_go", let_go)
    again = build(settings.with_(out=tmp_path / "again"))
    # the list's reference and getrefcount's argument: nothing else
    assert seen == [(ox.Store, 2)]
    assert _digests(again.release / "dumps") == _digests(result.release / "dumps")


def test_graphs_are_apart_until_two_share_a_subject_and_stay_so():
    from kg.pipeline import Subjects, subject_hashes

    subjects = Subjects()
    subjects.add(subject_hashes('<urn:a> <urn:p> <urn:o> <urn:g1> .\n_:b <urn:p> "x <urn:c> y" <urn:g1> .\n'))
    subjects.add(subject_hashes("<urn:c> <urn:p> <urn:a> <urn:g2> .\n<urn:c> <urn:q> _:b <urn:g2> .\n"))
    assert subjects.apart  # an object or a literal's words are not subjects
    subjects.add(subject_hashes("_:b <urn:p> <urn:o> <urn:g3> .\n"))
    assert not subjects.apart
    subjects.add(subject_hashes("<urn:z> <urn:p> <urn:o> <urn:g4> .\n"))
    assert not subjects.apart
    copied = Subjects()
    copied.add(None)  # a graph copied without reading its lines
    assert not copied.apart


def test_the_subjects_the_mapper_records_are_those_of_its_lines(seed_build):
    """The build takes the subjects of a document's graph from the mapper, not from its text: they
    must be every subject of its lines (a subject left out could hide a triple in two graphs)."""
    from kg.pipeline import compile_graph, subject_hashes
    from kg.rdf import Asked, Minter, document_quads

    settings, _ = seed_build
    compiled = compile_graph(settings)
    m = Minter(settings.base_iri)
    for x in compiled.corpus.extractions:
        recorded: set[str] = set()
        text = document_quads(x, Asked(compiled.corpus), m, recorded)
        assert text == compiled.documents[x.doc.key]
        assert recorded == {line.split(" ")[0] for line in text.splitlines()}
        assert frozenset(map(hash, recorded)) == subject_hashes(text)
