"""Language choice and the translated labels of domain codes.

Vietnamese is the source language of every string; English is a translation.
The visitor's choice (a cookie set by the language switch) wins, then the
browser's Accept-Language, then Vietnamese.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from .domain import trackcode
from .extensions import db
from .models import Hotline

LANG_COOKIE = "lang"

KIND_LABELS = {
    "phan-anh": _l("Phản ánh"),
    "kien-nghi": _l("Kiến nghị"),
    "khieu-nai": _l("Khiếu nại"),
    "to-cao": _l("Tố cáo"),
}
KIND_HELP = {
    "phan-anh": _l("Vướng mắc khi làm thủ tục, quy định bất hợp lý, cán bộ làm chậm."),
    "kien-nghi": _l("Đề xuất sửa đổi quy định hoặc cách giải quyết."),
    "khieu-nai": _l("Đề nghị xem xét lại một quyết định hoặc hành vi hành chính ảnh hưởng đến quyền lợi của bạn."),
    "to-cao": _l("Báo cho cơ quan có thẩm quyền biết hành vi vi phạm pháp luật. Danh tính người tố cáo được giữ bí mật."),
}
STATE_LABELS = {
    "new": _l("Mới tiếp nhận"),
    "triage": _l("Đang phân loại"),
    "assigned": _l("Đã chuyển đơn vị xử lý"),
    "in_progress": _l("Đang xử lý"),
    "answered": _l("Đã có trả lời, đang duyệt"),
    "published": _l("Đã trả lời"),
    "closed": _l("Đã đóng"),
    "withdrawn": _l("Đã rút"),
}
CHANNEL_LABELS = {
    "web": _l("Trang web"),
    "sms": _l("Tin nhắn SMS"),
    "voice": _l("Điện thoại"),
    "operator": _l("Tổng đài viên"),
    "api": _l("Ứng dụng (API)"),
    "dialogue": _l("Đối thoại"),
}
REPORTER_LABELS = {"citizen": _l("Cá nhân"), "business": _l("Doanh nghiệp")}
AUDIENCE_LABELS = {"citizen": _l("Công dân"), "business": _l("Doanh nghiệp")}
ROUTING_REASONS = {
    "conduct": _l("Phản ánh về thái độ, hành vi của cán bộ: chuyển Phòng Nội vụ, giữ bí mật"),
    "kind": _l("Chuyển cơ quan có thẩm quyền theo loại đơn"),
    "ward": _l("Thủ tục thuộc thẩm quyền UBND phường, xã nơi phát sinh"),
    "category": _l("Chuyển đơn vị phụ trách lĩnh vực"),
    "keyword": _l("Phân loại tự động theo nội dung"),
    "triage": _l("Chờ Văn phòng phân loại và chuyển đơn vị"),
}
EVENT_LABELS = {
    "received": _l("Tiếp nhận"),
    "routed": _l("Chuyển xử lý"),
}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, workers: Vietnamese
        return languages[0]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def is_english() -> bool:
    return str(get_locale()) == "en"


def localized(obj, attr: str = "name") -> str:
    """The English or Vietnamese name of an organisation row."""
    if obj is None:
        return ""
    return getattr(obj, f"{attr}_en" if is_english() else f"{attr}_vi")


def local_datetime(value: datetime | None) -> str:
    return format_datetime(value, "HH:mm dd/MM/yyyy") if value else ""


def local_day(value: date | None) -> str:
    if value is None:
        return ""
    return format_date(value, "EEEE, dd/MM/yyyy")


def register_template_helpers(app) -> None:
    app.jinja_env.filters.update(
        localized=localized, local_datetime=local_datetime, local_day=local_day,
        code=trackcode.display,
    )
    app.jinja_env.globals.update(
        KIND_LABELS=KIND_LABELS, KIND_HELP=KIND_HELP, STATE_LABELS=STATE_LABELS,
        CHANNEL_LABELS=CHANNEL_LABELS, REPORTER_LABELS=REPORTER_LABELS,
        AUDIENCE_LABELS=AUDIENCE_LABELS,
        ROUTING_REASONS=ROUTING_REASONS, EVENT_LABELS=EVENT_LABELS,
        current_locale=lambda: str(get_locale()),
        site_hotlines=_hotlines,
    )


def _hotlines() -> list[Hotline]:
    return db.session.scalars(db.select(Hotline).order_by(Hotline.sort)).all()
