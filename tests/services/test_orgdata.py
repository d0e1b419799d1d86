from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from config.settings import DEFAULT_ORG_FILE
from feedback import forms
from feedback.models import Case, Category, KeywordRule, Procedure, Unit
from feedback.services import orgdata
from tests.database import drop_everything
from tests.factories import make_case, org_data, write_org_data

# Loads other organisation files and recreates the schema.
pytestmark = pytest.mark.org_data


def counts(db):
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Unit, Category, Procedure, KeywordRule)}


def test_default_file_has_the_city_offices_and_seventeen_wards(db):
    units = db.session.scalars(select(Unit)).all()
    wards = [u for u in units if u.is_ward]
    assert len(wards) == 17
    assert sum(1 for u in wards if u.kind == "commune") == 1
    by_code = {u.code: u for u in units}
    assert by_code["vp-hdnd-ubnd"].is_triage
    assert by_code["p-noi-vu"].handles_conduct
    assert by_code["w-thang-nhi"].name_vi == "Phường Thắng Nhì"


def test_loading_twice_duplicates_nothing(db):
    before = counts(db)
    stats = orgdata.load(DEFAULT_ORG_FILE)
    assert counts(db) == before
    assert not any(key.endswith(("created", "updated", "deleted")) for key in stats)


def test_a_changed_name_or_rule_is_updated_and_cases_are_untouched(db, tmp_path):
    case = make_case(category_code="ho-tich", ward_code="w-1")
    unit_id, state = case.unit_id, case.state
    data = org_data()
    data["units"][1]["vi"] = "Phòng Nội vụ (đổi tên)"
    ho_tich = next(c for c in data["categories"] if c["code"] == "ho-tich")
    ho_tich["ward_first"] = False
    stats = orgdata.load(write_org_data(tmp_path, data))
    assert stats["units updated"] == 1
    assert db.session.scalars(select(Unit).filter_by(code="p-noi-vu")).one().name_vi.endswith("(đổi tên)")
    assert not db.session.scalars(select(Category).filter_by(code="ho-tich")).one().ward_first
    db.session.expire_all()
    again = db.session.get(Case, case.id)
    assert (again.unit_id, again.state) == (unit_id, state)


def test_retired_ward_keeps_its_history_and_leaves_the_form(db, client, tmp_path):
    case = make_case(category_code="ho-tich", ward_code="w-1")
    data = org_data()
    ward = next(u for u in data["units"] if u["code"] == "w-1")
    ward["retired_on"] = "2025-07-01"
    orgdata.load(write_org_data(tmp_path, data))
    unit = db.session.scalars(select(Unit).filter_by(code="w-1")).one()
    assert unit.retired_on.isoformat() == "2025-07-01"
    assert db.session.get(Case, case.id).ward_id == unit.id
    page = client.get("/submit").get_data(as_text=True)
    assert 'value="w-1"' not in page and 'value="w-2"' in page


def test_the_form_lists_follow_the_data_the_language_and_the_day(client, tmp_path, monkeypatch):
    """The form's lists are made once per snapshot of the data, language and
    day, and so change with each of them."""
    def form(language="vi"):
        return client.get("/submit", headers={"Accept-Language": language}).get_data(as_text=True)

    assert "Hộ tịch" in form() and "Civil status registration" in form("en") and "Hộ tịch" in form()
    results = [client.get("/results", headers={"Accept-Language": language}).get_data(as_text=True)
               for language in ("vi", "en")]
    assert "Phòng Nội vụ" in results[0] and "Home Affairs Office" in results[1]   # the filters' lists
    assert 'value="nuoi-con-nuoi"' in form() and 'value="w-1"' in form()
    data = org_data()
    data["categories"] = [c for c in data["categories"] if c["code"] != "nuoi-con-nuoi"]
    next(u for u in data["units"] if u["code"] == "w-1")["retired_on"] = "2031-01-02"
    orgdata.load(write_org_data(tmp_path, data))
    assert 'value="nuoi-con-nuoi"' not in form()
    assert 'value="w-1"' in form()                     # retired from a later day
    monkeypatch.setattr(forms, "utcnow", lambda: datetime(2031, 1, 2, 3, tzinfo=timezone.utc))
    assert 'value="w-1"' not in form()


def test_removed_category_is_deactivated_not_deleted(db, tmp_path):
    make_case(category_code="nuoi-con-nuoi")
    data = org_data()
    data["categories"] = [c for c in data["categories"] if c["code"] != "nuoi-con-nuoi"]
    stats = orgdata.load(write_org_data(tmp_path, data))
    category = db.session.scalars(select(Category).filter_by(code="nuoi-con-nuoi")).one()
    assert not category.active
    assert stats["categories deactivated"] == 1
    assert all(not p.active for p in category.procedures)


def test_inconsistent_file_is_refused_and_nothing_written(db, tmp_path):
    before = counts(db)
    data = org_data()
    data["categories"][0]["default_unit"] = "p-khong-co"
    data["units"].append({"code": "p-moi", "kind": "office", "vi": "Phòng Mới", "en": "New Office"})
    with pytest.raises(orgdata.OrgDataError, match="p-khong-co"):
        orgdata.load(write_org_data(tmp_path, data))
    assert counts(db) == before


def test_setup_migrates_an_empty_database_and_is_idempotent(runner, db):
    expected = counts(db)
    drop_everything(db)
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "units created: 29" in first.output
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "units unchanged: 29" in second.output and "created" not in second.output
    assert counts(db) == expected
