"""Alleged acts, the groups and places they concern, and legal characterisations.

Consumes sentences of a document's body; creates :class:`kg.records.Allegation` and
:class:`kg.records.LegalCharacterization` records.  The words are the curated reference data's
own: the labels of the alleged-act concepts (``concepts.ttl``), the alternate names of the
provisions and instruments (``instruments.ttl``) and the names of groups and places
(``gazetteer.ttl``), read once into a :class:`Lexicon`.  Names the gazetteer does not know are
found by their shape ("against the X", "X civilians", "in X State").

>>> lex = lexicon()
>>> text = "Soldiers subjected Rohingya villagers to torture and enforced disappearances in Rakhine State."
>>> [(a.act, a.against, a.places) for a in allegations(text, [Span(0, len(text))], lex)]
[('torture', ('Rohingya',), ('Rakhine State',)), ('enforced-disappearance', ('Rohingya',), ('Rakhine State',))]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..records import Allegation, LegalCharacterization, Span
from .signatories import ORG_WORDS
from .text import name_key, squash

SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
ELI = "http://data.europa.eu/eli/ontology#"
BASE = "https://w3id.org/atrocity-kg/id/"
LABELS = {SKOS + "prefLabel", SKOS + "altLabel", SCHEMA + "name", SCHEMA + "alternateName"}
KINDS = {"group": "group", "place": "place", "org": "organization", "person": "person"}
FACILITIES = {"camps", "camp", "centres", "centers", "centre", "center", "facilities", "prisons"}
GROUP_NOUNS = (r"people|peoples|Muslims|Christians|Buddhists|civilians|communit(?:y|ies)|minorit(?:y|ies)|"
               r"population|villagers|refugees|women|children|men|families|tribes?|clans?|herders|farmers")
NOT_NAMES = {"humanity", "the", "these", "this", "those", "their", "our", "we", "they", "it", "un", "u.n",
             "state", "states", "nations", "convention", "statute", "january", "february", "march", "april",
             "may", "june", "july", "august", "september", "october", "november", "december", "monday",
             "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "article", "international",
             "government", "authorities", "forces", "army", "police", "security", "special", "human", "rights",
             "i", "in", "on", "at", "all", "any", "his", "her", "its", "who", "what", "when", "covid"}
PLACE_SUFFIX = re.compile(r"\b(Region|State|Province|District|Prefecture|Territory|Territories|Governorate|County|"
                          r"Zone|Camp|Islands?|Oblast|Valley|Strip|Bank)$")


# ------------------------------------------------------------------------------------------------
# Phrases: many labels matched in one pass
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Phrases:
    """Labels as patterns, indexed by the first letters of their first word: a text is scanned
    word by word and only the labels that can start at a word are tried there, longest first."""

    index: dict[str, tuple[tuple[int, re.Pattern, str], ...]]  # prefix -> (label length, pattern, value)
    tried: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # word -> its labels, in order

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """Non-overlapping matches ``(start, end, value)``, leftmost first, longest label first."""
        end = len(text) if end is None else end
        out, after = [], start
        tried = self.tried  # looked up here first: most words are known, and most start no label
        for word in _WORDS_RE.finditer(text, start, end):
            at = word.start()
            if at < after:
                continue
            low = word.group().lower()
            labels = tried.get(low)
            for _, pattern, value in self._labels_for(low) if labels is None else labels:
                m = pattern.match(text, at, end)
                if m:
                    out.append((m.start(), m.end(), value))
                    after = m.end()
                    break
        return out

    def _labels_for(self, low: str) -> tuple:
        """The labels that can start at a word, longest first; worked out once per word (a
        corpus repeats its words: this was a fifth of extraction's time)."""
        found = self.tried.get(low)
        if found is None:
            candidates = {c for n in range(1, min(PREFIX, len(low)) + 1) for c in self.index.get(low[:n], ())}
            found = tuple(sorted(candidates, key=lambda c: (-c[0], c[2], c[1].pattern)))
            if len(self.tried) >= 200_000:  # bounded: a long text of distinct words cannot grow it without end
                self.tried.clear()
            self.tried[low] = found
        return found


PREFIX = 4
_WORDS_RE = re.compile(r"\w+")


def phrases(entries: list[tuple[str, str]], *, flexible: bool) -> Phrases:
    index: dict[str, list[tuple[int, re.Pattern, str]]] = {}
    for label, value in sorted(set(entries)):
        first = re.match(r"\w+", label)
        if first:
            pattern = re.compile(rf"(?<![\w])(?:{_label_regex(label, flexible)})(?![\w])", re.I)
            index.setdefault(first.group().lower()[:PREFIX], []).append((len(label), pattern, value))
    return Phrases({k: tuple(v) for k, v in index.items()})


def _label_regex(label: str, flexible: bool) -> str:
    """A label as a pattern: any run of white space between words, curly or straight apostrophes;
    for act labels also inflections (-ing/-ed, plural), British/American spellings and up to five
    words between "of" and what follows ("destruction of Uyghur mosques")."""
    words = label.split()
    out = []
    for i, word in enumerate(words):
        w = re.escape(word).replace("'", "['’]").replace("’", "['’]")
        if flexible:
            w = _inflected(w, last=i == len(words) - 1)
        out.append(w)
        if i < len(words) - 1:
            gap = r"\s+(?:[\w’'-]+\s+){0,5}?" if flexible and word.lower() == "of" else r"\s+"
            out.append(gap)
    return "".join(out)


def _inflected(w: str, last: bool) -> str:
    w = re.sub(r"our$", "ou?r", w)
    w = re.sub(r"i[sz]ation", "i[sz]ation", w)
    if len(w) >= 6 and w.endswith("ing"):
        w = f"{w[:-3]}(?:ing|ed)"
    if last and not w.endswith("s"):
        w += "(?:e?s)?"
    return w


# ------------------------------------------------------------------------------------------------
# The lexicon, read once from the reference data
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lexicon:
    acts: Phrases
    names: Phrases  # gazetteer names -> "{kind} {path}", kind: group | place | organization | person
    provisions: Phrases  # provision alternate names -> path under eli/treaty/
    instruments: Phrases  # instrument names -> path under eli/treaty/
    counted: dict[str, str] = field(default_factory=dict)  # name key of a label -> counted concept slug
    heads: dict[str, tuple[str, ...]] = field(default_factory=dict)  # last word of a label -> slugs
    about: dict[str, tuple[str, ...]] = field(default_factory=dict)  # act slug -> provision paths
    provision_paths: frozenset = frozenset()


def reference_folder() -> Path:
    """The project's ``ontology/reference`` folder (the installed one when run elsewhere)."""
    from ..config import project_root
    from ..errors import KgError
    try:
        return project_root() / "ontology" / "reference"
    except KgError:
        return Path(__file__).resolve().parents[2] / "ontology" / "reference"


def lexicon(folder: Path | None = None) -> Lexicon:
    """The lexicon of the reference data in ``folder`` (read once per folder, then cached)."""
    return _lexicon(str((folder or reference_folder()).resolve()))


@lru_cache(maxsize=4)
def _lexicon(folder: str) -> Lexicon:
    labels: dict[str, list[tuple[str, str]]] = {}
    about: dict[str, list[str]] = {}
    for s, p, o in _triples(Path(folder)):
        if not s.startswith(BASE):
            continue
        path = s[len(BASE):]
        if p in LABELS:
            labels.setdefault(path, []).append((p, o))
        elif p == ELI + "is_about" and o.startswith(BASE + "concept/act/"):
            about.setdefault(o.rsplit("/", 1)[1], []).append(path.removeprefix("eli/treaty/"))
    return _index(labels, about)


def _triples(folder: Path):
    if not folder.is_dir():
        return []
    import pyoxigraph as ox
    out = []
    for path in sorted(folder.glob("*.ttl")):
        try:
            triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
            out += [(t.subject.value, t.predicate.value, t.object.value) for t in triples]
        except (SyntaxError, OSError):
            continue  # a broken file is reported by the reference loader, not here
    return out


def _index(labels: dict[str, list[tuple[str, str]]], about: dict[str, list[str]]) -> Lexicon:
    acts, names, provisions, instruments, counted, heads = [], [], [], [], {}, {}
    for path, found in sorted(labels.items()):
        kind = path.partition("/")[0]
        for predicate, label in found:
            if path.startswith("concept/act/"):
                acts.append((label.lower(), path.rsplit("/", 1)[1]))
            elif path.startswith("concept/counted/"):
                slug = path.rsplit("/", 1)[1]
                counted.setdefault(name_key(label), slug)
                heads.setdefault(name_key(label).split()[-1], set()).add(slug)
            elif kind in KINDS and predicate.startswith(SCHEMA):
                names.append((label, f"{KINDS[kind]} {path}"))
            elif path.startswith("eli/treaty/") and predicate == SCHEMA + "alternateName":
                treaty = path.removeprefix("eli/treaty/")
                (instruments if "/" not in treaty else provisions).append((label, treaty))
    paths = frozenset(p.removeprefix("eli/treaty/") for p in labels if p.startswith("eli/treaty/"))
    return Lexicon(phrases(acts, flexible=True), phrases(names, flexible=False),
                   phrases(provisions, flexible=True), phrases(instruments, flexible=False),
                   counted, {k: tuple(sorted(v)) for k, v in heads.items()},
                   {k: tuple(sorted(set(v))) for k, v in about.items()}, paths)


# ------------------------------------------------------------------------------------------------
# Groups and places
# ------------------------------------------------------------------------------------------------

_WORD = r"[A-Z][\w’'.-]*[\w]"
_GROUP_BEFORE_NOUN = re.compile(rf"\b(?P<name>{_WORD}(?:\s+{_WORD})?)\s+(?:{GROUP_NOUNS})\b")
_GROUP_AFTER_VERB = re.compile(
    rf"\b(?i:against|targeting|targeted|persecution\s+of|members\s+of|massacres?\s+of|genocide\s+of|"
    rf"killings?\s+of|expulsion\s+of)\s+(?i:the\s+)?(?:ethnic\s+)?(?P<name>{_WORD}(?:\s+{_WORD})?)")
_GROUP_COUNTED = re.compile(rf"(?<![\w.,])\d[\d,.]*(?:\s+(?:hundred|thousand|million))?\s+(?P<name>{_WORD})\b(?!\s+[A-Z])")
_THE_GROUP = re.compile(rf"\b(?i:of|on|against|targeting|among|towards?)\s+(?i:the)\s+(?P<name>{_WORD})\b"
                        r"(?!\s+(?:[A-Z]|government|authorities|forces|military|army|police|state|regime|people's))")
_PLACE_AFTER = re.compile(rf"\b(?:in|across|throughout|within|near|into)\s+(?:the\s+)?"
                          r"(?:(?:(?:north|south|east|west)(?:ern)?|central|remote|occupied|rural)\s+)?"
                          rf"(?P<name>{_WORD}(?:\s+(?:{_WORD}|(?:al|el|de|du|of)\b))*(?<!\sof))")
_APPOSITION = re.compile(rf",\s*(?P<name>{_WORD}(?:\s+{_WORD}){{0,2}})(?=\s*(?:[.,;:)]|$))")


def groups_and_places(text: str, span: Span, lex: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The groups and places a span of text names, as written, in text order (one spelling for
    each gazetteer entry)."""
    found: list[tuple[int, int, str]] = []  # start, end, kind
    taken: list[tuple[int, int]] = []
    entries: set[str] = set()
    for s, e, value in lex.names.find(text, span.start, span.end):
        kind, path = value.split(" ", 1)
        taken.append((s, e))
        if kind not in ("group", "place") or not text[s].isupper() or path in entries:
            continue
        if kind == "group" and _inside_name(text, e) or kind == "place" and _attributive(text, e):
            continue
        entries.add(path)
        found.append((s, e, kind))
    for s, e, kind in _general_names(text, span, lex):
        if not any(s < te and ts < e for ts, te in taken):
            taken.append((s, e))
            found.append((s, e, kind))
    found.sort()
    groups = tuple(dict.fromkeys(squash(text[s:e]) for s, e, k in found if k == "group"))
    places = tuple(dict.fromkeys(squash(text[s:e]) for s, e, k in found if k == "place"))
    return groups, places


_AGENT_AFTER = re.compile(r"-\w|\s+(?:officials?|government|authorities|forces|army|troops|police|embassy|security|"
                          r"military|armed|militias?|soldiers|regime|junta|"
                          r"diplomats?|ministry|minister|president|envoy|delegation|lawmakers|senators?)\b", re.I)
_NEXT_CAPITALISED = re.compile(r"[ \t]+([A-Z][\w’'-]*)")
_GROUP_NOUN = re.compile(GROUP_NOUNS)


def _attributive(text: str, end: int) -> bool:
    """A place name used to qualify an agent says who, not where: "U.S. officials", "UK-based"."""
    return bool(_AGENT_AFTER.match(text[end:end + 20]))


def _inside_name(text: str, end: int) -> bool:
    """A known group name followed by another capitalised word is part of a longer proper name
    ("Uyghur Human Rights Project"), unless the text is in capitals or the word is a group noun."""
    m = _NEXT_CAPITALISED.match(text[end:end + 40])
    if not m or text[max(0, end - 20):end].isupper():
        return False
    return not _GROUP_NOUN.fullmatch(m.group(1))


def _general_names(text: str, span: Span, lex: Lexicon):
    for regex, kind in ((_GROUP_BEFORE_NOUN, "group"), (_GROUP_AFTER_VERB, "group"), (_THE_GROUP, "group"),
                        (_GROUP_COUNTED, "group"),
                        (_PLACE_AFTER, "place")):
        for m in regex.finditer(text, span.start, span.end):
            s, e = m.span("name")
            if _plausible_name(text[s:e], kind) and (kind == "place" or not PLACE_SUFFIX.search(text[s:e])):
                yield s, e, kind
                if kind == "place":
                    for extra in _APPOSITION.finditer(text, e, min(span.end, e + 60)):
                        if extra.start() == e and _plausible_name(extra.group("name"), "place"):
                            yield extra.start("name"), extra.end("name"), "place"


def _plausible_name(name: str, kind: str) -> bool:
    words = [w.strip("’'.").lower() for w in name.split()]
    if kind == "place" and PLACE_SUFFIX.search(name):
        words = words[:-1]  # "Rakhine State", "West Bank"
    if not words or words[0] in NOT_NAMES or words[-1] in NOT_NAMES:
        return False
    return not any(w in ORG_WORDS or w in NOT_NAMES for w in words if w not in ("of", "al", "el", "de", "du"))


# ------------------------------------------------------------------------------------------------
# Allegations
# ------------------------------------------------------------------------------------------------

ACCUSING = re.compile(
    r"\b(includ\w*|subject\w*|perpetrat\w*|commit\w*|document\w*|report\w*|alleg\w*|accus\w*|carried\s+out|"
    r"taking\s+place|target\w*|suffer\w*|victims?|evidence|believe\w*|held|detained|forced|use\s+of|campaigns?|"
    r"polic(?:y|ies)|practices?|atrocities|abuses?|violations?|concerns?|referred|responsible|systematic|"
    r"widespread|mass|continu\w*|ongoing|face[sd]?|endur\w*|witness\w*|testimon\w*|according\s+to|"
    r"(?:were|was|been|being|are|is)\s+(?:\w+ly\s+)?(?:killed|tortured|detained|imprisoned|raped|murdered|"
    r"persecuted|enslaved|deported|disappeared|abducted|sterili[sz]ed|executed|expelled))\b", re.I)
DEFINING = re.compile(r"\b(prohibit\w*|defin(?:e|es|ed|ing|ition)|means(?!\s+of)|outlaw\w*|criminali[sz]\w*|"
                      r"ban(?:s|ned)?|punishable)\b", re.I)
NEGATED = re.compile(r"\b(no|not|never|without|nor|den(?:y|ies|ied)|reject\w*|dismiss\w*|refut\w*|"
                     r"no\s+evidence\s+of|free\s+from|absence\s+of)\s+(?:\w+\s+){0,2}$", re.I)
MENTION_ONLY = re.compile(
    r"\b(history|study|studies|definition|prohibition|prevention|law|laws|concept|notion|convention|"
    r"treaty|course|lecture|book|books|seminar|workshop|training)\s+(?:of|on|about|against)\s+(?:the\s+)?$|"
    r"\b(?:to\s+)?(?:prevent|preventing|combat|combating|combatting|end|ending|eradicate|prohibit|"
    r"criminali[sz]e|outlaw|define|defining|punish|abolish|study|teach)\s+(?:the\s+)?$", re.I)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    act: str


_HYPHENATED = re.compile(r"\w-\s*$")
_WHERE_BEFORE = re.compile(r"\b(in|into|at|from|to)\s+(the\s+)?$")


def act_mentions(text: str, span: Span, lex: Lexicon) -> list[Mention]:
    """The alleged-act labels in a span, less those that are part of a name, a compound or a place."""
    out = []
    for s, e, act in lex.acts.find(text, span.start, span.end):
        words = text[s:e].split()
        if _HYPHENATED.search(text[max(0, s - 4):s]) or text[e:e + 1] == "-":
            continue  # "long-persecuted", "torture-free"
        if s > span.start and all(w[:1].isupper() for w in words if len(w) > 3):
            continue  # part of a proper name: "Convention against Torture"
        if words[-1].lower() in FACILITIES and _WHERE_BEFORE.search(text[max(0, s - 12):s]):
            continue  # "people in internment camps" says where, the act is named before
        out.append(Mention(s, e, act))
    return out


def allegations(text: str, sentences: list[Span], lex: Lexicon, title: Span | None = None) -> list[Allegation]:
    """One allegation per act alleged in a sentence (the first words naming it anchor the act)."""
    fallback = groups_and_places(text, title, lex) if title else ((), ())
    out = []
    for sentence in sentences:
        mentions = _alleged(text, sentence, act_mentions(text, sentence, lex))
        if not mentions:
            continue
        groups, places = groups_and_places(text, sentence, lex)
        if not _accusing(text, sentence) and not groups and not places:
            continue
        seen = set()
        for m in mentions:
            if m.act not in seen:
                seen.add(m.act)
                out.append(Allegation(sentence, m.act, Span(m.start, m.end), groups or fallback[0],
                                      places or fallback[1]))
    return out


def _accusing(text: str, sentence: Span) -> bool:
    return bool(ACCUSING.search(text, sentence.start, sentence.end))


def _alleged(text: str, sentence: Span, mentions: list[Mention]) -> list[Mention]:
    """The mentions a sentence alleges: not negated ("no evidence of torture"), not named as a
    subject of study or law ("the prohibition of torture"), and not after a defining word
    ("genocide means ...") unless an accusation or a colon comes between.  The sentence's cues
    are found once, however many mentions it has."""
    if not mentions:
        return []
    defining = list(DEFINING.finditer(text, sentence.start, sentence.end))
    if not defining:
        return [m for m in mentions if not _mention_only(text, sentence, m)]
    accusing = list(ACCUSING.finditer(text, sentence.start, sentence.end))
    if not accusing:
        return []
    cues = _Cues(text, defining, accusing)
    colons = [k for k, ch in enumerate(text[sentence.start:sentence.end], sentence.start) if ch == ":"]
    out = []
    for m in mentions:
        if _mention_only(text, sentence, m):
            continue
        cue = cues.last_before(m.start)
        if cue is None or cue.re is not DEFINING or bisect_left(colons, cue.end()) < bisect_left(colons, m.start):
            out.append(m)
    return out


def _mention_only(text: str, sentence: Span, m: Mention) -> bool:
    """Negated or named only as a subject, from the few words before the mention."""
    return bool(NEGATED.search(text[max(sentence.start, m.start - 60):m.start])
                or MENTION_ONLY.search(text[max(sentence.start, m.start - 40):m.start]))


class _Cues:
    """The defining and accusing words of one sentence, for the question "which cue starts last
    among those that end before this mention?"."""

    def __init__(self, text: str, defining: list[re.Match], accusing: list[re.Match]):
        self.text, self.defining, self.accusing = text, defining, accusing
        self.defining_ends = [c.end() for c in defining]
        self.accusing_ends = [c.end() for c in accusing]

    def last_before(self, before: int) -> re.Match | None:
        """As a search of the sentence cut at ``before`` finds them: an accusing match that runs
        past the cut ("were continuously tortured") is searched again up to it.  A defining word
        wins a tie."""
        d = bisect_right(self.defining_ends, before)
        k = bisect_right(self.accusing_ends, before)
        found = self.accusing[k - 1] if k else None
        if k < len(self.accusing) and self.accusing[k].start() < before:
            again = list(ACCUSING.finditer(self.text, self.accusing[k].start(), before))
            found = again[-1] if again else found
        last_defining = self.defining[d - 1] if d else None
        if last_defining is None or found is not None and found.start() > last_defining.start():
            return found
        return last_defining


# ------------------------------------------------------------------------------------------------
# Legal characterisations
# ------------------------------------------------------------------------------------------------

CRIMES = re.compile(r"\b(?P<cah>crimes?\s+against\s+humanity)\b|\b(?P<gen>genocid(?:e|al))\b(?!\s+(?:prevention|"
                    r"studies|scholars?|watch|alert|survivors?|memorial|research|education|awareness|denial|"
                    r"response|convention|and\s+atrocity|and\s+mass\s+atrocity))", re.I)
TRIGGER = re.compile(
    r"\b(?:meets?|meeting|met)\s+(?:all\s+)?the\s+(?:\w+\s+)?(?:threshold|elements|definition)\b|"
    r"\b(?:is|are|was|were|be|being)\s+(?:also\s+)?consistent\s+with\b|\bamount(?:s|ed|ing)?\s+to\b|"
    r"\bconstitut(?:e|es|ed|ing|ive\s+of)\b|\bqualif(?:y|ies|ied)\s+as\b|\btantamount\s+to\b|"
    r"\brises?\s+to\s+the\s+level\s+of\b|\bcommit(?:s|ted|ting)?\b(?!\s+to\b)|\bperpetrat(?:e|es|ed|ing)\b|"
    r"\b(?:is|are|was|were)\s+(?:still\s+)?(?:taking\s+place|being\s+(?:committed|perpetrated)|occurring|"
    r"under\s*way|ongoing)\b|\b(?:this|that|it|these|which|they)\s+(?:is|are|was|were)\s+(?:an?\s+)?"
    r"(?:genocide|crimes?\s+against\s+humanity)\b|\bprohibited\s+(?:under|by)\b|\bin\s+violation\s+of\b", re.I)
NOT_CHARACTERIZING = re.compile(r"\b(defined\s+as|is\s+defined|are\s+defined|defines|definition\s+of|"
                                r"is\s+difficult|are\s+difficult)\b", re.I)
CITATION = re.compile(r"\b[Aa]rt(?:icle|s?\.)?\s*(?P<art>[IVX]+|\d+)(?:\s*\((?P<para>\d+)\))?(?:\s*\((?P<point>[a-k])\))?")
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def characterizations(text: str, sentences: list[Span], lex: Lexicon) -> list[LegalCharacterization]:
    """Sentences saying that acts meet the threshold of, are consistent with or amount to a crime
    under an instrument, with the provisions they name or describe."""
    out = []
    for sentence in sentences:
        if NOT_CHARACTERIZING.search(text, sentence.start, sentence.end) or not _triggered(text, sentence):
            continue
        instruments = [v for _, _, v in lex.instruments.find(text, sentence.start, sentence.end)]
        scopes = _scopes(text, sentence, instruments)
        provisions = _provisions(text, sentence, lex, scopes, instruments) or scopes
        provisions = [p for p in provisions if p in lex.provision_paths]
        if provisions:
            instrument = instruments[0] if instruments else provisions[0].split("/")[0]
            out.append(LegalCharacterization(sentence, tuple(dict.fromkeys(provisions)), instrument))
    return out


_DENIED = re.compile(r"\b(not|never|no)\s+(?:\w+\s+)?$|n[’']t\s+$")


def _triggered(text: str, sentence: Span) -> bool:
    for m in TRIGGER.finditer(text, sentence.start, sentence.end):
        before = text[max(sentence.start, m.start() - 16):m.start()]
        if not _DENIED.search(before):  # "does not amount to"
            return True
    return False


def _scopes(text: str, sentence: Span, instruments: list[str]) -> list[str]:
    """The articles a sentence's crimes fall under: genocide, crimes against humanity."""
    scopes = []
    for m in CRIMES.finditer(text, sentence.start, sentence.end):
        if m.group("cah"):
            scopes.append("rome-statute/art_7")
        elif not _in_proper_name(text, m):
            only_rome = "rome-statute" in instruments and "genocide-convention" not in instruments
            scopes.append("rome-statute/art_6" if only_rome else "genocide-convention/art_2")
    if not scopes and instruments:  # an instrument named, no crime: its articles defining crimes
        scopes = {"genocide-convention": ["genocide-convention/art_2"],
                  "rome-statute": ["rome-statute/art_6", "rome-statute/art_7"]}.get(instruments[0], [])
    return list(dict.fromkeys(scopes))


_CAPITAL_NEXT = re.compile(r"\s+[A-Z]")


def _in_proper_name(text: str, m: re.Match) -> bool:
    return m.group()[0].isupper() and bool(_CAPITAL_NEXT.match(text[m.end():m.end() + 2]))


def _provisions(text: str, sentence: Span, lex: Lexicon, scopes: list[str], instruments: list[str]) -> list[str]:
    """Provisions described (by their alternate names or by the acts they are about) within the
    sentence's scopes, and provisions cited by number, in text order."""
    described = [(s, p) for s, _, p in lex.provisions.find(text, sentence.start, sentence.end)]
    described += [(m.start, p) for m in act_mentions(text, sentence, lex) for p in lex.about.get(m.act, ())]
    inside = [(s, p) for s, p in described if any(p.startswith(scope + "/") for scope in scopes)]
    cited = _citations(text, sentence, instruments or [s.split("/")[0] for s in scopes], lex)
    found = [p for _, p in sorted(inside + cited)]
    return [p for p in found if not any(other.startswith(p + "/") for other in found)]  # the most specific


def _citations(text: str, sentence: Span, instruments: list[str], lex: Lexicon) -> list[tuple[int, str]]:
    """Provisions cited by number: "Article II(d)", "Art. 7(1)(h)"."""
    out = []
    for m in CITATION.finditer(text, sentence.start, sentence.end):
        number = ROMAN.get(m.group("art")) or (int(m.group("art")) if m.group("art").isdigit() else None)
        for instrument in instruments[:1]:
            parts = [instrument, f"art_{number}"]
            if m.group("para"):
                parts.append(f"para_{m.group('para')}")
            if m.group("point"):
                parts.append(f"point_{m.group('point')}")
            while len(parts) > 1 and "/".join(parts) not in lex.provision_paths:
                parts.pop()
            if len(parts) > 1:
                out.append((m.start(), "/".join(parts)))
    return out
