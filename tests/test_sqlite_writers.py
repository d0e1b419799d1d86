"""SQLite's writers take turns on the host's lock (feedback/sqlite_writers.py).

SQLite's own busy handler is switched off here (busy_timeout 0): a write that
did not wait for its turn would fail at once with "database is locked"."""
from __future__ import annotations

import multiprocessing
import threading
import time
import zlib

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import IntegrityError, OperationalError

from feedback import sqlite_writers

pytestmark = pytest.mark.own_sqlite


def engine_at(tmp_path, timeout: float = 10):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.db'}")

    @event.listens_for(engine, "connect")
    def _no_busy_handler(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout = 0")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")

    sqlite_writers.take_turns(engine, timeout)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    return engine


def insert(conn, value: str) -> None:
    conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": value})


def values(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT v FROM t ORDER BY id")))


def in_thread(work) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_a_writer_waits_for_the_turn_and_writes_when_the_writer_before_commits(tmp_path):
    engine = engine_at(tmp_path)
    order, failures = [], []

    def second():
        try:
            with engine.begin() as conn:
                insert(conn, "second")
            order.append("second wrote")
        except OperationalError as error:   # what SQLite says to a writer that did not wait
            failures.append(str(error))

    with engine.begin() as conn:
        insert(conn, "first")
        thread = in_thread(second)
        thread.join(0.3)            # it is waiting, not failing
        order.append("first commits")
    thread.join(10)
    assert failures == []
    assert order == ["first commits", "second wrote"]
    assert values(engine) == ["first", "second"]


def test_reads_do_not_wait_for_the_turn(tmp_path):
    engine = engine_at(tmp_path)
    seen = []
    with engine.begin() as conn:
        insert(conn, "being written")
        thread = in_thread(lambda: seen.append(values(engine)))
        thread.join(10)
        assert seen == [[]]          # read while the writer held the turn


def test_the_turn_ends_with_a_failed_transaction(tmp_path):
    engine = engine_at(tmp_path, timeout=2)
    with engine.begin() as conn:
        insert(conn, "taken")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        insert(conn, "taken")
    with engine.begin() as conn:     # would wait 2 s and then fail if the turn were kept
        insert(conn, "next")
    assert values(engine) == ["taken", "next"]


def test_a_writer_that_waited_past_the_timeout_goes_on_and_sqlite_decides(tmp_path):
    engine = engine_at(tmp_path, timeout=0.2)
    with engine.begin() as conn:
        insert(conn, "long writer")
        with pytest.raises(OperationalError, match="locked"), engine.begin() as other:
            insert(other, "impatient")
    with engine.begin() as conn:     # the turn was given back by its holder only
        insert(conn, "after")
    assert values(engine) == ["long writer", "after"]


def test_a_second_connection_of_the_holder_does_not_wait_for_itself(tmp_path):
    """Its write goes to SQLite at once, which refuses it (the first holds the
    database): the holder is not left waiting for its own turn until the timeout."""
    engine = engine_at(tmp_path, timeout=60)
    with engine.begin() as conn:
        insert(conn, "first")
        started = time.monotonic()
        with pytest.raises(OperationalError, match="locked"), engine.begin() as other:
            insert(other, "same thread")
        assert time.monotonic() - started < 30      # not the 60 s of the turn's timeout
    assert values(engine) == ["first"]


def _hold_turn(turn, held, done) -> None:
    if turn.take():
        held.set()
        done.wait(10)


def test_a_forked_process_holds_the_turn_on_its_own(tmp_path):
    """gunicorn forks its workers from a process that may have written: a
    worker must not share that process's lock file (and so its lock)."""
    turn = sqlite_writers.Turn(str(tmp_path / "w.db"), timeout=0.3)
    assert turn.take()
    turn.give_back()
    fork = multiprocessing.get_context("fork")
    held, done = fork.Event(), fork.Event()
    child = fork.Process(target=_hold_turn, args=(turn, held, done))
    child.start()
    assert held.wait(10)
    assert turn.take() is False       # the child's turn
    done.set()
    child.join(10)
    assert turn.take() is True        # given back when the child ended
    turn.give_back()


def note(log, line: str) -> None:
    """Appended at once (no buffer), so the file's order is the order of events."""
    with open(log, "a") as file:
        file.write(line + "\n")


def _hold_key(turn, key, held, done, log) -> None:
    with turn.one_at_a_time(key):
        held.set()
        done.wait(10)
        note(log, "child leaves")


def other_key(key: str) -> str:
    """A key that does not share `key`'s lock."""
    byte = zlib.crc32(key.encode()) % sqlite_writers.KEYS
    return next(k for i in range(1000) if zlib.crc32((k := f"{key}-{i}").encode())
                % sqlite_writers.KEYS != byte)


def test_work_on_one_key_waits_for_another_process_holding_it_and_no_other(tmp_path):
    """One sender's messages, handled by two gunicorn workers: one at a time."""
    turn = sqlite_writers.Turn(str(tmp_path / "w.db"), timeout=10)
    fork = multiprocessing.get_context("fork")
    held, done, log = fork.Event(), fork.Event(), tmp_path / "log"
    key = "sms-sender:+84912345678"
    child = fork.Process(target=_hold_key, args=(turn, key, held, done, log))
    child.start()
    assert held.wait(10)
    with turn.one_at_a_time(other_key(key)):
        note(log, "other key entered")         # while the child holds its key
    threading.Timer(0.3, done.set).start()
    with turn.one_at_a_time(key):
        note(log, "same key entered")
    child.join(10)
    assert log.read_text().splitlines() == [
        "other key entered", "child leaves", "same key entered"]
