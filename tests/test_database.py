"""The suite's own isolation (tests/database.py): a change to the organisation
data is seen, whichever table and column it touches, so that it is undone."""
import pytest
from sqlalchemy import update

from feedback.extensions import db
from feedback.models import Category, Unit
from tests.database import org_fingerprint


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
