"""How every staff view states what it needs, so the rule is enforced in one
place and a test can read it off the route map.

- `@requires(permission)`: a signed-in user with a global permission (or any
  signed-in user when None);
- `@case_view(permission)`: the case named by <code> must be in the user's
  scope (else 404) and the user must hold `permission` on it (else 403); the
  view receives the case file or the case.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required

from ..services.errors import Rejected
from ..services.workflow import access
from ..services.workflow.access import Actor


def actor() -> Actor:
    """The signed-in staff member, with the address they act from."""
    return Actor(current_user._get_current_object(), request.remote_addr)


def requires(permission: str | None = None):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if permission and not access.can_global(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        wrapper.requires = permission
        return wrapper

    return decorator


def case_view(permission: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(code: str, *args, **kwargs):
            try:
                case = access.visible_case(current_user, code)
                access.require(current_user, permission, case)
            except Rejected as refused:
                abort(refused.status)
            return view(case, *args, **kwargs)

        wrapper.case_permission = permission
        return wrapper

    return decorator
