"""The SHACL shapes in shapes/: every node shape has a conforming and a violating example.

The examples start from tests/data/shapes/letter.ttl, a small letter with one instance of every
class of the data contract, and change one thing at a time with a SPARQL Update. A conforming
example must conform; a violating example must produce exactly the expected results, each
identified by focus node and source shape (and, where it says more, result path, value and
SPARQL constraint), each with a plain-English message from the shapes. Examples are typed
explicitly, so the shapes are checked without inference; tests/data/shapes/hierarchy.ttl gives the
class hierarchy as the ontology graph.

The anchor constraints (shapes/anchor-shapes.ttl) are also run as plain SPARQL on Oxigraph for
every example, and must find the same anchors there as pyshacl does.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

import pyoxigraph
import pyshacl
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHAPE_FILES = sorted((ROOT / "shapes").glob("*.ttl"))
DATA = pathlib.Path(__file__).resolve().parent / "data" / "shapes"

ID = Namespace("https://w3id.org/atrocity-kg/id/")
AKG = Namespace("https://w3id.org/atrocity-kg/ontology#")
AKGSH = Namespace("https://w3id.org/atrocity-kg/shapes#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
CITO = Namespace("http://purl.org/spar/cito/")
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

SPARQL_HEADER = """
BASE <https://w3id.org/atrocity-kg/id/>
PREFIX akg: <https://w3id.org/atrocity-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# The nodes of letter.ttl, relative to the data base IRI.
DOC = "doc/open-letter"
TEXT = "doc/open-letter/text"
WORK = "work/open-letter-on-the-protection-of-civilians"
AUDIENCE = "audience/all-un-member-states"
SIG1 = "doc/open-letter/signature/1"
SIG2 = "doc/open-letter/signature/2"
AFFILIATION = "doc/open-letter/signature/1/affiliation/1"
AGNES = "person/agnes-dupont"
UNIVERSITY = "org/university-of-examples"
RIGHTS_WATCH = "org/example-rights-watch"
MINISTRY = "org/ministry-of-defence"
CALL = "doc/open-letter/call/397"
ALLEGATION = "doc/open-letter/allegation/133-killing"
FIGURE = "doc/open-letter/figure/142-155"
CHARACTERIZATION = "doc/open-letter/characterization/194"
QUOTATION = "doc/open-letter/quotation/296"
REBUTTAL = "doc/open-letter/rebuttal/326"
ANCHOR_SIG2 = "doc/open-letter/anchor/503-523"
ANCHOR_QUOTATION = "doc/open-letter/anchor/296-324"
ANCHOR_ALLEGATION = "doc/open-letter/anchor/133-193"
KILLING = "concept/act/killing"
KILLED = "concept/counted/killed"
GENOCIDE_CONVENTION = "eli/treaty/genocide-convention"
ART_2 = "eli/treaty/genocide-convention/art_2"
POINT_A = "eli/treaty/genocide-convention/art_2/point_a"

SHA = "0" * 63 + "1"


# --------------------------------------------------------------------------------------------
# Graphs, loaded once


def _parse(*paths: pathlib.Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


SHAPES = _parse(*SHAPE_FILES)
# Without the anchor shapes: pyshacl parses their SPARQL anew for every source text (~40 ms), so
# examples that do not touch anchors are validated without them, and the anchor queries are run
# for every example on Oxigraph instead (test_anchor_queries_find_the_same_on_oxigraph).
CORE_SHAPES = _parse(*(f for f in SHAPE_FILES if f.name != "anchor-shapes.ttl"))
HIERARCHY = _parse(DATA / "hierarchy.ttl")
LETTER = _parse(DATA / "letter.ttl")
LETTER_TEXT = str(LETTER.value(ID[TEXT], SCHEMA.text))


def _example(update: str) -> Graph:
    data = Graph()
    data += LETTER
    if update.strip():
        data.update(SPARQL_HEADER + update)
    return data


def _validate(update: str, shapes: Graph = SHAPES) -> tuple[bool, Graph, str]:
    data = _example(update)
    conforms, results, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=HIERARCHY,
        inference="none",
        advanced=True,
    )
    assert isinstance(results, Graph), f"pyshacl could not run the shapes: {text}"
    return conforms, results, text


# --------------------------------------------------------------------------------------------
# Writing examples


def lit(value, datatype: Optional[URIRef] = None) -> str:
    """A literal in SPARQL syntax."""
    return Literal(value, datatype=datatype).n3()


def replace(subject: str, predicate: str, old: str, new: str) -> str:
    """Replace one triple of the letter: subject and objects in SPARQL syntax."""
    return f"DELETE DATA {{ {subject} {predicate} {old} }} ;\nINSERT DATA {{ {subject} {predicate} {new} }} ;\n"


def delete(subject: str, predicate: str) -> str:
    """Delete every value of a property of a node."""
    return f"DELETE WHERE {{ {subject} {predicate} ?o }} ;\n"


def insert(triples: str) -> str:
    return f"INSERT DATA {{ {triples} }} ;\n"


def iri(relative: str) -> str:
    return f"<{relative}>"


def selector(anchor: str, kind: str) -> str:
    return f"<{anchor}/{kind}>"


def source_text(doc: str, text: str) -> str:
    return (
        f"<{doc}/text> a schema:DigitalDocument ; schema:sha256 {lit(SHA)} ; schema:text {lit(text)} . "
    )


def edition(doc: str, text: str = "Another copy.") -> str:
    """A minimal conforming document with its source text."""
    return f"<{doc}> a akg:Edition , schema:CreativeWork ; akg:source <{doc}/text> . " + source_text(doc, text)


def anchor(
    doc: str,
    start: int,
    end: int,
    exact: str,
    *,
    prefix: Optional[str] = None,
    suffix: Optional[str] = None,
    key: Optional[str] = None,
) -> str:
    """An anchor into the source text of `doc`, with its two selectors."""
    node = f"{doc}/anchor/{key or f'{start}-{end}'}"
    quote = f"<{node}/quote> a oa:TextQuoteSelector ; oa:exact {lit(exact)}"
    if prefix is not None:
        quote += f" ; oa:prefix {lit(prefix)}"
    if suffix is not None:
        quote += f" ; oa:suffix {lit(suffix)}"
    return (
        f"<{node}> a oa:SpecificResource ; oa:hasSource <{doc}/text> ; "
        f"oa:hasSelector <{node}/position> , <{node}/quote> . "
        f"<{node}/position> a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} . "
        f"{quote} . "
    )


def tiny_document(doc: str, text: str, phrase: str, *, units: str, context: bool = False) -> str:
    """A document whose text has one anchor on `phrase`, its offsets counted in `units`:
    "code points" (the contract), "utf-8" (bytes) or "utf-16" (code units)."""
    start = text.index(phrase)
    end = start + len(phrase)
    prefix, suffix = (text[:start][-32:], text[end:][:32]) if context else (None, None)
    if units == "utf-8":
        start, end = len(text[:start].encode("utf-8")), len(text[:end].encode("utf-8"))
    elif units == "utf-16":
        start, end = len(text[:start].encode("utf-16-le")) // 2, len(text[:end].encode("utf-16-le")) // 2
    return insert(edition(doc, text) + anchor(doc, start, end, phrase, prefix=prefix, suffix=suffix))


class Expected(NamedTuple):
    """A validation result that must be in the report."""

    focus: str  # relative to the data base IRI
    shape: str  # local name in the shapes namespace
    path: Optional[URIRef] = None
    value: Optional[Node] = None
    constraint: Optional[str] = None  # local name of a SHACL-SPARQL constraint

    def key(self) -> tuple:
        return (ID[self.focus], AKGSH[self.shape], AKGSH[self.constraint] if self.constraint else None)


# Examples for these shapes are validated with the anchor shapes too.
ANCHOR_RELATED = {
    "all",
    "DigitalDocumentShape",
    "SpecificResourceShape",
    "TextPositionSelectorShape",
    "TextQuoteSelectorShape",
    "SourceTextAnchorsShape",
}


@dataclass(frozen=True)
class Case:
    shape: str  # the node shape this example is for
    name: str
    update: str
    expected: tuple[Expected, ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return f"{self.shape}: {self.name}"

    @property
    def shapes(self) -> Graph:
        """The shapes to validate with: all of them, unless the example has nothing to do with
        anchors, whose check is then left to the Oxigraph test."""
        about_anchors = self.shape in ANCHOR_RELATED or any(e.constraint for e in self.expected)
        return SHAPES if about_anchors else CORE_SHAPES


# --------------------------------------------------------------------------------------------
# Conforming examples

OTHER_EDITION = "doc/open-letter-2"
TINY = "doc/tiny"
TINY_TEXT = "Agn\u00e8s \U0001F54A said: \u201cStop the killing.\u201d Today."

GOOD = [
    Case("all", "the letter as it is", ""),
    Case(
        "EditionShape",
        "an untitled, undated news report about the letter",
        insert(
            edition("doc/news-report", "A report about the letter.")
            + "<doc/news-report> a schema:NewsArticle ; schema:about <doc/open-letter> ."
        ),
    ),
    Case(
        "EditionShape",
        "a later edition, a revision of the first, of the same work",
        insert(
            edition(OTHER_EDITION)
            + f"<{OTHER_EDITION}> a schema:Message ; schema:name {lit('Open letter, second edition')} ; "
            + f'schema:datePublished "2024-06-01"^^xsd:date ; schema:exampleOfWork <{WORK}> ; '
            + f"prov:wasRevisionOf <{DOC}> ."
        ),
    ),
    Case("WorkShape", "a work with two editions",
         insert(edition(OTHER_EDITION) + f"<{OTHER_EDITION}> schema:exampleOfWork <{WORK}> .")),
    Case("DigitalDocumentShape", "a source text with no anchors", insert(edition("doc/news-report"))),
    Case("AudienceShape", "an audience with a language-tagged name",
         replace(iri(AUDIENCE), "schema:name", lit("all UN member states"), '"all UN member states"@en')),
    Case(
        "SignatureShape",
        "a person's signature with no listed affiliation",
        delete(iri(SIG1), "akg:listedAffiliation") + f"DELETE WHERE {{ <{AFFILIATION}> ?p ?o }} ;",
    ),
    Case(
        "MembershipShape",
        "an affiliation given as a role, with no institution",
        delete(iri(AFFILIATION), "rdfs:label")
        + delete(iri(AFFILIATION), "org:organization")
        + insert(f"<{AFFILIATION}> org:role <role/professor> ."),
    ),
    Case(
        "OrganizationShape",
        "an organisation with a language-tagged name and no Wikidata identifier",
        replace(iri(RIGHTS_WATCH), "schema:name", lit("Example Rights Watch"), '"Example Rights Watch"@en')
        + delete(iri(RIGHTS_WATCH), "schema:sameAs"),
    ),
    Case("PersonShape", "a person with a Wikidata identifier",
         insert(f"<{AGNES}> schema:sameAs <http://www.wikidata.org/entity/Q42> .")),
    Case(
        "AllegationShape",
        "an allegation with no group, place or figure",
        delete(iri(ALLEGATION), "akg:allegedAgainst")
        + delete(iri(ALLEGATION), "schema:spatialCoverage")
        + delete(iri(ALLEGATION), "akg:quantity"),
    ),
    Case("LegalCharacterizationShape", "a characterisation invoking two provisions",
         insert(f"<{CHARACTERIZATION}> akg:characterizedAs <{ART_2}> .")),
    Case("CallToActionShape", "an unnumbered call to action with no addressee",
         delete(iri(CALL), "schema:position") + delete(iri(CALL), "schema:recipient")),
    Case(
        "QuotationShape",
        "a quotation with no known speaker, found in another document",
        delete(iri(QUOTATION), "schema:creator")
        + insert(edition(OTHER_EDITION) + f"<{QUOTATION}> prov:wasQuotedFrom <{OTHER_EDITION}> ."),
    ),
    Case("RebuttalShape", "a rebuttal disputing two statements",
         insert(f"<{REBUTTAL}> cito:disputes <{CHARACTERIZATION}> .")),
    Case(
        "QuantitativeValueShape",
        "a figure given as a range, integer to decimal",
        delete(iri(FIGURE), "schema:value")
        + insert(f'<{FIGURE}> schema:minValue 30000 ; schema:maxValue "40000.5"^^xsd:decimal .'),
    ),
    Case(
        "QuantitativeValueShape",
        "a figure with a minimum only (\"at least\")",
        delete(iri(FIGURE), "schema:value") + insert(f"<{FIGURE}> schema:minValue 40000 ."),
    ),
    Case(
        "QuantitativeValueShape",
        "a figure whose minimum equals its maximum, integer and double",
        delete(iri(FIGURE), "schema:value")
        + insert(f'<{FIGURE}> schema:minValue 40000 ; schema:maxValue "4.0E4"^^xsd:double .'),
    ),
    Case(
        "SpecificResourceShape",
        "an anchor at offset 0 with an empty prefix",
        insert(anchor(DOC, 0, 42, LETTER_TEXT[0:42], prefix="", suffix=LETTER_TEXT[42:74])),
    ),
    Case(
        "TextPositionSelectorShape",
        "an anchor running to the end of the text, ending on a character outside the BMP",
        insert(anchor(DOC, 503, 526, LETTER_TEXT[503:526], suffix="")),
    ),
    Case("TextQuoteSelectorShape", "a quote selector with no prefix or suffix",
         delete(selector(ANCHOR_QUOTATION, "quote"), "oa:prefix")
         + delete(selector(ANCHOR_QUOTATION, "quote"), "oa:suffix")),
    Case("LegalResourceShape", "an instrument with no date",
         delete(iri(GENOCIDE_CONVENTION), "schema:legislationDate")),
    Case("LegalResourceSubdivisionShape", "a provision with no wording and no subject",
         delete(iri(POINT_A), "schema:text") + delete(iri(POINT_A), "eli:is_about")),
    Case("ConceptShape", "a concept in two schemes, labelled in two languages",
         insert(f'<{KILLING}> skos:prefLabel "meurtre"@fr ; skos:inScheme <scheme/counted> .')),
    Case("SourceTextAnchorsShape", "non-ASCII text, offsets in code points",
         tiny_document(TINY, TINY_TEXT, "Stop the killing.", units="code points")),
    Case("SourceTextAnchorsShape", "non-ASCII text, offsets in code points, with prefix and suffix",
         tiny_document(TINY, TINY_TEXT, "Stop the killing.", units="code points", context=True)),
    Case(
        "SourceTextAnchorsShape",
        "a prefix and suffix shorter than 32 characters, just before and after",
        replace(selector(ANCHOR_QUOTATION, "quote"), "oa:prefix", lit(LETTER_TEXT[264:296]), lit("\u201c"))
        + replace(selector(ANCHOR_QUOTATION, "quote"), "oa:suffix", lit(LETTER_TEXT[324:356]), lit("\u201d\n")),
    ),
]


# --------------------------------------------------------------------------------------------
# Violating examples

A_QUOTE = selector(ANCHOR_QUOTATION, "quote")
A_POSITION = selector(ANCHOR_QUOTATION, "position")
EXACT = "SourceTextAnchors-exact"
CONTEXT = "SourceTextAnchors-context"

BAD = [
    # Documents
    Case("EditionShape", "a document IRI that is not /doc/{key}",
         insert(f"<doc/Open-Letter> a akg:Edition , schema:CreativeWork ; akg:source <{TEXT}> . "
                f"<doc/open-letter/copy> a akg:Edition , schema:CreativeWork ; akg:source <{TEXT}> ."),
         (Expected("doc/Open-Letter", "EditionShape"), Expected("doc/open-letter/copy", "EditionShape"))),
    Case("EditionShape", "two titles", insert(f"<{DOC}> schema:name {lit('Another title')} ."),
         (Expected(DOC, "Edition-name", SCHEMA.name),)),
    Case("EditionShape", "a date written as text",
         replace(iri(DOC), "schema:datePublished", '"2024-05-17"^^xsd:date', lit("17 May 2024")),
         (Expected(DOC, "Edition-datePublished", SCHEMA.datePublished, Literal("17 May 2024")),)),
    Case("EditionShape", "no source text", delete(iri(DOC), "akg:source"),
         (Expected(DOC, "Edition-source", AKG.source),)),
    Case("EditionShape", "a source that is not a DigitalDocument",
         replace(iri(DOC), "akg:source", iri(TEXT), iri(WORK)),
         (Expected(DOC, "Edition-source", AKG.source, ID[WORK]),)),
    Case("EditionShape", "a captured document not typed akg:Edition",
         insert(source_text("doc/news-report", "A report.")
                + "<doc/news-report> a schema:NewsArticle , schema:CreativeWork ; "
                + "akg:source <doc/news-report/text> ."),
         (Expected("doc/news-report", "Edition-typeEdition", RDF.type),)),
    Case("EditionShape", "a document not typed schema:CreativeWork",
         f"DELETE DATA {{ <{DOC}> a schema:CreativeWork }} ;",
         (Expected(DOC, "Edition-typeCreativeWork", RDF.type),)),
    Case("EditionShape", "a signatory with no signature", insert(f"<{DOC}> akg:signatory <{MINISTRY}> ."),
         (Expected(DOC, "Edition-signatory"),)),
    Case("EditionShape", "a signer missing from the signatories",
         f"DELETE DATA {{ <{DOC}> akg:signatory <{RIGHTS_WATCH}> }} ;",
         (Expected(DOC, "Edition-signatory"),)),
    Case("EditionShape", "an addressee and a subject given as text",
         insert(f"<{DOC}> schema:recipient {lit('Governments')} ; schema:about {lit('the war')} ."),
         (Expected(DOC, "Edition-recipient", SCHEMA.recipient, Literal("Governments")),
          Expected(DOC, "Edition-about", SCHEMA.about, Literal("the war")))),
    Case("EditionShape", "an edition of an untyped work",
         replace(iri(DOC), "schema:exampleOfWork", iri(WORK), "<work/unknown>"),
         (Expected(DOC, "Edition-exampleOfWork", SCHEMA.exampleOfWork, ID["work/unknown"]),
          Expected("work/unknown", "Work-typeCreativeWork", RDF.type),
          Expected("work/unknown", "Work-name", SCHEMA.name))),
    Case("EditionShape", "an edition of two works",
         insert(f"<{DOC}> schema:exampleOfWork <work/other> . "
                f"<work/other> a akg:Work , schema:CreativeWork ; schema:name {lit('Other')} ."),
         (Expected(DOC, "Edition-exampleOfWork", SCHEMA.exampleOfWork),)),
    Case("EditionShape", "a revision of something that is not an edition",
         insert(f"<{DOC}> prov:wasRevisionOf <{WORK}> ."),
         (Expected(DOC, "Edition-wasRevisionOf", PROV.wasRevisionOf, ID[WORK]),)),
    Case("WorkShape", "a work with no title", delete(iri(WORK), "schema:name"),
         (Expected(WORK, "Work-name", SCHEMA.name),)),
    Case("WorkShape", "a work not typed schema:CreativeWork", f"DELETE DATA {{ <{WORK}> a schema:CreativeWork }} ;",
         (Expected(WORK, "Work-typeCreativeWork", RDF.type),)),
    Case("DigitalDocumentShape", "a digest in upper case",
         delete(iri(TEXT), "schema:sha256") + insert(f"<{TEXT}> schema:sha256 {lit('AB' * 32)} ."),
         (Expected(TEXT, "DigitalDocument-sha256", SCHEMA.sha256, Literal("AB" * 32)),)),
    Case("DigitalDocumentShape", "no digest", delete(iri(TEXT), "schema:sha256"),
         (Expected(TEXT, "DigitalDocument-sha256", SCHEMA.sha256),)),
    Case("DigitalDocumentShape", "no text", delete(iri(TEXT), "schema:text"),
         (Expected(TEXT, "DigitalDocument-text", SCHEMA.text),)),
    Case("DigitalDocumentShape", "a text with a language tag (anchors still match)",
         delete(iri(TEXT), "schema:text") + insert(f"<{TEXT}> schema:text {Literal(LETTER_TEXT, lang='en').n3()} ."),
         (Expected(TEXT, "DigitalDocument-text", SCHEMA.text),)),
    Case("AudienceShape", "an audience with no name", delete(iri(AUDIENCE), "schema:name"),
         (Expected(AUDIENCE, "Audience-name", SCHEMA.name),)),
    # Signatures and agents
    Case("SignatureShape", "a signature not typed schema:EndorseAction",
         f"DELETE DATA {{ <{SIG2}> a schema:EndorseAction }} ;",
         (Expected(SIG2, "Signature-type", RDF.type),)),
    Case("SignatureShape", "a signer that is an audience",
         replace(iri(SIG2), "schema:agent", iri(RIGHTS_WATCH), iri(AUDIENCE))
         + replace(iri(DOC), "akg:signatory", iri(RIGHTS_WATCH), iri(AUDIENCE)),
         (Expected(SIG2, "Signature-agent", SCHEMA.agent, ID[AUDIENCE]),)),
    Case("SignatureShape", "two signers",
         insert(f"<{SIG2}> schema:agent <{MINISTRY}> . <{DOC}> akg:signatory <{MINISTRY}> ."),
         (Expected(SIG2, "Signature-agent", SCHEMA.agent),)),
    Case("SignatureShape", "position 0", replace(iri(SIG2), "schema:position", "2", "0"),
         (Expected(SIG2, "Signature-position", SCHEMA.position, Literal(0)),)),
    Case("SignatureShape", "a position typed xsd:nonNegativeInteger",
         replace(iri(SIG2), "schema:position", "2", '"2"^^xsd:nonNegativeInteger'),
         (Expected(SIG2, "Signature-position", SCHEMA.position, Literal("2", datatype=XSD.nonNegativeInteger)),)),
    Case("SignatureShape", "no anchor", delete(iri(SIG2), "akg:anchor"),
         (Expected(SIG2, "Signature-anchor", AKG.anchor),)),
    Case("SignatureShape", "a signature on something that is not an edition",
         replace(iri(SIG2), "schema:object", iri(DOC), iri(WORK)),
         (Expected(SIG2, "Signature-object", SCHEMA.object, ID[WORK]),
          Expected(DOC, "Edition-signatory"))),
    Case("SignatureShape", "an affiliation that is not a membership",
         replace(iri(SIG1), "akg:listedAffiliation", iri(AFFILIATION), iri(UNIVERSITY)),
         (Expected(SIG1, "Signature-listedAffiliation", AKG.listedAffiliation, ID[UNIVERSITY]),)),
    Case("MembershipShape", "neither a title (role or label) nor an institution",
         delete(iri(AFFILIATION), "rdfs:label") + delete(iri(AFFILIATION), "org:organization"),
         (Expected(AFFILIATION, "MembershipShape"),)),
    Case("MembershipShape", "a member that is an organisation",
         replace(iri(AFFILIATION), "org:member", iri(AGNES), iri(UNIVERSITY)),
         (Expected(AFFILIATION, "Membership-member", ORG.member, ID[UNIVERSITY]),)),
    Case("MembershipShape", "two institutions", insert(f"<{AFFILIATION}> org:organization <{RIGHTS_WATCH}> ."),
         (Expected(AFFILIATION, "Membership-organization", ORG.organization),)),
    Case("OrganizationShape", "a Wikidata page instead of the entity",
         replace(iri(RIGHTS_WATCH), "schema:sameAs", "<http://www.wikidata.org/entity/Q4115189>",
                 "<https://www.wikidata.org/wiki/Q4115189>"),
         (Expected(RIGHTS_WATCH, "Organization-sameAs", SCHEMA.sameAs,
                   URIRef("https://www.wikidata.org/wiki/Q4115189")),)),
    Case("OrganizationShape", "an organisation with no name", delete(iri(UNIVERSITY), "schema:name"),
         (Expected(UNIVERSITY, "Organization-name", SCHEMA.name),)),
    Case("OrganizationShape", "a name that is not text",
         replace(iri(MINISTRY), "schema:name", lit("Ministry of Defence"), "<org/mod>"),
         (Expected(MINISTRY, "Organization-name", SCHEMA.name, ID["org/mod"]),)),
    Case("PersonShape", "a person with no name", delete(iri(AGNES), "schema:name"),
         (Expected(AGNES, "Person-name", SCHEMA.name),)),
    Case("PersonShape", "sameAs to DBpedia",
         insert(f"<{AGNES}> schema:sameAs <http://dbpedia.org/resource/Agnes_Dupont> ."),
         (Expected(AGNES, "Person-sameAs", SCHEMA.sameAs, URIRef("http://dbpedia.org/resource/Agnes_Dupont")),)),
    # Statements
    Case("AllegationShape", "not typed schema:Claim", f"DELETE DATA {{ <{ALLEGATION}> a schema:Claim }} ;",
         (Expected(ALLEGATION, "Allegation-type", RDF.type),)),
    Case("AllegationShape", "two texts", insert(f"<{ALLEGATION}> schema:text {lit('Another sentence.')} ."),
         (Expected(ALLEGATION, "Allegation-text", SCHEMA.text),)),
    Case("AllegationShape", "no alleged act", delete(iri(ALLEGATION), "akg:allegedAct"),
         (Expected(ALLEGATION, "Allegation-allegedAct", AKG.allegedAct),)),
    Case("AllegationShape", "an alleged act that is not a concept",
         replace(iri(ALLEGATION), "akg:allegedAct", iri(KILLING), "<concept/act/unknown>"),
         (Expected(ALLEGATION, "Allegation-allegedAct", AKG.allegedAct, ID["concept/act/unknown"]),)),
    Case("AllegationShape", "no document and no anchor",
         delete(iri(ALLEGATION), "schema:appearance") + delete(iri(ALLEGATION), "akg:anchor"),
         (Expected(ALLEGATION, "Allegation-appearance", SCHEMA.appearance),
          Expected(ALLEGATION, "Allegation-anchor", AKG.anchor))),
    Case("AllegationShape", "group and place given as text",
         replace(iri(ALLEGATION), "akg:allegedAgainst", "<group/civilians>", lit("civilians"))
         + replace(iri(ALLEGATION), "schema:spatialCoverage", "<place/example-city>", lit("Example City")),
         (Expected(ALLEGATION, "Allegation-allegedAgainst", AKG.allegedAgainst, Literal("civilians")),
          Expected(ALLEGATION, "Allegation-spatialCoverage", SCHEMA.spatialCoverage, Literal("Example City")))),
    Case("AllegationShape", "a figure that is not a QuantitativeValue",
         insert(f"<{ALLEGATION}> akg:quantity <{WORK}> ."),
         (Expected(ALLEGATION, "Allegation-quantity", AKG.quantity, ID[WORK]),)),
    Case("LegalCharacterizationShape", "not typed schema:Claim",
         f"DELETE DATA {{ <{CHARACTERIZATION}> a schema:Claim }} ;",
         (Expected(CHARACTERIZATION, "LegalCharacterization-type", RDF.type),)),
    Case("LegalCharacterizationShape", "an instrument invoked instead of a provision",
         replace(iri(CHARACTERIZATION), "akg:characterizedAs", iri(POINT_A), iri(GENOCIDE_CONVENTION)),
         (Expected(CHARACTERIZATION, "LegalCharacterization-characterizedAs", AKG.characterizedAs,
                   ID[GENOCIDE_CONVENTION]),)),
    Case("LegalCharacterizationShape", "no text, no document, no anchor",
         delete(iri(CHARACTERIZATION), "schema:text") + delete(iri(CHARACTERIZATION), "schema:appearance")
         + delete(iri(CHARACTERIZATION), "akg:anchor"),
         (Expected(CHARACTERIZATION, "LegalCharacterization-text", SCHEMA.text),
          Expected(CHARACTERIZATION, "LegalCharacterization-appearance", SCHEMA.appearance),
          Expected(CHARACTERIZATION, "LegalCharacterization-anchor", AKG.anchor))),
    Case("CallToActionShape", "not typed schema:Claim", f"DELETE DATA {{ <{CALL}> a schema:Claim }} ;",
         (Expected(CALL, "CallToAction-type", RDF.type),)),
    Case("CallToActionShape", "numbered 0", replace(iri(CALL), "schema:position", "1", "0"),
         (Expected(CALL, "CallToAction-position", SCHEMA.position, Literal(0)),)),
    Case("CallToActionShape", "a number written as text", replace(iri(CALL), "schema:position", "1", lit("1")),
         (Expected(CALL, "CallToAction-position", SCHEMA.position, Literal("1")),)),
    Case("CallToActionShape", "an addressee given as text",
         insert(f"<{CALL}> schema:recipient {lit('all states')} ."),
         (Expected(CALL, "CallToAction-recipient", SCHEMA.recipient, Literal("all states")),)),
    Case("CallToActionShape", "two anchors, no text, no document",
         insert(f"<{CALL}> akg:anchor <{ANCHOR_ALLEGATION}> .")
         + delete(iri(CALL), "schema:text") + delete(iri(CALL), "schema:appearance"),
         (Expected(CALL, "CallToAction-anchor", AKG.anchor),
          Expected(CALL, "CallToAction-text", SCHEMA.text),
          Expected(CALL, "CallToAction-appearance", SCHEMA.appearance))),
    Case("QuotationShape", "not part of any document", delete(iri(QUOTATION), "schema:isPartOf"),
         (Expected(QUOTATION, "Quotation-isPartOf", SCHEMA.isPartOf),)),
    Case("QuotationShape", "a speaker given as text",
         replace(iri(QUOTATION), "schema:creator", iri(MINISTRY), lit("the ministry")),
         (Expected(QUOTATION, "Quotation-creator", SCHEMA.creator, Literal("the ministry")),)),
    Case("QuotationShape", "quoted from something that is not a document",
         insert(f"<{QUOTATION}> prov:wasQuotedFrom <{MINISTRY}> ."),
         (Expected(QUOTATION, "Quotation-wasQuotedFrom", PROV.wasQuotedFrom, ID[MINISTRY]),)),
    Case("QuotationShape", "no text and no anchor",
         delete(iri(QUOTATION), "schema:text") + delete(iri(QUOTATION), "akg:anchor"),
         (Expected(QUOTATION, "Quotation-text", SCHEMA.text), Expected(QUOTATION, "Quotation-anchor", AKG.anchor))),
    Case("RebuttalShape", "not typed schema:Claim", f"DELETE DATA {{ <{REBUTTAL}> a schema:Claim }} ;",
         (Expected(REBUTTAL, "Rebuttal-type", RDF.type),)),
    Case("RebuttalShape", "no author, nothing disputed",
         delete(iri(REBUTTAL), "schema:author") + delete(iri(REBUTTAL), "cito:disputes"),
         (Expected(REBUTTAL, "Rebuttal-author", SCHEMA.author),
          Expected(REBUTTAL, "Rebuttal-disputes", CITO.disputes))),
    Case("RebuttalShape", "a claim that disputes something, with no anchor",
         insert(f"<doc/open-letter/rebuttal/0> a schema:Claim ; schema:author <{MINISTRY}> ; "
                f"cito:disputes <{ALLEGATION}> ."),
         (Expected("doc/open-letter/rebuttal/0", "Rebuttal-anchor", AKG.anchor),)),
    Case("QuantitativeValueShape", "no number", delete(iri(FIGURE), "schema:value"),
         (Expected(FIGURE, "QuantitativeValueShape"),)),
    Case("QuantitativeValueShape", "a value written as text",
         replace(iri(FIGURE), "schema:value", "40000", lit("40,000")),
         (Expected(FIGURE, "QuantitativeValue-value", SCHEMA.value, Literal("40,000")),)),
    Case("QuantitativeValueShape", "two values", insert(f"<{FIGURE}> schema:value 40001 ."),
         (Expected(FIGURE, "QuantitativeValue-value", SCHEMA.value),)),
    Case("QuantitativeValueShape", "a minimum above the maximum",
         delete(iri(FIGURE), "schema:value")
         + insert(f'<{FIGURE}> schema:minValue 50000 ; schema:maxValue "40000.5"^^xsd:decimal .'),
         (Expected(FIGURE, "QuantitativeValue-range", SCHEMA.minValue, Literal(50000)),)),
    Case("QuantitativeValueShape", "a range written as text",
         delete(iri(FIGURE), "schema:value")
         + insert(f"<{FIGURE}> schema:minValue {lit('30,000')} ; schema:maxValue {lit('40,000')} ."),
         (Expected(FIGURE, "QuantitativeValue-minValue", SCHEMA.minValue),
          Expected(FIGURE, "QuantitativeValue-maxValue", SCHEMA.maxValue))),
    Case("QuantitativeValueShape", "no anchor, two units, counting something that is not a concept",
         delete(iri(FIGURE), "akg:anchor") + insert(f"<{FIGURE}> schema:unitText {lit('persons')} . ")
         + replace(iri(FIGURE), "akg:quantityOf", iri(KILLED), iri(WORK)),
         (Expected(FIGURE, "QuantitativeValue-anchor", AKG.anchor),
          Expected(FIGURE, "QuantitativeValue-unitText", SCHEMA.unitText),
          Expected(FIGURE, "QuantitativeValue-quantityOf", AKG.quantityOf, ID[WORK]))),
    # Anchors
    Case("SpecificResourceShape", "no source", delete(iri(ANCHOR_QUOTATION), "oa:hasSource"),
         (Expected(ANCHOR_QUOTATION, "SpecificResource-hasSource", OA.hasSource),)),
    Case("SpecificResourceShape", "a source that is not a DigitalDocument",
         replace(iri(ANCHOR_QUOTATION), "oa:hasSource", iri(TEXT), iri(DOC)),
         (Expected(ANCHOR_QUOTATION, "SpecificResource-hasSource", OA.hasSource, ID[DOC]),)),
    Case("SpecificResourceShape", "no quote selector",
         f"DELETE DATA {{ <{ANCHOR_QUOTATION}> oa:hasSelector {A_QUOTE} }} ;",
         (Expected(ANCHOR_QUOTATION, "SpecificResource-hasSelector", OA.hasSelector),
          Expected(ANCHOR_QUOTATION, "SpecificResource-quoteSelector", OA.hasSelector))),
    Case("SpecificResourceShape", "two position selectors",
         insert(f"<{ANCHOR_QUOTATION}> oa:hasSelector <{ANCHOR_QUOTATION}/position2> . "
                f"<{ANCHOR_QUOTATION}/position2> a oa:TextPositionSelector ; oa:start 296 ; oa:end 324 ."),
         (Expected(ANCHOR_QUOTATION, "SpecificResource-hasSelector", OA.hasSelector),
          Expected(ANCHOR_QUOTATION, "SpecificResource-positionSelector", OA.hasSelector))),
    Case("TextPositionSelectorShape", "offsets typed xsd:nonNegativeInteger",
         replace(A_POSITION, "oa:start", "296", '"296"^^xsd:nonNegativeInteger')
         + replace(A_POSITION, "oa:end", "324", '"324"^^xsd:nonNegativeInteger'),
         (Expected(f"{ANCHOR_QUOTATION}/position", "TextPositionSelector-start", OA.start),
          Expected(f"{ANCHOR_QUOTATION}/position", "TextPositionSelector-end", OA.end))),
    Case("TextPositionSelectorShape", "no end", delete(A_POSITION, "oa:end"),
         (Expected(f"{ANCHOR_QUOTATION}/position", "TextPositionSelector-end", OA.end),)),
    Case("TextPositionSelectorShape", "start after end",
         replace(A_POSITION, "oa:start", "296", "324") + replace(A_POSITION, "oa:end", "324", "296"),
         (Expected(f"{ANCHOR_QUOTATION}/position", "TextPositionSelector-order", OA.start, Literal(324)),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=EXACT),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=CONTEXT))),
    Case("TextPositionSelectorShape", "a negative start",
         replace(A_POSITION, "oa:start", "296", "-1"),
         (Expected(f"{ANCHOR_QUOTATION}/position", "TextPositionSelector-start", OA.start, Literal(-1)),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=EXACT),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=CONTEXT))),
    Case("TextPositionSelectorShape", "an empty span: start equals end",
         replace(A_POSITION, "oa:end", "324", "296"),
         (Expected(f"{ANCHOR_QUOTATION}/position", "TextPositionSelector-order", OA.start, Literal(296)),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=EXACT),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=CONTEXT))),
    Case("TextQuoteSelectorShape", "an empty quoted text",
         replace(A_QUOTE, "oa:exact", lit("We did not target civilians."), '""'),
         (Expected(f"{ANCHOR_QUOTATION}/quote", "TextQuoteSelector-exact", OA.exact, Literal("")),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=EXACT))),
    Case("TextQuoteSelectorShape", "no quoted text", delete(A_QUOTE, "oa:exact"),
         (Expected(f"{ANCHOR_QUOTATION}/quote", "TextQuoteSelector-exact", OA.exact),)),
    Case("TextQuoteSelectorShape", "a prefix of 33 characters (the right ones)",
         replace(A_QUOTE, "oa:prefix", lit(LETTER_TEXT[264:296]), lit(LETTER_TEXT[263:296])),
         (Expected(f"{ANCHOR_QUOTATION}/quote", "TextQuoteSelector-prefix", OA.prefix),)),
    Case("TextQuoteSelectorShape", "two suffixes (both right)",
         insert(f"{A_QUOTE} oa:suffix {lit(LETTER_TEXT[324:325])} ."),
         (Expected(f"{ANCHOR_QUOTATION}/quote", "TextQuoteSelector-suffix", OA.suffix),)),
    # Legal instruments and provisions
    Case("LegalResourceShape", "an instrument with no name", delete(iri(GENOCIDE_CONVENTION), "schema:name"),
         (Expected(GENOCIDE_CONVENTION, "LegalResourceShape"),)),
    Case("LegalResourceShape", "a date written as text",
         replace(iri(GENOCIDE_CONVENTION), "schema:legislationDate", '"1948-12-09"^^xsd:date',
                 lit("9 December 1948")),
         (Expected(GENOCIDE_CONVENTION, "LegalResource-legislationDate", SCHEMA.legislationDate),)),
    Case("LegalResourceShape", "two names",
         insert(f"<{GENOCIDE_CONVENTION}> schema:name {lit('Genocide Convention')} ."),
         (Expected(GENOCIDE_CONVENTION, "LegalResource-name", SCHEMA.name),)),
    Case("LegalResourceShape", "an instrument not typed schema:Legislation",
         f"DELETE DATA {{ <{GENOCIDE_CONVENTION}> a schema:Legislation }} ;",
         (Expected(GENOCIDE_CONVENTION, "LegalResource-type", RDF.type),)),
    Case("LegalResourceSubdivisionShape", "a provision not part of anything", delete(iri(POINT_A), "eli:is_part_of"),
         (Expected(POINT_A, "LegalResourceSubdivision-isPartOf", ELI.is_part_of),)),
    Case("LegalResourceSubdivisionShape", "a provision part of a concept",
         replace(iri(POINT_A), "eli:is_part_of", iri(ART_2), iri(KILLING)),
         (Expected(POINT_A, "LegalResourceSubdivision-isPartOf", ELI.is_part_of, ID[KILLING]),)),
    Case("LegalResourceSubdivisionShape", "two citations and two wordings",
         insert(f"<{POINT_A}> schema:legislationIdentifier {lit('Art. II(a)')} ; schema:text {lit('Killing')} ."),
         (Expected(POINT_A, "LegalResourceSubdivision-legislationIdentifier", SCHEMA.legislationIdentifier),
          Expected(POINT_A, "LegalResourceSubdivision-text", SCHEMA.text))),
    Case("LegalResourceSubdivisionShape", "about something that is not a concept",
         replace(iri(POINT_A), "eli:is_about", iri(KILLING), iri(GENOCIDE_CONVENTION)),
         (Expected(POINT_A, "LegalResourceSubdivision-isAbout", ELI.is_about, ID[GENOCIDE_CONVENTION]),)),
    Case("LegalResourceSubdivisionShape", "a provision not typed schema:Legislation",
         f"DELETE DATA {{ <{POINT_A}> a schema:Legislation }} ;",
         # In ELI a provision is also an eli:LegalResource, so both shapes see it.
         (Expected(POINT_A, "LegalResourceSubdivision-type", RDF.type),
          Expected(POINT_A, "LegalResource-type", RDF.type))),
    # Concepts
    Case("ConceptShape", "no label", delete(iri(KILLING), "skos:prefLabel"),
         (Expected(KILLING, "Concept-prefLabel", SKOS.prefLabel),)),
    Case("ConceptShape", "no scheme", delete(iri(KILLED), "skos:inScheme"),
         (Expected(KILLED, "Concept-inScheme", SKOS.inScheme),)),
    Case("ConceptShape", "a scheme that is not a ConceptScheme",
         replace(iri(KILLED), "skos:inScheme", "<scheme/counted>", "<scheme/unknown>"),
         (Expected(KILLED, "Concept-inScheme", SKOS.inScheme, ID["scheme/unknown"]),)),
    # The anchor invariant: reported on the source text, with the anchor as value
    Case("SourceTextAnchorsShape", "offsets off by one",
         replace(selector(ANCHOR_SIG2, "position"), "oa:start", "503", "504")
         + replace(selector(ANCHOR_SIG2, "position"), "oa:end", "523", "524"),
         (Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_SIG2], constraint=EXACT),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_SIG2], constraint=CONTEXT))),
    Case("SourceTextAnchorsShape", "an end past the end of the text",
         # SUBSTR stops at the end of the text, so only the length check catches this one.
         delete(selector(ANCHOR_SIG2, "quote"), "oa:suffix")
         + replace(selector(ANCHOR_SIG2, "quote"), "oa:exact", lit("Example Rights Watch"), lit(LETTER_TEXT[503:526]))
         + replace(selector(ANCHOR_SIG2, "position"), "oa:end", "523", "527"),
         (Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_SIG2], constraint=EXACT),)),
    Case("SourceTextAnchorsShape", "a prefix with a straight quote where the text has a curly one",
         replace(A_QUOTE, "oa:prefix", lit(LETTER_TEXT[264:296]), lit(LETTER_TEXT[264:295] + '"')),
         (Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=CONTEXT),)),
    Case("SourceTextAnchorsShape", "a suffix that is not the text after",
         replace(A_QUOTE, "oa:suffix", lit(LETTER_TEXT[324:356]), lit(".")),
         (Expected(TEXT, "SourceTextAnchorsShape", value=ID[ANCHOR_QUOTATION], constraint=CONTEXT),)),
    Case("SourceTextAnchorsShape", "a prefix before the start of the text, a suffix after its end",
         insert(anchor(DOC, 0, 42, LETTER_TEXT[0:42], prefix="\n")
                + anchor(DOC, 503, 526, LETTER_TEXT[503:526], suffix="\n")),
         (Expected(TEXT, "SourceTextAnchorsShape", value=ID["doc/open-letter/anchor/0-42"], constraint=CONTEXT),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID["doc/open-letter/anchor/503-526"], constraint=CONTEXT))),
    Case("SourceTextAnchorsShape", "a negative start, where SPARQL's SUBSTR would still find the words",
         # SUBSTR(text, 0, 6) is the first 5 characters in SPARQL (Oxigraph); rdflib gets "" instead.
         insert(anchor(DOC, -1, 5, LETTER_TEXT[0:5], key="x")),
         (Expected("doc/open-letter/anchor/x/position", "TextPositionSelector-start", OA.start, Literal(-1)),
          Expected(TEXT, "SourceTextAnchorsShape", value=ID["doc/open-letter/anchor/x"], constraint=EXACT))),
    Case("SourceTextAnchorsShape", "non-ASCII text, offsets in UTF-8 bytes",
         tiny_document(TINY, TINY_TEXT, "Stop the killing.", units="utf-8"),
         (Expected(f"{TINY}/text", "SourceTextAnchorsShape", value=ID[f"{TINY}/anchor/21-38"], constraint=EXACT),)),
    Case("SourceTextAnchorsShape", "non-ASCII text, offsets in UTF-16 code units",
         tiny_document(TINY, TINY_TEXT, "Stop the killing.", units="utf-16"),
         (Expected(f"{TINY}/text", "SourceTextAnchorsShape", value=ID[f"{TINY}/anchor/16-33"], constraint=EXACT),)),
]


# --------------------------------------------------------------------------------------------
# Reading reports


class Result(NamedTuple):
    focus: Node
    shape: Node
    constraint: Optional[Node]
    path: Optional[Node]
    value: Optional[Node]
    messages: tuple[str, ...]

    def key(self) -> tuple:
        return (self.focus, self.shape, self.constraint)


def read_results(report: Graph) -> list[Result]:
    return [
        Result(
            report.value(r, SH.focusNode),
            report.value(r, SH.sourceShape),
            report.value(r, SH.sourceConstraint),
            report.value(r, SH.resultPath),
            report.value(r, SH.value),
            tuple(sorted(str(m) for m in report.objects(r, SH.resultMessage))),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]


def matches(result: Result, expected: Expected) -> bool:
    if result.key() != expected.key():
        return False
    if expected.path is not None and result.path != expected.path:
        return False
    return expected.value is None or result.value == expected.value


def declared_messages(shape: Node) -> set[str]:
    return {str(m) for m in SHAPES.objects(shape, SH.message)}


def summary(results: list[Result]) -> str:
    return "\n".join(f"  {r.focus} {r.shape} {r.constraint} {r.path} {r.value!r} {r.messages}" for r in results)


# --------------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.id)
def test_conforming_example(case: Case):
    conforms, report, text = _validate(case.update, case.shapes)
    assert conforms, text


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_violating_example(case: Case):
    conforms, report, text = _validate(case.update, case.shapes)
    assert not conforms, f"{case.id}: expected violations, the graph conforms"
    results = read_results(report)
    assert {r.key() for r in results} == {e.key() for e in case.expected}, (
        f"unexpected report for {case.id}:\n{summary(results)}"
    )
    for expected in case.expected:
        assert any(matches(r, expected) for r in results), (
            f"no result matching {expected} in:\n{summary(results)}"
        )
    for result in results:
        assert result.messages, f"result with no message: {result}"
        if result.constraint is None:
            assert set(result.messages) <= declared_messages(result.shape), result
        else:
            # A SHACL-SPARQL message, filled in: it names the anchor and leaves no {?var}.
            assert all(str(result.value) in m and "{" not in m for m in result.messages), result


def test_anchor_message_names_the_anchor_and_the_span():
    update = BAD[[c.name for c in BAD].index("offsets off by one")].update
    conforms, report, _ = _validate(update)
    messages = {m for r in read_results(report) for m in r.messages}
    assert f"Anchor {ID[ANCHOR_SIG2]}: the source text from 504 to 524 is not the quoted text" in messages
    assert f"Anchor {ID[ANCHOR_SIG2]}: its prefix (oa:prefix) is not the text just before the quoted text" in messages
    assert f"Anchor {ID[ANCHOR_SIG2]}: its suffix (oa:suffix) is not the text just after the quoted text" in messages


def test_offsets_in_the_non_ascii_examples_differ_by_unit():
    """The examples above prove something only if the three ways of counting disagree."""
    start = TINY_TEXT.index("Stop the killing.")
    assert start == 15
    assert len(TINY_TEXT[:start].encode("utf-16-le")) // 2 == 16
    assert len(TINY_TEXT[:start].encode("utf-8")) == 21


def _node_shapes() -> set[Node]:
    return set(SHAPES.subjects(RDF.type, SH.NodeShape))


def _property_shapes() -> set[Node]:
    return {p for s in _node_shapes() for p in SHAPES.objects(s, SH.property)}


def test_every_node_shape_has_a_conforming_and_a_violating_example():
    shapes = {s for s in _node_shapes()}
    assert shapes, "no node shapes found in shapes/"
    good = {AKGSH[c.shape] for c in GOOD}
    bad = {AKGSH[c.shape] for c in BAD}
    assert shapes - good == set(), "node shapes with no conforming example"
    assert shapes - bad == set(), "node shapes with no violating example"
    assert (good | bad) - shapes - {AKGSH["all"]} == set(), "examples for shapes that do not exist"


def test_every_property_shape_is_seen_failing():
    failing = {AKGSH[e.shape] for c in BAD for e in c.expected}
    assert _property_shapes() - failing == set()


def test_every_shape_speaks_plain_english():
    for shape in _node_shapes() | _property_shapes():
        assert SHAPES.value(shape, SH.name), f"{shape} has no sh:name"
    for shape in _property_shapes():
        assert len(declared_messages(shape)) == 1, f"{shape} needs one sh:message"
    node_level = [SH.pattern, SH["or"], SH.nodeKind, SH["class"]]
    for shape in _node_shapes():
        if any(SHAPES.value(shape, p) is not None for p in node_level):
            assert declared_messages(shape), f"{shape} has node-level constraints and no sh:message"
    for constraint in SHAPES.objects(None, SH.sparql):
        assert SHAPES.value(constraint, SH.message), f"{constraint} has no sh:message"
        assert SHAPES.value(constraint, SH.prefixes), f"{constraint} has no sh:prefixes"


def test_anchor_constraints_target_the_source_text_not_each_anchor():
    for shape in set(SHAPES.subjects(SH.sparql, None)):
        assert set(SHAPES.objects(shape, SH.targetClass)) == {SCHEMA.DigitalDocument}, shape


def test_offsets_and_positions_are_checked_as_xsd_integer():
    """Not xsd:nonNegativeInteger: Oxigraph would turn it into xsd:integer on the way through."""
    datatypes = {
        shape: SHAPES.value(shape, SH.datatype)
        for shape in _property_shapes()
        if SHAPES.value(shape, SH.path) in (OA.start, OA.end, SCHEMA.position)
    }
    assert set(datatypes.values()) == {XSD.integer, None}  # None: start < end, no datatype
    assert len([d for d in datatypes.values() if d == XSD.integer]) == 4


def test_shapes_graph_is_well_formed_shacl():
    conforms, _, text = pyshacl.validate(
        Graph(), shacl_graph=SHAPES, inference="none", advanced=True, meta_shacl=True
    )
    assert conforms, text


def _anchor_query(constraint: str) -> str:
    """The SELECT of a SHACL-SPARQL constraint with the prefixes it declares."""
    node = AKGSH[constraint]
    prefixes = "".join(
        f"PREFIX {SHAPES.value(d, SH.prefix)}: <{SHAPES.value(d, SH.namespace)}>\n"
        for d in SHAPES.objects(SHAPES.value(node, SH.prefixes), SH.declare)
    )
    return prefixes + str(SHAPES.value(node, SH.select))


@pytest.mark.parametrize("case", GOOD + BAD, ids=lambda c: c.id)
def test_anchor_queries_find_the_same_on_oxigraph(case: Case):
    """The anchor constraints, run as plain SPARQL over an Oxigraph store ($this is just a variable
    there), find the same anchors as pyshacl: the check can move to the store unchanged."""
    store = pyoxigraph.Store()
    store.load(_example(case.update).serialize(format="nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    for constraint in (EXACT, CONTEXT):
        found = {(s["this"].value, s["value"].value) for s in store.query(_anchor_query(constraint))}
        expected = {(str(ID[e.focus]), str(e.value)) for e in case.expected if e.constraint == constraint}
        assert found == expected, constraint
