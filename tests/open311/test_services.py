"""Discovery, the service list and service definitions, in XML and JSON."""
from xml.etree import ElementTree as ET

import pytest


def xml(response):
    assert response.mimetype == "text/xml"
    return ET.fromstring(response.data)


def test_discovery_names_the_endpoint_and_both_formats(client):
    found = client.get("/open311/v2/discovery.json").json
    endpoint = found["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == endpoint["formats"]


def test_services_are_the_fields_with_their_office(client):
    services = client.get("/open311/v2/services.json").json
    by_code = {s["service_code"]: s for s in services}
    civil = by_code["ho-tich"]
    assert civil["service_name"] == "Hộ tịch" and civil["group"] == "Phòng Tư pháp"
    assert civil["metadata"] is True and civil["type"] == "realtime"
    assert "Đăng ký khai sinh" in civil["keywords"]
    root = xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == list(by_code)
    assert root.find("service/metadata").text == "true"


def test_service_names_follow_the_language(client):
    client.set_cookie("lang", "en")
    services = client.get("/open311/v2/services.json").json
    assert {s["service_code"]: s["service_name"] for s in services}["ho-tich"] == "Civil status registration"


def test_a_definition_keeps_the_business_citizen_distinction(client):
    found = client.get("/open311/v2/services/ho-kinh-doanh.json").json
    attributes = {a["code"]: a for a in found["attributes"]}
    assert found["service_code"] == "ho-kinh-doanh"
    assert [v["key"] for v in attributes["reporter_type"]["values"]] == ["citizen", "business"]
    assert {"business_name", "tax_code", "kind", "procedure", "ward"} <= set(attributes)
    assert "Đăng ký thành lập hộ kinh doanh" in [v["name"] for v in attributes["procedure"]["values"]]
    assert [a["order"] for a in found["attributes"]] == sorted(a["order"] for a in found["attributes"])
    root = xml(client.get("/open311/v2/services/ho-kinh-doanh.xml"))
    assert root.tag == "service_definition"
    kinds = root.findall("attributes/attribute")[0]
    assert kinds.findtext("code") == "kind" and kinds.findtext("variable") == "true"
    assert [v.findtext("key") for v in kinds.findall("values/value")] == [
        "phan-anh", "kien-nghi", "khieu-nai", "to-cao"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_format_asked(client, fmt):
    response = client.get(f"/open311/v2/services/khong-co.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert response.json[0]["code"] == 404 and "khong-co" in response.json[0]["description"]
    else:
        assert xml(response).find("error/code").text == "404"


def test_jurisdiction_id_is_accepted(client):
    assert client.get("/open311/v2/services.json?jurisdiction_id=vungtau.gov.vn").status_code == 200


def test_the_api_page_and_its_openapi_description(client):
    page = client.get("/open311/v2/")
    assert page.status_code == 200 and "GeoReport v2" in page.get_data(as_text=True)
    spec = client.get("/open311/v2/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    assert {"/open311/v2/requests.xml", "/open311/v2/requests.json",
            "/open311/v2/tokens/{token}.json"} <= set(spec["paths"])
