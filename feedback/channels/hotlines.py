"""Which hotline a call or SMS reached, from the numbers Twilio or the gateway send."""
from __future__ import annotations

from sqlalchemy import select

from ..domain.contact import phone_e164
from ..extensions import db
from ..models import Hotline, HotlineNumber


def identify(*numbers: str | None) -> Hotline | None:
    """The hotline of the first number that is one of ours (To, Called, ForwardedFrom…)."""
    candidates = [e164 for n in numbers if n and (e164 := phone_e164(n))]
    if not candidates:
        return None
    rows = db.session.execute(
        select(HotlineNumber.e164, Hotline).join(Hotline)
        .where(HotlineNumber.e164.in_(candidates))
    ).all()
    by_number = {e164: hotline for e164, hotline in rows}
    return next((by_number[n] for n in candidates if n in by_number), None)


def sending_number(hotline: Hotline | None) -> str | None:
    """The number SMS go out from for this hotline, if one is configured."""
    query = select(HotlineNumber.e164).where(HotlineNumber.sends.is_(True))
    if hotline is not None:
        query = query.where(HotlineNumber.hotline_id == hotline.id)
    return db.session.scalars(query.order_by(HotlineNumber.id)).first()
