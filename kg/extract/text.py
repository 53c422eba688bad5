"""Text helpers shared by the extractors: lines, paragraphs and sentences with offsets.

>>> [l.text for l in lines("a\\n\\nb c")]
['a', '', 'b c']
>>> [s.text for s in sentences("Dr. Smith said so. U.N. experts agree!  Next")]
['Dr. Smith said so.', 'U.N. experts agree!', 'Next']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..records import Span


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # excludes the newline
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def span(self) -> Span:
        """The span of the line without surrounding whitespace."""
        lead = len(self.text) - len(self.text.lstrip())
        return Span(self.start + lead, self.start + len(self.text.rstrip()))

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "no", "nos", "art", "arts", "para", "e.g", "i.e",
                 "etc", "vs", "jr", "sr", "sept", "sep", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                 "oct", "nov", "dec", "gen", "sen", "rep", "gov", "hon", "rev", "op", "cf", "al", "inc",
                 "ltd", "co", "corp", "dept", "univ", "approx", "fig", "vol", "p", "pp", "ch"}
_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)|\n\s*\n")
_LAST_WORD = re.compile(r"([\w.]+)$")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
_LOWER_NEXT = re.compile(r"\s[a-z0-9]")


def sentences(text: str, start: int = 0, end: int | None = None) -> list["Sentence"]:
    """Split ``text[start:end]`` into sentences; paragraph breaks always end one."""
    end = len(text) if end is None else end
    out, begin = [], start
    for match in _END.finditer(text, start, end):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        _emit(text, begin, match.end() if not match.group().startswith("\n") else match.start(), out)
        begin = match.end()
    _emit(text, begin, end, out)
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot - 1: dot] in (" ", ".") or text[dot + 1: dot + 3] == " .":
        return True  # an ellipsis written ". . ."
    word = _LAST_WORD.search(text[max(0, dot - 12):dot])
    if not word:
        return False
    token = word.group(1).lower()
    if token in ABBREVIATIONS or len(token) == 1:
        return True
    if _INITIALS.fullmatch(token):  # U.S, U.N, T.H
        return True
    nxt = text[dot + 1: dot + 6].lstrip("\"”’')]")[:2]  # past a closing bracket: "(D-Ore.) and"
    return bool(_LOWER_NEXT.match(nxt))  # a lower-case word follows: not a sentence end


def _emit(text: str, begin: int, stop: int, out: list) -> None:
    chunk = text[begin:stop]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk.rstrip())
    if trail > lead:
        out.append(Sentence(begin + lead, begin + trail, text[begin + lead: begin + trail]))


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse runs of whitespace (a wrapped line) into single spaces.

    >>> squash("  two\\n lines ")
    'two lines'
    """
    return _SPACES.sub(" ", text).strip()


def slug(name: str, limit: int = 80) -> str:
    """A name as an IRI path segment: lower-case ASCII, runs of other characters as '-'.

    >>> slug("René Cassin, the Jewish voice")
    'rene-cassin-the-jewish-voice'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out or "unnamed"


_KEY_WORDS = re.compile(r"[a-z0-9]+")
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘ʼ′`´"))  # dropped: "King’s" and "King's" are "kings"


def name_key(name: str) -> str:
    """The key two spellings of one name share: no accents, case, punctuation or leading 'the'.

    >>> name_key("The Jo Cox Foundation") == name_key("Jo Cox Foundation")
    True
    >>> name_key("Women’s Rights Watch") == name_key("Women's Rights Watch")
    True
    """
    name = name.translate(_APOSTROPHES)  # "Uzbekistan’s" and "Uzbekistan's": one name, not two
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_name = ascii_name.replace("&", " and ")
    words = _KEY_WORDS.findall(ascii_name)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)
