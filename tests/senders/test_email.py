"""E-mail to the reporter and to staff, through a real SMTP server on 127.0.0.1."""
import pytest
from sqlalchemy import select

from feedback.domain import trackcode
from feedback.extensions import db
from feedback.models import OutboundMessage
from feedback.models import outbox
from tests import factories as f
from tests.factories import make_case
from tests.fakes import smtp_server


@pytest.fixture
def smtp(app):
    inbox, controller, port = smtp_server.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield inbox
    controller.stop()


def test_the_reporter_gets_an_email_with_the_code(smtp):
    case = make_case(notify=True, phone="", email="an@example.vn", category_code="dat-dai")
    [mail] = smtp.messages
    assert mail["To"] == "an@example.vn"
    code = trackcode.display(case.code)
    assert code in mail["Subject"]
    body = mail.get_content()
    assert "Phòng Tài nguyên và Môi trường" in body and "Natural Resources and Environment Office" in body
    assert f"/track/{case.code}" in body
    message = db.session.scalars(select(OutboundMessage)).one()
    assert (message.channel, message.sender, message.status) == ("email", "smtp", outbox.SENT)


def test_a_refused_recipient_is_recorded_not_raised(smtp):
    smtp.refuse.add("sai@example.vn")
    case = make_case(notify=True, phone="", email="sai@example.vn")
    message = db.session.scalars(select(OutboundMessage)).one()
    assert (message.status, message.error_code) == (outbox.FAILED, "550")
    assert case.id is not None and smtp.messages == []


def test_a_server_that_is_down_leaves_the_message_failed(app):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"
    make_case(notify=True, phone="", email="an@example.vn")
    message = db.session.scalars(select(OutboundMessage)).one()
    assert (message.status, message.error_code) == (outbox.FAILED, "connection")


def test_without_smtp_the_log_sender_masks_the_address(app, caplog):
    make_case(notify=True, phone="", email="bi.mat@example.vn")
    assert "bi.mat@example.vn" not in caplog.text
    message = db.session.scalars(select(OutboundMessage)).one()
    assert message.sender == "log" and message.status == outbox.SENT


def test_staff_digests_reach_the_unit_head(smtp):
    from datetime import timedelta

    from feedback.models.types import utcnow
    from feedback.services.workflow import escalation

    head = f.staff("unit_head")
    case = f.case_in("in_progress")
    escalation.run_due(utcnow() + timedelta(days=60))
    [mail] = [m for m in smtp.messages if m["To"] == head.email]
    assert "Quá hạn" in mail["Subject"] and f"/staff/cases/{case.code}" in mail.get_content()
