"""Small caches for warm library use: the work a second call with the same inputs
would only repeat (a catalog parsed again, an edition made again).

Every cache here is bounded (least recently used first out), safe to use from
many threads (one lock per cache, held only to look up and to store: a value
is computed outside it, so two threads may compute the same value once each,
and both get equal values), and keyed on everything its value depends on:

* a file by its identity *and* its bytes (:func:`file_key`): the device,
  inode, size and modification time of the open file, and the SHA-256 of the
  bytes read from it, so that a file saved between two calls, even within
  the same tick of the clock and at the same size, is read again;
* an immutable object (a :class:`~statementpub.model.Statement`, an edition)
  by its identity (:class:`IdentityCache`): the cache holds the object, so its
  ``id`` is not given to another object while the entry lives. Statements and
  editions are frozen: an object's identity stands for its content.

A leaf module: it imports nothing of statementpub.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["LRU", "FileKey", "IdentityCache", "NotRegularFile", "file_key", "read_file"]

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")
_O = TypeVar("_O")


class LRU(Generic[_K, _V]):
    """A thread-safe mapping of at most ``maxsize`` entries, least recently used
    first out."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[_K, _V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _K) -> _V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: _K, value: _V) -> _V:
        """Store ``value`` (unless another thread stored one first: that one is
        kept and returned, so that every caller shares one object)."""
        with self._lock:
            existing = self._entries.get(key)
            if existing is not None:
                self._entries.move_to_end(key)
                return existing
            self._entries[key] = value
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
            return value

    def get_or_make(self, key: _K, make: Callable[[], _V]) -> _V:
        found = self.get(key)
        return found if found is not None else self.put(key, make())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class IdentityCache(Generic[_O, _V]):
    """Values computed from immutable objects, keyed by the object's identity (and
    ``extra``, hashable parts of the key). Holds each object, so that its id
    cannot be reused by another object while its entry is cached."""

    def __init__(self, maxsize: int) -> None:
        self._lru: LRU[tuple[int, Hashable], tuple[_O, _V]] = LRU(maxsize)

    def get_or_make(self, obj: _O, make: Callable[[], _V], extra: Hashable = ()) -> _V:
        key = (id(obj), extra)
        found = self._lru.get(key)
        if found is not None and found[0] is obj:
            return found[1]
        value = make()
        if found is not None:  # pragma: no cover - an id reused: cannot happen while held
            return value
        return self._lru.put(key, (obj, value))[1]

    def clear(self) -> None:
        self._lru.clear()

    def __len__(self) -> int:
        return len(self._lru)


@dataclass(frozen=True, slots=True)
class FileKey:
    """What a file's contents are known by: its path, its identity on the file
    system when it was read, and the SHA-256 (hex) of the bytes read."""

    path: Path
    device: int
    inode: int
    size: int
    mtime_ns: int
    sha256: str


def read_file(path: Path, limit: int | None = None) -> tuple[bytes, FileKey]:
    """The bytes of the regular file ``path`` (at most ``limit + 1`` of them) and
    their :class:`FileKey`, whose identity is that of the file opened.

    :raises OSError: the file cannot be opened or read.
    :raises NotRegularFile: ``path`` is not a regular file (a folder, a device,
        a pipe: checked before it is opened, so that a pipe does not block).
    """
    if not stat.S_ISREG(path.stat().st_mode):
        raise NotRegularFile(path)
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # pragma: no cover - replaced since the stat
            raise NotRegularFile(path)
        data = handle.read() if limit is None else handle.read(limit + 1)
    return data, file_key(path, info, data)


class NotRegularFile(Exception):
    """A path that :func:`read_file` refuses to read: not a regular file."""


def file_key(path: Path, info: os.stat_result, data: bytes) -> FileKey:
    """The :class:`FileKey` of ``data``, read from ``path`` whose status is ``info``."""
    return FileKey(path, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns,
                   hashlib.sha256(data).hexdigest())
