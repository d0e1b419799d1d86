import pytest

from feedback.domain import states
from tests.conftest import make_case

pytestmark = pytest.mark.usefixtures("app")


def routed_event(case):
    return next(e for e in case.events if e.action == "routed")


def test_category_goes_to_its_office():
    case = make_case(category_code="dat-dai", description="Hồ sơ cấp giấy chứng nhận lần đầu bị trả lại.")
    assert case.unit.code == "p-tn-mt"
    assert case.state == states.ASSIGNED
    assert routed_event(case).reason == "category"


def test_ward_level_category_goes_to_the_ward_when_known():
    case = make_case(category_code="ho-tich", ward_code="w-thang-tam")
    assert case.unit.code == "w-thang-tam"
    assert routed_event(case).reason == "ward"


def test_ward_level_category_without_ward_goes_to_the_office():
    case = make_case(category_code="ho-tich")
    assert case.unit.code == "p-tu-phap"


def test_keyword_rule_is_the_fallback_and_ignores_accents():
    case = make_case(description="Duong truoc nha toi co o ga lon, xe may nga lien tuc.",
                     ward_code="w-9")
    assert case.category.code == "ha-tang-do-thi"
    assert case.unit.code == "w-9"  # decided at ward level, and the ward is known
    event = routed_event(case)
    assert (event.reason, event.detail) == ("keyword", "o ga")


def test_keywords_match_whole_words_only():
    # "rác" (rubbish) must not match inside "Rạch Dừa".
    case = make_case(description="Tôi ở phường Rạch Dừa, muốn hỏi về giờ làm việc.")
    assert case.state == states.TRIAGE
    assert case.unit.code == "vp-hdnd-ubnd"


def test_unclassifiable_case_waits_in_triage():
    case = make_case(description="Xin hỏi thông tin chung về giờ tiếp dân của thành phố.")
    assert case.state == states.TRIAGE
    assert case.unit.is_triage
    assert routed_event(case).reason == "triage"


def test_conduct_complaint_goes_to_home_affairs_confidentially_whatever_the_category():
    case = make_case(
        category_code="ho-tich", ward_code="w-3",
        description="Cán bộ một cửa phường 3 hách dịch, đòi bồi dưỡng mới nhận hồ sơ khai sinh.",
    )
    assert case.unit.code == "p-noi-vu"
    assert case.unit.code != "w-3"
    assert case.confidential
    assert routed_event(case).reason == "conduct"


def test_conduct_category_chosen_in_the_form_is_confidential():
    case = make_case(category_code="misconduct", description="Cán bộ tiếp nhận thái độ không đúng mực với người dân.")
    assert case.unit.code == "p-noi-vu" and case.confidential


def test_complaint_goes_to_the_inspectorate():
    case = make_case(kind="khieu-nai", category_code="dat-dai",
                     description="Tôi khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.")
    assert case.unit.code == "thanh-tra"
    assert routed_event(case).reason == "kind"
    assert not case.confidential


def test_denunciation_is_confidential():
    case = make_case(kind="to-cao", description="Tôi tố cáo việc xây dựng trái phép được làm ngơ tại khu phố 5.")
    assert case.unit.code == "thanh-tra" and case.confidential
