"""The one exception every use case raises when it refuses a request.

`errors` maps a field name (or "" for the request as a whole) to a message for
the user; `status` is the HTTP status a view answers with: 422 for input to
correct, 409 when the case is not in a state that allows it (or changed under
the user's feet), 403 for an action the user may not take.
"""
from __future__ import annotations

INVALID, FORBIDDEN, CONFLICT = 422, 403, 409


class Rejected(Exception):
    def __init__(self, errors: dict[str, str], status: int = INVALID):
        super().__init__(errors)
        self.errors = errors
        self.status = status

    @property
    def message(self) -> str:
        """All the messages as one line (for the CLI and logs)."""
        return " ".join(str(message) for message in self.errors.values())
