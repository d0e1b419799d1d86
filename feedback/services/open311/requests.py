"""Open311 service requests, read from what the public results show.

A published case is its public record (summary, answer, unit, ward, dates).
A case not published (or on the sealed track) is, to whoever holds its code,
only its open/closed status and its service: the API never shows more than the
web. Lists hold published cases only, as /results does."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ...domain import states
from ...domain.calendar import LOCAL_TZ
from ...domain.trackcode import normalise
from ...extensions import db
from ...i18n import localized
from ...models import Case, Category, PublicRecord
from ...models.types import utcnow
from ..errors import Rejected
from ..public import status as public_status

WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 100


@dataclass(frozen=True)
class ServiceRequest:
    service_request_id: str
    status: str                          # open | closed
    service_code: str | None
    service_name: str | None
    status_notes: str | None = None
    description: str | None = None
    agency_responsible: str | None = None
    service_notice: str | None = None
    requested_datetime: datetime | None = None
    updated_datetime: datetime | None = None
    expected_datetime: datetime | None = None
    address: str | None = None
    address_id: str | None = None
    zipcode: str | None = None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None


@dataclass(frozen=True)
class Query:
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()        # open, closed
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = MAX_RESULTS


def _status(state: str) -> str:
    return "open" if state in states.OPEN_STATES else "closed"


def _end_of(day: date | None) -> datetime | None:
    """A deadline date as the moment it passes: the end of that local day."""
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ) if day else None


def _published(record: PublicRecord, state: str) -> ServiceRequest:
    category = record.category
    return ServiceRequest(
        service_request_id=record.code, status=_status(state),
        service_code=category.code if category else None,
        service_name=localized(category) if category else None,
        status_notes=record.answer, description=record.summary,
        agency_responsible=localized(record.unit) if record.unit else None,
        requested_datetime=record.received_at, updated_datetime=record.published_at,
        expected_datetime=_end_of(record.due_on),
        address=localized(record.ward) if record.ward else None,
        address_id=record.ward.code if record.ward else None)


def _records() -> Select:
    return (select(PublicRecord, Case.state).join(Case, Case.id == PublicRecord.case_id)
            .options(joinedload(PublicRecord.unit), joinedload(PublicRecord.ward),
                     joinedload(PublicRecord.category)))


def _window(q: Query) -> tuple[datetime, datetime]:
    if q.start and q.end:
        start, end = q.start, q.end
    elif q.start:
        start, end = q.start, q.start + WINDOW
    else:
        end = q.end or utcnow()
        start = end - WINDOW
    if end < start:
        raise Rejected({"end_date": "end_date is before start_date"}, 400)
    if end - start > WINDOW:
        raise Rejected({"start_date": "start_date and end_date may not span more than 90 days"}, 400)
    return start, end


def search(q: Query) -> list[ServiceRequest]:
    """Published requests received in the window, newest first, a page at a time."""
    start, end = _window(q)
    listing = _records().where(PublicRecord.received_at >= start, PublicRecord.received_at <= end)
    if q.service_codes:
        listing = listing.join(Category, Category.id == PublicRecord.category_id).where(
            Category.code.in_(q.service_codes))
    if set(q.statuses) == {"open"}:
        listing = listing.where(Case.state.in_(states.OPEN_STATES))
    elif set(q.statuses) == {"closed"}:
        listing = listing.where(Case.state.not_in(states.OPEN_STATES))
    listing = (listing.order_by(PublicRecord.received_at.desc(), PublicRecord.id.desc())
               .offset((q.page - 1) * q.page_size).limit(q.page_size))
    return [_published(record, state) for record, state in db.session.execute(listing).unique()]


def _unpublished(codes: list[str]) -> dict[str, ServiceRequest]:
    """Status and service only, for codes with no public record."""
    return {code: ServiceRequest(code, _status(state), category.code if category else None,
                                 localized(category) if category else None)
            for code, (state, category) in public_status.states_and_fields(codes).items()}


def by_ids(ids: list[str]) -> list[ServiceRequest]:
    """The requests with these codes, in the order asked; unknown codes are left out."""
    codes = [code for code in dict.fromkeys(normalise(i) for i in ids[:MAX_IDS]) if code]
    if not codes:
        return []
    found = {record.code: _published(record, state) for record, state in
             db.session.execute(_records().where(PublicRecord.code.in_(codes))).unique()}
    missing = [code for code in codes if code not in found]
    if missing:
        found.update(_unpublished(missing))
    return [found[code] for code in codes if code in found]
