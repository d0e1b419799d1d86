"""Filing an Open311 request: the client's key checked, the GeoReport
parameters turned into a submission, and the same intake as the web form."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ...domain.calendar import local_date
from ...extensions import db
from ...i18n import localized
from ...models import Case, Unit
from ...models.org import WARD_KINDS
from ...models.types import utcnow
from .. import intake
from ..errors import INVALID, Rejected
from ..intake import routing
from . import catalogue, keys

MAX_ADDRESS = 300
MAX_URL = 500
# The intake's field names as a client knows them.
PARAMETER_OF = {
    "name": "first_name", "phone": "phone", "email": "email", "description": "description",
    "kind": "attribute[kind]", "reporter_type": "attribute[reporter_type]",
    "business_name": "attribute[business_name]", "tax_code": "attribute[tax_code]",
    "procedure": "attribute[procedure]", "ward": "attribute[ward]", "category": "service_code",
}


@dataclass
class Filing:
    api_key: str = ""
    service_code: str = ""
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    description: str = ""
    media_url: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


def _ward(code: str) -> Unit | None:
    ward = db.session.scalars(select(Unit).where(Unit.code == code)).first() if code else None
    if ward is None or ward.kind not in WARD_KINDS or not ward.active_on(local_date(utcnow())):
        return None
    return ward


def _check_location(f: Filing) -> str | None:
    """The ward the location names, if any; refuses a request with no location."""
    if (f.lat is None) != (f.long is None):
        raise Rejected({"lat": "lat and long go together"}, 400)
    if f.lat is None and not f.address_string and not f.address_id:
        raise Rejected({"lat": "a location is required: lat and long, address_string or address_id"}, 400)
    if f.lat is not None and not (-90 <= f.lat <= 90 and -180 <= f.long <= 180):
        raise Rejected({"lat": "lat must be within ±90 and long within ±180"}, 400)
    if len(f.address_string) > MAX_ADDRESS:
        raise Rejected({"address_string": f"at most {MAX_ADDRESS} characters"}, 400)
    if f.address_id:
        if _ward(f.address_id) is None:
            raise Rejected({"address_id": "address_id must be the code of a ward or commune"}, 400)
        return f.address_id
    return routing.rules().ward_in(routing.Text.of(f.address_string)) if f.address_string else None


def _description(f: Filing) -> str:
    if not f.media_url:
        return f.description
    if len(f.media_url) > MAX_URL or not f.media_url.startswith(("https://", "http://")):
        raise Rejected({"media_url": f"an http(s) URL of at most {MAX_URL} characters"}, 400)
    return f.description + "\n\n" + _("Ảnh, tệp do ứng dụng gửi kèm: %(url)s", url=f.media_url)


def _submission(f: Filing, client_id: int) -> intake.Submission:
    category = catalogue.category(f.service_code)
    if category is None:
        raise Rejected({"service_code": f"no service {f.service_code!r}"}, 404)
    ward = _check_location(f)
    a = f.attributes
    return intake.Submission(
        kind=a.get("kind") or category.legal_kind_code or "phan-anh", channel="api",
        description=_description(f), reporter_type=a.get("reporter_type") or "citizen",
        category_code=category.code, procedure_code=a.get("procedure") or None,
        ward_code=a.get("ward") or ward, name=f"{f.last_name} {f.first_name}".strip(),
        phone=f.phone, email=f.email, business_name=a.get("business_name", ""),
        tax_code=a.get("tax_code", ""), consent_publish=a.get("consent_publish") == "true",
        api_client_id=client_id, address=f.address_string, latitude=f.lat, longitude=f.long)


def file(f: Filing) -> Case:
    """Create the case; raise Rejected with the Open311 status (400, 403, 404)."""
    client = keys.client_of(f.api_key)
    try:
        if client is None:
            raise Rejected({"api_key": "invalid api_key"}, 403)
        return intake.submit(_submission(f, client.id))
    except Rejected as refused:
        db.session.rollback()
        if refused.status != INVALID:
            raise
        raise Rejected({PARAMETER_OF.get(name, name): message
                        for name, message in refused.errors.items()}, 400) from None


def notice(case: Case) -> str:
    """What the client may show its user: where the case went and by when."""
    return _("Mã tra cứu %(code)s. Đơn vị xử lý: %(unit)s. Hạn trả lời: %(due)s.",
             code=case.code, unit=localized(case.unit),
             due=case.due_on.strftime("%d/%m/%Y") if case.due_on else "—")
