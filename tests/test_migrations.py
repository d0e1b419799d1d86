"""The migrations are the schema: one head, and upgrading gives exactly the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from config.settings import ROOT
from feedback.models.public import NOT_MODELS
from tests.conftest import drop_everything


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
