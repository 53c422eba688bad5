"""SHACL shapes evaluated as SPARQL queries over a pyoxigraph store, with the results pyshacl gives.

The shapes graph is compiled once (:func:`compile_shapes`); every node shape and property shape
becomes a few SPARQL SELECT queries that return the violations themselves (focus node, value,
source shape), so that one query covers every focus node of a shape, not one query per node as
pyshacl runs them.  What cannot be checked this way is refused when the shapes are compiled, with
an :class:`UnsupportedShape` error naming the shape and the component: the caller then validates
with pyshacl instead.  Nothing is skipped silently.

Semantics are pyshacl's with ``inference="none"``, on the union of the store's graphs:

- targets: ``sh:targetClass`` (instances of the class or of a subclass, by ``rdfs:subClassOf*``
  in the data), ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, and implicit
  class targets (a shape that is also an ``rdfs:Class`` or ``owl:Class``);
- paths: IRIs, inverse, sequence, alternative, zero-or-more, one-or-more and zero-or-one paths;
- core components: min/maxCount, datatype (ill-typed literals fail), class, nodeKind, pattern
  (flags ``i`` and ``m``, as pyshacl), min/maxInclusive, min/maxExclusive, min/maxLength,
  hasValue, in, languageIn, node, or, and, not, xone, property, qualifiedValueShape with
  qualifiedMin/MaxCount (and qualifiedValueShapesDisjoint), equals, disjoint, lessThan,
  lessThanOrEquals;
- SHACL-SPARQL: ``sh:sparql`` SELECT constraints, with ``sh:prefixes``/``sh:declare``; ``$this``
  is bound by joining the query with the shape's targets (one query for every focus node);
  ``$PATH`` and ``$currentShape`` are substituted; ``sh:message`` templates get ``{?var}`` and
  ``{$var}`` filled in from each solution, as pyshacl does;
- ``sh:deactivated``, ``sh:severity``, ``sh:message`` (pyshacl's generic message when there is
  none), ``sh:name`` and the other non-validating properties.

Oxigraph's union default graph is a bag (a triple in k graphs matches k times): every query is
DISTINCT and every count is a COUNT(DISTINCT).  Inner shapes (of sh:or, sh:node, ...) are
compiled into boolean FILTER expressions where they can be; otherwise the inner shape's own
queries are run on the candidate value nodes and combined in Python.

Oxigraph stores the integer types derived from xsd:integer (xsd:nonNegativeInteger, ...) and
xsd:dateTimeStamp under their base type, so the store alone cannot show a ``sh:datatype``
violation of such a literal.  A caller that has the text that was loaded passes those literals in
(:func:`normalised_literals`) and the datatype checks are evaluated on them as written.

    python -m kg.shacl_sparql queries [SHAPES]      # print the generated queries
    python -m kg.shacl_sparql bench --sizes 100 1000  # time it against pyshacl (from the project folder)
"""

from __future__ import annotations

import re
import sys
import threading
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pyoxigraph as ox

from . import shacl_native
from .errors import InputError

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
RDF_NIL = ox.NamedNode(RDF + "nil")


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


# The properties a shape may have, by what the engine does with them.
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
NON_VALIDATING = ("name", "description", "order", "group", "defaultValue", "message", "severity",
                  "deactivated", "path", "flags", "qualifiedMinCount", "qualifiedMaxCount",
                  "qualifiedValueShapesDisjoint")
COMPONENTS = ("minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "minInclusive",
              "maxInclusive", "minExclusive", "maxExclusive", "minLength", "maxLength", "hasValue",
              "in", "languageIn", "node", "or", "and", "not", "xone", "property",
              "qualifiedValueShape", "equals", "disjoint", "lessThan", "lessThanOrEquals", "sparql")
SUPPORTED = frozenset(TARGETS + NON_VALIDATING + COMPONENTS)
CONSTRAINT_PROPERTIES = frozenset(("select", "message", "prefixes", "deactivated", "name", "description"))
PATH_PROPERTIES = frozenset(("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath",
                             "zeroOrOnePath"))

# Casts that tell a well-formed literal of these datatypes from an ill-typed one.
CASTABLE = frozenset(XSD + n for n in ("integer", "decimal", "double", "float", "boolean", "date",
                                       "dateTime", "time", "duration", "dayTimeDuration",
                                       "yearMonthDuration"))
# Datatypes that Oxigraph stores under another datatype (see the module docstring).
NORMALISED_TYPES = ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
                    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
                    "unsignedByte", "dateTimeStamp")

QUERY_PREFIXES = f"PREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\nPREFIX xsd: <{XSD}>\n"


class UnsupportedShape(InputError):
    """A shape uses something that the SPARQL engine does not evaluate (validate with pyshacl)."""


class _NotInlinable(Exception):
    """An inner shape that cannot be written as one FILTER expression (evaluated in Python)."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pyshacl reports it."""

    focus: ox.Term
    path: ox.Term | None  # an IRI, or the path node of the shapes graph for a complex path
    value: ox.Term | None
    shape: ox.Term  # the source shape
    component: str  # e.g. "MinCountConstraintComponent"
    severity: str  # local name in the sh: namespace: Violation, Warning, Info
    messages: tuple[str, ...]
    constraint: ox.Term | None = None  # the sh:sparql constraint, for a SHACL-SPARQL result


# ------------------------------------------------------------------------------------------------
# The shapes graph


class _Graph:
    def __init__(self, triples: Iterable) -> None:
        self.out: dict = defaultdict(lambda: defaultdict(list))
        self.inc: dict = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject][t.predicate].append(t.object)
            self.inc[t.object][t.predicate].append(t.subject)

    def objects(self, s, p) -> list:
        found = self.out.get(s)
        return list(dict.fromkeys(found.get(p, ()))) if found else []

    def value(self, s, p):
        found = self.objects(s, p)
        return found[0] if found else None

    def subjects(self, p, o=None) -> list:
        if o is not None:
            found = self.inc.get(o)
            return list(dict.fromkeys(found.get(p, ()))) if found else []
        return list(dict.fromkeys(s for s, po in self.out.items() if p in po))

    def predicates(self, s) -> list:
        found = self.out.get(s)
        return list(found) if found else []

    def items(self, head) -> list:
        out, seen = [], set()
        while head is not None and head != RDF_NIL and head not in seen:
            seen.add(head)
            first = self.value(head, RDF_FIRST)
            if first is None:
                break
            out.append(first)
            head = self.value(head, RDF_REST)
        return out


def _name(node) -> str:
    return f"<{node.value}>" if isinstance(node, ox.NamedNode) else f"_:{node.value}"


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _term(node) -> str:
    """A term of the shapes graph in SPARQL syntax (literals and IRIs only)."""
    if isinstance(node, ox.BlankNode):
        raise _NotInlinable("a blank node cannot be written in a query")
    return str(node)


def _int(literal, shape, what: str) -> int:
    try:
        return int(literal.value)
    except (AttributeError, ValueError):
        raise UnsupportedShape(f"shapes: {_name(shape)}: {what} must be an integer, not {literal}") from None


@dataclass
class _Info:
    node: ox.Term
    path: ox.Term | None
    path_text: str | None
    severity: str
    messages: tuple[str, ...]
    deactivated: bool

    @property
    def is_property(self) -> bool:
        return self.path is not None


# ------------------------------------------------------------------------------------------------
# Conditions on one node: compiled to a SPARQL expression, and for datatype-only conditions also
# evaluated in Python (on literals that the store cannot hold as written)


class _Cond:
    """A boolean condition on one RDF term; ``sparql(var, ctx)`` never raises a SPARQL error."""

    component = ""

    def sparql(self, x: str, ctx: "_Ctx") -> str:
        raise NotImplementedError

    def py(self, term) -> bool | None:  # None: not decidable in Python
        return None

    def classes(self) -> list | None:
        """The classes if the condition is 'an instance of one of these classes', else None."""
        return None


class _Datatype(_Cond):
    component = "DatatypeConstraintComponent"

    def __init__(self, datatype) -> None:
        self.datatype = datatype

    def sparql(self, x, ctx):
        d = self.datatype.value
        if d == RDFS + "Literal":
            return f"isLiteral({x})"
        if d == RDF + "langString":
            return f'COALESCE(isLiteral({x}) && LANG({x}) != "", false)'
        if d == RDFS + "Datatype":
            return f'COALESCE(isLiteral({x}) && LANG({x}) = "", false)'
        check = f"isLiteral({x}) && DATATYPE({x}) = <{d}>"
        if d in CASTABLE:  # and not ill-typed
            check += f" && isLiteral(<{d}>(STR({x})))"
        return f"COALESCE({check}, false)"

    def py(self, term):
        if not isinstance(term, ox.Literal):
            return False
        d = self.datatype.value
        if d == RDFS + "Literal":
            return True
        if d == RDF + "langString":
            return bool(term.language)
        return term.language is None and term.datatype.value == d


class _Class(_Cond):
    component = "ClassConstraintComponent"

    def __init__(self, cls) -> None:
        self.cls = cls

    def sparql(self, x, ctx):
        classes = ctx.subclasses(self.cls)
        if len(classes) == 1:
            return f"EXISTS {{ {x} a {classes[0]} }}"
        t = ctx.fresh()
        return f"EXISTS {{ {x} a {t} FILTER({t} IN ({', '.join(classes)})) }}"

    def classes(self):
        return [self.cls]


class _NodeKind(_Cond):
    component = "NodeKindConstraintComponent"
    KINDS = {"IRI": ("isIRI",), "BlankNode": ("isBlank",), "Literal": ("isLiteral",),
             "BlankNodeOrIRI": ("isIRI", "isBlank"), "BlankNodeOrLiteral": ("isBlank", "isLiteral"),
             "IRIOrLiteral": ("isIRI", "isLiteral")}

    def __init__(self, kind, shape) -> None:
        name = kind.value[len(SH):] if isinstance(kind, ox.NamedNode) and kind.value.startswith(SH) else None
        if name not in self.KINDS:
            raise UnsupportedShape(f"shapes: {_name(shape)}: sh:nodeKind {kind} is not a node kind")
        self.tests = self.KINDS[name]

    def sparql(self, x, ctx):
        return "(" + " || ".join(f"{t}({x})" for t in self.tests) + ")"

    def py(self, term):
        kinds = {"isIRI": ox.NamedNode, "isBlank": ox.BlankNode, "isLiteral": ox.Literal}
        return any(isinstance(term, kinds[t]) for t in self.tests)


class _Pattern(_Cond):
    component = "PatternConstraintComponent"

    def __init__(self, pattern, flags, shape) -> None:
        self.pattern = pattern.value
        # pyshacl honours the i and m flags only
        self.flags = "".join(f for f in "im" if flags is not None and f in flags.value.lower())
        _check_regex(self.pattern, self.flags, shape)

    def sparql(self, x, ctx):
        flags = f", {_sparql_string(self.flags)}" if self.flags else ""
        return f"COALESCE(!isBlank({x}) && REGEX(STR({x}), {_sparql_string(self.pattern)}{flags}), false)"


class _Compare(_Cond):
    OPS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}

    def __init__(self, which: str, bound) -> None:
        self.component = which[0].upper() + which[1:] + "ConstraintComponent"
        self.op, self.bound = self.OPS[which], bound

    def sparql(self, x, ctx):
        return f"COALESCE(!isBlank({x}) && {x} {self.op} {_term(self.bound)}, false)"


class _Length(_Cond):
    def __init__(self, which: str, n: int) -> None:
        self.component = which[0].upper() + which[1:] + "ConstraintComponent"
        self.op, self.n = (">=" if which == "minLength" else "<="), n

    def sparql(self, x, ctx):
        return f"COALESCE(!isBlank({x}) && STRLEN(STR({x})) {self.op} {self.n}, false)"


class _In(_Cond):
    component = "InConstraintComponent"

    def __init__(self, members) -> None:
        self.members = members

    def sparql(self, x, ctx):
        if not self.members:
            return "false"
        return "(" + " || ".join(f"sameTerm({x}, {_term(m)})" for m in self.members) + ")"

    def py(self, term):
        return term in self.members


class _LanguageIn(_Cond):
    component = "LanguageInConstraintComponent"

    def __init__(self, tags) -> None:
        self.tags = [t.value for t in tags]

    def sparql(self, x, ctx):
        if not self.tags:
            return "false"
        tests = " || ".join(f"langMatches(LANG({x}), {_sparql_string(t)})" for t in self.tags)
        return f"COALESCE(isLiteral({x}) && ({tests}), false)"


class _SameTerm(_Cond):  # sh:hasValue of a node shape
    component = "HasValueConstraintComponent"

    def __init__(self, value) -> None:
        self.value_ = value

    def sparql(self, x, ctx):
        return f"sameTerm({x}, {_term(self.value_)})"

    def py(self, term):
        return term == self.value_


class _Logic(_Cond):
    def __init__(self, component: str, members: Sequence[_Cond]) -> None:
        self.component, self.members = component, list(members)

    def sparql(self, x, ctx):
        parts = [m.sparql(x, ctx) for m in self.members]
        if self.component == "OrConstraintComponent":
            return "(" + " || ".join(parts) + ")" if parts else "false"
        if self.component == "XoneConstraintComponent":
            return "(" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + " = 1)" if parts else "false"
        if self.component == "NotConstraintComponent":
            return f"!{parts[0]}"
        return "(" + " && ".join(parts) + ")" if parts else "true"  # and, node, a whole shape

    def classes(self):
        if self.component in ("OrConstraintComponent", "AndConstraintComponent", "NodeConstraintComponent"):
            found = [m.classes() for m in self.members]
            if found and all(f is not None for f in found) and (self.component == "OrConstraintComponent" or len(found) == 1):
                return [c for f in found for c in f]
        return None

    def py(self, term):
        found = [m.py(term) for m in self.members]
        if any(f is None for f in found):
            return None
        if self.component == "OrConstraintComponent":
            return any(found)
        if self.component == "XoneConstraintComponent":
            return sum(found) == 1
        if self.component == "NotConstraintComponent":
            return not found[0]
        return all(found)


class _Raw(_Cond):
    """A condition already written in SPARQL, on the variable ``{x}``."""

    def __init__(self, make: Callable[[str, "_Ctx"], str]) -> None:
        self.make = make

    def sparql(self, x, ctx):
        return self.make(x, ctx)


def _check_regex(pattern: str, flags: str, shape) -> None:
    """A pattern that Oxigraph's regex engine refuses would make every REGEX() an error."""
    if (pattern, flags) in _REGEX_OK:
        return
    try:
        re.compile(pattern)
    except re.error as err:
        raise UnsupportedShape(f"shapes: {_name(shape)}: sh:pattern {pattern!r} is not a regular expression: {err}") from None
    flag_arg = f", {_sparql_string(flags)}" if flags else ""
    probe = f'SELECT (COALESCE(REGEX("", {_sparql_string(pattern)}{flag_arg}), "error") AS ?r) {{}}'
    row = next(iter(ox.Store().query(probe)))
    if row["r"].value == "error":
        raise UnsupportedShape(f"shapes: {_name(shape)}: sh:pattern {pattern!r} is not supported by Oxigraph's "
                               "regular expressions (PatternConstraintComponent)")
    _REGEX_OK.add((pattern, flags))


_REGEX_OK: set = set()


# ------------------------------------------------------------------------------------------------
# Evaluation context: the store (for the class hierarchy), fresh variables


class _Ctx:
    def __init__(self, store: ox.Store | None, union: bool = True) -> None:
        self.store, self.union = store, union
        self._classes: dict = {}
        self._shared: dict = {}
        self._lock = threading.Lock()
        self._n = 0

    def fresh(self) -> str:
        self._n += 1
        return f"?_v{self._n}"

    def subclasses(self, cls) -> list[str]:
        """The class and its subclasses (rdfs:subClassOf* in the data), in SPARQL syntax."""
        if cls not in self._classes:
            found = {str(cls)}
            if self.store is not None:
                q = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* {_term(cls)} }}"
                found |= {str(r["c"]) for r in self.store.query(q, use_default_graph_as_union=self.union)
                          if not isinstance(r["c"], ox.BlankNode)}
            self._classes[cls] = sorted(found)
        return self._classes[cls]

    def select(self, query: str) -> list:
        return self.select_vars(query)[1]

    def select_shared(self, query: str) -> list:
        """select(), once per query text (several shapes share the cheap phase of their checks)."""
        with self._lock:
            future = self._shared.get(query)
            owner = future is None
            if owner:
                future = self._shared[query] = Future()
        if owner:
            try:
                future.set_result(self.select(query))
            except BaseException as err:
                future.set_exception(err)
        return future.result()

    def select_vars(self, query: str) -> tuple[list[str], list]:
        try:
            found = self.store.query(QUERY_PREFIXES + query, use_default_graph_as_union=self.union)
            return [v.value for v in found.variables], list(found)
        except (SyntaxError, OSError) as err:
            raise RuntimeError(f"{err}\nin the query:\n{query}") from err


# ------------------------------------------------------------------------------------------------
# Checks: each runs one or a few queries and returns results


@dataclass
class _Check:
    label: str
    queries: list[str]
    run: Callable[["_Ctx"], list[Result]]


Focus = Callable[[str], str]  # a graph pattern binding the given variable to the focus nodes


class ShaclSparql:
    """The shapes, compiled for evaluation over a pyoxigraph store."""

    def __init__(self, triples: Iterable) -> None:
        self.g = _Graph(triples)
        self._info: dict = {}
        self._check_graph()
        self.shapes = self._top_level_shapes()
        for shape in self._all_shapes():
            self._check_supported(shape)
        self.plan(_Ctx(None))  # compile every query once: what cannot be compiled fails here

    # ---- the shapes graph ----------------------------------------------------------------------

    def _check_graph(self) -> None:
        for kind in ("ConstraintComponent", "SPARQLTarget", "SPARQLTargetType", "SPARQLFunction", "JSConstraint",
                     "JSTarget", "SPARQLRule", "TripleRule"):
            declared = self.g.subjects(RDF_TYPE, _sh(kind))
            if declared:
                raise UnsupportedShape(f"shapes: {_name(declared[0])}: sh:{kind} is not supported by the SPARQL "
                                       "engine", hint="validate with --engine pyshacl")

    def _top_level_shapes(self) -> list:
        found = []
        for p in TARGETS:
            found += self.g.subjects(_sh(p))
        for cls in (ox.NamedNode(RDFS + "Class"), ox.NamedNode(OWL + "Class")):
            for s in self.g.subjects(RDF_TYPE, cls):
                if self._is_shape(s):
                    found.append(s)
        return sorted(set(found), key=str)

    def _is_shape(self, s) -> bool:
        types = self.g.objects(s, RDF_TYPE)
        return _sh("NodeShape") in types or _sh("PropertyShape") in types

    def _all_shapes(self) -> list:
        declared = set(self.g.subjects(RDF_TYPE, _sh("NodeShape"))) | set(self.g.subjects(RDF_TYPE, _sh("PropertyShape")))
        todo, seen = list(self.shapes) + sorted(declared, key=str), set()
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            for p in ("property", "node", "not", "qualifiedValueShape"):
                todo += self.g.objects(s, _sh(p))
            for p in ("or", "and", "xone"):
                for head in self.g.objects(s, _sh(p)):
                    todo += self.g.items(head)
        return sorted(seen, key=str)

    def _check_supported(self, shape) -> None:
        for p in self.g.predicates(shape):
            if p.value.startswith(SH) and p.value[len(SH):] not in SUPPORTED:
                raise UnsupportedShape(f"shapes: {_name(shape)}: sh:{p.value[len(SH):]} is not supported by the "
                                       "SPARQL engine", hint="validate with --engine pyshacl")
        for c in self.g.objects(shape, _sh("sparql")):
            for p in self.g.predicates(c):
                if p.value.startswith(SH) and p.value[len(SH):] not in CONSTRAINT_PROPERTIES:
                    raise UnsupportedShape(f"shapes: {_name(shape)}: the SPARQL constraint {_name(c)} uses "
                                           f"sh:{p.value[len(SH):]}, which the SPARQL engine does not support",
                                           hint="validate with --engine pyshacl")
            if self.g.value(c, _sh("select")) is None:
                raise UnsupportedShape(f"shapes: {_name(shape)}: the SPARQL constraint {_name(c)} has no sh:select")
        if self.g.objects(shape, _sh("minCount")) + self.g.objects(shape, _sh("maxCount")) and \
                self.g.value(shape, _sh("path")) is None:
            raise UnsupportedShape(f"shapes: {_name(shape)}: sh:minCount and sh:maxCount need a sh:path")

    def info(self, shape) -> _Info:
        if shape not in self._info:
            path = self.g.value(shape, _sh("path"))
            severity = self.g.value(shape, _sh("severity"))
            deactivated = self.g.value(shape, _sh("deactivated"))
            self._info[shape] = _Info(
                node=shape, path=path, path_text=self._path(path, shape) if path is not None else None,
                severity=_local(severity.value) if severity is not None else "Violation",
                messages=tuple(m.value for m in self.g.objects(shape, _sh("message"))),
                deactivated=deactivated is not None and deactivated.value.lower() in ("true", "1"))
        return self._info[shape]

    def _path(self, node, shape, depth: int = 0) -> str:
        if depth > 20:
            raise UnsupportedShape(f"shapes: {_name(shape)}: the sh:path is too deep or cyclic")
        if isinstance(node, ox.NamedNode):
            return f"<{node.value}>"
        if isinstance(node, ox.Literal):
            raise UnsupportedShape(f"shapes: {_name(shape)}: a sh:path cannot be a literal")
        preds = [p for p in self.g.predicates(node) if p.value.startswith(SH)]
        if self.g.value(node, RDF_FIRST) is not None:  # a sequence
            items = self.g.items(node)
            if len(items) < 2:
                raise UnsupportedShape(f"shapes: {_name(shape)}: a sequence path needs two or more members")
            return "(" + "/".join(self._path(i, shape, depth + 1) for i in items) + ")"
        if len(preds) != 1 or preds[0].value[len(SH):] not in PATH_PROPERTIES:
            raise UnsupportedShape(f"shapes: {_name(shape)}: this sh:path is not a SHACL property path")
        kind, inner = preds[0].value[len(SH):], self.g.value(node, preds[0])
        if kind == "alternativePath":
            items = self.g.items(inner)
            if len(items) < 2:
                raise UnsupportedShape(f"shapes: {_name(shape)}: an alternative path needs two or more members")
            return "(" + "|".join(self._path(i, shape, depth + 1) for i in items) + ")"
        text = self._path(inner, shape, depth + 1)
        return {"inversePath": f"^{text}", "zeroOrMorePath": f"({text})*", "oneOrMorePath": f"({text})+",
                "zeroOrOnePath": f"({text})?"}[kind]

    # ---- conditions -----------------------------------------------------------------------------

    def value_conds(self, shape, stack: tuple, logic: bool = True) -> list[_Cond]:
        """The constraints of a shape that each value node must meet on its own (with or without
        the logical ones: sh:or, sh:and, sh:xone, sh:not, sh:node)."""
        g, info, out = self.g, self.info(shape), []
        for d in g.objects(shape, _sh("datatype")):
            out.append(_Datatype(d))
        for c in g.objects(shape, _sh("class")):
            out.append(_Class(c))
        for k in g.objects(shape, _sh("nodeKind")):
            out.append(_NodeKind(k, shape))
        flags = g.value(shape, _sh("flags"))
        for p in g.objects(shape, _sh("pattern")):
            out.append(_Pattern(p, flags, shape))
        for which in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            for v in g.objects(shape, _sh(which)):
                out.append(_Compare(which, v))
        for which in ("minLength", "maxLength"):
            for v in g.objects(shape, _sh(which)):
                out.append(_Length(which, _int(v, shape, f"sh:{which}")))
        for head in g.objects(shape, _sh("in")):
            out.append(_In(g.items(head)))
        for head in g.objects(shape, _sh("languageIn")):
            out.append(_LanguageIn(g.items(head)))
        if not info.is_property:
            for v in g.objects(shape, _sh("hasValue")):
                out.append(_SameTerm(v))
        if not logic:
            return out
        for prop, component in (("or", "OrConstraintComponent"), ("and", "AndConstraintComponent"),
                                ("xone", "XoneConstraintComponent")):
            for head in g.objects(shape, _sh(prop)):
                out.append(_Logic(component, [self.shape_cond(m, stack) for m in g.items(head)]))
        for m in g.objects(shape, _sh("not")):
            out.append(_Logic("NotConstraintComponent", [self.shape_cond(m, stack)]))
        for m in g.objects(shape, _sh("node")):
            out.append(_Logic("NodeConstraintComponent", [self.shape_cond(m, stack)]))
        return out

    def shape_cond(self, shape, stack: tuple) -> _Cond:
        """'This node conforms to the shape', as one condition (or _NotInlinable)."""
        info = self.info(shape)
        if info.deactivated:
            return _Logic("AndConstraintComponent", [])
        if shape in stack:
            raise UnsupportedShape(f"shapes: {_name(shape)}: a recursive shape is not supported by the SPARQL engine")
        stack = stack + (shape,)
        g = self.g
        if g.objects(shape, _sh("sparql")) or any(g.objects(shape, _sh(p)) for p in
                                                  ("equals", "disjoint", "lessThan", "lessThanOrEquals",
                                                   "qualifiedValueShape")):
            raise _NotInlinable(shape)
        parts: list[_Cond] = []
        if info.is_property:
            path, conds = info.path_text, self.value_conds(shape, stack)
            if g.objects(shape, _sh("property")):
                raise _NotInlinable(shape)

            def values_ok(x, ctx, conds=conds):
                y = ctx.fresh()
                test = " && ".join(c.sparql(y, ctx) for c in conds)
                return f"NOT EXISTS {{ {x} {path} {y} . FILTER(!({test})) }}"

            if conds:
                parts.append(_Raw(values_ok))
            low = max((_int(v, shape, "sh:minCount") for v in g.objects(shape, _sh("minCount"))), default=0)
            high = min((_int(v, shape, "sh:maxCount") for v in g.objects(shape, _sh("maxCount"))), default=None)
            if low > 1 or (high is not None and high > 1):
                raise _NotInlinable(shape)
            if low == 1:
                parts.append(_Raw(lambda x, ctx: f"EXISTS {{ {x} {path} {ctx.fresh()} }}"))
            if high == 0:
                parts.append(_Raw(lambda x, ctx: f"NOT EXISTS {{ {x} {path} {ctx.fresh()} }}"))
            elif high == 1:
                def at_most_one(x, ctx):
                    a, b = ctx.fresh(), ctx.fresh()
                    return (f"NOT EXISTS {{ {x} {path} {a} . FILTER EXISTS {{ {x} {path} {b} . "
                            f"FILTER(!sameTerm({a}, {b})) }} }}")
                parts.append(_Raw(at_most_one))
            for v in g.objects(shape, _sh("hasValue")):
                parts.append(_Raw(lambda x, ctx, v=v: f"EXISTS {{ {x} {path} {_term(v)} }}"))
        else:
            parts += self.value_conds(shape, stack)
            for ps in g.objects(shape, _sh("property")):
                parts.append(self.shape_cond(ps, stack))
        return _Logic("AndConstraintComponent", parts)

    # ---- planning: the checks of every shape ---------------------------------------------------

    def plan(self, ctx: _Ctx) -> list[_Check]:
        checks: list[_Check] = []
        for shape in self.shapes:
            try:
                checks += self.shape_checks(shape, self._targets(shape, ctx), ctx, ())
            except _NotInlinable as err:
                raise UnsupportedShape(f"shapes: {_name(shape)}: {err} (a blank node where a query needs a "
                                       "constant: sh:targetNode, sh:hasValue, sh:in)") from None
        return checks

    def _targets(self, shape, ctx: _Ctx) -> Focus:
        g, parts = self.g, []
        classes = list(g.objects(shape, _sh("targetClass")))
        if any(t in (ox.NamedNode(RDFS + "Class"), ox.NamedNode(OWL + "Class")) for t in g.objects(shape, RDF_TYPE)):
            classes.append(shape)
        for c in classes:
            parts.append(("class", c))
        for n in g.objects(shape, _sh("targetNode")):
            parts.append(("node", n))
        for p in g.objects(shape, _sh("targetSubjectsOf")):
            parts.append(("subjects", p))
        for p in g.objects(shape, _sh("targetObjectsOf")):
            parts.append(("objects", p))

        def one(kind, term, var) -> str:
            if kind == "class":
                found = ctx.subclasses(term)
                if len(found) == 1:
                    return f"{var} a {found[0]} ."
                c = ctx.fresh()
                return f"{var} a {c} . VALUES {c} {{ {' '.join(found)} }}"
            if kind == "node":
                return f"VALUES {var} {{ {_term(term)} }}"
            if kind == "subjects":
                return f"{var} {_term(term)} {ctx.fresh()} ."
            return f"{ctx.fresh()} {_term(term)} {var} ."

        def focus(var: str) -> str:
            if len(parts) == 1:
                return one(*parts[0], var)
            union = " UNION ".join("{ " + one(k, t, var) + " }" for k, t in parts)
            return f"{{ SELECT DISTINCT {var} WHERE {{ {union} }} }}"

        return focus

    def shape_checks(self, shape, focus: Focus, ctx: _Ctx, stack: tuple, exists: list | None = None) -> list[_Check]:
        """The checks of a shape on the focus nodes.  Checks that a focus node has some value
        (sh:minCount 1, sh:hasValue, sh:qualifiedMinCount 1) go to ``exists`` when the caller
        merges them with those of the other property shapes of a node shape (one query)."""
        info = self.info(shape)
        if info.deactivated:
            return []
        own_exists = exists is None
        if own_exists:
            exists = []
        if shape in stack:
            raise UnsupportedShape(f"shapes: {_name(shape)}: a recursive shape is not supported by the SPARQL engine")
        stack = stack + (shape,)
        g, checks = self.g, []
        path = info.path_text

        def values(this: str, value: str) -> str:
            return f"{this} {path} {value} ." if info.is_property else f"BIND({this} AS {value})"

        def result(focus_node, component, value=None, messages=None, constraint=None, path_node=info.path):
            if component == "HasValueConstraintComponent":
                value = None  # as pyshacl, for a node shape too
            return Result(focus_node, path_node, value, shape, component, info.severity,
                          tuple(messages) if messages is not None else
                          (info.messages or (self._generic(info, component, focus_node, value),)),
                          constraint)

        simple = self._simple_path(info)
        verify = self._verifier(focus)

        # cardinality
        if info.is_property:
            low = max((_int(v, shape, "sh:minCount") for v in g.objects(shape, _sh("minCount"))), default=0)
            high = min((_int(v, shape, "sh:maxCount") for v in g.objects(shape, _sh("maxCount"))), default=None)
            if low == 1:
                exists.append(("MinCountConstraintComponent", result,
                               lambda this, ctx, path=path: f"EXISTS {{ {this} {path} {ctx.fresh()} }}"))
                low = 0
            elif low == 2:  # two distinct values (the inner EXISTS is evaluated per value)
                def two(this, ctx, path=path):
                    a, b = ctx.fresh(), ctx.fresh()
                    return f"EXISTS {{ {this} {path} {a} . FILTER EXISTS {{ {this} {path} {b} . FILTER(!sameTerm({a}, {b})) }} }}"
                exists.append(("MinCountConstraintComponent", result, two))
                low = 0
            checks += self._count_checks(shape, info, focus, simple, verify, low, high, result)

        # value-by-value constraints
        conds, fallback = self._split_conds(shape, stack)
        value_checks = []
        if conds and simple:
            for cond in conds:
                value_checks.append(self._value_check_by_predicate(shape, focus, simple, verify, cond, ctx, result))
        elif conds:
            value_checks.append(self._value_check(shape, info, focus, values, conds, ctx, result))
        for component, members in fallback:
            value_checks.append(self._logic_check(shape, info, focus, values, component, members, ctx, stack, result))
        node_shapes = g.objects(shape, _sh("node"))
        if node_shapes:  # pyshacl reports why a value does not conform to a sh:node shape (sh:detail)
            cand = self._candidates(focus, values, ctx)
            inner = [c for m in node_shapes for c in self.shape_checks(m, cand, ctx, stack)]
            value_checks = [self._with_details(c, inner) for c in value_checks]
        checks += value_checks

        # hasValue of a property shape: the set of values must contain it
        if info.is_property:
            for v in g.objects(shape, _sh("hasValue")):
                exists.append(("HasValueConstraintComponent", result,
                               lambda this, ctx, v=v: f"EXISTS {{ {this} {path} {_term(v)} }}"))

        # property pairs
        for which in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            for other in g.objects(shape, _sh(which)):
                if not isinstance(other, ox.NamedNode):
                    raise UnsupportedShape(f"shapes: {_name(shape)}: sh:{which} must be an IRI")
                checks.append(self._pair_check(shape, info, which, other, focus, values, simple, verify, result))

        # qualified value shapes
        for q_shape in g.objects(shape, _sh("qualifiedValueShape")):
            if not info.is_property:
                raise UnsupportedShape(f"shapes: {_name(shape)}: sh:qualifiedValueShape needs a sh:path")
            checks += self._qualified_checks(shape, info, q_shape, focus, simple, verify, ctx, stack, result, exists)

        # nested property shapes: their focus nodes are this shape's value nodes
        for ps in g.objects(shape, _sh("property")):
            if info.is_property:
                def inner(var, focus=focus):
                    f = ctx.fresh()
                    return f"{{ SELECT DISTINCT {var} WHERE {{ {focus(f)} {f} {path} {var} . }} }}"
                checks += self.shape_checks(ps, inner, ctx, stack)
            else:
                checks += self.shape_checks(ps, focus, ctx, stack, exists)

        # SHACL-SPARQL
        for c in g.objects(shape, _sh("sparql")):
            checks += self._sparql_check(shape, info, c, focus, result)
        if own_exists and exists:
            checks.append(self._exists_check(shape, focus, exists, ctx))
        return checks

    def _exists_check(self, shape, focus, specs, ctx) -> _Check:
        """One query for every 'has some value' check on the same focus nodes."""
        if len(specs) == 1:
            q = f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} FILTER(!({specs[0][2]('?this', ctx)})) }}"
        else:
            binds = " ".join(f"BIND({expr('?this', ctx)} AS ?k{i})" for i, (_, _, expr) in enumerate(specs))
            test = " || ".join(f"!?k{i}" for i in range(len(specs)))
            q = (f"SELECT DISTINCT ?this {' '.join(f'?k{i}' for i in range(len(specs)))} WHERE {{ {focus('?this')} "
                 f"{binds} FILTER({test}) }}")

        def run(ctx):
            out = []
            for r in ctx.select(q):
                for i, (component, result, _) in enumerate(specs):
                    if len(specs) == 1 or r[f"k{i}"] is None or r[f"k{i}"].value != "true":
                        out.append(result(r["this"], component))
            return out
        return _Check(f"{_name(shape)} has values", [q], run)

    @staticmethod
    def _with_details(check: _Check, inner: list[_Check]) -> _Check:
        """The check, plus the results of the sh:node shapes for the values that fail them."""
        def run(ctx):
            found = check.run(ctx)
            failing = {r.value for r in found if r.component == "NodeConstraintComponent"}
            if failing:
                found += [r for c in inner for r in c.run(ctx) if r.focus in failing]
            return found
        return _Check(check.label, check.queries + [q for c in inner for q in c.queries], run)

    def _split_conds(self, shape, stack) -> tuple[list[_Cond], list]:
        """Value conditions that inline, and the logical components that must run in Python."""
        g, conds, fallback = self.g, self.value_conds(shape, stack, logic=False), []
        logic = [("or", "OrConstraintComponent", True), ("and", "AndConstraintComponent", True),
                 ("xone", "XoneConstraintComponent", True), ("not", "NotConstraintComponent", False),
                 ("node", "NodeConstraintComponent", False)]
        for prop, component, is_list in logic:
            for obj in g.objects(shape, _sh(prop)):
                members = g.items(obj) if is_list else [obj]
                try:
                    conds.append(_Logic(component, [self.shape_cond(m, stack) for m in members]))
                except _NotInlinable:
                    fallback.append((component, members))
        return conds, fallback

    # Two-phase checks.  Oxigraph joins slowly (about a microsecond a lookup), and most checks
    # find nothing: so a check first runs a cheap query over every triple of the property, whoever
    # the subject (a superset of the violations: usually empty), then keeps the rows whose ?this is
    # a focus node of the shape.

    def _simple_path(self, info: _Info):
        """For a path that is an IRI or the inverse of one: a function (this, value) -> triple."""
        if isinstance(info.path, ox.NamedNode):
            p = f"<{info.path.value}>"
            return lambda this, value: f"{this} {p} {value} ."
        if info.path is not None and len(self.g.predicates(info.path)) == 1:
            inverse = self.g.value(info.path, _sh("inversePath"))
            if isinstance(inverse, ox.NamedNode):
                p = f"<{inverse.value}>"
                return lambda this, value: f"{value} {p} {this} ."
        return None

    def _verifier(self, focus: Focus):
        """rows -> the rows whose ?this is a focus node; None if that cannot be asked (blank nodes)."""
        pattern = focus("?this")

        def keep(ctx, rows):
            nodes = list(dict.fromkeys(r["this"] for r in rows))
            if any(not isinstance(n, (ox.NamedNode, ox.Literal)) for n in nodes):
                return None
            found = set()
            for k in range(0, len(nodes), 1000):
                values = " ".join(str(n) for n in nodes[k:k + 1000])
                found |= {r["this"] for r in ctx.select(f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values} }} {pattern} }}")}
            return [r for r in rows if r["this"] in found]
        return keep

    @staticmethod
    def _two_phase(label: str, cheap: str, exact: str, verify, make) -> _Check:
        def run(ctx):
            rows = ctx.select_shared(cheap)
            if rows:
                kept = verify(ctx, rows)
                rows = kept if kept is not None else ctx.select(exact)
            return [x for r in rows for x in make(r)]
        return _Check(label, [cheap, exact], run)

    def _count_checks(self, shape, info, focus, simple, verify, low, high, result) -> list[_Check]:
        """sh:minCount above 1, sh:maxCount (sh:minCount 1 is an existence check)."""
        path, name = info.path_text, _name(shape)
        if low <= 0 and high is None:
            return []
        if low > 0:
            bad = f"COUNT(DISTINCT ?value) < {low}" + (f" || COUNT(DISTINCT ?value) > {high}" if high is not None else "")
            q = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus('?this')} "
                 f"OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this HAVING ({bad})")

            def run(ctx):
                out = []
                for r in ctx.select(q):
                    n = int(r["n"].value)
                    if n < low:
                        out.append(result(r["this"], "MinCountConstraintComponent"))
                    if high is not None and n > high:
                        out.append(result(r["this"], "MaxCountConstraintComponent"))
                return out
            return [_Check(f"{name} min/maxCount", [q], run)]
        exact = (f"SELECT ?this WHERE {{ {focus('?this')} ?this {path} ?value . }} "
                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {high})")
        if not simple:
            return [_Check(f"{name} maxCount", [exact], lambda ctx: [
                result(r["this"], "MaxCountConstraintComponent") for r in ctx.select(exact)])]
        triple = simple("?this", "?value")
        return [self._many_values_check(f"{name} maxCount", triple, high, exact, verify,
                                        lambda r: [result(r["this"], "MaxCountConstraintComponent")])]

    def _many_values_check(self, label, pattern, high, exact, verify, make) -> _Check:
        """Focus nodes with more than ``high`` distinct ?value matching the pattern.  First, as
        cheaply as Oxigraph counts: no node has two matches at all (the usual case); then, the
        nodes with more than ``high`` matches (a triple counts once per graph that holds it: a
        superset), kept if they are focus nodes and have too many distinct values."""
        counts = f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?m) WHERE {{ {pattern} }}"
        cheap = f"SELECT ?this WHERE {{ {pattern} }} GROUP BY ?this HAVING (COUNT(*) > {high})"

        def verify_count(ctx, rows):
            kept = verify(ctx, rows)
            if not kept:
                return kept
            values = " ".join(str(r["this"]) for r in kept)
            return ctx.select(f"SELECT ?this WHERE {{ VALUES ?this {{ {values} }} {pattern} }} "
                              f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {high})")

        def run(ctx):
            if high >= 1:
                n = ctx.select_shared(counts)[0]
                if n["n"].value == n["m"].value:
                    return []
            rows = ctx.select_shared(cheap)
            if rows:
                kept = verify_count(ctx, rows)
                rows = kept if kept is not None else ctx.select(exact)
            return [x for r in rows for x in make(r)]
        return _Check(label, [counts, cheap, exact], run)

    def _value_check_by_predicate(self, shape, focus, simple, verify, cond, ctx, result) -> _Check:
        triple = simple("?this", "?value")
        classes = cond.classes()
        if classes is not None:  # an anti-join on the instances of the classes
            found = sorted({c for cls in classes for c in ctx.subclasses(cls)})
            if len(found) == 1:
                instances = f"?value a {found[0]} ."
            else:
                c = ctx.fresh()
                instances = f"?value a {c} . VALUES {c} {{ {' '.join(found)} }}"
            cheap = f"SELECT DISTINCT ?this ?value WHERE {{ {triple} MINUS {{ {instances} }} }}"
        else:
            cheap = f"SELECT DISTINCT ?this ?value WHERE {{ {triple} FILTER(!({cond.sparql('?value', ctx)})) }}"
        exact = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {triple} "
                 f"FILTER(!({cond.sparql('?value', ctx)})) }}")
        return self._two_phase(f"{_name(shape)} {cond.component}", cheap, exact, verify, lambda r: [
            result(r["this"], cond.component, r["value"])])

    def _value_check(self, shape, info, focus, values, conds, ctx, result) -> _Check:
        if len(conds) == 1:
            oks, test = "", f"FILTER(!({conds[0].sparql('?value', ctx)}))"
        else:
            oks = " ".join(f"?ok{i}" for i in range(len(conds)))
            test = " ".join(f"BIND({c.sparql('?value', ctx)} AS ?ok{i})" for i, c in enumerate(conds))
            test += " FILTER(" + " || ".join(f"!?ok{i}" for i in range(len(conds))) + ")"
        q = f"SELECT DISTINCT ?this ?value {oks} WHERE {{ {focus('?this')} {values('?this', '?value')} {test} }}"

        def run(ctx):
            out = []
            for r in ctx.select(q):
                for i, c in enumerate(conds):
                    if len(conds) == 1 or r[f"ok{i}"] is None or r[f"ok{i}"].value != "true":
                        out.append(result(r["this"], c.component, r["value"]))
            return out
        return _Check(f"{_name(shape)} values", [q], run)

    def _pair_check(self, shape, info, which, other, focus, values, simple, verify, result) -> _Check:
        o = f"<{other.value}>"
        component = which[0].upper() + which[1:] + "ConstraintComponent"
        label = f"{_name(shape)} {which}"

        def make(r):
            return [result(r["this"], component, r["value"])]
        if which == "equals":  # a value on one side only: a group with one side
            q = (f"SELECT ?this ?value WHERE {{ {focus('?this')} {{ {values('?this', '?value')} BIND(1 AS ?side) }} "
                 f"UNION {{ ?this {o} ?value . BIND(2 AS ?side) }} }} GROUP BY ?this ?value HAVING (MIN(?side) = MAX(?side))")
            return _Check(label, [q], lambda ctx: [x for r in ctx.select(q) for x in make(r)])
        if which == "disjoint":
            q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {values('?this', '?value')} ?this {o} ?value . }}"
            return _Check(label, [q], lambda ctx: [x for r in ctx.select(q) for x in make(r)])
        if not info.is_property:
            raise UnsupportedShape(f"shapes: {_name(shape)}: sh:{which} needs a sh:path")
        op = "<" if which == "lessThan" else "<="
        # as pyshacl: IRIs and strings compare as strings, and only with each other
        stringy = ("(isIRI({0}) || (isLiteral({0}) && DATATYPE({0}) IN "
                   f"(xsd:string, <{RDF}langString>)))")
        a, b = stringy.format("?value"), stringy.format("?other")
        ok = f"COALESCE(IF({a}, {b} && STR(?value) {op} STR(?other), !{b} && ?value {op} ?other), false)"
        exact = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {values('?this', '?value')} "
                 f"?this {o} ?other . FILTER(!{ok}) }}")
        if not simple:
            return _Check(label, [exact], lambda ctx: [x for r in ctx.select(exact) for x in make(r)])
        cheap = f"SELECT DISTINCT ?this ?value WHERE {{ {simple('?this', '?value')} ?this {o} ?other . FILTER(!{ok}) }}"
        return self._two_phase(label, cheap, exact, verify, make)

    def _qualified_checks(self, shape, info, q_shape, focus, simple, verify, ctx, stack, result, exists) -> list[_Check]:
        g, path, name = self.g, info.path_text, _name(shape)
        low = max((_int(v, shape, "sh:qualifiedMinCount") for v in g.objects(shape, _sh("qualifiedMinCount"))), default=None)
        high = min((_int(v, shape, "sh:qualifiedMaxCount") for v in g.objects(shape, _sh("qualifiedMaxCount"))), default=None)
        if low is None and high is None:
            raise UnsupportedShape(f"shapes: {name}: sh:qualifiedValueShape needs sh:qualifiedMinCount or sh:qualifiedMaxCount")
        disjoint = any(v.value.lower() in ("true", "1") for v in g.objects(shape, _sh("qualifiedValueShapesDisjoint")))
        siblings = []
        if disjoint:
            for parent in g.subjects(_sh("property"), shape):
                for sib in g.objects(parent, _sh("property")):
                    siblings += [s for s in g.objects(sib, _sh("qualifiedValueShape")) if s != q_shape]
        siblings = list(dict.fromkeys(siblings))
        checks = []
        try:
            cond = self.shape_cond(q_shape, stack)
            sib_conds = [self.shape_cond(s, stack) for s in siblings]
        except _NotInlinable:
            return [self._qualified_python(shape, info, q_shape, siblings, focus, ctx, stack, low, high, result)]

        def qualifies(x, ctx):
            test = cond.sparql(x, ctx)
            for sib in sib_conds:
                test += f" && !{sib.sparql(x, ctx)}"
            return test

        classes = cond.classes() if not sib_conds else None
        if classes is not None:
            found = sorted({c for cls in classes for c in ctx.subclasses(cls)})
            c = ctx.fresh()
            instances = f"?value a {found[0]} ." if len(found) == 1 else f"?value a {c} . VALUES {c} {{ {' '.join(found)} }}"
        if high is not None:
            exact = (f"SELECT ?this WHERE {{ {focus('?this')} ?this {path} ?value . FILTER({qualifies('?value', ctx)}) }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {high})")

            def make_max(r):
                return [result(r["this"], "QualifiedMaxCountConstraintComponent")]
            if classes is not None and simple:
                checks.append(self._many_values_check(f"{name} qualifiedMaxCount", f"{simple('?this', '?value')} {instances}",
                                                      high, exact, verify, make_max))
            else:
                checks.append(_Check(f"{name} qualifiedMaxCount", [exact], lambda ctx, q=exact: [
                    x for r in ctx.select(q) for x in make_max(r)]))
        if low == 1:
            exists.append(("QualifiedMinCountConstraintComponent", result, lambda this, ctx: (
                f"EXISTS {{ {this} {path} ?_q . FILTER({qualifies('?_q', ctx)}) }}".replace("?_q", ctx.fresh()))))
        elif low is not None and low > 1:
            q = (f"SELECT ?this WHERE {{ {focus('?this')} OPTIONAL {{ ?this {path} ?value . "
                 f"FILTER({qualifies('?value', ctx)}) }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {low})")
            checks.append(_Check(f"{name} qualifiedMinCount", [q], lambda ctx, q=q: [
                result(r["this"], "QualifiedMinCountConstraintComponent") for r in ctx.select(q)]))
        return checks

    # ---- components evaluated in Python on the candidate set -----------------------------------

    def _candidates(self, focus: Focus, values, ctx) -> Focus:
        def cand(var):
            f = ctx.fresh()
            return f"{{ SELECT DISTINCT {var} WHERE {{ {focus(f)} {values(f, var)} }} }}"
        return cand

    def _nonconforming(self, shape, focus: Focus, ctx, stack) -> Callable[["_Ctx"], set]:
        checks = self.shape_checks(shape, focus, ctx, stack)

        def run(ctx):
            return {r.focus for c in checks for r in c.run(ctx)}
        run.queries = [q for c in checks for q in c.queries]
        return run

    def _logic_check(self, shape, info, focus, values, component, members, ctx, stack, result) -> _Check:
        cand = self._candidates(focus, values, ctx)
        member_runs = [self._nonconforming(m, cand, ctx, stack) for m in members]
        pairs_q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {values('?this', '?value')} }}"

        def run(ctx):
            failing = [nc(ctx) for nc in member_runs]
            out = []
            for r in ctx.select(pairs_q):
                v = r["value"]
                conforms = [v not in f for f in failing]
                ok = {"OrConstraintComponent": any(conforms), "AndConstraintComponent": all(conforms),
                      "XoneConstraintComponent": sum(conforms) == 1,
                      "NotConstraintComponent": not conforms[0], "NodeConstraintComponent": conforms[0]}[component]
                if not ok:
                    out.append(result(r["this"], component, v))
            return out
        return _Check(f"{_name(shape)} {component} (in Python)",
                      [pairs_q] + [q for m in member_runs for q in m.queries], run)

    def _qualified_python(self, shape, info, q_shape, siblings, focus, ctx, stack, low, high, result) -> _Check:
        path = info.path_text

        def values(this, value):
            return f"{this} {path} {value} ."
        cand = self._candidates(focus, values, ctx)
        q_run = self._nonconforming(q_shape, cand, ctx, stack)
        sib_runs = [self._nonconforming(s, cand, ctx, stack) for s in siblings]
        pairs_q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} OPTIONAL {{ ?this {path} ?value }} }}"

        def run(ctx):
            failing, sib_failing = q_run(ctx), [s(ctx) for s in sib_runs]
            counts: dict = {}
            for r in ctx.select(pairs_q):
                counts.setdefault(r["this"], 0)
                v = r["value"]
                if v is not None and v not in failing and all(v in f for f in sib_failing):
                    counts[r["this"]] += 1
            out = []
            for this, n in counts.items():
                if high is not None and n > high:
                    out.append(result(this, "QualifiedMaxCountConstraintComponent"))
                if low is not None and n < low:
                    out.append(result(this, "QualifiedMinCountConstraintComponent"))
            return out
        return _Check(f"{_name(shape)} qualifiedValueShape (in Python)", [pairs_q] + q_run.queries, run)

    # ---- SHACL-SPARQL ---------------------------------------------------------------------------

    def _sparql_check(self, shape, info, constraint, focus, result) -> list[_Check]:
        g = self.g
        deactivated = g.value(constraint, _sh("deactivated"))
        if deactivated is not None and deactivated.value.lower() in ("true", "1"):
            return []
        select = g.value(constraint, _sh("select")).value
        prefixes = ""
        for node in g.objects(constraint, _sh("prefixes")):
            for d in g.objects(node, _sh("declare")):
                prefix, ns = g.value(d, _sh("prefix")), g.value(d, _sh("namespace"))
                if prefix is None or ns is None:
                    raise UnsupportedShape(f"shapes: {_name(node)}: a sh:declare needs sh:prefix and sh:namespace")
                prefixes += f"PREFIX {prefix.value}: <{ns.value}>\n"
        query = _rewrite_select(select, shape, info, focus, constraint)
        _check_parses(prefixes + query, f"the SPARQL constraint {_name(constraint)} of {_name(shape)}")
        messages = [m.value for m in g.objects(constraint, _sh("message"))]

        native = shacl_native.native_kind(select)

        def rows_of(ctx):
            if native is not None:
                try:
                    return shacl_native.evaluate(native, ctx.select, focus("?this"))
                except shacl_native.NotNative:
                    pass  # a term of another type than the shapes require: SPARQL's semantics
            return ctx.select_vars(prefixes + query)

        def run(ctx):
            out, failed = [], set()
            names, rows = rows_of(ctx)
            for row in rows:
                bound = {n: t for n, t in zip(names, row) if t is not None}
                failure = bound.pop("failure", None)
                this, path, value = bound.get("this"), bound.get("path"), bound.get("value")
                if failure is not None:  # pyshacl: one result per focus node, with the focus as value
                    if this in failed:
                        continue
                    failed.add(this)
                    path, value, subs = None, (this if not info.is_property else None), bound
                else:
                    if this is None and path is None and value is None:
                        continue  # pyshacl ignores such a solution
                    if value is None and not info.is_property:
                        value = this
                    subs = {k: v for k, v in bound.items() if k not in ("this", "path", "value")}
                    subs.update({k: v for k, v in (("this", this), ("path", path), ("value", value)) if v is not None})
                texts = [_fill(m, subs) for m in list(info.messages) + messages]
                out.append(Result(this, path if path is not None else info.path, value, shape,
                                  "SPARQLConstraintComponent", info.severity,
                                  tuple(dict.fromkeys(texts)), constraint))
            return out
        return [_Check(f"{_name(shape)} sparql {_name(constraint)}", [prefixes + query], run)]

    # ---- messages -------------------------------------------------------------------------------

    def _generic(self, info: _Info, component: str, focus, value) -> str:
        """pyshacl's message for a result of a shape that has no sh:message (its own wording,
        with its own rendering of the terms)."""
        from pyshacl.rdfutil import stringify_node
        import rdflib

        if getattr(self, "_rdflib", None) is None:
            graph = rdflib.Graph()
            for subject, by_predicate in self.g.out.items():
                for predicate, objects in by_predicate.items():
                    for obj in objects:
                        graph.add((_rdflib(subject), _rdflib(predicate), _rdflib(obj)))
            self._rdflib = graph
        sg, dg, s = self._rdflib, rdflib.Graph(), info.node

        def S(node):  # a term of the shapes graph
            return stringify_node(sg, _rdflib(node))

        def D(node):  # a term of the data
            try:
                return stringify_node(dg, _rdflib(node))
            except (LookupError, ValueError):
                return str(node.value)

        def values(p):
            return self.g.objects(s, _sh(p))

        def number(p):
            found = values(p)
            return found[0].value if found else "?"

        def lists(p):  # the members of each sh:or (sh:and, sh:xone) list
            heads = values(p)
            if len(heads) == 1:
                return " , ".join(S(m) for m in self.g.items(heads[0]))
            return " and ".join("(" + " , ".join(S(m) for m in self.g.items(h)) + ")" for h in heads)

        def compare(p, op):
            found = values(p)
            return f"Value is not {op} {S(found[0])}" if len(found) == 1 else \
                f"Value is not {op} in ({', '.join(S(v) for v in found)})"

        def pair(p, op):
            found = values(p)
            rules = S(found[0]) if len(found) == 1 else ", ".join(S(v) for v in found)
            return f"Value of {D(focus)}->{rules} {op} {D(value)}"
        path = S(info.path) if info.path is not None else None
        on = f"{D(focus)}->{path}" if path else D(focus)
        c = component[:-len("ConstraintComponent")]
        if c in ("MinCount", "MaxCount"):
            return f"{'Less' if c == 'MinCount' else 'More'} than {number(c[0].lower() + c[1:])} values on {on}"
        if c == "Datatype":
            return f"Value is not Literal with datatype {S(values('datatype')[0])}"
        if c == "Class":
            found = values("class")
            return (f"Value does not have class {S(found[0])}" if len(found) == 1 else
                    f"Value class is not in classes ({', '.join(S(v) for v in found)})")
        if c == "NodeKind":
            return f"Value is not of Node Kind {S(values('nodeKind')[0])}"
        if c in ("MinInclusive", "MaxInclusive", "MinExclusive", "MaxExclusive"):
            return compare(c[0].lower() + c[1:], {"MinInclusive": ">=", "MaxInclusive": "<=", "MinExclusive": ">",
                                                  "MaxExclusive": "<"}[c])
        if c in ("MinLength", "MaxLength"):
            return f"String length not {'>=' if c == 'MinLength' else '<='} {D(values(c[0].lower() + c[1:])[0])}"
        if c == "Pattern":
            found = values("pattern")
            return (f"Value does not match pattern '{found[0].value}'" if len(found) == 1 else
                    "Value does not match every pattern in ('{}')".format("', '".join(v.value for v in found)))
        if c == "LanguageIn":
            return f"String language is not in {S(values('languageIn')[0])}"
        if c == "HasValue":
            the_set = [S(v) for v in values("hasValue")]
            return (f"Node {on} does not contain a value in the set: {the_set}" if path else
                    f"Node {on} value is not a in the set of values: {the_set}")
        if c == "In":
            return f"Value {D(value)} not in list {[S(v) for h in values('in') for v in self.g.items(h)]}"
        if c == "Node":
            found = values("node")
            text = (f"Value does not conform to Shape {S(found[0])}." if len(found) == 1 else
                    "Value must conform to every Shape in ('{}').".format("', '".join(S(v) for v in found)))
            return text + " See details for more information."
        if c == "Or":
            return f"Node {D(value)} must conform to one or more shapes in {lists('or')}"
        if c == "And":
            return f"Node {D(value)} must conform to all shapes in {lists('and')}"
        if c == "Xone":
            return f"Node {D(value)} must conform to exactly one shape in {lists('xone')}"
        if c == "Not":
            found = values("not")
            return (f"Node {D(value)} must not conform to shape {S(found[0])}" if len(found) == 1 else
                    f"Node {D(value)} must not conform to any shapes in {' , '.join(S(v) for v in found)}")
        if c in ("QualifiedMinCount", "QualifiedMaxCount"):
            shapes = ",".join(S(v) for v in values("qualifiedValueShape"))
            counts = "".join(f" {n} {values('qualified' + n)[0].value}" for n in ("MinCount", "MaxCount")
                             if values("qualified" + n))
            return f"Focus node does not conform to shape{counts}: {shapes}"
        if c in ("Equals", "Disjoint", "LessThan", "LessThanOrEquals"):
            return pair(c[0].lower() + c[1:], {"Equals": "!=", "Disjoint": "==", "LessThan": "<=",
                                               "LessThanOrEquals": "<"}[c])
        return "constraint not met"

    # ---- running ---------------------------------------------------------------------------------

    def queries(self, store: ox.Store | None = None) -> list[tuple[str, str]]:
        """(label, query) for every query the shapes compile to (for reading and profiling)."""
        return [(c.label, q) for c in self.plan(_Ctx(store)) for q in c.queries]

    def validate(self, store: ox.Store, *, union: bool = True, jobs: int = 1,
                 normalised: Sequence[ox.Quad] = (), timings: dict | None = None) -> list[Result]:
        """Every result of the shapes on the store (its union default graph, or its default graph)."""
        import time
        ctx = _Ctx(store, union)
        checks = self.plan(ctx)

        def run(check):
            t = time.thread_time()
            found = check.run(ctx)
            if timings is not None:  # CPU seconds of the thread that ran the check
                timings[check.label] = timings.get(check.label, 0.0) + time.thread_time() - t
            return found

        checks.sort(key=lambda c: " sparql " not in c.label)  # the longest first, for the threads
        if jobs > 1 and len(checks) > 1:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                outcomes = list(pool.map(run, checks))
        else:
            outcomes = [run(c) for c in checks]
        found = {r for rs in outcomes for r in rs}
        if normalised:
            found = self._correct_normalised(found, normalised, ctx)
        return sorted(found, key=_result_key)

    def _correct_normalised(self, found: set, quads: Sequence[ox.Quad], ctx: _Ctx) -> set:
        """Datatype checks on literals as written, where the store holds them under another type:
        for property shapes with an IRI path, reached from a targeted shape by sh:property."""
        by_predicate: dict = defaultdict(list)
        for q in quads:
            by_predicate[q.predicate].append(q)
        stored = {q.object: _stored(q.object) for q in quads}
        probe = ox.Literal("x")
        for shape in self._all_shapes():
            info = self.info(shape)
            if info.deactivated or not isinstance(info.path, ox.NamedNode) or info.path not in by_predicate:
                continue
            try:
                conds = [c for c in self.value_conds(shape, ()) if c.py(probe) is not None]
            except (_NotInlinable, UnsupportedShape):
                continue
            if not conds:
                continue
            focus = self._focus_nodes_among(shape, {q.subject for q in by_predicate[info.path]}, ctx)
            for q in by_predicate[info.path]:
                if q.subject not in focus:
                    continue
                for c in conds:
                    found = {r for r in found if not (r.shape == shape and r.focus == q.subject and
                                                      r.component == c.component and r.value == stored[q.object])}
                    if not c.py(q.object):
                        msgs = info.messages or (self._generic(info, c.component, q.subject, q.object),)
                        found.add(Result(q.subject, info.path, q.object, shape, c.component, info.severity, msgs))
        return found

    def _focus_nodes_among(self, shape, subjects: set, ctx: _Ctx) -> set:
        """Which of these nodes are focus nodes of the shape, as a targeted shape or as a
        sh:property of one."""
        values = " ".join(str(s) for s in subjects if not isinstance(s, ox.BlankNode))
        found: set = set()
        for top in self.shapes:
            if values and (top == shape or shape in self.g.objects(top, _sh("property"))):
                q = f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values} }} {self._targets(top, ctx)('?this')} }}"
                found |= {r["this"] for r in ctx.select(q)}
        return found


def _result_key(r: Result):
    return (str(r.focus), str(r.shape), str(r.path), str(r.value), r.component, r.messages)


def _stored(literal: ox.Literal) -> ox.Term:
    """The literal as the store holds it."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), literal))
    return next(iter(store)).object


def _rdflib(node):
    import rdflib
    if isinstance(node, ox.NamedNode):
        return rdflib.URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return rdflib.BNode(node.value)
    if node.language:
        return rdflib.Literal(node.value, lang=node.language)
    if node.datatype.value == XSD + "string":
        return rdflib.Literal(node.value)
    return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))


def _fill(template: str, bound: dict) -> str:
    """pyshacl's substitution of {?var} and {$var} in a SHACL-SPARQL message."""
    for var, val in bound.items():
        text = val.value if isinstance(val, (ox.NamedNode, ox.Literal, ox.BlankNode)) else str(val)
        template = re.sub(r"{[?$]" + re.escape(var) + "}", lambda _m, t=text: t, template)
    return template


# ------------------------------------------------------------------------------------------------
# Rewriting a SHACL-SPARQL SELECT so that one query covers every focus node


_TOKEN = re.compile(r"""
    (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<var>[?$][A-Za-z_0-9\u00b7-\uffff]+)
  | (?P<word>[A-Za-z_][A-Za-z_0-9-]*)
  | (?P<open>\{) | (?P<close>\}) | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)]


def _check_parses(query: str, where: str) -> None:
    """Refuse a constraint whose query does not parse, when the shapes are compiled (not half way
    through a validation): run it once over an empty store."""
    try:
        ox.Store().query(query)
    except SyntaxError as err:
        raise InputError(f"shapes: {where}: sh:select is not valid SPARQL: {str(err).splitlines()[0]}",
                         hint="fix the query in the shapes file") from None


def _rewrite_select(select: str, shape, info: _Info, focus: Focus, constraint) -> str:
    where = f"the SPARQL constraint {_name(constraint)} of {_name(shape)}"
    toks = [t for t in _tokens(select) if t[0] != "comment"]
    words = [v.upper() for k, v, _ in toks if k == "word"]
    if "MINUS" in words:
        raise UnsupportedShape(f"shapes: {where}: a SPARQL constraint must not use MINUS")
    for k, v, _ in toks:
        if k == "var" and v[1:] == "shapesGraph":
            raise UnsupportedShape(f"shapes: {where}: $shapesGraph is not supported by the SPARQL engine")
        if k == "var" and v[1:] == "PATH" and info.path_text is None:
            raise UnsupportedShape(f"shapes: {where}: $PATH is used, but the shape has no sh:path")
    select_at = next((i for i, (k, v, _) in enumerate(toks) if k == "word" and v.upper() == "SELECT"), None)
    if select_at is None:
        raise UnsupportedShape(f"shapes: {where}: sh:select is not a SELECT query")
    brace = next((i for i in range(select_at, len(toks)) if toks[i][0] == "open"), None)
    if brace is None:
        raise UnsupportedShape(f"shapes: {where}: sh:select has no WHERE clause")
    projection = toks[select_at + 1:brace]
    proj_words = [v.upper() for k, v, _ in projection if k == "word"]
    star = any(k == "other" and v == "*" for k, v, _ in projection)
    projects_this = any(k == "var" and v[1:] == "this" for k, v, _ in projection)
    if "GROUP" in words and not projects_this:
        raise UnsupportedShape(f"shapes: {where}: an aggregating query must project $this")
    # $this inside a sub-SELECT would not be pre-bound there
    depth = 0
    for i in range(brace, len(toks)):
        k, v, _ = toks[i]
        if k == "open":
            depth += 1
        elif k == "close":
            depth -= 1
        elif k == "word" and v.upper() == "SELECT" and depth >= 1:
            if any(kk == "var" and vv[1:] == "this" for kk, vv, _ in toks[i:]):
                raise UnsupportedShape(f"shapes: {where}: $this inside a sub-query is not supported by the SPARQL engine")
    out, pos = [], 0
    for i, (k, v, start) in enumerate(toks):
        out.append(select[pos:start])
        pos = start + len(v)
        if k == "var" and v[1:] == "this":
            v = "?this"
        elif k == "var" and v[1:] == "PATH":
            v = info.path_text
        elif k == "var" and v[1:] == "currentShape":
            if not isinstance(shape, ox.NamedNode):
                raise UnsupportedShape(f"shapes: {where}: $currentShape of a blank node shape is not supported")
            v = str(shape)
        if i == select_at:
            distinct = "DISTINCT" in proj_words or "REDUCED" in proj_words
            v = v + ("" if distinct else " DISTINCT") + ("" if star or projects_this else " ?this")
        if i == brace:
            v = "{ " + focus("?this") + " "
        out.append(v)
    out.append(select[pos:])
    return "".join(out)


# ------------------------------------------------------------------------------------------------
# Entry points


def compile_shapes(shapes: str | Path | Iterable) -> ShaclSparql:
    """The shapes (N-Triples text, a folder of Turtle files, or triples), compiled.

    Raises :class:`UnsupportedShape` for a shape the engine cannot evaluate.
    """
    if isinstance(shapes, Path):
        from .validate import load_shapes
        shapes = load_shapes(shapes)
    if isinstance(shapes, str):
        shapes = ox.parse(shapes, format=ox.RdfFormat.N_TRIPLES)
    return ShaclSparql(shapes)


_NORMALISED = re.compile(r'\^\^<http://www\.w3\.org/2001/XMLSchema#(?:' + "|".join(NORMALISED_TYPES) + r')>')


def normalised_literals(chunks: Iterable[str]) -> list[ox.Quad]:
    """The quads of N-Quads text whose literal Oxigraph stores under another datatype."""
    found = []
    for text in chunks:
        if "^^<http://www.w3.org/2001/XMLSchema#" not in text:
            continue
        for m in _NORMALISED.finditer(text):
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            line = text[start:end if end >= 0 else len(text)]
            found += [q for q in ox.parse(line + "\n", format=ox.RdfFormat.N_QUADS)
                      if isinstance(q.object, ox.Literal) and q.object.datatype.value[len(XSD):] in NORMALISED_TYPES]
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------------------------------------
# Measuring: the SPARQL engine against pyshacl, document by document and on the whole graph

BENCH_INJECTIONS = [  # (what, predicate a document graph must hold, how its first such line changes)
    ("quoted text changed", "<http://www.w3.org/ns/oa#exact>",
     lambda line: re.sub(r'"(?:[^"\\]|\\.)*"(\S*) (<[^>]+>) \.$', r'"tampered words" \2 .', line)),
    ("position not an integer", "<https://schema.org/position>",
     lambda line: re.sub(r'"\d+"\^\^<[^>]+> (<[^>]+>) \.$', r'"first" \1 .', line)),
    ("signature without agent", "<https://schema.org/agent>", lambda line: None),
    ("end beyond the text", "<http://www.w3.org/ns/oa#end>", lambda line: re.sub(r'"\d+"\^\^', '"99999999"^^', line)),
    ("text without sha256", "<https://schema.org/sha256>", lambda line: None),
    ("appearance not an edition", "<https://schema.org/appearance>",
     lambda line: re.sub(r"<([^>]+)> (<[^>]+>) \.$", r"<\1/text> \2 .", line)),
]


def _inject(documents: dict) -> tuple[dict, list]:
    """One violation in each of the first documents that can have it (deterministic)."""
    documents, done, keys = dict(documents), [], iter(sorted(documents))
    for what, predicate, change in BENCH_INJECTIONS:
        for key in keys:
            lines = documents[key].split("\n")
            k = next((i for i, line in enumerate(lines) if f" {predicate} " in line), None)
            if k is None:
                continue
            new = change(lines[k])
            if new is None:
                del lines[k]
            else:
                lines[k] = new
            documents[key] = "\n".join(lines)
            done.append((key, what))
            break
    return documents, done


def _violations(pairs) -> list:
    return sorted({(focus, path if (path or "").startswith(("http:", "https:")) else "") for focus, path in pairs})


def _bench_pyshacl_whole(nquads: Path, shapes: Path, result: Path) -> int:
    """Child process: pyshacl on the whole graph (every named graph merged), as one rdflib graph."""
    import json
    import time
    import rdflib
    from pyshacl import validate as shacl
    t = time.perf_counter()
    data = rdflib.Graph()
    data.parse(data=re.sub(r" <[^>]+> \.$", " .", nquads.read_text(encoding="utf-8"), flags=re.M), format="nt")
    shapes_graph = rdflib.Graph().parse(shapes, format="nt")
    parsed = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    _conforms, results, _ = shacl(data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    SHN = rdflib.Namespace(SH)
    found = [(str(results.value(r, SHN.focusNode)), str(results.value(r, SHN.resultPath) or ""))
             for r in results.subjects(rdflib.RDF.type, SHN.ValidationResult)
             if results.value(r, SHN.resultSeverity) == SHN.Violation]
    result.write_text(json.dumps({"parse_s": parsed, "wall_s": wall, "cpu_s": cpu, "triples": len(data),
                                  "violations": _violations(found)}))
    return 0


def bench(sizes: list[int], work: Path, *, per_document_up_to: int, whole_cap: float, seed: int = 1) -> list[dict]:
    """Validation time of the SPARQL engine, of pyshacl document by document (kg's reference
    engine, 2 processes) and of pyshacl on the whole graph, on generated corpora of each size."""
    import json
    import resource
    import subprocess
    import time
    from benchmarks.generate import write_corpus
    from .config import Settings, project_root
    from .pipeline import _edition_index, compile_graph, to_ntriples
    from .validate import load_shapes, validate_graphs

    def children_cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    rows = []
    work.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        corpus = work / f"corpus-{n}"
        write_corpus(corpus, n, seed)
        settings = Settings.for_project(project_root(Path.cwd())).with_(seeds=corpus, out=work / f"out-{n}")
        compiled = compile_graph(settings)
        documents, injected = _inject(compiled.documents)
        compiled.documents = documents
        text = "".join(compiled.chunks())
        row: dict = {"documents": n, "quads": text.count(" .\n"), "injected": injected}
        shapes_nt = load_shapes(settings.shapes)
        engine = compile_shapes(shapes_nt)

        t = time.perf_counter()
        store = ox.Store()
        store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        row["sparql_load_s"] = time.perf_counter() - t
        for jobs in (1, 2):
            t, c = time.perf_counter(), time.process_time()
            found = engine.validate(store, jobs=jobs, normalised=normalised_literals([text]))
            row[f"sparql_j{jobs}_wall_s"], row[f"sparql_j{jobs}_cpu_s"] = time.perf_counter() - t, time.process_time() - c
        sparql_found = _violations((r.focus.value, r.path.value if isinstance(r.path, ox.NamedNode) else "")
                                   for r in found if r.severity == "Violation")
        row["sparql_violations"] = len(sparql_found)
        del store

        if n <= per_document_up_to:
            m = compiled.minter
            graphs = {k: to_ntriples(nq, compiled.graph_iris[k]) for k, nq in compiled.documents.items()}
            shared = (to_ntriples(compiled.entities, m.iri("graph/entities"))
                      + to_ntriples(compiled.reference, m.iri("graph/reference")))
            graphs["reference"] = shared
            t, c, cc = time.perf_counter(), time.process_time(), children_cpu()
            report = validate_graphs(graphs, shared + _edition_index(m, sorted(compiled.documents)), shapes_nt, jobs=2)
            row["per_document_wall_s"] = time.perf_counter() - t
            row["per_document_cpu_s"] = time.process_time() - c + children_cpu() - cc
            per_doc = _violations((v.focus, v.path or "") for v in report.violations if v.severity == "Violation")
            row["per_document_same"] = per_doc == sparql_found

        nquads, shapes_file, result = work / f"graph-{n}.nq", work / "shapes.nt", work / f"whole-{n}.json"
        nquads.write_text(text, encoding="utf-8")
        shapes_file.write_text(shapes_nt, encoding="utf-8")
        result.unlink(missing_ok=True)
        t = time.perf_counter()
        try:
            subprocess.run([sys.executable, "-m", "kg.shacl_sparql", "bench-whole", str(nquads), str(shapes_file),
                            str(result)], timeout=whole_cap, check=True)
            whole = json.loads(result.read_text())
            row.update(whole_parse_s=whole["parse_s"], whole_wall_s=whole["wall_s"], whole_cpu_s=whole["cpu_s"],
                       whole_same=[tuple(v) for v in whole["violations"]] == sparql_found)
        except subprocess.TimeoutExpired:
            row.update(whole_wall_s=None, whole_timed_out_after_s=time.perf_counter() - t)
        rows.append(row)
        (work / "bench.json").write_text(json.dumps(rows, indent=2))
        print(_bench_table(rows), flush=True)
    return rows


def _bench_table(rows: list[dict]) -> str:
    def s(x):
        return "-" if x is None else f"{x:.2f}"

    def ratio(a, b):
        return "-" if a is None or b is None else f"{a / b:.0f}x"
    out = ["| N | quads | SPARQL: load (s) | SPARQL validate, 1 thread: wall / CPU (s) | 2 threads: wall (s) "
           "| pyshacl per document, 2 processes: wall / CPU (s) | pyshacl whole graph: wall / CPU (s) "
           "| CPU ratio per-document / SPARQL | CPU ratio whole-graph / SPARQL | same violations |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        whole = (f"{s(r.get('whole_wall_s'))} / {s(r.get('whole_cpu_s'))}" if r.get("whole_wall_s") is not None
                 else f"> {r.get('whole_timed_out_after_s', 0):.0f} (stopped)")
        same = []
        if "per_document_same" in r:
            same.append(f"per-document {'yes' if r['per_document_same'] else 'NO'}")
        if "whole_same" in r:
            same.append(f"whole graph {'yes' if r['whole_same'] else 'NO'}")
        out.append(f"| {r['documents']} | {r['quads']:,} | {s(r['sparql_load_s'])} | {s(r['sparql_j1_wall_s'])} / "
                   f"{s(r['sparql_j1_cpu_s'])} | {s(r['sparql_j2_wall_s'])} | "
                   f"{s(r.get('per_document_wall_s'))} / {s(r.get('per_document_cpu_s'))} | {whole} | "
                   f"{ratio(r.get('per_document_cpu_s'), r['sparql_j1_cpu_s'])} | "
                   f"{ratio(r.get('whole_cpu_s'), r['sparql_j1_cpu_s'])} | "
                   f"{', '.join(same)} ({r['sparql_violations']} found, {len(r['injected'])} injected) |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    import argparse
    p = argparse.ArgumentParser(prog="python -m kg.shacl_sparql", description="Print the queries the shapes "
                                "compile to, or measure the SPARQL engine against pyshacl.")
    sub = p.add_subparsers(dest="what", required=True)
    q = sub.add_parser("queries", help="print the generated queries")
    q.add_argument("shapes", nargs="?", default="shapes", type=Path)
    b = sub.add_parser("bench", help="validation time: SPARQL engine, pyshacl per document, pyshacl whole graph")
    b.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    b.add_argument("--work", type=Path, default=Path("/tmp/kg-shacl-bench"))
    b.add_argument("--per-document-up-to", type=int, default=1000, help="largest N for pyshacl per document")
    b.add_argument("--whole-cap", type=float, default=3600, help="seconds before pyshacl on the whole graph is stopped")
    w = sub.add_parser("bench-whole")
    w.add_argument("nquads", type=Path)
    w.add_argument("shapes", type=Path)
    w.add_argument("result", type=Path)
    args = p.parse_args(argv)
    if args.what == "queries":
        for label, text in compile_shapes(args.shapes).queries():
            print(f"# {label}\n{text}\n")
    elif args.what == "bench":
        bench(args.sizes, args.work, per_document_up_to=args.per_document_up_to, whole_cap=args.whole_cap)
    else:
        return _bench_pyshacl_whole(args.nquads, args.shapes, args.result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
