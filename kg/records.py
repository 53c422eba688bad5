"""The typed records that flow between pipeline stages.

Stages pass these plain frozen dataclasses to each other; RDF is produced once, in
:mod:`kg.rdf`.  Every finding carries a :class:`Span` of code points into the decoded
source text (``SourceDocument.text``), start included, end excluded.

>>> s = Span(4, 9)
>>> s.slice("the quick fox")
'quick'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range of code points ``[start, end)`` into a source text."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Metadata:
    """What a per-document metadata file adds: only what the text cannot say."""

    url: Optional[str] = None
    publisher: Optional[str] = None
    date: Optional[str] = None  # ISO yyyy-mm-dd, used only when the text gives none
    doc_type: Optional[str] = None  # letter | news | webpage
    title: Optional[str] = None  # used only when the text has no heading
    author: Optional[str] = None
    about: Optional[str] = None  # key of the document this one is about
    notes: Optional[str] = None


@dataclass(frozen=True)
class SourceDocument:
    """One decoded source file.  ``text`` is what every offset counts in."""

    key: str  # stable key from the file name, used in IRIs
    path: str  # path relative to the seeds folder
    media_type: str  # text/plain, text/markdown, text/html, application/pdf
    sha256: str  # hex digest of the file's bytes
    text: str  # UTF-8 decoded, NFC, line ends as \n
    metadata: Metadata = field(default_factory=Metadata)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Located:
    """A piece of text with its span (used for titles, names, addressees)."""

    text: str
    span: Span


@dataclass(frozen=True)
class Affiliation:
    """A person's title and institution as listed beside their signature."""

    role: Optional[str]  # the title as written, e.g. "Associate Professor"
    organization: Optional[str]  # the institution as written
    span: Span


@dataclass(frozen=True)
class Signature:
    """One entry of a signature block."""

    position: int  # 1-based order in the list
    name: str
    kind: str  # "organization" | "person"
    span: Span  # the whole entry as listed
    name_span: Span
    affiliations: tuple[Affiliation, ...] = ()
    country: Optional[str] = None


@dataclass(frozen=True)
class CallToAction:
    """A demand made by the document."""

    position: Optional[int]  # its number in the list, where numbered
    text: str
    span: Span
    recipients: tuple[str, ...] = ()  # who is asked, as written


@dataclass(frozen=True)
class Figure:
    """A number cited in a statement (schema:QuantitativeValue)."""

    span: Span
    value: Optional[float] = None
    min_value: Optional[float] = None
    max_value: Optional[float] = None
    unit: Optional[str] = None  # unitText, e.g. "people", "percent"
    counts: Optional[str] = None  # slug of the skos:Concept naming what is counted (concept/counted/{counts})
    statement: Optional[Span] = None  # the sentence the figure belongs to


@dataclass(frozen=True)
class Allegation:
    """An act alleged in a source (akg:Allegation)."""

    span: Span  # the sentence
    act: str  # slug of the alleged-act concept (concept/act/{act})
    act_span: Span  # the words naming the act
    against: tuple[str, ...] = ()  # group names as written
    places: tuple[str, ...] = ()  # place names as written
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class LegalCharacterization:
    """A statement that acts amount to crimes under an instrument."""

    span: Span
    provisions: tuple[str, ...]  # provision paths under eli/treaty/, e.g. "genocide-convention/art_2/point_d"
    instrument: Optional[str] = None


@dataclass(frozen=True)
class Quotation:
    """Words quoted in a document."""

    span: Span  # the quoted words, without the quotation marks
    speaker: Optional[str] = None  # who said them, as written
    gaps: tuple[Span, ...] = ()  # regions inside the span that are not the quoted words (a page break's furniture)


@dataclass(frozen=True)
class Rebuttal:
    """A claim by an author that disputes something."""

    span: Span
    author: str
    disputes: Optional[str] = None  # what it rejects, as written
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything found in one document."""

    doc: SourceDocument
    doc_type: str  # letter | news | webpage
    title: Optional[Located] = None
    date: Optional[str] = None  # ISO date
    date_span: Optional[Span] = None
    addressees: tuple[Located, ...] = ()
    body: Optional[Span] = None
    furniture: tuple[Span, ...] = ()  # regions skipped as page furniture
    signatures: tuple[Signature, ...] = ()
    calls: tuple[CallToAction, ...] = ()
    allegations: tuple[Allegation, ...] = ()
    characterizations: tuple[LegalCharacterization, ...] = ()
    figures: tuple[Figure, ...] = ()
    quotations: tuple[Quotation, ...] = ()
    rebuttals: tuple[Rebuttal, ...] = ()
    author: Optional[str] = None
    publisher: Optional[str] = None
    reported_signers: tuple[Signature, ...] = ()  # signers a news report names for the letter it is about
