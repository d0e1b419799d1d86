"""Twilio inbound SMS: signed replayed webhooks, TwiML replies parsed."""
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from feedback.domain import sms, trackcode
from feedback.models import Case, InboundMessage, SmsOptOut
from tests.fakes import webhooks
from tests.fakes.webhooks import sms_params
from tests.hotline import PATH, assert_one_gsm_segment, count, reply_of, send


def test_new_message_makes_a_case_and_replies_with_its_code(client, db):
    body = "Hồ sơ đăng ký khai sinh cho con tôi ở phường 7 nộp 3 tuần chưa có kết quả."
    text = reply_of(send(client, body))
    case = db.session.scalars(select(Case)).one()
    assert trackcode.display(case.code) in text
    assert_one_gsm_segment(text)
    assert (case.channel, case.kind, case.reporter.phone) == ("sms", "phan-anh", "+84912345678")
    assert case.hotline.code == "hl-citizen"
    assert case.reporter_type == "citizen"
    assert case.category.code == "ho-tich"
    assert case.description == body


def test_business_hotline_is_recognised_from_the_number_called(client, db):
    reply_of(send(client, "Doanh nghiệp chúng tôi bị yêu cầu thêm giấy tờ ngoài quy định.",
                  to="+84888800147"))
    case = db.session.scalars(select(Case)).one()
    assert (case.hotline.code, case.reporter_type) == ("hl-business", "business")


def test_kind_from_words(client, db):
    reply_of(send(client, "Tôi khiếu nại quyết định xử phạt hành chính số 12 của phường."))
    assert db.session.scalars(select(Case)).one().kind == "khieu-nai"


def test_redelivery_answers_the_same_and_creates_nothing(client, db):
    params = sms_params("Đèn đường trước nhà số 5 Ba Cu hỏng đã một tuần rồi.")
    first = reply_of(webhooks.post(client, PATH, params))
    second = reply_of(webhooks.post(client, PATH, params))
    assert first == second
    assert count(db, Case) == 1 and count(db, InboundMessage) == 1


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl"])
def test_forged_or_missing_signature_is_refused(client, db, signature):
    params = sms_params("Giả mạo tin nhắn phản ánh để tạo hồ sơ.")
    response = webhooks.post(client, PATH, params, signature=signature)
    assert response.status_code == 403
    assert count(db, Case) == 0


def test_signature_over_a_different_url_is_refused(client, db):
    params = sms_params("Tin nhắn ký cho một địa chỉ khác của máy chủ.")
    signature = webhooks.sign(PATH, params, base="http://10.0.0.5:8000")
    assert webhooks.post(client, PATH, params, signature=signature).status_code == 403


def test_behind_a_proxy_the_public_url_is_what_counts(client, db):
    params = sms_params("Phản ánh gửi qua máy chủ trung gian có giao thức https.")
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "phananh.vungtau.example",
               "Host": "internal:8000"}
    assert webhooks.post(client, PATH, params, headers=headers).status_code == 200
    assert count(db, Case) == 1


def test_raw_query_string_with_vietnamese_is_signed_as_sent(client, db):
    path = PATH + "?nguon=%C4%91%C6%B0%E1%BB%9Dng+d%C3%A2y"
    params = sms_params("Phản ánh về việc cấp giấy phép xây dựng chậm trễ.")
    response = client.post(path, data=params,
                           headers={"X-Twilio-Signature": webhooks.sign(path, params)})
    assert response.status_code == 200


@pytest.mark.parametrize("prefix", ["", "TRA ", "tracuu ", "Tra cứu: "])
def test_tracking_code_gets_the_status_and_nothing_private(client, db, prefix):
    from tests.factories import make_case

    case = make_case(category_code="dat-dai", name="Nguyễn Thị Bí Mật", phone="0987654321")
    text = reply_of(send(client, prefix + trackcode.display(case.code), from_="+84333333333"))
    assert trackcode.display(case.code) in text
    assert "Da chuyen don vi xu ly" in text and "Phong Tai nguyen" in text
    assert "Bi Mat" not in text and "987654321" not in text
    assert count(db, Case) == 1
    assert_one_gsm_segment(text)


def test_mistyped_code_is_refused(client, db):
    from tests.factories import make_case

    case = make_case()
    typo = case.code[:-1] + str((int(case.code[-1]) + 1) % 10)
    text = reply_of(send(client, "TRA " + typo))
    assert "khong dung" in text
    assert count(db, Case) == 1


@pytest.mark.org_data
def test_stop_and_start(client, db, fake_twilio):
    from tests.factories import add_sending_number, make_case

    add_sending_number()
    text = reply_of(send(client, "HUY"))
    assert db.session.get(SmsOptOut, "+84912345678") is not None
    assert "BAT" in text
    make_case(notify=True, phone="0912345678")  # a web case: its SMS must not be sent
    assert fake_twilio.sent == []
    reply_of(send(client, "bật"))
    assert db.session.get(SmsOptOut, "+84912345678") is None
    make_case(notify=True, phone="0912345678")
    assert len(fake_twilio.sent) == 1


@pytest.mark.parametrize("body", ["", "   ", "?", "alo", "ok", "....."])
def test_empty_or_meaningless_message_gets_help_and_no_case(client, db, body):
    text = reply_of(send(client, body))
    assert "TRA" in text
    assert count(db, Case) == 0
    assert_one_gsm_segment(text)


def test_opted_out_sender_still_makes_a_case_but_gets_no_reply(client, db):
    reply_of(send(client, "STOP"))
    response = send(client, "Cây xanh đường Võ Thị Sáu sắp đổ, rất nguy hiểm cho người đi đường.")
    assert ET.fromstring(response.get_data()).findall("Message") == []
    assert count(db, Case) == 1


# Threading: a second message joins only a case no unit has accepted yet -------------


# Every text we send fits one GSM-7 segment, uncut --------------------------------

def test_every_sms_text_fits_one_gsm7_segment_without_being_cut(app, db):
    """Rendered through the service with the longest unit name, a 12-digit code
    and the longest code a sender can type: nothing is cut to fit."""
    from pathlib import Path

    from tests.factories import make_case
    from feedback.models import Unit
    from feedback.services.texts import sms_text

    case = make_case()
    case.unit = max(db.session.scalars(select(Unit)),
                    key=lambda u: len(sms.unaccent(u.short_vi or u.name_vi)))
    typed = "9" * 26
    for path in sorted(Path(app.template_folder, "sms").glob("*.txt")):
        text = sms_text(path.stem, case, typed=typed, score=1)
        assert sms.is_gsm7(text) and sms.septets(text) <= 160, (path.name, len(text), text)
        assert not text.endswith("..."), (path.name, text)


# Hostile input: a clear 400 and nothing stored ------------------------------------

@pytest.mark.parametrize("extra", [
    {"NumMedia": "abc"}, {"NumMedia": "11"}, {"NumMedia": str(2**63)}, {"NumMedia": "-1"},
    {"MessageSid": "SM" + "a" * 63}, {"MessageSid": "SM 1"}, {"Body": "x" * 10_001},
    {"From": "+84" + "9" * 40}, {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/" + "a" * 500},
    {"MediaContentType0": "image/png\x1b", "NumMedia": "1", "MediaUrl0": "https://api.twilio.com/x"},
])
def test_malformed_fields_are_a_clear_400_and_nothing_is_stored(client, db, extra):
    response = send(client, "Đèn đường trước nhà số 5 Ba Cu hỏng đã một tuần rồi.", **extra)
    assert response.status_code == 400
    assert any(name in response.get_data(as_text=True) for name in extra)
    assert count(db, InboundMessage) == 0 and count(db, Case) == 0


def test_a_nul_byte_anywhere_is_a_400(client, db):
    assert send(client, "Đèn đường hỏng \x00 đã một tuần.").status_code == 400
    assert count(db, InboundMessage) == 0


def test_a_text_at_the_documented_maximum_is_taken(client, db):
    reply_of(send(client, "Đèn đường hỏng. " + "a" * (10_000 - 16)))
    assert count(db, Case) == 1


# A number that floods the hotline -------------------------------------------------

def test_a_flooding_number_is_throttled_kept_and_told_once(app, client, db):
    app.config["SMS_FLOOD_LIMIT"] = 5
    replies = [send(client, f"Tin số {i}: rác thải đổ bừa bãi ở hẻm 12 đường Lê Lợi.")
               for i in range(12)]
    messages = [ET.fromstring(r.get_data()).findall("Message") for r in replies]
    assert all(r.status_code == 200 for r in replies)
    assert [len(m) for m in messages] == [1] * 6 + [0] * 6   # five acted on, one warning
    assert "qua nhieu tin nhan" in messages[5][0].text
    assert_one_gsm_segment(messages[5][0].text)
    assert count(db, Case) == 1                               # no case per message
    rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
    assert [r.outcome for r in rows] == ["new_case"] + ["added"] * 4 + ["throttled"] * 7
    assert {r.case_id for r in rows[5:]} == {rows[0].case_id}  # grouped with its case
    assert rows[-1].body.startswith("Tin số 11")                 # nothing lost
    reply_of(send(client, "HUY"))                              # STOP is always honoured
    assert db.session.get(SmsOptOut, "+84912345678") is not None
