"""The suite's own isolation (tests/database.py): a change to the organisation
data or to the schema is seen, so that it is undone, and every table a test
filled is empty for the next, whether it held a few rows or many."""
import pytest
from sqlalchemy import func, select, text, update

from feedback.extensions import db
from feedback.models import Case, CaseEvent, Category, Unit
from feedback.services import demo
from tests.database import MANY_ROWS, empty_working_tables, org_fingerprint, schema_is_intact


@pytest.mark.org_data
@pytest.mark.parametrize("change", [
    update(Unit).where(Unit.code == "p-tu-phap").values(name_vi="Phòng Tư pháp (đổi tên)"),
    update(Category).where(Category.code == "dat-dai").values(active=False),
])
def test_the_fingerprint_sees_any_change_to_the_organisation_data(app, org_snapshot, change):
    assert org_fingerprint() == org_snapshot.fingerprint
    db.session.execute(change)
    db.session.commit()
    assert org_fingerprint() != org_snapshot.fingerprint


@pytest.mark.org_data
def test_a_table_more_or_one_fewer_is_a_changed_schema(app):
    assert schema_is_intact()
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
    assert not schema_is_intact()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("ALTER TABLE ratings RENAME TO ratings_old"))
    assert not schema_is_intact()
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE ratings_old RENAME TO ratings"))
    assert schema_is_intact()


@pytest.mark.parametrize("cases", [3, MANY_ROWS + 50])
def test_the_working_tables_are_emptied_and_their_ids_start_again(app, cases):
    """A few rows are deleted, many truncated on PostgreSQL: either way the
    tables are empty and the next case gets the id the first one got."""
    demo.generate(cases, seed=5)
    first = db.session.scalar(select(func.min(Case.id)))
    db.session.remove()
    empty_working_tables()
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 0
    demo.generate(1, seed=5)
    assert db.session.scalar(select(Case.id)) == first
