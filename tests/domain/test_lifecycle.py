"""The transition table, exhaustively: every (state, action) pair."""
import pytest

from feedback.domain import lifecycle, permissions, states

# What the table must say: (state, action) -> (new state, permission, needs).
EXPECTED = {
    ("triage", "assign"): ("assigned", "assign", {"unit", "reason"}),
    ("triage", "reject"): ("rejected", "reject", {"reason"}),
    ("triage", "merge"): ("merged", "merge", {"target"}),
    ("assigned", "accept"): ("in_progress", "work", set()),
    ("assigned", "progress"): ("assigned", "work", {"reason", "date"}),
    ("assigned", "return"): ("triage", "work", {"reason"}),
    ("assigned", "assign"): ("assigned", "assign", {"unit", "reason"}),
    ("assigned", "reject"): ("rejected", "reject", {"reason"}),
    ("assigned", "merge"): ("merged", "merge", {"target"}),
    ("assigned", "handover"): ("handed_over", "work", {"reference", "reason"}),
    ("in_progress", "progress"): ("in_progress", "work", {"reason", "date"}),
    ("in_progress", "answer"): ("answered", "work", {"answer"}),
    ("in_progress", "return"): ("triage", "work", {"reason"}),
    ("in_progress", "assign"): ("assigned", "assign", {"unit", "reason"}),
    ("in_progress", "reject"): ("rejected", "reject", {"reason"}),
    ("in_progress", "merge"): ("merged", "merge", {"target"}),
    ("in_progress", "handover"): ("handed_over", "work", {"reference", "reason"}),
    ("answered", "answer"): ("answered", "work", {"answer"}),
    ("answered", "approve"): ("approved", "approve", set()),
    ("answered", "send-back"): ("in_progress", "approve", {"reason"}),
    ("approved", "publish"): ("published", "review", set()),
    ("approved", "send-back"): ("in_progress", "review", {"reason"}),
    ("approved", "close"): ("closed", "conclude", set()),
    ("published", "close"): ("closed", "close", set()),
    ("published", "reopen"): ("in_progress", "reopen", {"reason"}),
    ("closed", "reopen"): ("in_progress", "reopen", {"reason"}),
    ("handed_over", "close"): ("closed", "close", set()),
    ("handed_over", "reopen"): ("in_progress", "reopen", {"reason"}),
    ("rejected", "reopen"): ("triage", "reopen", {"reason"}),
}


@pytest.mark.parametrize("state", states.ALL_STATES)
@pytest.mark.parametrize("action", lifecycle.ACTIONS)
def test_every_pair_is_allowed_exactly_as_specified(state, action):
    found = lifecycle.transition(state, action)
    if action == lifecycle.NOTE:
        expected = None if state == states.NEW else (state, "note", {"reason"})
    else:
        expected = EXPECTED.get((state, action))
    if expected is None:
        assert found is None
    else:
        assert (found.to_state, found.permission, set(found.needs)) == expected


def test_every_permission_in_the_table_exists_and_some_role_holds_it():
    held = {perm for rules in permissions.CASE_RULES.values() for perms in rules.values()
            for perm in perms}
    for transition in lifecycle.TABLE.values():
        assert transition.permission in held


def test_no_action_leaves_new_and_nothing_enters_it():
    assert lifecycle.actions_from(states.NEW) == []
    assert all(t.to_state != states.NEW for t in lifecycle.TABLE.values())


def test_merged_and_withdrawn_cases_take_only_notes():
    assert lifecycle.actions_from(states.MERGED) == [lifecycle.NOTE]
    assert lifecycle.actions_from(states.WITHDRAWN) == [lifecycle.NOTE]


def test_reasons_are_required_where_the_issue_says():
    for state, action in [("assigned", "return"), ("answered", "send-back"),
                          ("approved", "send-back"), ("triage", "reject"), ("triage", "assign")]:
        assert lifecycle.transition(state, action).reason_required
    assert not lifecycle.transition("assigned", "accept").reason_required
