"""Stage 6, store: the embedded Oxigraph store, built in a new folder and swapped in whole.

A build writes ``OUT/releases/<name>/`` (store and dumps), then points the symlink
``OUT/current`` at it with one atomic rename.  A failed or killed build leaves ``current``
as it was.  One build at a time: a second is refused while the lock is held.
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

from .errors import BuildLocked, InputError, KgError, StoreError

KEEP_RELEASES = 2  # the current release and the one before it


@contextmanager
def build_lock(out: Path):
    """Hold ``OUT/.lock`` for the length of a build; refuse if another build holds it."""
    _make_dir(out)
    path = out / ".lock"
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise BuildLocked(f"{out}: another build is running ({holder})",
                          hint="wait for it to finish, then build again") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"{path}: cannot create the output folder: {err.strerror}") from None


def new_release(out: Path) -> Path:
    """A fresh, empty release folder (not yet visible as ``current``)."""
    releases = out / "releases"
    _make_dir(releases)
    name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    path = releases / (name + ".partial")
    path.mkdir()
    return path


def load_nquads(store_path: Path, chunks) -> ox.Store:
    """Bulk-load N-Quads text chunks into a new on-disk store."""
    store = ox.Store(str(store_path))
    for chunk in chunks:
        if chunk:
            try:
                store.bulk_load(chunk.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            except SyntaxError as err:
                raise KgError(f"internal error: generated N-Quads do not parse: {err}") from None
    store.optimize()
    store.flush()
    return store


def publish(out: Path, partial: Path, failpoint=lambda stage: None) -> Path:
    """Make a complete release the current one, atomically; prune old releases."""
    final = partial.with_name(partial.name[: -len(".partial")])
    os.rename(partial, final)
    failpoint("swap-renamed")
    link = out / "current"
    tmp = out / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("releases") / final.name, tmp)
    os.replace(tmp, link)
    _fsync_dir(out)
    prune(out)
    return final


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(out: Path) -> None:
    """Remove partial releases left by killed builds and all but the newest complete ones."""
    releases = out / "releases"
    if not releases.is_dir():
        return
    current = (out / "current").resolve() if (out / "current").exists() else None
    done = sorted(p for p in releases.iterdir() if not p.name.endswith(".partial"))
    for path in releases.iterdir():
        if path.name.endswith(".partial"):
            shutil.rmtree(path, ignore_errors=True)
    for path in done[:-KEEP_RELEASES]:
        if path.resolve() != current:
            shutil.rmtree(path, ignore_errors=True)


def discard(partial: Path) -> None:
    shutil.rmtree(partial, ignore_errors=True)


def open_store(out: Path) -> ox.Store:
    """The current release's store, read-only."""
    path = out / "current" / "store"
    if not path.is_dir():
        raise StoreError(f"{out}: no built graph here", hint="run 'kg build' first")
    try:
        return ox.Store.read_only(str(path.resolve()))
    except OSError as err:
        raise StoreError(f"{path}: the store cannot be opened: {str(err).splitlines()[0]}",
                         hint="run 'kg build' to make a new one") from None


def is_disk_full(err: OSError) -> bool:
    return err.errno in (errno.ENOSPC, errno.EDQUOT)
