"""Rendering of query results for the terminal and for files.

>>> print(table(["a", "b"], [["1", "xy"]]))
a | b
--+---
1 | xy
"""

from __future__ import annotations

import pyoxigraph as ox

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                  "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}


def term_text(term, compact: dict[str, str] | None = None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in (compact or {}).items():
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    return term.value


def table(header: list[str], rows: list[list[str]], max_width: int = 80) -> str:
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    line = lambda r: " | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells])


def solutions_table(solutions, compact: dict[str, str]) -> tuple[str, int]:
    header = [v.value for v in solutions.variables]
    rows = [[term_text(sol[v], compact) for v in solutions.variables] for sol in solutions]
    return table(header, rows), len(rows)
