"""Evaluation: extraction scored against hand-made expected results.

Consumes a corpus folder with ``docs/`` (documents in any supported format) and ``expected/``
(one ``NAME.json`` per document, written by hand); creates an :class:`Evaluation` with
precision, recall and F1 per kind of finding, and the misses of each document.

An expected file holds ``title`` and ``date`` (or null when the document has none), ``type``,
``signatories`` (``[{name, kind}]``), ``calls`` (``[{quote, position, recipients}]``: a call is
found when the text of an extracted call contains the quote), ``reported_signers`` and
``about`` (for a report about a letter of the same corpus).  Names are compared by their
name key with honorifics aside ("Senator", "Dr", "MP"), recipients by name key or as a word
prefix of one another.

>>> s = Score(tp=3, fp=1, fn=2)
>>> round(s.precision, 2), round(s.recall, 2), round(s.f1, 2)
(0.75, 0.6, 0.67)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .extract import extract
from .extract.reported import with_reported_signers
from .extract.text import name_key, squash
from .link import link
from .records import Extraction

HONORIFICS = {"dr", "prof", "professor", "senator", "baroness", "baron", "lord", "lady", "sir", "hon",
              "honourable", "rev", "reverend", "deputy", "mr", "mrs", "ms", "h", "e", "mp", "mep"}
FIELDS = ("signatories", "calls", "recipients", "titles", "dates", "types", "reported signers", "about")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class DocumentResult:
    name: str
    scores: dict[str, Score]
    errors: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    documents: list[DocumentResult]

    def totals(self) -> dict[str, Score]:
        out = {f: Score() for f in FIELDS}
        for doc in self.documents:
            for name, score in doc.scores.items():
                out[name].add(score)
        return out

    def to_dict(self) -> dict:
        def row(s: Score) -> dict:
            return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
        return {"totals": {k: row(v) for k, v in self.totals().items()},
                "documents": [{"name": d.name, "errors": d.errors,
                               "scores": {k: row(v) for k, v in d.scores.items()}} for d in self.documents]}

    def to_text(self) -> str:
        lines = [f"{'finding':18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
        for name, s in self.totals().items():
            lines.append(f"{name:18} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.tp:5} {s.fp:5} {s.fn:5}")
        lines.append(f"\n{len(self.documents)} documents")
        for doc in self.documents:
            for error in doc.errors:
                lines.append(f"  {doc.name}: {error}")
        return "\n".join(lines)


def person_key(name: str) -> str:
    """A signer's name as compared: name key, honorifics aside.

    >>> person_key("Senator Marie Dupont") == person_key("Marie Dupont") == person_key("Marie Dupont MP")
    True
    >>> person_key("Northern Rights Forum (NRF)") == person_key("Northern Rights Forum")
    True
    """
    words = name_key(re.sub(r"\s*\((?=(?:[^)]*[A-Z]){2})[A-Z][A-Za-z0-9&.-]{1,12}\)\s*$", "", name)).split()  # "Forum (EF)"
    while words and words[0] in HONORIFICS:
        words = words[1:]
    while words and words[-1] in HONORIFICS:
        words = words[:-1]
    return " ".join(words)


def _flat(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return squash(text).casefold().rstrip(".;:, ")


def _same_recipient(a: str, b: str) -> bool:
    ka, kb = name_key(a).split(), name_key(b).split()
    if not ka or not kb:
        return False
    short, long = sorted((ka, kb), key=len)
    return ka == kb or (len(short) >= 2 and long[:len(short)] == short)


def score_names(expected: list[dict], found: list[tuple[str, str]], what: str, errors: list[str]) -> Score:
    """Signers as (name, kind) pairs; a found signer of the wrong kind is a miss and a false hit."""
    want = {(person_key(e["name"]), e["kind"]): e["name"] for e in expected}
    got = {(person_key(n), k): n for n, k in found}
    for key in sorted(set(want) - set(got)):
        errors.append(f"{what} missed: {want[key]} [{key[1]}]")
    for key in sorted(set(got) - set(want)):
        errors.append(f"{what} extra: {got[key]} [{key[1]}]")
    return Score(len(set(want) & set(got)), len(set(got) - set(want)), len(set(want) - set(got)))


def score_calls(expected: list[dict], x: Extraction, errors: list[str]) -> tuple[Score, Score]:
    """Calls matched by quote, then their recipients compared pair by pair."""
    calls, recipients = Score(), Score()
    unused = list(x.calls)
    for want in expected:
        quote = _flat(want["quote"])
        match = next((c for c in unused if quote in _flat(c.text)), None)
        if match is None:
            calls.fn += 1
            recipients.fn += len(want["recipients"])
            errors.append(f"call missed: {want['quote'][:60]}")
            continue
        unused.remove(match)
        calls.tp += 1
        recipients.add(_score_recipients(want["recipients"], list(match.recipients), errors))
    for extra in unused:
        calls.fp += 1
        recipients.fp += len(extra.recipients)
        errors.append(f"call extra: {extra.text[:60]}")
    return calls, recipients


def _score_recipients(want: list[str], got: list[str], errors: list[str]) -> Score:
    score, left = Score(), list(got)
    for w in want:
        hit = next((g for g in left if _same_recipient(w, g)), None)
        if hit is None:
            score.fn += 1
            errors.append(f"recipient missed: {w}" + (f" (found: {'; '.join(got)})" if got else ""))
        else:
            left.remove(hit)
            score.tp += 1
    for extra in left:
        score.fp += 1
        errors.append(f"recipient extra: {extra}")
    return score


def score_value(want, got, what: str, errors: list[str], same=lambda a, b: a == b) -> Score:
    """One value (a title, a date, a type): none expected and none found is neither hit nor miss."""
    if want is None and got is None:
        return Score()
    if want is not None and got is not None and same(want, got):
        return Score(tp=1)
    errors.append(f"{what}: expected {want!r}, found {got!r}")
    return Score(fp=int(got is not None), fn=int(want is not None))


def score_document(name: str, want: dict, x: Extraction, about: str | None) -> DocumentResult:
    errors: list[str] = []
    calls, recipients = score_calls(want.get("calls", []), x, errors)
    scores = {
        "signatories": score_names(want.get("signatories", []), [(s.name, s.kind) for s in x.signatures],
                                   "signatory", errors),
        "calls": calls, "recipients": recipients,
        "titles": score_value(want.get("title"), x.title.text if x.title else None, "title", errors,
                              lambda a, b: _flat(a) == _flat(b)),
        "dates": score_value(want.get("date"), x.date, "date", errors),
        "types": score_value(want.get("type"), x.doc_type, "type", errors),
        "reported signers": score_names(want.get("reported_signers", []),
                                        [(s.name, s.kind) for s in x.reported_signers], "reported signer", errors),
        "about": score_value(want.get("about"), about, "about", errors),
    }
    return DocumentResult(name, scores, errors)


def load_expected(folder: Path) -> dict[str, dict]:
    """The expected results of a corpus, by document key."""
    from .sources import document_key

    out = {}
    for path in sorted(folder.glob("*.json")):
        try:
            out[document_key(path)] = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise InputError(f"{path}: not a valid expected-result file: {err}", hint="fix the JSON") from None
    return out


def evaluate(corpus: Path, ref, *, max_bytes: int = 50_000_000) -> Evaluation:
    """Extract and link every document of ``corpus/docs`` and score it against ``corpus/expected``."""
    from .sources import read_folder

    docs_dir, expected_dir = corpus / "docs", corpus / "expected"
    if not expected_dir.is_dir():
        raise InputError(f"{corpus}: has no expected/ folder", hint="give a folder with docs/ and expected/")
    expected = load_expected(expected_dir)
    docs = read_folder(docs_dir, max_bytes=max_bytes)
    missing = sorted(set(expected) - {d.key for d in docs})
    if missing:
        raise InputError(f"{expected_dir}: expected result for a document not in docs/: {missing[0]}")
    corpus_links = link([with_reported_signers(extract(d)) for d in docs], ref)
    results = []
    for x in corpus_links.extractions:
        if x.doc.key in expected:
            about = corpus_links.about.get(x.doc.key)
            about_doc = _about_document(corpus_links, about)
            results.append(score_document(x.doc.key, expected[x.doc.key], x, about_doc))
    return Evaluation(results)


def corpora(folder: Path) -> list[Path]:
    """The corpora under a folder: itself when it holds docs/ and expected/, then each
    subfolder that does (tests/eval: development; holdout/ and blind/: written later)."""
    found = [folder] if (folder / "expected").is_dir() else []
    found += sorted(p for p in folder.iterdir() if p.is_dir() and (p / "expected").is_dir()) if folder.is_dir() else []
    if not found:
        raise InputError(f"{folder}: has no expected/ folder", hint="give a folder with docs/ and expected/")
    return found


def evaluate_all(folder: Path, ref, *, max_bytes: int = 50_000_000) -> dict[str, Evaluation]:
    """Every corpus under ``folder``, by name ("." for the folder itself)."""
    return {str(c.relative_to(folder)): evaluate(c, ref, max_bytes=max_bytes) for c in corpora(folder)}


def combined(results: dict[str, Evaluation]) -> Evaluation:
    return Evaluation([d for e in results.values() for d in e.documents])


def report_text(results: dict[str, Evaluation]) -> str:
    if len(results) == 1:
        return next(iter(results.values())).to_text()
    parts = [f"== {name}\n{e.to_text()}" for name, e in results.items()]
    table = combined(results).to_text().split("\n\n")[0]
    return "\n\n".join(parts + [f"== all corpora ({sum(len(e.documents) for e in results.values())} documents)\n{table}"])


def report_json(results: dict[str, Evaluation]) -> dict:
    if len(results) == 1:
        return next(iter(results.values())).to_dict()
    return {"corpora": {name: e.to_dict() for name, e in results.items()},
            "totals": combined(results).to_dict()["totals"]}


def _about_document(corpus, work_path: str | None) -> str | None:
    """The earliest edition of the work a report is about (expected files name a document)."""
    if work_path is None:
        return None
    for work in corpus.works.values():
        if work.path == work_path:
            return work.editions[0]
    return None
