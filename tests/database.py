"""The test database: its URL per test process, and the helpers that keep it
between tests (tests/conftest.py): the schema is made once per session, and
each test starts from the organisation data and nothing else (every other
table emptied before it; the organisation tables put back after a test that
changed them). Recreating the schema and reloading the data file for every test
cost ~0.4 s a test; emptying the tables costs a few milliseconds.
"""
from __future__ import annotations

import os
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import Table, bindparam, create_engine, delete, event, make_url, select, text
from sqlalchemy.exc import SQLAlchemyError

from feedback.extensions import db as _db
from feedback.models.public import NOT_MODELS


def database_url(tmp_path_factory, worker: str = "master") -> str:
    """SQLite in the session's own folder, or TEST_DATABASE_URL: as it is for a
    single process, with the worker's name appended (made if missing) when
    pytest-xdist runs the suite in several."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if worker == "master":
        return url
    own = make_url(url)
    own = own.set(database=f"{own.database}_{worker}")
    server = create_engine(own.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    server.dispose()
    return own.render_as_string(hide_password=False)


def redis_test_url(worker: str = "master") -> str | None:
    """TEST_REDIS_URL, or under pytest-xdist a database of its own per worker
    (15 for the first, then 14, 13…)."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url or worker == "master":
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) - int(worker.removeprefix('gw'))}"


def drop_everything(db=_db) -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def reset_schema() -> None:
    """Empty database with the current schema (faster than migrations)."""
    drop_everything()
    _db.create_all()


# What the organisation data file loads (services/orgdata.py): kept between
# tests. Every other table, including any added later, is emptied before each test.
ORG_TABLES = frozenset({
    "units", "hotlines", "hotline_numbers", "legal_kinds", "categories", "procedures",
    "keyword_rules", "calendar_days", "org_settings",
})


def org_tables() -> list[Table]:
    """The organisation tables, referenced tables first."""
    missing = ORG_TABLES - set(_db.metadata.tables)
    assert not missing, f"ORG_TABLES names tables the models no longer have: {missing}"
    return [t for t in _db.metadata.sorted_tables if t.name in ORG_TABLES]


def working_tables() -> list[Table]:
    """Every other table, referencing tables first (the order to delete in)."""
    return [t for t in reversed(_db.metadata.sorted_tables) if t.name not in ORG_TABLES]


@contextmanager
def transaction():
    """engine.begin(), with an explicit BEGIN on SQLite: pysqlite would otherwise
    run the trigger DDL of `empty_tables` outside the transaction."""
    with _db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        yield conn


def empty_tables(conn, tables: list[Table]) -> None:
    """DELETE every row of `tables` (given referencing tables first); those
    already empty, most of them after a test, are left alone.

    The tables' own triggers are off meanwhile: audit_log refuses DELETE.
    TRUNCATE would skip them on PostgreSQL, but costs ~45 ms for the ~20 tables
    against ~5 ms for DELETE; DELETE checks each row's foreign keys, though, so
    there it takes 0.7 s after a test that made 3,000 demo cases, and TRUNCATE
    takes over from `MANY_ROWS` rows in a table. Ids restart at max(id) + 1, as
    SQLite does anyway."""
    counts = row_counts(conn, tables)
    if conn.dialect.name == "postgresql" and max(counts.values(), default=0) >= MANY_ROWS:
        conn.exec_driver_sql(f"TRUNCATE {', '.join(quoted(t) for t in tables)} RESTART IDENTITY")
        return
    filled = [t for t in tables if counts[t.name]]
    names = [t.name for t in filled]
    if conn.dialect.name == "postgresql":
        with_triggers = conn.execute(text(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid) AND c.relname = ANY(:names)"
        ), {"names": names}).scalars().all() if names else []
        off = [f'ALTER TABLE "{name}" DISABLE TRIGGER USER' for name in with_triggers]
        on = [f'ALTER TABLE "{name}" ENABLE TRIGGER USER' for name in with_triggers]
    else:
        triggers = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN :names"
        ).bindparams(bindparam("names", expanding=True)), {"names": names}).all()
        off = [f'DROP TRIGGER "{name}"' for name, _ in triggers]
        on = [sql for _, sql in triggers]
    for statement in off:
        conn.exec_driver_sql(statement)
    for table in filled:
        conn.execute(delete(table))
    for statement in on:
        conn.exec_driver_sql(statement)
    if off:
        rebuild_search_indexes(conn)
    restart_ids(conn, tables)


MANY_ROWS = 200


def row_counts(conn, tables: list[Table]) -> dict[str, int]:
    """The rows of each of `tables`, counted up to `MANY_ROWS`, in one query."""
    return dict(conn.exec_driver_sql(" UNION ALL ".join(
        f"SELECT '{t.name}', (SELECT count(*) FROM (SELECT 1 FROM {quoted(t)} LIMIT {MANY_ROWS}) AS a)"
        for t in tables)).all())


def quoted(table: Table) -> str:
    return f'"{table.name}"'


def rebuild_search_indexes(conn) -> None:
    """SQLite full-text indexes kept by the triggers switched off above are
    rebuilt from their (now empty) tables."""
    if conn.dialect.name != "sqlite":
        return
    for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"):
        conn.exec_driver_sql(f"INSERT INTO \"{name}\"(\"{name}\") VALUES ('rebuild')")


def restart_ids(conn, tables: list[Table]) -> None:
    """On PostgreSQL, make each table's next id max(id) + 1, so that ids do not
    depend on what ran before (SQLite does so by itself)."""
    serials = [(t.name, t.autoincrement_column.name) for t in tables
               if t.autoincrement_column is not None]
    if conn.dialect.name == "postgresql" and serials:
        conn.execute(text("SELECT " + ", ".join(
            f"setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
            for table, column in serials)))


def empty_working_tables() -> None:
    """Delete every row that is not organisation data."""
    with transaction() as conn:
        empty_tables(conn, working_tables())


@dataclass(frozen=True)
class OrgSnapshot:
    """The organisation rows the session loaded, to put back, and their
    fingerprint (`org_fingerprint`), to tell whether a test changed them."""
    rows: dict[str, list[tuple]]
    fingerprint: tuple


def read_org_data() -> OrgSnapshot:
    """All rows of the organisation tables, in primary-key order."""
    with _db.engine.connect() as conn:
        rows = {t.name: [tuple(row) for row in conn.execute(select(t).order_by(*t.primary_key))]
                for t in org_tables()}
    return OrgSnapshot(rows, org_fingerprint())


def org_fingerprint() -> tuple:
    """What the organisation tables hold, each table's rows written out in key
    order by the database itself, in one statement: 2-3 ms, where reading the
    rows into Python took 3 ms on SQLite and 5-10 ms on PostgreSQL, after
    every test."""
    with _db.engine.connect() as conn:
        written = _digest if conn.dialect.name == "postgresql" else _concatenation
        return tuple(conn.exec_driver_sql("SELECT " + ", ".join(map(written, org_tables()))).one())


def _digest(table: Table) -> str:
    order = ", ".join(f'row."{column.name}"' for column in table.primary_key)
    return f"(SELECT md5(coalesce(string_agg(row::text, '|' ORDER BY {order}), '')) FROM \"{table.name}\" row)"


def _concatenation(table: Table) -> str:
    values = " || ',' || ".join(f'quote("{column.name}")' for column in table.columns)
    order = ", ".join(f'"{column.name}"' for column in table.primary_key)
    return f"(SELECT group_concat({values}, '|') FROM (SELECT * FROM \"{table.name}\" ORDER BY {order}))"


def schema_is_intact() -> bool:
    """The tables are the models' and only them (no alembic_version left by a
    test that migrated); the search index beside them is not a model."""
    with _db.engine.connect() as conn:
        names = conn.exec_driver_sql(TABLE_NAMES[conn.dialect.name]).scalars()
        return {name for name in names if not name.startswith(NOT_MODELS)} == set(_db.metadata.tables)


# The catalogues read directly: the inspector took ~4 ms after every test on PostgreSQL.
TABLE_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


def load_org_data(snapshot: OrgSnapshot) -> None:
    """Put back the organisation data the session loaded, with the same ids, and
    nothing else (~10-30 ms). A schema a test dropped or migrated is made afresh."""
    _db.session.remove()
    if not schema_is_intact():
        reset_schema()
    with transaction() as conn:
        empty_tables(conn, list(reversed(_db.metadata.sorted_tables)))
        for table in org_tables():
            rows = [dict(zip(table.columns.keys(), row, strict=True)) for row in snapshot.rows[table.name]]
            if rows:
                conn.execute(table.insert(), rows)
        restart_ids(conn, org_tables())


def restore_org_data(item: pytest.Item, snapshot: OrgSnapshot) -> None:
    """After a test: tests marked `org_data` get the organisation data put back.
    For the others a check (`org_fingerprint`) catches a change made by accident (or a
    dropped schema), which is undone too, with a warning to mark the test."""
    if item.get_closest_marker("org_data") is None:
        try:
            if schema_is_intact() and org_fingerprint() == snapshot.fingerprint:
                return
        except SQLAlchemyError:
            pass
        warnings.warn(pytest.PytestWarning(
            f"{item.nodeid} changed the organisation data or the schema: "
            "mark it @pytest.mark.org_data"), stacklevel=2)
    load_org_data(snapshot)


@contextmanager
def statements():
    """The SQL statements run inside the block, to show that a page's or a
    service's query count does not grow with its rows."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
