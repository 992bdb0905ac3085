"""The unit's staff group (Telegram): work PAKN without the console.

    new PAKN ──post──▶ card [Nhận xử lý] [Trả lời] [Chuyển] [Từ chối]
    Nhận xử lý        ──▶ received → in_progress, assignee = the staff member
    Trả lời / Chuyển / Từ chối ──▶ a prompt; the staff member REPLIES to the prompt with the
                                  answer / the competent body / the reason
    reply to a card   ──▶ the reply is the answer to the citizen
    /ds               ──▶ open PAKN, most urgent first
Anything else said in the group is ignored (the bot stays quiet).
Membership of the group is the authorisation: the unit's admins decide who is in it.
"""

from __future__ import annotations

from bot.core.actors import Actor
from bot.core.flow import Context, payload_number, payload_parts
from bot.core.messages import Reply
from bot.db.models import FaqQuery
from bot.db.models_pakn import Pakn
from bot.pakn import questions, staff_group, store
from bot.pakn.service import OPEN_STATES, PaknService, PaknState, TransitionError

PROMPTS = {"ans": "answer", "fwd": "forward", "rej": "reject"}
LIST_COMMANDS = {"/ds", "/danhsach", "/list"}
DRAFT_COMMANDS = {"/nhap", "/draft"}
MIN_ANSWER = 10


def _actor(ctx: Context) -> Actor:
    return Actor(
        f"tg:{ctx.msg.sender_id}",
        "staff",
        frozenset({ctx.unit.key}),
        display_name=ctx.msg.display_name or "",
    )


class StaffFlow:
    name = "staff"

    def starts(self, ctx: Context) -> bool:
        return False  # only group messages reach it (engine routes them here)

    async def handle(self, ctx: Context) -> None:
        if not ctx.msg.group:
            # A forged "staff:…" payload from a citizen's private chat: never act on it.
            ctx.say_key("input.stale_button", ctx.menu_buttons())
            return
        if ctx.msg.kind != "button" and self._command(ctx.text) in DRAFT_COMMANDS:
            await self._draft(ctx)
            return
        service = ctx.services.pakn
        if service is None:
            return
        if ctx.msg.kind == "button":
            await self._button(ctx, service)
        elif ctx.text.split("@")[0].lower() in LIST_COMMANDS:
            await self._list(ctx, service)
        elif ctx.msg.reply_to and ctx.text:
            await self._reply(ctx, service)

    async def _pakn(self, ctx: Context, pakn_id: str) -> Pakn | None:
        number = payload_number(pakn_id)
        pakn = await store.get(ctx.session, number) if number is not None else None
        return pakn if pakn is not None and pakn.unit == ctx.unit.key else None

    async def _button(self, ctx: Context, service: PaknService) -> None:
        parts = payload_parts(ctx.payload)
        if len(parts) != 3:
            return
        pakn = await self._pakn(ctx, parts[2])
        if pakn is None:
            ctx.say_key("staff.not_found")
            return
        actor = _actor(ctx)
        name = actor.display_name or actor.name
        if parts[1] == "take":
            try:
                if pakn.state == PaknState.NEW:
                    await service.receive(ctx.session, pakn, actor, ctx.now)
                await service.start(ctx.session, pakn, actor, ctx.now)
            except TransitionError:
                self._say_state(ctx, pakn)
                return
            self._confirm(ctx, "staff.taken", name=name, code=pakn.code, due=self._due(ctx, pakn))
            ctx.queued.extend(
                await staff_group.refresh_cards(ctx.session, ctx.services, pakn, ctx.now)
            )
        elif parts[1] in PROMPTS:
            if pakn.state not in {s.value for s in OPEN_STATES}:
                self._say_state(ctx, pakn)
                return
            action = PROMPTS[parts[1]]
            tx = staff_group.texts(ctx.services, pakn.unit)
            row = await staff_group.queue_post(
                ctx.session,
                ctx.services,
                pakn.unit,
                Reply(
                    tx.t(f"staff.prompt.{action}", code=pakn.code, name=name),
                    reply_to=ctx.msg.message_id,  # under the card
                    force_reply=True,  # the member's app opens a reply to the prompt
                ),
                pakn.id,
                action,
                ctx.now,
            )
            if row is not None:
                ctx.queued.append(row)

    async def _reply(self, ctx: Context, service: PaknService) -> None:
        assert ctx.msg.reply_to is not None
        post = await staff_group.post_for_reply(ctx.session, ctx.contact.id, ctx.msg.reply_to)
        if post is None:
            return  # a reply to something else: not ours to act on
        if post.faq_query_id is not None:
            await self._answer_question(ctx, post.faq_query_id)
            return
        if post.pakn_id is None:
            return
        pakn = await store.get(ctx.session, post.pakn_id)
        if pakn is None:
            ctx.say_key("staff.not_found")
            return
        action = "answer" if post.action in ("card", "alert", "photos") else post.action
        text = ctx.text.strip()
        if action == "answer" and len(text) < MIN_ANSWER:
            ctx.say_key("staff.answer_too_short", code=pakn.code)
            return
        actor = _actor(ctx)
        try:
            if pakn.state == PaknState.NEW:
                await service.receive(ctx.session, pakn, actor, ctx.now)
            if action == "answer":
                await service.answer(ctx.session, pakn, actor, ctx.now, text)
            elif action == "forward":
                await service.forward(ctx.session, pakn, actor, ctx.now, text)
            elif action == "reject":
                await service.reject(ctx.session, pakn, actor, ctx.now, text)
            else:
                return
        except TransitionError:
            self._say_state(ctx, pakn)
            return
        name = actor.display_name or actor.name
        self._confirm(ctx, f"staff.done.{action}", code=pakn.code, name=name)
        ctx.queued.extend(
            await staff_group.refresh_cards(ctx.session, ctx.services, pakn, ctx.now)
        )

    async def _answer_question(self, ctx: Context, query_id: int) -> None:
        """A staff member's reply to a handed-off question goes to the citizen who asked (the
        same record as the console's inbox: answered here, done there)."""
        query = await ctx.session.get(FaqQuery, query_id)
        text = ctx.text.strip()
        if query is None:
            ctx.say_key("staff.question_gone")
            return
        if len(text) < MIN_ANSWER:
            ctx.say_key("staff.answer_too_short", code="câu hỏi")
            return
        name = ctx.msg.display_name or f"tg:{ctx.msg.sender_id}"
        try:
            rows = await questions.answer(
                ctx.session, ctx.services, query, text[: questions.ANSWER_MAX], name, ctx.now
            )
        except questions.AlreadyAnswered as exc:
            ctx.say_key("staff.question_already_answered", name=exc.by or "—")
            return
        except questions.Unreachable:
            ctx.say_key("staff.question_gone")
            return
        ctx.queued.extend(rows)
        ctx.say_key("staff.question_answered", name=name)

    async def _list(self, ctx: Context, service: PaknService) -> None:
        alerts = {
            a.pakn_id: a for a in await service.due_alerts(ctx.session, ctx.now, unit=ctx.unit.key)
        }
        open_ones = await store.open_with_deadlines(
            ctx.session, [s.value for s in OPEN_STATES], ctx.unit.key
        )
        if not open_ones:
            ctx.say_key("staff.list_empty")
            return
        tx = staff_group.texts(ctx.services, ctx.unit.key)
        open_ones.sort(key=lambda p: p.due_at)
        lines = []
        for pakn in open_ones[:30]:
            alert = alerts.get(pakn.id)
            flag = "🔴" if alert and alert.due_state == "overdue" else "🟡" if alert else "⚪"
            lines.append(f"{flag} {pakn.code} · {tx.state(pakn.state)} · {tx.date(pakn.due_at)}")
        ctx.say_key("staff.list", count=len(open_ones), lines="\n".join(lines))

    def _due(self, ctx: Context, pakn: Pakn) -> str:
        return staff_group.texts(ctx.services, pakn.unit).date(pakn.due_at)

    @staticmethod
    def _command(text: str) -> str:
        """ "/nhap@LoaXaBot nội dung" -> "/nhap"."""
        words = text.split(maxsplit=1)
        return words[0].split("@")[0].lower() if words else ""

    async def _draft(self, ctx: Context) -> None:
        """`/nhap <text>` (or /draft): a campaign draft of the unit, the member as author."""
        from bot.campaigns.calendar import guess_topics
        from bot.campaigns.service import CampaignError, CampaignService
        from bot.campaigns.topics import cached_catalog
        from bot.db import audit

        parts = ctx.text.split(maxsplit=1)
        text = parts[1].strip() if len(parts) > 1 else ""
        if not text:
            ctx.say_key("staff.draft_usage")
            return
        services = ctx.services
        catalog = cached_catalog(services.settings.content_dir)
        campaigns = CampaignService(services.units, services.messages, catalog, services.clock)
        actor = _actor(ctx)
        title = text.splitlines()[0].strip()
        try:
            draft = await campaigns.create_draft(
                ctx.session,
                actor,
                unit=ctx.unit.key,
                title=title if len(title) <= 80 else title[:79] + "…",
                template=text,
                topics=guess_topics(text, catalog),
                note="bản nháp từ nhóm cán bộ (Telegram)",
            )
        except CampaignError:
            ctx.say_key("staff.draft_usage")
            return
        await audit.record(
            ctx.session, actor, "campaign.create", f"campaign:{draft.id}", unit=ctx.unit.key,
            detail={"source": "staff_group"}, now=ctx.now,
        )  # fmt: skip
        base = services.settings.public_url.rstrip("/")
        link = f"{base}/console/campaigns/{draft.id}" if base else ""
        ctx.say_key(
            "staff.draft_created", campaign_id=draft.id, campaign_title=draft.title,
            console_link=link, name=actor.display_name or actor.name,
        )  # fmt: skip

    @staticmethod
    def _confirm(ctx: Context, key: str, **context: object) -> None:
        """A confirmation threaded under the message acted on (the card, or the reply)."""
        ctx.replies.append(Reply(ctx.t(key, **context), reply_to=ctx.msg.message_id))

    def _say_state(self, ctx: Context, pakn: Pakn) -> None:
        tx = staff_group.texts(ctx.services, pakn.unit)
        ctx.say_key("staff.wrong_state", code=pakn.code, state=tx.state(pakn.state))


FLOW = StaffFlow()
