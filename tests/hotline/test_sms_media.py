"""Twilio inbound SMS with pictures: kept with the case, fetched only from Twilio."""
import json

from sqlalchemy import select

from feedback.domain import trackcode
from feedback.models import Attachment, Case, CaseEvent, InboundMessage
from tests.domain.test_files import PNG
from tests.hotline import count, reply_of, send


def test_picture_without_text_makes_a_case_and_the_media_is_kept(client, db, fake_twilio):
    url = fake_twilio.add_file("/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1", "image/png", PNG)
    text = reply_of(send(client, "", NumMedia="1", MediaUrl0=url, MediaContentType0="image/png"))
    case = db.session.scalars(select(Case)).one()
    assert trackcode.display(case.code) in text
    attachment = db.session.scalars(select(Attachment)).one()
    assert (attachment.case_id, attachment.content_type) == (case.id, "image/png")
    assert json.loads(db.session.scalars(select(InboundMessage)).one().media)[0]["url"] == url


def test_a_picture_waits_in_triage_until_its_sender_says_what_it_is_about(client, db, fake_twilio):
    url = fake_twilio.add_file("/2010-04-01/Accounts/AC/Messages/MM2/Media/ME2", "image/png", PNG)
    send(client, "", NumMedia="1", MediaUrl0=url, MediaContentType0="image/png")
    case = db.session.scalars(select(Case)).one()
    assert case.state == "triage"
    send(client, "Đèn chiếu sáng hỏng cả tháng nay ở đường Lê Lợi, phường 7")
    db.session.expire_all()
    case = db.session.scalars(select(Case)).one()
    assert (case.state, case.unit.code, case.category.code) == ("assigned", "w-7", "ha-tang-do-thi")
    routed = [e for e in case.events if e.action == "routed"]
    assert [(e.from_state, e.to_state) for e in routed] == [("new", "triage"), ("triage", "assigned")]
    send(client, "Xin bổ sung: đèn ở gần trường tiểu học, rất nguy hiểm ban đêm")
    db.session.expire_all()
    assert db.session.scalars(select(Case)).one().unit.code == "w-7"     # routed once only


def test_media_from_elsewhere_is_never_fetched_with_our_credentials(client, db, fake_twilio):
    text = reply_of(send(client, "Ảnh hiện trường lấn chiếm vỉa hè đường Hoàng Hoa Thám.",
                         NumMedia="1", MediaUrl0="http://127.0.0.2:9/steal",
                         MediaContentType0="image/png"))
    assert "Ma tra cuu" in text
    assert count(db, Attachment) == 0
    notes = db.session.scalars(select(CaseEvent).filter_by(action="media_failed")).all()
    assert len(notes) == 1
