"""Plain factories: cases made by the real intake (make_case) and moved on by
the real lifecycle (case_in), staff made by the real accounts service."""
from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from config.settings import DEFAULT_ORG_FILE
from feedback.domain import lifecycle as actions
from feedback.domain import states
from feedback.extensions import db
from feedback.models import Case, Hotline, HotlineNumber
from feedback.services import intake, orgdata
from feedback.services.workflow import lifecycle
from feedback.services.workflow.access import SYSTEM, Actor
from feedback.services.workflow.accounts import save_user

PASSWORD = "mat-khau-can-bo-2026"
UNIT = "p-tn-mt"            # where the "dat-dai" category goes
OTHER_UNIT = "p-tu-phap"
ANSWER = "Đơn vị đã kiểm tra và cấp giấy chứng nhận cho hồ sơ của ông/bà vào ngày 20/11."
SUMMARY = "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất bị trễ hẹn"

def make_submission(**overrides) -> intake.Submission:
    """A web submission; it texts and e-mails its receipt only when asked
    (notify=True): a test about something else need not wait for them."""
    values = dict(
        kind="phan-anh", channel="web", reporter_type="citizen", notify=False,
        description="Hồ sơ đăng ký khai sinh của con tôi bị trễ hẹn hai tuần.",
        name="Nguyễn Văn An", phone="0912 345 678",
    )
    values.update(overrides)
    return intake.Submission(**values)


def make_case(**overrides):
    return intake.submit(make_submission(**overrides))


SENDING_NUMBER = "+15005550006"


def add_sending_number(hotline_code: str = "hl-citizen") -> str:
    """Give a hotline the Twilio number its SMS go out from."""
    hotline = db.session.scalars(db.select(Hotline).filter_by(code=hotline_code)).one()
    db.session.add(HotlineNumber(hotline=hotline, e164=SENDING_NUMBER, sends=True))
    db.session.commit()
    return SENDING_NUMBER


_count = 0


def staff(role: str, unit: str | None = None, name: str = ""):
    """An active account of `role` (unit roles default to UNIT)."""
    global _count
    _count += 1
    if unit is None and role in ("officer", "unit_head"):
        unit = UNIT
    user, _ = save_user(f"{role}{_count}@vungtau.example", PASSWORD, role, unit,
                        name or f"{role} {_count}")
    return user


def actor(user) -> Actor:
    return Actor(user, "127.0.0.1")


def ordinary_case(**fields) -> Case:
    """A land case, routed to UNIT and waiting to be accepted."""
    values = {"category_code": "dat-dai", "email": "an@example.vn",
              "description": "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất của tôi đã trễ hẹn một tháng."}
    values.update(fields)
    return make_case(**values)


def triage_case(**fields) -> Case:
    values = {"description": "Tôi muốn hỏi một việc chưa rõ thuộc cơ quan nào giải quyết."}
    values.update(fields)
    return make_case(**values)


DENOUNCER = {"name": "Phạm Thị Tố Giác", "phone": "0987 111 222", "email": "to.giac@example.vn"}


def sealed_case(**fields) -> Case:
    """A denunciation: the sealed track, at the inspectorate."""
    values = {"kind": "to-cao", **DENOUNCER,
              "description": "Tôi tố cáo cán bộ địa chính nhận tiền để làm nhanh hồ sơ đất."}
    values.update(fields)
    return make_case(**values)


# The system's path from "assigned" to each later state.
_PATH = {
    states.IN_PROGRESS: [actions.ACCEPT],
    states.ANSWERED: [actions.ACCEPT, actions.ANSWER],
    states.APPROVED: [actions.ACCEPT, actions.ANSWER, actions.APPROVE],
    states.PUBLISHED: [actions.ACCEPT, actions.ANSWER, actions.APPROVE, actions.PUBLISH],
    states.CLOSED: [actions.ACCEPT, actions.ANSWER, actions.APPROVE, actions.PUBLISH, actions.CLOSE],
    states.REJECTED: [actions.REJECT],
    states.HANDED_OVER: [actions.HANDOVER],
}
_GIVEN = {
    actions.ANSWER: lifecycle.Given(public_text=ANSWER, summary=SUMMARY, resolution="Đã cấp."),
    actions.PUBLISH: lifecycle.Given(checked=True),
    actions.REJECT: lifecycle.Given(reason="Nội dung không rõ ràng."),
    actions.HANDOVER: lifecycle.Given(reference="Số 12/TTr", reason="Chuyển thủ tục tố cáo."),
}


def move(case: Case, state: str) -> Case:
    """Move an assigned case on to `state` as the system would, without texting."""
    for action in _PATH.get(state, []):
        lifecycle.act(SYSTEM, case, action, _GIVEN.get(action, lifecycle.Given()),
                      notify_reporter=False)
    assert case.state == state
    return case


def case_in(state: str, sealed: bool = False, **fields) -> Case:
    if state == states.TRIAGE:
        return triage_case(**fields)
    case = sealed_case(**fields) if sealed else ordinary_case(**fields)
    return move(case, state)


def refresh(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def refresh_by_code(code: str) -> Case:
    db.session.expire_all()
    return db.session.scalars(select(Case).filter_by(code=code)).one()


def sign_in_as(client, user):
    """Sign in through the real form."""
    response = client.post("/staff/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def org_data() -> dict:
    """The organisation data file's content, to change and write (write_org_data)."""
    return orgdata.read(DEFAULT_ORG_FILE)


def write_org_data(folder: Path, data: dict) -> Path:
    """`data` as an organisation data file in `folder`."""
    path = Path(folder) / "org.yaml"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml's, when PyYAML has it
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True), encoding="utf-8")
    return path
