"""Stage 4, rdf: map findings to quads with the ontology; mint IRIs from stable keys.

Consumes a linked :class:`kg.link.Corpus`; creates N-Quads text, one named graph per source
document plus the entities graph.  Terms are written as N-Quads text directly (the fastest way
to build many terms in Python), then parsed once by pyoxigraph when loaded.

>>> lit('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .link import Corpus, Entity
from .records import Extraction, Figure, Span

AKG = "https://w3id.org/atrocity-kg/ontology#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
ORG = "http://www.w3.org/ns/org#"
CITO = "http://purl.org/spar/cito/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
A = f"<{RDF}type>"
CONTEXT = 32  # characters of prefix and suffix kept by a quote selector
TYPES = {"organization": "Organization", "person": "Person", "audience": "Audience", "place": "Place"}
DOC_TYPES = {"letter": ("Message",), "news": ("NewsArticle",), "webpage": ("WebPage",)}


def lit(value: str, datatype: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def integer(value: int) -> str:
    return lit(str(int(value)), XSD + "integer")


def number(value: float) -> str:
    if float(value).is_integer():
        return integer(int(value))
    return lit(repr(float(value)), XSD + "decimal")


def s(term: str) -> str:
    return f"<{SCHEMA}{term}>"


@dataclass
class Minter:
    """Every data IRI is made here, from the base and a stable key."""

    base: str

    def iri(self, path: str) -> str:
        return f"<{self.base}{path}>"

    def doc(self, key: str, *rest: str) -> str:
        return self.iri("/".join(("doc", key) + rest))

    def graph(self, key: str) -> str:
        return self.iri(f"graph/doc/{key}")

    def anchor(self, key: str, span: Span) -> str:
        return self.doc(key, "anchor", f"{span.start}-{span.end}")


class Quads:
    """An append-only buffer of N-Quads lines for one named graph."""

    def __init__(self, graph: str, subjects: set[str] | None = None) -> None:
        self.graph = graph
        self.lines: list[str] = []
        self.subjects = subjects  # when given, each subject added is put in it

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(f"{subject} {predicate} {obj} {self.graph} .\n")
        if self.subjects is not None:
            self.subjects.add(subject)

    def text(self) -> str:
        return "".join(self.lines)


class Asked:
    """The corpus as :func:`document_quads` sees it: each question it asks and the answer,
    recorded (``log``), so that a later build can tell, by asking again (:meth:`still`), whether
    the document's graph would come out the same.  Only these questions can be asked: mapping
    code that reads the corpus another way fails here, rather than go unrecorded."""

    QUESTIONS = frozenset(("entity_path", "resolve_kind", "work_path", "revision", "about_of",
                           "quotation_origin", "edition_stated", "disputed"))

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.log: dict[tuple, object] = {}

    def __getattr__(self, name: str):
        if name not in Asked.QUESTIONS:
            raise AttributeError(f"mapping asked the corpus for {name!r}, which Asked does not record")
        method = getattr(self.corpus, name)

        log = self.log

        def ask(*args):
            answer = method(*args)
            log[(name, *args)] = answer
            return answer

        setattr(self, name, ask)  # asked again, found without __getattr__
        return ask

    @staticmethod
    def still(corpus: Corpus, log: dict) -> bool:
        """Whether ``corpus`` gives every answer of ``log`` again."""
        try:
            return all(getattr(corpus, question[0])(*question[1:]) == answer for question, answer in log.items())
        except (KeyError, AttributeError, StopIteration):  # a name no longer resolved, ...
            return False


def document_quads(x: Extraction, corpus: Corpus, m: Minter, subjects: set[str] | None = None) -> str:
    """All quads of one source document's graph (and their subjects put in ``subjects``)."""
    key = x.doc.key
    q = Quads(m.graph(key), subjects)
    d = m.doc(key)
    _document(q, x, corpus, m, d)
    for sig in x.signatures:
        _signature(q, x, corpus, m, d, sig)
    for call in x.calls:
        node = m.doc(key, "call", str(call.span.start))
        _claim(q, x, m, node, "CallToAction", call.text, call.span, d)
        if call.position is not None:
            q.add(node, s("position"), integer(call.position))
        for who in call.recipients:
            q.add(node, s("recipient"), _entity(m, corpus, "audience", who))
    _statements(q, x, corpus, m, d)
    _reported_signers(q, x, corpus, m, d)
    return q.text()


def _reported_signers(q: Quads, x: Extraction, corpus: Corpus, m: Minter, d: str) -> None:
    """Signers a report names, linked to the letter it is about: a ``schema:EndorseAction``
    (agent, object: the work) anchored on the name in the report.  Not an ``akg:Signature`` or
    ``akg:signatory`` of an edition: the report attests the signature, the letter does not."""
    work = corpus.about_of(x.doc.key)
    if work is None:
        return
    for sig in x.reported_signers:
        node = m.doc(x.doc.key, "reported-signer", str(sig.span.start))
        q.add(node, A, s("EndorseAction"))
        q.add(node, s("agent"), _entity(m, corpus, sig.kind, sig.name))
        q.add(node, s("object"), m.iri(work))
        q.add(node, f"<{AKG}anchor>", anchor(q, x, m, sig.span))


def _document(q: Quads, x: Extraction, corpus: Corpus, m: Minter, d: str) -> None:
    key, doc = x.doc.key, x.doc
    types = ["CreativeWork", *DOC_TYPES.get(x.doc_type, ())]
    if x.doc_type == "letter" and (doc.media_type == "text/html" or _web_furniture(x) >= 3):
        types.append("WebPage")  # a web copy of a letter
    for t in types:
        q.add(d, A, s(t))
    q.add(d, A, f"<{AKG}Edition>")
    if x.title:
        q.add(d, s("name"), lit(x.title.text))
    if x.date:
        q.add(d, s("datePublished"), lit(x.date, XSD + "date"))
    if doc.metadata.url:
        q.add(d, s("url"), f"<{doc.metadata.url}>")
    if x.publisher:
        q.add(d, s("publisher"), _entity(m, corpus, "organization", x.publisher))
    if x.author:
        q.add(d, s("author"), _entity(m, corpus, "organization", x.author))
    for who in x.addressees:
        q.add(d, s("recipient"), _entity(m, corpus, "audience", who.text))
    work = corpus.work_path(key)
    if work:
        q.add(d, s("exampleOfWork"), m.iri(work))
    earlier = corpus.revision(key)
    if earlier is not None:
        q.add(d, f"<{PROV}wasRevisionOf>", m.doc(earlier))
    about = corpus.about_of(key)
    if about is not None:
        q.add(d, s("about"), m.iri(about))
    t = m.doc(key, "text")
    q.add(d, f"<{AKG}source>", t)
    q.add(t, A, s("DigitalDocument"))
    q.add(t, s("sha256"), lit(doc.sha256))
    q.add(t, s("text"), lit(doc.text))
    q.add(t, s("encodingFormat"), lit(doc.media_type))
    q.add(t, s("name"), lit(doc.path))


def _web_furniture(x: Extraction) -> int:
    """Lines of a web page's furniture (menus, tweets, footers); a PDF's footnote links and
    page numbers do not make a document a web page."""
    text = x.doc.text
    lines = [l.strip() for span in x.furniture for l in text[span.start:span.end].split("\n")]
    return sum(1 for l in lines if l and not re.fullmatch(r"(https?://|www\.)\S+|\d{1,4}|page \d+( of \d+)?", l, re.I))


def _entity(m: Minter, corpus: Corpus, kind: str, name: str) -> str:
    return m.iri(corpus.entity_path(kind, name))


def anchor(q: Quads, x: Extraction, m: Minter, span: Span) -> str:
    """An ``oa:SpecificResource`` with position and quote selectors for a span."""
    key, text = x.doc.key, x.doc.text
    node = m.anchor(key, span)
    pos, quote = m.doc(key, "anchor", f"{span.start}-{span.end}", "position"), m.doc(key, "anchor", f"{span.start}-{span.end}", "quote")
    q.add(node, A, f"<{OA}SpecificResource>")
    q.add(node, f"<{OA}hasSource>", m.doc(key, "text"))
    q.add(node, f"<{OA}hasSelector>", pos)
    q.add(node, f"<{OA}hasSelector>", quote)
    q.add(pos, A, f"<{OA}TextPositionSelector>")
    q.add(pos, f"<{OA}start>", integer(span.start))
    q.add(pos, f"<{OA}end>", integer(span.end))
    q.add(quote, A, f"<{OA}TextQuoteSelector>")
    q.add(quote, f"<{OA}exact>", lit(text[span.start:span.end]))
    prefix, suffix = text[max(0, span.start - CONTEXT):span.start], text[span.end:span.end + CONTEXT]
    if prefix:
        q.add(quote, f"<{OA}prefix>", lit(prefix))
    if suffix:
        q.add(quote, f"<{OA}suffix>", lit(suffix))
    return node


def _signature(q: Quads, x: Extraction, corpus: Corpus, m: Minter, d: str, sig) -> None:
    node = m.doc(x.doc.key, "signature", str(sig.position))
    agent = _entity(m, corpus, sig.kind, sig.name)
    q.add(node, A, f"<{AKG}Signature>")
    q.add(node, A, s("EndorseAction"))
    q.add(node, s("agent"), agent)
    q.add(node, s("object"), d)
    q.add(node, s("position"), integer(sig.position))
    q.add(node, f"<{AKG}anchor>", anchor(q, x, m, sig.span))
    q.add(d, f"<{AKG}signatory>", agent)
    for k, aff in enumerate(sig.affiliations, start=1):
        member = m.doc(x.doc.key, "signature", str(sig.position), "affiliation", str(k))
        q.add(node, f"<{AKG}listedAffiliation>", member)
        q.add(member, A, f"<{ORG}Membership>")
        q.add(member, f"<{ORG}member>", agent)
        if aff.organization:
            q.add(member, f"<{ORG}organization>", _entity(m, corpus, "organization", aff.organization))
        if aff.role:
            q.add(member, f"<{RDFS}label>", lit(aff.role))


def _claim(q: Quads, x: Extraction, m: Minter, node: str, akg_type: str | None, text: str, span: Span, d: str) -> None:
    if akg_type:
        q.add(node, A, f"<{AKG}{akg_type}>")
    q.add(node, A, s("Claim"))
    q.add(node, s("text"), lit(text))
    q.add(node, s("appearance"), d)
    q.add(node, f"<{AKG}anchor>", anchor(q, x, m, span))


def _figure(q: Quads, x: Extraction, m: Minter, f: Figure, owner: str) -> str:
    """A ``schema:QuantitativeValue`` for a figure, linked from its owner with ``akg:quantity``."""
    node = m.doc(x.doc.key, "figure", f"{f.span.start}-{f.span.end}")
    q.add(owner, f"<{AKG}quantity>", node)
    q.add(node, A, s("QuantitativeValue"))
    if f.value is not None:
        q.add(node, s("value"), number(f.value))
    if f.min_value is not None:
        q.add(node, s("minValue"), number(f.min_value))
    if f.max_value is not None:
        q.add(node, s("maxValue"), number(f.max_value))
    if f.unit:
        q.add(node, s("unitText"), lit(f.unit))
    if f.counts:
        q.add(node, f"<{AKG}quantityOf>", m.iri(f"concept/counted/{f.counts}"))
    q.add(node, f"<{AKG}anchor>", anchor(q, x, m, f.span))
    return node


def _statements(q: Quads, x: Extraction, corpus: Corpus, m: Minter, d: str) -> None:
    """Allegations, characterisations, figures, quotations and rebuttals, each anchored.  Two
    statements of one sentence share its anchor: each quad is written once."""
    key, text = x.doc.key, x.doc.text
    flat = lambda span: " ".join(text[span.start:span.end].split())  # noqa: E731
    written = len(q.lines)
    for a in x.allegations:
        node = m.doc(key, "allegation", f"{a.span.start}-{a.act}")
        _claim(q, x, m, node, "Allegation", flat(a.span), a.span, d)
        q.add(node, f"<{AKG}allegedAct>", m.iri(f"concept/act/{a.act}"))
        for g in a.against:
            q.add(node, f"<{AKG}allegedAgainst>", _entity(m, corpus, "group", g))
        for p in a.places:
            q.add(node, s("spatialCoverage"), _entity(m, corpus, "place", p))
        for f in a.figures:
            _figure(q, x, m, f, node)
    for c in x.characterizations:
        node = m.doc(key, "characterization", str(c.span.start))
        _claim(q, x, m, node, "LegalCharacterization", flat(c.span), c.span, d)
        for p in c.provisions:
            q.add(node, f"<{AKG}characterizedAs>", m.iri(f"eli/treaty/{p}"))
    _loose_figures(q, x, corpus, m, d)
    for quote in x.quotations:
        node = m.doc(key, "quotation", str(quote.span.start))
        words, pos = [], quote.span.start
        for gap in sorted(quote.gaps):  # page furniture the quotation runs across is not quoted
            words.append(text[pos:gap.start])
            pos = max(pos, gap.end)
        q.add(node, A, s("Quotation"))
        q.add(node, s("text"), lit(" ".join(" ".join(words + [text[pos:quote.span.end]]).split())))
        q.add(node, s("isPartOf"), d)
        q.add(node, f"<{AKG}anchor>", anchor(q, x, m, quote.span))
        if quote.speaker:
            q.add(node, s("creator"), _entity(m, corpus, corpus.resolve_kind(quote.speaker), quote.speaker))
        origin = corpus.quotation_origin(key, quote.span.start)
        if origin:
            q.add(node, f"<{PROV}wasQuotedFrom>", m.doc(origin))
    for r in x.rebuttals:
        node = m.doc(key, "rebuttal", str(r.span.start))
        disputed = corpus.disputed(key)
        _claim(q, x, m, node, "Rebuttal" if disputed else None, flat(r.span), r.span, d)
        q.add(node, s("author"), _entity(m, corpus, corpus.resolve_kind(r.author), r.author))
        for target in disputed:
            q.add(node, f"<{CITO}disputes>", m.iri(target))
        for f in r.figures:
            _figure(q, x, m, f, node)
    seen = set(q.lines[:written])
    q.lines[written:] = [line for line in dict.fromkeys(q.lines[written:]) if line not in seen]


def _loose_figures(q: Quads, x: Extraction, corpus: Corpus, m: Minter, d: str) -> None:
    """Figures outside allegations belong to a plain ``schema:Claim``: the sentence citing them.
    A count of signers stated in a report about a letter is an ``akg:StatedCount`` of the
    edition it describes."""
    key, text = x.doc.key, x.doc.text
    by_sentence: dict[Span, list[Figure]] = {}
    for f in x.figures:
        by_sentence.setdefault(f.statement or f.span, []).append(f)
    for span, figures in sorted(by_sentence.items()):
        node = m.doc(key, "claim", str(span.start))
        _claim(q, x, m, node, None, " ".join(text[span.start:span.end].split()), span, d)
        for f in sorted(figures, key=lambda f: f.span):
            fig = _figure(q, x, m, f, node)
            edition = corpus.edition_stated(key, f.span.start)
            if edition:
                q.add(fig, A, f"<{AKG}StatedCount>")
                q.add(fig, f"<{AKG}describesEdition>", m.doc(edition))


def entity_quads(corpus: Corpus, m: Minter) -> str:
    """The entities found in documents and not in the reference data, each described once."""
    q = Quads(m.iri("graph/entities"))
    seen: set[str] = set()
    for entity in sorted(corpus.entities.values(), key=lambda e: (e.iri_path, e.name)):
        if entity.iri_path in seen:
            continue
        seen.add(entity.iri_path)
        node = m.iri(entity.iri_path)
        if not entity.known:
            q.add(node, A, s(TYPES.get(entity.kind, "Thing")))
            q.add(node, s("name"), lit(entity.name))
        for other in sorted(corpus.alternate_names.get(entity.iri_path, ())):
            if other != entity.name:
                q.add(node, s("alternateName"), lit(other))
    for work in sorted({w.path: w for w in corpus.works.values()}.values(), key=lambda w: w.path):
        node = m.iri(work.path)
        q.add(node, A, s("CreativeWork"))
        q.add(node, A, f"<{AKG}Work>")
        q.add(node, s("name"), lit(work.name))
        for key in work.editions:
            q.add(node, s("workExample"), m.doc(key))
    return q.text()
