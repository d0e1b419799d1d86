"""Case states, channels, reporter types and the named sets the code checks against."""
from __future__ import annotations

# States a case moves through. The units' workflow adds transitions; the sets
# below are what other code asks ("is it open?"), never single strings.
NEW = "new"            # received, not yet routed (only inside the intake transaction)
TRIAGE = "triage"      # waiting in the city office's triage queue
ASSIGNED = "assigned"  # routed to the responsible unit
IN_PROGRESS = "in_progress"
ANSWERED = "answered"  # answer written, waiting for the city office's review
PUBLISHED = "published"
CLOSED = "closed"
WITHDRAWN = "withdrawn"

ALL_STATES = (NEW, TRIAGE, ASSIGNED, IN_PROGRESS, ANSWERED, PUBLISHED, CLOSED, WITHDRAWN)
OPEN_STATES = frozenset({NEW, TRIAGE, ASSIGNED, IN_PROGRESS, ANSWERED})
CLOSED_STATES = frozenset({PUBLISHED, CLOSED, WITHDRAWN})
# States whose answer may be shown to the reporter and, with consent, to the public.
ANSWER_VISIBLE_STATES = frozenset({PUBLISHED, CLOSED})
PUBLIC_STATES = frozenset({PUBLISHED})

KINDS = ("phan-anh", "kien-nghi", "khieu-nai", "to-cao")
REPORTER_TYPES = ("citizen", "business")
CHANNELS = ("web", "sms", "voice", "operator", "api", "dialogue")
