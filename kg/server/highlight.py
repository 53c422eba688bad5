"""A source text with the spans of its statements highlighted and linked, computed from offsets.

Offsets are code points into the text (``oa:start`` included, ``oa:end`` excluded), which is how
Python indexes a ``str``.  Spans may nest or overlap; HTML elements may not, so the text is cut
at every span boundary and each piece is linked to the innermost (shortest) span covering it,
its title naming every span that covers it.  Everything is escaped.

>>> text = "We <script>x</script> demand 3 things."
>>> print(highlight(text, [Mark(22, 38, "/call/22", "call to action")]))
We &lt;script&gt;x&lt;/script&gt; <span id="a-22-38"></span><a href="/call/22" title="call to action" class="span"><mark>demand 3 things.</mark></a>
"""

from __future__ import annotations

from dataclasses import dataclass

from .markup import Html, el, esc


@dataclass(frozen=True)
class Mark:
    """One span to highlight: offsets, the page it links to, and what it is."""

    start: int
    end: int
    href: str
    label: str


def anchor_id(start: int, end: int) -> str:
    return f"a-{start}-{end}"


def _cuts(text: str, marks: list[Mark]) -> list[int]:
    return sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})


def _innermost(active: list[Mark]) -> Mark:
    return min(active, key=lambda m: (m.end - m.start, m.start, m.href))


def _piece(text: str, active: list[Mark]) -> Html:
    if not active:
        return esc(text)
    inner = _innermost(active)
    labels = list(dict.fromkeys(m.label for m in sorted(active, key=lambda m: (m.start, -m.end))))
    return el("a", el("mark", text), href=inner.href, title="; ".join(labels),
              class_="span multi" if len(active) > 1 else "span")


def highlight(text: str, marks: list[Mark]) -> Html:
    """The text as HTML, each mark's span wrapped in a link to its statement."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    starts: dict[int, list[Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    out: list[str] = []
    cuts = _cuts(text, valid)
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        ids = dict.fromkeys(anchor_id(m.start, m.end) for m in starts.get(a, []))
        out.extend(el("span", id=i) for i in ids)
        out.append(_piece(text[a:b], active))
    return Html("".join(out))
