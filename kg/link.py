"""Stage 3, link: resolve names to entities, group editions into works, find what reports are about.

Consumes the :class:`Extraction` of every document and the :class:`Reference` data; creates a
:class:`Corpus`: the entity each name stands for, the work each letter is an edition of, the
revision chain of editions, and the work each report or web page is about.

Two spellings are one entity only when they share a name key (case, accents, punctuation and a
leading "The" aside), an alternate name in the gazetteer, or an acronym given in brackets:
distinct organisations with similar names stay distinct.
"""

from __future__ import annotations

import math
import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import date
from dataclasses import dataclass, field

import numpy as np

from .extract.text import name_key, slug
from .records import Extraction
from .reference import Reference

SHINGLE = 6
EDITION_CONTAINMENT = 0.5  # share of the smaller letter's word sequences found in the other
ABOUT_MIN_SHARED = 6  # shared word sequences for a report to be about a letter


@dataclass(frozen=True)
class Entity:
    iri_path: str  # relative to the base, e.g. "org/genocide-watch"
    kind: str  # organization | person | audience | group | place
    name: str
    known: bool  # described in the reference data


@dataclass
class Work:
    path: str  # "work/{slug}"
    name: str
    editions: list[str]  # document keys, earliest first


@dataclass
class Corpus:
    extractions: list[Extraction]
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    alternate_names: dict[str, set[str]] = field(default_factory=dict)  # iri_path -> spellings
    works: dict[str, Work] = field(default_factory=dict)  # doc key -> its work
    revision_of: dict[str, str] = field(default_factory=dict)
    about: dict[str, str] = field(default_factory=dict)  # doc key -> work path
    acronyms: dict[str, str] = field(default_factory=dict)  # acronym key -> name key
    quoted_from: dict[tuple[str, int], str] = field(default_factory=dict)  # (doc, start) -> origin doc
    stated_edition: dict[tuple[str, int], str] = field(default_factory=dict)  # (doc, figure start) -> edition
    shingles: dict[str, set] = field(default_factory=dict)
    _by_key: dict[str, Extraction] = field(default_factory=dict, repr=False)

    def resolve(self, kind: str, name: str) -> Entity:
        return self.entities[(kind, entity_key(name))]

    # What mapping a document's graph asks of the corpus (kg/rdf.py, through :class:`kg.rdf.Asked`).

    def entity_path(self, kind: str, name: str) -> str:
        return self.resolve(kind, name).iri_path

    def work_path(self, key: str) -> str | None:
        work = self.works.get(key)
        return work.path if work else None

    def revision(self, key: str) -> str | None:
        return self.revision_of.get(key)

    def about_of(self, key: str) -> str | None:
        return self.about.get(key)

    def quotation_origin(self, key: str, start: int) -> str | None:
        return self.quoted_from.get((key, start))

    def edition_stated(self, key: str, start: int) -> str | None:
        return self.stated_edition.get((key, start))

    def resolve_kind(self, name: str) -> str:
        """The kind a speaker or author was resolved as: person or organization."""
        return "person" if ("person", entity_key(name)) in self.entities else "organization"

    def disputed(self, key: str) -> list[str]:
        """What a rebuttal in document ``key`` disputes: the work the document is about,
        else the document's own allegations."""
        if key in self.about:
            return [self.about[key]]
        if len(self._by_key) != len(self.extractions):
            self._by_key = {x.doc.key: x for x in self.extractions}
        return [f"doc/{key}/allegation/{a.span.start}-{a.act}" for a in self._by_key[key].allegations]


def link(extractions: list[Extraction], ref: Reference, *, jobs: int = 1) -> Corpus:
    """Link the corpus's extractions.  With ``jobs`` > 1 (on Linux), the documents that hold
    each quotation's words, which need nothing else linking finds, are looked for by a forked
    copy of the process while this one links the rest (:data:`FORK_QUOTES_FROM` quotations)."""
    corpus = Corpus(sorted(extractions, key=lambda x: x.doc.key))
    holders = None
    if jobs > 1 and sum(len(x.quotations) for x in corpus.extractions) >= FORK_QUOTES_FROM:
        from .procs import CAN_FORK, Forked, available_memory, resident_memory

        # the copy makes its own copies of the pages it writes to (reference counts): fork only
        # when all of them would fit
        if CAN_FORK and resident_memory() <= available_memory():
            holders = Forked(lambda: _quote_holders(corpus.extractions), "the quotation search")
    try:
        _collect_acronyms(corpus)
        resolved: set[tuple[str, str]] = set()  # a name resolved again changes nothing: skipped
        for x in corpus.extractions:
            for mention in names_in(x):
                if mention not in resolved:
                    resolved.add(mention)
                    _resolve(corpus, ref, *mention)
        _editions(corpus)
        _reports(corpus)
    except BaseException:
        if holders is not None:
            holders.kill()
        raise
    _quotation_origins(corpus, holders.join() if holders is not None else None)
    _stated_counts(corpus)
    return corpus


FORK_QUOTES_FROM = 2000  # quotations: below this, looking for them takes less than forking


def names_in(x: Extraction):
    """Every (kind, name) an extraction mentions, in text order."""
    for s in x.signatures:
        yield s.kind, s.name
        for a in s.affiliations:
            if a.organization:
                yield "organization", a.organization
    for s in x.reported_signers:
        yield s.kind, s.name
    for a in x.addressees:
        yield "audience", a.text
    for c in x.calls:
        for r in c.recipients:
            yield "audience", r
    if x.author:
        yield "organization", x.author
    if x.publisher:
        yield "organization", x.publisher
    for q in x.quotations:
        if q.speaker:
            yield "organization" if not _personish(q.speaker) else "person", q.speaker
    for r in x.rebuttals:
        yield "organization" if not _personish(r.author) else "person", r.author
    for a in x.allegations:
        for g in a.against:
            yield "group", g
        for p in a.places:
            yield "place", p


def _personish(name: str) -> bool:
    from .extract.signatories import looks_like_person_name
    return looks_like_person_name(name)


ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acro>[A-Z][A-Za-z0-9&.-]{1,12})\)\s*$")


def _collect_acronyms(corpus: Corpus) -> None:
    """Acronyms given in brackets ("... Prevention (I-GMAP)"), each with the name it stands
    for; an acronym used for two different names is left out.  Reports' signers are read
    first, so that their names are collected and resolved with the rest."""
    clashes: set[str] = set()
    for x in corpus.extractions:
        for _, name in names_in(x):
            m = ACRONYM.match(name.split(",")[0].strip())
            if not m:
                continue
            acro, full = name_key(m.group("acro")), entity_key(m.group("name"))
            if corpus.acronyms.setdefault(acro, full) != full:
                clashes.add(acro)
    for acro in clashes:
        del corpus.acronyms[acro]


def candidate_keys(name: str, acronyms: dict[str, str]) -> list[str]:
    """The keys a name may be known by, most specific first.

    >>> candidate_keys("Institute for Genocide Prevention (IGP), Example University", {})
    ['institute for genocide prevention igp example university', 'institute for genocide prevention', 'igp']
    """
    keys = [entity_key(name)]
    head = name.split(",")[0].strip()
    m = ACRONYM.match(head)
    if m:
        keys += [entity_key(m.group("name")), name_key(m.group("acro"))]
    elif head != name and _names_parent(name[len(head):]):
        keys.append(entity_key(head))
    if keys[0] in acronyms:
        keys.append(acronyms[keys[0]])
    keys += [_spelling_key(k) for k in keys]
    return [k for k in dict.fromkeys(keys) if k]


def entity_key(name: str) -> str:
    """The name key, or for a name with no Latin letter or digit, whose name key is empty
    (国际特赦组织, Международная амнистия, or just "The"), a key made from the name itself:
    its words case-folded and written in Punycode (ASCII, so that the IRI keeps them apart),
    a long one cut and followed by a hash of the whole.

    >>> entity_key("The Jo Cox Foundation"), entity_key("国际特赦组织"), entity_key("the")
    ('jo cox foundation', 'xn vcso35d0vima728pjfm', 'xn the-')
    """
    key = name_key(name)
    if key:
        return key
    folded = unicodedata.normalize("NFKC", name).casefold()
    words = re.findall(r"\w+", folded) or [folded.strip() or "-"]
    key = "xn " + " ".join(w.encode("punycode").decode("ascii") for w in words)
    if len(key) > 60:
        key = key[:48] + " " + hashlib.sha256(key.encode("ascii")).hexdigest()[:10]
    return key


SPELLINGS = {"centre": "center", "organisation": "organization", "organisations": "organizations",
             "programme": "program", "defence": "defense", "labour": "labor", "behaviour": "behavior"}
LEGAL_FORMS = {"inc", "ltd", "llc", "ev", "e v", "gmbh", "asbl", "cic", "plc", "aisbl", "ngo"}


def _spelling_key(key: str) -> str:
    """A name key with British spellings and a trailing legal form aside:
    "Global Centre for X Ltd" and "Global Center for X" are one organisation."""
    words = [SPELLINGS.get(w, w) for w in key.split()]
    while len(words) > 2 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _names_parent(rest: str) -> bool:
    words = {w.strip(".,()").lower() for w in rest.split()}
    return bool(words & {"university", "college", "school", "academy", "faculty"})


def _resolve(corpus: Corpus, ref: Reference, kind: str, name: str) -> Entity:
    """The entity a name stands for; it is then known by every key of that name, so that a
    later spelling ("I-GMAP" after "Institute for ... (I-GMAP), Binghamton University") finds it."""
    key = entity_key(name)
    if (kind, key) in corpus.entities:
        entity = corpus.entities[(kind, key)]
    else:
        entity = _find(corpus, ref, kind, name) or _mint(kind, name, corpus.acronyms)
        corpus.entities[(kind, key)] = entity
    for other in _alias_keys(name, corpus.acronyms):
        corpus.entities.setdefault((kind, other), entity)
    if name != entity.name and not (entity.known and ref.lookup(name)):
        corpus.alternate_names.setdefault(entity.iri_path, set()).add(name)
    return entity


def _alias_keys(name: str, acronyms: dict[str, str]) -> list[str]:
    """The keys a resolved name lends its entity: all but a head cut from its parent
    ("Department of History" of "..., Yale University"), which may name another department."""
    head = name.split(",")[0].strip()
    cut = entity_key(head) if head != name and not ACRONYM.match(head) else None
    return [k for k in _usable_keys(name, acronyms) if k != cut]


def _usable_keys(name: str, acronyms: dict[str, str]) -> list[str]:
    """Candidate keys without an acronym that two names of the corpus share."""
    m = ACRONYM.match(name.split(",")[0].strip())
    clash = name_key(m.group("acro")) if m and name_key(m.group("acro")) not in acronyms else None
    return [k for k in candidate_keys(name, acronyms) if k != clash]


def _find(corpus: Corpus, ref: Reference, kind: str, name: str) -> Entity | None:
    for key in _usable_keys(name, corpus.acronyms):
        hit = ref.names.get(key)
        if hit and (hit[1] == kind or kind == "audience" and hit[1] == "organization"):
            iri, found_kind = hit
            return Entity(ref.path(iri), found_kind, name, True)
        if (kind, key) in corpus.entities:
            return corpus.entities[(kind, key)]
    return None


PATHS = {"organization": "org", "person": "person", "audience": "audience", "group": "group", "place": "place"}


def _mint(kind: str, name: str, acronyms: dict[str, str] | None = None) -> Entity:
    """A new entity, its IRI from the name's key; a name given with or as an acronym takes
    the key of the full name, so that "X (ABC)" and "ABC" get one IRI in any order."""
    keys = candidate_keys(name, acronyms or {})
    head = name.split(",")[0].strip()
    acronym = ACRONYM.match(head) or (keys[0] in (acronyms or {}))
    key = keys[1] if acronym and len(keys) > 1 else keys[0]
    return Entity(f"{PATHS[kind]}/{slug(key)}", kind, name, False)


def _shingles(x: Extraction, ids: dict[tuple[str, ...], int]) -> set[int]:
    """The runs of SHINGLE words of a text's body, each as its number in ``ids`` (numbered in
    the order first seen): sets of small integers hash, count and compare several times faster
    than sets of word tuples, and take less memory."""
    body = x.body
    text = x.doc.text[body.start:body.end] if body else x.doc.text
    words = name_key(text).split()
    return {ids.setdefault(run, len(ids)) for run in zip(*(words[i:] for i in range(SHINGLE)))}


def _editions(corpus: Corpus) -> None:
    letters = [x for x in corpus.extractions if x.doc_type == "letter"]
    ids: dict[tuple[str, ...], int] = {}
    shingles = {x.doc.key: _shingles(x, ids) for x in corpus.extractions}
    del ids
    parent = {x.doc.key: x.doc.key for x in letters}

    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for a, b in _contained_pairs([x.doc.key for x in letters], shingles):
        parent[find(b)] = find(a)
    groups: dict[str, list[Extraction]] = {}
    for x in letters:
        groups.setdefault(find(x.doc.key), []).append(x)
    for members in groups.values():
        members.sort(key=lambda x: (x.date or "9999", x.doc.key))
        first = members[0]
        name = first.title.text if first.title else (first.doc.metadata.title or first.doc.key)
        work = Work(f"work/{slug(name)}", name, [m.doc.key for m in members])
        for earlier, later in zip(members, members[1:]):
            corpus.revision_of[later.doc.key] = earlier.doc.key
        for m in members:
            corpus.works[m.doc.key] = work
    corpus.shingles = shingles


def _contained_pairs(keys: list[str], shingles: dict[str, set]):
    """The pairs (a, b), a before b in ``keys``, of which the smaller holds at least
    EDITION_CONTAINMENT of its word sequences in the other: the pairs a test of every pair
    finds, without testing every pair.  What a letter shares with another is what they share
    of the rare sequences (counted through an index, :class:`_Overlaps`) and of the template
    phrases (one AND of two integers).  When the letter's template phrases are too few to make
    the share alone, only the letters that share enough of its rare sequences to make up the
    rest can reach it (at 84,870 letters, this bound took the search from 119 s to 47 s);
    otherwise its template phrases are compared with those of every larger letter, one AND
    each."""
    order = {k: i for i, k in enumerate(keys)}
    overlaps = _Overlaps(keys, shingles)
    ranked = sorted(keys, key=lambda k: (len(shingles[k]), order[k]))  # the smaller of a pair first
    by_rank = np.array([overlaps.position[k] for k in ranked], dtype=np.int64)
    rank_of = np.empty(len(keys), dtype=np.int64)
    rank_of[by_rank] = np.arange(len(keys))
    matrix = overlaps.matrix[by_rank]
    templates = overlaps.templates[by_rank]
    pairs = []
    for i, k in enumerate(ranked):
        n = len(shingles[k])
        if not n:
            continue
        need = _need(n)
        # what each larger letter shares of its rare sequences (by rank, counted in one pass)
        shared = np.bincount(rank_of[overlaps.holders(overlaps.rare[by_rank[i]])], minlength=len(keys))[i + 1:]
        if templates[i] >= need:  # the template phrases alone may make it: every larger letter
            total = shared + np.bitwise_count(matrix[i + 1:] & matrix[i]).sum(axis=1, dtype=np.int64)
            found = np.flatnonzero(total >= need) + i + 1
        else:  # a letter shares at most all its template phrases: it needs the rest in rare ones
            others = np.flatnonzero(shared >= need - templates[i])
            total = shared[others] + np.bitwise_count(matrix[others + i + 1] & matrix[i]).sum(axis=1, dtype=np.int64)
            found = others[total >= need] + i + 1
        pairs += [(k, o) if order[k] < order[o] else (o, k) for o in (ranked[j] for j in found.tolist())]
    return sorted(pairs, key=lambda ab: (order[ab[0]], order[ab[1]]))


COMMON = 64  # letters: a word sequence found in more letters than this is a template phrase ...
COMMON_SHARE = 40  # ... or in more than one letter in this many, whichever is more
# Which sequences are template phrases changes only the cost, never the counts: few and common,
# they make one short bit row per letter; many, they make most letters compared with every
# larger one.  A share of the letters keeps them few as the corpus grows (at 23,500 letters:
# 2,000 template phrases, edition pairs in 10 s; with 64, 7,000 and 74 s).


class _Overlaps:
    """How many word sequences (numbered: :func:`_shingles`) a text shares with each letter,
    without intersecting two sets per pair.  The sequences found in at most COMMON letters are
    counted through an index from each sequence to the letters that hold it (``holders``); the
    template phrases, found in more, a few thousand at most, are the bits of one row of 64-bit
    words per letter (``matrix``), so that what a text shares of them with every letter is one
    AND and a bit count over the matrix."""

    def __init__(self, letters: list[str], shingles: dict[str, set]) -> None:
        self.letters = letters
        self.position = {k: i for i, k in enumerate(letters)}
        sizes = np.array([len(shingles[k]) for k in letters], dtype=np.int64)
        flat = np.fromiter((t for k in letters for t in shingles[k]), dtype=np.int64, count=int(sizes.sum()))
        owner = np.repeat(np.arange(len(letters), dtype=np.int64), sizes)
        frequency = np.bincount(flat) if len(flat) else np.zeros(0, dtype=np.int64)
        common = frequency > max(COMMON, len(letters) // COMMON_SHARE)
        self.bit = np.full(len(frequency), -1, dtype=np.int64)  # sequence -> its bit, -1 if rare
        self.bit[common] = np.arange(int(common.sum()))
        self.words = max(1, (int(common.sum()) + 63) // 64)
        template = common[flat]
        bits = np.zeros((len(letters), self.words * 64), dtype=bool)
        bits[owner[template], self.bit[flat[template]]] = True
        self.matrix = np.packbits(bits, axis=1, bitorder="little").view("<u8").reshape(len(letters), self.words)
        self.templates = bits.sum(axis=1)
        # the rare sequences: each letter's, and for each sequence its letters (sorted by sequence)
        rare_flat, rare_owner = flat[~template], owner[~template]
        cuts = np.cumsum(np.bincount(rare_owner, minlength=len(letters)))
        self.rare = np.split(rare_flat, cuts[:-1]) if len(letters) else []
        order = np.argsort(rare_flat, kind="stable")
        self.holder = rare_owner[order]
        self.start = np.searchsorted(rare_flat[order], np.arange(len(frequency) + 1))
        # and for each template phrase (by its bit) its letters
        template_bits = self.bit[flat[template]]
        order = np.argsort(template_bits, kind="stable")
        self.template_holder = owner[template][order]
        self.template_start = np.searchsorted(template_bits[order], np.arange(int(common.sum()) + 1))

    def holders(self, sequences: np.ndarray) -> np.ndarray:
        """The letters (positions in ``letters``) holding each rare sequence, concatenated."""
        sequences = sequences[sequences < len(self.bit)]
        return _gather(self.holder, self.start, sequences)

    def shared(self, sequences) -> np.ndarray:
        """The number of word sequences each letter (in the order of ``letters``) shares with
        ``sequences``.  Its template phrases are counted through the index when their letters
        are fewer than the words of the matrix (a news report holds a few: at 84,870 letters, the
        15,130 reports' search took 19 s rather than 97 s), else by one AND over the matrix."""
        ids = np.fromiter(sequences, dtype=np.int64, count=len(sequences))
        known = ids[ids < len(self.bit)]
        bits = self.bit[known]
        rare, common = known[bits < 0], bits[bits >= 0]
        totals = np.bincount(self.holders(rare), minlength=len(self.letters))
        if not len(common) or not len(self.letters):
            return totals
        if int((self.template_start[common + 1] - self.template_start[common]).sum()) < self.matrix.size:
            return totals + np.bincount(_gather(self.template_holder, self.template_start, common),
                                        minlength=len(self.letters))
        row = np.zeros(self.words * 64, dtype=bool)
        row[common] = True
        row = np.packbits(row, bitorder="little").view("<u8")
        return totals + np.bitwise_count(self.matrix & row).sum(axis=1, dtype=np.int64)


def _gather(values: np.ndarray, start: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``values[start[k]:start[k + 1]]`` for each of ``keys``, concatenated."""
    starts, ends = start[keys], start[keys + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=values.dtype)
    steps = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    return values[steps]


def _need(n: int) -> int:
    """The fewest shared word sequences that make the containment of a letter of ``n``."""
    need = max(0, math.ceil(EDITION_CONTAINMENT * n) - 1)
    while need / n < EDITION_CONTAINMENT:
        need += 1
    return need


def _reports(corpus: Corpus) -> None:
    by_key = {x.doc.key: x for x in corpus.extractions}
    works = {w.path: w for w in corpus.works.values()}
    overlaps = _Overlaps([k for work in works.values() for k in work.editions if k in by_key], corpus.shingles)
    signers = _signers_by_work(works, by_key)
    for x in corpus.extractions:
        if x.doc.key in corpus.works:
            continue
        meta_about = x.doc.metadata.about
        if meta_about and meta_about in corpus.works:
            corpus.about[x.doc.key] = corpus.works[meta_about].path
            continue
        totals = overlaps.shared(corpus.shingles[x.doc.key])
        best_shared = int(totals.max()) if len(totals) else 0
        best = None
        if best_shared:  # the work of an edition that shares the most, the first by path on a tie
            best = min(corpus.works[overlaps.letters[i]].path for i in np.flatnonzero(totals == best_shared).tolist())
        if best and best_shared >= ABOUT_MIN_SHARED:
            corpus.about[x.doc.key] = best
        elif x.reported_signers:
            def shared_with(path: str, totals=totals) -> int:
                return max(int(totals[overlaps.position[k]]) for k in works[path].editions)
            named = _named_letter(x, signers, shared_with)
            if named:
                corpus.about[x.doc.key] = named
    _about_by_names(corpus, works, by_key)


ABOUT_DAYS = 14  # a report of a letter follows it within two weeks
ABOUT_MIN_NAMES = 3  # rare proper names a report shares with the letter it describes in its own words
LETTER_WORDS = re.compile(r"\b(?:open|joint)\s+(?:letter|statement)\b|\b(?:letter|petition|statement)\b", re.I)
PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zà-ÿ]{2,}(?:-[A-Z]?[a-zà-ÿ]+)*\b|\b[A-Z]{3,8}\b", re.M)


def _about_by_names(corpus: Corpus, works: dict, by_key: dict) -> None:
    """A report that tells of a letter in its own words, naming none of its signers: about the
    one letter dated in the two weeks before it that shares the most rare proper names with it
    (places, peoples, bodies), three at least and more than any other letter."""
    reports = [x for x in corpus.extractions if x.doc.key not in corpus.works and x.doc.key not in corpus.about
               and x.date and x.doc_type in ("news", "webpage") and LETTER_WORDS.search(x.doc.text)]
    if not reports:
        return
    dated = sorted((_ordinal(by_key[w.editions[0]].date), path) for path, w in works.items()
                   if w.editions[0] in by_key and _ordinal(by_key[w.editions[0]].date) is not None)
    days = [d for d, _ in dated]
    names = {x.doc.key: _proper_names(x.doc.text) for x in corpus.extractions}
    spread = Counter(n for found in names.values() for n in found)
    rare = max(5, len(corpus.extractions) // 20)  # names a letter and its reports share, not a region's every name
    for x in reports:
        day = _ordinal(x.date)
        if day is None:
            continue
        scores = []
        for _, path in dated[bisect_left(days, day - ABOUT_DAYS):bisect_right(days, day)]:
            work = works[path]
            letter_names = set().union(*(names.get(k, set()) for k in work.editions))
            shared = sum(1 for n in names[x.doc.key] & letter_names if spread[n] <= rare)
            scores.append((shared, path))
        scores.sort(reverse=True)
        if scores and scores[0][0] >= ABOUT_MIN_NAMES and (len(scores) == 1 or scores[0][0] > scores[1][0]):
            corpus.about[x.doc.key] = scores[0][1]


def _proper_names(text: str) -> set[str]:
    """The capitalised words of a text that do not open a sentence, as name keys."""
    return {name_key(m.group()) for m in PROPER.finditer(text)} - {""}


def _ordinal(iso: str | None) -> int | None:
    """A date as a day number (None for none, or one that cannot be read)."""
    try:
        return date.fromisoformat(iso).toordinal() if iso else None
    except ValueError:
        return None


def _signers_by_work(works: dict, by_key: dict) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The name keys of the signers of each work's editions, and the works each name signed."""
    signed = {path: {entity_key(s.name) for k in work.editions for s in by_key[k].signatures}
              for path, work in works.items()}
    works_of: dict[str, set[str]] = {}
    for path, names in signed.items():
        for name in names:
            works_of.setdefault(name, set()).add(path)
    return signed, works_of


def _named_letter(x: Extraction, signers: tuple, shared_with) -> str | None:
    """The one work whose editions are signed by two of the signers a report names (or by
    one, when the report also shares words with it): the report is about that letter."""
    signed, works_of = signers
    named = {entity_key(s.name) for s in x.reported_signers}
    scores = []
    for path in sorted({p for name in named for p in works_of.get(name, ())}):
        shared = shared_with(path)
        overlap = len(named & signed[path])
        if overlap >= 2 or overlap == 1 and shared >= 1:
            scores.append((overlap, shared, path))
    scores.sort(reverse=True)
    if scores and (len(scores) == 1 or scores[0][:2] != scores[1][:2]):
        return scores[0][2]
    return None


def _flat_quote(text: str) -> str:
    """Quoted words compared across documents: quotes, dashes, spaces and case aside.

    >>> _flat_quote("“Arbitrary detention . . . within camps”") == _flat_quote("arbitrary detention… within camps")
    True
    """
    text = text.replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"(\s*\.\s*){3}|…", " ", text)
    return " ".join(w.strip("'") for w in re.findall(r"[\w']+", text.lower()) if w.strip("'"))


def _quoted_words(x: Extraction, quote) -> str:
    """The words of a quotation, less the page furniture it runs across."""
    text, words, pos = x.doc.text, [], quote.span.start
    for gap in sorted(quote.gaps):
        words.append(text[pos:gap.start])
        pos = max(pos, gap.end)
    return _flat_quote(" ".join(words + [text[pos:quote.span.end]]))


def _quotation_origins(corpus: Corpus, holders: dict[str, list[str]] | None = None) -> None:
    """A quotation was quoted from another document whose text holds the same words, outside
    quotation marks (a document quoting the words too is not their origin), and which is not
    another edition of the same letter; of several, the earliest letter.  ``holders``: what
    :func:`_quote_holders` gives for the corpus's extractions, when it was worked out already."""
    if holders is None:
        holders = _quote_holders(corpus.extractions)
    by_key = {x.doc.key: x for x in corpus.extractions}
    for x, quote, words in _quoted(corpus.extractions):
        own = x.doc.key
        work = corpus.works.get(own)
        origins = [k for k in holders[words] if k != own and (work is None or corpus.works.get(k) is not work)]
        if origins:
            corpus.quoted_from[(own, quote.span.start)] = _earliest_letter(by_key, origins)


def _quoted(extractions: list[Extraction]):
    """Each quotation of five words or more, with its document and its words."""
    for x in extractions:
        for quote in x.quotations:
            words = _quoted_words(x, quote)
            if len(words.split()) >= 5:
                yield x, quote, words


def _quote_holders(extractions: list[Extraction]) -> dict[str, list[str]]:
    """For the words of each quotation (:func:`_quoted`), the documents whose text holds them
    outside quotation marks, in the order of their keys; the same words quoted by many reports
    are looked for once."""
    flat = {x.doc.key: f" {_flat_quote(x.doc.text[x.body.start:x.body.end] if x.body else x.doc.text)} "
            for x in extractions}
    quoted = {x.doc.key: [f" {_quoted_words(x, q)} " for q in x.quotations] for x in extractions}
    wanted = list(dict.fromkeys(words for _, _, words in _quoted(extractions)))
    return {words: [k for k in candidates if f" {words} " in flat[k] and not _quoting_same(quoted[k], words)]
            for words, candidates in zip(wanted, _holding(flat, wanted))}


QUOTE_INDEX_WORDS = 5  # the quoted words are looked for only in texts that hold all their runs of five


def _runs(words: list[str]):
    return zip(*(words[i:] for i in range(QUOTE_INDEX_WORDS)))


def _holding(flat: dict[str, str], quotes: list[str]) -> list[list[str]]:
    """For each quote (five words or more), the documents whose flattened text holds its run of
    five words that the fewest documents hold: the only documents that can hold the quote."""
    runs = {r for words in quotes for r in _runs(words.split())}
    firsts = {r[0] for r in runs}  # a run is looked for only where one of them starts
    found: dict[tuple, list[str]] = {}
    for key, text in sorted(flat.items()):
        words = text.split()
        starts = [i for i, w in enumerate(words) if w in firsts]
        for r in {tuple(words[i:i + QUOTE_INDEX_WORDS]) for i in starts} & runs:
            found.setdefault(r, []).append(key)
    return [min((found.get(r, []) for r in _runs(words.split())), key=len) for words in quotes]


def _quoting_same(quotes: list[str], words: str) -> bool:
    """A document that itself quotes the words (in quotation marks) is not their origin."""
    return any(f" {words} " in q for q in quotes)


def _earliest_letter(by_key: dict[str, Extraction], keys: list[str]) -> str:
    return sorted(keys, key=lambda k: (by_key[k].doc_type != "letter", by_key[k].date or "9999", k))[0]


COUNTED_SIGNERS = {"organizations": "organization", "persons": "person"}
STATED_COUNTS = (*COUNTED_SIGNERS, "countries")  # what a report may state about a letter's signers


def _stated_counts(corpus: Corpus) -> None:
    """A count of signers (organisations, persons, their countries) stated in a report describes
    the edition of the work it is about whose signatures it matches best (on a tie, the earliest)."""
    by_key = {x.doc.key: x for x in corpus.extractions}
    works = {w.path: w for w in corpus.works.values()}
    for x in corpus.extractions:
        work = works.get(corpus.about.get(x.doc.key, ""))
        stated = [f for f in x.figures if f.counts in STATED_COUNTS and f.value is not None]
        if not work or not stated:
            continue

        def distance(key: str) -> float:
            sigs = by_key[key].signatures
            return sum(abs(sum(1 for s in sigs if s.kind == COUNTED_SIGNERS[f.counts]) - f.value)
                       for f in stated if f.counts in COUNTED_SIGNERS)
        edition = min(work.editions, key=lambda k: (distance(k), work.editions.index(k)))
        for f in stated:
            corpus.stated_edition[(x.doc.key, f.span.start)] = edition
