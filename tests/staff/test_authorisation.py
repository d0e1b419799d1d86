"""The authorisation matrix, generated from the app's own route map: every
staff route x every role x a case of the user's own unit, of another unit, and
on the sealed track. The expected answer is read from the permission table, so
a new route is covered without anyone remembering to add it; a staff route
that does not declare what it needs fails here."""
from __future__ import annotations

import re

import pytest

from feedback.domain import permissions as perms
from feedback.domain.permissions import Relation
from feedback.extensions import db
from datetime import timedelta

from feedback.models import Dialogue, Rating
from feedback.models.types import utcnow
from tests import factories as f
from tests.domain.test_files import PNG
from feedback.services.intake.attachments import Upload
from tests.staff import make_call, make_callback, make_recording

PUBLIC_STAFF = {"auth.login_page", "auth.logout"}
DENIED = (403, 404)
RELATIONS = (Relation.OWN, Relation.OTHER, Relation.SEALED)
UNIT_OF = {"officer": f.UNIT, "unit_head": f.UNIT, "inspectorate": "thanh-tra"}


def staff_rules(app):
    rules = [r for r in app.url_map.iter_rules()
             if r.rule.startswith("/staff") and r.endpoint not in PUBLIC_STAFF]
    assert len(rules) > 15
    return rules


def test_every_staff_route_declares_what_it_needs(app):
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "requires") or hasattr(view, "case_permission"), rule.rule


def _case(relation: Relation, user_unit: str | None):
    """A case the user relates to as `relation`, with a file, a recording and a rating."""
    if relation is Relation.SEALED:
        case = f.sealed_case(uploads=[upload()])
    else:
        unit = user_unit if relation is Relation.OWN else f.OTHER_UNIT
        category = {"thanh-tra": "khieu-nai", f.OTHER_UNIT: "ho-tich"}.get(unit, "dat-dai")
        case = f.ordinary_case(category_code=category, uploads=[upload()],
                               kind="khieu-nai" if unit == "thanh-tra" else "phan-anh")
    assert (case.unit.code == user_unit) == (relation is Relation.OWN) or relation is Relation.SEALED
    return case


def _rows(case, fake_twilio):
    call = make_call()
    call.case_id = case.id
    url = fake_twilio.add_file(f"/2010-04-01/Accounts/AC1/Recordings/{call.call_sid}.mp3",
                               "audio/mpeg", b"ID3")
    recording = make_recording(call, url.removesuffix(".mp3"), purpose="feedback")
    recording.case_id = case.id
    rating = Rating(case_id=case.id, score=1, channel="web")
    db.session.add(rating)
    db.session.commit()
    free_call = make_call(status="no-answer")
    item = make_callback(free_call)
    dialogue = Dialogue(title="Đối thoại", unit_id=case.unit_id or 1, place="Hội trường",
                        starts_at=utcnow() + timedelta(days=3))
    db.session.add(dialogue)
    db.session.commit()
    return {"code": case.code, "action": "note", "attachment_id": case.attachments[0].id,
            "recording_id": recording.id, "rating_id": rating.id, "item_id": item.id,
            "dialogue_id": dialogue.id}


def upload() -> Upload:
    return Upload("ho-so.png", PNG)


def _expected(role: str, rule, view, relation: Relation):
    """The refusal (403 or 404) this role must get here, or None if allowed."""
    if hasattr(view, "case_permission"):
        if not perms.allows(role, perms.VIEW, relation):
            return 404
        needed = perms.NOTE if rule.endpoint == "case.act" else view.case_permission
        return None if perms.allows(role, needed, relation) else 403
    if rule.endpoint == "review.keep_rating":
        if not perms.allows(role, perms.VIEW, relation):
            return 404
        return None if perms.allows(role, perms.REOPEN, relation) else 403
    if rule.endpoint == "operator.recording" and not perms.allows(role, perms.VIEW, relation):
        return 403 if not perms.allows_global(role, view.requires) else 404
    if view.requires and not perms.allows_global(role, view.requires):
        return 403
    if "<int:dialogue_id>" in rule.rule and role != "city_office" and relation is not Relation.OWN:
        return 404  # a unit head organises only their own unit's sessions
    return None


@pytest.mark.parametrize("role", perms.ROLES)
def test_matrix(app, client, fake_twilio, role):
    user = f.staff(role, unit=UNIT_OF.get(role))
    f.sign_in_as(client, user)
    failures = []
    for relation in RELATIONS:
        if relation is Relation.OWN and user.unit_id is None:
            continue
        rows = _rows(_case(relation, UNIT_OF.get(role)), fake_twilio)
        rows["user_id"] = f.staff("operator").id  # not themselves: a reset would sign them out
        for rule in sorted(staff_rules(app), key=lambda r: "POST" in r.methods):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, rows=rows: str(rows[m.group(1)]), rule.rule)
                response = client.open(url, method=method, data={"reason": "Ghi chú kiểm tra"})
                expected = _expected(role, rule, app.view_functions[rule.endpoint], relation)
                got = response.status_code
                ok = got == expected if expected else got not in DENIED and got < 500
                if rule.endpoint == "operator.logged" and expected is None:
                    ok = got == 404  # only the case this operator just logged
                if not ok:
                    failures.append(f"{method} {rule.rule} {relation.value}: {got}, expected {expected or 'allowed'}")
    assert failures == []


def test_anonymous_visitors_are_sent_to_sign_in(app, client, fake_twilio):
    rows = _rows(f.ordinary_case(uploads=[upload()]), fake_twilio)
    rows["user_id"] = 1
    for rule in staff_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, rows=rows: str(rows[m.group(1)]), rule.rule)
            response = client.open(url, method=method)
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/staff/login"), url
