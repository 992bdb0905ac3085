"""Main menu, greetings, hotline and portal.

any state ──"menu" / "hủy" / "/start"──▶ (no flow) + menu ("Đã hủy" first for "hủy", or when a
                                         PAKN draft is dropped)
(no flow) ──greeting / thanks──▶ friendly reply + menu
(no flow) ──"bot ngu quá"──▶ one calm line + menu
payload "menu:hotline" / "menu:portal" ──▶ the number / the portal link
"""

from __future__ import annotations

import unicodedata

from bot.core.flow import Context, payload_parts
from bot.core.messages import Button
from faq.normalize import fold
from faq.smalltalk import classify

# "menu" means "show the menu"; only these words, or leaving a form with the citizen's input in
# it, are told "Đã hủy".
CANCEL_WORDS = frozenset({"huy", "/cancel", "/huy", "thoat"})
DRAFT_FLOWS = frozenset({"pakn"})


def _folded(text: str) -> str:
    return fold(unicodedata.normalize("NFC", text)).strip().rstrip("!. ")


def menu_button(ctx: Context) -> Button:
    return Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True)


class MenuFlow:
    name = "menu"

    def starts(self, ctx: Context) -> bool:
        return ctx.msg.kind == "text" and classify(ctx.text) is not None

    async def handle(self, ctx: Context) -> None:
        parts = payload_parts(ctx.payload)
        left = ctx.state.flow
        ctx.end()
        if parts[1:2] == ["hotline"]:
            buttons = [Button.call(ctx.t("menu.btn.hotline"), ctx.unit.hotline_tel)]
            ctx.say_key("menu.hotline", [*buttons, menu_button(ctx)])
            return
        if parts[1:2] == ["portal"]:
            buttons = [Button.link(ctx.t("menu.btn.portal"), ctx.unit.portal)]
            ctx.say_key("menu.portal", [*buttons, menu_button(ctx)])
            return
        kind = classify(ctx.text) if ctx.msg.kind == "text" and not ctx.payload else None
        lowered = ctx.text.lower()
        if kind == "greeting" or lowered.startswith("/start") or lowered in ("start", "bắt đầu"):
            ctx.say_menu("menu.welcome")
        elif kind in ("thanks", "bye", "praise"):
            ctx.say_key(f"smalltalk.{kind}")
            ctx.say_menu()
        elif kind == "insult":  # "bot ngu quá": the calm line of the abuse intent, not "Xin chào"
            ctx.say_key("intent.abuse", ctx.menu_buttons())
        elif left and ctx.text and (left in DRAFT_FLOWS or _folded(lowered) in CANCEL_WORDS):
            ctx.say_key("menu.cancelled")  # "hủy" said, or a half-written form dropped
            ctx.say_menu()
        else:
            ctx.say_menu("menu.welcome" if not ctx.payload else "menu.again")


FLOW = MenuFlow()
