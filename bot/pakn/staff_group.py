"""Posting PAKN to a unit's staff group (Telegram) and the due-soon / overdue reminders.

Posts are ordinary queued outbound messages to the group (so a crash loses none); a StaffPost
row remembers which PAKN each post is about, so that a staff member's reply to a post — which
carries the post's Telegram message id — can be mapped back to the PAKN.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy import or_, select

from bot.core.messages import Button, Reply
from bot.db import queries
from bot.db.locks import single_runner
from bot.db.models import Contact, FaqQuery, Message
from bot.db.models_staff import StaffPost
from bot.pakn.notify import Texts
from bot.pakn.phone import mask_phone

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.core.services import Services
    from bot.db.models_pakn import Pakn
    from bot.pakn.service import DueAlert

log = logging.getLogger(__name__)
# Sample values for the staff.* messages, so `loaxa content check` can render them.
STAFF_SAMPLES = {
    "name": "Lan",
    "sender": "Nguyễn Văn Bình, 0912 *** 678",
    "area": "Ấp 3",
    "received": "23/11/2026",
    "due": "07/12/2026",
    "content": "Đèn đường hỏng.",
    "attachments": 1,
    "stage": "trả lời",
    "count": 1,
    "lines": "⚪ PA-7KM-Q9X-DA3 · Đang xử lý · 07/12/2026",
    "question": "Làm giấy phép kinh doanh karaoke ở đâu?",
    "offered": "Đăng ký hộ kinh doanh",
    "answer": "Ông/bà nộp hồ sơ tại Trung tâm Phục vụ hành chính công.",
    "campaign_id": 12,
    "campaign_title": "Khai sinh trực tuyến",
    "console_link": "https://loaxa.example.vn/console/campaigns/12",
}
ALERT_INTERVAL_SECONDS = 300
CONTENT_PREVIEW = 1500


def texts(services: Services, unit: str) -> Texts:
    assert services.pakn is not None
    return services.pakn.texts(unit)


def card(services: Services, pakn: Pakn) -> Reply:
    tx = texts(services, pakn.unit)
    content = (
        pakn.content
        if len(pakn.content) <= CONTENT_PREVIEW
        else pakn.content[:CONTENT_PREVIEW] + "…"
    )
    sender = ", ".join(
        part for part in (pakn.sender_name, mask_phone(pakn.phone) if pakn.phone else None) if part
    )
    text = tx.t(
        "staff.card",
        code=pakn.code,
        category=tx.category(pakn.category),
        area=pakn.area or "—",
        sender=sender or "—",
        received=tx.date(pakn.received_at),
        due=tx.date(pakn.due_at),
        content=content,
        attachments=len(pakn.attachments or []),
    )
    return Reply(text, tuple(action_buttons(services, pakn)))


def action_buttons(services: Services, pakn: Pakn) -> list[Button]:
    """The card's buttons for the PAKN's state now (none once it is answered or closed)."""
    tx = texts(services, pakn.unit)
    allowed = {
        "take": ("new", "received"),
        "answer": ("new", "received", "in_progress", "forwarded"),
        "forward": ("new", "received", "in_progress"),
        "reject": ("new", "received", "in_progress"),
    }
    payload = {"take": "take", "answer": "ans", "forward": "fwd", "reject": "rej"}
    return [
        Button.reply(tx.t(f"staff.btn.{name}"), f"staff:{payload[name]}:{pakn.id}")
        for name, states in allowed.items()
        if pakn.state in states
    ]


async def refresh_cards(
    sess: AsyncSession, services: Services, pakn: Pakn, now: dt.datetime, *, text: bool = False
) -> list[Message]:
    """After an action, queue an edit of each card of `pakn` already in the group, so nobody
    presses "Nhận xử lý" on a taken one: its buttons only (editMessageReplyMarkup), or with
    `text` (its category or deadline changed) the whole card, unless it was redacted."""
    posts = await sess.execute(
        select(Message)
        .join(StaffPost, StaffPost.message_id == Message.id)
        .where(StaffPost.pakn_id == pakn.id, StaffPost.action == "card")
    )
    edits: list[Message] = []
    buttons = tuple(action_buttons(services, pakn))
    fresh = card(services, pakn) if text else None
    redacted = redacted_reply(services, pakn.unit, pakn).text
    for message in posts.scalars():
        whole = fresh is not None and message.text != redacted
        if whole and fresh is not None:  # a card not sent yet goes out as it is now
            message.text, message.body = fresh.text, fresh.to_dict()
        if message.status != "sent" or not message.external_id:
            continue
        group = await sess.get(Contact, message.contact_id)
        if group is None:
            continue
        if whole and fresh is not None:
            edit = dataclasses.replace(fresh, edit_of=message.external_id)
        else:
            edit = Reply("", buttons, edit_of=message.external_id, buttons_only=True)
        edits.extend(await queries.add_outbound(sess, group, [edit], now))
    return edits


async def queue_post(
    sess: AsyncSession,
    services: Services,
    unit: str,
    reply: Reply,
    pakn_id: int | None,
    action: str,
    now: dt.datetime,
    *,
    faq_query_id: int | None = None,
) -> Message | None:
    """Queue `reply` to the unit's staff group and remember what it is about."""
    chat = services.staff_chats.get(unit)
    if not chat:
        return None
    group = await queries.get_or_create_contact(
        sess, unit=unit, channel="telegram", external_id=chat, now=now
    )
    [row] = await queries.add_outbound(sess, group, [reply], now)
    sess.add(
        StaffPost(
            message_id=row.id,
            pakn_id=pakn_id,
            faq_query_id=faq_query_id,
            action=action,
            created_at=now,
        )
    )
    return row


async def post_question(
    sess: AsyncSession, services: Services, query: FaqQuery, now: dt.datetime
) -> Message | None:
    """Hand a citizen's question to the staff group; a reply to the post answers them."""
    offered = ", ".join(
        services.faq.title(entry)
        for entry, *_ in (query.candidates or [])[:3]
        if services.faq.has(entry)
    )
    text = services.messages.render(
        "staff.question",
        unit=services.units[query.unit],
        question=query.text[:CONTENT_PREVIEW],
        offered=offered or "—",
    )
    return await queue_post(
        sess, services, query.unit, Reply(text), None, "question", now, faq_query_id=query.id
    )


async def notify_staff(
    sessionmaker: async_sessionmaker[AsyncSession],
    services: Services,
    unit: str,
    text: str,
    now: dt.datetime,
) -> bool:
    """Queue an operational alert (e.g. a channel token problem) to the unit's staff group."""
    chat = services.staff_chats.get(unit)
    if not chat:
        return False
    async with sessionmaker.begin() as sess:
        group = await queries.get_or_create_contact(
            sess, unit=unit, channel="telegram", external_id=chat, now=now
        )
        await queries.add_outbound(sess, group, [Reply(f"⚠️ {text}")], now)
    return True


async def post_new(sess: AsyncSession, services: Services, pakn: Pakn, now: dt.datetime) -> None:
    await queue_post(sess, services, pakn.unit, card(services, pakn), pakn.id, "card", now)


async def post_for_reply(
    sess: AsyncSession, group_contact_id: int, telegram_message_id: str
) -> StaffPost | None:
    """The post a staff member replied to (its Telegram id is in messages.external_id)."""
    result = await sess.execute(
        select(StaffPost)
        .join(Message, Message.id == StaffPost.message_id)
        .where(Message.contact_id == group_contact_id, Message.external_id == telegram_message_id)
    )
    return result.scalar_one_or_none()


def redacted_reply(services: Services, unit: str, pakn: Pakn | None) -> Reply:
    """What a card (or a handed-off question) says once its citizen deleted their data."""
    if pakn is None:
        return Reply(
            services.messages.render("staff.question_redacted", unit=services.units[unit])
        )
    text = texts(services, unit).t("staff.card_redacted", code=pakn.code)
    return Reply(text, tuple(action_buttons(services, pakn)))


async def redact_posts(
    sess: AsyncSession,
    services: Services,
    pakns: Sequence[Pakn],
    question_ids: Sequence[int],
    now: dt.datetime,
) -> list[Message]:
    """Privacy deletion: replace the text of the posts that carry a citizen's words (new-PAKN
    cards, handed-off questions) and queue an edit of each one already in the group.

    A post not sent yet goes out with the new text. One being sent right now is edited once
    its send is recorded (Pipeline: a row whose body changed during the send)."""
    by_id = {p.id: p for p in pakns}
    conditions = []
    if by_id:
        conditions.append(StaffPost.pakn_id.in_(list(by_id)) & (StaffPost.action == "card"))
    if question_ids:
        conditions.append(
            StaffPost.faq_query_id.in_(list(question_ids))
            & StaffPost.action.in_(("question", "note"))
        )
    if not conditions:
        return []
    posts = await sess.execute(
        select(StaffPost, Message)
        .join(Message, Message.id == StaffPost.message_id)
        .where(or_(*conditions))
        .order_by(Message.id)
    )
    edits: list[Message] = []
    for post, message in posts.all():
        if message.unit not in services.units:
            continue
        reply = redacted_reply(services, message.unit, by_id.get(post.pakn_id or 0))
        message.text, message.body, message.error = reply.text, reply.to_dict(), None
        if message.status == "sent" and message.external_id:
            group = await sess.get(Contact, message.contact_id)
            if group is not None:
                edit = dataclasses.replace(reply, edit_of=message.external_id)
                edits.extend(await queries.add_outbound(sess, group, [edit], now))
    return edits


def alert_reply(services: Services, pakn: Pakn, alert: DueAlert) -> Reply:
    tx = texts(services, pakn.unit)
    text = tx.t(
        f"staff.alert.{alert.due_state}",
        code=pakn.code,
        stage=tx.t(f"staff.stage.{alert.stage}"),
        due=tx.date(alert.due_at),
        state=tx.state(pakn.state),
    )
    return Reply(text, tuple(action_buttons(services, pakn)))


async def post_alerts(sess: AsyncSession, services: Services, now: dt.datetime) -> int:
    """Queue one reminder per PAKN whose due state changed; return how many were posted."""
    from bot.pakn import store

    assert services.pakn is not None
    alerts = await services.pakn.due_alerts(sess, now, only_changed=True)
    posted = []
    for alert in alerts:
        pakn = await store.get(sess, alert.pakn_id)
        if pakn is None or not services.staff_chats.get(pakn.unit):
            continue
        await queue_post(
            sess, services, pakn.unit, alert_reply(services, pakn, alert), pakn.id, "alert", now
        )
        posted.append(alert)
    await services.pakn.mark_alerted(sess, posted, now)
    return len(posted)


async def alerts_worker(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: every few minutes, one process posts the reminders."""
    from bot.keys import db_engine_key, pipeline_key, services_key, sessionmaker_key, settings_key

    if not app[settings_key].run_workers or not app[services_key].staff_chats:
        yield
        return

    async def loop() -> None:
        services = app[services_key]
        while True:
            try:
                async with single_runner(app[db_engine_key], "pakn-staff-alerts") as mine:
                    if mine:
                        async with app[sessionmaker_key].begin() as sess:
                            count = await post_alerts(sess, services, services.clock())
                        if count:
                            await app[pipeline_key].deliver()
            except Exception:
                log.exception("PAKN reminders failed")
            await asyncio.sleep(ALERT_INTERVAL_SECONDS)

    task = asyncio.create_task(loop(), name="pakn-staff-alerts")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
