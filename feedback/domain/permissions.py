"""Who may see and do what: one table, per role and per relation to the case.

A user relates to a case in one of three ways:
- OWN: an ordinary case of the user's own unit;
- OTHER: an ordinary case of another unit (or of none);
- SEALED: a case on the sealed track (denunciations, complaints about
  officials' conduct), whatever its unit.

`CASE_RULES[role][relation]` is the set of permissions the role has on such a
case. Everything that shows or changes a case asks `allows()`; the service in
services/workflow/access.py turns the same table into the query scope of every
list, so a page can never show a case that `allows(..., VIEW, ...)` refuses.
Pure: no database and no request.
"""
from __future__ import annotations

from enum import Enum


class Relation(str, Enum):
    OWN = "own"
    OTHER = "other"
    SEALED = "sealed"


def relation(sealed: bool, user_unit_id: int | None, case_unit_id: int | None) -> Relation:
    if sealed:
        return Relation.SEALED
    if user_unit_id is not None and user_unit_id == case_unit_id:
        return Relation.OWN
    return Relation.OTHER


# Permissions on a case.
VIEW = "view"            # the case page, its timeline and messages
CONTACT = "contact"      # the reporter's name, phone, e-mail, search by phone
FILES = "files"          # attachments and recordings
NOTE = "note"            # internal notes
ASSIGN = "assign"        # triage to a unit, reassign
WORK = "work"            # accept, return, progress note, draft an answer, hand over
APPROVE = "approve"      # approve a draft or send it back (unit head)
REVIEW = "review"        # send back an approved answer, edit the public version, publish
CONCLUDE = "conclude"    # close a sealed case with its answer, without publishing
REJECT = "reject"
MERGE = "merge"
CLOSE = "close"
REOPEN = "reopen"

# Permissions that are not about one case.
CONSOLE = "console"      # the operators' call console
TRIAGE_QUEUE = "triage_queue"
REVIEW_QUEUE = "review_queue"
SEALED_TRACK = "sealed_track"
AUDIT = "audit"
USERS = "users"
EXPORT = "export"
DIALOGUES = "dialogues"    # announce dialogue sessions and publish their outcome (own unit)
DIALOGUES_ANY_UNIT = "dialogues_any_unit"   # ... for any unit
OVERDUE_ALERTS = "overdue_alerts"   # hears of every unit's overdue cases (the sealed track's: SEALED_TRACK)

ROLES = ("operator", "officer", "unit_head", "city_office", "supervisor", "inspectorate",
         "admin")
# Roles that belong to one unit (their account must name it).
UNIT_ROLES = frozenset({"officer", "unit_head"})

_READ = frozenset({VIEW})
_UNIT_WORK = frozenset({VIEW, CONTACT, FILES, NOTE, WORK, MERGE})
_UNIT_HEAD = _UNIT_WORK | {APPROVE}
_CITY_OFFICE = frozenset({VIEW, CONTACT, FILES, NOTE, ASSIGN, REVIEW, REJECT, MERGE, CLOSE,
                          REOPEN})
_SEALED_WORK = frozenset({VIEW, CONTACT, FILES, NOTE, WORK, APPROVE, CONCLUDE, MERGE})
_NOTHING: frozenset[str] = frozenset()

CASE_RULES: dict[str, dict[Relation, frozenset[str]]] = {
    "operator": {Relation.OWN: _READ, Relation.OTHER: _READ, Relation.SEALED: _NOTHING},
    "officer": {Relation.OWN: _UNIT_WORK, Relation.OTHER: _NOTHING, Relation.SEALED: _NOTHING},
    "unit_head": {Relation.OWN: _UNIT_HEAD, Relation.OTHER: _NOTHING,
                  Relation.SEALED: _NOTHING},
    "city_office": {Relation.OWN: _CITY_OFFICE, Relation.OTHER: _CITY_OFFICE,
                    Relation.SEALED: _NOTHING},
    # The Home Affairs office: reads every case, runs the sealed track and
    # alone decides to publish a sealed case's conclusion.
    "supervisor": {Relation.OWN: _READ, Relation.OTHER: _READ,
                   Relation.SEALED: _SEALED_WORK | {ASSIGN, REVIEW, REJECT, CLOSE, REOPEN}},
    "inspectorate": {Relation.OWN: _UNIT_HEAD, Relation.OTHER: _NOTHING,
                     Relation.SEALED: _SEALED_WORK},
    # Accounts only: no case, and never the sealed track.
    "admin": {Relation.OWN: _NOTHING, Relation.OTHER: _NOTHING, Relation.SEALED: _NOTHING},
}

GLOBAL_RULES: dict[str, frozenset[str]] = {
    "operator": frozenset({CONSOLE}),
    "officer": frozenset({EXPORT}),
    "unit_head": frozenset({EXPORT, DIALOGUES}),
    "city_office": frozenset({TRIAGE_QUEUE, REVIEW_QUEUE, EXPORT, DIALOGUES, DIALOGUES_ANY_UNIT,
                              OVERDUE_ALERTS}),
    "supervisor": frozenset({SEALED_TRACK, AUDIT, EXPORT}),
    "inspectorate": frozenset({SEALED_TRACK, EXPORT}),
    "admin": frozenset({USERS}),
}


def allows(role: str, permission: str, rel: Relation) -> bool:
    """May `role` do `permission` on a case it relates to as `rel`?"""
    return permission in CASE_RULES.get(role, {}).get(rel, _NOTHING)


def allows_global(role: str, permission: str) -> bool:
    return permission in GLOBAL_RULES.get(role, _NOTHING)


def visible_relations(role: str) -> frozenset[Relation]:
    """The relations under which `role` sees cases at all: the query scope."""
    return frozenset(rel for rel, perms in CASE_RULES.get(role, {}).items() if VIEW in perms)


def relations_with(role: str, permission: str) -> frozenset[Relation]:
    return frozenset(rel for rel, perms in CASE_RULES.get(role, {}).items() if permission in perms)
