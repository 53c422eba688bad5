"""Faults: a build killed at any stage, two builds at once, readers during a swap, a full disk.

The promise (DESIGN.md §5): a build writes a new release and swaps it in only when it is
complete, so whatever happens to a build, the previous store and dumps stay byte for byte
as they were, and the next build gives the same dumps as a clean build.

    pytest tests/test_faults.py
    KG_FAILPOINT=dump kg build       # by hand: SIGKILL when the build reaches the dump stage
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from badinput import make_corpus as mc
from kg.cli import app

KG = str(Path(sys.executable).with_name("kg"))
STAGES = ["read", "extract", "link", "map", "validate", "load", "dump", "swap", "swap-renamed"]
WRITING = {"load", "dump", "swap"}  # a partial release exists when the build is killed here
runner = CliRunner()


# ------------------------------------------------------------------------------------------
# Helpers


def snapshot(out: Path) -> dict[str, str | None]:
    link = out / "current"
    if not link.is_symlink():
        return {"->": None}
    found: dict[str, str | None] = {"->": os.readlink(link)}
    current = link.resolve()
    for path in sorted(current.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(current))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def dump_digests(out: Path) -> dict[str, str]:
    dumps = (out / "current" / "dumps").resolve()
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(dumps.iterdir())}


def leftovers(out: Path) -> list[str]:
    releases = out / "releases"
    found = [p.name for p in releases.iterdir() if p.name.endswith(".partial")] if releases.is_dir() else []
    return found + [p.name for p in out.glob(".current-*")]


def complete_releases(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "releases").iterdir() if not p.name.endswith(".partial"))


def kg_process(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([KG, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def kg_here(*args: str, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args))
    finally:
        os.chdir(old)


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def make_project(root: Path, target: Path, letters: int = 2) -> Path:
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(root / name, target / name)
    seeds = target / "seeds"
    seeds.mkdir(parents=True)
    for i in range(letters):
        (seeds / f"letter-{i}.txt").write_text(
            mc.letter(f"Open Letter to the Council on Matter {i}", signer=f"Example Watch {i}"), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def clean(tmp_path_factory, root):
    """A project and a clean build of it, made by the ``kg`` program: the reference dumps."""
    project = make_project(root, tmp_path_factory.mktemp("faults") / "project")
    started = time.perf_counter()
    done = kg_process("build", "--quiet", cwd=project)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    return project, dump_digests(project / "build"), seconds


@pytest.fixture()
def project(clean, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(clean[0], copy, symlinks=True)
    return copy


# ------------------------------------------------------------------------------------------
# SIGKILL at every stage


@pytest.mark.parametrize("stage", STAGES)
def test_a_build_killed_at_any_stage_keeps_the_previous_one(stage, project, clean):
    out = project / "build"
    before = snapshot(out)
    killed = kg_process("build", cwd=project, env={"KG_FAILPOINT": stage})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert snapshot(out) == before, f"killed at {stage}: the previous store or dumps changed"
    if stage in WRITING:
        assert any(p.endswith(".partial") for p in leftovers(out)), "the kill did not happen while writing"
    if stage == "swap-renamed":
        assert len(complete_releases(out)) == 2, "the kill did not happen between the rename and the swap"
    rebuilt = kg_here("build", "--quiet", cwd=project)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert dump_digests(out) == clean[1], "the build after the kill differs from a clean build"
    assert leftovers(out) == [], "what the killed build left was not cleaned up"
    assert len(complete_releases(out)) <= 3  # the two newest, and one written in the last minute


def test_a_build_killed_at_random_moments_never_leaves_a_half_release(project, clean):
    out = project / "build"
    _, reference, seconds = clean
    for fraction in (0.35, 0.7, 0.95):
        proc = subprocess.Popen([KG, "build", "--quiet"], cwd=project, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(seconds * fraction)
        proc.send_signal(signal.SIGKILL)  # the build process only, as the OOM killer would
        proc.wait()
        _kill_group(proc.pid)  # its validation workers (see test_the_workers_of_a_killed_build_exit)
        assert dump_digests(out) == reference, f"killed after {fraction:.0%} of a build: current is not a whole release"
        current = (out / "current").resolve()
        assert (current / "store").is_dir() and (current / "report.json").is_file()
    rebuilt = kg_here("build", "--quiet", cwd=project)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert dump_digests(out) == reference and leftovers(out) == []


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _group(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2:].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_the_workers_of_a_killed_build_exit(project):
    # enough documents for the build to extract them in worker processes (pipeline.PARALLEL_FROM)
    for i in range(80):
        (project / "seeds" / f"letter-{i:02d}.txt").write_text(
            f"Open letter number {i} on the detention of journalists\n\n14 January 2021\n\n"
            f"We urge the government to release the {i + 3} journalists held since 2019.\n\n"
            f"Signed,\nAssociation Number {i} for Press Freedom\nCommittee {i} of Editors\n", encoding="utf-8")
    proc = subprocess.Popen([KG, "build", "--quiet", "--jobs", "2"], cwd=project, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(_group(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # until the validation workers are started
        assert proc.poll() is None, "the build ended before its workers could be seen"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while _group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _group(proc.pid) == [], "the validation workers of the killed build are still there"
    finally:
        _kill_group(proc.pid)


# ------------------------------------------------------------------------------------------
# Two builds at once


def _wait_for_lock(out: Path, pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if (out / ".lock").read_text().startswith(f"pid {pid},"):
                return
        except OSError:
            pass
        time.sleep(0.005)
    raise AssertionError(f"build {pid} never took the lock")


def test_a_second_build_is_refused_while_the_first_holds_the_lock(project, clean):
    out = project / "build"
    before = snapshot(out)
    first = subprocess.Popen([KG, "build", "--quiet"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        _wait_for_lock(out, first.pid)
        first.send_signal(signal.SIGSTOP)  # frozen while holding the lock, before it swaps
        second = kg_process("build", cwd=project)
        assert second.returncode == 3, second.stderr
        message = one_line(second.stderr)
        assert f"another build is running (pid {first.pid}," in message and "wait" in message, message
        assert snapshot(out) == before
    finally:
        first.send_signal(signal.SIGCONT)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert dump_digests(out) == clean[1] and leftovers(out) == []


def test_two_builds_started_together_do_not_interleave(project, clean):
    out = project / "build"
    procs = [subprocess.Popen([KG, "build", "--quiet"], cwd=project, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.pid, *p.communicate(timeout=120), p.returncode) for p in procs]
    codes = sorted(code for *_, code in results)
    assert codes in ([0, 0], [0, 3]), results
    for pid, _, err, code in results:
        if code == 3:
            other = next(p for p, *_ in results if p != pid)
            assert f"another build is running (pid {other}," in one_line(err)
    assert dump_digests(out) == clean[1] and leftovers(out) == []


def test_pruning_keeps_the_current_the_newest_and_the_recent_releases(tmp_path):
    from kg.store import prune

    releases = tmp_path / "releases"
    names = ["20240101T000000-1-000001", "20240102T000000-1-000001", "20240103T000000-1-000001",
             "20240104T000000-1-000001", "20240105T000000-1-000001"]
    for i, name in enumerate(names):
        (releases / name / "store").mkdir(parents=True)
        old = time.time() - (0 if i == 2 else 3600)  # all but the third were written an hour ago
        os.utime(releases / name, (old, old))
    (releases / "20240106T000000-2-000001.partial").mkdir()
    (tmp_path / "current").symlink_to(Path("releases") / names[0])  # an old release, still current
    (tmp_path / ".current-99").symlink_to("releases/nowhere")
    prune(tmp_path)
    left = sorted(p.name for p in releases.iterdir())
    assert left == [names[0], names[2], names[3], names[4]]  # current, recent, the two newest; no partial
    assert not (tmp_path / ".current-99").is_symlink()


def test_build_lock_waits_when_asked(tmp_path):
    from kg.errors import BuildLocked
    from kg.store import build_lock

    held = threading.Event()
    release = threading.Event()

    def holder():
        with build_lock(tmp_path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    with pytest.raises(BuildLocked, match=r"another build is running \(pid \d+, since .*still running after 0.2 s"):
        with build_lock(tmp_path, wait=0.2):
            pass
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    with build_lock(tmp_path, wait=30):
        waited = time.monotonic() - started
    thread.join()
    assert 0.3 < waited < 10


FORKER = """
import os, signal, sys, time
from pathlib import Path
from kg.store import build_lock
with build_lock(Path(sys.argv[1])):
    if os.fork() == 0:
        time.sleep(30)  # a validation worker, still busy
        os._exit(0)
    print("locked", flush=True)
    time.sleep(30)
"""


def test_the_workers_of_a_killed_build_do_not_keep_the_lock(tmp_path):
    from kg.store import build_lock

    parent = subprocess.Popen([sys.executable, "-c", FORKER, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        assert parent.stdout.readline().strip() == "locked"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        with build_lock(tmp_path, wait=5):
            pass
    finally:
        os.killpg(parent.pid, signal.SIGKILL)


def test_kg_build_wait_waits_for_the_other_build(project, clean):
    import fcntl

    out = project / "build"
    handle = open(out / ".lock", "a+")
    fcntl.flock(handle, fcntl.LOCK_EX)
    threading.Timer(1.0, handle.close).start()
    done = kg_process("build", "--quiet", "--wait", "60", cwd=project)
    assert done.returncode == 0, done.stderr
    assert dump_digests(out) == clean[1]


# ------------------------------------------------------------------------------------------
# Readers while builds swap releases in


BUILDER = """
import sys
from pathlib import Path
from kg.config import Settings
from kg.pipeline import build
root, out, *folders = map(Path, sys.argv[1:])
settings = Settings.for_project(root).with_(out=out)
for folder in folders:
    build(settings.with_(seeds=folder))
"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_readers_see_the_old_graph_or_the_new_one_while_builds_swap(project, tmp_path):
    from kg.server.release import ReleaseWatch
    from kg.store import open_store

    out = project / "build"
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    shutil.copy(project / "seeds" / "letter-0.txt", one)
    for p in (project / "seeds").iterdir():
        shutil.copy(p, two)
    graphs = {}
    for folder in (one, two):  # what each graph looks like, to tell the old from the new
        assert kg_here("build", str(folder), "--quiet", cwd=project).exit_code == 0
        store = open_store(out)
        nq = (out / "current" / "dumps" / "graph.nq").read_bytes()
        graphs[folder.name] = (len(store), nq.count(b"\n"))
        del store
    counts = {g[0] for g in graphs.values()}
    lines = {g[1] for g in graphs.values()}
    assert len(counts) == 2

    errors: list[str] = []
    seen: set[int] = set()
    stop = threading.Event()

    def by_path():  # as `kg query` and `kg dump` do: follow the link at each open
        while not stop.is_set():
            try:
                n = int(next(iter(open_store(out).query(COUNT)))["n"].value)
                with open(out / "current" / "dumps" / "graph.nq", "rb") as handle:
                    k = handle.read().count(b"\n")
                if n not in counts or k not in lines:
                    errors.append(f"a mixed graph: {n} quads, {k} dump lines")
                seen.add(n)
            except Exception as err:  # noqa: BLE001
                errors.append(f"{type(err).__name__}: {err}")

    def served():  # as `kg serve` does: one ReleaseWatch, a snapshot per request
        watch = ReleaseWatch(out)
        while not stop.is_set():
            try:
                n = int(next(iter(watch.snapshot().store.query(COUNT)))["n"].value)
                if n not in counts:
                    errors.append(f"a mixed graph served: {n} quads")
                seen.add(n)
            except Exception as err:  # noqa: BLE001
                errors.append(f"served: {type(err).__name__}: {err}")

    readers = [threading.Thread(target=by_path), threading.Thread(target=served)]
    for t in readers:
        t.start()
    builder = subprocess.Popen([sys.executable, "-c", BUILDER, str(project), str(out), *map(str, [one, two] * 3)],
                               cwd=project, stderr=subprocess.PIPE, text=True)
    from urllib.parse import quote, urlparse

    from kg.config import DEFAULT_BASE

    served_path = urlparse(DEFAULT_BASE).path + "sparql?query=" + quote(COUNT)
    commands = [("query", "--sparql", COUNT, "--format", "csv"), ("serve", "--get", served_path, "-H", "Accept: text/csv")]
    queried = []
    while builder.poll() is None:
        done = kg_process(*commands[len(queried) % 2], cwd=project)
        queried.append((done.returncode, done.stdout.splitlines()[-1] if done.stdout else "", done.stderr))
    stop.set()
    for t in readers:
        t.join()
    assert builder.returncode == 0, builder.stderr.read()
    assert errors == [], errors[:5]
    assert seen == counts, "the readers did not see both graphs: no swap happened while they read"
    assert len(queried) >= 2, "kg query and kg serve --get did not both run during the builds"
    for code, value, err in queried:
        assert code == 0 and int(value) in counts, (code, value, err)


# ------------------------------------------------------------------------------------------
# A full disk


def _fail_writing_dumps(store, folder, **kw):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.ttl").write_bytes(b"@prefix half: <urn:x> .\n")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "graph.ttl"))


def _fail_loading(path, chunks, **_):
    raise OSError(f"IO error: No space left on device: While appending to file: {path}/000042.sst: "
                  "No space left on device")


def _fail_writing_segments(folder, *args, **kw):
    return _fail_writing_dumps(None, folder)


def _fail_copying_the_store(source, target):
    target.mkdir()
    (target / "000001.sst").write_bytes(b"half")
    raise OSError(f"IO error: No space left on device: While appending to file: {target}/000001.sst: "
                  "No space left on device")


# A rebuild builds on the last build (copies its store, copies the dumps of unchanged graphs);
# with --full it loads and dumps everything: a full disk is caught on either path.
@pytest.mark.parametrize("where, patch, args", [
    ("kg.pipeline.write_all", _fail_writing_dumps, ("--full",)),
    ("kg.pipeline.segments.write_segmented", _fail_writing_segments, ()),
    ("kg.pipeline.segments.write_segmented", _fail_writing_segments, ("--full",)),
    ("kg.pipeline.load_nquads", _fail_loading, ("--full",)),
    ("kg.pipeline.copy_store", _fail_copying_the_store, ())],
    ids=["writing-dumps-union", "writing-dumps", "writing-dumps-full", "loading-the-store", "copying-the-store"])
def test_a_full_disk_is_one_line_and_loses_nothing(where, patch, args, project, clean, monkeypatch):
    out = project / "build"
    before = snapshot(out)
    monkeypatch.setattr(where, patch)
    if where.endswith("write_all"):  # the dumps of a graph with a triple in two graphs
        monkeypatch.setattr("kg.pipeline._one_graph_each", lambda store, subjects_apart: False)
    result = kg_here("build", *args, cwd=project)
    assert result.exit_code == 3, result.output
    line = one_line(result.stderr)
    assert "disk is full" in line and "previous build is kept" in line and "free some space" in line, line
    assert snapshot(out) == before and leftovers(out) == []
    monkeypatch.undo()
    assert kg_here("build", "--quiet", cwd=project).exit_code == 0
    assert dump_digests(out) == clean[1]


DISK_DRIVER = r"""
import json, os, shutil, subprocess, sys
from pathlib import Path
kg, project, small, big, mount = sys.argv[1:6]
out = Path(mount) / "out"
def run(seeds):
    done = subprocess.run([kg, "build", seeds, "--out", str(out), "--quiet"], cwd=project, capture_output=True, text=True)
    return done.returncode, done.stderr
def snap():
    cur = (out / "current").resolve()
    return {str(p.relative_to(cur)): p.stat().st_size for p in cur.rglob("*") if p.is_file()} | {"->": os.readlink(out / "current")}
result = {"first": run(small)}
before = snap()
free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
with open(Path(mount) / "filler", "wb") as handle:
    handle.truncate(0)
    handle.write(b"\0" * max(0, free - 400_000))
result["full"] = run(big)
result["kept"] = snap() == before
result["leftovers"] = [p.name for p in (out / "releases").iterdir() if p.name.endswith(".partial")]
os.remove(Path(mount) / "filler")
result["after"] = run(big)
print(json.dumps(result))
"""


def _can_mount_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare -Urm and tmpfs mounts (user namespaces)")
def test_a_real_full_disk_during_a_build(project, root, tmp_path):
    """The output folder on a 48 MB tmpfs, filled up to 400 KB before a bigger build."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    small = project / "seeds"
    script = tmp_path / "driver.py"
    script.write_text(DISK_DRIVER, encoding="utf-8")
    done = subprocess.run(["unshare", "-Urm", "sh", "-c",
                           f'mount -t tmpfs -o size=48m tmpfs "{mount}" && exec "{sys.executable}" "{script}" '
                           f'"{KG}" "{project}" "{small}" "{root / "seeds"}" "{mount}"'],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["first"][0] == 0, result
    code, err = result["full"]
    assert code == 3, result
    line = one_line(err)
    assert "disk is full" in line and "previous build is kept" in line, line
    assert result["kept"] and result["leftovers"] == [], result
    assert result["after"][0] == 0, result


def test_a_document_that_cannot_be_read_is_one_line_and_loses_nothing(project, clean, monkeypatch):
    """A seed file the build may not read (its permissions, a failing disk) is named in one
    line, exit 3, before anything is written; the previous build is kept."""
    out = project / "build"
    before = snapshot(out)
    victim = sorted(p for p in (project / "seeds").iterdir() if p.suffix != ".toml")[0]
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == victim.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = kg_here("build", cwd=project)
    assert result.exit_code == 3, result.output
    line = one_line(result.stderr)
    assert victim.name in line and "cannot be read" in line and "Permission denied" in line, line
    assert snapshot(out) == before and leftovers(out) == []
