import re

from sqlalchemy import select

from feedback.domain import trackcode
from feedback.models import Call, Case
from feedback.services.workflow import accounts as staff
from feedback.services.hotline import calls
from tests.fakes.webhooks import sid

PASSWORD = "mat-khau-tong-dai-2026"


def test_operator_signs_in_and_logs_a_missed_call_as_a_case(live_server, page, db):
    staff.save_user("tongdai@vungtau.gov.vn", PASSWORD, "operator", name="Lê Thị Tổng Đài")
    ref = calls.CallRef(call_sid=sid("CA"), from_number="+84918765432", to_number="+84888800147")
    calls.start(ref)
    calls.call_status(ref, "completed", 8)

    page.goto(f"{live_server}/staff/operator")
    page.wait_for_url(re.compile(r"/staff/login"))
    page.fill("#email", "tongdai@vungtau.gov.vn")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/staff/operator$"))
    assert page.get_by_text("0918 765 432").first.is_visible()

    page.goto(f"{live_server}/staff/operator/callbacks")
    page.get_by_role("link", name="Ghi cuộc gọi").last.click()
    assert page.input_value("#phone") == "0918 765 432"
    assert page.input_value("#hotline") == "hl-business"
    page.fill("#description", "Người gọi phản ánh hồ sơ đăng ký hộ kinh doanh bị trễ hẹn 10 ngày.")
    page.fill("#name", "Võ Minh Tâm")
    page.get_by_role("button", name="Mở phản ánh").click()

    code = trackcode.normalise(page.locator(".big-code").inner_text())
    assert code is not None
    case = db.session.scalars(select(Case).filter_by(code=code)).one()
    call = db.session.scalars(select(Call)).one()
    db.session.refresh(call)
    assert (case.channel, case.reporter.phone, case.hotline.code) == ("voice", "+84918765432", "hl-business")
    assert call.case_id == case.id and call.handled_by_id is not None
    assert case.events[0].actor == "operator"
