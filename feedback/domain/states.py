"""Case states, channels, reporter types and the named sets the code checks against.

Only the lifecycle service (services/workflow/lifecycle.py) moves a case from
one state to another, following the table in domain/lifecycle.py; other code
asks questions of the named sets below, never of single strings.
"""
from __future__ import annotations

NEW = "new"              # received, not yet routed (only inside the intake transaction)
TRIAGE = "triage"        # waiting in the city office's triage queue
ASSIGNED = "assigned"    # routed to the responsible unit, not yet accepted
IN_PROGRESS = "in_progress"  # accepted by the unit
ANSWERED = "answered"    # an answer is drafted, waiting for the unit head's approval
APPROVED = "approved"    # approved by the unit head, waiting for the city office's review
PUBLISHED = "published"  # answer sent to the reporter and published
CLOSED = "closed"
REJECTED = "rejected"    # invalid or abusive
MERGED = "merged"        # joined to another case, which carries on
HANDED_OVER = "handed_over"  # passed to its legal procedure (complaint, denunciation)
WITHDRAWN = "withdrawn"

ALL_STATES = (NEW, TRIAGE, ASSIGNED, IN_PROGRESS, ANSWERED, APPROVED, PUBLISHED, CLOSED,
              REJECTED, MERGED, HANDED_OVER, WITHDRAWN)
OPEN_STATES = frozenset({NEW, TRIAGE, ASSIGNED, IN_PROGRESS, ANSWERED, APPROVED})
CLOSED_STATES = frozenset(set(ALL_STATES) - OPEN_STATES)
# Open cases whose unit is still working on them: its deadline runs.
WORKING_STATES = frozenset({TRIAGE, ASSIGNED, IN_PROGRESS})
# Waiting for someone to review an answer.
REVIEW_STATES = frozenset({ANSWERED, APPROVED})
# States whose answer may be shown to the reporter and, with consent, to the public.
ANSWER_VISIBLE_STATES = frozenset({PUBLISHED, CLOSED})
PUBLIC_STATES = frozenset({PUBLISHED})

KINDS = ("phan-anh", "kien-nghi", "khieu-nai", "to-cao")
REPORTER_TYPES = ("citizen", "business")
CHANNELS = ("web", "sms", "voice", "operator", "api", "dialogue")
