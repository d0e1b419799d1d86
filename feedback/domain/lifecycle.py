"""How a case changes state: the transition table (state, action) -> new state.

Each entry also names the permission the action needs (domain/permissions.py)
and what the actor must give: a reason, a date, a reference, an answer, a
target case. The lifecycle service applies this table and nothing else, so a
wrong transition is refused the same way everywhere. Pure.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import permissions as p
from . import states as s

# Actions, as they appear in URLs (/staff/cases/<code>/<action>).
ASSIGN = "assign"
ACCEPT = "accept"
RETURN = "return"
PROGRESS = "progress"
ANSWER = "answer"
APPROVE = "approve"
SEND_BACK = "send-back"
PUBLISH = "publish"
REJECT = "reject"
MERGE = "merge"
HANDOVER = "handover"
CLOSE = "close"
REOPEN = "reopen"
NOTE = "note"

ACTIONS = (ASSIGN, ACCEPT, RETURN, PROGRESS, ANSWER, APPROVE, SEND_BACK, PUBLISH, REJECT,
           MERGE, HANDOVER, CLOSE, REOPEN, NOTE)

# What an action asks for, beyond the case itself.
REASON, UNIT, DATE, REFERENCE, ANSWER_TEXT, TARGET = (
    "reason", "unit", "date", "reference", "answer", "target")


@dataclass(frozen=True)
class Transition:
    to_state: str
    permission: str
    needs: frozenset[str] = frozenset()

    @property
    def reason_required(self) -> bool:
        return REASON in self.needs


def _t(to_state: str, permission: str, *needs: str) -> Transition:
    return Transition(to_state, permission, frozenset(needs))


_WORKING_EXITS = {
    RETURN: _t(s.TRIAGE, p.WORK, REASON),
    ASSIGN: _t(s.ASSIGNED, p.ASSIGN, UNIT, REASON),
    REJECT: _t(s.REJECTED, p.REJECT, REASON),
    MERGE: _t(s.MERGED, p.MERGE, TARGET),
    HANDOVER: _t(s.HANDED_OVER, p.WORK, REFERENCE, REASON),
}

TABLE: dict[tuple[str, str], Transition] = {
    (s.TRIAGE, ASSIGN): _t(s.ASSIGNED, p.ASSIGN, UNIT, REASON),
    (s.TRIAGE, REJECT): _t(s.REJECTED, p.REJECT, REASON),
    (s.TRIAGE, MERGE): _t(s.MERGED, p.MERGE, TARGET),
    (s.ASSIGNED, ACCEPT): _t(s.IN_PROGRESS, p.WORK),
    (s.ASSIGNED, PROGRESS): _t(s.ASSIGNED, p.WORK, REASON, DATE),
    **{(s.ASSIGNED, action): t for action, t in _WORKING_EXITS.items()},
    (s.IN_PROGRESS, PROGRESS): _t(s.IN_PROGRESS, p.WORK, REASON, DATE),
    (s.IN_PROGRESS, ANSWER): _t(s.ANSWERED, p.WORK, ANSWER_TEXT),
    **{(s.IN_PROGRESS, action): t for action, t in _WORKING_EXITS.items()},
    (s.ANSWERED, ANSWER): _t(s.ANSWERED, p.WORK, ANSWER_TEXT),   # a revised draft
    (s.ANSWERED, APPROVE): _t(s.APPROVED, p.APPROVE),
    (s.ANSWERED, SEND_BACK): _t(s.IN_PROGRESS, p.APPROVE, REASON),
    (s.APPROVED, PUBLISH): _t(s.PUBLISHED, p.REVIEW),
    (s.APPROVED, SEND_BACK): _t(s.IN_PROGRESS, p.REVIEW, REASON),
    (s.APPROVED, CLOSE): _t(s.CLOSED, p.CONCLUDE),
    (s.PUBLISHED, CLOSE): _t(s.CLOSED, p.CLOSE),
    (s.PUBLISHED, REOPEN): _t(s.IN_PROGRESS, p.REOPEN, REASON),
    (s.CLOSED, REOPEN): _t(s.IN_PROGRESS, p.REOPEN, REASON),
    (s.HANDED_OVER, CLOSE): _t(s.CLOSED, p.CLOSE),
    (s.HANDED_OVER, REOPEN): _t(s.IN_PROGRESS, p.REOPEN, REASON),
    (s.REJECTED, REOPEN): _t(s.TRIAGE, p.REOPEN, REASON),
    # A note changes nothing but the timeline; it is allowed in every state.
    **{(state, NOTE): _t(state, p.NOTE, REASON) for state in s.ALL_STATES if state != s.NEW},
}


def transition(state: str, action: str) -> Transition | None:
    """The transition for `action` from `state`, or None if it is not allowed."""
    return TABLE.get((state, action))


def actions_from(state: str) -> list[str]:
    """The actions possible from `state`, in the order of ACTIONS."""
    return [action for action in ACTIONS if (state, action) in TABLE]
