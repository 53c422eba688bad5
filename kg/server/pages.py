"""HTML pages per resource, readable by a person: labels not IRIs, a document's text with each
statement's span highlighted and linked, what a signatory signed, which documents invoke a
provision.  Every text from the store goes through :mod:`kg.server.markup`, so it is escaped.
"""

from __future__ import annotations

from itertools import groupby

import pyoxigraph as ox

from . import describe as d
from .describe import Resource, q
from .highlight import Mark, anchor_id, highlight
from .markup import Html, el, join, page
from .site import FORMAT_TITLES, Site

MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json"}
HIDDEN = {d.RDF_TYPE}
LONG = 400  # a literal longer than this is shown as a block of text


class Labeler:
    """Labels for IRIs, fetched in batches and cached for one page."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.cache: dict[str, str] = {}

    def prefetch(self, iris) -> None:
        missing = {i for i in iris if i not in self.cache}
        if missing:
            found = d.labels(self.store, missing)
            self.cache.update({i: found.get(i) or d.humanize(i) for i in missing})

    def __call__(self, iri: str) -> str:
        if iri not in self.cache:
            self.prefetch([iri])
        return self.cache[iri]


def nav(site: Site) -> list[Html]:
    links = [("Home", site.root)]
    if not site.static:
        links += [("Query", site.query_page), ("SPARQL endpoint", site.endpoint)]
    links += [("Dumps", site.dumps), ("Dataset description (VoID)", site.void)]
    return [el("a", text, href=href) for text, href in links]


def layout(site: Site, title: str, body: list, alternates=()) -> Html:
    return page(f"{title} · {site.title}", body, css=site.css, alternates=alternates, nav=nav(site))


def link(site: Site, label: Labeler, iri: str) -> Html:
    href = site.href(iri)
    text = label(iri)
    return el("a", text, href=href) if href else el("span", text)


def term(site: Site, label: Labeler, value) -> Html:
    """One RDF term: a link with its label, or a literal's text (escaped)."""
    if isinstance(value, ox.NamedNode):
        return link(site, label, value.value)
    if isinstance(value, ox.BlankNode):
        return el("span", f"_:{value.value}", class_="muted")
    if isinstance(value, ox.Triple):
        return el("span", str(value), class_="iri")
    if len(value.value) > LONG:
        return el("div", value.value, class_="context")
    extra = value.language or (d.humanize(value.datatype.value) if value.datatype.value != d.q("xsd:string") else None)
    return join([value.value, el("span", f" ({extra})", class_="muted") if extra else None])


def alternates(site: Site, iri: str) -> list[tuple[str, str, str]]:
    return [(site.alternate(iri, fmt), MEDIA[fmt], FORMAT_TITLES[fmt]) for fmt in MEDIA]


def header(site: Site, label: Labeler, res: Resource) -> list[Html]:
    chips = el("p", *[el("span", label(t)) for t in res.types], class_="types")
    formats = join([el("a", FORMAT_TITLES[f], href=site.alternate(res.iri, f)) for f in MEDIA], " · ")
    return [el("h1", label(res.iri)), chips, el("p", res.iri, class_="iri"),
            el("p", "Also as ", formats, class_="muted")]


def properties(site: Site, label: Labeler, res: Resource, skip=()) -> list[Html]:
    triples = [t for t in res.outgoing if t.predicate.value not in HIDDEN | set(skip)]
    if not triples:
        return []
    triples.sort(key=lambda t: (label(t.predicate.value).lower(), t.predicate.value))
    rows = [[link(site, label, p), join([el("div", term(site, label, t.object)) for t in group])]
            for p, group in groupby(triples, key=lambda t: t.predicate.value)]
    return [el("h2", "Properties"), el("table", *[el("tr", el("th", r[0], scope="row"), el("td", r[1])) for r in rows],
                                       class_="properties")]


def referenced_by(site: Site, label: Labeler, res: Resource) -> list[Html]:
    if not res.incoming:
        return []
    rows = sorted(res.incoming, key=lambda t: (label(t.predicate.value).lower(), label(t.subject.value).lower()))
    body = [[term(site, label, t.subject), label(t.predicate.value)] for t in rows]
    return [el("h2", "Referenced by"),
            el("table", el("thead", el("tr", el("th", "What"), el("th", "How"))),
               el("tbody", *[el("tr", el("td", a), el("td", b)) for a, b in body]), class_="backlinks")]


def resource_page(site: Site, store: ox.Store, res: Resource) -> Html:
    """The page of any resource: its sections by kind, then its properties and backlinks."""
    label = Labeler(store)
    label.prefetch(d.iris_of(res.outgoing + res.incoming) | {res.iri})
    sections, skip = special_sections(site, store, label, res)
    body = header(site, label, res) + sections + properties(site, label, res, skip) + referenced_by(site, label, res)
    return layout(site, label(res.iri), body, alternates(site, res.iri))


def special_sections(site: Site, store: ox.Store, label: Labeler, res: Resource) -> tuple[list[Html], set[str]]:
    """The sections a kind of resource gets, and the properties they already show."""
    out: list[Html] = []
    skip: set[str] = set()
    if res.value("akg:source") is not None:
        out += document_sections(site, store, label, res)
    if res.has_type("schema:DigitalDocument") and res.value("schema:text") is not None:
        out += text_section(site, store, label, res.iri, res.value("schema:text").value)
        skip.add(q("schema:text"))
    if res.value("akg:anchor") is not None:
        out += in_the_source(site, store, label, res)
    out += signed_section(site, store, label, res)
    if res.has_type("eli:LegalResource", "eli:LegalResourceSubdivision"):
        out += invoked_section(site, store, label, res)
    if res.is_graph:
        out += graph_section(site, store, res)
    return out, skip


def document_sections(site: Site, store: ox.Store, label: Labeler, res: Resource) -> list[Html]:
    """A document: its signatories in order, then its text with every statement highlighted."""
    out = signatories_section(site, store, label, res)
    text_iri = res.value("akg:source").value
    text = d.source_text(store, text_iri)
    if text is not None:
        out += text_section(site, store, label, text_iri, text)
    return out


def signatories_section(site: Site, store: ox.Store, label: Labeler, res: Resource) -> list[Html]:
    rows = d.signatures(store, res.iri)
    if not rows:
        return []
    label.prefetch(r["agent"].value for r in rows)
    items = [el("li", link(site, label, r["agent"].value), " ",
                el("a", "(signature)", href=site.href(r["sig"].value), class_="muted")) for r in rows]
    return [el("h2", f"Signatories ({len(rows)})"), el("ol", *items, class_="signatories")]


def text_section(site: Site, store: ox.Store, label: Labeler, text_iri: str, text: str) -> list[Html]:
    rows = d.anchored_statements(store, text_iri)
    label.prefetch(r["st"].value for r in rows)
    marks = [Mark(int(r["start"].value), int(r["end"].value), site.href(r["st"].value) or "#", label(r["st"].value))
             for r in rows]
    listing = [el("li", el("a", label(r["st"].value), href=site.href(r["st"].value)), " ",
                  el("a", "↧ in the text", href="#" + anchor_id(int(r["start"].value), int(r["end"].value)),
                     class_="muted")) for r in rows]
    out = [el("h2", "Text"), el("div", highlight(text, marks), class_="source-text", id="text")]
    if listing:
        out += [el("details", el("summary", f"Statements anchored in this text ({len(rows)})"), el("ol", *listing))]
    return out


def in_the_source(site: Site, store: ox.Store, label: Labeler, res: Resource) -> list[Html]:
    """A statement's span in its source, in context, linked to its place in the document."""
    out: list[Html] = [el("h2", "In the source")]
    for r in d.anchors(store, res.iri):
        start, end = int(r["start"].value), int(r["end"].value)
        doc = r.get("doc")
        words = [r["prefix"].value if r.get("prefix") else "", el("mark", r["exact"].value if r.get("exact") else ""),
                 r["suffix"].value if r.get("suffix") else ""]
        where = site.href(doc.value) if doc is not None else None
        out.append(el("blockquote", el("p", "…", *words, "…", class_="context"),
                      el("p", f"characters {start}–{end} of ", link(site, label, doc.value) if doc else "the source",
                         " · ", el("a", "show in the document", href=f"{where}#{anchor_id(start, end)}") if where else None,
                         class_="muted")))
    return out if len(out) > 1 else []


def signed_section(site: Site, store: ox.Store, label: Labeler, res: Resource) -> list[Html]:
    """What an agent signed, editions in date order."""
    rows = d.signed(store, res.iri)
    if not rows:
        return []
    label.prefetch(r["doc"].value for r in rows)
    body = [[link(site, label, r["doc"].value), r["date"].value if r.get("date") else "",
             el("a", f"no. {r['pos'].value}" if r.get("pos") else "signature", href=site.href(r["sig"].value))]
            for r in rows]
    return [el("h2", f"Signed ({len(rows)})"), _table(["Document", "Date", "Place in the list"], body, "signed")]


def invoked_section(site: Site, store: ox.Store, label: Labeler, res: Resource) -> list[Html]:
    """The documents that invoke a provision (or one of its parts), with the statements that do."""
    rows = d.invoking(store, res.iri)
    label.prefetch({r[k].value for r in rows for k in ("doc", "st", "cited")})
    body = [[link(site, label, r["doc"].value), link(site, label, r["st"].value), link(site, label, r["cited"].value)]
            for r in rows]
    if not body:
        return [el("h2", "Invoked by"), el("p", "No document in the graph invokes this provision.", class_="muted")]
    return [el("h2", "Invoked by"), _table(["Document", "Statement", "Provision cited"], body, "invoked")]


def graph_section(site: Site, store: ox.Store, res: Resource) -> list[Html]:
    count = sum(1 for _ in store.quads_for_pattern(None, None, None, res.node))
    formats = join([el("a", FORMAT_TITLES[f], href=site.alternate(res.iri, f)) for f in MEDIA], " · ")
    return [el("h2", "Named graph"), el("p", f"This named graph holds {count} triples; download them as ", formats, ".")]


def _table(header: list[str], rows: list[list], cls: str) -> Html:
    return el("table", el("thead", el("tr", *[el("th", h) for h in header])),
              el("tbody", *[el("tr", *[el("td", c) for c in row]) for row in rows]), class_=cls)


def home_page(site: Site, store: ox.Store) -> Html:
    """The dataset: its description, counts, documents and ways in."""
    label = Labeler(store)
    dataset = d.find(store, site.base + "dataset")
    docs = d.documents(store)
    label.prefetch(r["doc"].value for r in docs)
    rows = [[link(site, label, r["doc"].value), r["date"].value if r.get("date") else "",
             r["signatures"].value] for r in docs]
    body = [el("h1", dataset_title(dataset)), el("p", dataset_text(dataset, "dcterms:description"))]
    body += [el("p", f"{len(store)} triples in {sum(1 for _ in store.named_graphs())} named graphs; "
                     f"version {dataset_text(dataset, 'owl:versionInfo') or 'unknown'}; licence ",
                link(site, label, dataset.value("dcterms:license").value) if dataset and dataset.value("dcterms:license") else "not stated", ".")]
    body += [el("h2", f"Documents ({len(rows)})"), _table(["Document", "Date", "Signatures"], rows, "documents")]
    return layout(site, dataset_title(dataset), body, [(site.void, "text/turtle", "VoID description")])


def dataset_title(dataset: Resource | None) -> str:
    return dataset_text(dataset, "dcterms:title") or "atrocity-kg knowledge graph"


def dataset_text(dataset: Resource | None, predicate: str) -> str:
    value = dataset.value(predicate) if dataset else None
    return value.value if value is not None else ""
