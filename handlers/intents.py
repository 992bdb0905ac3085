"""What the bot does with an intent recognised in free text (faq/understand.py).

route ─┬─ emergency ─▶ 114 / 115 / 113 first (the engine also says it inside any form)
       ├─ pakn ──────▶ the PAKN form, the message as its content (REVIEW) or empty
       ├─ complaint ─▶ the citizen reception office (khiếu nại, tố cáo)
       ├─ status ────▶ the lookup, with the code found in the text
       ├─ subscribe / unsubscribe / privacy ─▶ their screens
       ├─ contact ───▶ hotline, address, hours (or what is not published yet)
       ├─ greeting ──▶ the menu (help: what the bot can do)
       └─ abuse / gibberish ─▶ one calm line and the menu
fallback (oos) ─▶ an honest "outside what we handle here" + hotline + portal
"""

from __future__ import annotations

from bot.core.flow import Context
from bot.core.messages import Button
from faq.intents import asks_for_help, pakn_content, wants_deletion
from faq.understand import Understanding
from handlers import pakn, pakn_status, privacy, subscribe
from handlers.pakn_steps import say_complaint

EMERGENCY_NUMBERS = ("114", "115", "113")


def emergency_buttons(ctx: Context) -> list[Button]:
    return [Button.call(ctx.t(f"intent.btn.call_{n}"), n) for n in EMERGENCY_NUMBERS]


def say_emergency(ctx: Context) -> None:
    ctx.say_key("intent.emergency", emergency_buttons(ctx))


async def route(ctx: Context, u: Understanding) -> None:
    intent = u.intent
    if intent == "emergency":
        ctx.end()
        say_emergency(ctx)
        ctx.say_menu()
    elif intent == "status":
        await pakn_status.FLOW.start_with(ctx, u.code)
    elif intent == "pakn":
        await pakn.FLOW.start_with(ctx, pakn_content(ctx.text), u.category)
    elif intent == "complaint":
        ctx.end()
        say_complaint(ctx, in_form=False)
    elif intent in ("subscribe", "unsubscribe"):
        await subscribe.FLOW.start_with(ctx, stop=intent == "unsubscribe")
    elif intent == "privacy":
        await privacy.FLOW.start_with(ctx, delete=wants_deletion(ctx.text))
    elif intent == "contact":
        ctx.end()
        say_contact(ctx)
    elif intent == "greeting":
        ctx.end()
        if asks_for_help(ctx.text):
            ctx.say_key("intent.help", ctx.menu_buttons())
        else:
            ctx.say_menu("menu.welcome")
    elif intent == "abuse":
        ctx.end()
        ctx.say_key("intent.abuse", ctx.menu_buttons())
    else:  # gibberish, or anything new
        ctx.end()
        ctx.say_key("intent.gibberish", ctx.menu_buttons())


def say_contact(ctx: Context) -> None:
    buttons: list[Button] = []
    if ctx.unit.hotline_tel:
        buttons.append(Button.call(ctx.t("menu.btn.hotline"), ctx.unit.hotline_tel))
    buttons.append(Button.link(ctx.t("menu.btn.portal"), ctx.unit.portal))
    buttons.append(Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True))
    ctx.say_key("intent.contact", buttons)
