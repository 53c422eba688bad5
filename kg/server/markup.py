"""HTML built by construction: every text is escaped unless it is already :class:`Html`.

Pages are made with :func:`el`, which escapes each child and attribute value, so a text taken
from a document (which may contain ``<script>``) can only ever appear as text.

>>> el("p", "a < b", class_="x")
'<p class="x">a &lt; b</p>'
>>> el("a", "x", href="javascript:alert(1)")
'<a>x</a>'
>>> el("p", Html("<b>kept</b>"), "<i>escaped</i>")
'<p><b>kept</b>&lt;i&gt;escaped&lt;/i&gt;</p>'
"""

from __future__ import annotations

import html
import re
from typing import Iterable

VOID = {"meta", "link", "input", "br", "hr", "img"}
URL_ATTRS = {"href", "action", "src"}
SAFE_URL = re.compile(r"^(?:https?:|mailto:|/|#|\?|\.)", re.I)


class Html(str):
    """Markup that is already safe to insert as is."""

    __slots__ = ()


def esc(value: object) -> Html:
    """Escape a text for HTML (both content and attribute values)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def safe_url(url: str | None) -> str | None:
    """The URL if it cannot run code (http, https, mailto or relative), else None.

    >>> safe_url("https://example.org/x"), safe_url(" javascript:x"), safe_url("data:text/html,x")
    ('https://example.org/x', None, None)
    """
    if url is None:
        return None
    url = str(url)
    return url if SAFE_URL.match(url) else None


def _attrs(attrs: dict) -> str:
    out = []
    for key, value in attrs.items():
        name = key.rstrip("_").replace("_", "-")
        if name in URL_ATTRS:
            value = safe_url(value)
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(out)


def _flatten(children: Iterable) -> Iterable:
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, (list, tuple)) or (hasattr(child, "__next__") and not isinstance(child, str)):
            yield from _flatten(child)
        else:
            yield child


def el(tag: str, *children, **attrs) -> Html:
    """An element; children are escaped unless Html; ``class_`` -> ``class``, ``data_x`` -> ``data-x``."""
    start = f"<{tag}{_attrs(attrs)}>"
    if tag in VOID:
        return Html(start)
    return Html(start + "".join(esc(c) for c in _flatten(children)) + f"</{tag}>")


def join(parts: Iterable, sep: str = "") -> Html:
    """Concatenate escaped parts.

    >>> join(["a&b", Html("<br>")], " ")
    'a&amp;b <br>'
    """
    return Html(esc(sep).join(esc(p) for p in _flatten(parts)))


def page(title: str, body: Iterable, *, css: str, alternates: Iterable[tuple[str, str, str]] = (),
         nav: Iterable = ()) -> Html:
    """A whole HTML document; ``alternates`` are (href, media type, title) for <link rel=alternate>."""
    head = [el("meta", charset="utf-8"),
            el("meta", name="viewport", content="width=device-width, initial-scale=1"),
            el("title", title), el("link", rel="stylesheet", href=css)]
    head += [el("link", rel="alternate", type=mt, href=href, title=t) for href, mt, t in alternates]
    return Html("<!DOCTYPE html>\n" + el("html", el("head", *head),
                                             el("body", el("header", el("nav", *nav)),
                                                el("main", *body)), lang="en"))


def table(header: list[str], rows: Iterable[list], **attrs) -> Html:
    """A table; cells are escaped unless Html."""
    head = el("thead", el("tr", *[el("th", h, scope="col") for h in header]))
    return el("table", head, el("tbody", *[el("tr", *[el("td", c) for c in row]) for row in rows]), **attrs)


CSS = """
:root { --ink: #1d1d1f; --muted: #5b5b66; --line: #d8d8de; --mark: #fff1a8; --link: #0b57a4; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); }
header { border-bottom: 1px solid var(--line); padding: .5rem 1rem; background: #f7f7f9; }
header nav a { margin-right: 1rem; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
a { color: var(--link); }
h1 { font-size: 1.5rem; line-height: 1.25; }
.iri { font-family: ui-monospace, monospace; font-size: .85rem; color: var(--muted); word-break: break-all; }
.types span { display: inline-block; font-size: .8rem; border: 1px solid var(--line); border-radius: 1rem;
  padding: 0 .6rem; margin-right: .3rem; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { font-weight: 600; }
td { overflow-wrap: anywhere; }
.source-text { white-space: pre-wrap; font-family: Georgia, serif; border: 1px solid var(--line);
  padding: 1rem; background: #fcfcfa; }
mark { background: var(--mark); }
mark a, a mark { color: inherit; text-decoration: none; }
a.span { color: inherit; text-decoration: none; border-bottom: 2px solid #c9a400; }
a.span.multi mark { background: #ffd86b; }
.context { white-space: pre-wrap; font-family: Georgia, serif; }
.muted { color: var(--muted); }
form.query { border: 1px solid var(--line); padding: .75rem; margin: 1rem 0; }
form.query label { display: block; margin: .3rem 0; }
form.query input[type=text] { width: 100%; }
textarea { width: 100%; font-family: ui-monospace, monospace; }
.notice { background: #fff4e5; border: 1px solid #f0c36d; padding: .5rem; }
table.signed td:nth-child(2), table.documents td:nth-child(2), table.backlinks td:last-child { white-space: nowrap; }
ul.toc { columns: 2; }
"""
