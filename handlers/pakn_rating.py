"""Rate the answer to a PAKN (1-5), then an optional comment. Diagram: docs/conversations/rate.mmd.

answered notification / status ─"rate:<code>:<n>"─▶ stored ─▶ COMMENT ─text─▶ thanks
                                                                  └─"rate:skip"─▶ thanks
A command or another request in COMMENT ("tra cứu PA-…", "/stop") is not taken as the comment:
the flow hands it back to the engine, which starts the flow it asks for.
Only the submitter (same contact) of an answered or closed PAKN can rate, once.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.flow import Context, payload_number, payload_parts
from bot.core.messages import Button
from bot.pakn import store
from bot.pakn.codes import normalize_code
from handlers.common import is_request
from handlers.pakn_steps import is_back, service


class Step(StrEnum):
    COMMENT = "comment"


class RatingFlow:
    name = "rate"

    def starts(self, ctx: Context) -> bool:
        return False  # reached by its buttons only

    async def handle(self, ctx: Context) -> None:
        parts = payload_parts(ctx.payload)
        rating = payload_number(parts[2]) if len(parts) == 3 else None
        if rating is not None:
            await self._rate(ctx, parts[1], rating)
            return
        if parts[1:2] == ["skip"] or is_back(ctx) or ctx.state.flow != self.name:
            ctx.end()
            ctx.say_key("rate.thanks", ctx.menu_buttons())
            return
        if ctx.msg.kind != "text" or not ctx.text:
            ctx.say_key("rate.ask_comment", self._skip(ctx), rating=ctx.state.data.get("n", ""))
            return
        if is_request(ctx.text):  # "tra cứu PA-…", "/stop": not a comment; the rating stays
            ctx.hand_back()
            return
        pakn = await store.by_code(ctx.session, ctx.unit.key, str(ctx.state.data.get("code")))
        if pakn is not None:
            await service(ctx).comment(ctx.session, pakn, ctx.contact.id, ctx.text, ctx.now)
        ctx.end()
        ctx.say_key("rate.thanks", ctx.menu_buttons())

    def _skip(self, ctx: Context) -> list[Button]:
        return [
            Button.reply(ctx.t("rate.btn.skip"), "rate:skip"),
            Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True),
        ]

    async def _rate(self, ctx: Context, raw_code: str, rating: int) -> None:
        ctx.end()
        code = normalize_code(raw_code) or raw_code
        pakn = await store.by_code(ctx.session, ctx.unit.key, code)
        if pakn is None or pakn.contact_id != ctx.contact.id:
            ctx.say_key("rate.not_allowed", ctx.menu_buttons())
            return
        if pakn.rating is not None:
            ctx.say_key("rate.already", ctx.menu_buttons(), code=pakn.code)
            return
        if not await service(ctx).rate(ctx.session, pakn, ctx.contact.id, rating, ctx.now):
            ctx.say_key("rate.not_allowed", ctx.menu_buttons())
            return
        ctx.goto(self.name, Step.COMMENT, code=pakn.code, n=rating)
        ctx.say_key("rate.ask_comment", self._skip(ctx), rating=rating)


FLOW = RatingFlow()
