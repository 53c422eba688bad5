"""Figures: the numbers a statement cites, with what they count.

Consumes sentences of a document's body; creates :class:`kg.records.Figure` records: exact
values, ranges ("between 1 and 1.8 million"), lower and upper bounds ("at least 80,000",
"nearly two dozen"), percentages and counts written in words.  What a figure counts is a
concept of the ``counted`` scheme, found by its labels after (or, for "a petition signed by",
before) the number.  Dates, years, article numbers, reference codes, phone numbers, list
numbers, footnote marks and durations are not figures.

>>> from kg.extract.acts import lexicon
>>> text = "In 2019, at least 80,000 people were detained; Article 7 applies (ref. 12/2020)."
>>> [(f.min_value, f.counts, text[f.span.start:f.span.end]) for f in figures(text, [Span(0, len(text))], lexicon())]
[(80000.0, 'people', 'at least 80,000')]
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..records import Figure, Span
from .acts import Lexicon
from .dates import find_dates
from .text import name_key

UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10 ** 12}
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
         "hundreds of thousands": 200_000, "millions": 2_000_000}
_UNIT = "|".join(sorted(set(UNITS) - {"one"}, key=len, reverse=True))
_TEN = "|".join(TENS)
_WORDS = rf"(?:(?:{_TEN})(?:[-\s](?:{'|'.join(UNITS)}))?|{_UNIT})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s*(?:million|billion|thousand|hundred|trillion|bn)\b)?"
AMOUNT = re.compile(
    rf"(?<![\w/.,+#@$€£-])(?P<digits>{_DIGITS})(?![\w/@]|[.,:]\d|-\w){_SCALE}"
    rf"|\b(?P<dozen>(?:a|one|{_WORDS}|half\s+a)\s+dozen)\b"
    rf"|\b(?P<vague>(?:tens|hundreds)\s+of\s+thousands|dozens|scores|hundreds|thousands|millions)(?=\s+of\b)"
    rf"|\b(?P<words>{_WORDS}(?:\s+(?:hundred|thousand|million|billion))?|one\s+(?:hundred|thousand|million|billion))"
    rf"\b(?=\s+[A-Za-z])", re.I)
PERCENT = re.compile(r"\s*(?:%|per\s*cent\b|percent\b)", re.I)
QUALIFIER = re.compile(
    r"(?P<min>at\s+least|more\s+than|over|upwards\s+of|in\s+excess\s+of|no\s+(?:fewer|less)\s+than|"
    r"not\s+less\s+than|a\s+minimum\s+of)\s+$"
    r"|(?P<max>nearly|almost|up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|under|no\s+more\s+than|"
    r"at\s+most|a\s+maximum\s+of)\s+$"
    r"|(?P<about>about|around|approximately|roughly|some|an\s+estimated|estimated|close\s+to|circa)\s+$"
    r"|(?P<between>between)\s+$|(?P<change>from)\s+$", re.I)
NOT_A_COUNT_BEFORE = re.compile(
    r"\b(?:articles?|arts?\.|art|paragraphs?|paras?\.?|sections?|§|chapters?|resolutions?|rules?|no\.|nos\.|"
    r"numbers?|pages?|p\.|pp\.|points?|items?|cases?|ref\.|reference|vol\.|volumes?|annex|footnotes?|notes?|"
    r"tel\.?|telephone|phone|fax|t:|f:|aged|ages?(?:\s+of)?|room|box|code|doc\.|document|decision|report|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\.?\s*$"
    r"|\b(?-i:[A-Z]{2,})\s+$"  # a reference code: "ASA 17"
    r"|\w\($"  # a paragraph of an article: "7(1)"
    r"|(?:^|\n)[ \t]*\(?$",  # a list number at the start of a line
    re.I)
NOT_A_COUNT_AFTER = re.compile(
    r"^(?:\s*\(\s*(?:\d+|[a-z])\s*\)|\s*(?:st|nd|rd|th)\b|\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\b|\s*(?:years?|months?|days?|weeks?|hours?|minutes?|seconds?|decades?|centuries|century|"
    r"year-old|am|pm|a\.m|p\.m)\b|\s+\d)", re.I)
HIDDEN = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\+?\d[\d ()-]{7,}\d")
STOP = {"from", "in", "at", "who", "that", "which", "with", "were", "are", "was", "is", "have", "has", "had",
        "to", "for", "on", "by", "since", "during", "across", "between", "than", "said", "say", "says", "of",
        "or", "as", "into", "whose", "where", "while", "will", "would", "may", "being", "been", "be"}
PEOPLE = {"people", "persons", "civilians", "individuals", "men", "women", "refugees", "villagers", "residents"}
_WORD_BREAK = re.compile(r"[-\s]+")
_RANGE_LINK = re.compile(r"\s*(?:and|to|–|—)\s*")
_ITEM_MARK = re.compile(r"[.)]\s")
_LEADING_ZERO = re.compile(r"0\d+")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")  # a word or a mark
_WORD_CHAR = re.compile(r"\w")


def figures(text: str, sentences: list[Span], lex: Lexicon) -> list[Figure]:
    """Every figure in the sentences, each with the sentence as its statement."""
    out = []
    for sentence in sentences:
        hidden = None  # worked out for a sentence with a number in it only
        pos = sentence.start
        while True:
            m = AMOUNT.search(text, pos, sentence.end)
            if not m:
                break
            if hidden is None:
                hidden = _hidden(text, sentence)
            figure, pos = _figure(text, sentence, m, lex, hidden)
            if figure is not None:
                out.append(figure)
    return out


def _hidden(text: str, sentence: Span) -> "_Covered":
    spans = [(m.start(), m.end()) for m in HIDDEN.finditer(text, sentence.start, sentence.end)]
    return _Covered(spans + [(d.span.start, d.span.end) for d in find_dates(text, sentence.start, sentence.end)])


class _Covered:
    """Spans that hide what they cover (quotations, dates), asked "is this position inside
    one?" by bisection rather than by looking at every span.

    >>> _Covered([(5, 9), (0, 3)]).covers(6), _Covered([(5, 9), (0, 3)]).covers(4)
    (True, False)
    """

    def __init__(self, spans: list[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the spans up to each one
        for _, e in ordered:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def covers(self, position: int) -> bool:
        k = bisect_right(self.starts, position)
        return bool(k) and self.reach[k - 1] > position


def _figure(text: str, sentence: Span, m: re.Match, lex: Lexicon, hidden) -> tuple[Figure | None, int]:
    value = _value(m)
    start, end = m.start(), m.end()
    if value is None or _not_a_count(text, sentence, m, hidden, lex):
        return None, end
    window = max(sentence.start, start - 30)
    qualifier = QUALIFIER.search(text[window:start])
    kind = next((k for k in ("min", "max", "about", "between") if qualifier and qualifier.group(k)), None)
    low = high = exact = None
    percent = PERCENT.match(text, end, sentence.end)
    second = _second(text, percent.end() if percent else end, sentence.end)
    if second:
        other, later = second
        link = text[(percent.end() if percent else end):later.start()].strip().lower()
        shared = value * _scale(later.group()) if m.group("digits") and _scale(m.group()) == 1 else value
        change = qualifier is not None and qualifier.group("change")  # "from 10 to 20" is a change, not a range
        if (link == "and" and kind == "between" or link in ("to", "–", "—") and not change) and shared <= other:
            low, high, end = shared, other, later.end()  # "between 1 and 1.8 million": the scale is shared
    if low is None and kind in ("min", "max", "about"):
        low, high, exact = (value if kind == "min" else None), (value if kind == "max" else None), \
            (value if kind == "about" else None)
    elif low is None:
        exact = value
    if kind and (kind != "between" or high is not None):
        start = window + qualifier.start()
    if m.group("vague") and high is None:
        low, exact = value, None  # "hundreds of thousands": at least two hundred thousand
    closing = PERCENT.match(text, end, sentence.end)
    end = closing.end() if closing else end
    is_percent = bool(percent or closing)
    counts, unit = _counted(text, sentence, start, end, is_percent, lex)
    if counts is None and unit is None and second:  # "from 10 to 20 villagers": both count villagers
        counts, unit = _counted(text, sentence, start, second[1].end(), is_percent, lex)
    return Figure(Span(start, end), exact, low, high, "percent" if is_percent else unit, counts, sentence), end


def _value(m: re.Match) -> float | None:
    try:
        if m.group("digits"):
            return float(m.group("digits").replace(",", "")) * _scale(m.group())
        if m.group("dozen"):
            words = m.group("dozen").lower().split()[:-1]
            return 6.0 if words[0] == "half" else 12.0 * (1 if words[0] in ("a", "one") else _words(" ".join(words)))
        if m.group("vague"):
            return float(VAGUE[" ".join(m.group("vague").lower().split())])
        return float(_words(m.group("words")))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _scale(amount: str) -> float:
    last = amount.lower().split()[-1] if amount.split() else ""
    return float(SCALES.get(last, 1_000_000_000 if last == "bn" else 1))


def _words(words: str) -> int:
    total = 0
    for w in _WORD_BREAK.split(words.lower()):
        if w in SCALES:
            total = max(total, 1) * SCALES[w]
        else:
            total += UNITS.get(w, 0) + TENS.get(w, 0)
    return total


def _second(text: str, pos: int, end: int):
    """The second value of a range: "... and 1.8 million", "... to 20"."""
    link = _RANGE_LINK.match(text[pos:end])
    if not link:
        return None
    m = AMOUNT.match(text, pos + link.end(), end)
    value = _value(m) if m else None
    return (value, m) if value is not None else None


def _not_a_count(text: str, sentence: Span, m: re.Match, hidden, lex: Lexicon) -> bool:
    start, end = m.span()
    if hidden.covers(start):
        return True
    before, after = text[max(0, start - 24):start], text[end:end + 24]
    if NOT_A_COUNT_BEFORE.search(before) or NOT_A_COUNT_AFTER.match(after):
        return True
    if before.endswith("(") and after.startswith(")") or _ITEM_MARK.match(after) and _line_start(text, start):
        return True  # a list number: "(2)", "2)" or "2." opening a line
    digits = m.group("digits")
    if digits and _LEADING_ZERO.fullmatch(digits):
        return True  # a code or a phone number
    if digits and _YEAR.fullmatch(digits) and not _counted(text, sentence, start, end, False, lex)[0]:
        return True  # a year, unless a count of something follows
    return False


def _line_start(text: str, start: int) -> bool:
    return not text[text.rfind("\n", 0, start) + 1:start].strip(" \t(")


def _counted(text: str, sentence: Span, start: int, end: int, percent: bool, lex: Lexicon) -> tuple[str | None, str | None]:
    """What a figure counts (a counted-concept slug) and the words naming it, as written."""
    before = text[max(sentence.start, start - 40):start]
    for label, slug in lex.counted.items():
        if label.endswith(" by") and name_key(before).endswith(label):
            return slug, "people"  # "a petition signed by 323,832 people"
    words = _TOKEN.findall(text[end:min(sentence.end, end + 120)])
    if words and words[0].lower() == "of":
        words = words[1:]
    while words and words[0].lower() in ("all", "the", "its", "their"):
        words = words[1:]
    words = words[:words.index(next((w for w in words if not _WORD_CHAR.match(w)), None))] \
        if any(not _WORD_CHAR.match(w) for w in words) else words
    words = words[:8]
    phrase = []
    for w in words[:4]:
        if w.lower() in STOP or w.lower() in ("and", "or"):
            break
        phrase.append(w)
    nouns = [i for i, w in enumerate(phrase) if _noun_like(w, lex)]
    phrase = phrase[:nouns[-1] + 1] if nouns else []
    unit = " ".join(phrase) or None
    prefix = "percent of " if percent else ""
    for k in range(len(words), 0, -1):
        slug = lex.counted.get(name_key(prefix + " ".join(words[:k])))
        if slug:
            named = words[:k][:next((i for i, w in enumerate(words[:k]) if w.lower() in STOP), k)]
            return slug, " ".join(named) or unit
    if not phrase:
        return None, None
    head = phrase[-1]
    slugs = lex.heads.get(name_key(head), ())
    if len(slugs) == 1:
        return slugs[0], unit
    if not percent and (head.lower() in PEOPLE or head[:1].isupper()):
        return ("people" if "people" in lex.counted.values() else None), unit
    return None, unit


def _noun_like(word: str, lex: Lexicon) -> bool:
    """A word that can end what a figure counts: a plural, a people word, a counted label's head
    or a capitalised name ("Uyghurs", "refugees", "people")."""
    low = word.lower()
    return low in PEOPLE or low in lex.heads or word[:1].isupper() or len(low) > 3 and low.endswith("s")
