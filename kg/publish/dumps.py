"""Dumps of the store in Turtle, N-Triples, N-Quads, TriG and JSON-LD, written by pyoxigraph.

Triples formats (Turtle, N-Triples) hold the union of the named graphs, each triple once (when
no triple is in two graphs, which is the build's case, graph by graph);
quad formats keep the graphs.  The JSON-LD dump embeds the project's context (compact IRIs
only, so compaction is lossless) and is written graph by graph: each graph's node objects by
``kg/publish/_jsonld.c`` from the graph's N-Triples when that module is built, else in Python,
a node at a time (the same bytes; :func:`graph_nodes`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox

try:
    from . import _jsonld
except ImportError:  # built without a C compiler: the same bytes, written in Python
    _jsonld = None

FORMATS = {
    "turtle": ("ttl", ox.RdfFormat.TURTLE),
    "ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
    "nquads": ("nq", ox.RdfFormat.N_QUADS),
    "trig": ("trig", ox.RdfFormat.TRIG),
    "jsonld": ("jsonld", None),
}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads",
           "n-quads": "nquads", "json-ld": "jsonld", "json": "jsonld"}
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def format_name(name: str) -> str:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        from ..errors import InputError
        raise InputError(f"--format {name}: unknown dump format",
                         hint=f"use one of {', '.join(FORMATS)}")
    return key


def load_context(path: Path) -> dict:
    """The ``@context`` object of the JSON-LD context file; a file that cannot give one is
    refused in one line naming it."""
    from ..errors import InputError

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise InputError(f"{path}: cannot be read: {err.strerror or err}", hint="restore the file") from None
    except (UnicodeDecodeError, ValueError) as err:
        raise InputError(f"{path}: not valid JSON: {err}", hint="fix the file, or restore it") from None
    context = data.get("@context") if isinstance(data, dict) else None
    if not isinstance(context, dict):
        raise InputError(f"{path}: has no @context object", hint='write it as {"@context": {...}}')
    return context


def prefixes_of(context: dict) -> dict[str, str]:
    return {k: v for k, v in sorted(context.items()) if isinstance(v, str) and not k.startswith("@")}


def dump(store: ox.Store, fmt: str, output, *, context: dict, base_iri: str | None = None,
         separate: bool = False) -> None:
    """Write one dump to a binary file object.

    Turtle and TriG write data IRIs in full: a prefix for the data base would need ``\\/``
    escapes in every local name, and a ``@base`` makes pyoxigraph write the vocabulary
    prefixes relative to it.  ``separate`` says that :func:`each_triple_in_one_graph` holds, so
    that the triples formats are written from the quads formats' text; without it they are
    written from a CONSTRUCT of the union (the check costs more than it saves on the on-disk
    store: a 10,000-document Turtle dump took 91 s with it, 66 s without).
    """
    fmt = format_name(fmt)
    prefixes = prefixes_of(context)
    if base_iri:
        prefixes = {k: v for k, v in prefixes.items() if v != base_iri}
    if fmt == "jsonld":
        write_jsonld(store, output, context)
    elif fmt == "trig":
        store.dump(output, ox.RdfFormat.TRIG, prefixes=prefixes)
    elif fmt == "nquads":
        store.dump(output, ox.RdfFormat.N_QUADS)
    elif not separate:
        ox.serialize(store.query(UNION), output, ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES,
                     **({"prefixes": prefixes} if fmt == "turtle" else {}))
    elif fmt == "turtle":
        with _LineFilter(output, TRIG_TO_TURTLE, b"") as filtered:
            store.dump(filtered, ox.RdfFormat.TRIG, prefixes=prefixes)
    else:
        for graph in sorted(store.named_graphs(), key=lambda g: g.value):
            store.dump(output, ox.RdfFormat.N_TRIPLES, from_graph=graph)


DUPLICATE_TRIPLE = "ASK { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?s ?p ?o } FILTER (?g != ?h) }"
# A TriG graph block's first and last lines, and the tab its statements are indented by: what
# is left is Turtle.  pyoxigraph writes a literal's line breaks as \n, so a line of the output
# is never inside a literal.
TRIG_TO_TURTLE = re.compile(rb"^(?:[^\t\n@][^\n]* \{|\})\n|^\t", re.M)


def each_triple_in_one_graph(store: ox.Store) -> bool:
    """Whether no triple is in two named graphs and the default graph is empty: the union of
    the graphs is then the store's quads less their graph names, and the triples formats are
    written graph by graph (N-Triples) or from the TriG dump less its graph blocks (Turtle),
    two to four times faster than from a CONSTRUCT of the union, which leaves out repeats."""
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        return False
    return not store.query(DUPLICATE_TRIPLE)


class _LineFilter:
    """A binary file object that writes what is written to it, line by line, through a
    regular-expression substitution (whole lines only: a part line waits for its end)."""

    def __init__(self, output, pattern: re.Pattern, replacement: bytes) -> None:
        self.output, self.pattern, self.replacement = output, pattern, replacement
        self.pending = b""

    def write(self, data) -> int:
        data = bytes(data)
        cut = data.rfind(b"\n") + 1
        if cut:
            self.output.write(self.pattern.sub(self.replacement, self.pending + data[:cut]))
            self.pending = data[cut:]
        else:
            self.pending += data
        return len(data)

    def flush(self) -> None:
        pass

    def __enter__(self) -> "_LineFilter":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None and self.pending:
            self.output.write(self.pattern.sub(self.replacement, self.pending))


def write_all(store: ox.Store, folder: Path, *, context: dict, base_iri: str | None = None,
              name: str = "graph", jobs: int = 2, written: tuple[str, ...] = (),
              check_separate: bool = True) -> dict[str, Path]:
    """Write every format into ``folder``, ``jobs`` at a time, except those ``written``
    already (the build writes the N-Quads dump from its own text, line for line what the store
    would write, before it loads the store from it).

    pyoxigraph releases the GIL while it serialises, so the formats it writes run in threads
    beside each other and beside the JSON-LD writer (started first: it is the longest).
    ``check_separate`` looks for a triple in two graphs once, for both triples formats (worth it
    on an in-memory store)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {fmt: folder / f"{name}.{suffix}" for fmt, (suffix, _) in FORMATS.items()}

    order = sorted((fmt for fmt in FORMATS if fmt not in written), key=lambda fmt: fmt != "jsonld")
    separate = check_separate and bool({"turtle", "ntriples"} & set(order)) and each_triple_in_one_graph(store)

    def write(fmt: str) -> None:
        with open(paths[fmt], "wb") as handle:
            dump(store, fmt, handle, context=context, base_iri=base_iri, separate=separate)

    each_in_threads(write, order, jobs)
    return {fmt: paths[fmt] for fmt in FORMATS}


def each_in_threads(work, items, jobs: int) -> None:
    """``work(item)`` for each item, ``jobs`` at a time in threads (pyoxigraph releases the GIL
    while it serialises), in order when ``jobs`` is 1; the first error is raised."""
    if jobs <= 1:
        for item in items:
            work(item)
        return
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in [pool.submit(work, item) for item in items]:
            done.result()


class Compactor:
    """IRIs as compact IRIs (``prefix:local``): the longest namespace of the context that the
    IRI starts with, when what is left is not empty and does not start with a slash."""

    def __init__(self, context: dict) -> None:
        self.prefixes = sorted(prefixes_of(context).items(), key=lambda kv: -len(kv[1]))
        # When every namespace ends with "/" or "#", which one an IRI takes depends only on its
        # part up to its last "/" or "#": worked out once per such head (half the JSON-LD
        # dump's time was spent trying every namespace on every IRI).
        self.by_head = all(ns.endswith(("/", "#")) for _, ns in self.prefixes)
        self.heads: dict[str, tuple[str, str] | None] = {}
        # for _jsonld.nodes, which compacts as _compact does (what iri does, by head or not)
        self.namespaces = tuple((prefix.encode("utf-8"), ns.encode("utf-8")) for prefix, ns in self.prefixes)

    def iri(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        if not self.by_head or cut == len(iri):
            return self._compact(iri)
        head = iri[:cut]
        found = self.heads.get(head, self)
        if found is self:
            if len(self.heads) >= 100_000:
                self.heads.clear()
            found = self.heads[head] = next(((prefix, ns) for prefix, ns in self.prefixes
                                             if head.startswith(ns) and not head[len(ns):].startswith("/")), None)
        return iri if found is None else f"{found[0]}:{iri[len(found[1]):]}"

    def _compact(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("/"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def value(self, term) -> object:
        if isinstance(term, ox.NamedNode):
            return {"@id": self.iri(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            value = {"@value": term.value, "@language": term.language}
            if term.direction:  # RDF 1.2's base direction
                value["@direction"] = term.direction.value
            return value
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": self.iri(term.datatype.value)}


def write_jsonld(store: ox.Store, output, context: dict) -> None:
    """Stream the dataset as compacted JSON-LD: one object per named graph, holding its node
    objects (:func:`graph_nodes`)."""
    c = Compactor(context)
    write = lambda s: output.write(s.encode("utf-8"))  # noqa: E731
    write('{"@context": ' + json.dumps(context, ensure_ascii=False, sort_keys=True) + ',\n "@graph": [')
    graphs = sorted(g.value for g in store.named_graphs())
    for gi, graph in enumerate(graphs):
        write(("," if gi else "") + '\n  {"@id": ' + json.dumps(c.iri(graph)) + ', "@graph": [')
        for part in graph_nodes(store, ox.NamedNode(graph), c):
            output.write(part)
        write("\n  ]}")
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise ValueError("the default graph is not empty: every quad belongs to a named graph")
    write("\n]}\n")


def graph_nodes(store: ox.Store, graph: ox.NamedNode, c: Compactor, *, compiled: bool = True,
                text: bytes | None = None):
    """The node objects of one graph's JSON-LD as parts of its text: each node on a line of its
    own, after "\\n    " (the first) or ",\\n    ".  Written from the graph's N-Triples, ``text``
    when given (a subject's lines together), else the store's, by ``kg/publish/_jsonld.c``
    (one part) when that module is built and ``compiled``, else in Python (:func:`_nodes`,
    2,048 nodes a part): the same bytes.  Text the compiled writer does not read (a triple
    term, say) is written in Python."""
    if compiled and _jsonld is not None:
        try:
            yield _jsonld.nodes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) if text is None else text,
                                c.namespaces)
            return
        except ValueError:
            pass
    quads = (store.quads_for_pattern(None, None, None, graph) if text is None
             else ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    encode = json.JSONEncoder(ensure_ascii=False).encode
    batch: list[str] = []
    first = True
    for node in _nodes(quads, c):
        batch.append(encode(node))
        if len(batch) >= 2048:
            yield (("\n    " if first else ",\n    ") + ",\n    ".join(batch)).encode("utf-8")
            first, batch = False, []
    if batch:
        yield (("\n    " if first else ",\n    ") + ",\n    ".join(batch)).encode("utf-8")


def _nodes(quads, c: Compactor):
    """The node objects of one graph's quads, one for each run of quads with the same subject (the
    store gives a subject's quads together).  Predicates and datatypes are few: each is
    compacted once."""
    keys: dict[str, str] = {}  # predicate IRI -> its compact IRI
    datatypes: dict[str, str | None] = {XSD_STRING: None}  # datatype IRI -> compact IRI (None: a plain string)
    iri, named, blank = c.iri, ox.NamedNode, ox.BlankNode
    current, node = None, None
    for subject, predicate, obj, _ in quads:
        if subject != current:
            if node is not None:
                yield node
            current = subject
            node = {"@id": iri(subject.value) if isinstance(subject, named) else f"_:{subject.value}"}
        p = predicate.value
        key = keys.get(p)
        if key is None:
            key = keys[p] = iri(p)
        if isinstance(obj, named):
            if p == RDF_TYPE:
                node.setdefault("@type", []).append(iri(obj.value))
                continue
            value = {"@id": iri(obj.value)}
        elif isinstance(obj, blank):
            value = {"@id": f"_:{obj.value}"}
        elif isinstance(obj, ox.Triple):
            raise ValueError(f"{obj}: a triple term (RDF 1.2) has no JSON-LD form")
        elif obj.language:
            value = {"@value": obj.value, "@language": obj.language}
            if obj.direction:  # RDF 1.2's base direction
                value["@direction"] = obj.direction.value
        else:
            dt = obj.datatype.value
            compact = datatypes.get(dt, dt)
            if compact is dt:
                compact = datatypes[dt] = iri(dt)
            value = obj.value if compact is None else {"@value": obj.value, "@type": compact}
        values = node.get(key)
        if values is None:
            node[key] = [value]
        else:
            values.append(value)
    if node is not None:
        yield node
