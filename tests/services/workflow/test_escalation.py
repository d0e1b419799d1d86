"""`jobs run-due`: reminders before a deadline, escalation after it, sent once."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.domain import states
from feedback.extensions import db
from feedback.models import CaseEvent, DeadlineAlert, OutboundMessage
from feedback.models.types import utcnow
from feedback.services import deadlines
from feedback.services.workflow import escalation, lifecycle
from feedback.services.workflow.lifecycle import Given
from tests import factories as f

pytestmark = pytest.mark.usefixtures("app")


def emails_to(user):
    return db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_email == user.email).order_by(OutboundMessage.id)).all()


def on(day):
    """Early morning, local time, of `day`."""
    return utcnow().replace(year=day.year, month=day.month, day=day.day, hour=1)


def working_days_later(case, days):
    """A moment `days` working days after the case's answer deadline."""
    return on(deadlines.work_calendar().add_working_days(case.due_on, days))


def test_an_overdue_case_is_escalated_to_the_unit_head_and_the_city_office_once():
    officer, head, city = f.staff("officer"), f.staff("unit_head"), f.staff("city_office")
    other_head = f.staff("unit_head", unit=f.OTHER_UNIT)
    case = f.case_in(states.IN_PROGRESS)
    later = working_days_later(case, 1)
    first = escalation.run_due(later)
    second = escalation.run_due(later)
    assert first["alerts"] >= 1 and second == {"alerts": 0, "emails": 0}
    for user in (head, city):
        [mail] = emails_to(user)
        assert case.code[:3] in mail.body and "QUÁ HẠN" in mail.body
    assert emails_to(officer) == [] and emails_to(other_head) == []
    escalated = db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "escalated")).all()
    assert [e.detail for e in escalated] == ["resolve"] and not escalated[0].public


def test_a_deadline_near_reminds_the_unit():
    officer, head, city = f.staff("officer"), f.staff("unit_head"), f.staff("city_office")
    case = f.case_in(states.IN_PROGRESS)
    escalation.run_due(on(case.due_on - timedelta(days=1)))
    assert len(emails_to(officer)) == 1 and len(emails_to(head)) == 1
    assert emails_to(city) == []
    assert "Sắp đến hạn" in emails_to(officer)[0].body


def test_a_sealed_case_is_escalated_only_on_the_sealed_track():
    head, city = f.staff("unit_head", unit="thanh-tra"), f.staff("city_office")
    supervisor, inspector = f.staff("supervisor"), f.staff("inspectorate", unit="thanh-tra")
    case = f.case_in(states.IN_PROGRESS, sealed=True)
    escalation.run_due(working_days_later(case, 1))
    assert emails_to(head) == [] and emails_to(city) == []
    for user in (supervisor, inspector):
        [mail] = emails_to(user)
        # the phone in full (a bare "0987" may be digits of the tracking code)
        private = (f.DENOUNCER["name"], "0987 111 222", "0987111222", "+84987111222")
        assert [text for text in private if text in mail.body] == []


def test_a_committed_date_that_passes_is_escalated_again():
    head = f.staff("unit_head")
    case = f.case_in(states.IN_PROGRESS)
    promised = deadlines.work_calendar().add_working_days(case.due_on, 5)
    lifecycle.act(f.actor(f.staff("officer")), case, "progress",
                  Given(reason="Chờ đo đạc lại", day=promised), notify_reporter=False)
    escalation.run_due(working_days_later(case, 1))
    escalation.run_due(working_days_later(case, 7))
    assert len(emails_to(head)) == 2


def test_triage_that_does_not_forward_in_time_is_escalated():
    city = f.staff("city_office")
    case = f.triage_case()
    escalation.run_due(utcnow() + timedelta(days=14))
    alerts = db.session.scalars(select(DeadlineAlert).where(DeadlineAlert.case_id == case.id)).all()
    assert {(a.stage, a.level) for a in alerts} >= {("forward", "overdue")}
    assert len(emails_to(city)) == 1


def test_two_runs_at_once_send_one_set(app):
    head = f.staff("unit_head")
    case = f.case_in(states.IN_PROGRESS)
    later, barrier, results = working_days_later(case, 1), threading.Barrier(2), []

    def run():
        with app.app_context():
            barrier.wait()
            try:
                results.append(escalation.run_due(later))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(r["alerts"] for r in results)[0] == 0
    assert len(emails_to(head)) == 1
    assert db.session.scalar(select(func.count()).select_from(DeadlineAlert)) == max(
        r["alerts"] for r in results)


def test_the_command_runs_it(runner):
    f.staff("city_office")
    f.triage_case()
    result = runner.invoke(args=["jobs", "run-due"])
    assert result.exit_code == 0 and "deadline alerts" in result.output
