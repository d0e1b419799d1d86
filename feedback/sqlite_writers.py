"""SQLite's writers take turns on a lock of the host's, not in SQLite's busy handler.

SQLite lets one transaction write at a time. A writer that finds the database
locked calls the busy handler, which sleeps in growing steps (1, 2, 5, 10 … 100
ms) and tries again: under a burst of webhooks the lock is often free while every
waiter sleeps, and the unlucky ones wait longest. So a transaction's first write
first takes its turn: the threads of a process queue on a lock of the process's
own, and the process that is next waits on a lock file beside the database
(fcntl, shared by every process on the host, dropped by the kernel if a process
dies) in steps of half a millisecond. The turn ends with the transaction.

A writer that has not had its turn after the busy timeout goes on without it,
and SQLite decides, as before; so does a second connection of a thread that
holds the turn (it would wait for itself). PostgreSQL is left alone.

The same file serialises the work on one thing that has no row to lock (one
sender's SMS thread) across the host's processes: a byte of it per key, so
that such work reads and decides outside the writers' turn (`one_at_a_time`).
"""
from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

STEP = 0.0005        # seconds between two tries of the lock file
KEYS = 64            # keys share this many locks (bytes of the lock file)
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class Turn:
    """The writers' turn on one database file, for this process."""

    def __init__(self, path: str, timeout: float):
        self.path, self.timeout = path + "-writer", timeout
        self._threads = threading.Lock()
        self._keys = [threading.Lock() for _ in range(KEYS)]
        self._fd, self._pid = -1, 0
        self._holder: int | None = None     # the thread holding the writers' turn

    def _file(self) -> int:
        """The lock file, opened by this process: a forked worker must not share
        the open file (and so the lock) of the process it was forked from."""
        if self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
            weakref.finalize(self, os.close, self._fd)
        return self._fd

    def _wait(self, threads: threading.Lock, lock_file: Callable[[], None]) -> bool:
        """Take `threads`, then the lock file's lock; False if the timeout passed first."""
        deadline = time.monotonic() + self.timeout
        if not threads.acquire(timeout=self.timeout):
            return False
        while True:
            try:
                lock_file()
                return True
            except (BlockingIOError, PermissionError):
                if time.monotonic() >= deadline:
                    threads.release()
                    return False
                time.sleep(STEP)

    def take(self) -> bool:
        """Wait for the writers' turn; False if the timeout passed first, or
        at once if this thread holds it already."""
        if self._holder == threading.get_ident():
            return False
        taken = self._wait(self._threads,
                           lambda: fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB))
        if taken:
            self._holder = threading.get_ident()
        return taken

    def give_back(self) -> None:
        self._holder = None
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    @contextmanager
    def one_at_a_time(self, key: str) -> Iterator[None]:
        """Hold `key` (shared with the keys of the same byte) for the block,
        or go on without it after the timeout."""
        byte = zlib.crc32(key.encode()) % KEYS   # a byte's lock is apart from the file's
        held = self._wait(self._keys[byte], lambda: fcntl.lockf(
            self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, byte))
        try:
            yield
        finally:
            if held:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, byte)
                self._keys[byte].release()


class _Cursor(sqlite3.Cursor):
    def execute(self, sql, parameters=()):
        self.connection.before(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql, seq_of_parameters):
        self.connection.before(sql)
        return super().executemany(sql, seq_of_parameters)


class Connection(sqlite3.Connection):
    """A connection whose first write of a transaction waits for the turn."""

    turn: Turn | None = None
    _holding = False

    def cursor(self, factory=_Cursor):
        return super().cursor(factory)

    def before(self, sql: str) -> None:
        if (self.turn is not None and not self._holding and not self.in_transaction
                and _WRITE.match(sql)):
            self._holding = self.turn.take()

    def _end(self) -> None:
        if self._holding:
            self._holding = False
            self.turn.give_back()

    def commit(self):
        try:
            super().commit()
        finally:
            self._end()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._end()

    def close(self):
        try:
            super().close()
        finally:
            self._end()


_turns: weakref.WeakKeyDictionary[Engine, Turn] = weakref.WeakKeyDictionary()


def turn_of(engine: Engine) -> Turn | None:
    return _turns.get(engine)


def take_turns(engine: Engine, timeout: float) -> None:
    """Make the writers of `engine`'s database file take turns (see above)."""
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    turn = _turns[engine] = Turn(os.path.abspath(path), timeout)

    @event.listens_for(engine, "do_connect")
    def _factory(_dialect, _record, _cargs, cparams):
        cparams["factory"] = Connection

    @event.listens_for(engine, "connect")
    def _bind(dbapi_connection, _record):
        dbapi_connection.turn = turn
