"""Stage 2, extract: find a document's parts and its findings, each with its character span.

Consumes a :class:`kg.records.SourceDocument`; creates a :class:`kg.records.Extraction`.

| module | creates |
| --- | --- |
| ``furniture`` | the page-furniture regions that extraction skips |
| ``structure`` | title, date, type, addressees, letterhead, body |
| ``signatories`` | signatures (organisations, persons, affiliations) |
| ``organisations`` | an organisation's name apart from its town and country; runs of names |
| ``columns`` | signers set in two columns, cut apart again |
| ``demands`` | calls to action with position and recipients |
| ``statements`` | allegations, legal characterisations, figures, quotations, rebuttals |
| ``reported`` | the signers a news report or web page names for the letter it is about |

Metadata fills only what the text leaves empty (a date missing from a news page, a publisher).
"""

from __future__ import annotations

from dataclasses import replace

from ..records import Affiliation, Extraction, Located, SourceDocument, Span
from .demands import calls_to_action
from .reported import with_reported_signers
from .signatories import signatures
from .structure import furniture_spans, read_structure


def extract(doc: SourceDocument) -> Extraction:
    """Everything the rules find in one document.

    >>> from kg.records import SourceDocument
    >>> doc = SourceDocument("d", "d.txt", "text/plain", "0" * 64,
    ...     "Open Letter to the Council on Example Matters\\n\\n3 May 2022\\n\\nWe urge the Council to:\\n\\n1. Act.\\n\\nYours sincerely,\\nExample Watch\\n")
    >>> x = extract(doc)
    >>> x.title.text, x.date, x.doc_type, [s.name for s in x.signatures], len(x.calls)
    ('Open Letter to the Council on Example Matters', '2022-05-03', 'letter', ['Example Watch'], 1)
    """
    text = doc.text
    st = read_structure(text)
    meta = doc.metadata
    doc_type = meta.doc_type or st.doc_type
    sigs = _with_letterhead(signatures(text, st.closing, columns=doc.media_type == "application/pdf"), st.letterhead)
    title = st.title or (Located(meta.title, Span(0, 0)) if meta.title else None)
    date, date_span = (st.date if st.date else (meta.date, None))
    furniture = furniture_spans(st)
    found = Extraction(
        doc=doc, doc_type=doc_type, title=title, date=date, date_span=date_span,
        addressees=st.addressees, body=st.body, furniture=furniture, signatures=tuple(sigs),
        calls=tuple(calls_to_action(text, st.body, doc_type, furniture)),
        author=meta.author or (st.letterhead if doc_type == "letter" else None),
        publisher=meta.publisher)
    return with_reported_signers(_with_statements(found))


def _with_letterhead(sigs, letterhead):
    """A lone signer with an office but no institution signs for the letterhead's organisation."""
    if letterhead is None or len(sigs) != 1 or sigs[0].kind != "person":
        return sigs
    only = sigs[0]
    if len(only.affiliations) == 1 and only.affiliations[0].organization is None and only.affiliations[0].role:
        aff = only.affiliations[0]
        return [replace(only, affiliations=(Affiliation(aff.role, letterhead, aff.span),))]
    return sigs


def _with_statements(found: Extraction) -> Extraction:
    try:
        from .statements import find_statements
    except ImportError:  # the statements extractor is optional while it is being built
        return found
    return find_statements(found)
