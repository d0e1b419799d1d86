"""The staff navigation: each entry shown only to users with its permission."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..domain import permissions as perms
from ..services.workflow import access


@dataclass(frozen=True)
class NavItem:
    url: str
    label: object
    current: bool


# (endpoint, label, global permission or None for everyone signed in, blueprint)
_ENTRIES = (
    ("inbox.home", _l("Hồ sơ phản ánh"), None, "inbox"),
    ("operator.console", _l("Tổng đài"), perms.CONSOLE, "operator"),
    ("dialogues_staff.index", _l("Đối thoại"), perms.DIALOGUES, "dialogues_staff"),
    ("supervision.audit_log", _l("Nhật ký hệ thống"), perms.AUDIT, "supervision"),
    ("admin.users", _l("Tài khoản"), perms.USERS, "admin"),
)


def staff_nav() -> list[NavItem]:
    user = current_user
    if not user.is_authenticated:
        return []
    blueprint = request.blueprint
    items = []
    for endpoint, label, permission, owner in _ENTRIES:
        if permission is None and not perms.visible_relations(user.role):
            continue  # no case at all to list (the admin)
        if permission is not None and not access.can_global(user, permission):
            continue
        current = blueprint == owner or (owner == "inbox" and blueprint == "case")
        items.append(NavItem(url_for(endpoint), label, current))
    return items
