"""An Open311 client library published for other cities' endpoints
(`georeport` on PyPI) reads this endpoint over HTTP in JSON and XML: the
service list, a definition, the requests and one request. It cannot file or
discover, so those two steps are plain HTTP as the spec describes them."""
import requests
from georeport import GeoReport

from feedback.domain import states
from tests import factories as f
from tests.open311.conftest import API_CLIENT


def test_a_client_library_discovers_lists_files_and_reads_back(live_server, api_key, db):
    root = f"{live_server}/open311/v2"
    discovery = requests.get(f"{root}/discovery.json", timeout=10).json()
    endpoint = discovery["endpoints"][0]["url"]
    assert endpoint == root

    for fmt in ("json", "xml"):
        client = GeoReport(endpoint, jurisdiction="vungtau.gov.vn", output_format=fmt)
        services = client.get_service_list()
        assert "ho-tich" in [s["service_code"] for s in services]
        definition = client.get_service_definition("ho-tich")
        assert definition["service_code"] == "ho-tich"

    filed = requests.post(f"{root}/requests.json", timeout=10, data={
        "api_key": api_key, "jurisdiction_id": "vungtau.gov.vn", "service_code": "ho-tich",
        "address_string": "Phường Thắng Tam", "first_name": "Minh", "last_name": "Trần Văn",
        "phone": "0903 123 456", "description": "Xin hỏi thủ tục đăng ký kết hôn cần những giấy tờ gì?"})
    assert filed.status_code == 200, filed.text
    code = filed.json()[0]["service_request_id"]
    case = f.refresh_by_code(code)
    assert case.api_client.name == API_CLIENT and case.unit.code == "w-thang-tam"
    f.move(case, states.PUBLISHED)

    for fmt in ("json", "xml"):
        client = GeoReport(endpoint, jurisdiction="vungtau.gov.vn", output_format=fmt)
        one = client.get_service_request(code)
        assert (one["service_request_id"], one["status"]) == (code, "closed")
        assert one["agency_responsible"] == "Phường Thắng Tam"
        assert one["expected_datetime"] == f"{case.due_on.isoformat()}T23:59:59+07:00"
        listed = client.get_service_requests(service_code="ho-tich")
        listed = [listed] if isinstance(listed, dict) else listed     # XML: one request is no list
        assert [r["service_request_id"] for r in listed] == [code]
