"""The conversation engine: one inbound message in, replies out, state saved — one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.campaigns import subscriptions
from bot.core import ahead
from bot.core.flow import Context, Flow
from bot.core.messages import MAX_TEXT, Inbound, Reply
from bot.db import hot_path, media, queries, unit_areas, unit_categories

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.core.services import Services
    from bot.db.models import Contact, Message

log = logging.getLogger(__name__)

RESET_WORDS = {
    "menu", "/menu", "/start", "start", "hủy", "huỷ", "huy", "/cancel", "/huy", "thoát", "thoat",
    "bắt đầu", "bat dau", "về menu", "ve menu", "menu chính", "menu chinh",
}  # fmt: skip
TELEGRAM_LIMIT_PAYLOAD = 64
# Channels whose "follow" is a new follower worth greeting (Zalo OA). A Telegram "follow" is an
# unblock, and the /start that follows it already shows the menu.
WELCOME_ON_FOLLOW = frozenset({"zalo"})
NOT_THEM = ("unfollow", "agent")  # events that are not the citizen writing to us
# A reply inserted claimed is sent right after the commit; if this process dies first, it is
# due again after this long (longer than one send with its timeouts).
CLAIM_LEASE = dt.timedelta(seconds=30)


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
    """What one message led to. `outbound`: queued rows the pipeline claims and sends;
    `direct`: replies to `to` (row id, reply) inserted already claimed, sent directly."""

    outbound: list[Message]
    after_commit: list[Callable[[], Awaitable[None]]]
    direct: list[tuple[int, Reply]] = dataclasses.field(default_factory=list)
    to: Contact | None = None
    contact_id: int | None = None  # who wrote (set by ConversationEngine.process)
    keep_payload: bool = True  # False: the update asked to erase its sender's data


class FlowFailed(Exception):
    """A flow raised (logged already): roll back, then process again with `flow_failed`."""


class ConversationEngine:
    def __init__(
        self,
        services: Services,
        flows: Sequence[Flow],
        on_emergency: Callable[[Context], None] | None = None,
    ) -> None:
        """`on_emergency` speaks the 114/115/113 line when a danger is told inside a form;
        the conversations supply it, so the engine imports none of them."""
        self.services = services
        self.on_emergency = on_emergency
        self.flows = list(flows)
        # Called when files wait for download (bot/app.py wakes the media worker).
        self.media_queued: Callable[[], None] = lambda: None
        self.by_name = {flow.name: flow for flow in self.flows}
        if len(self.by_name) != len(self.flows):
            raise ValueError("two flows share a name")

    def prime(self, messages: Sequence[Inbound]) -> None:
        """Understand the typed questions of an update before its transaction (the ask flow
        takes the result: bot/core/ahead.py). Pure work: a message that turns out to be a
        form's answer only cost the matching."""
        ahead.prime(self.services, messages)

    async def process(
        self, sess: AsyncSession, msg: Inbound, *, flow_failed: bool = False
    ) -> Processed:
        """Handle `msg` inside the caller's transaction; return the queued outbound rows and
        the contact (`contact_id`: the pipeline links the raw update to it, for a privacy
        deletion, in the statement that marks the update processed).

        A flow that raises raises FlowFailed: the caller rolls the transaction back (no
        half-writes) and calls again with `flow_failed`, which answers with an apology and the
        menu. (A savepoint around every flow cost two statements per message.)"""
        now = self.services.clock()
        contact = await queries.get_or_create_contact(
            sess,
            unit=msg.unit,
            channel=msg.channel,
            external_id=msg.user_id,
            now=now,
            display_name=msg.display_name,
            language=msg.language,
            lock=True,
            interacted=msg.kind not in NOT_THEM,
        )
        result = await self._handle(sess, msg, contact, now, flow_failed)
        result.contact_id = contact.id
        return result

    async def _handle(
        self,
        sess: AsyncSession,
        msg: Inbound,
        contact: Contact,
        now: dt.datetime,
        flow_failed: bool,
    ) -> Processed:
        unit = self.services.units[msg.unit]
        text = unicodedata.normalize("NFC", msg.text or "")
        too_long = len(text) > MAX_TEXT
        payload = msg.payload
        if payload and payload.startswith("~"):
            payload = await queries.expand_payload(sess, payload) or "stale"
        msg = Inbound(**{**msg.__dict__, "text": text[:MAX_TEXT], "payload": payload})
        if msg.group:  # staff chatter is not logged; the staff flow records what it acts on
            return await self._process_group(sess, msg, contact, now)
        if msg.kind == "agent":
            return await self._staff_wrote(sess, msg, contact, now)
        fetching = any(a.stored_id is None for a in msg.attachments)
        if msg.attachments:
            msg = await self._keep_files(sess, msg, contact, now)
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
        if msg.kind == "follow" and msg.channel in WELCOME_ON_FOLLOW:
            return await self._welcome(sess, msg, contact, now)
        if msg.kind in ("follow", "unfollow"):
            if msg.kind == "unfollow":  # blocked the bot / unfollowed: no more broadcasts
                await subscriptions.stop_all(sess, contact.id, now)
                await queries.end_relationship(sess, contact.id, now)
            return Processed([], [])  # channel events
        reads = await hot_path.context_reads(sess, contact.id, unit.key, now)
        released = []
        if reads.held:  # rare: replies held for a closed window or a quota
            released = await queries.release_held(sess, contact.id, now)
        if contact.paused_until is not None and contact.paused_until > now:
            return await self._paused(sess, msg, contact, now, released)
        state = reads.state
        was_empty = hot_path.is_empty(state)
        unit = unit_areas.with_areas(unit, reads.areas)  # edited in the console
        unit = unit_categories.with_categories(unit, reads.categories)
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
        if flow_failed:
            ctx.end()
            ctx.replies.clear()
            ctx.say_key("input.error", ctx.menu_buttons())
        else:
            try:
                await self._dispatch(ctx)
            except Exception as exc:
                log.exception("flow %s failed", ctx.state.flow or "-", extra={"unit": msg.unit})
                raise FlowFailed from exc
        if not ctx.replies:
            ctx.say_menu()
        if not (was_empty and hot_path.is_empty(ctx.state)):  # most questions keep no state
            await hot_path.save_state(sess, contact.id, ctx.state, now)
        replies = [await self._fit_payloads(sess, r, now) for r in ctx.replies]
        if fetching:  # after the commit, when the worker can see the new rows
            ctx.after_commit.append(self._media_queued)
        if released or ctx.queued:  # rare: all go through the queue, in order
            rows = await queries.add_outbound(sess, contact, replies, now)
            return Processed(
                [*released, *ctx.queued, *rows], ctx.after_commit, keep_payload=not ctx.erased
            )
        await sess.flush()  # the flow's own writes go first, as they would have
        claimed = await hot_path.add_claimed_replies(
            sess, contact, replies, now, now + CLAIM_LEASE
        )
        direct = list(zip(claimed, replies, strict=True))
        return Processed(
            [], ctx.after_commit, direct=direct, to=contact, keep_payload=not ctx.erased
        )

    async def _media_queued(self) -> None:
        self.media_queued()

    async def _keep_files(
        self, sess: AsyncSession, msg: Inbound, contact: Contact, now: dt.datetime
    ) -> Inbound:
        """A media_files row for each file (downloaded later by bot/media/worker.py); the
        message goes on with their ids, so that a form can keep them."""
        uploaded = [a.stored_id for a in msg.attachments if a.stored_id is not None]
        mine = set(await media.claim(sess, contact.id, uploaded, msg.text))
        fetch = [a for a in msg.attachments if a.stored_id is None]
        ids = iter(
            await media.queue_fetch(
                sess,
                unit=msg.unit,
                channel=msg.channel,
                contact_id=contact.id,
                attachments=fetch,
                caption=msg.text,
                now=now,
            )
        )
        kept = tuple(
            replace(a, stored_id=next(ids)) if a.stored_id is None else a
            for a in msg.attachments
            if a.stored_id is None or a.stored_id in mine
        )
        return replace(msg, attachments=kept)

    async def _staff_wrote(
        self, sess: AsyncSession, msg: Inbound, contact: Contact, now: dt.datetime
    ) -> Processed:
        """Staff answered the citizen in the channel's own app: log it, let the person talk."""
        logged = await queries.log_agent(sess, contact, msg.text, now, msg.message_id)
        if logged is not None:
            minutes = self.services.settings.zalo_human_pause_minutes
            contact.paused_until = now + dt.timedelta(minutes=minutes)
        return Processed([], [])

    async def _paused(
        self,
        sess: AsyncSession,
        msg: Inbound,
        contact: Contact,
        now: dt.datetime,
        released: list[Message],
    ) -> Processed:
        """Staff are chatting with the citizen: logged only, except the emergency numbers."""
        if self.on_emergency is None or not is_emergency(msg):
            return Processed(released, [])
        ctx = await self._context(sess, msg, contact, now)
        self.on_emergency(ctx)
        rows = await queries.add_outbound(sess, contact, ctx.replies, now)
        return Processed([*released, *rows], [])

    async def _context(
        self, sess: AsyncSession, msg: Inbound, contact: Contact, now: dt.datetime
    ) -> Context:
        """A context outside the usual dispatch (welcome, paused contact), state as stored."""
        return Context(
            msg=msg,
            unit=self.services.units[msg.unit],
            contact=contact,
            session=sess,
            services=self.services,
            state=await queries.load_state(sess, contact.id),
            now=now,
        )

    async def _welcome(
        self, sess: AsyncSession, msg: Inbound, contact: Contact, now: dt.datetime
    ) -> Processed:
        """A new follower gets the welcome and the menu; their conversation state is kept."""
        ctx = await self._context(sess, msg, contact, now)
        ctx.say_menu("menu.welcome")
        replies = [await self._fit_payloads(sess, r, now) for r in ctx.replies]
        return Processed(await queries.add_outbound(sess, contact, replies, now), [])

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
        for candidate in self.flows:  # e.g. "dừng nhận tin" works from any step
            takes_over = getattr(candidate, "takes_over", None)
            if takes_over is not None and takes_over(msg):
                ctx.end()
                await candidate.handle(ctx)
                return
        if ctx.state.flow and not msg.payload and self.on_emergency and is_emergency(msg):
            self.on_emergency(ctx)  # 114/115/113 first, then the form decides (pakn.py)
            ctx.emergency_said = True
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
        return dataclasses.replace(reply, buttons=tuple(buttons))
