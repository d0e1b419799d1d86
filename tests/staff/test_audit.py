"""The audit log: append-only, filled by sign-ins, views of sealed data, actions,
exports and account changes; read and filtered by the supervisor."""
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from feedback.extensions import db
from feedback.models import AuditEntry
from tests import factories as f

pytestmark = pytest.mark.usefixtures("app")


def test_sign_ins_and_failures_are_logged_with_the_address(client):
    user = f.staff("officer")
    client.post("/staff/login", data={"email": user.email, "password": "sai-mat-khau-roi"},
                environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.post("/staff/login", data={"email": "ai-do@example.vn", "password": "x"})
    f.sign_in_as(client, user)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("auth.%"))
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor) for e in entries] == [
        ("auth.sign_in_failed", "system"), ("auth.sign_in_failed", "system"),
        ("auth.sign_in", user.email)]
    assert entries[0].target == user.email and entries[0].address == "203.0.113.9"
    assert entries[1].target == "ai-do@example.vn"


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_it(statement):
    f.staff("officer")
    db.session.add(AuditEntry(actor="x", action="test"))
    db.session.commit()
    with pytest.raises(DBAPIError):
        db.session.execute(text(statement))
        db.session.commit()
    db.session.rollback()
    assert db.session.scalars(select(AuditEntry.actor).order_by(AuditEntry.id.desc())).first() == "x"


def test_the_supervisor_reads_and_filters_it(client):
    city = f.staff("city_office")
    case = f.triage_case()
    f.lifecycle.act(f.actor(city), case, "assign", f.lifecycle.Given(unit_code=f.UNIT, reason="Đất đai"))
    supervisor = f.sign_in_as(client, f.staff("supervisor"))
    sealed = f.sealed_case()
    client.get(f"/staff/cases/{sealed.code}")
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "Xem phản ánh đường dây kín" in page and "Phản ánh: Chuyển đơn vị xử lý" in page
    assert supervisor.email in page and city.email in page
    only = client.get("/staff/audit?action=case.assign").get_data(as_text=True)
    assert city.email in only and "Xem phản ánh đường dây kín" not in only.split("<table")[1]
    by_case = client.get(f"/staff/audit?case={sealed.code}").get_data(as_text=True)
    assert "Xem phản ánh đường dây kín" in by_case.split("<table")[1]
    assert "Phản ánh: Chuyển đơn vị xử lý" not in by_case.split("<table")[1]


@pytest.mark.parametrize("role", ["officer", "city_office", "admin", "operator"])
def test_only_the_supervisor_reads_it(client, role):
    f.sign_in_as(client, f.staff(role))
    assert client.get("/staff/audit").status_code == 403
