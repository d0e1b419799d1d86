"""The lifecycle service: the only writer of case.state, through the table."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.domain import states
from feedback.domain.calendar import local_date
from feedback.extensions import db
from feedback.models import Answer, AuditEntry, Case, CaseEvent, OutboundMessage, PublicRecord, User
from feedback.models.types import utcnow
from feedback.services import deadlines
from feedback.services.errors import Rejected
from feedback.services.workflow import lifecycle
from feedback.services.workflow.access import SYSTEM, Actor
from feedback.services.workflow.lifecycle import Given
from tests import factories as f
from tests.database import statements

pytestmark = pytest.mark.usefixtures("app")


def act(user, case, action, **given):
    return lifecycle.act(f.actor(user), case, action, Given(**given))


def answer_given(**extra):
    return dict(public_text=f.ANSWER, summary=f.SUMMARY, resolution="Đã cấp giấy.", **extra)


def outbox(case, purpose):
    return db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.case_id == case.id, OutboundMessage.purpose == purpose)).all()


def test_the_whole_road_from_triage_to_publication():
    city, officer, head = f.staff("city_office"), f.staff("officer"), f.staff("unit_head")
    case = f.triage_case(email="an@example.vn")
    act(city, case, "assign", unit_code=f.UNIT, reason="Thuộc lĩnh vực đất đai")
    assert (case.state, case.unit.code) == (states.ASSIGNED, f.UNIT)
    assert [m.channel for m in outbox(case, "routed")] == ["sms", "email"]
    act(officer, case, "accept")
    act(officer, case, "answer", **answer_given())
    act(head, case, "approve")
    act(city, case, "send-back", reason="Trả lời chưa nêu ngày cấp giấy.")
    assert case.state == states.IN_PROGRESS
    act(officer, case, "answer", **answer_given())
    act(head, case, "approve")
    act(city, case, "publish", summary=f.SUMMARY, public_text=f.ANSWER)
    assert case.state == states.PUBLISHED and case.answer == f.ANSWER
    answers = db.session.scalars(select(Answer).where(Answer.case_id == case.id).order_by(Answer.id)).all()
    assert [a.state for a in answers] == ["sent_back", "published"]
    assert answers[0].review_reason == "Trả lời chưa nêu ngày cấp giấy."
    record = db.session.scalars(select(PublicRecord)).one()
    assert (record.code, record.summary, record.answer, record.on_time) == (case.code, f.SUMMARY, f.ANSWER, True)
    assert "nguyen" not in record.search_text and "cap giay" in record.search_text
    assert len(outbox(case, "answered")) == 2
    actions = db.session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)
                                 .order_by(CaseEvent.id)).all()
    assert actions == ["received", "routed", "assign", "accept", "answer", "approve", "send-back",
                       "answer", "approve", "publish"]
    audited = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert [a for a in audited if a.startswith("case.")] == [f"case.{a}" for a in actions[2:]]


def test_a_wrong_transition_is_refused_with_409_and_changes_nothing():
    officer = f.staff("officer")
    case = f.ordinary_case()
    events, version = len(case.events), case.version
    with pytest.raises(Rejected) as refused:
        act(officer, case, "publish")
    assert refused.value.status == 409
    assert "Công bố trả lời" in str(refused.value.errors[""])
    case = f.refresh(case)
    assert (case.state, len(case.events), case.version) == (states.ASSIGNED, events, version)


def test_an_action_without_the_permission_is_refused_with_403():
    officer = f.staff("officer")
    case = f.case_in(states.ANSWERED)
    with pytest.raises(Rejected) as refused:
        act(officer, case, "approve")
    assert refused.value.status == 403 and f.refresh(case).state == states.ANSWERED


def test_a_missing_reason_is_422_beside_its_field():
    officer = f.staff("officer")
    case = f.ordinary_case()
    with pytest.raises(Rejected) as refused:
        act(officer, case, "return", reason="   ")
    assert refused.value.status == 422 and set(refused.value.errors) == {"reason"}


def test_a_stale_page_is_told_who_changed_the_case():
    officer, other = f.staff("officer", name="Trần Văn Nhanh"), f.staff("officer")
    case = f.ordinary_case()
    seen = case.version
    act(officer, case, "accept", version=seen)
    with pytest.raises(Rejected) as refused:
        act(other, case, "return", version=seen, reason="Không thuộc thẩm quyền")
    assert refused.value.status == 409
    assert "Trần Văn Nhanh" in str(refused.value.errors[""])
    assert f.refresh(case).state == states.IN_PROGRESS


def test_two_concurrent_approvals_give_one(app):
    heads = [f.staff("unit_head"), f.staff("unit_head")]
    case = f.case_in(states.ANSWERED)
    ids, outcomes, barrier = (case.id, [h.id for h in heads]), [], threading.Barrier(2)

    def approve(user_id):
        with app.app_context():
            mine = db.session.get(Case, ids[0])
            user = db.session.get(User, user_id)
            seen = mine.version
            barrier.wait()
            try:
                lifecycle.act(Actor(user), mine, "approve", Given(version=seen))
                outcomes.append("won")
            except Rejected as refused:
                outcomes.append(refused.status)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(uid,)) for uid in ids[1]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes, key=str) == [409, "won"]
    approvals = db.session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "approve"))
    assert approvals == 1 and f.refresh(case).state == states.APPROVED


def test_accepting_a_complaint_starts_its_answer_clock_that_day():
    inspector = f.staff("inspectorate", unit="thanh-tra")
    case = f.make_case(kind="khieu-nai", description="Khiếu nại quyết định xử phạt hành chính của phường.")
    legal_latest = case.due_on
    act(inspector, case, "accept")
    assert case.due_on <= legal_latest
    # 30 calendar days from today (Luật Khiếu nại, Điều 28), moved off a day off.
    thirty_days = local_date(utcnow()) + timedelta(days=30)
    assert case.due_on == deadlines.work_calendar().last_working_day_from(thirty_days)


def test_progress_sets_the_committed_date_and_tells_the_reporter():
    officer = f.staff("officer")
    case = f.ordinary_case()
    day = local_date(utcnow()) + timedelta(days=20)
    act(officer, case, "progress", reason="Chờ ý kiến Sở Tài nguyên", day=day)
    assert case.committed_on == day
    [sms] = [m for m in outbox(case, "late") if m.channel == "sms"]
    assert day.strftime("%d/%m/%Y") in sms.body


def test_progress_refuses_a_date_in_the_past():
    officer = f.staff("officer")
    case = f.ordinary_case()
    with pytest.raises(Rejected) as refused:
        act(officer, case, "progress", reason="Chậm", day=local_date(utcnow()) - timedelta(days=1))
    assert set(refused.value.errors) == {"date"}


def test_publication_refuses_personal_data_until_checked():
    city = f.staff("city_office")
    case = f.case_in(states.APPROVED, name="Nguyễn Văn An")
    text = "Ông Nguyễn Văn An (0912 345 678) đã được cấp giấy chứng nhận ngày 20/11."
    with pytest.raises(Rejected) as refused:
        act(city, case, "publish", summary=f.SUMMARY, public_text=text)
    assert set(refused.value.errors) == {"checked"}
    act(city, case, "publish", summary=f.SUMMARY, public_text="Ông/bà đã được cấp giấy chứng nhận ngày 20/11.")
    answer = db.session.scalars(select(Answer).where(Answer.case_id == case.id)).one()
    assert answer.public_text == f.ANSWER  # the original stays beside the edit
    assert answer.published_text == "Ông/bà đã được cấp giấy chứng nhận ngày 20/11."


def test_the_reporters_words_are_published_only_with_consent():
    city = f.staff("city_office")
    agreed = f.case_in(states.APPROVED, consent_publish=True)
    refused = f.case_in(states.APPROVED, consent_publish=False)
    for case in (agreed, refused):
        act(city, case, "publish", words="Hồ sơ đất trễ hẹn một tháng.")
    records = {r.code: r for r in db.session.scalars(select(PublicRecord))}
    assert records[agreed.code].description == "Hồ sơ đất trễ hẹn một tháng."
    assert records[refused.code].description is None


def test_return_sends_the_case_back_to_triage():
    officer = f.staff("officer")
    case = f.ordinary_case()
    act(officer, case, "return", reason="Thuộc thẩm quyền phường")
    assert case.state == states.TRIAGE and case.unit.is_triage


def test_merge_joins_a_duplicate_to_the_open_case():
    officer = f.staff("officer")
    first, second = f.ordinary_case(), f.ordinary_case()
    act(officer, second, "merge", target_code=first.code)
    assert second.state == states.MERGED and second.merged_into_id == first.id
    assert [e.action for e in f.refresh(first).events][-1] == "merged_in"


@pytest.mark.parametrize("target", ["itself", "sealed", "nonsense"])
def test_merge_refuses_a_target_it_cannot_use(target):
    officer = f.staff("officer")
    case = f.ordinary_case()
    code = {"itself": case.code, "sealed": f.sealed_case().code, "nonsense": "123"}[target]
    with pytest.raises(Rejected) as refused:
        act(officer, case, "merge", target_code=code)
    assert set(refused.value.errors) == {"target"}


def test_a_sealed_conclusion_is_published_only_by_the_supervisor():
    inspector, supervisor = f.staff("inspectorate", unit="thanh-tra"), f.staff("supervisor")
    case = f.case_in(states.APPROVED, sealed=True)
    with pytest.raises(Rejected) as refused:
        act(inspector, case, "publish")
    assert refused.value.status == 403
    act(supervisor, case, "publish", summary="Tố cáo về cán bộ địa chính",
        public_text="Kết luận: tố cáo đúng một phần; cán bộ đã bị kỷ luật.", checked=True)
    record = db.session.scalars(select(PublicRecord)).one()
    assert record.conclusion_only and record.description is None


def test_a_sealed_case_can_be_concluded_without_publication():
    inspector = f.staff("inspectorate", unit="thanh-tra")
    case = f.case_in(states.APPROVED, sealed=True)
    act(inspector, case, "close")
    assert case.state == states.CLOSED and case.answer == f.ANSWER
    assert db.session.scalar(select(func.count()).select_from(PublicRecord)) == 0


def test_only_intake_routes_a_new_case():
    case = f.ordinary_case()
    with pytest.raises(ValueError):
        lifecycle.route(case, states.TRIAGE, CaseEvent(action="routed", actor="system"))


def test_only_the_system_may_backdate():
    officer = f.staff("officer")
    case = f.ordinary_case()
    with pytest.raises(ValueError):
        lifecycle.act(f.actor(officer), case, "accept", Given(), at=utcnow() - timedelta(days=3))
    lifecycle.act(SYSTEM, case, "accept", Given(), at=utcnow() - timedelta(days=3))
    assert case.events[-1].at < utcnow() - timedelta(days=2)


def test_a_step_joins_the_timeline_without_reading_it(app):
    """Each step adds one event; the earlier ones are not read to do so."""
    case = f.refresh(f.case_in(states.APPROVED))
    with statements() as seen:
        lifecycle.act(SYSTEM, case, "publish", Given(checked=True), notify_reporter=False)
    assert [s for s in seen if "FROM case_events" in s] == []
    assert [e.action for e in f.refresh(case).events] == [
        "received", "routed", "accept", "answer", "approve", "publish"]
