"""Each role's home: lists by deadline, filters, search, keyset pages, export."""
import csv
import io

from sqlalchemy import select

from feedback.domain import states, trackcode
from feedback.extensions import db
from feedback.models import AuditEntry
from tests import factories as f
from tests.database import statements


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_officer_sees_the_units_open_cases_by_deadline_and_nothing_else(client):
    f.sign_in_as(client, f.staff("officer"))
    mine = [f.ordinary_case() for _ in range(3)]
    theirs = f.ordinary_case(category_code="ho-tich")
    sealed = f.sealed_case()
    page = html(client, "/staff/")
    for case in mine:
        assert trackcode.display(case.code) in page
    for case in (theirs, sealed):
        assert trackcode.display(case.code) not in page
    assert "3 phản ánh" in page


def test_the_city_office_starts_at_the_triage_queue(client):
    f.sign_in_as(client, f.staff("city_office"))
    waiting = f.triage_case()
    routed = f.ordinary_case()
    page = html(client, "/staff/")
    assert "Chờ phân loại" in page and waiting.code[:3] in page and trackcode.display(routed.code) not in page
    approved = f.case_in(states.APPROVED)
    assert trackcode.display(approved.code) in html(client, "/staff/?tab=review")
    everything = html(client, "/staff/?tab=all")
    assert "Đang mở theo đơn vị" in everything and "Phòng Tài nguyên và Môi trường" in everything


def test_the_supervisor_starts_at_the_sealed_track(client):
    f.sign_in_as(client, f.staff("supervisor"))
    sealed = f.sealed_case()
    page = html(client, "/staff/")
    assert "Đường dây kín" in page and trackcode.display(sealed.code) in page


def test_the_unit_head_has_an_approval_list(client):
    f.sign_in_as(client, f.staff("unit_head"))
    drafted = f.case_in(states.ANSWERED)
    page = html(client, "/staff/?tab=approval")
    assert trackcode.display(drafted.code) in page


def test_filters_narrow_the_list(client):
    f.sign_in_as(client, f.staff("city_office"))
    web = f.ordinary_case(channel="web", ward_code="w-1")
    operator = f.ordinary_case(channel="operator", ward_code="w-2")
    page = html(client, "/staff/?tab=all&channel=operator")
    assert trackcode.display(operator.code) in page and trackcode.display(web.code) not in page
    page = html(client, "/staff/?tab=all&ward=w-1&unit=" + f.UNIT)
    assert trackcode.display(web.code) in page and trackcode.display(operator.code) not in page


def test_search_by_code_and_by_phone_for_those_who_may_see_contacts(client):
    case = f.ordinary_case(phone="0911 222 333")
    f.sign_in_as(client, f.staff("officer"))
    assert case.code[:3] in html(client, f"/staff/?q={case.code}")
    assert case.code[:3] in html(client, "/staff/?q=0911222333")
    client.post("/staff/logout")
    f.sign_in_as(client, f.staff("operator"))
    page = html(client, "/staff/?tab=all&q=0911222333")
    assert trackcode.display(case.code) not in page
    assert "Mã tra cứu hoặc số điện thoại" in html(client, "/staff/?tab=all&q=abc")


def test_pages_are_keysets_of_constant_cost(client, monkeypatch):
    from feedback.services.workflow import inbox

    monkeypatch.setattr(inbox, "PAGE_SIZE", 3)
    f.sign_in_as(client, f.staff("officer"))
    cases = [f.ordinary_case() for _ in range(7)]
    seen, url = [], "/staff/"
    while url:
        page = html(client, url)
        seen += [c.code for c in cases if trackcode.display(c.code) in page]
        marker = 'rel="next" href="'
        url = page.split(marker)[1].split('"')[0].replace("&amp;", "&") if marker in page else None
    assert sorted(seen) == sorted(c.code for c in cases) and len(seen) == 7
    with statements() as run:
        html(client, "/staff/")
    many = len(run)
    [f.ordinary_case() for _ in range(5)]
    with statements() as run:
        html(client, "/staff/")
    assert len(run) == many  # no query per row


def test_export_is_csv_without_contacts_and_audited(client):
    user = f.sign_in_as(client, f.staff("officer"))
    case = f.ordinary_case(name="Hồ Thị Riêng", phone="0911 222 333")
    response = client.get("/staff/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "code" and rows[1][0] == case.code
    assert "Hồ Thị Riêng" not in text and "0911" not in text and "+84911" not in text
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export.cases")).one()
    assert entry.user_id == user.id


def test_the_admin_exports_nothing(client):
    f.sign_in_as(client, f.staff("admin"))
    assert client.get("/staff/export.csv").status_code == 403
