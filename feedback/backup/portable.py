"""`flask --app app export-all` and `import-all`: a whole city as portable
JSON lines, to move it from one kind of database to another (SQLite to
PostgreSQL) without losing a case, event, message, call, answer, rating,
audit row or file.

The archive is a zip: `manifest.json` (tables, their columns and row counts),
`tables/<table>.jsonl` (one JSON object a row, dates in ISO 8601 UTC) and
`uploads/…` (the files under UPLOAD_DIR). Ids are kept, so every reference and
every stored file name still holds; PostgreSQL's id sequences are moved past
the imported ids afterwards. Rows are only inserted, never updated, except a
case's `merged_into_id` (set once all cases are in): the audit log's
append-only triggers allow exactly that.
"""
from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, Table, inspect, select, text, update
from sqlalchemy.engine import Connection

from ..extensions import db
from .files import BackupError, holds_a_city, private_file, upload_files, write_upload

FORMAT = "feedback-export"
MANIFEST = "manifest.json"
BATCH = 1000


def tables() -> list[Table]:
    """Every model's table, referenced tables first (the order to insert in)."""
    return list(db.metadata.sorted_tables)


def _later_references(order: list[Table]) -> dict[str, list[str]]:
    """Per table, the columns that point at itself or at a table inserted
    after it (cases.merged_into_id): inserted empty, filled in at the end."""
    position = {table.name: index for index, table in enumerate(order)}
    found: dict[str, list[str]] = {}
    for table in order:
        for key in table.foreign_keys:
            if position[key.column.table.name] >= position[table.name]:
                found.setdefault(table.name, []).append(key.parent.name)
    return found


def _encode(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def _decoder(column):
    """How to turn a column's exported JSON value back into Python (dates and
    times; JSON keeps the rest); a TypeDecorator by the type it stores."""
    stored = getattr(column.type, "impl_instance", column.type)
    if isinstance(stored, DateTime):
        return datetime.fromisoformat
    if isinstance(stored, Date):
        return date.fromisoformat
    return None


def _rows(conn: Connection, table: Table) -> Iterator[dict]:
    query = select(table).order_by(*table.primary_key.columns)
    for row in conn.execution_options(yield_per=BATCH).execute(query):
        yield dict(row._mapping)


def _snapshot(conn: Connection) -> Connection:
    """Read every table in one consistent view while the service keeps writing."""
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    conn.exec_driver_sql("BEGIN")  # pysqlite would not begin before a SELECT
    return conn


def export_all(path: str) -> dict[str, int]:
    """Write the whole city to a new zip at `path`; return the rows per table
    (and `files`: the uploads)."""
    target = Path(path)
    try:
        out = private_file(target)
    except FileExistsError as exc:
        raise BackupError(f"{target} exists already") from exc
    try:
        with out:
            return _export(out)
    except BaseException:
        target.unlink(missing_ok=True)  # no half-written export left to be trusted
        raise


def _export(out) -> dict[str, int]:
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive, \
            db.engine.connect() as connection:
        conn = _snapshot(connection)
        for table in tables():
            counts[table.name] = _write_table(archive, conn, table)
        counts["files"] = _write_files(archive)
        manifest = {"format": FORMAT, "version": 1, "dialect": conn.dialect.name,
                    "revision": _revision(conn), "tables": [
                        {"name": t.name, "columns": list(t.columns.keys()), "rows": counts[t.name]}
                        for t in tables()], "files": counts["files"]}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    return counts


def _write_table(archive: zipfile.ZipFile, conn: Connection, table: Table) -> int:
    count = 0
    with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as out:
        for row in _rows(conn, table):
            out.write(json.dumps(row, default=_encode, ensure_ascii=False).encode() + b"\n")
            count += 1
    return count


def _write_files(archive: zipfile.ZipFile) -> int:
    count = 0
    for file, name in upload_files():
        archive.write(file, f"uploads/{name}")
        count += 1
    return count


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def import_all(path: str) -> dict[str, int]:
    """Load an export into this database (its schema made by `flask setup`),
    in one transaction: the organisation data setup loaded is replaced by the
    archive's, with the same ids. Refuses a database that holds a city."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with zipfile.ZipFile(source) as archive:
        manifest = _manifest(archive)
        if holds_a_city():
            raise BackupError("the database holds cases or accounts already: "
                              "import-all only fills a new one (flask --app app setup)")
        order = _check_schema(manifest)
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")  # the DELETEs and INSERTs as one
            _empty(conn, order)
            counts = {table.name: _read_table(archive, conn, table) for table in order}
            _fill_later_references(archive, conn, order)
            _restart_sequences(conn, order)
        counts["files"] = sum(write_upload(info.filename.removeprefix("uploads/"), archive.open(info))
                              for info in archive.infolist()
                              if info.filename.startswith("uploads/") and not info.is_dir())
    db.session.remove()
    return counts


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError("not an export of this service (no manifest)") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("not an export of this service")
    return manifest


def _check_schema(manifest: dict) -> list[Table]:
    """The tables to load, in insertion order; refuses an export whose tables or
    columns this database lacks (migrate both to the same version first)."""
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        revision = _revision(conn)
    if None not in (revision, manifest.get("revision")) and revision != manifest["revision"]:
        raise BackupError(f"the export is of schema {manifest['revision']}, this database of "
                          f"{revision}: run the same version of the service on both")
    exported = {entry["name"]: entry for entry in manifest["tables"]}
    order = [table for table in tables() if table.name in exported]
    for name, entry in exported.items():
        table = db.metadata.tables.get(name)
        if table is None or name not in present:
            raise BackupError(f"this database has no table {name}: run flask --app app setup, "
                              "with the same version of the service as the export")
        missing = set(entry["columns"]) - set(table.columns.keys())
        if missing:
            raise BackupError(f"table {name} lacks columns {sorted(missing)}: upgrade the service")
    return order


def _empty(conn: Connection, order: list[Table]) -> None:
    """Delete what `flask setup` loaded (organisation data, nothing of a city)."""
    for table in reversed(order):
        if conn.execute(select(table).limit(1)).first() is not None:
            conn.execute(table.delete())


def _read_table(archive: zipfile.ZipFile, conn: Connection, table: Table) -> int:
    later = set(_later_references(tables()).get(table.name, ()))
    decoders = {c.name: d for c in table.columns if (d := _decoder(c)) is not None}
    batch, count = [], 0
    with archive.open(f"tables/{table.name}.jsonl") as lines:
        for line in lines:
            row = json.loads(line)
            for name, decode in decoders.items():
                if row.get(name) is not None:
                    row[name] = decode(row[name])
            batch.append({**row, **{name: None for name in later}})
            if len(batch) == BATCH:
                count += _insert(conn, table, batch)
                batch = []
    return count + (_insert(conn, table, batch) if batch else 0)


def _insert(conn: Connection, table: Table, rows: list[dict]) -> int:
    conn.execute(table.insert(), rows)
    return len(rows)


def _fill_later_references(archive: zipfile.ZipFile, conn: Connection, order: list[Table]) -> None:
    """Set the columns inserted empty, now that every row they point at exists."""
    for name, columns in _later_references(order).items():
        table = db.metadata.tables[name]
        key = table.primary_key.columns.values()[0]
        with archive.open(f"tables/{name}.jsonl") as lines:
            for line in lines:
                row = json.loads(line)
                values = {column: row[column] for column in columns if row.get(column) is not None}
                if values:
                    conn.execute(update(table).where(key == row[key.name]).values(**values))


def _restart_sequences(conn: Connection, order: list[Table]) -> None:
    """PostgreSQL: each table's next id is past the imported ones (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in order:
        column = table.autoincrement_column
        if column is not None:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"))
