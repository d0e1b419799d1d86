"""Twilio inbound SMS: signed replayed webhooks, TwiML replies parsed."""
import json
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from feedback.domain import sms, states, trackcode
from feedback.models import Attachment, Case, CaseEvent, InboundMessage, SmsOptOut
from tests.domain.test_files import PNG
from tests.fakes import webhooks
from tests.fakes.webhooks import sms_params

PATH = "/hotline/sms"


def reply_of(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) == 1
    return messages[0].text


def send(client, body, **extra):
    return webhooks.post(client, PATH, sms_params(body, **extra))


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def assert_one_gsm_segment(text):
    assert sms.is_gsm7(text), text
    assert sms.septets(text) <= 160, text


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


def test_second_message_within_a_day_joins_the_open_case(client, db):
    first = reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    text = reply_of(send(client, "Bổ sung: tình trạng kéo dài từ thứ Hai tuần trước."))
    case = db.session.scalars(select(Case)).one()
    assert trackcode.display(case.code) in first and trackcode.display(case.code) in text
    assert "bo sung" in text.lower()
    added = [e for e in case.events if e.action == "sms_added"]
    assert len(added) == 1 and not added[0].public
    assert added[0].detail == "Bổ sung: tình trạng kéo dài từ thứ Hai tuần trước."


def test_message_after_24_hours_opens_a_new_case(client, db):
    reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    row = db.session.scalars(select(InboundMessage)).one()
    row.received_at = row.received_at.replace(year=row.received_at.year - 1)
    db.session.commit()
    reply_of(send(client, "Một việc khác: vỉa hè đường Trần Phú bị lấn chiếm."))
    assert count(db, Case) == 2


def test_closed_case_is_never_reopened_by_sms(client, db):
    reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    case = db.session.scalars(select(Case)).one()
    case.state = states.CLOSED
    db.session.commit()
    reply_of(send(client, "Vẫn chưa được sửa, đề nghị kiểm tra lại giúp."))
    assert count(db, Case) == 2
    db.session.refresh(case)
    assert case.state == states.CLOSED
    assert not any(e.action == "sms_added" for e in case.events)


@pytest.mark.parametrize("prefix", ["", "TRA ", "tracuu ", "Tra cứu: "])
def test_tracking_code_gets_the_status_and_nothing_private(client, db, prefix):
    from tests.conftest import make_case

    case = make_case(category_code="dat-dai", name="Nguyễn Thị Bí Mật", phone="0987654321")
    text = reply_of(send(client, prefix + trackcode.display(case.code), from_="+84333333333"))
    assert trackcode.display(case.code) in text
    assert "Da chuyen don vi xu ly" in text and "Phong Tai nguyen" in text
    assert "Bi Mat" not in text and "987654321" not in text
    assert count(db, Case) == 1
    assert_one_gsm_segment(text)


def test_mistyped_code_is_refused(client, db):
    from tests.conftest import make_case

    case = make_case()
    typo = case.code[:-1] + str((int(case.code[-1]) + 1) % 10)
    text = reply_of(send(client, "TRA " + typo))
    assert "khong dung" in text
    assert count(db, Case) == 1


@pytest.mark.org_data
def test_stop_and_start(client, db, fake_twilio):
    from tests.conftest import add_sending_number, make_case

    add_sending_number()
    text = reply_of(send(client, "HUY"))
    assert db.session.get(SmsOptOut, "+84912345678") is not None
    assert "BAT" in text
    make_case(phone="0912345678")  # a web case: its SMS must not be sent
    assert fake_twilio.sent == []
    reply_of(send(client, "bật"))
    assert db.session.get(SmsOptOut, "+84912345678") is None
    make_case(phone="0912345678")
    assert len(fake_twilio.sent) == 1


@pytest.mark.parametrize("body", ["", "   ", "?", "alo", "ok", "....."])
def test_empty_or_meaningless_message_gets_help_and_no_case(client, db, body):
    text = reply_of(send(client, body))
    assert "TRA" in text
    assert count(db, Case) == 0
    assert_one_gsm_segment(text)


def test_picture_without_text_makes_a_case_and_the_media_is_kept(client, db, fake_twilio):
    url = fake_twilio.add_file("/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1", "image/png", PNG)
    text = reply_of(send(client, "", NumMedia="1", MediaUrl0=url, MediaContentType0="image/png"))
    case = db.session.scalars(select(Case)).one()
    assert trackcode.display(case.code) in text
    attachment = db.session.scalars(select(Attachment)).one()
    assert (attachment.case_id, attachment.content_type) == (case.id, "image/png")
    assert json.loads(db.session.scalars(select(InboundMessage)).one().media)[0]["url"] == url


def test_media_from_elsewhere_is_never_fetched_with_our_credentials(client, db, fake_twilio):
    text = reply_of(send(client, "Ảnh hiện trường lấn chiếm vỉa hè đường Hoàng Hoa Thám.",
                         NumMedia="1", MediaUrl0="http://127.0.0.2:9/steal",
                         MediaContentType0="image/png"))
    assert "Ma tra cuu" in text
    assert count(db, Attachment) == 0
    notes = db.session.scalars(select(CaseEvent).filter_by(action="media_failed")).all()
    assert len(notes) == 1


def test_opted_out_sender_still_makes_a_case_but_gets_no_reply(client, db):
    reply_of(send(client, "STOP"))
    response = send(client, "Cây xanh đường Võ Thị Sáu sắp đổ, rất nguy hiểm cho người đi đường.")
    assert ET.fromstring(response.get_data()).findall("Message") == []
    assert count(db, Case) == 1
