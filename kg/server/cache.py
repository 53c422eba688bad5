"""Rendered answers kept in memory, keyed by release: a release never changes once built, so an
answer stays right until ``OUT/current`` points to another release (whose key differs).

>>> cache = ResponseCache(max_bytes=40)
>>> cache.get_or_make(("r1", "a"), lambda: b"12345678")
b'12345678'
>>> cache.get_or_make(("r1", "a"), lambda: b"other")
b'12345678'
>>> for key in "bcde":
...     _ = cache.get_or_make(("r1", key), lambda: b"abcdefghij")
>>> sorted(k for _, k in cache.entries), cache.size
(['b', 'c', 'd', 'e'], 40)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable


class ResponseCache:
    """A least-recently-used cache, bounded by the sizes of its values (bytes); thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.size = 0
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Any], size: Callable[[Any], int] = len) -> Any:
        """The cached value, or ``make()`` (kept unless it is larger than a quarter of the cache)."""
        with self._lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key][0]
        value = make()
        self._put(key, value, size(value))
        return value

    def _put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self.entries:
                return
            self.entries[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, old) = self.entries.popitem(last=False)
                self.size -= old
