import re

from sqlalchemy import select

from feedback.domain import trackcode
from feedback.models import Case


def test_citizen_submits_a_complaint_and_tracks_it(live_server, page, db):
    page.goto(f"{live_server}/submit")
    page.get_by_label("Khiếu nại", exact=True).check()
    page.select_option("#category", "dat-dai")
    page.select_option("#ward", "w-thang-tam")
    page.fill("#description", "Tôi khiếu nại quyết định thu hồi đất số 45/QĐ-UBND ngày 02/11/2026.")
    page.fill("#name", "Phạm Thị Hoa")
    page.fill("#phone", "0912 345 678")
    page.check("#consent_publish")
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.wait_for_url(re.compile(r"/submit/done$"))
    shown = page.locator(".big-code").inner_text()
    code = trackcode.normalise(shown)
    assert code is not None
    assert page.get_by_text("Thanh tra thành phố").is_visible()
    case = db.session.scalars(select(Case).filter_by(code=code)).one()
    assert page.get_by_text(f"{case.due_on:%d/%m/%Y}").first.is_visible()

    page.get_by_role("link", name="Xem tình trạng xử lý").click()
    page.wait_for_url(re.compile(rf"/track/{code}$"))
    assert page.locator("h1").inner_text() == "Đã chuyển đơn vị xử lý"
    assert "Phạm Thị Hoa" not in page.content()


def test_errors_are_summarised_focused_and_nothing_typed_is_lost(live_server, page):
    page.goto(f"{live_server}/submit")
    page.get_by_label("Doanh nghiệp", exact=True).check()
    assert page.locator("#business-fields").is_visible()
    page.fill("#business_name", "Công ty TNHH Sao Biển")
    page.fill("#tax_code", "0100109107")
    page.fill("#description", "Hồ sơ đăng ký hộ kinh doanh bị yêu cầu thêm giấy tờ ngoài quy định.")
    page.fill("#name", "Lê Văn Tám")
    page.get_by_role("button", name="Gửi phản ánh").click()

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    # The page's deferred script moves the focus there once it has run.
    page.wait_for_function("document.activeElement.id === 'error-summary'", timeout=5000)
    assert page.locator("#tax_code-error").is_visible()
    assert page.locator("#phone-error").is_visible()
    assert page.input_value("#business_name") == "Công ty TNHH Sao Biển"
    assert page.input_value("#description").startswith("Hồ sơ đăng ký hộ kinh doanh")
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#tax_code")


def test_procedures_follow_the_chosen_field(live_server, page):
    page.goto(f"{live_server}/submit")
    page.select_option("#category", "ho-tich")
    visible = page.eval_on_selector_all(
        "#procedure optgroup:not([hidden])", "groups => groups.map(g => g.dataset.category)")
    assert visible == ["ho-tich"]
