"""The release being served: ``OUT/current`` is followed on every request, so that a new build
(which swaps the symlink atomically) is served from the next request on, without a restart.

>>> ReleaseWatch(Path("/nonexistent")).snapshot()
Traceback (most recent call last):
...
kg.errors.StoreError: /nonexistent: no built graph here (run 'kg build' first)
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError


@dataclass(frozen=True)
class Snapshot:
    """One release: its folder and its store, opened read-only."""

    path: Path
    store: ox.Store

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def dumps(self) -> Path:
        return self.path / "dumps"

    @property
    def name(self) -> str:
        return self.path.name


class ReleaseWatch:
    """Follows ``OUT/current``; re-opens the store when the link points to a new release."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def target(self) -> Path:
        link = self.out / "current"
        target = Path(os.path.realpath(link))
        if not (target / "store").is_dir():
            raise StoreError(f"{self.out}: no built graph here", hint="run 'kg build' first")
        return target

    def snapshot(self) -> Snapshot:
        """The current release, opening its store if it changed since the last request."""
        target = self.target()
        current = self._snapshot
        if current is not None and current.path == target:
            return current
        with self._lock:
            if self._snapshot is None or self._snapshot.path != target:
                self._snapshot = Snapshot(target, _open(target / "store"))
            return self._snapshot


def _open(path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"{path}: the store cannot be opened: {str(err).splitlines()[0]}",
                         hint="run 'kg build' to make a new one") from None
