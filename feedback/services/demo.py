"""Realistic demo data: Vietnamese cases across units, channels, kinds and states.

Cases go through the real intake (routing, deadlines), then some move on
through the states a case can reach, with answers for the published ones.
Nothing is texted: demo reporters have numbers from the range reserved for
fiction, and their cases queue no SMS.
"""
from __future__ import annotations

import random
from datetime import timedelta
from typing import Callable

from sqlalchemy import select

from ..domain import states
from ..domain.lifecycle import ACCEPT, ANSWER, APPROVE, ASSIGN, CLOSE, PUBLISH
from ..extensions import db
from ..models import Category, Procedure, Unit
from ..models.org import WARD_KINDS
from ..models.types import utcnow
from . import intake
from .workflow.access import SYSTEM
from .workflow.lifecycle import Given, act

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức", "Thu", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Linh", "Nam", "Phương", "Quân",
         "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
STREETS = ["Ba Cu", "Trần Phú", "Lê Lợi", "Hoàng Hoa Thám", "Thùy Vân", "Võ Thị Sáu",
           "Nguyễn An Ninh", "Lê Hồng Phong", "Nam Kỳ Khởi Nghĩa", "30 Tháng 4"]
OPENINGS = ["Tôi xin phản ánh việc", "Đề nghị cơ quan xem xét", "Gia đình tôi gặp khó khăn khi",
            "Kính đề nghị UBND giải quyết", "Tôi muốn hỏi về"]
DETAILS = ["hồ sơ nộp đã quá hẹn hai tuần mà chưa có kết quả",
           "cán bộ yêu cầu bổ sung giấy tờ không có trong quy định",
           "thông tin hướng dẫn trên cổng dịch vụ công không rõ ràng",
           "phải đi lại nhiều lần mới được tiếp nhận hồ sơ",
           "tình trạng kéo dài ảnh hưởng đến sinh hoạt của người dân"]
ANSWERS = ["Đơn vị đã kiểm tra, hồ sơ của ông/bà đã được giải quyết và trả kết quả.",
           "Qua rà soát, yêu cầu bổ sung giấy tờ là chưa đúng quy định; đơn vị đã chấn chỉnh cán bộ.",
           "Đơn vị đã phối hợp với UBND phường khắc phục xong trong tuần."]
CHANNELS = ["web"] * 5 + ["sms"] * 2 + ["voice"] * 2 + ["operator"]
KINDS = ["phan-anh"] * 6 + ["kien-nghi"] * 2 + ["khieu-nai"]
# Where older cases have got to: (state, weight)
PROGRESS = [(states.PUBLISHED, 5), (states.CLOSED, 1), (states.IN_PROGRESS, 2), (None, 2)]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _submission(rng, procedure: Procedure | None, category: Category, ward: Unit, days_ago: int):
    subject = procedure.name_vi.lower() if procedure else category.name_vi.lower()
    description = (f"{rng.choice(OPENINGS)} {subject}: {rng.choice(DETAILS)}. "
                   f"Địa chỉ: số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, {ward.name_vi}.")
    return intake.Submission(
        kind=rng.choice(KINDS), channel=rng.choice(CHANNELS), description=description,
        category_code=category.code, procedure_code=procedure.code if procedure else None,
        ward_code=ward.code, name=_person(rng),
        phone=f"0909{rng.randint(0, 999999):06d}", consent_publish=rng.random() < 0.8,
        actor="citizen", notify=False,
        received_at=utcnow() - timedelta(days=days_ago, minutes=rng.randint(0, 600)),
    )


def _progress(case, rng: random.Random) -> None:
    """Move an older case on through the real lifecycle, as the system, with the
    dates it would have had."""
    state = rng.choices([s for s, _ in PROGRESS], [w for _, w in PROGRESS])[0]
    if state is None or case.received_at > utcnow() - timedelta(days=3):
        return
    at = case.received_at + timedelta(hours=rng.randint(2, 48))
    steps = [] if case.state == states.ASSIGNED else [
        (ASSIGN, Given(unit_code=rng.choice(_unit_codes()), reason="Phân loại"))]
    steps.append((ACCEPT, Given()))
    if state in (states.PUBLISHED, states.CLOSED):
        answer = rng.choice(ANSWERS)
        steps += [(ANSWER, Given(public_text=answer, summary=_summary(case))),
                  (APPROVE, Given()), (PUBLISH, Given(checked=True))]
    if state == states.CLOSED:
        steps.append((CLOSE, Given()))
    for action, given in steps:
        at += timedelta(hours=rng.randint(4, 60))
        act(SYSTEM, case, action, given, notify_reporter=False, at=min(at, utcnow()))


def _summary(case) -> str:
    subject = case.procedure.name_vi if case.procedure else (case.category.name_vi if case.category else "")
    return f"Phản ánh về {subject.lower()}" if subject else "Phản ánh về thủ tục hành chính"


def _unit_codes() -> list[str]:
    return list(db.session.scalars(select(Unit.code).where(
        Unit.is_triage.is_(False), Unit.retired_on.is_(None), Unit.kind.not_in(WARD_KINDS))))


def generate(count: int, seed: int = 2021, on_batch: Callable[[int], None] | None = None,
             batch: int = 200) -> int:
    """Create `count` demo cases, committing every `batch`; return how many were made."""
    rng = random.Random(seed)
    categories = db.session.scalars(select(Category).where(Category.active.is_(True),
                                                          Category.confidential.is_(False))).all()
    procedures = db.session.scalars(select(Procedure).where(Procedure.active.is_(True))).all()
    wards = db.session.scalars(select(Unit).where(Unit.kind.in_(WARD_KINDS),
                                                  Unit.retired_on.is_(None))).all()
    by_category = {c.id: [p for p in procedures if p.category_id == c.id] for c in categories}
    for done in range(1, count + 1):
        category = rng.choice(categories)
        procedure = rng.choice(by_category[category.id] or [None])
        case = intake.build(_submission(rng, procedure, category, rng.choice(wards),
                                        rng.randint(0, 365)))
        db.session.flush()
        _progress(case, rng)
        if done % batch == 0 or done == count:
            db.session.commit()
            if on_batch:
                on_batch(batch if done % batch == 0 else done % batch)
    return count
