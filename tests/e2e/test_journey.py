"""The whole journey on a phone-sized screen, once in Vietnamese and once in
English: a citizen submits with a photo, an operator logs a call, the officer
answers, the unit head approves, the city office publishes, and the public
search finds the case typed without accents.

Each step leaves a screenshot in screenshots/journey-<lang>/ (or under
$E2E_ARTIFACTS), kept by CI as the test's artefacts."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from feedback.domain import trackcode
from feedback.models import Attachment, Case
from tests import factories as f
from tests.factories import add_sending_number
from tests.domain.test_files import PNG

PHONE = {"width": 390, "height": 844}
LOCALES = {"vi": "vi-VN", "en": "en-GB"}
UNIT = "p-tc-kh"     # where the "ho-kinh-doanh" category goes
SUMMARY = "Đăng ký hộ kinh doanh bị trả hồ sơ vì thiếu giấy tờ không có trong quy định"
ANSWER = ("Phòng Tài chính – Kế hoạch đã rà soát: hồ sơ đăng ký hộ kinh doanh của bạn đủ thành phần; "
          "giấy chứng nhận được cấp trong 3 ngày làm việc tại Bộ phận một cửa.")


class Journey:
    """A browser context per person, all in one language, with numbered screenshots."""

    def __init__(self, browser, base: str, lang: str, shots: Path):
        self.browser, self.base, self.lang, self.shots = browser, base, lang, shots
        self.step = 0

    def t(self, message: str, **values) -> str:
        with force_locale(self.lang):
            return gettext(message, **values)

    def person(self):
        context = self.browser.new_context(locale=LOCALES[self.lang], viewport=PHONE)
        return context.new_page()

    def snap(self, page, name: str) -> None:
        assert page.locator("html").get_attribute("lang") == self.lang
        # Nothing wider than the phone: no sideways scrolling (a long link once did).
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        self.step += 1
        # JPEG: a full-page PNG cost ~0.25 s of CPU to encode, 6 s a run.
        page.screenshot(path=str(self.shots / f"{self.step:02d}-{name}.jpg"), full_page=True,
                        type="jpeg", quality=85)

    def sign_in(self, user):
        page = self.person()
        page.goto(f"{self.base}/staff/login")
        page.fill("#email", user.email)
        page.fill("#password", f.PASSWORD)
        page.get_by_role("button", name=self.t("Đăng nhập")).click()
        page.wait_for_url(re.compile(r"/staff/(?!login)"))
        return page

    def act(self, page, action: str, button: str, **fields) -> None:
        card = page.locator(f"#action-{action}")
        if card.locator("details").get_attribute("open") is None:
            card.locator("summary").click()
        for name, value in fields.items():
            card.locator(f"[name={name}]").fill(value)
        card.get_by_role("button", name=self.t(button)).click()
        page.wait_for_load_state()

    def open_case(self, page, code: str, tab: str = "") -> None:
        page.goto(f"{self.base}/staff/{'?tab=' + tab if tab else ''}")
        page.get_by_role("link", name=re.compile(trackcode.display(code))).first.click()
        page.wait_for_url(re.compile(rf"/staff/cases/{code}$"))


@pytest.fixture
def shots(request) -> Path:
    lang = request.node.callspec.params["lang"]
    root = Path(os.environ.get("E2E_ARTIFACTS", "screenshots"))
    folder = root / f"journey-{lang}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.png"), *folder.glob("*.jpg")]:
        old.unlink()
    return folder


@pytest.mark.org_data  # the hotlines get the number their SMS go out from
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_whole_journey_on_a_phone(lang, live_server, browser, db, shots, fake_twilio):
    add_sending_number("hl-business")
    trip = Journey(browser, live_server, lang, shots)
    officer, head = f.staff("officer", unit=UNIT), f.staff("unit_head", unit=UNIT)
    city, operator = f.staff("city_office"), f.staff("operator")

    code = citizen_submits_with_a_photo(trip)
    case = db.session.scalars(select(Case).filter_by(code=code)).one()
    assert case.unit.code == UNIT
    assert db.session.scalars(select(Attachment).filter_by(case_id=case.id)).one().content_type == "image/png"

    operator_logs_a_call(trip, operator, db)
    unit_answers_and_approves(trip, officer, head, code)
    city_office_publishes(trip, city, code)
    public_finds_it_without_accents(trip, code)
    texts = [sent["Body"] for sent in fake_twilio.sent if sent["To"] == "+84912345678"]
    assert any(code in body and "da co tra loi" in body for body in texts)


def citizen_submits_with_a_photo(trip: Journey) -> str:
    page = trip.person()
    page.goto(f"{trip.base}/submit")
    page.get_by_label(trip.t("Phản ánh"), exact=True).check()
    page.get_by_label(trip.t("Doanh nghiệp"), exact=True).check()
    page.fill("#business_name", "Hộ kinh doanh Tạp hóa Đức Hạnh")
    page.fill("#tax_code", "0300588569")
    page.select_option("#category", "ho-kinh-doanh")
    page.fill("#description", "Tôi nộp hồ sơ đăng ký hộ kinh doanh ngày 02/11 nhưng bị trả lại, "
                              "yêu cầu thêm giấy xác nhận không có trong quy định.")
    page.set_input_files("#attachments", files=[
        {"name": "bien-nhan.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("#name", "Trần Đức Hạnh")
    page.fill("#phone", "0912 345 678")
    page.check("#consent_publish")
    trip.snap(page, "citizen-form")
    page.get_by_role("button", name=trip.t("Gửi phản ánh")).click()
    page.wait_for_url(re.compile(r"/submit/done$"))
    trip.snap(page, "citizen-code")
    code = trackcode.normalise(page.locator(".big-code").inner_text())
    assert code is not None
    return code


def operator_logs_a_call(trip: Journey, operator, db) -> None:
    page = trip.sign_in(operator)
    trip.snap(page, "operator-console")
    page.get_by_role("link", name=trip.t("Ghi cuộc gọi mới")).click()
    page.get_by_label(trip.t("Kiến nghị"), exact=True).check()
    page.select_option("#hotline", "hl-citizen")
    page.fill("#description", "Người gọi đề nghị niêm yết rõ lệ phí chứng thực bản sao tại phường Thắng Tam.")
    page.fill("#name", "Nguyễn Thị Lan")
    page.fill("#phone", "0987 654 321")
    trip.snap(page, "operator-form")
    page.get_by_role("button", name=trip.t("Mở phản ánh")).click()
    logged = trackcode.normalise(page.locator(".big-code").inner_text())
    trip.snap(page, "operator-code")
    case = db.session.scalars(select(Case).filter_by(code=logged)).one()
    assert (case.channel, case.reporter.phone) == ("operator", "+84987654321")


def unit_answers_and_approves(trip: Journey, officer, head, code: str) -> None:
    desk = trip.sign_in(officer)
    trip.snap(desk, "officer-inbox")
    trip.open_case(desk, code)
    trip.act(desk, "accept", "Tiếp nhận xử lý")
    trip.act(desk, "answer", "Soạn trả lời", summary=SUMMARY, public_text=ANSWER,
             resolution="Đã hướng dẫn bộ phận một cửa không yêu cầu giấy xác nhận.")
    assert trip.t("Dự thảo, chờ lãnh đạo duyệt") in desk.content()
    trip.snap(desk, "officer-answer")

    boss = trip.sign_in(head)
    trip.open_case(boss, code, tab="approval")
    trip.act(boss, "approve", "Duyệt trả lời")
    trip.snap(boss, "head-approved")


def city_office_publishes(trip: Journey, city, code: str) -> None:
    office = trip.sign_in(city)
    trip.open_case(office, code, tab="review")
    trip.act(office, "publish", "Công bố trả lời")
    assert trip.t("Đã trả lời") in office.locator("h1").inner_text()
    trip.snap(office, "city-published")


def public_finds_it_without_accents(trip: Journey, code: str) -> None:
    page = trip.person()
    page.goto(f"{trip.base}/results")
    page.fill("#q", "dang ky ho kinh doanh tra ho so")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/results\?.*q=dang"))
    assert SUMMARY in page.content()
    trip.snap(page, "public-search")
    page.get_by_role("link", name=re.compile(SUMMARY[:30])).first.click()
    page.wait_for_url(re.compile(rf"/results/{code}$"))
    assert "giấy chứng nhận được cấp trong 3 ngày" in page.content()
    # The reporter's name and phone in every form the page could write it (not a
    # bare "0912": a random tracking code may hold those digits).
    private = ("Trần Đức Hạnh", "0912 345 678", "0912345678", "+84912345678", "84 912 345 678")
    assert [text for text in private if text in page.content()] == []
    trip.snap(page, "public-result")
