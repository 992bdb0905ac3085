"""Creating PAKNs (through the service) and citizens' messages for console and report tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actors import Actor
from bot.core.services import Services
from bot.db import queries
from bot.db.models import Message
from bot.db.models_pakn import Pakn
from bot.pakn.draft import Draft

UNIT = "xa-binh-minh"
CONTENT = "Đèn đường ở ấp 3 bị hỏng hơn một tuần, buổi tối đi lại rất nguy hiểm."
_keys = itertools.count(1)


async def submit(
    sess: AsyncSession,
    services: Services,
    *,
    when: dt.datetime,
    unit: str = UNIT,
    content: str = CONTENT,
    channel: str = "web",
    external_id: str = "citizen-1",
    category: str = "khac",
    area: str | None = None,
    name: str = "Nguyễn Văn Bình",
    phone: str | None = "+84912345678",
    attachments: tuple[dict[str, Any], ...] = (),
    with_message: bool = True,
) -> Pakn:
    """A PAKN received at `when` from a contact (with the citizen's message logged before it)."""
    assert services.pakn is not None
    contact = await queries.get_or_create_contact(
        sess, unit=unit, channel=channel, external_id=external_id, now=when
    )
    await sess.flush()
    if with_message:
        sess.add(
            Message(
                unit=unit,
                channel=channel,
                contact_id=contact.id,
                direction="in",
                text=content,
                status="received",
                created_at=when,
            )
        )
    draft = Draft(
        category=category,
        content=content,
        sender_name=name,
        phone=phone,
        address=None if phone else "Ấp 3",
        area=area,
        attachments=attachments,
    )
    result = await services.pakn.submit(
        sess,
        unit=unit,
        channel=channel,
        draft=draft,
        contact_id=contact.id,
        idempotency_key=f"test-{next(_keys)}",
        now=when,
    )
    return result.pakn


def staff_actor(unit: str = UNIT) -> Actor:
    return Actor("tester", "staff", frozenset({unit}))
