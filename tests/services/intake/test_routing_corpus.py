"""Routing accuracy on a labelled corpus of real-world wording.

Every entry of tests/data/routing_corpus.yaml goes through the real intake
(validation, routing, deadlines) as the channel would submit it. The test prints
a short report (accuracy, the share left in triage, the misrouted entries) and
holds routing to the target: at least 90% to the right unit, under 10% in triage.
Run it alone with `pytest -s tests/services/intake/test_routing_corpus.py` to
read the report.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from feedback.domain import states
from feedback.extensions import db
from feedback.models import Category, Unit
from feedback.services import intake

CORPUS = Path(__file__).resolve().parents[2] / "data" / "routing_corpus.yaml"
MIN_ENTRIES = 150
MIN_ACCURACY = 0.90
MAX_TRIAGE = 0.10
KINDS = {"phan-anh", "kien-nghi", "khieu-nai", "to-cao"}
BUSINESS = {"business_name": "Công ty TNHH Thử Nghiệm", "tax_code": "0100109106"}

pytestmark = pytest.mark.usefixtures("app")


def corpus() -> list[dict]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["cases"]


@dataclass(frozen=True)
class Outcome:
    entry: dict
    unit: str
    state: str
    reason: str
    detail: str | None

    @property
    def right(self) -> bool:
        return self.unit == self.entry["expect"]


def route(entry: dict) -> Outcome:
    """The entry as its channel submits it, through intake.build (no commit, no SMS)."""
    business = entry["reporter_type"] == "business"
    case = intake.build(intake.Submission(
        kind=entry["kind"], channel=entry.get("channel", "web"), description=entry["text"],
        reporter_type=entry["reporter_type"], category_code=entry.get("category"),
        ward_code=entry.get("ward"), name="Trần Thị Thử", phone="0912 345 678",
        notify=False, **(BUSINESS if business else {}),
    ))
    routed = next(e for e in case.events if e.action == "routed")
    return Outcome(entry, case.unit.code, case.state, routed.reason, routed.detail)


SETS = {
    None: "tuned on",
    "round-2": "round 2 (first held out, then tuned on)",
    "round-3": "round 3 (first held out, then tuned on)",
    "holdout": "held out (never tuned on)",
}


def rates(outcomes: list[Outcome]) -> tuple[float, float]:
    right = sum(o.right for o in outcomes) / len(outcomes)
    triage = sum(o.state == states.TRIAGE for o in outcomes) / len(outcomes)
    return right, triage


def report(outcomes: list[Outcome]) -> None:
    right, triage = rates(outcomes)
    print(f"\nRouting corpus: {len(outcomes)} cases, {right:.1%} to the right unit, "
          f"{triage:.1%} left in triage")
    for key, title in SETS.items():
        part = [o for o in outcomes if o.entry.get("set") == key]
        if part:
            right, triage = rates(part)
            print(f"  {title}: {len(part)} cases, {right:.1%} right, {triage:.1%} in triage")
    for o in outcomes:
        if not o.right:
            print(f"  expected {o.entry['expect']:<16} got {o.unit:<16} "
                  f"({o.reason}{': ' + o.detail if o.detail else ''})  {o.entry['text'][:80]}")


def test_the_corpus_is_well_formed(db):
    entries = corpus()
    assert len(entries) >= MIN_ENTRIES
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    categories = set(db.session.scalars(select(Category.code)))
    for entry in entries:
        assert entry["expect"] in units, entry
        assert entry["kind"] in KINDS and entry["reporter_type"] in states.REPORTER_TYPES, entry
        assert entry.get("category") in categories | {None}, entry
        assert entry.get("ward") is None or units[entry["ward"]].is_ward, entry
        assert len(entry["text"]) >= intake.MIN_DESCRIPTION, entry
        assert entry.get("set") in SETS, entry
    texts = [e["text"] for e in entries]
    assert len(set(texts)) == len(texts), "an entry is there twice"
    wards = {code for code, unit in units.items() if unit.is_ward}
    reached = {e["expect"] for e in entries} | {e.get("ward") for e in entries}
    assert wards <= reached, f"wards never reached: {sorted(wards - reached)}"
    offices = {code for code, unit in units.items() if not unit.is_ward}
    assert offices <= reached, f"offices never reached: {sorted(offices - reached)}"


def test_routing_reaches_the_right_unit_on_the_corpus():
    outcomes = [route(entry) for entry in corpus()]
    db.session.rollback()
    report(outcomes)
    accuracy, triage = rates(outcomes)
    assert accuracy >= MIN_ACCURACY
    assert triage < MAX_TRIAGE
