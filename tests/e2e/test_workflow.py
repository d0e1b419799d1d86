"""The units' workflow in a real browser, as the staff use it: the city office
assigns a case from triage; the officer accepts and answers; the unit head
approves; the city office sends it back once, then publishes; the citizen gets
the SMS and finds the answer on the tracking page and on /results."""
import re

import pytest
from sqlalchemy import select

from feedback.domain import states, trackcode
from feedback.models import Case, OutboundMessage
from tests import factories as f
from tests.factories import add_sending_number

ANSWER = "Phòng đã kiểm tra: hồ sơ đủ điều kiện, giấy chứng nhận được trả ngày 25/11 tại Bộ phận một cửa."


def sign_in(browser, base, user):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    page.fill("#email", user.email)
    page.fill("#password", f.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/staff/(?!login)"))
    return page


def act(page, action, button, **fields):
    card = page.locator(f"#action-{action}")
    if card.locator("details").get_attribute("open") is None:
        card.locator("summary").click()
    for name, value in fields.items():
        field = card.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            field.check()
        else:
            field.fill(value)
    card.get_by_role("button", name=button).click()
    page.wait_for_load_state()


@pytest.mark.org_data  # a sending number is added to a hotline
def test_from_triage_to_a_published_answer(live_server, browser, db, fake_twilio):
    add_sending_number()
    city, officer, head = f.staff("city_office"), f.staff("officer"), f.staff("unit_head")
    case = f.triage_case(phone="0912 345 678")
    assert case.state == states.TRIAGE
    code = case.code

    office = sign_in(browser, live_server, city)
    office.get_by_role("link", name=re.compile(trackcode.display(code))).click()
    act(office, "assign", "Chuyển đơn vị xử lý", unit=f.UNIT, reason="Thuộc lĩnh vực đất đai")
    assert "Đã chuyển đơn vị xử lý" in office.locator("h1").inner_text()

    desk = sign_in(browser, live_server, officer)
    desk.get_by_role("link", name=re.compile(trackcode.display(code))).click()
    act(desk, "accept", "Tiếp nhận xử lý")
    act(desk, "answer", "Soạn trả lời", summary="Chậm cấp giấy chứng nhận quyền sử dụng đất",
        public_text=ANSWER, resolution="Hồ sơ đã ký ngày 20/11.")
    assert "Dự thảo, chờ lãnh đạo duyệt" in desk.content()

    boss = sign_in(browser, live_server, head)
    boss.goto(f"{live_server}/staff/?tab=approval")
    boss.get_by_role("link", name=re.compile(trackcode.display(code))).click()
    act(boss, "approve", "Duyệt trả lời")

    office.goto(f"{live_server}/staff/?tab=review")
    office.get_by_role("link", name=re.compile(trackcode.display(code))).click()
    act(office, "send-back", "Trả lại để sửa", reason="Nêu rõ nơi nhận giấy và giờ làm việc.")
    assert "Đang xử lý" in office.locator("h1").inner_text()

    desk.reload()
    assert "Nêu rõ nơi nhận giấy" in desk.content()
    act(desk, "answer", "Soạn trả lời", public_text=ANSWER + " Giờ làm việc: 7 giờ 30 đến 17 giờ.")
    boss.reload()
    act(boss, "approve", "Duyệt trả lời")
    office.reload()
    act(office, "publish", "Công bố trả lời")
    assert "Đã trả lời" in office.locator("h1").inner_text()

    db.session.expire_all()
    case = db.session.scalars(select(Case).filter_by(code=code)).one()
    assert case.state == states.PUBLISHED
    texts = [sent["Body"] for sent in fake_twilio.sent]
    assert any("da co tra loi" in body and code in body for body in texts)
    answered = db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.case_id == case.id, OutboundMessage.purpose == "answered")).one()
    assert answered.status == "sent"

    citizen = browser.new_context(locale="vi-VN").new_page()
    citizen.goto(f"{live_server}/track/{code}")
    assert "Giờ làm việc: 7 giờ 30" in citizen.content()
    citizen.get_by_label(re.compile("5 · Rất hài lòng")).check()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn bạn đã đánh giá" in citizen.content()
    citizen.goto(f"{live_server}/results")
    assert "Chậm cấp giấy chứng nhận quyền sử dụng đất" in citizen.content()


def test_the_supervisor_reads_a_denunciation_no_officer_finds(live_server, browser, db):
    officer = f.staff("officer", unit="thanh-tra")
    supervisor = f.staff("supervisor", name="Trương Giám Sát")
    case = f.sealed_case()
    code = trackcode.display(case.code)

    desk = sign_in(browser, live_server, officer)
    desk.fill("#q", case.code)
    desk.get_by_role("button", name="Lọc").click()
    assert code not in desk.content()
    desk.goto(f"{live_server}/staff/cases/{case.code}")
    assert "Lỗi 404" in desk.content()

    watch = sign_in(browser, live_server, supervisor)
    watch.get_by_role("link", name=code).click()
    assert f.DENOUNCER["name"] in watch.content()
    assert "Đường dây kín" in watch.content()
    watch.goto(f"{live_server}/staff/audit")
    row = watch.locator("tr", has_text="Xem phản ánh đường dây kín").first
    assert "Trương Giám Sát" not in row.inner_text() and supervisor.email in row.inner_text()
