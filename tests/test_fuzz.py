"""Property tests (hypothesis) for every reader and extractor, parameters and read-only
queries; and a replay of every input the coverage-guided fuzzer (fuzz/) ever kept.

For any input: no exception but a one-line InputError; every span inside the text, and
``text[start:end] == exact`` for every anchor; a decoded text normalised (NFC, ``\\n``); the
dumps of a document's graph read back as the same graph; a ``--param`` value bound as one RDF
term, whatever quotes, braces or ``} INSERT`` it holds.

CI runs a fixed sample (``derandomize``); ``KG_HYPOTHESIS=explore`` draws new examples and
ten times as many.
"""

from __future__ import annotations

import importlib.util
import io
import os
import tempfile
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("kg_fuzz_targets", ROOT / "fuzz" / "targets.py")
targets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(targets)

EXPLORE = os.environ.get("KG_HYPOTHESIS") == "explore"
settings.register_profile("kg", deadline=None, derandomize=not EXPLORE, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("kg")


def runs(n: int) -> settings:
    return settings(max_examples=n * 10 if EXPLORE else n)


# ------------------------------------------------------------------------------------------
# Strategies


CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
FRAGMENTS = [
    "Open Letter to the Council on Example Matters", "JOINT STATEMENT ON THE SITUATION IN THE REGION",
    "3 May 2022", "January 14, 2021", "2021-01-14", "12/19/2022", "Sep 15, 2020", "Dear members of the Council,",
    "Your Excellency,", "We urge the Council to:", "We call on all states to", "The Government must act now.",
    "1. Act now.", "2) Report back.", "a) Investigate.", "- a bullet", "* another", "• About Us", "Yours sincerely,",
    "Signed,", "Signatories:", "Example Watch", "Genocide Watch", "Amnesty International",
    "Jane Q. Doe, Professor of Law, Example University", "Agnès Callamard Secretary General",
    "\u201cNever again,\u201d she said.", "\"quoted words\"", "said the ministry", "rejected the allegations as groundless",
    "more than 1,000 people", "between 500 and 1,000 detainees", "1 million Uyghurs", "85%", "crimes against humanity",
    "genocide", "Article II(d) of the Genocide Convention", "Rome Statute, Art. 7(1)(h)",
    "forced labour and arbitrary detention in Xinjiang", "enforced disappearances", "https://example.org/x",
    "www.example.org", "\u00a9 2021 Example. All rights reserved.", "Share this", "**AMNESTY INTERNATIONAL**",
    "## A Heading", "# Title", "> quoted", "Page 2 of 3", "12", "Dr.", "U.N.", "e.g.", "cc: the Secretary-General",
]
SEPARATORS = ["\n", "\n\n", "\n\n\n", " ", ". ", ", ", "\t", "\u00a0", "\u2028", "\x0c", ":", "\n  "]
doc_texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS), st.text(CHARS, max_size=30)),
                     min_size=1, max_size=60).map("".join)
any_texts = st.one_of(st.text(CHARS, max_size=600), doc_texts)


@st.composite
def mutated(draw, seeds: list[bytes]):
    """A seed with a few bytes inserted, deleted or replaced, or cut short."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
        if op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        elif op == "replace":
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at:]
    return bytes(data)


LETTER = targets.ROOT.joinpath("fuzz", "corpus", "markdown", "letter.md").read_bytes().decode("utf-8")
TEXT_SEEDS = [LETTER.encode(enc) for enc in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252")] + [
    b"\xef\xbb\xbf" + LETTER.encode()]
HTML_SEEDS = [p.read_bytes() for p in sorted((ROOT / "fuzz" / "corpus" / "html").iterdir())]
PDF_SEEDS = [p.read_bytes() for p in sorted((ROOT / "fuzz" / "corpus" / "pdf").iterdir()) if p.suffix == ".pdf"]
TAGS = ["p", "div", "span", "h1", "h2", "li", "ul", "ol", "table", "tr", "td", "br", "img", "script", "style",
        "nav", "footer", "head", "title", "pre", "blockquote", "a", "b", "svg", "template", "noscript"]
tag_soup = st.lists(st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"), st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(["<!doctype html>", "<!-- c -->", "<!--", "&amp;", "&#x201C;", "&#0;", "&bogus;", "<br/>",
                     "<p class='x' id=\"y\">", "<![CDATA[x]]>", "<?xml?>", "<", ">", "&"]),
    st.sampled_from(FRAGMENTS), st.text(CHARS, max_size=20)), max_size=80).map("".join)


# ------------------------------------------------------------------------------------------
# Decoding and reading


@runs(300)
@given(st.binary(max_size=3000))
@example(b"\xff\xfe\x00\xd8")  # a lone surrogate in UTF-16
@example(b"\x00" * 10)
@example(b"%PDF-")
@example(b"\xef\xbb\xbf\xff")
def test_decoding_any_bytes(data):
    targets.check_decode(data)


@runs(200)
@given(mutated(TEXT_SEEDS + HTML_SEEDS))
def test_decoding_mutated_documents(data):
    targets.check_decode(data)


@runs(150)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.html", "a.htm", "a.pdf", "a", "a.TXT"]))
def test_reading_any_file(data, name):
    from kg.sources import document_key

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        doc = _read(path, folder)
    if doc is not None:
        targets.assert_normalised(doc.text)
        assert doc.text.strip() and doc.key == document_key(path) and doc.path == name


def _read(path: Path, folder: str):
    from kg.sources import read_document

    try:
        return read_document(path, root=Path(folder), max_bytes=10_000_000)
    except InputError as err:
        assert "\n" not in str(err)
        return None


@runs(200)
@given(st.text(CHARS, max_size=500))
def test_normalising_is_idempotent(text):
    from kg.sources import normalise_text

    once = normalise_text(text)
    assert normalise_text(once) == once
    targets.assert_normalised(once)


@runs(200)
@given(st.one_of(tag_soup, st.text(CHARS, max_size=400)))
def test_html_reader_any_markup(html):
    targets.check_html(html.encode("utf-8"))


@runs(100)
@given(mutated(HTML_SEEDS))
def test_html_reader_mutated_pages(data):
    targets.check_html(data)


@runs(60)
@given(st.one_of(mutated(PDF_SEEDS), st.binary(max_size=300)))
def test_pdf_reader_any_bytes(data):
    targets.check_pdf(data)


# ------------------------------------------------------------------------------------------
# Extraction: every extractor, every span


@runs(400)
@given(any_texts)
@example("Yours sincerely,\n")
@example("We urge the Council to:\n\n1.")
@example("\u201c" * 50)
def test_extraction_of_any_text_keeps_every_span_and_anchor(text):
    from kg.sources import normalise_text

    targets.check_extraction(normalise_text(text))


SAMPLES = sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "eval" / "docs").glob("*.txt"),
                  *(ROOT / "tests" / "eval" / "docs").glob("*.md")])


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_anchor_of_the_sample_documents_quotes_its_text(path):
    from kg.sources import decode_bytes, normalise_text

    targets.check_extraction(normalise_text(decode_bytes(path.read_bytes(), path.name)[0]))


@pytest.mark.parametrize("text", ["Open Letter to 中国政府\n\n3 May 2022\n\nYours sincerely,\n国际特赦组织\n",
                                  "We urge the to:\n\n1. Act now.\n"], ids=["chinese-names", "just-the"])
def test_names_without_latin_letters_are_linked(text):
    targets.check_extraction(text)


def test_names_without_latin_letters_are_kept_apart():
    """Each gets a key of its own (not one empty key for all), the same on every run."""
    from kg.link import _mint, entity_key

    names = ["国际特赦组织", "人权观察", "Международная амнистия", "The", "「」"]
    paths = [_mint("organization", n).iri_path for n in names]
    assert len(set(paths)) == len(names), paths
    assert paths[0] == "org/xn-vcso35d0vima728pjfm"
    assert entity_key("国际特赦组织 ") == entity_key("国际特赦组织")
    assert all(p.isascii() for p in paths)


# The quick looks extraction takes before a costly search must never say no where the search
# would say yes: an address line needs a mark the address patterns all hold, a date a year.
ADDRESS_PIECES = ["P.O. Box 12", "Caixa Postal", "Apartado 4", "Casilla de Correo 9", "Boîte postale", "Postfach",
                  "12 Main Street", "4b, Rue", "a.b@c-d.org", "Tel: +41", "f. 22", "+44 (0)20 7946 0000", "SW1A 1AA",
                  "NY 10017", "8001 Zürich", "www.x", "https://x", " | ", "Registered office:", "Address :",
                  "ſ", "K", "İ", "ı", "٣", "box", "BOX", "post", "www", "@", ":", "|", "\n", " ", "Street", "St.",
                  "Avenue", "office", "e", "t", ".", "1", "12345", "AB", "Quay"]
DATE_PIECES = ["19", "20", "2022", "1999", "04/05/2022", "4 May 2022", "May 4, 2022", "2022-05-04", "de", "marzo",
               "del", "4th", "day of", "Sept.", " ", "/", "-", ".", "1", "0", "9", "2", "١٩"]


@runs(600)
@given(st.lists(st.one_of(st.sampled_from(ADDRESS_PIECES), st.text(CHARS, max_size=6)), max_size=12).map("".join))
@example("Registered office: Geneva")
@example("Tel: +41 22 000")
def test_the_quick_look_for_an_address_agrees_with_the_search(text):
    from kg.extract.structure import ADDRESS, _has_address

    assert _has_address(text) == bool(ADDRESS.search(text))


@runs(600)
@given(st.lists(st.one_of(st.sampled_from(DATE_PIECES), st.text(CHARS, max_size=6)), max_size=12).map("".join),
       st.integers(-3, 40), st.one_of(st.none(), st.integers(-3, 60)), st.booleans())
@example("on 4 May 1999", 0, None, False)
@example("on 4 May 1999", 3, 13, True)
@example("Sent 04/05/2020.", -2, 15, True)
def test_the_quick_look_for_a_year_never_hides_a_date(text, start, end, day_first):
    from kg.extract.dates import _PATTERNS, _may_hold_a_year, find_dates

    stop = len(text) if end is None else end
    if any(p.search(text, start, stop) for p in _PATTERNS):
        assert _may_hold_a_year(text, start, stop)
    else:
        assert find_dates(text, start, end, day_first=day_first) == []


@runs(300)
@given(any_texts)
def test_each_extractor_alone(text):
    from kg.extract.dates import find_dates
    from kg.extract.demands import calls_to_action
    from kg.extract.furniture import furniture_lines, is_furniture_line
    from kg.extract.signatories import signatures
    from kg.extract.structure import read_structure
    from kg.extract.text import lines, name_key, sentences, slug
    from kg.records import Span
    from kg.sources import normalise_text

    text = normalise_text(text)
    all_lines = lines(text)
    assert "\n".join(line.text for line in all_lines) == text
    for line in all_lines:
        assert text[line.start:line.end] == line.text
    for s in sentences(text):
        assert 0 <= s.start <= s.end <= len(text) and text[s.start:s.end] == s.text
    for d in find_dates(text):
        assert text[d.span.start:d.span.end] and date.fromisoformat(d.iso)
    assert all(isinstance(i, int) for i in furniture_lines(all_lines))
    for line in all_lines:
        is_furniture_line(line.text)
    structure = read_structure(text)
    spans = [structure.body] + [a.span for a in structure.addressees] + ([structure.title.span] if structure.title else [])
    closing = structure.closing if structure.closing is not None else len(all_lines) // 2
    for sig in signatures(text, closing):
        spans += [sig.span, sig.name_span] + [a.span for a in sig.affiliations]
        assert sig.name.strip()
    for kind in ("letter", "news", "webpage"):
        spans += [c.span for c in calls_to_action(text, Span(0, len(text)), kind)]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text), span
    assert slug(text) == "unnamed" or all(c.isalnum() and c.isascii() or c == "-" for c in slug(text))
    assert name_key(text) == name_key(name_key(text))


@runs(40)
@given(doc_texts)
def test_dumps_of_a_document_read_back_as_the_same_graph(text):
    from kg.config import DEFAULT_BASE
    from kg.publish.dumps import FORMATS, dump, load_context
    from kg.sources import normalise_text

    nquads = targets.check_extraction(normalise_text(text))
    if nquads is None:
        return
    store = ox.Store()
    store.bulk_load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    quads = set(store)
    context = load_context(ROOT / "ontology" / "context.jsonld")
    for fmt, (_, rdf_format) in FORMATS.items():
        buffer = io.BytesIO()
        dump(store, fmt, buffer, context=context, base_iri=DEFAULT_BASE)
        back = set(ox.parse(buffer.getvalue(), format=rdf_format or ox.RdfFormat.JSON_LD))
        if fmt in ("nquads", "trig", "jsonld"):
            assert back == quads, fmt
        else:
            assert {q.triple for q in back} == {q.triple for q in quads}, fmt


# ------------------------------------------------------------------------------------------
# Read-only: parameters are terms, updates are refused


PARAMS = """# title: Echo
# param: s string - any text
# param: who iri - an IRI
SELECT ?s ?who ?n WHERE { BIND(1 AS ?n) }
"""
NASTY = ['x" } INSERT DATA { <urn:a> <urn:b> <urn:c> } #', "}", '"""', "'''", "\\", "\n} ;\n", "?s", "$who",
         "<urn:x>", "\\u0022", "a\"^^<http://www.w3.org/2001/XMLSchema#integer>", "\" . } DROP ALL ; SELECT * { \""]


@runs(150)
@given(st.one_of(st.sampled_from(NASTY), st.text(CHARS, max_size=80)))
@example('x" } INSERT DATA { <urn:a> <urn:b> <urn:c> } #')
def test_a_string_param_is_one_term_locally_and_remotely(value):
    from kg.config import DEFAULT_BASE
    from kg.queries import bind, parse_header, run_local, with_values

    query = parse_header(PARAMS, "echo")
    terms = bind(query, {"s": value, "who": "id:doc/x"}, DEFAULT_BASE)
    store = ox.Store()
    rows = [[t.value for t in row] for row in run_local(store, query, terms, DEFAULT_BASE)]
    assert rows == [[value, DEFAULT_BASE + "doc/x", "1"]]
    assert query.text == PARAMS, "the query text changed"
    remote = with_values(query.text, terms)  # what --endpoint sends: a VALUES block
    rows = [[t.value for t in row] for row in store.query(remote)]
    assert rows == [[value, DEFAULT_BASE + "doc/x", "1"]]
    assert len(store) == 0


@runs(150)
@given(st.one_of(st.sampled_from(NASTY + ["id:doc/a b", "https://x.example/>", "urn:a{b}"]), st.text(CHARS, max_size=60)))
def test_an_iri_param_is_an_iri_or_refused(value):
    from kg.config import DEFAULT_BASE
    from kg.queries import bind, parse_header, run_local

    query = parse_header(PARAMS, "echo")
    try:
        terms = bind(query, {"s": "x", "who": value}, DEFAULT_BASE)
    except InputError as err:
        assert "--param who=" in str(err)
        return
    rows = [[t.value for t in row] for row in run_local(ox.Store(), query, terms, DEFAULT_BASE)]
    assert rows == [["x", terms["who"].value, "1"]]


def test_a_refused_param_value_is_shown_on_one_line():
    from kg.config import DEFAULT_BASE
    from kg.queries import bind, parse_header

    with pytest.raises(InputError) as refusal:
        bind(parse_header(PARAMS, "echo"), {"s": "x", "who": "\n} ;\n"}, DEFAULT_BASE)
    assert "\n" not in str(refusal.value)


UPDATES = ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "DROP ALL", "CLEAR DEFAULT",
           "LOAD <http://example.org/x>", "CREATE GRAPH <urn:g>", "ADD DEFAULT TO <urn:g>", "MOVE <urn:a> TO <urn:b>",
           "COPY <urn:a> TO <urn:b>", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"]
LEADS = ["", "PREFIX ex: <urn:ex:>\n", "PREFIX ex: <urn:ex:> ", "BASE <urn:b/>\n", "# a comment\n", "  \n\t",
         "prefix ex: <urn:ex:>\n# c\n", "PREFIX a: <urn:a>\nPREFIX b: <urn:b>\n"]


@runs(150)
@given(st.sampled_from(LEADS), st.sampled_from(UPDATES), st.booleans(), st.sampled_from(["", ";", " ; INSERT DATA {}"]))
def test_every_sparql_update_is_refused(lead, update, lower, tail):
    from kg.config import DEFAULT_BASE
    from kg.queries import parse_header, run_local

    text = lead + (update.lower() if lower else update) + tail
    store = ox.Store()
    with pytest.raises(InputError) as refusal:
        run_local(store, parse_header(text, "--sparql"), {}, DEFAULT_BASE)
    assert "\n" not in str(refusal.value) and len(store) == 0


@runs(50)
@given(st.sampled_from(["INSERT DATA", "DELETE", "DROP ALL", "} INSERT {"]), st.sampled_from(['"{}"', "<urn:{}>"]))
def test_update_words_inside_a_select_are_not_refused(word, form):
    from kg.config import DEFAULT_BASE
    from kg.queries import parse_header, run_local

    term = form.format("".join(c if c.isalpha() else "_" for c in word) if form.startswith("<") else word)
    text = f"SELECT ?x WHERE {{ VALUES ?x {{ {term} }} }}"
    rows = list(run_local(ox.Store(), parse_header(text, "--sparql"), {}, DEFAULT_BASE))
    assert len(rows) == 1


# ------------------------------------------------------------------------------------------
# Every input the fuzzer kept: its seed corpus and every crash it ever found


# The crashes kept so far, all fixed (docs/RELIABILITY.md §4 says what each was):
#   pdf/crash-b8dda8d6..., pdf/crash-c08fa8fc...  pypdf LimitReachedError (readers.read_pdf refuses any pypdf error)
#   pdf/crash-dfa5480a...  pypdf AssertionError inside page.extract_text (likewise)
#   pdf/crash-b3a8a68d...  NotImplementedError: a non-standard encryption handler (refused as encrypted)
#   html/crash-0927c397...  link._mint IndexError on a name without Latin letters (link.entity_key)
KNOWN_CRASHES: dict[str, str] = {}  # file under fuzz/crashes/ -> the fix it waits for (an xfail until then)


def kept_inputs():
    for kind in ("corpus", "crashes"):
        for target in sorted(targets.TARGETS):
            folder = ROOT / "fuzz" / kind / target
            for path in sorted(folder.iterdir()) if folder.is_dir() else []:
                if path.is_file() and not path.name.startswith("."):
                    rel = f"{target}/{path.name}"
                    reason = KNOWN_CRASHES.get(rel)
                    marks = [pytest.mark.xfail(strict=True, reason=f"needs {reason}")] if reason else []
                    yield pytest.param(target, path, id=f"{kind}/{rel}", marks=marks)


@pytest.mark.parametrize("target, path", list(kept_inputs()))
def test_every_kept_fuzz_input_passes(target, path):
    targets.TARGETS[target](path.read_bytes())
