"""The operator console, through the real sign-in: access, calls with the
callers' history, logging a call and notes (call-backs and recordings:
test_operator_callbacks.py)."""
import re

import pytest
from sqlalchemy import select

from feedback.domain import trackcode
from feedback.domain.calendar import local_date
from feedback.models import CallbackItem, Case, CaseEvent, OutboundMessage
from tests.database import statements
from tests.factories import make_case
from tests.staff import (
    CALLER, OTHER_CALLER, make_call, make_callback, make_recording, make_user, sign_in,
    signed_in_operator,
)

ROUTES = [
    ("GET", "/staff/operator"),
    ("GET", "/staff/operator?before=10"),
    ("GET", "/staff/operator/log"),
    ("GET", "/staff/operator/log?call={call}"),
    ("POST", "/staff/operator/log?call={call}"),
    ("POST", "/staff/operator/log/note"),
    ("GET", "/staff/operator/logged/{code}"),
    ("GET", "/staff/operator/callbacks"),
    ("GET", "/staff/operator/callbacks?done=1"),
    ("POST", "/staff/operator/callbacks/{item}/done"),
    ("GET", "/staff/operator/recordings/{recording}"),
    ("GET", "/staff/operator/floods"),
]
CALL_FORM = {
    "kind": "phan-anh", "reporter_type": "citizen", "hotline": "hl-citizen",
    "description": "Người gọi phản ánh hồ sơ xin giấy phép xây dựng bị trễ hẹn ba tuần.",
    "name": "Võ Thị Lan", "phone": "0912 345 678", "category": "", "ward": "",
}


def fixture_rows(fake_twilio) -> dict:
    case = make_case(phone=CALLER)
    call = make_call(status="no-answer")
    url = fake_twilio.add_file("/2010-04-01/Accounts/AC1/Recordings/RE1.mp3", "audio/mpeg", b"ID3")
    recording = make_recording(call, url.removesuffix(".mp3"))
    item = make_callback(call, "voicemail", recording)
    return {"call": call.id, "code": case.code, "item": item.id, "recording": recording.id}


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, fake_twilio, method, path):
    url = path.format(**fixture_rows(fake_twilio))
    response = client.open(url, method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


@pytest.mark.parametrize("method,path", ROUTES)
def test_other_roles_get_403(client, db, fake_twilio, method, path):
    rows = fixture_rows(fake_twilio)
    make_user("canbo@vungtau.example", role="officer")
    sign_in(client, "canbo@vungtau.example")
    response = client.open(path.format(**rows), method=method, data={"note": "x"})
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện việc này" in response.get_data(as_text=True)
    assert db.session.get(CallbackItem, rows["item"]).done_at is None
    assert not [r for r in fake_twilio.requests if r[0] == "GET"]  # no recording fetched


def test_admins_manage_accounts_not_the_console(client):
    make_user("quantri@vungtau.example", role="admin")
    sign_in(client, "quantri@vungtau.example")
    assert client.get("/staff/operator").status_code == 403
    assert client.get("/staff/").headers["Location"] == "/staff/admin/users"


def test_console_lists_a_call_with_the_callers_earlier_cases_only(client):
    signed_in_operator(client)
    mine = [make_case(phone="0912 345 678", category_code="dat-dai"), make_case(phone=CALLER)]
    theirs = make_case(phone=OTHER_CALLER)
    make_call(status="completed", duration=95)
    page = client.get("/staff/operator").get_data(as_text=True)
    assert "0912 345 678" in page and 'href="tel:+84912345678"' in page
    assert "088 8801 247" in page and "Đường dây nóng dành cho công dân" in page
    assert "Đã kết thúc" in page and "95 giây" in page
    for case in mine:
        assert trackcode.display(case.code) in page
    assert "Phòng Tài nguyên và Môi trường" in page and "Đã chuyển đơn vị xử lý" in page
    assert f"{local_date(mine[0].received_at):%d/%m/%Y}" in page   # the day in Vietnam
    assert trackcode.display(theirs.code) not in page


def test_console_shows_live_calls_first_and_staff_navigation(client):
    signed_in_operator(client)
    live = make_call(status="in-progress", from_number=OTHER_CALLER)
    make_call(status="completed")
    page = client.get("/staff/operator").get_data(as_text=True)
    current, recent = page.split('id="recent-title"')
    assert "0987 654 321" in current and "Đang nghe" in current
    assert f"/staff/operator/log?call={live.id}" in current
    assert "0912 345 678" in recent and "0987 654 321" not in recent
    assert 'aria-current="page">Cuộc gọi</a>' in page
    assert re.search(r'<form method="post" action="/staff/logout">\s*<input type="hidden" name="csrf_token"', page)


def test_callers_history_costs_one_query_whatever_the_number_of_calls(client):
    signed_in_operator(client)

    def console_statements() -> list[str]:
        with statements() as seen:
            assert client.get("/staff/operator").status_code == 200
        return seen

    for n in range(2):
        make_case(phone=f"+8490300000{n}")
        make_call(from_number=f"+8490300000{n}")
    few = console_statements()
    for n in range(2, 9):
        make_case(phone=f"+8490300000{n}")
        make_call(from_number=f"+8490300000{n}")
    many = console_statements()
    assert len(many) == len(few)
    assert len([s for s in many if "reporters" in s]) == 1


def test_calls_are_paged_newest_first_with_a_keyset(client):
    signed_in_operator(client)
    calls = [make_call(from_number=f"+849031{n:05d}") for n in range(55)]
    first = client.get("/staff/operator").get_data(as_text=True)
    numbers = re.findall(r'href="tel:\+849031(\d{5})"', first)
    assert numbers[0] == "00054" and len(numbers) == 50
    assert f"/staff/operator?before={calls[5].id}" in first
    second = client.get(f"/staff/operator?before={calls[5].id}").get_data(as_text=True)
    assert re.findall(r'href="tel:\+849031(\d{5})"', second) == ["00004", "00003", "00002", "00001", "00000"]
    assert "?before=" not in second


def test_log_page_is_prefilled_from_the_call(client):
    signed_in_operator(client)
    call = make_call(hotline="hl-business")
    page = client.get(f"/staff/operator/log?call={call.id}").get_data(as_text=True)
    assert 'name="phone" value="0912 345 678"' in page
    assert '<option value="hl-business" selected>' in page
    assert f'action="/staff/operator/log?call={call.id}"' in page
    assert client.get("/staff/operator/log?call=99999").status_code == 404
    assert client.get("/staff/operator/log?call=abc").status_code == 404


def test_logging_a_call_opens_a_voice_case_linked_to_the_call(client, db):
    operator = signed_in_operator(client)
    call = make_call(status="in-progress")
    response = client.post(f"/staff/operator/log?call={call.id}", data=CALL_FORM)
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert response.headers["Location"] == f"/staff/operator/logged/{case.code}"
    assert case.channel == "voice" and case.hotline.code == "hl-citizen"
    assert case.reporter.phone == CALLER and case.reporter.name == "Võ Thị Lan"
    assert case.received_at == call.started_at
    received = next(e for e in case.events if e.action == "received")
    assert received.actor == "operator" and received.user_id == operator.id
    db.session.refresh(call)
    assert call.case_id == case.id and call.handled_by_id == operator.id
    sms = db.session.scalars(select(OutboundMessage).filter_by(case_id=case.id)).one()
    assert (sms.purpose, sms.to_number) == ("received", CALLER)  # the code, by SMS
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert trackcode.display(case.code) in page and "Điện thoại" in page


def test_a_call_cannot_be_logged_twice(client, db):
    signed_in_operator(client)
    call = make_call()
    assert client.post(f"/staff/operator/log?call={call.id}", data=CALL_FORM).status_code == 302
    again = client.post(f"/staff/operator/log?call={call.id}", data=CALL_FORM)
    assert again.status_code == 422
    assert "Cuộc gọi này đã được ghi thành một phản ánh khác." in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Case)).all()) == 1


def test_a_case_logged_without_a_call_is_an_operator_case(client, db):
    operator = signed_in_operator(client)
    response = client.post("/staff/operator/log", data={**CALL_FORM, "hotline": ""})
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert case.channel == "operator" and case.hotline is None
    assert case.events[0].user_id == operator.id


def test_bad_input_is_explained_beside_each_field_and_kept(client, db):
    signed_in_operator(client)
    call = make_call()
    response = client.post(f"/staff/operator/log?call={call.id}", data={
        **CALL_FORM, "description": "ngắn", "phone": "12", "email": "khong-phai-email",
        "name": "Võ Thị Lan", "hotline": "khong-co",
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("description", "phone", "email", "hotline"):
        assert f'id="{field}-error"' in page, field
    assert ">ngắn</textarea>" in page and 'value="khong-phai-email"' in page
    assert 'value="Võ Thị Lan"' in page
    assert db.session.scalars(select(Case)).first() is None
    db.session.refresh(call)
    assert call.case_id is None


def test_a_note_is_added_to_an_existing_case_by_its_code(client, db):
    operator = signed_in_operator(client)
    case = make_case(phone=CALLER)
    call = make_call()
    typed = f"{case.code[:3]} {case.code[3:6]}-{case.code[6:]}"
    response = client.post(f"/staff/operator/log/note?call={call.id}",
                           data={"code": typed, "note": "Người gọi bổ sung số hồ sơ 123/GP."})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/operator"
    note = db.session.scalars(select(CaseEvent).filter_by(action="operator_note")).one()
    assert (note.case_id, note.actor, note.user_id) == (case.id, "operator", operator.id)
    assert note.detail == "Người gọi bổ sung số hồ sơ 123/GP." and note.public is False
    assert trackcode.display(case.code) in client.get("/staff/operator").get_data(as_text=True)
    track = client.get(f"/track/{case.code}").get_data(as_text=True)
    assert "123/GP" not in track  # private


def test_a_mistyped_code_is_refused_not_matched(client, db):
    signed_in_operator(client)
    case = make_case(phone=CALLER)
    wrong = case.code[:4] + str((int(case.code[4]) + 1) % 10) + case.code[5:]
    response = client.post("/staff/operator/log/note", data={"code": wrong, "note": "Bổ sung."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="code-error"' in page and "sai số kiểm tra" in page
    assert f'value="{wrong}"' in page and ">Bổ sung.</textarea>" in page
    assert db.session.scalars(select(CaseEvent).filter_by(action="operator_note")).first() is None


def test_console_pages_are_translated(client):
    signed_in_operator(client)
    make_call(status="no-answer")
    client.get("/lang/en?next=/")
    page = client.get("/staff/operator").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Recent calls" in page and "No answer" in page and "Sign out" in page


def test_a_flooding_number_is_grouped_with_its_messages_for_the_operators(app, client, db):
    from tests.fakes import webhooks

    app.config["SMS_FLOOD_LIMIT"] = 3
    for i in range(7):
        webhooks.post(client, "/hotline/sms", webhooks.sms_params(
            f"Tin thứ {i}: rác thải đổ bừa bãi ở hẻm 12 đường Lê Lợi.", from_=OTHER_CALLER))
    signed_in_operator(client)
    console = client.get("/staff/operator").get_data(as_text=True)
    assert "Số nhắn tin dồn dập" in console
    page = client.get("/staff/operator/floods")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "0987 654 321" in text or "987654321" in text
    assert "4 tin nhắn bị giới hạn" in text                 # 7 sent, 3 acted on
    assert all(f"Tin thứ {i}:" in text for i in range(3, 7))
    case = db.session.scalars(select(Case)).one()
    assert trackcode.display(case.code) in text             # the number's case, to open
