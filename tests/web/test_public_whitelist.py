"""The public record is a whitelist: personal data planted in every private
field of a case never reaches a public page, feed or export once the case is
published, nor the tracking page of another case."""
import pytest

from feedback.services.workflow.lifecycle import Given, act
from tests import factories as f

NAME, PHONE, EMAIL = "Quách Thị Riêng Tư", "0977 123 456", "rieng.tu@example.vn"
ID_NUMBER, BUSINESS, TAX = "079301009876", "Công ty TNHH Bí Mật Việt", "0100109106"
ADDRESS, LAT, LONG = "Số 99 hẻm Kín, Phường 7", 10.351234, 107.071234
PLANTED = (NAME, "Riêng Tư", "977123456", "977 123 456", EMAIL, ID_NUMBER, BUSINESS, TAX,
           "hẻm Kín", "10.351234", "107.071234")


def leaks(text):
    return [value for value in PLANTED if value in text]


@pytest.fixture
def published(app):
    case = f.ordinary_case(
        reporter_type="business", name=NAME, phone=PHONE, email=EMAIL, business_name=BUSINESS,
        tax_code=TAX, consent_publish=False, address=ADDRESS, latitude=LAT, longitude=LONG,
        description=f"Tôi là {NAME}, CCCD {ID_NUMBER}, gọi {PHONE} hoặc {EMAIL}: đất chậm cấp giấy.")
    officer, head, city = f.staff("officer"), f.staff("unit_head"), f.staff("city_office")
    act(f.actor(officer), case, "accept", Given())
    act(f.actor(officer), case, "note", Given(reason=f"Đã gọi {NAME} ở số {PHONE}."))
    act(f.actor(officer), case, "answer", Given(
        summary="Chậm cấp giấy chứng nhận quyền sử dụng đất", public_text=f.ANSWER,
        resolution=f"Đã làm việc với {NAME}, CCCD {ID_NUMBER}, {EMAIL}."))
    act(f.actor(head), case, "approve", Given())
    act(f.actor(city), case, "publish", Given(words=case.description))
    return case


def test_no_public_page_feed_or_export_shows_what_is_private(client, published):
    other = f.ordinary_case()
    urls = ["/", "/results", f"/results/{published.code}", "/results.atom", "/results.csv",
            "/results.json", "/results?q=dat", "/stats", "/stats.csv", f"/units/{f.UNIT}",
            "/procedures", f"/track/{other.code}", f"/track/{published.code}", "/track",
            "/open311/v2/requests.json", "/open311/v2/requests.xml",
            f"/open311/v2/requests/{published.code}.json", f"/open311/v2/requests/{published.code}.xml",
            f"/open311/v2/requests/{other.code}.json"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(response.get_data(as_text=True)) == [], url


def test_words_without_consent_are_not_published(client, published):
    html = client.get(f"/results/{published.code}").get_data(as_text=True)
    assert "đất chậm cấp giấy" not in html and "Nội dung phản ánh" not in html
