"""Demo cases, made in memory: pure Python, no database.

A `Plan` (values.py) says what to make: the organisation, the calendar, the
codes already taken. `batches(plan)` yields the rows of `plan.batch` cases at a
time, ready for the driver. The plan can be sent to another process (`load.py`
does, so that making and inserting run side by side), so it holds plain values
only; the draws and the working-day arithmetic are in draws.py.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Iterator

from ...domain import states, trackcode
from ...models import Answer, Case, CaseEvent, PublicRecord, Rating, Reporter
from . import words
from .draws import CHANNEL, KIND, SCORE, WorkingDays, folded, local_date, local_time
from .values import Batch, Category, Kind, Plan, StoredRows, Ward

DAYS_BACK = 730
HOTLINE_CHANNELS = ("sms", "voice", "operator")
TABLES = (Case, Reporter, CaseEvent, Answer, PublicRecord, Rating)   # cases first


def batches(plan: Plan) -> Iterator[Batch]:
    """The rows of the plan's cases, `plan.batch` cases at a time."""
    maker = _Maker(plan)
    for done, age in enumerate(_ages(plan), start=1):
        maker.case(age)
        if done % plan.batch == 0 or done == plan.count:
            yield maker.batch()


def _ages(plan: Plan) -> list[float]:
    """How long ago each case came in, in seconds, oldest first: as in a real
    city, cases are numbered in the order they came, so each batch adds to
    the end of the time indexes instead of all over them. A fifth came in
    the last month, some in the last three days: the inboxes and the triage
    queue have work in them."""
    rng = random.Random(f"{plan.seed}-received")
    ages = []
    for _ in range(plan.count):
        recent = rng.random()
        days_back = 3 if recent < 0.05 else 30 if recent < 0.25 else DAYS_BACK
        ages.append(rng.uniform(3600, days_back * 86400))
    return sorted(ages, reverse=True)


class _Maker:
    """Builds the rows of one case after another; `batch` hands them over."""

    def __init__(self, plan: Plan):
        self.rng, self.org = random.Random(plan.seed), plan.org
        self.now = plan.now.astimezone(timezone.utc).replace(tzinfo=None)
        self.today = local_date(self.now)
        self.calendar = WorkingDays(plan.calendar, self.today - timedelta(days=DAYS_BACK + 10),
                                    self.today + timedelta(days=400))
        self.codes, self.codes_rng = set(plan.taken), random.Random()
        self.stored = StoredRows(plan.text_times)
        self.rows: dict = {model: [] for model in TABLES}
        self.previous: dict[int, str] = {}    # category -> the code of an earlier open case, to merge into
        self.candidates: dict[int, str] = {}  # the same, among this batch's cases
        self.merges: list[tuple[int, str]] = []
        self.description_words = ""           # of the case being made

    def _code(self) -> str:
        """A fresh code each run, from a fast generator of its own (a demo needs
        no secret codes, and the seeded one must draw the same whatever exists)."""
        while True:
            body = f"{self.codes_rng.randrange(10 ** trackcode.BODY_LENGTH):0{trackcode.BODY_LENGTH}d}"
            if (code := body + trackcode.check_digit(body)) not in self.codes:
                self.codes.add(code)
                return code

    def _event(self, case: dict, at: datetime, action: str, before: str | None, after: str,
               public: bool, reason=None, detail=None) -> None:
        self.rows[CaseEvent].append(dict(
            case_id=case, at=at, actor="system", user_id=None,
            action=action, from_state=before, to_state=after, unit_id=case["unit_id"],
            reason=reason, detail=detail, public=public))

    # The case as intake makes it ---------------------------------------------------

    def _route(self, kind: Kind, category: Category, ward: Ward | None) -> tuple:
        """(unit, state, reason, confidential, category) as the routing rules give."""
        rng, org = self.rng, self.org
        if kind.code == "to-cao" or (kind.code == "phan-anh" and rng.random() < 0.03):
            unit = kind.default_unit_id if kind.code == "to-cao" else org.conduct_id
            return unit, states.ASSIGNED, "kind" if kind.code == "to-cao" else "conduct", True, None
        if kind.default_unit_id is not None:
            return kind.default_unit_id, states.ASSIGNED, "kind", False, category
        if rng.random() < 0.05:
            return org.triage_id, states.TRIAGE, "triage", False, None
        if category.ward_first and ward is not None:
            return ward.id, states.ASSIGNED, "ward", False, category
        return category.default_unit_id, states.ASSIGNED, "category", False, category

    def case(self, age: float) -> None:
        """The rows of a case that came in `age` seconds ago."""
        rng, org = self.rng, self.org
        kind = org.kinds[KIND(rng)]
        business = rng.random() < 0.25
        channel = CHANNEL(rng)
        hotline = org.hotline_ids.get("business" if business else "citizen") if channel in HOTLINE_CHANNELS else None
        chosen = rng.choice(org.categories)
        procedure = rng.choice(chosen.procedures or (None,))
        ward = rng.choice(org.wards) if rng.random() < 0.75 else None
        unit, state, reason, sealed, category = self._route(kind, chosen, ward)
        received_at = self.now - timedelta(seconds=age)
        received = local_date(received_at)
        accept_due = self.calendar.add(received, kind.accept_days, kind.day_basis) if kind.accept_days else None
        due = self.calendar.add(accept_due or received, kind.resolve_days, kind.day_basis)
        subject = (procedure[1] if procedure else chosen.name_vi).lower()
        case = dict(
            code=self._code(), kind=kind.code,
            reporter_type="business" if business else "citizen", channel=channel,
            hotline_id=hotline, category_id=category.id if category else None,
            procedure_id=procedure[0] if procedure and category else None,
            ward_id=ward.id if ward else None, unit_id=unit, state=state, confidential=sealed,
            description=self._description(subject, ward), consent_publish=rng.random() < 0.7,
            received_at=received_at, accept_due_on=accept_due, due_on=due, committed_on=None,
            answer=None, answered_at=None, merged_into_id=None, handover_ref=None,
            updated_at=received_at, version=1)
        self._reporter(case, business)
        self._event(case, received_at, "received", None, states.NEW, True, detail=channel)
        self._event(case, received_at, "routed", states.NEW, state, True, reason=reason)
        self._progress(case, kind, subject)
        self.rows[Case].append(case)

    def _description(self, subject: str, ward: Ward | None) -> str:
        """What the citizen wrote; its search words are kept, from its parts
        (each folded once), for the public record."""
        rng = self.rng
        parts = (rng.choice(words.OPENINGS), subject, rng.choice(words.DETAILS), "Địa chỉ: số",
                 str(rng.randint(1, 300)), "đường", rng.choice(words.STREETS), ward.name_vi if ward else "")
        self.description_words = " ".join(folded(part) for part in parts if part)
        return (f"{parts[0]} {subject}: {parts[2]}. {parts[3]} {parts[4]} {parts[5]} {parts[6]}"
                + (f", {parts[7]}." if ward else "."))

    def _reporter(self, case: dict, business: bool) -> None:
        rng = self.rng
        self.rows[Reporter].append(dict(
            case_id=case,
            name=f"{rng.choice(words.SURNAMES)} {rng.choice(words.MIDDLE)} {rng.choice(words.GIVEN)}",
            phone=f"+849090{rng.randint(0, 99999):05d}", email=None,
            business_name=f"Công ty TNHH {rng.choice(words.GIVEN)} {rng.choice(words.STREETS)}"
            if business else None,
            tax_code=None))

    # Where the case has got to ----------------------------------------------------

    def _latency(self, limit: int) -> int:
        """Working days the unit took: mostly in time, some on the day, some late."""
        r = self.rng.random()
        if r < 0.7:
            return self.rng.randint(1, max(1, limit - 1))
        return limit if r < 0.85 else limit + self.rng.randint(1, 12)

    def _progress(self, case: dict, kind: Kind, subject: str) -> None:
        rng, received = self.rng, case["received_at"]
        age = (self.today - local_date(received)).days
        if case["state"] == states.TRIAGE and not self._triaged(case, age):
            return
        if age > 3 and rng.random() < 0.025:
            self._close_early(case, states.REJECTED, "reject", words.REJECTED)
            return
        target = self.previous.get(case["category_id"])
        if age > 3 and target and rng.random() < 0.01:
            if self._close_early(case, states.MERGED, "merge", None):
                self.merges.append((len(self.rows[Case]), target))   # this case's place in the batch
            return
        if not case["confidential"]:
            self.candidates[case["category_id"]] = case["code"]
        accepted = received + timedelta(hours=rng.randint(2, 30))
        if accepted > self.now or (age < 5 and rng.random() < 0.5):
            return  # not accepted yet
        self._event(case, accepted, "accept", states.ASSIGNED, states.IN_PROGRESS, True)
        case["state"] = states.IN_PROGRESS
        if case["confidential"] and age > 20 and rng.random() < 0.3:
            self._close_early(case, states.HANDED_OVER, "handover", words.HANDED_OVER,
                              reference=f"{rng.randint(1, 999)}/TTr")
            return
        answer_day = self.calendar.add(local_date(received), self._latency(kind.resolve_days))
        if answer_day < self.today:
            self._answer(case, kind, answer_day, subject)
        elif answer_day > case["due_on"] and case["due_on"] < self.today and rng.random() < 0.4:
            self._committed(case)

    def _triaged(self, case: dict, age: int) -> bool:
        """Sent on from triage to a unit after a few days; False while still there."""
        if age < 3:
            return False
        case["unit_id"], case["state"] = self.rng.choice(self.org.categories).default_unit_id, states.ASSIGNED
        self._event(case, case["received_at"] + timedelta(hours=self.rng.randint(2, 40)), "assign",
                    states.TRIAGE, states.ASSIGNED, True, detail=words.TRIAGED)
        return True

    def _committed(self, case: dict) -> None:
        """Late and still worked on: the unit has said when it will answer."""
        case["committed_on"] = self.calendar.add(self.today, self.rng.randint(2, 8))
        self._event(case, self.now - timedelta(days=1), "progress", states.IN_PROGRESS,
                    states.IN_PROGRESS, True, detail=words.WAITING)

    def _close_early(self, case: dict, state: str, action: str, reason: str | None, reference=None) -> bool:
        """Rejected, merged or handed over soon after receipt; False if that is still to come."""
        at = case["received_at"] + timedelta(hours=self.rng.randint(4, 60))
        if at > self.now:
            return False
        self._event(case, at, action, case["state"], state, True, detail=reason)
        case["state"], case["handover_ref"] = state, reference
        return True

    def _answer(self, case: dict, kind: Kind, day: date, subject: str) -> None:
        """Drafted, approved (sent back once in a while), then published or, on the
        sealed track, concluded; rated and closed later for some."""
        rng = self.rng
        drafted = max(local_time(day, rng.uniform(8, 16.5)), case["received_at"] + timedelta(hours=31))
        published = self._reviewed(case, drafted) + timedelta(hours=rng.uniform(1, 30))
        if published > self.now:
            case["state"] = states.APPROVED
            return
        answer = rng.choice(words.ANSWERS)
        summary = rng.choice(words.SUMMARIES).format(s=subject)
        final = states.CLOSED if case["confidential"] else states.PUBLISHED
        self._event(case, published, "close" if case["confidential"] else "publish",
                    states.APPROVED, final, True)
        case.update(state=final, answer=answer, answered_at=drafted, updated_at=published)
        text = case["description"] if case["consent_publish"] and not case["confidential"] else None
        self.rows[Answer].append(dict(
            case_id=case, state="concluded" if case["confidential"] else "published",
            author_id=None, created_at=drafted, resolution="", public_text=answer, summary=summary,
            approved_at=drafted, reviewed_at=published, published_text=answer,
            published_summary=summary, published_words=text))
        if not case["confidential"]:
            self._record(case, day, published, summary, answer, text)
            self._after(case, published)

    def _reviewed(self, case: dict, drafted: datetime) -> datetime:
        """The answer's events up to its approval (sent back once in a while);
        when it was last approved."""
        steps = [("answer", states.IN_PROGRESS, states.ANSWERED),
                 ("approve", states.ANSWERED, states.APPROVED)]
        if self.rng.random() < 0.06:
            steps += [("send-back", states.APPROVED, states.IN_PROGRESS)] + steps
        at = drafted
        for action, before, after in steps:
            at += timedelta(hours=self.rng.uniform(0.5, 20))
            self._event(case, at, action, before, after, False,
                        detail=words.SENT_BACK if action == "send-back" else None)
        return at

    def _record(self, case: dict, day: date, published: datetime, summary: str, answer: str,
                description: str | None) -> None:
        self.rows[PublicRecord].append(dict(
            case_id=case, code=case["code"], kind=case["kind"],
            reporter_type=case["reporter_type"], channel=case["channel"],
            hotline_id=case["hotline_id"], category_id=case["category_id"],
            procedure_id=case["procedure_id"], unit_id=case["unit_id"], ward_id=case["ward_id"],
            received_at=case["received_at"], answered_at=case["answered_at"], published_at=published,
            due_on=case["due_on"], on_time=day <= case["due_on"],
            working_days=self.calendar.between(local_date(case["received_at"]), day),
            summary=summary, answer=answer, description=description, conclusion_only=False,
            dialogue_id=None, search_text=" ".join(filter(None, (
                folded(summary), folded(answer), self.description_words if description else "")))))

    def _after(self, case: dict, published: datetime) -> None:
        rng = self.rng
        if rng.random() < 0.35 and (at := published + timedelta(hours=rng.uniform(1, 140))) < self.now:
            score = SCORE(rng)
            self.rows[Rating].append(dict(case_id=case, score=score,
                                          channel=rng.choice(["sms", "web"]), at=at,
                                          followed_up_at=at + timedelta(days=2) if score <= 2 else None,
                                          followed_up_by_id=None))
        closed = published + timedelta(days=rng.randint(8, 30))
        if rng.random() < 0.25 and closed < self.now:
            self._event(case, closed, "close", states.PUBLISHED, states.CLOSED, True)
            case["state"] = states.CLOSED

    def batch(self) -> Batch:
        """The rows made since the last batch, as lists of values for the driver."""
        place = {id(case): n for n, case in enumerate(self.rows[Case])}
        tables = {}
        for model in TABLES:
            rows = self.rows[model]
            if not rows:
                continue
            if model is not Case:
                for row in rows:
                    row["case_id"] = place[id(row["case_id"])]
            tables[model.__tablename__] = self.stored.lists(model.__table__, rows)
        made = Batch(len(self.rows[Case]), tables, self.merges)
        self.previous.update(self.candidates)
        self.candidates, self.merges = {}, []
        self.rows = {model: [] for model in TABLES}
        return made

