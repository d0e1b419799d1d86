"""Demo data at city scale: `flask --app app demo --cases N`.

Cases a real year or two could have produced, written with bulk inserts so a
million take minutes: every kind, channel, hotline, unit, field and ward;
every state the lifecycle reaches, with the events it would have written
(answers drafted, sometimes sent back, approved, published; ratings; a few
rejected, merged, handed over; late answers and overdue open cases); two
years of receipts with deadlines from the legal clocks and the holiday
calendar; public records for what was published; then the scorecards are
rebuilt from it all. Nothing is texted: demo reporters have made-up numbers.

Rows are inserted in batches, each its own short transaction, so the web
keeps answering meanwhile (SQLite included).
"""
from __future__ import annotations

import random
from bisect import bisect_right
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import select, text

from ..domain import states, trackcode
from ..domain.calendar import LOCAL_TZ, local_date
from ..extensions import db
from ..models import (
    Answer, Case, CaseEvent, Category, Hotline, LegalKind, PublicRecord, Rating, Reporter, Unit,
)
from ..models.public import SQLITE_FTS
from ..models.types import utcnow
from . import deadlines
from .public import tally
from .public.search import search_text

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
           "lệ phí thu khác với mức niêm yết"]
SUMMARIES = ["Chậm giải quyết hồ sơ {s}", "Yêu cầu giấy tờ ngoài quy định khi làm {s}",
             "Hướng dẫn chưa rõ về {s}", "Đi lại nhiều lần khi làm {s}", "Lệ phí {s} chưa đúng niêm yết"]
ANSWERS = ["Đơn vị đã kiểm tra, hồ sơ của ông/bà đã được giải quyết và trả kết quả.",
           "Qua rà soát, yêu cầu bổ sung giấy tờ là chưa đúng quy định; đơn vị đã chấn chỉnh cán bộ.",
           "Đơn vị đã cập nhật hướng dẫn trên cổng dịch vụ công và niêm yết tại Bộ phận một cửa.",
           "Đơn vị đã phối hợp với UBND phường khắc phục xong trong tuần.",
           "Mức lệ phí đã được điều chỉnh đúng quy định; khoản thu thừa được hoàn trả."]
KIND_WEIGHTS = {"phan-anh": 62, "kien-nghi": 25, "khieu-nai": 9, "to-cao": 4}
CHANNEL_WEIGHTS = {"web": 45, "sms": 18, "voice": 17, "operator": 12, "api": 4, "dialogue": 4}
HOTLINE_CHANNELS = ("sms", "voice", "operator")
DAYS_BACK = 730
TABLES = (Case, Reporter, CaseEvent, Answer, PublicRecord, Rating)


class _Calendar:
    """The working-day calendar over the demo's dates, as a sorted list: adding
    working days is a bisection, not a loop, a million times over."""

    def __init__(self, first: date, last: date):
        self.calendar = deadlines.work_calendar()
        self.working = [first + timedelta(days=n) for n in range((last - first).days + 1)
                        if self.calendar.is_working_day(first + timedelta(days=n))]

    def add(self, day: date, count: int, basis: str = "working") -> date:
        """The `count`-th working day after `day` (as deadlines count)."""
        if basis == "calendar":
            return self.calendar.add_days(day, count, basis)
        if count <= 0:
            return day
        index = bisect_right(self.working, day) + count - 1
        return self.working[min(index, len(self.working) - 1)]

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        return max(0, bisect_right(self.working, end) - bisect_right(self.working, start))


@dataclass
class _Org:
    units: list[Unit]
    wards: list[Unit]
    categories: list[Category]
    procedures: dict[int, list]
    hotlines: dict[str, Hotline]
    kinds: dict[str, LegalKind]
    triage: Unit
    conduct: Unit

    @classmethod
    def load(cls) -> "_Org":
        units = list(db.session.scalars(select(Unit)))
        categories = list(db.session.scalars(select(Category).where(Category.active.is_(True))))
        procedures = {c.id: [p for p in c.procedures if p.active] for c in categories}
        return cls(
            units, [u for u in units if u.is_ward and u.retired_on is None],
            [c for c in categories if not c.confidential], procedures,
            {h.audience: h for h in db.session.scalars(select(Hotline))},
            {k.code: k for k in db.session.scalars(select(LegalKind))},
            next(u for u in units if u.is_triage), next(u for u in units if u.handles_conduct))


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    """Search words of a piece of demo text: the same pieces recur all the time."""
    return search_text(text)


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def _local(day: date, hour: float) -> datetime:
    moment = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ) + timedelta(hours=hour)
    return moment.astimezone(timezone.utc)


class _Maker:
    """Builds the rows of one case after another; `flush` inserts them."""

    def __init__(self, rng: random.Random, org: _Org, calendar: _Calendar, now: datetime):
        self.rng, self.org, self.calendar, self.now = rng, org, calendar, now
        self.today = local_date(now)
        self.codes, self.codes_rng = set(db.session.scalars(select(Case.code))), random.Random()
        self.rows: dict = {model: [] for model in TABLES}
        self.previous: dict[int, int] = {}   # category -> a saved open case, to merge into
        self.candidates: dict[int, dict] = {}  # the same, among the cases not yet saved
        self.description_words = ""          # of the case being made

    def _code(self) -> str:
        """A fresh code each run, from a fast generator of its own (a demo needs
        no secret codes, and the seeded one must draw the same whatever exists)."""
        while True:
            body = f"{self.codes_rng.randrange(10 ** trackcode.BODY_LENGTH):0{trackcode.BODY_LENGTH}d}"
            if (code := body + trackcode.check_digit(body)) not in self.codes:
                self.codes.add(code)
                return code

    def _event(self, case: dict, at: datetime, action: str, before: str | None, after: str,
               public: bool, unit_id=None, reason=None, detail=None) -> None:
        self.rows[CaseEvent].append(dict(
            case_id=case, at=at, actor="system", user_id=None,
            action=action, from_state=before, to_state=after, unit_id=unit_id or case["unit_id"],
            reason=reason, detail=detail, public=public))

    # The case as intake makes it ---------------------------------------------------

    def _route(self, kind: LegalKind, category: Category, ward: Unit | None) -> tuple:
        """(unit, state, reason, confidential, category) as the routing rules give."""
        rng, org = self.rng, self.org
        if kind.code == "to-cao" or (kind.code == "phan-anh" and rng.random() < 0.03):
            unit = kind.default_unit if kind.code == "to-cao" else org.conduct
            return unit, states.ASSIGNED, "kind" if kind.code == "to-cao" else "conduct", True, None
        if kind.default_unit is not None:
            return kind.default_unit, states.ASSIGNED, "kind", False, category
        if rng.random() < 0.05:
            return org.triage, states.TRIAGE, "triage", False, None
        if category.ward_first and ward is not None:
            return ward, states.ASSIGNED, "ward", False, category
        return category.default_unit, states.ASSIGNED, "category", False, category

    def case(self) -> None:
        rng, org = self.rng, self.org
        kind = org.kinds[_weighted(rng, KIND_WEIGHTS)]
        business = rng.random() < 0.25
        channel = _weighted(rng, CHANNEL_WEIGHTS)
        hotline = org.hotlines.get("business" if business else "citizen") if channel in HOTLINE_CHANNELS else None
        chosen = rng.choice(org.categories)
        procedure = rng.choice(org.procedures[chosen.id] or [None])
        ward = rng.choice(org.wards) if rng.random() < 0.75 else None
        unit, state, reason, sealed, category = self._route(kind, chosen, ward)
        # A fifth of the cases came in the last month, some in the last three days:
        # the inboxes and the triage queue have work in them.
        recent = rng.random()
        days_back = 3 if recent < 0.05 else 30 if recent < 0.25 else DAYS_BACK
        received_at = self.now - timedelta(seconds=rng.uniform(3600, days_back * 86400))
        received = local_date(received_at)
        accept_due = self.calendar.add(received, kind.accept_days, kind.day_basis) if kind.accept_days else None
        due = self.calendar.add(accept_due or received, kind.resolve_days, kind.day_basis)
        subject = (procedure.name_vi if procedure else chosen.name_vi).lower()
        parts = (rng.choice(OPENINGS), subject, rng.choice(DETAILS), "Địa chỉ: số",
                 str(rng.randint(1, 300)), "đường", rng.choice(STREETS), ward.name_vi if ward else "")
        description = (f"{parts[0]} {subject}: {parts[2]}. {parts[3]} {parts[4]} {parts[5]} {parts[6]}"
                       + (f", {parts[7]}." if ward else "."))
        # The description's search words, from its parts (each folded once).
        self.description_words = " ".join(_folded(part) for part in parts if part)
        case = dict(
            code=self._code(), kind=kind.code,
            reporter_type="business" if business else "citizen", channel=channel,
            hotline_id=hotline.id if hotline else None,
            category_id=category.id if category else None,
            procedure_id=procedure.id if procedure and category else None,
            ward_id=ward.id if ward else None, unit_id=unit.id, state=state, confidential=sealed,
            description=description, consent_publish=rng.random() < 0.7, received_at=received_at,
            accept_due_on=accept_due, due_on=due, committed_on=None, answer=None, answered_at=None,
            merged_into_id=None, handover_ref=None, updated_at=received_at, version=1)
        self.rows[Reporter].append(dict(
            case_id=case, name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            phone=f"+849090{rng.randint(0, 99999):05d}", email=None,
            business_name=f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(STREETS)}" if business else None,
            tax_code=None))
        self._event(case, received_at, "received", None, states.NEW, True, detail=channel)
        self._event(case, received_at, "routed", states.NEW, state, True, reason=reason)
        self._progress(case, kind, subject)
        self.rows[Case].append(case)

    # Where the case has got to ----------------------------------------------------

    def _latency(self, limit: int) -> int:
        """Working days the unit took: mostly in time, some on the day, some late."""
        r = self.rng.random()
        if r < 0.7:
            return self.rng.randint(1, max(1, limit - 1))
        return limit if r < 0.85 else limit + self.rng.randint(1, 12)

    def _progress(self, case: dict, kind: LegalKind, subject: str) -> None:
        rng, received = self.rng, case["received_at"]
        age = (self.today - local_date(received)).days
        if case["state"] == states.TRIAGE:
            if age < 3:
                return
            unit = rng.choice(self.org.categories).default_unit
            case["unit_id"], case["state"] = unit.id, states.ASSIGNED
            self._event(case, received + timedelta(hours=rng.randint(2, 40)), "assign", states.TRIAGE,
                        states.ASSIGNED, True, detail="Phân loại")
        if age > 3 and rng.random() < 0.025:
            return self._close_early(case, states.REJECTED, "reject", "Nội dung không rõ, không có địa chỉ liên hệ.")
        target = self.previous.get(case["category_id"])
        if age > 3 and target and rng.random() < 0.01:
            case["merged_into_id"] = target
            return self._close_early(case, states.MERGED, "merge", None)
        if not case["confidential"]:
            self.candidates[case["category_id"]] = case
        accepted = received + timedelta(hours=rng.randint(2, 30))
        if accepted > self.now or (age < 5 and rng.random() < 0.5):
            return  # not accepted yet
        self._event(case, accepted, "accept", states.ASSIGNED, states.IN_PROGRESS, True)
        case["state"] = states.IN_PROGRESS
        if case["confidential"] and age > 20 and rng.random() < 0.3:
            return self._close_early(case, states.HANDED_OVER, "handover", "Chuyển giải quyết theo Luật Tố cáo.",
                                     reference=f"{rng.randint(1, 999)}/TTr")
        answer_day = self.calendar.add(local_date(received), self._latency(kind.resolve_days))
        if answer_day >= self.today:
            if answer_day > case["due_on"] and case["due_on"] < self.today and rng.random() < 0.4:
                case["committed_on"] = self.calendar.add(self.today, rng.randint(2, 8))
                self._event(case, self.now - timedelta(days=1), "progress", states.IN_PROGRESS,
                            states.IN_PROGRESS, True, detail="Đang chờ ý kiến cơ quan liên quan.")
            return
        self._answer(case, kind, answer_day, subject)

    def _close_early(self, case: dict, state: str, action: str, reason: str, reference=None) -> None:
        at = case["received_at"] + timedelta(hours=self.rng.randint(4, 60))
        if at > self.now:
            return
        self._event(case, at, action, case["state"], state, True, detail=reason)
        case["state"], case["handover_ref"] = state, reference

    def _answer(self, case: dict, kind: LegalKind, day: date, subject: str) -> None:
        """Drafted, approved (sent back once in a while), then published or, on the
        sealed track, concluded; rated and closed later for some."""
        rng = self.rng
        drafted = max(_local(day, rng.uniform(8, 16.5)), case["received_at"] + timedelta(hours=31))
        steps = [("answer", states.IN_PROGRESS, states.ANSWERED, False),
                 ("approve", states.ANSWERED, states.APPROVED, False)]
        if rng.random() < 0.06:
            steps += [("send-back", states.APPROVED, states.IN_PROGRESS, False)] + steps
        at = drafted
        for action, before, after, public in steps:
            at += timedelta(hours=rng.uniform(0.5, 20))
            self._event(case, at, action, before, after, public,
                        detail="Đề nghị nêu rõ ngày trả kết quả." if action == "send-back" else None)
        published = at + timedelta(hours=rng.uniform(1, 30))
        if published > self.now:
            case["state"] = states.APPROVED
            return
        answer = rng.choice(ANSWERS)
        summary = rng.choice(SUMMARIES).format(s=subject)
        final = states.CLOSED if case["confidential"] else states.PUBLISHED
        self._event(case, published, "close" if case["confidential"] else "publish",
                    states.APPROVED, final, True)
        case.update(state=final, answer=answer, answered_at=drafted, updated_at=published)
        words = case["description"] if case["consent_publish"] and not case["confidential"] else None
        self.rows[Answer].append(dict(
            case_id=case, state="concluded" if case["confidential"] else "published",
            author_id=None, created_at=drafted, resolution="", public_text=answer, summary=summary,
            approved_at=drafted, reviewed_at=published, published_text=answer,
            published_summary=summary, published_words=words))
        if not case["confidential"]:
            self._record(case, day, published, summary, answer, words)
            self._after(case, published)

    def _record(self, case: dict, day: date, published: datetime, summary: str, answer: str,
                words: str | None) -> None:
        self.rows[PublicRecord].append(dict(
            case_id=case, code=case["code"], kind=case["kind"],
            reporter_type=case["reporter_type"], channel=case["channel"],
            hotline_id=case["hotline_id"], category_id=case["category_id"],
            procedure_id=case["procedure_id"], unit_id=case["unit_id"], ward_id=case["ward_id"],
            received_at=case["received_at"], answered_at=case["answered_at"], published_at=published,
            due_on=case["due_on"], on_time=day <= case["due_on"],
            working_days=self.calendar.between(local_date(case["received_at"]), day),
            summary=summary, answer=answer, description=words, conclusion_only=False,
            dialogue_id=None, search_text=" ".join(filter(None, (
                _folded(summary), _folded(answer), self.description_words if words else "")))))

    def _after(self, case: dict, published: datetime) -> None:
        rng = self.rng
        if rng.random() < 0.35 and (at := published + timedelta(hours=rng.uniform(1, 140))) < self.now:
            score = rng.choices([1, 2, 3, 4, 5], [6, 8, 16, 35, 35])[0]
            self.rows[Rating].append(dict(case_id=case, score=score,
                                          channel=rng.choice(["sms", "web"]), at=at,
                                          followed_up_at=at + timedelta(days=2) if score <= 2 else None,
                                          followed_up_by_id=None))
        closed = published + timedelta(days=rng.randint(8, 30))
        if rng.random() < 0.25 and closed < self.now:
            self._event(case, closed, "close", states.PUBLISHED, states.CLOSED, True)
            case["state"] = states.CLOSED

    def flush(self) -> None:
        """Insert the rows built so far in one short transaction. The database
        numbers the cases (web submissions may be inserting at the same time);
        their rows then point at those numbers, found by the cases' unique codes."""
        cases = self.rows[Case]
        if cases:
            _insert_many(Case.__table__, cases)
            ids = dict(db.session.execute(select(Case.code, Case.id).where(
                Case.code.in_([case["code"] for case in cases]))).all())
            for case in cases:
                case["id"] = ids[case["code"]]
        for model in TABLES[1:]:
            rows = self.rows[model]
            for row in rows:
                row["case_id"] = row["case_id"]["id"]
            _insert_many(model.__table__, rows)
        db.session.commit()
        self.previous.update({category: case["id"] for category, case in self.candidates.items()})
        self.candidates.clear()
        self.rows = {model: [] for model in TABLES}


def _insert_many(table, rows: list[dict]) -> None:
    """One executemany through the driver. The ORM's per-value processing cost
    more than the insert itself at a million cases; the values here are plain,
    but for the times, which are UTC and stored naive (as UTCDateTime does)."""
    if not rows:
        return
    names = list(rows[0])
    times = {name for name in names if table.c[name].type.python_type is datetime}
    mark = "%s" if db.session.get_bind().dialect.name == "postgresql" else "?"
    statement = (f"INSERT INTO {table.name} ({', '.join(names)}) "
                 f"VALUES ({', '.join([mark] * len(names))})")
    naive = _naive_utc
    db.session.connection().exec_driver_sql(statement, [
        tuple(naive(row[name]) if name in times else row[name] for name in names) for row in rows])


def _naive_utc(value: datetime | None) -> datetime | None:
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value is not None else None


def generate(count: int, seed: int = 2021, on_batch: Callable[[int], None] | None = None,
             batch: int = 2000) -> int:
    """Make `count` demo cases in batches of `batch`; return how many were made."""
    now = utcnow()
    today = local_date(now)
    calendar = _Calendar(today - timedelta(days=DAYS_BACK + 10), today + timedelta(days=400))
    maker = _Maker(random.Random(seed), _Org.load(), calendar, now)
    with _search_index_rebuilt_after():
        for done in range(1, count + 1):
            maker.case()
            if done % batch == 0 or done == count:
                maker.flush()
                if on_batch:
                    on_batch(batch if done % batch == 0 else done % batch)
    tally.rebuild()
    return count


@contextmanager
def _search_index_rebuilt_after():
    """On SQLite, the search index is built once at the end instead of by its
    trigger row by row (a fifth of a million cases' time); results published
    meanwhile are found once it ends. PostgreSQL's index needs nothing."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    db.session.execute(text("DROP TRIGGER IF EXISTS public_records_fts_insert"))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        for statement in SQLITE_FTS:    # the trigger again, and the index rebuilt
            db.session.execute(text(statement))
        db.session.commit()
