"""/results, /results/<code>, the feeds and exports, /stats, /units, /procedures."""
import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from babel.numbers import format_decimal

from feedback.domain import trackcode
from feedback.services.public import results
from feedback.services.public.results import ResultFilters
from feedback.services.workflow.access import SYSTEM
from feedback.services.workflow.lifecycle import Given, act
from tests import factories as f
from tests.factories import make_case

ATOM = "{http://www.w3.org/2005/Atom}"


def published(summary, **fields):
    case = f.case_in("approved", **fields)
    act(SYSTEM, case, "publish", Given(summary=summary, checked=True), notify_reporter=False)
    return case


def spaced(code):
    return trackcode.display(code)


@pytest.fixture
def three(app):
    return [published("Đăng ký hộ kinh doanh bị trả hồ sơ", ward_code="w-1"),
            published("Đèn chiếu sáng hỏng", category_code="ha-tang-do-thi", ward_code="w-7"),
            published("Xây nhà không phép", category_code="xay-dung")]


def test_results_show_cards_with_summary_answer_unit_and_timeliness(client, three):
    html = client.get("/results").get_data(as_text=True)
    assert "3 kết quả" in html
    for case in three:
        assert f"/results/{case.code}" in html
    assert "Đăng ký hộ kinh doanh bị trả hồ sơ" in html and f.ANSWER[:40] in html
    assert "Đúng hạn" in html and "Phòng Tài nguyên và Môi trường" in html


def test_search_without_accents_and_filters_make_shareable_links(client, three):
    html = client.get("/results?q=den+chieu+sang").get_data(as_text=True)
    assert "1 kết quả" in html and "Đèn chiếu sáng hỏng" in html
    html = client.get("/results?ward=w-1").get_data(as_text=True)
    assert "1 kết quả" in html and f"/results/{three[0].code}" in html
    html = client.get("/results?ward=w-1&on_time=0").get_data(as_text=True)
    assert "0 kết quả" in html and "Không có kết quả nào phù hợp" in html
    html = client.get("/results?since=2000-01-01&until=2000-12-31").get_data(as_text=True)
    assert "0 kết quả" in html


def test_pages_follow_each_other_without_gaps_or_repeats(client, app):
    from feedback.services.public import results as service
    cases = [published(f"Kết quả số {n}") for n in range(7)]
    seen, after = [], None
    while True:
        page = service.page(service.ResultFilters(), after, size=3)
        seen += [r.code for r in page.records]
        assert page.total == 7
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [c.code for c in reversed(cases)]
    html = client.get(f"/results?after={10**30}").get_data(as_text=True)  # nonsense: page one
    assert "7 kết quả" in html


def test_a_result_page_shows_readable_steps_and_no_raw_names(client, three):
    response = client.get(f"/results/{three[1].code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đèn chiếu sáng hỏng" in html
    for step in ("Tiếp nhận", "Đơn vị tiếp nhận xử lý", "Đã công bố trả lời"):
        assert step in html
    for raw in (">publish<", ">accept<", "in_progress", "routed"):
        assert raw not in html


def test_unpublished_or_unknown_codes_are_404(client, three):
    waiting = f.case_in("approved")
    assert client.get(f"/results/{waiting.code}").status_code == 404
    assert client.get("/results/123").status_code == 404


def test_the_atom_feed_opens_in_a_reader(client, three):
    response = client.get("/results.atom?ward=w-7")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Đèn chiếu sáng hỏng"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/results/{three[1].code}")


def test_csv_and_json_exports_carry_the_same_filtered_rows(client, three):
    text = client.get("/results.csv?q=xay+nha").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == [three[2].code]
    assert (rows[0]["unit"], rows[0]["category"]) == ("p-ql-dt", "xay-dung")
    data = json.loads(client.get("/results.json").get_data(as_text=True))
    assert len(data["results"]) == 3 and set(data["fields"]) == set(data["results"][0])
    assert data["results"][0]["published_at"].endswith("+07:00")


def test_stats_page_and_csv_show_the_same_figures(client, three):
    html = client.get("/stats").get_data(as_text=True)
    assert "<svg" in html and "Xếp hạng các phòng, ban" in html and "Xếp hạng các phường, xã" in html
    rows = list(csv.DictReader(io.StringIO(client.get("/stats.csv").get_data(as_text=True).lstrip("\ufeff"))))
    land = next(r for r in rows if r["unit_code"] == "p-tn-mt")
    assert (land["received"], land["answered"], land["on_time"], land["late"]) == ("1", "1", "1", "0")
    assert client.get("/stats?period=2026-Q1").status_code == 200
    assert client.get("/stats?period=nonsense&since=x").status_code == 200


def test_a_unit_page_has_its_fields_scorecard_and_latest_results(client, three):
    html = client.get("/units/p-tn-mt").get_data(as_text=True)
    assert "Phòng Tài nguyên và Môi trường" in html and "Đăng ký hộ kinh doanh bị trả hồ sơ" in html
    assert "Đất đai" in html and "Bảng điểm" in html
    assert client.get("/units/khong-co").status_code == 404


def test_procedures_are_searchable_and_open_the_form_prefilled(client, app):
    html = client.get("/procedures?q=dang+ky+khai+sinh").get_data(as_text=True)
    assert "Đăng ký khai sinh" in html and "Phản ánh về thủ tục này" in html
    link = html.split('href="/submit?')[1].split('"')[0].replace("&amp;", "&")
    form = client.get("/submit?" + link).get_data(as_text=True)
    assert '<option value="ho-tich" selected>' in form
    assert 'value="ho-tich/dang-ky-khai-sinh" selected' in form
    assert client.get("/procedures?q=zzzz").status_code == 200


def test_a_total_past_the_cap_says_more_than(client, three, monkeypatch):
    from feedback.services.public import results
    monkeypatch.setattr(results, "COUNT_CAP", 2)
    html = client.get("/results").get_data(as_text=True)
    assert "Hơn 2 kết quả" in html
    client.set_cookie("lang", "en")
    assert "More than 2 results" in client.get("/results").get_data(as_text=True)
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    assert "3 results" in client.get("/results").get_data(as_text=True)


def test_a_unit_that_answered_nothing_yet_is_charted_without_a_rate(client, three):
    """A unit with cases received and none answered has no on-time rate: its bar
    is empty, and the page does not fail."""
    make_case(category_code="ho-tich", ward_code="w-1")   # a ward with nothing answered
    response = client.get("/stats")
    assert response.status_code == 200
    assert 'class="bar bar-none"' in response.get_data(as_text=True)


def test_counts_group_their_digits_as_each_language_writes_them(client, runner):
    """1.234 kết quả in Vietnamese, 1,234 results in English: a count past a
    thousand is written with the language's separator, as every other number."""
    assert runner.invoke(args=["demo", "--cases", "1500"]).exit_code == 0
    total = results.page(ResultFilters()).total
    assert 1000 <= total <= results.COUNT_CAP
    assert f"{format_decimal(total, locale='vi')} kết quả" in client.get("/results").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert f"{format_decimal(total, locale='en')} results" in client.get("/results").get_data(as_text=True)
    assert "." in format_decimal(total, locale="vi") and "," in format_decimal(total, locale="en")
