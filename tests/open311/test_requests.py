"""Filing and reading service requests: a round trip through the intake and
the publication, the 90-day window, filters, pages and every error."""
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select, update

from feedback.domain import states
from feedback.extensions import db as _db
from feedback.models import Case, PublicRecord
from feedback.models.types import utcnow
from tests import factories as f
from tests.open311.conftest import filed


def case_of(response) -> Case:
    code = response.json[0]["service_request_id"]
    return _db.session.scalars(select(Case).filter_by(code=code)).one()


def test_a_request_is_a_case_of_channel_api_routed_like_the_web_form(client, api_key, db):
    response = filed(client, api_key, lat="10.3460", long="107.0843")
    assert response.status_code == 200
    case = case_of(response)
    assert (case.channel, case.api_client.name) == ("api", "Cổng dịch vụ công tỉnh")
    assert (case.ward.code, case.unit.code) == ("w-7", "w-7")   # ward named in address_string
    assert case.category.code == "ho-tich" and case.state == states.ASSIGNED
    assert case.reporter.name == "Nguyễn Thị Lan" and case.reporter.phone == "+84912345678"
    assert (case.address, case.latitude, case.longitude) == ("Số 12 Lê Lợi, Phường 7", 10.346, 107.0843)
    notice = response.json[0]["service_notice"]
    assert case.code in notice and case.due_on.strftime("%d/%m/%Y") in notice


def test_the_answer_is_in_xml_too(client, api_key):
    root = ET.fromstring(filed(client, api_key, fmt="xml").data)
    assert root.tag == "service_requests"
    assert len(root.findtext("request/service_request_id")) == 12


def test_attributes_carry_kind_business_procedure_and_ward(client, api_key):
    case = case_of(filed(client, api_key, service_code="ho-kinh-doanh", address_string="Vũng Tàu", **{
        "attribute[kind]": "kien-nghi", "attribute[reporter_type]": "business",
        "attribute[business_name]": "Công ty TNHH Sao Biển", "attribute[tax_code]": "0300588569",
        "attribute[procedure]": "ho-kinh-doanh/dang-ky-thanh-lap-ho-kinh-doanh", "attribute[ward]": "w-2",
        "attribute[consent_publish]": "true"}))
    assert (case.kind, case.reporter_type, case.reporter.tax_code) == ("kien-nghi", "business", "0300588569")
    assert case.ward.code == "w-2" and case.consent_publish is True
    assert case.unit.code == "p-tc-kh"


def test_round_trip_filed_then_published_then_read_with_its_unit_and_deadline(client, api_key, db):
    case = case_of(filed(client, api_key))
    unpublished = client.get(f"/open311/v2/requests/{case.code}.json").json[0]
    assert unpublished["status"] == "open" and unpublished["service_code"] == "ho-tich"
    assert unpublished["agency_responsible"] is None and unpublished["description"] is None

    f.move(case, states.PUBLISHED)
    for fmt in ("json", "xml"):
        response = client.get(f"/open311/v2/requests/{case.code}.{fmt}")
        if fmt == "json":
            found = response.json[0]
        else:
            found = {e.tag: e.text for e in ET.fromstring(response.data).find("request")}
        assert found["status"] == "closed"
        assert found["agency_responsible"] == "Phường 7"
        assert found["expected_datetime"] == f"{case.due_on.isoformat()}T23:59:59+07:00"
        assert found["status_notes"] == f.ANSWER and found["description"] == f.SUMMARY
        assert found["address_id"] == "w-7" and found["requested_datetime"].endswith("+07:00")


def test_reads_never_show_the_reporter_or_where_they_are(client, api_key, db):
    case = case_of(filed(client, api_key, lat="10.3460", long="107.0843"))
    f.move(case, states.PUBLISHED)
    sealed = f.sealed_case()
    for url in (f"/open311/v2/requests/{case.code}.json", f"/open311/v2/requests/{case.code}.xml",
                f"/open311/v2/requests/{sealed.code}.json", "/open311/v2/requests.json",
                "/open311/v2/requests.xml"):
        body = client.get(url).get_data(as_text=True)
        for private in ("Nguyễn Thị Lan", "912345678", "912 345 678", "lan@example.vn", "Lê Lợi",
                        "10.346", "107.0843", f.DENOUNCER["name"], "to.giac@example.vn"):
            assert private not in body, (url, private)


def test_a_sealed_case_shows_its_status_and_service_only(client, db):
    sealed = f.sealed_case()
    found = client.get(f"/open311/v2/requests/{sealed.code}.json").json[0]
    assert found["status"] == "open"
    assert {k for k, v in found.items() if v is not None} <= {"service_request_id", "status",
                                                              "service_code", "service_name"}


def published(days_ago: int = 1, **fields) -> Case:
    case = f.case_in(states.PUBLISHED, **fields)
    moved = utcnow() - timedelta(days=days_ago)
    _db.session.execute(update(PublicRecord).where(PublicRecord.case_id == case.id)
                        .values(received_at=moved))
    _db.session.commit()
    return case


def codes(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["service_request_id"] for r in response.json]


def test_the_list_holds_published_cases_of_the_last_90_days_newest_first(client, db):
    old, recent, newest = published(120), published(10), published(1)
    f.ordinary_case()                                        # not published: not listed
    assert codes(client.get("/open311/v2/requests.json")) == [newest.code, recent.code]
    window = "start_date=2026-01-01T00:00:00Z&end_date=2026-03-31T00:00:00Z"
    assert client.get(f"/open311/v2/requests.json?{window}").status_code == 200
    start = (utcnow() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert codes(client.get("/open311/v2/requests.json", query_string={"start_date": start})) == [old.code]


def test_filters_by_service_status_ids_and_pages(client, db):
    land, other = published(3), published(2, category_code="moi-truong")
    assert codes(client.get("/open311/v2/requests.json?service_code=moi-truong")) == [other.code]
    assert codes(client.get("/open311/v2/requests.json?service_code=dat-dai,moi-truong")) == [
        other.code, land.code]
    assert codes(client.get("/open311/v2/requests.json?status=open")) == []
    assert codes(client.get("/open311/v2/requests.json?status=closed")) == [other.code, land.code]
    assert codes(client.get("/open311/v2/requests.json?page_size=1&page=2")) == [land.code]
    asked = f"{land.code},000000000000,{other.code}"
    assert codes(client.get(f"/open311/v2/requests.json?service_request_id={asked}&status=open")) == [
        land.code, other.code]


@pytest.mark.parametrize("query, field", [
    ("start_date=hom-qua", "start_date"),
    ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "start_date"),
    ("start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "end_date"),
    ("status=pending", "status"),
    ("page_size=0", "page_size"),
    ("page_size=1001", "page_size"),
    ("page=abc", "page"),
])
def test_bad_list_parameters_are_a_400(client, query, field):
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    assert response.json[0]["code"] == 400 and response.json[0]["description"].startswith(field)


@pytest.mark.parametrize("fields, status, field", [
    ({"api_key": "khong-dung"}, 403, "api_key"),
    ({"api_key": ""}, 403, "api_key"),
    ({"service_code": "khong-co"}, 404, "service_code"),
    ({"address_string": None}, 400, "lat"),
    ({"lat": "10.3", "address_string": None}, 400, "lat"),
    ({"lat": "91", "long": "107"}, 400, "lat"),
    ({"lat": "nan", "long": "107"}, 400, "lat"),
    ({"address_id": "p-tu-phap"}, 400, "address_id"),
    ({"description": "ngắn"}, 400, "description"),
    ({"first_name": "", "last_name": ""}, 400, "first_name"),
    ({"phone": "12", "email": ""}, 400, "phone"),
    ({"attribute[reporter_type]": "business"}, 400, "attribute[business_name]"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
])
def test_each_filing_error_has_its_status_and_names_the_parameter(client, api_key, db, fields, status, field):
    response = filed(client, api_key, **fields)
    assert response.status_code == status, response.json
    assert any(e["description"].startswith(field) for e in response.json), response.json
    assert db.session.scalars(select(Case)).first() is None


def test_errors_in_xml_are_an_errors_document(client):
    response = client.post("/open311/v2/requests.xml", data={"service_code": "ho-tich"})
    root = ET.fromstring(response.data)
    assert response.status_code == 403 and root.tag == "errors"
    assert root.findtext("error/code") == "403"


@pytest.mark.parametrize("url", ["/open311/v2/requests/999999999999.json",
                                 "/open311/v2/tokens/abc.json", "/open311/v2/nothing.json"])
def test_unknown_things_are_a_404_error_list(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.json[0]["code"] == 404
