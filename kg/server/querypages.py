"""The query page (stock queries by name with their parameters as form fields, and free SPARQL),
results as an HTML table, the dumps listing and the error page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from ..queries import StockQuery
from .markup import Html, el
from .pages import Labeler, layout
from .problems import Problem
from .site import Site

INPUT_TYPES = {"integer": "number", "date": "date"}
EXAMPLE = """SELECT ?document ?name (COUNT(?signature) AS ?signatures) WHERE {
  ?document akg:source ?text ; schema:name ?name .
  OPTIONAL { ?signature schema:object ?document ; a akg:Signature }
} GROUP BY ?document ?name ORDER BY DESC(?signatures)"""
MAX_LABELLED = 2000  # IRIs in a results table that get labels


def _field(query: StockQuery, param, given: dict[str, str]) -> Html:
    value = given.get(param.name, param.default or "")
    return el("label", el("span", f"{param.name} ({param.type})"), " ",
              el("span", param.doc, class_="muted") if param.doc else None,
              el("input", type=INPUT_TYPES.get(param.type, "text"), name=param.name, value=value,
                 id=f"p-{query.name}-{param.name}", required=param.default is None))


def stock_form(site: Site, query: StockQuery, given: dict[str, str]) -> Html:
    fields = [_field(query, p, given) for p in query.params]
    return el("form", *fields, el("button", "Run", type="submit", id=f"run-{query.name}"),
              el("details", el("summary", "SPARQL"), el("pre", query.text)),
              method="get", action=f"{site.query_page}/{query.name}", class_="query", id=f"form-{query.name}")


def free_form(site: Site, text: str) -> Html:
    return el("form", el("label", "SPARQL query (the prefixes akg:, schema:, oa:, eli:, id: … are predefined)",
                         el("textarea", text, name="query", rows="12", id="sparql")),
              el("button", "Run", type="submit", id="run-sparql"),
              method="post", action=site.query_page, class_="query", id="form-sparql")


def index_page(site: Site, stock: dict[str, StockQuery]) -> Html:
    body = [el("h1", "Query the graph"),
            el("p", "Run a stock query with your parameters, or write your own SPARQL. The endpoint for programs is ",
               el("a", site.endpoint, href=site.endpoint), ".")]
    body.append(el("ul", *[el("li", el("a", q.title, href=f"#q-{name}")) for name, q in stock.items()],
                   el("li", el("a", "Your own query", href="#free")), class_="toc"))
    for name, query in stock.items():
        body += [el("h2", query.title, id=f"q-{name}"), el("p", query.description), stock_form(site, query, {})]
    body += [el("h2", "Your own query", id="free"), free_form(site, EXAMPLE)]
    return layout(site, "Query", body)


def stock_page(site: Site, query: StockQuery, given: dict[str, str], results: Html) -> Html:
    body = [el("h1", query.title), el("p", query.description), stock_form(site, query, given), results]
    return layout(site, query.title, body)


def free_page(site: Site, text: str, results: Html) -> Html:
    return layout(site, "Your query", [el("h1", "Your query"), free_form(site, text), results])


def results_html(site: Site, store: ox.Store, answer: dict) -> Html:
    """A worker's answer (SPARQL JSON for solutions, N-Triples for triples) as an HTML table."""
    label = Labeler(store)
    notice = el("p", f"Only the first {answer['rows']} results are shown: the server stops there.",
                class_="notice") if answer.get("truncated") else None
    if answer["format"] == "json":
        data = json.loads(answer["body"])
        if "boolean" in data:
            return el("section", el("h2", "Result"), el("p", "yes" if data["boolean"] else "no", id="boolean"), id="results")
        table = _solutions_table(site, label, data)
    else:
        table = _triples_table(site, label, list(ox.parse(answer["body"], format=ox.RdfFormat.N_TRIPLES)))
    return el("section", el("h2", f"Results ({answer['rows']})"), notice, table, id="results")


def _iris(data: dict) -> set[str]:
    return {b["value"] for row in data["results"]["bindings"] for b in row.values() if b["type"] == "uri"}


def _cell(site: Site, label: Labeler, binding: dict | None) -> Html | str:
    if binding is None:
        return ""
    if binding["type"] == "uri":
        href = site.href(binding["value"])
        return el("a", label(binding["value"]), href=href, title=binding["value"]) if href else binding["value"]
    if binding["type"] == "bnode":
        return "_:" + binding["value"]
    return binding["value"] if binding["type"] == "literal" else json.dumps(binding["value"])


def _solutions_table(site: Site, label: Labeler, data: dict) -> Html:
    variables = data["head"]["vars"]
    label.prefetch(sorted(_iris(data))[:MAX_LABELLED])
    rows = [[_cell(site, label, row.get(v)) for v in variables] for row in data["results"]["bindings"]]
    return el("table", el("thead", el("tr", *[el("th", v) for v in variables])),
              el("tbody", *[el("tr", *[el("td", c) for c in row]) for row in rows]), class_="results")


def _triples_table(site: Site, label: Labeler, triples: list[ox.Triple]) -> Html:
    as_json = lambda t: {"type": "uri", "value": t.value} if isinstance(t, ox.NamedNode) else (  # noqa: E731
        {"type": "literal", "value": t.value} if isinstance(t, ox.Literal) else {"type": "bnode", "value": str(t)})
    data = {"head": {"vars": ["subject", "predicate", "object"]},
            "results": {"bindings": [{"subject": as_json(t.subject), "predicate": as_json(t.predicate),
                                      "object": as_json(t.object)} for t in triples]}}
    return _solutions_table(site, label, data)


def human_size(size: int) -> str:
    """
    >>> human_size(2048), human_size(5_300_000)
    ('2.0 KB', '5.3 MB')
    """
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def dumps_page(site: Site, files: list[Path], media: dict[str, str]) -> Html:
    rows = [el("tr", el("td", el("a", f.name, href=site.dumps + f.name)), el("td", media.get(f.suffix, "")),
               el("td", human_size(f.stat().st_size))) for f in files]
    body = [el("h1", "Dumps"), el("p", "The whole graph in each format, from the current release."),
            el("table", el("thead", el("tr", el("th", "File"), el("th", "Media type"), el("th", "Size"))),
               el("tbody", *rows), class_="dumps")]
    return layout(site, "Dumps", body)


def error_page(site: Site, problem: Problem) -> Html:
    body = [el("h1", f"{problem.status} {problem.title}"), el("p", problem.detail, class_="detail"),
            el("p", problem.hint, class_="muted") if problem.hint else None,
            el("p", el("a", "Home", href=site.root))]
    return layout(site, problem.title, body)

