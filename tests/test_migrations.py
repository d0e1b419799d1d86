"""The migrations are the schema: one head, and upgrading gives exactly the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from config.settings import ROOT
from feedback.models.public import NOT_MODELS
from tests.database import drop_everything


def test_single_migration_head(app):
    script = ScriptDirectory(str(ROOT / "migrations"))
    assert len(script.get_heads()) == 1


@pytest.mark.org_data
def test_upgrade_matches_the_models(app, db):
    drop_everything(db)
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, type_, parent: not (name or "").startswith(NOT_MODELS)})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


@pytest.mark.org_data
def test_the_monthly_scorecards_are_filled_from_the_daily_ones(app, db):
    """0010 sums the days already counted into their months."""
    drop_everything(db)
    upgrade(revision="0009")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO daily_stats VALUES ('2026-01-30', 5, 'web', 0, 2, 1, 1, 0, 0, 1, 4), "
            "('2026-01-31', 5, 'web', 0, 3, 2, 1, 1, 0, 0, 0), ('2026-02-01', 5, 'web', 0, 1, 0, 0, 0, 0, 0, 0)"))
        conn.execute(text("INSERT INTO answer_days VALUES ('2026-01-30', 5, 3, 1), ('2026-01-31', 5, 3, 2)"))
    upgrade()
    with db.engine.connect() as conn:
        months = conn.execute(text(
            "SELECT month, received, answered, on_time, sent_back, rating_count, rating_sum "
            "FROM monthly_stats ORDER BY month")).all()
        answers = conn.execute(text("SELECT month, working_days, count FROM answer_months")).all()
    assert [(str(m), *rest) for m, *rest in months] == [
        ("2026-01-01", 5, 3, 2, 1, 1, 4), ("2026-02-01", 1, 0, 0, 0, 0, 0)]
    assert [(str(m), *rest) for m, *rest in answers] == [("2026-01-01", 3, 3)]


@pytest.mark.org_data
def _search_vector(db) -> tuple:
    with db.engine.connect() as conn:
        generated, expression = conn.execute(text(
            "SELECT is_generated, generation_expression FROM information_schema.columns "
            "WHERE table_name = 'public_records' AND column_name = 'search_vector'")).one()
        index = conn.scalar(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_public_records_search'"))
    return generated, "'=c'" in expression, index.endswith("USING gin (search_vector)")


@pytest.mark.org_data
def test_postgresql_keeps_the_search_vector_computed_and_indexed(app, db):
    """0012: the words of each record as a vector the server computes, under the
    GIN index; 0013: with the record's category, unit and ward among them."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite searches its FTS5 index")
    drop_everything(db)
    upgrade()
    assert _search_vector(db) == ("ALWAYS", True, True)
    downgrade(revision="0012")
    assert _search_vector(db) == ("ALWAYS", False, True)
    upgrade()
    assert _search_vector(db) == ("ALWAYS", True, True)
