"""The permission table: who may see and do what, per relation to the case."""
import pytest

from feedback.domain import permissions as p
from feedback.domain.permissions import Relation


@pytest.mark.parametrize("sealed,user_unit,case_unit,expected", [
    (True, 3, 3, Relation.SEALED), (True, None, 3, Relation.SEALED),
    (False, 3, 3, Relation.OWN), (False, 3, 4, Relation.OTHER),
    (False, None, 3, Relation.OTHER), (False, None, None, Relation.OTHER),
])
def test_relation(sealed, user_unit, case_unit, expected):
    assert p.relation(sealed, user_unit, case_unit) is expected


@pytest.mark.parametrize("role", ["operator", "officer", "unit_head", "city_office", "admin"])
def test_only_the_supervisor_and_the_inspectorate_see_the_sealed_track(role):
    assert not p.allows(role, p.VIEW, Relation.SEALED)
    assert p.allows("supervisor", p.VIEW, Relation.SEALED)
    assert p.allows("inspectorate", p.VIEW, Relation.SEALED)


def test_officers_see_their_own_unit_only():
    assert p.visible_relations("officer") == {Relation.OWN}
    assert p.visible_relations("unit_head") == {Relation.OWN}


def test_the_admin_manages_accounts_and_sees_no_case():
    assert p.visible_relations("admin") == frozenset()
    assert p.allows_global("admin", p.USERS)
    assert not any(p.allows_global(role, p.USERS) for role in p.ROLES if role != "admin")


def test_contact_is_for_the_responsible_unit_and_the_city_office():
    assert p.relations_with("officer", p.CONTACT) == {Relation.OWN}
    assert p.relations_with("city_office", p.CONTACT) == {Relation.OWN, Relation.OTHER}
    assert p.relations_with("supervisor", p.CONTACT) == {Relation.SEALED}
    assert p.relations_with("operator", p.CONTACT) == frozenset()


def test_only_unit_heads_approve_and_only_the_city_office_publishes_ordinary_cases():
    approvers = {r for r in p.ROLES if p.allows(r, p.APPROVE, Relation.OWN)}
    assert approvers == {"unit_head", "inspectorate"}
    assert {r for r in p.ROLES if p.allows(r, p.REVIEW, Relation.OTHER)} == {"city_office"}
    assert {r for r in p.ROLES if p.allows(r, p.REVIEW, Relation.SEALED)} == {"supervisor"}


def test_an_unknown_role_may_do_nothing():
    assert not p.allows("intruder", p.VIEW, Relation.OTHER)
    assert p.visible_relations("intruder") == frozenset()
