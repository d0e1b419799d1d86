"""Language choice and the translated labels of domain codes.

Vietnamese is the source language of every string; English is a translation.
The visitor's choice (a cookie set by the language switch) wins, then the
browser's Accept-Language, then Vietnamese.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app, has_request_context, request
from flask_babel import format_date, format_number, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup

from .domain import trackcode
from .domain.calendar import local_date, local_time
from .models import Hotline
from .models.types import utcnow
from .services import orgdata

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
    "to-cao": _l("Báo cho cơ quan có thẩm quyền biết hành vi vi phạm pháp luật. "
                 "Danh tính người tố cáo được giữ bí mật."),
}
STATE_LABELS = {
    "new": _l("Mới tiếp nhận"),
    "triage": _l("Đang phân loại"),
    "assigned": _l("Đã chuyển đơn vị xử lý"),
    "in_progress": _l("Đang xử lý"),
    "answered": _l("Đã có trả lời, đang duyệt"),
    "approved": _l("Đã duyệt, chờ công bố"),
    "published": _l("Đã trả lời"),
    "closed": _l("Đã đóng"),
    "rejected": _l("Không thụ lý"),
    "merged": _l("Đã gộp vào phản ánh khác"),
    "handed_over": _l("Đã chuyển giải quyết theo thủ tục"),
    "withdrawn": _l("Đã rút"),
}
# The buttons of the case page, and how the audit log and messages name an action.
ACTION_LABELS = {
    "assign": _l("Chuyển đơn vị xử lý"),
    "accept": _l("Tiếp nhận xử lý"),
    "return": _l("Trả lại (không thuộc thẩm quyền)"),
    "progress": _l("Báo cáo tiến độ, hẹn ngày trả lời"),
    "answer": _l("Soạn trả lời"),
    "approve": _l("Duyệt trả lời"),
    "send-back": _l("Trả lại để sửa"),
    "publish": _l("Công bố trả lời"),
    "reject": _l("Từ chối thụ lý"),
    "merge": _l("Gộp vào phản ánh khác"),
    "handover": _l("Chuyển giải quyết theo thủ tục"),
    "close": _l("Đóng phản ánh"),
    "reopen": _l("Mở lại"),
    "note": _l("Ghi chú nội bộ"),
}
ROLE_LABELS = {
    "operator": _l("Tổng đài viên"),
    "officer": _l("Cán bộ xử lý"),
    "unit_head": _l("Lãnh đạo đơn vị"),
    "city_office": _l("Văn phòng UBND thành phố"),
    "supervisor": _l("Phòng Nội vụ (giám sát)"),
    "inspectorate": _l("Thanh tra thành phố"),
    "admin": _l("Quản trị tài khoản"),
    "system": _l("Hệ thống"),
}
ANSWER_STATE_LABELS = {
    "draft": _l("Dự thảo, chờ lãnh đạo duyệt"),
    "approved": _l("Lãnh đạo đã duyệt"),
    "sent_back": _l("Bị trả lại để sửa"),
    "published": _l("Đã công bố"),
    "concluded": _l("Đã gửi người phản ánh (không công bố)"),
    "superseded": _l("Đã thay bằng bản mới"),
}
PERSONAL_DATA_LABELS = {
    "phone": _l("số điện thoại"),
    "email": _l("email"),
    "id_number": _l("số định danh, CMND"),
    "tax_code": _l("mã số thuế"),
    "name": _l("họ tên người phản ánh"),
}
DEADLINE_STAGE_LABELS = {
    "forward": _l("Hạn chuyển đơn vị"),
    "accept": _l("Hạn thụ lý"),
    "resolve": _l("Hạn trả lời"),
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
    "dialogue": _l("Câu hỏi gửi buổi đối thoại: chuyển đơn vị tổ chức đối thoại"),
}
# The timeline: what each event is called, for the public and for staff.
EVENT_LABELS = {
    "received": _l("Tiếp nhận"),
    "routed": _l("Chuyển xử lý"),
    "assign": _l("Đã chuyển đến đơn vị xử lý"),
    "accept": _l("Đơn vị tiếp nhận xử lý"),
    "return": _l("Trả về Văn phòng để phân loại lại"),
    "progress": _l("Đơn vị báo cáo tiến độ, hẹn ngày trả lời"),
    "answer": _l("Đơn vị soạn trả lời"),
    "approve": _l("Lãnh đạo đơn vị duyệt trả lời"),
    "send-back": _l("Trả lại để sửa trả lời"),
    "publish": _l("Đã công bố trả lời"),
    "reject": _l("Không thụ lý"),
    "merge": _l("Đã gộp vào phản ánh khác"),
    "merged_in": _l("Nhận phản ánh được gộp vào"),
    "handover": _l("Chuyển giải quyết theo thủ tục pháp luật"),
    "close": _l("Đã đóng phản ánh"),
    "reopen": _l("Mở lại để xử lý tiếp"),
    "note": _l("Ghi chú nội bộ"),
    "operator_note": _l("Ghi chú của tổng đài viên"),
    "sms_added": _l("Tin nhắn bổ sung"),
    "rated": _l("Người phản ánh đánh giá"),
    "escalated": _l("Quá hạn: đã báo lãnh đạo"),
    "media_failed": _l("Không tải được tệp MMS"),
    "media_refused": _l("Tệp MMS không hợp lệ"),
    "demo": _l("Dữ liệu mẫu"),
}


AUDIT_LABELS = {
    "auth.sign_in": _l("Đăng nhập"),
    "auth.sign_in_failed": _l("Đăng nhập không thành công"),
    "auth.sign_out": _l("Đăng xuất"),
    "auth.locked": _l("Tài khoản bị tạm khóa do đăng nhập sai nhiều lần"),
    "dialogue.announce": _l("Công bố lịch đối thoại"),
    "dialogue.publish": _l("Công bố kết quả đối thoại"),
    "case.view_sealed": _l("Xem phản ánh đường dây kín"),
    "case.file_sealed": _l("Tải tệp của phản ánh đường dây kín"),
    "case.recording_sealed": _l("Nghe ghi âm của phản ánh đường dây kín"),
    "export.cases": _l("Xuất danh sách phản ánh (CSV)"),
    "user.create": _l("Tạo tài khoản"),
    "user.update": _l("Sửa tài khoản"),
    "user.password_reset": _l("Đặt lại mật khẩu"),
    "rating.kept": _l("Giữ nguyên kết quả sau đánh giá thấp"),
}


def audit_label(action: str) -> str:
    """What the audit log calls an action: its own label, or the case action's."""
    if action in AUDIT_LABELS:
        return str(AUDIT_LABELS[action])
    name = action.removeprefix("case.")
    if name in ACTION_LABELS:
        return f"{_l('Phản ánh')}: {ACTION_LABELS[name]}"
    return action


def select_locale() -> str:
    """The language chosen on the site (a cookie), else Vietnamese, unless the
    browser does not list Vietnamese at all: then its best match (English), if any.

    A browser set to English that also lists vi gets Vietnamese: the service is
    Vietnamese first, English a help for those who do not read it. A wildcard
    (`*`) or `vi;q=0` does not list Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, workers: Vietnamese
        return languages[0]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    accepted = request.accept_languages
    if any(quality > 0 and _primary(tag) == languages[0] for tag, quality in accepted):
        return languages[0]
    return accepted.best_match(languages) or languages[0]


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def is_english() -> bool:
    return str(get_locale()) == "en"


def localized(obj, attr: str = "name") -> str:
    """The English or Vietnamese name of an organisation row."""
    if obj is None:
        return ""
    return getattr(obj, f"{attr}_en" if is_english() else f"{attr}_vi")


# Digits only, the same in both languages: formatted without looking up the
# locale, as a list shows hundreds of them.
def local_datetime(value: datetime | None) -> str:
    return local_time(value).strftime("%H:%M %d/%m/%Y") if value else ""


def local_date_short(value: datetime | None) -> str:
    return local_time(value).strftime("%d/%m/%Y") if value else ""


def local_day(value: date | None) -> str:
    if value is None:
        return ""
    return format_date(value, "EEEE, dd/MM/yyyy")


def translated(labels: dict) -> dict[str, str]:
    """Lazy labels as text in the current language, for a loop over many rows."""
    return {key: str(label) for key, label in labels.items()}


def register_template_helpers(app) -> None:
    app.jinja_env.filters.update(
        localized=localized, local_datetime=local_datetime, local_day=local_day,
        local_date_short=local_date_short, number=format_number, translated=translated,
        code=trackcode.display,
    )
    app.jinja_env.globals.update(
        KIND_LABELS=KIND_LABELS, KIND_HELP=KIND_HELP, STATE_LABELS=STATE_LABELS,
        CHANNEL_LABELS=CHANNEL_LABELS, REPORTER_LABELS=REPORTER_LABELS,
        AUDIENCE_LABELS=AUDIENCE_LABELS,
        ROUTING_REASONS=ROUTING_REASONS, EVENT_LABELS=EVENT_LABELS,
        ACTION_LABELS=ACTION_LABELS, ROLE_LABELS=ROLE_LABELS,
        ANSWER_STATE_LABELS=ANSWER_STATE_LABELS, PERSONAL_DATA_LABELS=PERSONAL_DATA_LABELS,
        DEADLINE_STAGE_LABELS=DEADLINE_STAGE_LABELS, audit_label=audit_label,
        current_locale=lambda: str(get_locale()),
        today=lambda: local_date(utcnow()), now=utcnow,
        site_hotlines=_hotlines,
    )
    app.context_processor(_catalogue)


def _catalogue() -> dict:
    """The `_()`, `gettext` and `ngettext` of one template render, bound to the
    current language's catalogue: Flask-Babel's own look the language and the
    catalogue up again for each string (~28 µs; a page has 30 to 110 of them).
    They behave as Jinja's new-style ones: the text is escaped as markup where
    autoescaping is on, then formatted with its values (`num` for a plural)."""
    catalogue = get_translations()

    @pass_context
    def gettext(context, message: str, /, **values):
        return _formatted(context, catalogue.ugettext(message), values)

    @pass_context
    def ngettext(context, singular: str, plural: str, count: int, /, **values):
        values.setdefault("num", count)
        return _formatted(context, catalogue.ungettext(singular, plural, count), values)

    return {"gettext": gettext, "ngettext": ngettext}


def _formatted(context, text: str, values: dict) -> str:
    return (Markup(text) if context.eval_ctx.autoescape else text) % values


def _hotlines() -> list[Hotline]:
    """The hotlines of every page's footer, from the per-process snapshot."""
    return sorted(orgdata.current().hotlines.values(), key=lambda h: (h.sort, h.id))
