"""Main menu, greetings, hotline and portal.

any state ──"menu" / "hủy" / "/start"──▶ (no flow) + menu
(no flow) ──greeting / thanks──▶ friendly reply + menu
payload "menu:hotline" / "menu:portal" ──▶ the number / the portal link
"""

from __future__ import annotations

from bot.core.flow import Context, payload_parts
from bot.core.messages import Button
from faq.smalltalk import classify


class MenuFlow:
    name = "menu"

    def starts(self, ctx: Context) -> bool:
        return ctx.msg.kind == "text" and classify(ctx.text) is not None

    async def handle(self, ctx: Context) -> None:
        parts = payload_parts(ctx.payload)
        was_in_flow = ctx.state.flow is not None
        ctx.end()
        if parts[1:2] == ["hotline"]:
            buttons = [Button.call(ctx.t("menu.btn.hotline"), ctx.unit.hotline_tel)]
            ctx.say_key("menu.hotline", [*buttons, Button.reply(ctx.t("menu.btn.menu"), "menu")])
            return
        if parts[1:2] == ["portal"]:
            buttons = [Button.link(ctx.t("menu.btn.portal"), ctx.unit.portal)]
            ctx.say_key("menu.portal", [*buttons, Button.reply(ctx.t("menu.btn.menu"), "menu")])
            return
        kind = classify(ctx.text) if ctx.msg.kind == "text" and not ctx.payload else None
        lowered = ctx.text.lower()
        if kind == "greeting" or lowered.startswith("/start") or lowered in ("start", "bắt đầu"):
            ctx.say_menu("menu.welcome")
        elif kind in ("thanks", "bye", "praise"):
            ctx.say_key(f"smalltalk.{kind}")
            ctx.say_menu()
        elif was_in_flow and ctx.text:
            ctx.say_key("menu.cancelled")
            ctx.say_menu()
        else:
            ctx.say_menu("menu.welcome" if not ctx.payload else "menu.again")


FLOW = MenuFlow()
