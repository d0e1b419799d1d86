"""The one place that decides which cases a staff member sees and may act on.

Every staff list is scoped by `cases_visible_to(user)`, and every object is
checked by `require(user, permission, case)`; both read the permission table
in domain/permissions.py. A case outside the user's scope is "not found" (404),
never "forbidden", so its existence does not leak.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, or_, select
from sqlalchemy.sql import ColumnElement, Select

from ...domain import lifecycle, permissions
from ...domain.permissions import Relation
from ...domain.trackcode import normalise
from ...extensions import db
from ...models import Case, User
from ..errors import FORBIDDEN, Rejected

NOT_FOUND = 404


@dataclass(frozen=True)
class Actor:
    """Who is acting, for permissions and the audit log. `user` is None only
    for the system itself (intake, demo data, scheduled jobs)."""

    user: User | None
    address: str | None = None

    @property
    def role(self) -> str:
        return self.user.role if self.user is not None else "system"

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def label(self) -> str:
        return self.user.email if self.user is not None else "system"


SYSTEM = Actor(None)


def relation_to(user: User, case: Case) -> Relation:
    return permissions.relation(case.confidential, user.unit_id, case.unit_id)


def can(user: User | None, permission: str, case: Case) -> bool:
    if user is None:
        return True  # the system follows the transition table, not the roles
    return permissions.allows(user.role, permission, relation_to(user, case))


def permissions_on(user: User, case: Case) -> frozenset[str]:
    return permissions.CASE_RULES.get(user.role, {}).get(relation_to(user, case), frozenset())


def can_global(user: User, permission: str) -> bool:
    return permissions.allows_global(user.role, permission)


def _condition(user: User, rel: Relation) -> ColumnElement[bool]:
    if rel is Relation.SEALED:
        return Case.confidential.is_(True)
    ordinary = Case.confidential.is_(False)
    if rel is Relation.OWN:
        return and_(ordinary, Case.unit_id == user.unit_id) if user.unit_id else false()
    if user.unit_id is None:
        return ordinary
    return and_(ordinary, or_(Case.unit_id != user.unit_id, Case.unit_id.is_(None)))


def scope(user: User, permission: str = permissions.VIEW) -> ColumnElement[bool]:
    """A WHERE clause: the cases on which `user` has `permission`."""
    rels = permissions.relations_with(user.role, permission)
    conditions = []
    if {Relation.OWN, Relation.OTHER} <= rels:  # every ordinary case, whatever its unit
        conditions.append(Case.confidential.is_(False))
        rels = rels - {Relation.OWN, Relation.OTHER}
    conditions += [_condition(user, rel) for rel in rels]
    return or_(*conditions) if conditions else false()


def cases_visible_to(user: User) -> Select:
    """SELECT cases the user may see; every staff list starts from this."""
    return select(Case).where(scope(user))


def visible_case(user: User, code: str | None) -> Case:
    """The case with this code if the user may see it, else Rejected(404)."""
    canonical = normalise(code or "")
    case = None
    if canonical is not None and canonical == code:
        case = db.session.scalars(cases_visible_to(user).where(Case.code == canonical)).first()
    if case is None:
        raise Rejected({"": _l("Không tìm thấy phản ánh này.")}, NOT_FOUND)
    return case


def require(user: User | None, permission: str, case: Case) -> None:
    """Refuse (403) a permission the user lacks on a case they can see."""
    if not can(user, permission, case):
        raise Rejected({"": _l("Bạn không có quyền thực hiện thao tác này với phản ánh.")},
                       FORBIDDEN)


def allowed_actions(user: User, case: Case) -> list[str]:
    """The actions the user may take on the case now: the state allows them and
    the role has the permission each needs."""
    return [action for action in lifecycle.actions_from(case.state)
            if can(user, lifecycle.transition(case.state, action).permission, case)]
