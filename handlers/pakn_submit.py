"""The PAKN form's last step: store the petition once, acknowledge it with its code, and the
limits that keep one contact from flooding the queue (see handlers/pakn.py)."""

from __future__ import annotations

import math

from bot.core.flow import Context
from bot.core.messages import Button
from bot.pakn import store
from bot.pakn.draft import Draft
from bot.pakn.service import MAX_PER_DAY
from handlers.pakn_steps import Step, menu_button, nav, service, texts, with_menu

FLOW = "pakn"


async def submit(ctx: Context, nonce: str) -> None:
    """Store the draft when "Gửi" is pressed (or typed) with its nonce, and say its code. The
    acknowledgement is a reply in the same transaction as the insert."""
    data = ctx.state.data
    in_confirm = ctx.state.flow == FLOW and ctx.state.step == Step.CONFIRM
    if not nonce or not in_confirm or data.get("nonce") != nonce:
        # A second press of the same "Gửi" (or a redelivered one): never a second PAKN.
        done = await store.by_idempotency_key(ctx.session, f"{ctx.contact.id}:{nonce}")
        if done is not None and done.contact_id == ctx.contact.id:
            ctx.say_key("pakn.already_sent", ctx.menu_buttons(), code=done.code)
        else:
            ctx.say_key("input.stale_button", ctx.menu_buttons())
        return
    if await limited(ctx):
        return
    result = await service(ctx).submit(
        ctx.session,
        unit=ctx.unit.key,
        channel=ctx.msg.channel,
        draft=Draft.from_data(data),
        contact_id=ctx.contact.id,
        idempotency_key=f"{ctx.contact.id}:{nonce}",
        now=ctx.now,
    )
    ctx.end()
    pakn = result.pakn
    buttons = [
        Button.reply(ctx.t("status.btn.check"), f"status:c:{pakn.code}"),
        menu_button(ctx),
    ]
    ctx.say(texts(ctx).ack_text(pakn), buttons)


async def limited(ctx: Context) -> bool:
    """Whether the contact must wait before another petition (and say so)."""
    limit = await service(ctx).submission_limit(ctx.session, ctx.contact.id, ctx.now)
    if limit is None:
        return False
    if limit.reason == "interval":
        minutes = max(1, math.ceil(limit.retry_after.total_seconds() / 60))
        keep = ctx.state.flow == FLOW
        ctx.say_key(
            "pakn.limit.interval", nav(ctx) if keep else ctx.menu_buttons(), minutes=minutes
        )
        if not keep:
            ctx.end()
        return True
    ctx.end()
    ctx.say_key("pakn.limit.daily", with_menu(ctx, []), count=MAX_PER_DAY, hours=24)
    return True
