"""Stage 6, store: the embedded Oxigraph store, built in a new folder and swapped in whole.

A build writes ``OUT/releases/<name>.partial/`` (store and dumps), syncs it to disk, renames it
to ``OUT/releases/<name>/`` and then points the symlink ``OUT/current`` at it with one atomic
rename.  A failed, killed or out-of-space build leaves ``current`` as it was; what it left
behind is removed by the next build.  One build at a time: ``OUT/.lock`` is held for the whole
build, and a second build is refused (or waits, with ``wait``) while it is held.

Readers (``kg query``, ``kg dump``, the web server) follow ``current`` when they open the
store, so they see the old release or the new one, never a mix; a reader that loses a race
with a swap (its release pruned as it opens it) follows the link again.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> with build_lock(out):
...     partial = new_release(out)
...     store = load_nquads(partial / "store", ["<urn:s> <urn:p> <urn:o> <urn:g> .\\n"])
...     del store
...     release = publish(out, partial)
>>> len(open_store(out))
1
>>> open_store(out / "elsewhere")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.StoreError: ...elsewhere: no built graph here (run 'kg build' first)
>>> shutil.rmtree(out)
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .errors import BuildLocked, KgError, StoreError

KEEP_RELEASES = 2  # the current release and the one before it
PRUNE_GRACE = 60.0  # seconds: a release written this recently is kept (a reader may still be in it)
LOCK_NAME = ".lock"
PARTIAL = ".partial"
DISK_FULL_WORDS = ("No space left on device", "Disk quota exceeded")
LOAD_BATCH_BYTES = 64 * 2**20


# ------------------------------------------------------------------------------------------
# The build lock

_HELD: set[int] = set()  # descriptors of the locks this process holds (see _drop_locks_in_child)


def _drop_locks_in_child() -> None:
    """A forked child (the validation workers) must not keep the build lock: an ``flock``
    belongs to the open file, which a child shares, so a killed build's workers would hold
    the lock until they exit.  Point the child's copies at /dev/null instead."""
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        for fd in _HELD:
            os.dup2(null, fd)
    finally:
        os.close(null)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_locks_in_child)


@contextmanager
def build_lock(out: Path, *, wait: float = 0.0):
    """Hold ``OUT/.lock`` for the length of a build.

    Another build holding it is waited for up to ``wait`` seconds, then refused with a
    :class:`BuildLocked` error naming it.  The lock is an ``flock``: the kernel releases it
    when its holder exits, however it exits (``kill -9`` included), so no stale lock is left;
    the processes it forks do not inherit it (:func:`_drop_locks_in_child`).
    """
    _make_dir(out)
    path = out / LOCK_NAME
    try:
        handle = open(path, "a+")
    except OSError as err:
        raise StoreError(f"{path}: cannot open the build lock: {err.strerror or err}",
                         hint=f"remove {path} if it is not a file, then build again") from None
    locked = False
    try:
        _acquire(handle, out, wait)
        locked = True
        _HELD.add(handle.fileno())
        _note_holder(handle)
        check_current_link(out)
        yield
    finally:
        _HELD.discard(handle.fileno())
        try:
            if locked:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()


def _acquire(handle, out: Path, wait: float) -> None:
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                holder = _holder_soon(out) or "another process"
                hint = ("wait for it to finish, then build again" if wait <= 0 else
                        f"it was still running after {wait:g} s; wait for it to finish, then build again")
                raise BuildLocked(f"{out}: another build is running ({holder})", hint=hint) from None
            time.sleep(min(0.1, remaining))


def _note_holder(handle) -> None:
    """Write who holds the lock, for the message a second build prints.  Best effort: a full
    disk must not stop a build here (it is reported where the build writes its data)."""
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
    except OSError:
        pass


def check_current_link(out: Path) -> None:
    """Refuse at once (not after the whole build) when ``OUT/current`` is not a link."""
    link = out / "current"
    if os.path.lexists(link) and not link.is_symlink():
        raise StoreError(f"{link}: is not the link a build makes (a folder or file is in its place)",
                         hint=f"move {link} away, then build again")


def _holder_soon(out: Path, patience: float = 1.0) -> str | None:
    """The lock's holder, allowing it a moment to write its note: a build that has just taken the
    lock writes who it is right after, and a second build may look in between."""
    deadline = time.monotonic() + patience
    while True:
        holder = lock_holder(out)
        if holder or time.monotonic() >= deadline:
            return holder
        time.sleep(0.02)


def lock_holder(out: Path) -> str | None:
    """What the lock file says about the build holding it (``pid N, since ...``)."""
    try:
        text = (out / LOCK_NAME).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    return " ".join(text.split())[:200] or None


def _make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"{path}: is a file, not a folder", hint="give another --out folder") from None
    except OSError as err:
        raise as_write_error(err, path, "cannot create the output folder") from None


# ------------------------------------------------------------------------------------------
# Writing a release


def new_release(out: Path) -> Path:
    """A fresh, empty release folder (not yet visible as ``current``)."""
    releases = out / "releases"
    _make_dir(releases)
    name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    path = releases / (name + PARTIAL)
    try:
        path.mkdir()
    except OSError as err:
        raise as_write_error(err, out, "cannot write the build") from None
    return path


def load_nquads(store_path: Path, chunks, *, optimize: bool = False, lenient: bool = False) -> ox.Store:
    """Bulk-load N-Quads into a new on-disk store: text chunks, or an N-Quads file (a
    :class:`Path`), which is loaded in one call, as Oxigraph's own bulk loader would.

    ``optimize`` compacts the store's files after the load; a bulk load already writes sorted
    files, and compacting them took longer than the load itself (12.4 s against 1.6 s for 100
    documents), for queries no faster that we could measure, so it is off by default.

    An I/O failure of the store (a full disk) is raised as :class:`OSError` with its errno,
    so that the caller can tell a full disk from other failures.  ``lenient`` skips the
    checks of IRIs and language tags (a tenth of the load's time), for a file that is checked
    by another load of it.
    """
    try:
        store = ox.Store(str(store_path))
        _bulk_load(store, chunks, lenient=lenient)
        if optimize:
            store.optimize()
        store.flush()
    except OSError as err:
        raise _with_errno(err) from None
    return store


def load_memory(chunks) -> ox.Store:
    """The same N-Quads (chunks or a file) in an in-memory store.  Validation and dumps read it
    several times faster than the on-disk store (5x for validation, 2-3x for dumps at 1,000
    documents), and the dumps it writes are ordered by its content alone: byte-identical across
    builds.  It takes about 350 bytes a quad (2.6 GiB for 7.6M quads)."""
    store = ox.Store()
    _bulk_load(store, chunks)
    return store


def _bulk_load(store: ox.Store, source, *, lenient: bool = False) -> None:
    try:
        if isinstance(source, Path):
            store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS, lenient=lenient)
        else:
            for batch in _batches(source):
                store.bulk_load(batch, format=ox.RdfFormat.N_QUADS)
    except SyntaxError as err:
        raise KgError(f"internal error: generated N-Quads do not parse: {err}") from None


def _batches(chunks, size: int = LOAD_BATCH_BYTES):
    """Chunks joined into batches of about ``size`` bytes: each bulk load writes its own files
    (about 0.1 s each), so one call per document would make loading thousands of small
    documents slow; one call for everything would hold the whole graph twice in memory."""
    pending: list[bytes] = []
    held = 0
    for chunk in chunks:
        if not chunk:
            continue
        data = chunk.encode("utf-8")
        pending.append(data if data.endswith(b"\n") else data + b"\n")
        held += len(data)
        if held >= size:
            yield b"".join(pending)
            pending, held = [], 0
    if pending:
        yield b"".join(pending)


def _with_errno(err: OSError) -> OSError:
    """pyoxigraph reports RocksDB I/O errors as OSError without an errno: restore it."""
    if err.errno is None and is_disk_full(err):
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(err).splitlines()[0])
    return err


def publish(out: Path, partial: Path, failpoint=lambda stage: None) -> Path:
    """Make a complete release the current one, atomically; prune old releases.

    Before the swap the release is synced to disk, so that ``current`` never points at a
    release that a power cut could leave half-written.
    """
    check_current_link(out)
    _fsync_tree(partial)
    final = partial.with_name(partial.name[: -len(PARTIAL)])
    os.rename(partial, final)
    failpoint("swap-renamed")
    link = out / "current"
    tmp = out / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("releases") / final.name, tmp)
    os.replace(tmp, link)
    _fsync_dir(out)
    try:
        prune(out)
    except OSError:
        pass  # the new release is in place; what is left over goes at the next build
    return final


def _fsync_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(out: Path, *, grace: float = PRUNE_GRACE) -> None:
    """Remove what killed builds left (partial releases, temporary links) and all but the
    newest complete releases; a release written less than ``grace`` seconds ago is kept too,
    so that a reader that opened it just before two quick builds is not cut off.  Call it only
    while holding the build lock."""
    for stale in out.glob(".current-*"):
        if stale.is_symlink():
            stale.unlink(missing_ok=True)
    releases = out / "releases"
    if not releases.is_dir():
        return
    current = (out / "current").resolve() if (out / "current").exists() else None
    done = sorted(p for p in releases.iterdir() if not p.name.endswith(PARTIAL))
    for path in releases.iterdir():
        if path.name.endswith(PARTIAL):
            shutil.rmtree(path, ignore_errors=True)
    now = time.time()
    for path in done[:-KEEP_RELEASES]:
        if path.resolve() != current and now - path.stat().st_mtime >= grace:
            shutil.rmtree(path, ignore_errors=True)


def discard(partial: Path) -> None:
    shutil.rmtree(partial, ignore_errors=True)


# ------------------------------------------------------------------------------------------
# Reading the current release


def current_release(out: Path) -> Path:
    """The folder of the release ``OUT/current`` points at; a one-line error when there is none."""
    link = out / "current"
    if not os.path.lexists(link):
        raise StoreError(f"{out}: no built graph here", hint="run 'kg build' first")
    try:
        target = Path(os.path.realpath(link, strict=True))
    except OSError:  # a dangling link or a loop
        raise StoreError(f"{link}: points to a release that is not there",
                         hint="run 'kg build' to make a new one") from None
    if not (target / "store").is_dir():
        raise StoreError(f"{link}: holds no store", hint="run 'kg build' to make a new one")
    return target


def open_store(out: Path) -> ox.Store:
    """The current release's store, read-only.

    A build may swap ``current`` (and prune the release it pointed at) while this opens it:
    then the link is followed again, so the caller gets the old graph or the new one.
    """
    for attempt in range(3):
        target = current_release(out)
        try:
            return ox.Store.read_only(str(target / "store"))
        except (OSError, RuntimeError) as err:
            if attempt < 2 and _moved(out, target):
                continue
            raise as_store_error(err, target / "store") from None
    raise AssertionError("unreachable")  # pragma: no cover


def _moved(out: Path, target: Path) -> bool:
    try:
        return Path(os.path.realpath(out / "current", strict=True)) != target or not target.is_dir()
    except OSError:
        return True


def is_store_failure(err: BaseException) -> bool:
    """An error pyoxigraph raises when the files of a store are damaged or unreadable."""
    if isinstance(err, (OSError, RuntimeError)):
        return str(err).lstrip().startswith(("Corruption", "IO error"))
    return False


def as_store_error(err: BaseException, path: Path) -> StoreError:
    """A one-line :class:`StoreError` for a damaged or unreadable store."""
    first = (str(err).splitlines() or [type(err).__name__])[0].strip()
    if len(first) > 160:
        first = first[:157] + "..."
    damaged = first.startswith("Corruption") or isinstance(err, RuntimeError)
    what = "the store is damaged" if damaged else "the store cannot be opened"
    return StoreError(f"{path}: {what}: {first}", hint="run 'kg build' to make a new one")


@contextmanager
def reading(out: Path):
    """Turn a damaged store found while reading (a query, a dump) into a one-line error::

        with reading(settings.out):
            results = run_local(open_store(settings.out), ...)
    """
    try:
        yield
    except (OSError, RuntimeError) as err:
        if not is_store_failure(err):
            raise
        raise as_store_error(err, out / "current" / "store") from None


def as_write_error(err: OSError, out: Path, doing: str) -> StoreError:
    """A one-line :class:`StoreError` for a failed write: a full disk is named as such."""
    if is_disk_full(err):
        return StoreError(f"{out}: the disk is full; the previous build is kept",
                          hint="free some space and build again")
    return StoreError(f"{out}: {doing}: {err.strerror or str(err).splitlines()[0]}",
                      hint="give an output folder that can be written to (--out)")


def is_disk_full(err: BaseException) -> bool:
    """True for a write that failed because the disk (or the quota) is full."""
    if getattr(err, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return True
    return any(words in str(err) for words in DISK_FULL_WORDS)
