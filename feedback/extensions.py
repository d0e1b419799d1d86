"""Flask extensions, created here and bound to the app in create_app()."""
import os
from contextlib import suppress

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from . import sqlite_writers

# Named constraints so that Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()
babel = Babel()
login = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def run(statement, params: dict | None = None):
    """A Core statement built once (bind parameters, no entities) on the
    session's connection, in its transaction, without the ORM's work around
    each statement: ~60 µs, against ~150 through the session and ~350 when the
    statement is built anew. It does not flush the session: for reads that need
    no pending object, and writes that name their ids. Not for the organisation
    tables: their writes go through the session, whose events give the
    organisation data a new stamp (services/orgdata)."""
    return db.session.connection().execute(statement, params or {})


def tune_sqlite(engine: Engine, busy_timeout: float) -> None:
    """SQLite as a serious embedded database (PostgreSQL is left alone).

    WAL lets readers and one writer work at once; synchronous=NORMAL is safe
    with WAL and spares an fsync per commit; writers take turns on the host's
    lock (sqlite_writers.py), and the busy timeout bounds the wait (long jobs
    commit in small batches) before "database is locked". The database file
    is made private to the service's user: SQLite gives its -wal and -shm
    files the same mode, and the lock file is made so.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    sqlite_writers.take_turns(engine, busy_timeout)

    @event.listens_for(engine, "first_connect")
    def make_private(_dbapi_connection, _record):
        path = engine.url.database
        if path and path != ":memory:" and os.path.isfile(path) and os.stat(path).st_mode & 0o077:
            with suppress(PermissionError):  # not ours: left as its owner set it
                os.chmod(path, 0o600)
