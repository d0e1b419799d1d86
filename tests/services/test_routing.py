from datetime import date

import pytest
from sqlalchemy import select

from feedback.domain import states
from feedback.extensions import db
from feedback.models import KeywordRule, LegalKind
from feedback.services import orgdata
from feedback.services.intake import routing
from tests.database import statements
from tests.factories import make_case, org_data, write_org_data

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
    case = make_case(description="Xin hỏi thông tin chung về giờ làm việc của thành phố.")
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


# --- Wards named in the text ----------------------------------------------------

@pytest.mark.parametrize("text, ward", [
    ("Đèn đường hẻm 12 phường 7 hư cả tháng nay.", "w-7"),
    ("Đèn đường hẻm 12 P.7 hư cả tháng nay.", "w-7"),
    ("den duong hem 12 p7 hu ca thang nay", "w-7"),
    ("Đèn đường hẻm 12 Phường 07 hư cả tháng nay.", "w-7"),
    ("Đèn đường khu phố 2 phuong Thang Tam hư cả tháng nay.", "w-thang-tam"),
    ("ĐÈN ĐƯỜNG KHU PHỐ 2 PHƯỜNG THẮNG TAM HƯ CẢ THÁNG NAY.", "w-thang-tam"),
    ("Đèn đường thôn 3 xã Long Sơn hư cả tháng nay.", "c-long-son"),
    ("den duong thon 3 xa long son hu ca thang nay", "c-long-son"),
    ("Đèn đường gần chợ Rạch Dừa hư cả tháng nay.", "w-rach-dua"),     # an alias in the data
    ("Đèn đường ở phường 6 cũ hư cả tháng nay.", "w-thang-nhi"),       # the former name
    ("Đèn đường hẻm 4 phường 10 hư cả tháng nay.", "w-10"),
])
def test_a_ward_named_in_the_text_takes_a_ward_level_case(text, ward):
    case = make_case(description=text)
    assert case.category.code == "ha-tang-do-thi"
    assert case.unit.code == ward


@pytest.mark.parametrize("text", [
    "Đèn đường trước nhà hư, gia đình có người là F1 không ra ngoài được.",   # F1: a COVID contact
    "Đèn đường ngã ba Nguyễn An Ninh - Lưu Chí Hiếu hư cả tháng.",          # a street, not the ward
    "Đèn đường cây phượng gần trường hư cả tháng.",                          # "phượng" folds to "phuong"
    "Đèn đường từ phường 8 sang phường 9 hư cả tháng.",                      # two wards: not guessed
    "Đèn đường khu phố 5 hư cả tháng.",                                       # "phố 5" is no ward
])
def test_no_ward_is_guessed_from_what_is_not_a_ward_name(text):
    case = make_case(description=text)
    assert case.unit.code == "p-ql-dt"


def test_the_ward_chosen_in_the_form_wins_over_the_text():
    case = make_case(description="Đèn đường phường 7 hư cả tháng nay.", ward_code="w-9")
    assert case.unit.code == "w-9"


def test_a_ward_in_the_text_does_not_move_a_city_level_field():
    case = make_case(description="Nhà số 5 phường 7 xây không phép lấn ra hẻm.")
    assert case.unit.code == "p-ql-dt"


# --- Procedures named in the text --------------------------------------------------

def test_a_procedure_name_picks_its_field_over_a_shorter_keyword():
    # The finding: a business asking about an alcohol licence went to Justice
    # because its file needs certified copies ("chứng thực").
    case = make_case(
        reporter_type="business", business_name="Công ty TNHH Biển Xanh", tax_code="0100109106",
        kind="kien-nghi",
        description="Đề nghị hướng dẫn thủ tục cấp giấy phép bán lẻ rượu, hồ sơ có cần bản sao chứng thực không?",
    )
    assert case.unit.code == "p-kinh-te"
    event = routed_event(case)
    assert (event.reason, event.detail) == ("keyword", "cap giay phep ban le ruou")


@pytest.mark.parametrize("text", [
    "Xin đính chính Giấy chứng nhận đã cấp vì ghi sai diện tích.",
    "xin dinh chinh giay chung nhan da cap vi ghi sai dien tich",
    "XIN ĐÍNH CHÍNH GIẤY CHỨNG NHẬN ĐÃ CẤP VÌ GHI SAI DIỆN TÍCH",
])
def test_procedure_names_match_without_accents_and_with_d_folded(text):
    case = make_case(description=text)
    assert case.category.code == "dat-dai" and case.unit.code == "p-tn-mt"
    assert routed_event(case).detail == "dinh chinh giay chung nhan da cap"


def test_a_procedure_is_found_without_the_words_that_say_what_is_done():
    # "Công nhận Ban quản trị nhà chung cư", written without "công nhận".
    case = make_case(description="Hỏi thủ tục để ban quản trị nhà chung cư được phường chấp thuận.")
    assert case.category.code == "quy-hoach-kien-truc"
    assert routed_event(case).detail == "ban quan tri nha chung cu"


def test_procedure_phrases_drop_notes_and_leading_verbs():
    verbs = [routing.words("đăng ký"), routing.words("cấp")]
    assert routing.procedure_phrases("Đăng ký khai sinh", verbs) == {
        ("dang", "ky", "khai", "sinh"), ("khai", "sinh")}
    assert routing.procedure_phrases("Cấp Giấy phép (cấp huyện)", verbs) == {
        ("cap", "giay", "phep"), ("giay", "phep")}
    assert routing.procedure_phrases("Đăng ký", verbs) == set()      # nothing left to match


def test_a_place_word_decides_only_when_nothing_else_does():
    # "chung cư" says where; "đốt rác" says what.
    case = make_case(description="Người dân đốt rác ở bãi đất trống gần chung cư, khói bay vào nhà.")
    assert case.unit.code == "p-tn-mt"


def test_words_that_only_fold_onto_a_conduct_keyword_are_not_one():
    # "Lê Hồng Phong bị" folds onto "phong bì" (an envelope of money).
    case = make_case(description="Nắp cống trước số 27 Lê Hồng Phong bị vỡ, rất nguy hiểm.")
    assert not case.confidential and case.unit.code == "p-ql-dt"


def test_an_accent_exact_rule_finds_its_word_and_not_the_one_it_folds_onto(db):
    # "cống" (a drain) folds onto "công" (public, company); "rác" (rubbish)
    # onto "rắc" (rắc rối, tangled): such rules are stored and matched with accents.
    assert db.session.scalars(select(KeywordRule).filter_by(keyword="cống")).one()
    drain = make_case(description="Cống trước nhà số 5 Ba Cu bị nghẹt, nước tràn ra.")
    assert drain.category.code == "ha-tang-do-thi" and routed_event(drain).detail == "cống"
    company = make_case(description="Công ty ở cuối hẻm làm việc cả ngày chủ nhật.")
    assert company.state == states.TRIAGE
    tangled = make_case(description="Thủ tục xin giấy xác nhận này rắc rối, đi lại nhiều lần.")
    assert tangled.state == states.TRIAGE


# --- The catch-all category, the cache, the cost -------------------------------------

def test_the_other_category_lets_the_text_decide():
    case = make_case(category_code="khac", description="Cây xanh trước nhà số 8 Ba Cu sắp đổ.")
    assert case.category.code == "ha-tang-do-thi" and case.unit.code == "p-ql-dt"


def test_the_other_category_with_nothing_to_go_on_waits_in_triage():
    case = make_case(category_code="khac", description="Xin hỏi giờ làm việc buổi chiều của thành phố.")
    assert case.state == states.TRIAGE and case.category.code == "khac"


@pytest.mark.org_data
def test_the_rules_follow_a_reload_of_the_data_file(tmp_path):
    text = "Đề nghị sửa chòi canh cứu hộ ở bãi biển."
    assert make_case(description=text).category.code == "van-hoa-du-lich"    # "cứu hộ"
    data = org_data()
    data["keyword_rules"].append({"keyword": "chòi canh", "category": "ha-tang-do-thi"})
    orgdata.load(write_org_data(tmp_path, data))
    case = make_case(description=text)
    assert case.category.code == "ha-tang-do-thi"
    assert routed_event(case).detail == "choi canh"


def test_a_decision_costs_a_few_queries_whatever_the_number_of_rules():
    kind = db.session.scalars(select(LegalKind).filter_by(code="phan-anh")).one()
    text = "Đèn chiếu sáng hẻm 12 phường 7 hư, ổ gà, rác, ngập nước, quảng cáo, chặt chém du khách."
    routing.decide(kind, None, None, text, date(2026, 11, 27))      # warm the cache
    with statements() as seen:
        decision = routing.decide(kind, None, None, text, date(2026, 11, 27))
    assert decision.unit.code == "w-7"
    assert len(seen) <= 4, seen
