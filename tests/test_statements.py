"""Statements: allegations, legal characterisations, figures, quotations and rebuttals.

Checked on the seeds (facts a reader of them can verify) and on three short documents written for
these tests (tests/data/statements: a joint letter on Darfur, a statement on the Rohingya, a news
report on Tigray), which the rules have never been tuned on, with the negative cases beside the
positive ones: a crime mentioned but not alleged, numbers that are not figures, apostrophes that
are not quotation marks.  The graph tests compile the documents with the real pipeline and
query the N-Quads in an in-memory Oxigraph store.
"""

from __future__ import annotations

import pathlib
import re

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.config import Settings
from kg.extract import extract
from kg.extract.statements import find_statements
from kg.pipeline import compile_graph, validate_compiled
from kg.records import Extraction, SourceDocument, Span
from kg.reference import load_reference

ROOT = pathlib.Path(__file__).resolve().parent.parent
OWN = pathlib.Path(__file__).resolve().parent / "data" / "statements"
ID = "https://w3id.org/atrocity-kg/id/"
PREFIXES = """
PREFIX akg: <https://w3id.org/atrocity-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX cito: <http://purl.org/spar/cito/>
"""
SEED = {"000": "000_bbfb80d926e12133", "001": "001_e6a54758775b160a", "002": "002_cd49a45c123e606c",
        "003": "003_a368d2a828393d5a", "004": "004_2b46f8cca0edf780"}


# ------------------------------------------------------------------------------------------------
# Fixtures
# ------------------------------------------------------------------------------------------------

class Compiled:
    def __init__(self, seeds: pathlib.Path) -> None:
        self.settings = Settings.for_project(ROOT).with_(seeds=seeds)
        self.compiled = compile_graph(self.settings)
        self.by_key = {x.doc.key: x for x in self.compiled.corpus.extractions}
        self.store = ox.Store()
        for chunk in self.compiled.chunks():
            self.store.load(chunk.encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def x(self, key: str) -> Extraction:
        return self.by_key[SEED.get(key, key)]

    def rows(self, query: str) -> list[tuple]:
        result = self.store.query(PREFIXES + query, use_default_graph_as_union=True)
        return [tuple(None if v is None else v.value for v in row) for row in result]


@pytest.fixture(scope="module")
def seeds() -> Compiled:
    return Compiled(ROOT / "seeds")


@pytest.fixture(scope="module")
def own() -> Compiled:
    return Compiled(OWN)


def words(x: Extraction, span: Span) -> str:
    return " ".join(x.doc.text[span.start:span.end].split())


def figures_of(x: Extraction):
    return [*x.figures, *(f for a in x.allegations for f in a.figures), *(f for r in x.rebuttals for f in r.figures)]


def allegation(x: Extraction, act: str, containing: str):
    found = [a for a in x.allegations if a.act == act and containing in words(x, a.span)]
    assert found, f"no {act} allegation in a sentence containing {containing!r}"
    return found[0]


def characterization(x: Extraction, containing: str):
    found = [c for c in x.characterizations if containing in words(x, c.span)]
    assert len(found) == 1, f"{len(found)} characterisations containing {containing!r}"
    return found[0]


def quotation(x: Extraction, starting: str):
    found = [q for q in x.quotations if x.doc.text[q.span.start:].startswith(starting)]
    assert len(found) == 1, f"{len(found)} quotations starting {starting!r}"
    return found[0]


def figure_texts(x: Extraction) -> set[str]:
    return {words(x, f.span) for f in figures_of(x)}


# ------------------------------------------------------------------------------------------------
# The seeds
# ------------------------------------------------------------------------------------------------

def test_seed000_detention_of_between_one_and_one_point_eight_million(seeds):
    x = seeds.x("000")
    a = allegation(x, "arbitrary-detention", "The atrocities include")
    (f,) = a.figures
    assert (f.min_value, f.max_value, f.value) == (1_000_000, 1_800_000, None)
    assert words(x, f.span) == "between 1 and 1.8 million" and f.counts == "people-detained"
    assert "Uyghurs" in a.against and "China" in a.places
    acts = {b.act for b in x.allegations if b.span == a.span}
    assert {"political-indoctrination", "enforced-disappearance", "destruction-of-cultural-sites", "forced-labour",
            "prison-incarceration", "coercive-birth-prevention"} <= acts
    assert "mass-internment" not in acts  # "in internment camps" says where the detained are held


def test_seed000_forced_labour_figure_is_a_lower_bound(seeds):
    x = seeds.x("000")
    (f,) = allegation(x, "forced-labour", "at least 80,000").figures
    assert (f.min_value, f.max_value, f.counts) == (80_000, None, "workers")


def test_seed000_percentages_are_figures_of_their_sentence_and_years_are_not(seeds):
    x = seeds.x("000")
    by_text = {words(x, f.span): f for f in x.figures}
    assert by_text["80 percent"].value == 80 and by_text["80 percent"].counts == "percent-of-placements"
    assert by_text["about 1.8 percent"].value == 1.8 and by_text["about 1.8 percent"].counts == "population-share"
    assert all(words(x, f.statement).startswith("In 2018, 80 percent") for f in by_text.values())
    assert not any(re.fullmatch(r"(?:19|20)\d\d", t) for t in figure_texts(x))


def test_seed000_birth_prevention_links_genocide_convention_article_2_d(seeds):
    c = characterization(seeds.x("000"), "imposing measures intended to prevent births")
    assert c.provisions == ("genocide-convention/art_2/point_d",)


def test_seed000_acts_listed_under_the_genocide_convention(seeds):
    c = characterization(seeds.x("000"), "may be perpetrating the following acts")
    assert c.provisions == tuple(f"genocide-convention/art_2/point_{p}" for p in "bce")


def test_seed000_rome_statute_sentence_links_article_7_1_h_d_i_e(seeds):
    c = characterization(seeds.x("000"), "Rome Statute")
    assert c.provisions == tuple(f"rome-statute/art_7/para_1/point_{p}" for p in "hdie")


def test_seed000_quotation_across_a_page_break_is_one_quotation(seeds):
    x = seeds.x("000")
    q = quotation(x, "increasing practices of arbitrary")
    exact = x.doc.text[q.span.start:q.span.end]
    assert exact.endswith("notably\nUyghurs") and "https://spcommreports" in exact
    assert q.speaker == "UN human rights experts"
    (gap,) = q.gaps
    assert "https://spcommreports" in x.doc.text[gap.start:gap.end]
    assert quotation(x, "these centers").speaker == "UN human rights experts"  # "... and that “...”"
    node = f"{ID}doc/{SEED['000']}/quotation/{q.span.start}"
    ((text,),) = seeds.rows(f"SELECT ?t WHERE {{ <{node}> schema:text ?t }}")
    assert text.startswith("increasing practices") and text.endswith("notably Uyghurs") and "http" not in text


def test_seed003_amnesty_letter_imprisonment_torture_persecution(seeds):
    x = seeds.x("003")
    c = characterization(x, "crimes against humanity of imprisonment, torture and persecution")
    assert c.provisions == tuple(f"rome-statute/art_7/para_1/point_{p}" for p in "efh")
    assert characterization(x, "contextual elements").provisions == ("rome-statute/art_7",)
    first = allegation(x, "mass-internment", "hundreds of thousands")
    assert {"Uyghurs", "Kazakhs", "Hui", "Kyrgyz", "Uzbeks"} <= set(first.against)
    assert first.figures[0].min_value == 200_000


def test_seed003_petition_counts_and_no_reference_code_or_phone_figures(seeds):
    x = seeds.x("003")
    by_text = {words(x, f.span): f for f in figures_of(x)}
    assert by_text["323,832"].value == 323_832 and by_text["323,832"].counts == "signatures"
    assert by_text["184"].value == 184 and by_text["184"].counts == "countries-and-territories"
    assert set(by_text) == {"323,832", "184", "hundreds of thousands"}  # not "17/2021.2130", "+44-20-...", "three years"


def test_seed002_stated_counts_describe_the_2020_edition(seeds):
    rows = seeds.rows("""SELECT ?v ?c ?e WHERE { ?f a akg:StatedCount, schema:QuantitativeValue ; schema:value ?v ;
                         akg:quantityOf ?c ; akg:describesEdition ?e }""")
    stated = {(int(v), c.rsplit("/", 1)[1], e.rsplit("/", 1)[1]) for v, c, e in rows}
    assert stated == {(21, "organizations", SEED["001"]), (5, "countries", SEED["001"]), (16, "persons", SEED["001"])}
    assert seeds.x("001").date == "2020-09-15"


def test_seed004_rebuttal_by_the_foreign_ministry_disputes_the_letter(seeds):
    ref = load_reference(ROOT / "ontology" / "reference", ID)
    ministry, kind = ref.lookup("Chinese foreign ministry")
    work = seeds.compiled.corpus.works[SEED["000"]].path
    rows = seeds.rows("""SELECT ?r ?a ?d WHERE { ?r a akg:Rebuttal, schema:Claim ; schema:author ?a ;
                         cito:disputes ?d ; akg:anchor ?anchor }""")
    assert [(a, d) for _, a, d in rows] == [(ministry, ID + work)]
    (r,) = seeds.x("004").rebuttals
    assert r.disputes == "such allegations"


def test_seed004_quoted_letter_was_quoted_from_the_earliest_edition(seeds):
    x = seeds.x("004")
    q = quotation(x, "The atrocities include arbitrary detention")
    node = f"{ID}doc/{SEED['004']}/quotation/{q.span.start}"
    assert seeds.rows(f"SELECT ?o WHERE {{ <{node}> prov:wasQuotedFrom ?o }}") == [(f"{ID}doc/{SEED['001']}",)]
    assert seeds.x("001").date < seeds.x("000").date
    own_words = seeds.rows(f"""SELECT ?q WHERE {{ ?q schema:isPartOf <{ID}doc/{SEED['004']}> ; schema:text ?t .
                              FILTER(STRSTARTS(?t, "sensational")) FILTER NOT EXISTS {{ ?q prov:wasQuotedFrom ?o }} }}""")
    assert len(own_words) == 1  # the ministry's words are in no other document


def test_seed004_speakers(seeds):
    x = seeds.x("004")
    assert quotation(x, "sensational topics").speaker == "Chinese foreign ministry"
    assert quotation(x, "Bachelet’s remarks").speaker == "Sarah Brooks"
    assert quotation(x, "Instead, the remarks").speaker == "Sarah Brooks"  # "..., she said."
    assert quotation(x, "imposing measures").speaker is None  # nested in the groups' words
    creators = seeds.rows(f"""SELECT DISTINCT ?c WHERE {{ ?q schema:isPartOf <{ID}doc/{SEED['004']}> ;
                              schema:creator ?c }} ORDER BY ?c""")
    assert (ID + "person/sarah-brooks",) in creators


def test_seed004_counts_in_words_and_lower_bounds(seeds):
    x = seeds.x("004")
    by_text = {words(x, f.span): f for f in figures_of(x)}
    assert by_text["Nearly two dozen"].max_value == 24 and by_text["Nearly two dozen"].counts == "activist-groups"
    assert by_text["more than 1 million"].min_value == 1_000_000
    assert by_text["five"].value == 5
    assert allegation(x, "mass-internment", "held in camps").figures[0].counts == "people-detained"


def test_seeds_anchor_invariant(seeds):
    assert_anchors_hold(seeds)


def test_seed_extraction_is_deterministic(seeds):
    x = seeds.x("000")
    assert find_statements(x) == find_statements(x)


# ------------------------------------------------------------------------------------------------
# Documents of our own
# ------------------------------------------------------------------------------------------------

def test_darfur_letter_allegations_and_characterisation(own):
    x = own.x("darfur_letter")
    for act in ("killing", "torture", "sexual-violence"):
        a = allegation(x, act, "subjected Masalit civilians")
        assert a.against == ("Masalit",) and a.places == ("El Geneina",)
    killed = allegation(x, "killing", "were killed")
    assert [(f.min_value, f.max_value) for f in killed.figures] == [(10_000, 15_000)]
    assert killed.against == ("Masalit",)  # from the title: the sentence names no group
    fled = next(f for f in x.figures if words(x, f.span) == "more than 500,000")
    assert fled.min_value == 500_000  # another clause: not a count of the killed
    c = characterization(x, "amount to crimes against humanity")
    assert c.provisions == tuple(f"rome-statute/art_7/para_1/point_{p}" for p in "ahd")


def test_darfur_letter_mentions_that_are_not_allegations(own):
    x = own.x("darfur_letter")
    for sentence in ("The Convention against Torture has been ratified", "Torture is prohibited in all circumstances"):
        assert not [a for a in x.allegations if sentence in words(x, a.span)]
    assert not [c for c in x.characterizations if "Article 7 of the Rome Statute" in words(x, c.span)]


def test_darfur_letter_numbers_that_are_not_figures(own):
    x = own.x("darfur_letter")
    texts = figure_texts(x)
    assert texts == {"14", "9", "Between 10,000 and 15,000", "more than 500,000", "174"}
    counts = {words(x, f.span): f.counts for f in x.figures}
    assert counts["14"] == "organizations" and counts["9"] == "countries"


def test_darfur_letter_quotation_across_page_furniture(own):
    x = own.x("darfur_letter")
    q = quotation(x, "anyone who looked Masalit")
    assert x.doc.text[q.span.start:q.span.end].endswith("sheltered them")
    assert q.speaker == "Panel of Experts" and len(q.gaps) == 1
    assert quotation(x, "the aim was").speaker == "Panel of Experts"
    assert len(x.quotations) == 2  # "militia’s" and "don’t" are apostrophes


def test_rohingya_statement(own):
    x = own.x("rohingya_statement")
    killed = allegation(x, "killing", "6,700 Rohingya were killed")
    assert killed.against == ("Rohingya",) and killed.figures[0].min_value == 6_700
    c = characterization(x, "consistent with genocide")
    assert c.provisions == ("genocide-convention/art_2/point_a", "genocide-convention/art_2/point_b")
    by_text = {words(x, f.span): f for f in figures_of(x)}
    assert set(by_text) == {"nearly one million", "at least 6,700", "About 40 percent"}
    assert by_text["nearly one million"].max_value == 1_000_000 and by_text["About 40 percent"].unit == "percent"


def test_rohingya_statement_straight_quotes_and_apostrophes(own):
    x = own.x("rohingya_statement")
    quoted = [words(x, q.span) for q in x.quotations]
    assert quoted == ["We were told to leave or die,", "They burned our houses in front of us.", "fabricated", "one-sided"]
    assert quotation(x, "We were told").speaker == "Hasina Begum"
    assert quotation(x, "They burned").speaker == "Hasina Begum"
    (r,) = x.rebuttals
    assert (r.author, r.disputes) == ("Myanmar's military government", "the allegations")


def test_tigray_report(own):
    x = own.x("tigray_report")
    detained = allegation(x, "arbitrary-detention", "arbitrarily detained")
    assert detained.against == ("Tigrayan",) and detained.places == ("Tigray",)
    assert (detained.figures[0].min_value, detained.figures[0].counts) == (2_000, "people-detained")
    assert allegation(x, "enforced-disappearance", "1,250 cases").figures[0].value == 1_250
    assert not [a for a in x.allegations if "is defined as" in words(x, a.span)]
    assert figure_texts(x) == {"thousands", "1,250", "two"}  # not "3 June", "A/HRC/54/19", "2020"
    assert quotation(x, "Men were taken").speaker == "Daniel Tesfaye"
    assert [words(x, q.span) for q in x.quotations][-1] == "a pattern of abuse"  # 'single quotes'; didn't, agency's
    (r,) = x.rebuttals
    assert (r.author, r.disputes) == ("Ethiopian government", "the accusations")


def test_own_documents_conform_and_anchors_hold(own):
    report = validate_compiled(own.settings, own.compiled, jobs=1)
    assert report.conforms, report.text()
    assert_anchors_hold(own)


def statements_of(text: str) -> Extraction:
    return find_statements(Extraction(SourceDocument("t", "t.txt", "text/plain", "0" * 64, text), "webpage",
                                      body=Span(0, len(text))))


@pytest.mark.parametrize("text", [
    "The court found no evidence of torture at the facility in Darfur.",
    "Her book traces the history of forced labour in Europe.",
    "The seminar will examine how enforced disappearance is defined in international law.",
    "Deportation is prohibited under the Rome Statute.",
])
def test_a_crime_mentioned_is_not_alleged(text):
    assert statements_of(text).allegations == ()


@pytest.mark.parametrize("text", [
    "The resolution was adopted on 14 January 2021 in Geneva.",
    "Under Article 7(1)(k) of the Rome Statute and Art. II of the Convention, states must act.",
    "Our reference is ASA 17/2021.2130 and our number is +44-20-7413-5500.",
    "Since 2017, the 1990s and the COVID-19 crisis, 3 June has been a day of mourning.",
    "Demands:\n1. Release the prisoners.\n2) Close the camps.",
])
def test_a_number_that_is_not_a_figure(text):
    assert figures_of(statements_of(text)) == []


@pytest.mark.parametrize("text", [
    "We are committed to preventing genocide and crimes against humanity.",
    "Under international law, crimes against humanity are defined as widespread or systematic attacks.",
    "The Rome Statute entered into force in 2002.",
    "The violations do not amount to genocide, the court said.",
])
def test_a_crime_named_is_not_a_characterisation(text):
    assert statements_of(text).characterizations == ()


@pytest.mark.parametrize("text, provisions", [
    ("These killings amount to genocide under Article II(a) of the Genocide Convention.",
     ("genocide-convention/art_2/point_a",)),
    ("In our view the expulsions constitute crimes against humanity under article 7(1)(d) of the Rome Statute.",
     ("rome-statute/art_7/para_1/point_d",)),
    ("The enslavement and extermination of the Yazidis are crimes against humanity which were committed by the group.",
     ("rome-statute/art_7/para_1/point_b", "rome-statute/art_7/para_1/point_c")),
])
def test_provisions_named_or_described(text, provisions):
    (c,) = statements_of(text).characterizations
    assert tuple(sorted(c.provisions)) == provisions


@pytest.mark.parametrize("text, found", [
    ("Between 20 and 30 percent of the detainees were women.", [(None, 20, 30, "percent")]),
    ("Arrests rose from 10 to 20 villagers a week.", [(10, None, None, "villagers"), (20, None, None, "villagers")]),
    ("Up to 3,000 civilians and some 1.2 million refugees were counted.",
     [(None, None, 3000, "civilians"), (1_200_000, None, None, "refugees")]),
    ("The death toll reached 300. Officials counted 45 more (12) on Friday.", [(300, None, None, None), (45, None, None, None)]),
    ("At least a dozen journalists and dozens of lawyers were held.",
     [(None, 12, None, "journalists"), (None, 24, None, "lawyers")]),
])
def test_figures_values_ranges_and_bounds(text, found):
    x = statements_of(text)
    assert [(f.value, f.min_value, f.max_value, f.unit) for f in figures_of(x)] == found


def test_quotation_marks_used_as_apostrophes():
    x = statements_of("The government’s officials don’t accept it; Sudan's army and the groups’ leaders disagree.")
    assert x.quotations == ()
    x = statements_of("The minister’s aide called it ‘a fabrication’ and said “we’ll see.”")
    assert [words(x, q.span) for q in x.quotations] == ["a fabrication", "we’ll see."]


# ------------------------------------------------------------------------------------------------
# Any text
# ------------------------------------------------------------------------------------------------

VOCABULARY = ["torture", "Uyghurs", "Rohingya", "“", "”", "‘", "’", '"', "'", "said", "at least", "80,000", "between",
              "and", "1.8 million", "percent", "2018", "Article 7(1)", "\n\n", "\n", "https://x.org/a", "genocide",
              "crimes against humanity", "amount to", "Rome Statute", "rejected the allegations", "The ministry", ".",
              ",", "China’s", "don't", "nearly two dozen", "in Xinjiang", "Yours sincerely,", "1.", "hundreds of",
              "thousands of", "forced labour", " ", "Genocide Convention", "to", "from", "10"]
TEXTS = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join),
                  st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=4)), max_size=40).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXTS)
def test_any_text_gives_spans_inside_the_text(text):
    x = extract(SourceDocument("d", "d.txt", "text/plain", "0" * 64, text))
    figures = figures_of(x)
    spans = [*(a.span for a in x.allegations), *(a.act_span for a in x.allegations),
             *(c.span for c in x.characterizations), *(f.span for f in figures),
             *(f.statement for f in figures if f.statement), *(q.span for q in x.quotations),
             *(g for q in x.quotations for g in q.gaps), *(r.span for r in x.rebuttals)]
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    for f in figures:
        assert f.value is not None or f.min_value is not None or f.max_value is not None
        assert f.min_value is None or f.max_value is None or f.min_value <= f.max_value
    for q in x.quotations:
        assert all(q.span.start < g.start and g.end <= q.span.end for g in q.gaps)


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------

def assert_anchors_hold(c: Compiled) -> None:
    """Every statement, figure and quotation is anchored, and every anchor quotes its source."""
    unanchored = c.rows("""SELECT ?s WHERE { VALUES ?type { akg:Allegation akg:LegalCharacterization
                           schema:Quotation schema:QuantitativeValue akg:Rebuttal schema:Claim }
                           ?s a ?type FILTER NOT EXISTS { ?s akg:anchor ?a } }""")
    assert unanchored == []
    rows = c.rows("""SELECT ?doc ?start ?end ?exact ?prefix ?suffix WHERE {
                       ?a oa:hasSource ?doc ; oa:hasSelector ?p, ?q .
                       ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
                       OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix } }""")
    texts = dict(c.rows("SELECT ?d ?t WHERE { ?d a schema:DigitalDocument ; schema:text ?t }"))
    assert len(rows) > 20
    for doc, start, end, exact, prefix, suffix in rows:
        text, start, end = texts[doc], int(start), int(end)
        assert text[start:end] == exact
        assert (prefix or "") == text[max(0, start - 32):start] and (suffix or "") == text[end:end + 32]
