"""The sealed track: a denouncer's name, phone and e-mail are planted, the case
goes through its whole life, and then every page, export, notification and log
line that another role can reach is scanned for them."""
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.domain import permissions as perms
from feedback.domain import trackcode
from feedback.extensions import db
from feedback.models import Case, OutboundMessage, User
from feedback.models.types import utcnow
from feedback.services.workflow import escalation, lifecycle
from feedback.services.workflow.lifecycle import Given
from tests import factories as f

NAME, PHONE, EMAIL = "Hứa Thị Bí Mật", "0987 654 321", "bi.mat.to.giac@example.vn"
TRACES = (NAME, "Bí Mật", "987654321", "987 654 321", "0987 654 321", EMAIL, "bi.mat.to.giac")
OTHER_ROLES = [r for r in perms.ROLES if r not in ("supervisor", "inspectorate")]


def prober(role):
    """A user of `role`, in the very unit the denunciation sits in when the role has one."""
    return f.staff(role, unit="thanh-tra" if role in perms.UNIT_ROLES else None)


def leaks(text: str) -> list[str]:
    return [trace for trace in TRACES if trace in text]


@pytest.fixture
def denunciation(client, app, caplog):
    """Filed on the web form, handled on the sealed track, escalated, concluded."""
    caplog.set_level(logging.DEBUG)
    response = client.post("/submit", data={
        "kind": "to-cao", "reporter_type": "citizen", "name": NAME, "phone": PHONE, "email": EMAIL,
        "description": f"Tôi là {NAME}, tố cáo cán bộ địa chính phường 1 nhận tiền của người dân.",
        "consent_publish": "y"})
    assert response.status_code == 302
    case = db.session.scalars(select(Case).where(Case.kind == "to-cao")).one()
    assert case.confidential
    for role in ("officer", "unit_head", "city_office", "operator"):
        f.staff(role)
    f.staff("unit_head", unit="thanh-tra")
    inspector, supervisor = f.staff("inspectorate", unit="thanh-tra"), f.staff("supervisor")
    escalation.run_due(utcnow() + timedelta(days=90))
    for user, action, given in [
        (inspector, "accept", Given()),
        (inspector, "note", Given(reason=f"Đã gọi {NAME} để xác minh.")),
        (inspector, "answer", Given(public_text="Kết luận: tố cáo đúng, cán bộ đã bị kỷ luật.",
                                    summary="Tố cáo cán bộ địa chính")),
        (supervisor, "approve", Given()),
        (inspector, "close", Given()),
    ]:
        lifecycle.act(f.actor(user), case, action, given)
    escalation.run_due(utcnow() + timedelta(days=120))
    return case


def staff_get_urls(app, case):
    urls = ["/staff/", "/staff/export.csv", "/staff/audit", "/staff/admin/users",
            "/staff/operator/callbacks?done=1"]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff") and "GET" in rule.methods:
            urls.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: {"code": case.code}.get(m.group(1), "1"),
                               rule.rule))
    for tab in ("open", "approval", "triage", "review", "all", "sealed", "done"):
        urls.append(f"/staff/?tab={tab}")
    return urls


def signed_in(app, role):
    """A client of its own for a new user of `role`."""
    client = app.test_client()
    f.sign_in_as(client, prober(role))
    return client


def test_no_other_role_ever_sees_the_denouncer(app, denunciation, caplog):
    """Each role in turn (one denunciation for all: it takes ~0.3 s to make),
    on every staff page it can reach; every leak is listed."""
    seen = {}
    for role in OTHER_ROLES:
        client = signed_in(app, role)
        for url in staff_get_urls(app, denunciation):
            if found := leaks(client.get(url, follow_redirects=True).get_data(as_text=True)):
                seen[role, url] = found
    assert seen == {}
    assert leaks(caplog.text) == []


def test_no_other_role_finds_it_by_code_or_phone(app, denunciation):
    code = trackcode.display(denunciation.code)
    found = []
    for role in OTHER_ROLES:
        client = signed_in(app, role)
        for tab in ("open", "all", "done", "sealed"):
            for query in (denunciation.code, PHONE, PHONE.replace(" ", "")):
                page = client.get("/staff/", query_string={"tab": tab, "q": query}, follow_redirects=True)
                if code in page.get_data(as_text=True):
                    found.append((role, tab, query))
    assert found == []


def test_public_pages_show_nothing_of_the_denouncer(client, denunciation):
    for url in ("/", "/results", f"/track/{denunciation.code}", "/track"):
        assert leaks(client.get(url).get_data(as_text=True)) == [], url


def test_no_message_to_anyone_else_names_the_denouncer(denunciation):
    messages = db.session.scalars(select(OutboundMessage)).all()
    to_staff = [m for m in messages if m.user_id is not None]
    assert to_staff, "the escalations must have e-mailed someone"
    for message in to_staff:
        assert leaks(f"{message.subject}\n{message.body}") == []
    to_reporter = [m for m in messages if m.user_id is None]
    assert {m.to_number or m.to_email for m in to_reporter} == {"+84987654321", EMAIL}


def test_the_sealed_roles_do_see_it_and_each_view_is_logged(client, denunciation):
    supervisor = db.session.scalars(select(User).where(User.role == "supervisor")).first()
    f.sign_in_as(client, supervisor)
    page = client.get(f"/staff/cases/{denunciation.code}").get_data(as_text=True)
    assert NAME in page and EMAIL in page
    entries = client.get(f"/staff/audit?case={denunciation.code}&action=case.view_sealed")
    assert supervisor.email in entries.get_data(as_text=True).split("<table")[1]
