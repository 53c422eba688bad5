"""Stage 3, link: one node per organisation however it is written; reports tied to their letter."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.link import candidate_keys, link
from kg.rdf import Minter, document_quads
from kg.records import Extraction, Signature, SourceDocument, Span
from kg.reference import load_reference

BASE = "https://w3id.org/atrocity-kg/id/"


@pytest.fixture(scope="module")
def ref(root):
    return load_reference(root / "ontology" / "reference", BASE)


def letter(key: str, *names: str) -> Extraction:
    doc = SourceDocument(key, key + ".txt", "text/plain", "0" * 64, "x")
    sigs = tuple(Signature(i + 1, n, "organization", Span(0, 1), Span(0, 1)) for i, n in enumerate(names))
    return Extraction(doc, "letter", signatures=sigs)


def paths(corpus, *names: str) -> list[str]:
    return [corpus.resolve("organization", n).iri_path for n in names]


def test_one_organisation_written_differently_is_one_node(ref):
    corpus = link([letter("a", "SJF", "Sudan Justice Forum (SJF), Khartoum University"),
                   letter("b", "Sudan Justice Forum", "Global Centre for Peace Ltd"),
                   letter("c", "The Global Center for Peace")], ref)
    assert len(set(paths(corpus, "SJF", "Sudan Justice Forum (SJF), Khartoum University", "Sudan Justice Forum"))) == 1
    assert paths(corpus, "SJF") == ["org/sudan-justice-forum"]  # the full name's IRI, whichever spelling came first
    assert len(set(paths(corpus, "Global Centre for Peace Ltd", "The Global Center for Peace"))) == 1


def test_a_curly_and_a_straight_apostrophe_are_one_name(ref):
    """A PDF writes "Women’s", a web page "Women's": one organisation, with an IRI without a
    stray hyphen for the apostrophe."""
    corpus = link([letter("a", "Lakeside Women’s Rights Watch"), letter("b", "Lakeside Women's Rights Watch")], ref)
    assert paths(corpus, "Lakeside Women’s Rights Watch", "Lakeside Women's Rights Watch") == \
        ["org/lakeside-womens-rights-watch"] * 2


def test_the_gazetteer_gathers_spellings(ref):
    corpus = link([letter("a", "I-GMAP"),
                   letter("b", "Institute for Genocide and Mass Atrocity Prevention (I-GMAP), Binghamton University")], ref)
    assert paths(corpus, "I-GMAP") == paths(
        corpus, "Institute for Genocide and Mass Atrocity Prevention (I-GMAP), Binghamton University")


def test_distinct_organisations_with_similar_names_stay_distinct(ref):
    corpus = link([letter("a", "Department of History, Yale University", "Genocide Studies Program"),
                   letter("b", "Department of History, Harvard University", "Genocide Studies Project"),
                   letter("c", "Uyghur Rights Watch", "Uyghur Rights Watch Canada")], ref)
    found = paths(corpus, "Department of History, Yale University", "Department of History, Harvard University",
                  "Genocide Studies Program", "Genocide Studies Project", "Uyghur Rights Watch", "Uyghur Rights Watch Canada")
    assert len(set(found)) == 6


def test_an_acronym_used_for_two_names_is_not_used(ref):
    corpus = link([letter("a", "Sudan Justice Forum (SJF)"), letter("b", "Syrian Justice Foundation (SJF)"),
                   letter("c", "SJF")], ref)
    assert len(set(paths(corpus, "Sudan Justice Forum (SJF)", "Syrian Justice Foundation (SJF)", "SJF"))) == 3


def test_candidate_keys_cover_acronym_parent_and_spelling():
    assert candidate_keys("Global Centre for Peace (GCP), Example University", {}) == [
        "global centre for peace gcp example university", "global centre for peace", "gcp",
        "global center for peace gcp example university", "global center for peace"]


REPORT = ("Rights groups press the council on detentions in the north\n\nBy Jane Roe\n\n"
          "A coalition of groups has written to the council about detentions in the north of the country. "
          "The letter, signed by groups including Northern Rights Watch and the Legal Aid Collective, asks the council "
          "to demand access for independent monitors and to publish the names of those detained, officials said.\n\n"
          "A spokesperson said the government rejects the claims. Diplomats said the council would meet.\n")
LETTER = ("Open Letter to the Council on Detentions in the North\n\n3 May 2022\n\nDear Members of the Council,\n\n"
          "We write about the detentions in the north of the country, where families have had no news for months.\n\n"
          "We urge the Council to demand access for independent monitors and to publish the names of those detained.\n\n"
          "Yours sincerely,\n\nNorthern Rights Watch\nLegal Aid Collective\nEastern Justice Forum\n")


def source(key: str, text: str) -> SourceDocument:
    return SourceDocument(key, key + ".txt", "text/plain", "0" * 64, text)


def test_a_report_is_about_the_letter_and_its_named_signers_are_linked(ref):
    corpus = link([extract(source("letter", LETTER)), extract(source("report", REPORT))], ref)
    report = next(x for x in corpus.extractions if x.doc.key == "report")
    assert report.doc_type == "news" and corpus.about["report"] == corpus.works["letter"].path
    assert [s.name for s in report.reported_signers] == ["Northern Rights Watch", "Legal Aid Collective"]
    quads = document_quads(report, corpus, Minter(BASE)).splitlines()
    work = f"<{BASE}{corpus.works['letter'].path}>"
    endorsements = {q.split()[0] for q in quads if f"<https://schema.org/object> {work}" in q}
    agents = {q.split()[2] for q in quads if q.split()[0] in endorsements and "schema.org/agent>" in q.split()[1]}
    assert agents == {f"<{BASE}org/northern-rights-watch>", f"<{BASE}org/legal-aid-collective>"}
    assert all(f"{e} <https://w3id.org/atrocity-kg/ontology#anchor>" in "\n".join(quads) for e in endorsements)
    assert not any("ontology#signatory" in q for q in quads)  # the report attests; it is not signed by them


def test_a_report_about_no_letter_of_the_corpus_links_no_signers(ref):
    corpus = link([extract(source("report", REPORT))], ref)
    report = corpus.extractions[0]
    assert "report" not in corpus.about
    assert "EndorseAction" not in document_quads(report, corpus, Minter(BASE))


def _every_pair(keys, shingles):
    from kg.link import EDITION_CONTAINMENT
    pairs = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            small = min(len(shingles[a]), len(shingles[b]))
            if small and len(shingles[a] & shingles[b]) / small >= EDITION_CONTAINMENT:
                pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("seed", range(6))
def test_edition_pairs_are_the_pairs_a_test_of_every_pair_finds(seed, monkeypatch):
    """Letters made of template phrases (found in many letters) and their own sequences, some
    copies of others with changes: the indexed search finds exactly the contained pairs."""
    import random

    import kg.link as L

    monkeypatch.setattr(L, "COMMON", 4)  # a phrase in more than 4 letters is a template phrase
    rng = random.Random(seed)
    templates = list(range(10_000, 10_060))
    shingles, fresh = {}, iter(range(1_000_000))
    for n in range(60):
        key = f"k{n:03d}"
        if shingles and rng.random() < 0.3:  # an edition: most of an earlier letter, a few changes
            base = sorted(shingles[rng.choice(sorted(shingles))])
            kept = set(rng.sample(base, k=max(0, len(base) - rng.randint(0, len(base) // 2 + 1))))
            shingles[key] = kept | {next(fresh) for _ in range(rng.randint(0, 12))}
        else:  # template phrases (from none to most of the letter) and its own word sequences
            shingles[key] = (set(rng.sample(templates, k=rng.randint(0, 40)))
                             | {next(fresh) for _ in range(rng.randint(0, 30))})
    keys = sorted(shingles)
    assert L._contained_pairs(keys, shingles) == _every_pair(keys, shingles)
    # which phrases count as templates changes the cost, not the pairs: none, all, most
    for common, share in ((10_000, 40), (0, 10_000), (4, 2)):
        monkeypatch.setattr(L, "COMMON", common)
        monkeypatch.setattr(L, "COMMON_SHARE", share)
        assert L._contained_pairs(keys, shingles) == _every_pair(keys, shingles), (common, share)


@pytest.mark.parametrize("seed", range(4))
def test_what_a_text_shares_with_each_letter_is_counted_exactly(seed, monkeypatch):
    """Reports sharing a few template phrases (counted through the index of their letters) or
    many (counted by an AND over the matrix), rare sequences, and sequences no letter holds: the
    counts are those of intersecting the sets."""
    import random

    import kg.link as L

    monkeypatch.setattr(L, "COMMON", 4)
    rng = random.Random(seed)
    templates = list(range(5_000, 5_080))
    shingles = {f"k{n:03d}": set(rng.sample(templates, k=rng.randint(0, 50)))
                | set(rng.sample(range(2_000), k=rng.randint(0, 40))) for n in range(70)}
    keys = sorted(shingles)
    overlaps = L._Overlaps(keys, shingles)
    cost = overlaps.template_start[1:] - overlaps.template_start[:-1]
    assert len(cost) > 10 and cost.min() > 4  # template phrases there are, each in several letters
    for few in (0, 2, 70):  # the index, the index, the matrix
        text = set(rng.sample(templates, k=few)) | set(rng.sample(range(2_500), k=60)) | {10**9}
        common = [overlaps.bit[t] for t in text if t < len(overlaps.bit) and overlaps.bit[t] >= 0]
        by_index = int(cost[common].sum()) < overlaps.matrix.size
        assert by_index == (few < 70)
        assert overlaps.shared(text).tolist() == [len(text & shingles[k]) for k in keys]


def _quoting_corpus(root) -> list[Extraction]:
    """The seeds (a letter quoted by the reports about it) and the evaluation documents."""
    from kg.sources import read_folder

    docs = read_folder(root / "seeds") + read_folder(root / "tests" / "eval" / "docs")
    return [extract(d) for d in docs]


@pytest.mark.skipif(not __import__("kg.procs", fromlist=["CAN_FORK"]).CAN_FORK, reason="forks on Linux only")
def test_quotations_looked_for_by_a_forked_copy_find_the_same_origins(root, ref, monkeypatch):
    import kg.link
    import kg.procs

    extractions = _quoting_corpus(root)
    alone = link(extractions, ref)
    assert alone.quoted_from, "the corpus has no quotation with an origin: the test shows nothing"
    forks = []
    real = kg.procs.Forked
    monkeypatch.setattr(kg.procs, "Forked", lambda work, what: forks.append(what) or real(work, what))
    assert link(extractions, ref, jobs=2).quoted_from == alone.quoted_from and forks == []  # too few to fork
    monkeypatch.setattr(kg.link, "FORK_QUOTES_FROM", 1)
    forked = link(extractions, ref, jobs=2)
    assert forks == ["the quotation search"]
    assert forked.quoted_from == alone.quoted_from
    assert (forked.works, forked.about, forked.stated_edition) == (alone.works, alone.about, alone.stated_edition)


@pytest.mark.skipif(not __import__("kg.procs", fromlist=["CAN_FORK"]).CAN_FORK, reason="forks on Linux only")
def test_a_failure_while_the_copy_looks_for_quotations_stops_the_copy(root, ref, monkeypatch):
    import os

    import kg.link
    import kg.procs

    extractions = _quoting_corpus(root)
    killed, waiting = [], []
    real = kg.procs.Forked

    class Watched(real):
        def kill(self):
            killed.append(self.pid)
            super().kill()

    def failing(corpus):
        waiting.append(1)
        raise RuntimeError("linking failed")

    monkeypatch.setattr(kg.procs, "Forked", Watched)
    monkeypatch.setattr(kg.link, "FORK_QUOTES_FROM", 1)
    monkeypatch.setattr(kg.link, "_reports", failing)
    with pytest.raises(RuntimeError, match="linking failed"):
        link(extractions, ref, jobs=2)
    assert waiting and len(killed) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(killed[0], os.WNOHANG)  # reaped: no copy left behind
