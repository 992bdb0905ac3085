"""The conversation engine: one inbound message in, replies out, state saved — one transaction."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.campaigns import subscriptions
from bot.core.flow import Context, Flow
from bot.core.messages import Inbound, Reply
from bot.db import queries

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.core.services import Services
    from bot.db.models import Contact, Message

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # longer messages are cut, and the citizen is told
RESET_WORDS = {
    "menu", "/menu", "/start", "start", "hủy", "huỷ", "huy", "/cancel", "/huy", "thoát", "thoat",
    "bắt đầu", "bat dau", "về menu", "ve menu", "menu chính", "menu chinh",
}  # fmt: skip
TELEGRAM_LIMIT_PAYLOAD = 64


def is_stop(msg: Inbound) -> bool:
    from handlers.subscribe import STOP_PHRASES, command

    return msg.kind == "text" and command(msg.text) in STOP_PHRASES


def is_emergency(msg: Inbound) -> bool:
    from faq.intents import classify

    return msg.kind == "text" and classify(msg.text).intent == "emergency"


def is_reset(msg: Inbound) -> bool:
    if msg.kind != "text":
        return False
    text = unicodedata.normalize("NFC", msg.text).strip().lower().rstrip("!. ")
    return text in RESET_WORDS or text.startswith("/start ")


@dataclass
class Processed:
    outbound: list[Message]
    after_commit: list[Callable[[], Awaitable[None]]]


class ConversationEngine:
    def __init__(self, services: Services, flows: Sequence[Flow]) -> None:
        self.services = services
        self.flows = list(flows)
        self.by_name = {flow.name: flow for flow in self.flows}
        if len(self.by_name) != len(self.flows):
            raise ValueError("two flows share a name")

    async def process(self, sess: AsyncSession, msg: Inbound) -> Processed:
        """Handle `msg` inside the caller's transaction; return the queued outbound rows."""
        now = self.services.clock()
        unit = self.services.units[msg.unit]
        contact = await queries.get_or_create_contact(
            sess,
            unit=msg.unit,
            channel=msg.channel,
            external_id=msg.user_id,
            now=now,
            display_name=msg.display_name,
            language=msg.language,
            lock=True,
        )
        await sess.flush()
        text = unicodedata.normalize("NFC", msg.text or "")
        too_long = len(text) > MAX_TEXT
        payload = msg.payload
        if payload and payload.startswith("~"):
            payload = await queries.expand_payload(sess, payload) or "stale"
        msg = Inbound(**{**msg.__dict__, "text": text[:MAX_TEXT], "payload": payload})
        if msg.group:  # staff chatter is not logged; the staff flow records what it acts on
            return await self._process_group(sess, msg, contact, now)
        await queries.log_inbound(
            sess,
            contact,
            kind=msg.kind,
            text=msg.text or None,
            payload=msg.payload,
            now=now,
            external_id=msg.message_id,
            body={"attachments": [a.__dict__ for a in msg.attachments]}
            if msg.attachments
            else None,
        )
        if msg.kind in ("follow", "unfollow"):
            if msg.kind == "unfollow":  # blocked the bot / unfollowed: no more broadcasts
                await subscriptions.stop_all(sess, contact.id)
            return Processed([], [])  # channel events
        state = await queries.load_state(sess, contact.id)
        ctx = Context(
            msg=msg,
            unit=unit,
            contact=contact,
            session=sess,
            services=self.services,
            state=state,
            now=now,
        )
        if too_long:
            ctx.say_key("input.too_long", length=len(text), limit=MAX_TEXT)
        try:
            async with sess.begin_nested():  # a savepoint: a failing flow leaves no half-writes
                await self._dispatch(ctx)
        except Exception:
            log.exception("flow %s failed", ctx.state.flow or "-", extra={"unit": msg.unit})
            ctx.end()
            ctx.replies.clear()
            ctx.after_commit.clear()
            ctx.queued.clear()
            ctx.say_key("input.error", ctx.menu_buttons())
        if not ctx.replies:
            ctx.say_menu()
        await queries.save_state(sess, contact.id, ctx.state, now)
        replies = [await self._fit_payloads(sess, r, now) for r in ctx.replies]
        rows = await queries.add_outbound(sess, contact, replies, now)
        return Processed([*ctx.queued, *rows], ctx.after_commit)

    async def _process_group(
        self, sess: AsyncSession, msg: Inbound, contact: Contact, now: dt.datetime
    ) -> Processed:
        """A staff group: only the "staff" flow listens, and silence is the default."""
        flow = self.by_name.get("staff")
        if flow is None:
            return Processed([], [])
        unit = self.services.units[msg.unit]
        ctx = Context(
            msg=msg,
            unit=unit,
            contact=contact,
            session=sess,
            services=self.services,
            state=await queries.load_state(sess, contact.id),
            now=now,
        )
        try:
            async with sess.begin_nested():
                await flow.handle(ctx)
        except Exception:
            log.exception("staff flow failed", extra={"unit": msg.unit})
            ctx.replies.clear()
            ctx.after_commit.clear()
            ctx.queued.clear()
            ctx.say_key("input.error")
        await queries.save_state(sess, contact.id, ctx.state, now)
        replies = [await self._fit_payloads(sess, r, now) for r in ctx.replies]
        rows = await queries.add_outbound(sess, contact, replies, now)
        return Processed([*ctx.queued, *rows], ctx.after_commit)

    async def _dispatch(self, ctx: Context) -> None:
        msg = ctx.msg
        if is_reset(msg):
            await self.by_name["menu"].handle(ctx)
            return
        if is_stop(msg) and "sub" in self.by_name:  # "dừng nhận tin" works from any step
            ctx.end()
            await self.by_name["sub"].handle(ctx)
            return
        if ctx.state.flow and not msg.payload and is_emergency(msg):
            from handlers.intents import say_emergency

            say_emergency(ctx)  # 114/115/113 first, then the form goes on as usual
        if msg.payload:
            name = msg.payload.split(":", 1)[0]
            flow = self.by_name.get(name)
            if flow is None:
                log.info("stale or unknown button payload", extra={"unit": msg.unit})
                ctx.say_key("input.stale_button", ctx.menu_buttons())
                return
            if ctx.state.flow and ctx.state.flow != name:
                ctx.end()
            await flow.handle(ctx)
            return
        if ctx.state.flow in self.by_name:
            await self.by_name[ctx.state.flow].handle(ctx)
            if not ctx.handed_back:
                return
        if ctx.state.flow:  # a flow that no longer exists (after an upgrade)
            ctx.end()
        for flow in self.flows:
            if flow.starts(ctx):
                await flow.handle(ctx)
                return

    async def _fit_payloads(self, sess: AsyncSession, reply: Reply, now: object) -> Reply:
        if not any(
            b.kind == "reply" and len(b.payload.encode()) > TELEGRAM_LIMIT_PAYLOAD
            for b in reply.buttons
        ):
            return reply
        buttons = []
        for b in reply.buttons:
            if b.kind == "reply" and len(b.payload.encode()) > TELEGRAM_LIMIT_PAYLOAD:
                short = await queries.shorten_payload(sess, b.payload, now)  # type: ignore[arg-type]
                b = replace(b, payload=short)
            buttons.append(b)
        return Reply(reply.text, tuple(buttons), reply.image_url)
