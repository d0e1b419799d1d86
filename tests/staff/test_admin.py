"""Accounts at /staff/admin/users: create, change, deactivate, reset; all audited."""
import re

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEntry, User
from tests import factories as f


@pytest.fixture
def admin(client):
    return f.sign_in_as(client, f.staff("admin"))


def audited(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_the_admin_creates_an_officer_who_signs_in_with_the_password_shown_once(client, admin, app):
    response = client.post("/staff/admin/users", data={
        "email": "Moi.CanBo@VungTau.example", "name": "Mai Văn Mới", "role": "officer", "unit": f.UNIT})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    password = re.search(r'<p class="big-code">([a-z0-9-]+)</p>', html).group(1)
    user = db.session.scalars(select(User).filter_by(email="moi.canbo@vungtau.example")).one()
    assert (user.role, user.unit.code, user.name) == ("officer", f.UNIT, "Mai Văn Mới")
    assert password not in user.password_hash
    assert [e.target for e in audited("user.create")][-1] == "moi.canbo@vungtau.example"
    other = app.test_client()
    ok = other.post("/staff/login", data={"email": "moi.canbo@vungtau.example", "password": password})
    assert ok.status_code == 302


@pytest.mark.parametrize("form,field", [
    ({"email": "khong-phai-email", "role": "operator"}, "Địa chỉ email không hợp lệ."),
    ({"email": "a@vungtau.example", "role": "officer"}, "phải thuộc một đơn vị"),
    ({"email": "a@vungtau.example", "role": "vua"}, "Hãy chọn vai trò."),
])
def test_a_bad_account_is_refused_beside_its_field(client, admin, form, field):
    response = client.post("/staff/admin/users", data=form)
    assert response.status_code == 422 and field in response.get_data(as_text=True)


def test_deactivating_signs_the_user_out_at_once(client, admin, app):
    officer = f.staff("officer")
    theirs = app.test_client()
    f.sign_in_as(theirs, officer)
    assert theirs.get("/staff/").status_code == 200
    response = client.post(f"/staff/admin/users/{officer.id}",
                           data={"name": officer.name, "role": "officer", "unit": f.UNIT})
    assert response.status_code == 302
    assert theirs.get("/staff/").status_code == 302
    assert "active=False" in audited("user.update")[-1].detail


def test_the_admin_cannot_lock_themselves_out(client, admin):
    response = client.post(f"/staff/admin/users/{admin.id}", data={"role": "operator", "active": "1"})
    assert response.status_code == 422
    assert db.session.get(User, admin.id).role == "admin"


def test_reset_password_shows_a_new_one_and_the_old_one_stops_working(client, admin, app):
    officer = f.staff("officer")
    response = client.post(f"/staff/admin/users/{officer.id}/password")
    password = re.search(r'<p class="big-code">([a-z0-9-]+)</p>', response.get_data(as_text=True)).group(1)
    other = app.test_client()
    assert other.post("/staff/login", data={"email": officer.email, "password": f.PASSWORD}).status_code == 401
    assert other.post("/staff/login", data={"email": officer.email, "password": password}).status_code == 302
    assert audited("user.password_reset")[-1].target == officer.email


def test_reset_password_signs_the_user_out_everywhere(client, admin, app):
    officer = f.staff("officer")
    theirs = app.test_client()
    f.sign_in_as(theirs, officer)
    assert theirs.get("/staff/").status_code == 200
    client.post(f"/staff/admin/users/{officer.id}/password")
    assert theirs.get("/staff/").status_code == 302


def test_the_admin_sees_no_case_and_no_sealed_track(client, admin):
    case = f.sealed_case()
    assert client.get(f"/staff/cases/{case.code}").status_code == 404
    assert client.get("/staff/?tab=sealed").status_code == 302
