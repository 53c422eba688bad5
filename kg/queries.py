"""Stock SPARQL queries: files in ``queries/`` with a comment header, run with bound parameters.

A stock query starts with a header::

    # title: Signatories of an edition
    # description: Who signed one edition, in the order listed.
    # param: edition iri - the edition (default: id:doc/000_bbfb80d926e12133)

Parameters are bound as RDF terms, never spliced into the query text as written: a ``VALUES``
block at the start of the WHERE clause holds each term as pyoxigraph serialises it (N-Triples
escaping), so quotes, braces or keywords in a value stay inside one literal.  The same binding
runs locally and on a remote endpoint.  (pyoxigraph's own substitutions bind only projected
variables, lose the value through BIND, and hide it from the query planner: 100x slower.)
A query whose header also says ``# bind: lateral`` runs locally with the rest of its WHERE
clause in a ``LATERAL`` block after the VALUES, so that a lookup of one thing stays a lookup at
any size (see :func:`with_values`).

>>> parse_header("# title: T\\n# description: D\\n# param: x integer - a number (default: 3)\\nSELECT ?x {}").params[0].default
'3'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError

PREFIXES = {
    "id": None,  # the configured base
    "akg": "https://w3id.org/atrocity-kg/ontology#",
    "schema": "https://schema.org/", "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#", "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "cito": "http://purl.org/spar/cito/", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>iri|string|integer|date)\s*(?:-\s*(?P<doc>.*?))?\s*(?:\(default:\s*(?P<default>[^)]*)\))?\s*$")
STRINGS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)
IRIS = re.compile(r"<[^<>\"{}|^`\\\s]*>")
COMMENTS = re.compile(r"#[^\n]*")
PROLOGUE = re.compile(r"\b(?:PREFIX\s+[\w.-]*:|BASE)\s", re.I)
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
TOKENS = re.compile(STRINGS.pattern + r"|" + IRIS.pattern + r"|(?P<comment>#[^\n]*)", re.S)


def _code(text: str) -> str:
    """The query without strings, IRIs and comments: what is left are keywords and names."""
    return COMMENTS.sub(" ", IRIS.sub(" ", STRINGS.sub(" ", text)))


def strip_comments(text: str) -> str:
    r"""The query without its comments (a ``#`` in a string or an IRI is kept).

    >>> strip_comments('# a copy\nSELECT ?s WHERE { ?s <http://x/#y> "#z" } # end')
    '\nSELECT ?s WHERE { ?s <http://x/#y> "#z" } '
    """
    return TOKENS.sub(lambda m: "" if m.group("comment") else m.group(0), text)


def query_form(text: str) -> str | None:
    r"""SELECT, CONSTRUCT, ASK or DESCRIBE: the first keyword after the prologue.

    >>> query_form("PREFIX a: <x:> # ASK\nCONSTRUCT WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    first = re.match(r"\s*([A-Za-z]+)", PROLOGUE.sub(" ", _code(text)))
    return first.group(1).upper() if first else None


def is_update(text: str) -> bool:
    r"""Whether the text is a SPARQL Update: its first keyword after the prologue.

    >>> is_update("PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }"), is_update("# INSERT\nASK {}")
    (True, False)
    """
    return query_form(text) in UPDATE_KEYWORDS


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    doc: str = ""
    default: str | None = None


@dataclass
class StockQuery:
    name: str
    title: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)
    lateral: bool = False  # "# bind: lateral": its parameters may be bound before its clause is read


def parse_header(text: str, name: str = "query") -> StockQuery:
    title, description, params, lateral = name, "", [], False
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = re.match(r"#\s*(title|description|param|bind)\s*:\s*(.*)$", line)
        if not m:
            continue
        key, value = m.groups()
        if key == "bind":
            lateral = value.strip() == "lateral"
        elif key == "title":
            title = value.strip()
        elif key == "description":
            description = (description + " " + value.strip()).strip()
        else:
            p = PARAM.match(value.strip())
            if not p:
                raise InputError(f"{name}: bad param line {value.strip()!r}",
                                 hint="write '# param: NAME iri|string|integer|date - what it is (default: VALUE)'")
            params.append(Param(p["name"], p["type"], p["doc"] or "", p["default"]))
    return StockQuery(name, title, description, text, params, lateral)


def stock_queries(folder: Path) -> dict[str, StockQuery]:
    """Every ``*.rq`` file of the folder by name; one that cannot be read refuses them all."""
    out = {}
    for path in sorted(folder.glob("*.rq")):
        out[path.stem] = parse_header(read_query_file(path, f"{folder.name}/{path.name}"), path.stem)
    return out


def read_query_file(path: Path, where: str) -> str:
    if path.is_dir():
        raise InputError(f"{where}: is a folder, not a query file", hint="remove or rename the folder")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: not UTF-8 (invalid byte at offset {err.start})",
                         hint="re-save the query as UTF-8") from None
    except OSError as err:
        raise InputError(f"{where}: cannot be read: {err.strerror or err}", hint="check the file") from None


def resolve_query(spec: str | None, sparql: str | None, folder: Path, *, max_nesting: int = 1000) -> StockQuery:
    """A stock query by name, a .rq file, or a SPARQL string; refused here if it is empty or
    nested deeper than ``max_nesting`` (see :func:`check_nesting`)."""
    query = _find_query(spec, sparql, folder)
    if not strip_comments(query.text).strip():
        raise InputError(f"{query.name}: the query is empty", hint="give a SELECT, CONSTRUCT, ASK or DESCRIBE query")
    check_nesting(query.text, query.name, max_nesting)
    return query


def _find_query(spec: str | None, sparql: str | None, folder: Path) -> StockQuery:
    if sparql is not None:
        return parse_header(sparql, "--sparql")
    if spec is None:
        raise InputError("no query given", hint="give a stock query name, a .rq file or --sparql TEXT")
    stock = stock_queries(folder)
    if spec in stock:
        return stock[spec]
    path = Path(spec)
    if path.is_file():
        return parse_header(read_query_file(path, str(path)), str(path))
    raise InputError(f"{spec}: no stock query or file of that name",
                     hint=f"stock queries: {', '.join(sorted(stock)) or 'none'}")


BRACKETS = re.compile(r"[{(\[]|<<|[})\]]|>>")
PARSER_DEPTH = 1500  # pyoxigraph's parser recurses on each level: ~2,500 braces overflow its stack


def nesting(text: str) -> int:
    """How deep braces, brackets, parentheses and quoted triples go, outside strings, IRIs
    and comments.

    >>> nesting('SELECT * WHERE { { ?s ?p "{{{" FILTER((1)) } } # {{{'), nesting("}}}")
    (4, 0)
    """
    steps = (1 if b in ("{", "(", "[", "<<") else -1 for b in BRACKETS.findall(_code(text)))
    return max(accumulate(steps, initial=0))


def check_nesting(text: str, where: str, max_nesting: int) -> None:
    """Refuse a query nested deeper than ``max_nesting`` before it is parsed: the parser would
    overflow the stack (and kill the process) a little past 2,000 levels, whatever the setting."""
    depth = nesting(text)
    if depth > max_nesting:
        raise InputError(f"{where}: the query is nested {depth} levels deep, over the limit max_nesting = {max_nesting}",
                         hint="raise max_nesting in kg.toml, or flatten the query")
    if depth > PARSER_DEPTH:
        raise InputError(f"{where}: the query is nested {depth} levels deep, more than the SPARQL parser "
                         f"can take ({PARSER_DEPTH}) whatever max_nesting says", hint="flatten the query")


def parse_params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"--param {pair!r}: expected key=value", hint="write --param NAME=VALUE")
        key, value = pair.split("=", 1)
        if not re.fullmatch(r"[A-Za-z_]\w*", key):
            raise InputError(f"--param {pair!r}: {key!r} is not a parameter name",
                             hint="write --param NAME=VALUE; NAME is letters, digits and _")
        out[key] = value
    return out


def bind(query: StockQuery, given: dict[str, str], base: str) -> dict[str, ox.NamedNode | ox.Literal]:
    """Turn given (or default) values into RDF terms of the declared types."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise InputError(f"--param {unknown[0]}: {query.name} has no such parameter",
                         hint=f"its parameters: {', '.join(declared) or 'none'}")
    terms = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            raise InputError(f"{query.name}: parameter {p.name} is required", hint=f"add --param {p.name}=VALUE")
        terms[p.name] = _term(p, value, base)
    return terms


def _term(p: Param, value: str, base: str):
    """The value as an RDF term of the parameter's type; refused (value shown with its escapes,
    on one line) if it is not one."""
    if p.type == "iri":
        iri = expand(value, base)
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", iri, re.I):
            raise InputError(f"--param {p.name}={value!r}: not an IRI", hint="give a full IRI or id:PATH")
        return ox.NamedNode(iri)
    if p.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise InputError(f"--param {p.name}={value!r}: not an integer", hint="give a whole number, as 3")
        return ox.Literal(value, datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    if p.type == "date":
        if not _real_date(value):
            raise InputError(f"--param {p.name}={value!r}: not a real date",
                             hint="give a date that exists, as YYYY-MM-DD: 2021-02-28")
        return ox.Literal(value, datatype=ox.NamedNode(PREFIXES["xsd"] + "date"))
    return ox.Literal(value)


def _real_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def expand(value: str, base: str) -> str:
    prefix, _, rest = value.partition(":")
    if prefix == "id":
        return base + rest
    if prefix in PREFIXES and PREFIXES[prefix] and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return value


def check_read_only(text: str, where: str) -> None:
    """Refuse anything but SELECT, CONSTRUCT, ASK and DESCRIBE.

    >>> check_read_only("PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }", "q")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: q: is a SPARQL Update; kg query only reads (updates are not allowed: the graph is rebuilt from the sources)
    """
    if is_update(text) or UPDATE_ANYWHERE.search(_code(text)):
        raise InputError(f"{where}: is a SPARQL Update; kg query only reads",
                         hint="updates are not allowed: the graph is rebuilt from the sources")


UPDATE_ANYWHERE = re.compile(r";\s*(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)*(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)


def run_local(store: ox.Store, query: StockQuery, terms: dict, base: str):
    """Run on the embedded store; a syntax error is a one-line InputError."""
    check_read_only(query.text, query.name)
    check_nesting(query.text, query.name, PARSER_DEPTH)
    options = dict(base_iri=base, use_default_graph_as_union=True, prefixes={k: v or base for k, v in PREFIXES.items()})
    lateral = with_values(query.text, terms, lateral=True) if query.lateral else None
    if lateral is not None:
        try:
            return store.query(lateral, **options)
        except SyntaxError:
            pass  # said below, against the query as written
    try:
        return store.query(with_values(query.text, terms), **options)
    except SyntaxError as err:
        raise syntax_error(query.name, err) from None


def syntax_error(where: str, err: SyntaxError) -> InputError:
    """pyoxigraph's 'error at L:C: expected one of ...' in one short line, with where to look.

    >>> str(syntax_error("q", SyntaxError('error at 2:5: expected one of "!", "$", "(", ":", "<", "?", "^", "a", "b", "c", "d"')))
    'q: SPARQL syntax error at line 2, column 5: expected one of "!", "$", "(", ":", "<", "?", "^", "a", ... (fix the query near line 2, column 5)'
    """
    text = str(err).split("\n")[0]
    m = re.match(r"error at (\d+):(\d+): (.*)$", text)
    if not m:
        return InputError(f"{where}: SPARQL syntax error: {text}", hint="fix the query")
    line, column, what = m.groups()
    if len(what) > 60:
        what = what[:60].rsplit(", ", 1)[0] + ", ..."
    return InputError(f"{where}: SPARQL syntax error at line {line}, column {column}: {what}",
                      hint=f"fix the query near line {line}, column {column}")


def _serialise(term) -> str:
    """The term in N-Triples syntax, as pyoxigraph writes it (quotes and newlines escaped).

    >>> print(_serialise(ox.Literal('x" } INSERT DATA { <a> <b> <c> } #')))
    "x\\" } INSERT DATA { <a> <b> <c> } #"
    """
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"cannot bind {term!r}")
    return str(term)


def with_values(text: str, terms: dict, *, lateral: bool = False) -> str | None:
    """The query with a VALUES block binding each parameter at the start of its WHERE clause
    (standard SPARQL 1.1: for remote endpoints).

    With ``lateral``, the rest of the WHERE clause is put in a ``LATERAL { }`` block after the
    VALUES (Oxigraph's extension, SEP-0006), so that it is evaluated with the parameters already
    bound: Oxigraph does not push a VALUES block into the branches of a UNION, and a query
    about one agent then reads the whole graph (170 ms against 0.4 ms for ``agent-activity`` at
    1,000 documents).  None when the clause's end cannot be told (the plain form is used).

    Bound first, a parameter is seen inside a UNION branch or a subquery, where SPARQL's
    bottom-up evaluation would not see it: the rows can differ.  So only a query whose header
    says ``# bind: lateral`` is run this way (each stock query that does is checked to give the
    same rows both ways, tests/test_queries.py); other queries get the standard form.
    """
    if not terms:
        return text
    values = " ".join(f"VALUES ?{k} {{ {_serialise(v)} }}" for k, v in sorted(terms.items()))
    m = re.search(r"\bWHERE\s*\{", text, re.I) or re.search(r"\{", text)
    if not m:
        raise InputError("cannot bind parameters: the query has no WHERE clause")
    if not lateral:
        return text[: m.end()] + f" {values} " + text[m.end():]
    end = _closing_brace(text, m.end() - 1)
    if end is None:
        return None
    return text[: m.end()] + f" {values} LATERAL {{ " + text[m.end():end] + "\n} " + text[end:]


def _closing_brace(text: str, opening: int) -> int | None:
    r"""Where the brace at ``opening`` closes, strings, IRIs and comments skipped; None if it
    does not.

    >>> q = 'SELECT * WHERE { ?s ?p "}" . FILTER(?s < ?o) # }\n { <http://x/#y> ?p ?o } } LIMIT 1'
    >>> q[_closing_brace(q, q.index("{")):]
    '} LIMIT 1'
    """
    code = TOKENS.sub(lambda m: " " * len(m.group(0)), text)  # same offsets, no braces but the query's
    depth = 0
    for k in range(opening, len(code)):
        depth += {"{": 1, "}": -1}.get(code[k], 0)
        if depth == 0:
            return k
    return None
