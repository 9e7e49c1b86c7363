"""Bounded in-process memos of pure, per-content work.

A history walk scans a hundred trees that differ in a few files; the LSP server scans the same
tree again and again. What depends only on one file's content (its cached engine payload, the
functions it defines, the names it imports, the frameworks it uses) or only on one snippet is
computed once per process and kept in a :class:`LRU`: least recently used entries go first,
and both the number of entries and their (estimated) bytes are capped, so a long-running
server keeps a bounded memory. Every memo is keyed by everything its value depends on (a
content digest, the text itself, a cache context): nothing is ever invalidated by hand.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Generic, Hashable, TypeVar

V = TypeVar("V")
_MISSING = object()

#: Every LRU made here (``clear_all`` empties them: tests, ``fairlint cache clear``).
_ALL: list["LRU"] = []


class LRU(Generic[V]):
    """A thread-safe least-recently-used map bounded by entries and by bytes (``size(key,
    value)`` estimates an entry's bytes; by default each entry counts one byte)."""

    def __init__(self, max_entries: int, max_bytes: int = 0,
                 size: Callable[[Hashable, Any], int] | None = None) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size = size or (lambda key, value: 1)
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        _ALL.append(self)

    def get(self, key: Hashable, default: Any = None) -> V | Any:
        with self._lock:
            found = self._data.get(key, _MISSING)
            if found is _MISSING:
                self.misses += 1
                return default
            self._data.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: Hashable, value: V) -> None:
        nbytes = self._size(key, value)
        if self.max_bytes and nbytes > self.max_bytes:
            return  # never worth holding: it would push everything else out
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._data[key] = (value, nbytes)
            self._bytes += nbytes
            while self._data and (len(self._data) > self.max_entries
                                  or (self.max_bytes and self._bytes > self.max_bytes)):
                _, (_, dropped) = self._data.popitem(last=False)
                self._bytes -= dropped

    def get_or(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The memoised value of ``key``, computed (outside the lock) on a miss."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            self.put(key, value)
        return value

    def pop(self, key: Hashable) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def nbytes(self) -> int:
        return self._bytes


def text_size(key: Hashable, value: Any) -> int:
    """Bytes of an entry keyed by a text (or a tuple holding texts), plus a little for the value."""
    parts = key if isinstance(key, tuple) else (key,)
    return sum(len(p) for p in parts if isinstance(p, str)) + 200


def clear_all() -> None:
    for memo in _ALL:
        memo.clear()
