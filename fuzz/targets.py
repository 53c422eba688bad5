"""What the fuzzers check, as plain functions of bytes: no atheris here, so that the tests can
replay every kept input (``fuzz/corpus/`` and ``fuzz/crashes/``) without it.

Each ``check_*`` takes any bytes.  Refusing the input with :class:`kg.errors.InputError` is a
correct answer; any other exception, or a broken promise (a span outside the text, an anchor
whose text is not its ``exact``, a decoded text that is not normalised), is a bug.

| target | what it drives |
| --- | --- |
| ``decode`` | ``sources.sniff_media_type``, ``decode_bytes``, ``normalise_text`` under every suffix |
| ``html`` | ``readers.html_text`` on the bytes decoded, then extraction of the text |
| ``pdf`` | ``readers.pdf_text`` on the bytes, and on the bytes spliced into a valid PDF |
| ``markdown`` | a ``.md`` document end to end: read, extract, link, map to RDF, anchors checked |
| ``jsonld`` | the compiled JSON-LD writer (``kg/publish/_jsonld.c``) on the bytes as N-Triples: refused with a ValueError, or JSON; the Python writer's bytes when they are N-Triples |
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = ("x.txt", "x.md", "x.html", "x.pdf", "x")
MEDIA_TYPES = {"text/plain", "text/markdown", "text/html", "application/pdf"}
OA = "http://www.w3.org/ns/oa#"
ANCHORS = f"""SELECT ?start ?end ?exact ?prefix ?suffix WHERE {{
  ?a <{OA}hasSelector> ?p, ?q . ?p <{OA}start> ?start ; <{OA}end> ?end . ?q <{OA}exact> ?exact .
  OPTIONAL {{ ?q <{OA}prefix> ?prefix }} OPTIONAL {{ ?q <{OA}suffix> ?suffix }} }}"""
TEXTS = "SELECT ?text WHERE { ?t a <https://schema.org/DigitalDocument> ; <https://schema.org/text> ?text }"
MAX_TEXT = 200_000  # longer inputs are cut: the fuzzer looks for crashes, the benchmark for speed


def refused(call, *args):
    """The result of ``call``, or None when it refused the input with an InputError."""
    from kg.errors import InputError

    try:
        return call(*args)
    except InputError as err:
        assert "\n" not in str(err), f"a refusal in more than one line: {err!r}"
        return None


def assert_normalised(text: str) -> None:
    assert "\r" not in text, "a carriage return in a decoded text"
    assert unicodedata.is_normalized("NFC", text), "a decoded text that is not NFC"


# ------------------------------------------------------------------------------------------
# decode


def check_decode(data: bytes) -> None:
    from kg.sources import decode_bytes, normalise_text, sniff_media_type

    for name in SUFFIXES:
        media = refused(sniff_media_type, Path(name), data)
        assert media is None or media in MEDIA_TYPES, media
    decoded = refused(decode_bytes, data, "x.txt")
    if decoded is not None:
        text, warnings = decoded
        assert isinstance(text, str) and all(isinstance(w, str) and "\n" not in w for w in warnings)
        once = normalise_text(text)
        assert normalise_text(once) == once, "normalise_text is not idempotent"
        assert_normalised(once)


# ------------------------------------------------------------------------------------------
# html


def check_html(data: bytes) -> None:
    from kg.readers import html_text
    from kg.sources import normalise_text

    text = data[:MAX_TEXT].decode("utf-8", errors="replace")
    out = refused(html_text, text, "x.html")
    if out is not None:
        assert isinstance(out, str)
        check_extraction(normalise_text(out), media_type="text/html")


# ------------------------------------------------------------------------------------------
# pdf


@functools.lru_cache(maxsize=1)
def _pdf_parts() -> tuple[bytes, bytes]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pdfs", ROOT / "tests" / "eval" / "make_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    whole = module.pdf_bytes("# Open Letter to the Council\n\n3 May 2022\n\nWe urge the Council to act.\n")
    cut = whole.index(b"BT ")
    return whole[:cut], whole[cut:]


def check_pdf(data: bytes) -> None:
    from kg.readers import pdf_text

    for candidate in (data, _spliced(data)):
        out = refused(pdf_text, candidate, "x.pdf")
        if out is not None:
            assert isinstance(out, str)


def _spliced(data: bytes) -> bytes:
    """The input put inside a valid PDF's page content stream, to get past the parser's door."""
    head, tail = _pdf_parts()
    return head + data[:4096] + tail


# ------------------------------------------------------------------------------------------
# markdown: one document end to end


def check_markdown(data: bytes) -> None:
    from kg.sources import decode_bytes, normalise_text

    decoded = refused(decode_bytes, data[:MAX_TEXT], "x.md")
    if decoded is not None:
        check_extraction(normalise_text(decoded[0]), media_type="text/markdown")


@functools.lru_cache(maxsize=1)
def _reference():
    from kg.config import DEFAULT_BASE
    from kg.reference import load_reference

    return load_reference(ROOT / "ontology" / "reference", DEFAULT_BASE)


def spans_in(value, where: str = "x"):
    """Every Span in an extraction, with where it was found."""
    from kg.records import Span

    if isinstance(value, Span):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "doc":
                yield from spans_in(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from spans_in(item, f"{where}[{i}]")


def check_extraction(text: str, *, media_type: str = "text/plain"):
    """Extract, link and map one document; check every span and every anchor; return the
    document's N-Quads (or None when the text is refused as empty)."""
    import pyoxigraph as ox

    from kg.config import DEFAULT_BASE
    from kg.extract import extract
    from kg.link import link
    from kg.rdf import Minter, document_quads, entity_quads
    from kg.records import SourceDocument

    if not text.strip():
        return None
    doc = SourceDocument("fuzz", "fuzz.md", media_type, "0" * 64, text)
    x = extract(doc)
    for where, span in spans_in(x):
        assert 0 <= span.start <= span.end <= len(text), f"{where} = {span} is outside a text of {len(text)}"
    corpus = link([x], _reference())
    m = Minter(DEFAULT_BASE)
    nquads = document_quads(corpus.extractions[0], corpus, m) + entity_quads(corpus, m)
    store = ox.Store()
    store.bulk_load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    stored = [row["text"].value for row in store.query(TEXTS, use_default_graph_as_union=True)]
    assert stored == [text], "schema:text does not read back as the text"
    for row in store.query(ANCHORS, use_default_graph_as_union=True):
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["exact"].value, f"anchor {start}-{end}: exact is not the text there"
        if row["prefix"] is not None:
            assert text[max(0, start - 32):start] == row["prefix"].value, f"anchor {start}-{end}: bad prefix"
        if row["suffix"] is not None:
            assert text[end:end + 32] == row["suffix"].value, f"anchor {start}-{end}: bad suffix"
    return nquads


# ------------------------------------------------------------------------------------------
# jsonld


JSONLD_CONTEXT = {"x": "http://x.org/", "schema": "https://schema.org/", "xsd": "http://www.w3.org/2001/XMLSchema#",
                  "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def check_jsonld(data: bytes) -> None:
    """C code reading text: any bytes are refused (ValueError) or give node objects that are
    JSON (for UTF-8 input); N-Triples give what the Python writer gives for them."""
    import json

    import pyoxigraph as ox

    from kg.publish import dumps

    if dumps._jsonld is None:
        return  # not built here: nothing to drive
    c = dumps.Compactor(JSONLD_CONTEXT)
    try:
        nodes = dumps._jsonld.nodes(data, c.namespaces)
    except ValueError as err:
        assert str(err).startswith("line ") and "\n" not in str(err), err
        nodes = None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # the writer copies the bytes of terms as they are: pyoxigraph only gives it UTF-8
    if nodes is not None:
        assert nodes == b"" or nodes.startswith(b"\n    {"), nodes[:40]
        parsed = json.loads(b"[" + nodes + b"]")
        assert all(isinstance(node, dict) and "@id" in node and len(node) > 1 for node in parsed), parsed[:3]
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError):
        return
    if any(isinstance(term, ox.Triple) for t in triples for term in (t.subject, t.object)):
        return  # an RDF 1.2 triple term: JSON-LD has no form for it (the compiled writer refuses it)
    if ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) != data:
        return  # other spacing, comments, escapes: N-Triples, but not as pyoxigraph writes them
    graph = ox.NamedNode("http://x.org/graph")
    python = b"".join(dumps.graph_nodes(None, graph, c, compiled=False, text=data))
    assert nodes == python, (nodes and nodes[:200], python[:200])


TARGETS = {"decode": check_decode, "html": check_html, "pdf": check_pdf, "markdown": check_markdown,
           "jsonld": check_jsonld}
