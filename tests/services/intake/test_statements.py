"""Opening a case costs its own rows, not the organisation's: a bounded number
of SQL statements and one flush, whatever the size of the organisation data.

Counted with a `before_cursor_execute` listener over real requests (the SMS
webhook, the web form); nothing is timed. The organisation data is kept per
process (services/orgdata) under a stamp, and a change made elsewhere, by
the loader of `flask setup` in another process, is seen by the next request.
"""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from config.settings import ROOT
from feedback.models import Case, OutboundMessage, outbox
from feedback.services import notify
from tests.database import statements
from tests.factories import org_data, write_org_data
from tests.fakes import webhooks

TEXT = "Hồ sơ đăng ký khai sinh nộp tại phường 7 đã quá hẹn hai tuần chưa có kết quả."
# An SMS that opens a case: the stamp, an earlier delivery, the opt-out, flood
# and thread checks, a free code, the scorecard's day and month, the case, its
# events and reporter, and last the message (its claim). The form: the same case rows and its outbox
# row, plus the form's choices (4).
SMS_BOUND = 13
FORM_BOUND = 15


@contextmanager
def counted():
    """The SQL statements and flushes run meanwhile."""
    flushes = []
    on_flush = lambda *args: flushes.append(1)                      # noqa: E731
    event.listen(Session, "before_flush", on_flush)
    try:
        with statements() as seen:
            yield seen, flushes
    finally:
        event.remove(Session, "before_flush", on_flush)


def sms(client, sender: str, text: str = TEXT):
    return webhooks.post(client, "/hotline/sms", webhooks.sms_params(text, from_=sender))


def form(client, **fields):
    data = dict(kind="phan-anh", reporter_type="citizen", description=TEXT,
                name="Nguyễn Văn An", phone="0912 345 678", email="an@example.vn")
    data.update(fields)
    return client.post("/submit", data=data)


def test_an_sms_that_opens_a_case_costs_a_handful_of_statements_and_one_flush(client, db):
    assert sms(client, "+84900000001").status_code == 200          # the organisation data is read once
    with counted() as (seen, flushes):
        response = sms(client, "+84900000002")
    assert response.status_code == 200 and "Phuong 7" in response.get_data(as_text=True)
    assert len(seen) <= SMS_BOUND, "\n".join(seen)
    assert len(flushes) == 1
    assert not [s for s in seen if "FROM units" in s or "FROM keyword_rules" in s]


def test_a_web_form_that_opens_a_case_costs_a_handful_of_statements_and_one_flush(app, client, db):
    app.config["JOBS_AFTER_RESPONSE"] = True      # as served: the texts go after the response
    form(client).close()
    with counted() as (seen, flushes):
        response = form(client, phone="0912 345 679")
    assert response.status_code == 302
    assert len(seen) <= FORM_BOUND, "\n".join(seen)
    assert len(flushes) == 1
    response.close()


def statuses(db) -> list[str]:
    db.session.rollback()       # what is committed now
    return list(db.session.scalars(select(OutboundMessage.status)))


def test_notifications_are_sent_after_the_response_and_kept_until_then(app, client, db):
    app.config["JOBS_AFTER_RESPONSE"] = True
    response = form(client, phone="")
    assert response.status_code == 302
    assert statuses(db) == [outbox.QUEUED]             # the e-mail, committed with the case
    response.close()                                   # the server has sent the answer
    assert statuses(db) == [outbox.SENT]


def test_queued_messages_whose_process_died_are_sent_by_the_requeue(app, client, db):
    app.config["JOBS_AFTER_RESPONSE"] = True
    assert form(client, phone="").status_code == 302   # never closed: the worker died
    assert notify.requeue_waiting() == 1
    assert statuses(db) == [outbox.SENT]


# What `flask setup --org FILE` does to the data, in a process of its own.
LOAD_ELSEWHERE = """
import sys
from feedback import create_app
from feedback.services import orgdata
with create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x"}).app_context():
    orgdata.load(sys.argv[2])
"""


@pytest.mark.heavy
@pytest.mark.org_data
def test_flask_setup_in_another_process_is_seen_by_the_next_request(app, client, db, db_url, tmp_path):
    """A worker that cached the organisation data sees a new keyword rule
    loaded by another process: the stamp moved with it."""
    text = "Đề nghị sửa chòi canh cứu hộ ở bãi biển gần phường 2 ngay."
    sms(client, "+84900000003", text)
    first = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert first.category.code == "van-hoa-du-lich"                 # "cứu hộ"
    data = org_data()
    data["keyword_rules"].append({"keyword": "chòi canh cứu hộ", "category": "ha-tang-do-thi"})
    path = write_org_data(tmp_path, data)
    subprocess.run([sys.executable, "-c", LOAD_ELSEWHERE, db_url, str(path)], cwd=ROOT,
                   check=True, capture_output=True, timeout=120)
    db.session.rollback()
    sms(client, "+84900000004", text)
    latest = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert latest.category.code == "ha-tang-do-thi"
