"""The bad-input corpus (tests/badinput/cases.py): each case refused in one line with the
previous build kept byte for byte, or accepted with a warning; and no stage is quadratic.

A small project (one good letter) is built once per module; every case runs on a copy of it.
Accepted documents and metadata files are built together in one build (the ``batch``).

    pytest tests/test_badinput.py                      # CI
    pytest tests/test_badinput.py -k doc-latin1        # one case
    KG_SLOW=1 pytest tests/test_badinput.py            # also the full build of the 10 MB line
                                                       # and of 2000 tiny files (minutes)
    KG_STRICT_CASES=1 pytest tests/test_badinput.py    # run pending cases as plain tests
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from badinput import make_corpus as mc
from badinput.cases import CASES, GOOD, Case, Ctx, by_id
from kg.cli import app

runner = CliRunner()
SLOW = bool(os.environ.get("KG_SLOW"))
STRICT = bool(os.environ.get("KG_STRICT_CASES"))
TEXTS = """PREFIX schema: <https://schema.org/>
SELECT ?name ?text WHERE { ?t a schema:DigitalDocument ; schema:name ?name ; schema:text ?text }"""


# ------------------------------------------------------------------------------------------
# Running kg and looking at what it left


@dataclass
class Outcome:
    code: int | None
    stdout: str
    stderr: str
    crash: BaseException | None = None

    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def show(self) -> str:
        return f"exit {self.code}\n--- stderr\n{self.stderr[-3000:]}\n--- stdout\n{self.stdout[-1500:]}" + (
            f"\n--- exception {type(self.crash).__name__}: {self.crash}" if self.crash else "")


def run_kg(args, cwd: Path, *, process: bool = False, timeout: float = 120) -> Outcome:
    if process:
        exe = Path(sys.executable).with_name("kg")
        try:
            done = subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as err:
            return Outcome(None, "", f"timed out after {timeout} s\n" + (err.stderr or b"").decode(errors="replace"))
        return Outcome(done.returncode, done.stdout.decode(errors="backslashreplace"),
                       done.stderr.decode(errors="backslashreplace"))
    root = logging.getLogger()  # as in a real run: no handlers, so warnings of libraries reach stderr
    saved, root.handlers = root.handlers, []
    try:
        result = runner.invoke(app, list(args))
    finally:
        root.handlers = saved
    crash = result.exception if result.exception and not isinstance(result.exception, SystemExit) else None
    return Outcome(result.exit_code, result.stdout, result.stderr, crash)


def snapshot(out: Path) -> dict[str, str]:
    """Digests of every file of the current release, and where ``current`` points."""
    link = out / "current"
    if not os.path.lexists(link):
        return {"->": None}
    found: dict[str, str] = {"->": os.readlink(link) if link.is_symlink() else "(not a link)"}
    try:
        current = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return found
    for path in sorted(current.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path.relative_to(current))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def texts_in_graph(out: Path) -> dict[str, str]:
    store = ox.Store.read_only(str((out / "current" / "store").resolve()))
    return {row["name"].value: row["text"].value for row in store.query(TEXTS, use_default_graph_as_union=True)}


def names_in(case: Case, line: str) -> bool:
    return case.names is None or any(alt in line for alt in case.names.split("|"))


def assert_refused(case: Case, got: Outcome) -> None:
    assert got.code == case.expected_exit, got.show()
    assert "Traceback" not in got.stderr + got.stdout, got.show()
    if case.expected_exit == 2:  # click's own usage error: it names the option or command
        assert case.names.lower() in got.stderr.lower(), got.show()
        return
    lines = got.lines()
    assert len(lines) == 1, f"not one line:\n{got.show()}"
    line = lines[0]
    assert line.startswith("kg: error: "), line
    assert names_in(case, line), f"does not name {case.names!r}: {line}"
    for word in case.words:
        assert re.search(word, line, re.I), f"no {word!r} in: {line}"
    assert re.search(r"\(.+\)\s*$", line), f"no hint (what to do) in: {line}"


def assert_warned(case: Case, got: Outcome) -> None:
    warnings = [line for line in got.lines() if line.startswith("kg: warning:")]
    assert any(all(re.search(w, line, re.I) for w in case.words) for line in warnings), (
        f"no warning matching {case.words}:\n{got.show()}")


def assert_graph(case: Case, texts: dict[str, str]) -> None:
    for doc in case.docs:
        assert doc in texts, f"{doc} is not in the graph; documents: {sorted(texts)[:20]}"
        if case.check is not None:
            assert case.check(texts[doc]), f"check failed on the stored text of {doc}: {texts[doc][:300]!r}"
    for doc in case.absent:
        assert doc not in texts, f"{doc} is in the graph but should have been skipped"


def params(cases):
    for c in cases:
        marks = [pytest.mark.xfail(strict=True, reason=f"needs {c.pending}")] if c.pending and not STRICT else []
        yield pytest.param(c, id=c.id, marks=marks)


# ------------------------------------------------------------------------------------------
# The template project, built once


def make_project(root: Path, target: Path) -> Path:
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(root / name, target / name)
    (target / "seeds").mkdir(parents=True)
    (target / "seeds" / GOOD).write_text(mc.letter(), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def template(tmp_path_factory, root) -> Path:
    from kg.config import Settings
    from kg.pipeline import build

    project = make_project(root, tmp_path_factory.mktemp("badinput") / "template")
    build(Settings.for_project(project).with_(out=project / "build"))
    return project


@pytest.fixture()
def ctx(template, tmp_path, monkeypatch) -> Ctx:
    project = tmp_path / "project"
    shutil.copytree(template, project, symlinks=True)
    (tmp_path / "outside").mkdir()
    monkeypatch.chdir(project)
    context = Ctx(project, tmp_path / "outside")
    yield context
    for handle in context.held:
        handle.close()


# ------------------------------------------------------------------------------------------
# The cases


def test_the_corpus_has_at_least_100_cases_across_every_category():
    cases = by_id()
    assert len(cases) >= 100
    categories = {c.category for c in CASES}
    assert {"documents", "metadata", "shapes", "ontology", "queries", "command-line", "config", "store",
            "limits", "paths"} <= categories
    for c in CASES:
        assert c.outcome in ("refused", "accepted")
        assert c.outcome == "accepted" or c.names, f"{c.id}: a refusal must name the file or argument"


REFUSED = [c for c in CASES if c.outcome == "refused"]


@pytest.mark.parametrize("case", list(params(REFUSED)))
def test_refused_in_one_line_and_the_previous_build_is_kept(case: Case, ctx: Ctx):
    case.make(ctx)
    before = snapshot(ctx.out)
    got = run_kg(case.args, ctx.root, process=case.process, timeout=case.timeout)
    for handle in ctx.held:
        handle.close()
    assert_refused(case, got)
    assert snapshot(ctx.out) == before, "the previous store or dumps changed"
    releases = ctx.out / "releases"
    assert not (releases.is_dir() and list(releases.glob("*.partial"))), "a partial release was left behind"
    if case.then_build:
        rebuilt = run_kg(("build", "--quiet"), ctx.root)
        assert rebuilt.code == 0, rebuilt.show()
        again = run_kg(case.args, ctx.root)
        assert again.code == 0, again.show()


SINGLE = [c for c in CASES if c.outcome == "accepted" and (not c.batch or c.e2e) and c.scope == "cli"]


@pytest.mark.parametrize("case", list(params(SINGLE)))
def test_accepted_alone(case: Case, ctx: Ctx):
    case.make(ctx)
    got = run_kg(case.args, ctx.root, process=case.process, timeout=case.timeout)
    for handle in ctx.held:
        handle.close()
    assert got.code == 0, got.show()
    assert "Traceback" not in got.stderr and "internal error" not in got.stderr, got.show()
    if case.warns:
        assert_warned(case, got)
    if case.docs or case.absent:
        assert_graph(case, texts_in_graph(ctx.out))
    if case.after:
        case.after(ctx)


BATCH = [c for c in CASES if c.batch]


@dataclass
class Batch:
    error: str | None
    texts: dict[str, str]  # path -> the text as stored (read back from the store)
    warnings: list[str]


@pytest.fixture(scope="module")
def batch(template, tmp_path_factory) -> Batch:
    """Every accepted document and metadata case in one seeds folder: read, extracted, linked,
    mapped, loaded into a store and dumped in every format; the dumps read back."""
    from kg.config import Settings
    from kg.pipeline import compile_graph
    from kg.publish.dumps import FORMATS, load_context, write_all
    from kg.store import load_nquads

    base = tmp_path_factory.mktemp("badinput-batch")
    project = base / "project"
    shutil.copytree(template, project, symlinks=True)
    (base / "outside").mkdir()
    context = Ctx(project, base / "outside")
    for c in BATCH:
        c.make(context)
    settings = Settings.for_project(project)
    try:
        compiled = compile_graph(settings)
        store = load_nquads(base / "store", compiled.chunks())
        dumps = write_all(store, base / "dumps", context=load_context(settings.ontology / "context.jsonld"),
                          base_iri=settings.base_iri)
    except Exception as err:  # noqa: BLE001 - reported by every test of the batch
        return Batch(f"{type(err).__name__}: {err}", {}, [])
    quads = set(store)
    for fmt, path in dumps.items():
        rdf_format = FORMATS[fmt][1] or ox.RdfFormat.JSON_LD
        back = set(ox.parse(path=str(path), format=rdf_format))
        if fmt in ("nquads", "trig", "jsonld"):
            assert back == quads, f"the {fmt} dump does not read back as the same graph"
        else:
            assert {q.triple for q in back} == {q.triple for q in quads}, f"the {fmt} dump differs"
    texts = {row["name"].value: row["text"].value for row in store.query(TEXTS, use_default_graph_as_union=True)}
    for x in compiled.corpus.extractions:
        assert texts.get(x.doc.path) == x.doc.text, f"{x.doc.path}: the stored text is not the decoded text"
    warnings = [f"kg: warning: {w}" for x in compiled.corpus.extractions for w in x.doc.warnings]
    return Batch(None, texts, warnings)


@pytest.mark.parametrize("case", list(params(BATCH)))
def test_accepted_in_the_batch(case: Case, batch: Batch):
    assert batch.error is None, batch.error
    if case.warns:
        assert_warned(case, Outcome(0, "", "\n".join(batch.warnings)))
    assert_graph(case, batch.texts)


def test_the_batch_builds_and_validates(template, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(template, project, symlinks=True)
    (tmp_path / "outside").mkdir()
    context = Ctx(project, tmp_path / "outside")
    for c in BATCH:
        c.make(context)
    got = run_kg(("build",), project, process=True, timeout=3600)
    assert got.code == 0, got.show()
    texts = texts_in_graph(context.out)
    for c in BATCH:
        assert_graph(c, texts)


READ_ONLY = [c for c in CASES if c.scope == "read"]


@pytest.mark.parametrize("case", list(params(READ_ONLY)))
def test_accepted_at_the_read_stage(case: Case, ctx: Ctx):
    """Cases whose whole build is too slow for CI: CI reads them; KG_SLOW=1 builds them."""
    from kg.sources import read_folder

    case.make(ctx)
    started = time.perf_counter()
    docs = read_folder(ctx.seeds)
    assert time.perf_counter() - started < 30
    texts = {d.path: d.text for d in docs}
    assert_graph(case, texts)
    if SLOW:
        got = run_kg(case.args, ctx.root, timeout=3600)
        assert got.code == 0, got.show()
        assert_graph(case, texts_in_graph(ctx.out))


# ------------------------------------------------------------------------------------------
# Limits: no stage is quadratic in the length of a document


def _extract_seconds(text: str) -> float:
    from kg.extract import extract
    from kg.records import SourceDocument

    doc = SourceDocument("d", "d.txt", "text/plain", "0" * 64, text)
    started = time.process_time()  # CPU time: another process on a busy machine does not count
    extract(doc)
    return time.process_time() - started


def _demands_seconds(text: str) -> float:
    """The calls-to-action stage alone: its per-sentence work is small, so a quadratic part shows."""
    from kg.extract.demands import calls_to_action
    from kg.records import Span

    started = time.process_time()
    calls_to_action(text, Span(0, len(text)), "letter")
    return time.process_time() - started


def _in_letter(unit: str):
    return lambda n: mc.letter(extra=unit * (n // len(unit)))


def _alone(unit: str):
    return lambda n: unit * (n // len(unit))


SHAPES = {  # how to make n characters of one shape of document, and n for the smaller run (~0.1-0.3 s)
    "running-text": (_in_letter("Witnesses describe camps and the detention of civilians in the region. "), 40_000),
    "one-long-line-of-words": (lambda n: mc.letter(extra=mc.words(n)), 70_000),
    "short-sentences-in-one-paragraph": (_alone("They act now. "), 100_000, _demands_seconds),
    "demands-in-one-paragraph": (_alone("We urge the Council to act now. "), 12_500),
    "menu-lines": (_alone("\u2022 Menu item\n"), 40_000),
    "numbered-items": (_alone("1. Act now.\n"), 40_000),
    "blank-lines": (_alone("\n"), 40_000),
}
QUADRATIC: dict[str, str] = {}  # shape -> the fix it needs, while a shape is quadratic (xfail)


@pytest.fixture(scope="module")
def warm():
    _extract_seconds(mc.letter())  # compile the regular expressions once


@pytest.mark.parametrize("shape", [
    pytest.param(name, marks=[pytest.mark.xfail(strict=True, reason=f"needs {QUADRATIC[name]}")]
                 if name in QUADRATIC and not STRICT else []) for name in SHAPES])
def test_extraction_is_not_quadratic(shape, warm):
    """Four times the text may take at most about eight times as long (quadratic: sixteen)."""
    make, size, *how = SHAPES[shape]
    seconds = how[0] if how else _extract_seconds
    small, big = make(size), make(4 * size)
    t_small = min(seconds(small) for _ in range(2))
    t_big = seconds(big)
    if 8 <= t_big / max(t_small, 0.01) < 14:  # in between: measure again before deciding
        t_big = min(t_big, seconds(big))
    if t_big < 0.25:
        return  # too fast to tell; linear
    assert t_big / max(t_small, 0.01) < 8, f"{shape}: {t_small:.2f}s for {len(small)} chars, {t_big:.2f}s for {len(big)}"
