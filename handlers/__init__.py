"""The conversations, registered here and only here, in dispatch order.

The engine (bot/core/engine.py) routes a button payload "name:…" to the flow called `name`,
a message to the flow the contact is in, and otherwise to the first flow whose `starts()` is
true — so the order below matters: specific first, the catch-all last.
"""

from __future__ import annotations

from bot.core.flow import Context, Flow
from handlers import (
    ask,
    intents,
    menu,
    pakn,
    pakn_rating,
    pakn_status,
    privacy,
    staff,
    subscribe,
    unsupported,
)


def all_flows() -> list[Flow]:
    return [
        menu.FLOW,  # greetings, thanks, "menu", "hủy"
        privacy.FLOW,  # "dữ liệu của tôi", "xóa dữ liệu" (exact phrases only)
        pakn.FLOW,  # send a PAKN: its button, "gửi phản ánh", "khiếu nại"/"tố cáo" (redirect)
        pakn_status.FLOW,  # look up a PAKN: its button, "tra cứu", a pasted code
        pakn_rating.FLOW,  # rate:<code>:<n> buttons after an answer
        subscribe.FLOW,  # "sub" buttons, "dừng nhận tin", "/stop", "đăng ký nhận tin"
        ask.FLOW,  # any other text is a question
        unsupported.FLOW,  # stickers, voice, stray files: polite reply + menu
        staff.FLOW,  # staff group chats only (the engine routes group messages here)
    ]


def on_emergency(ctx: Context) -> None:
    """Given to the engine: the 114/115/113 line said inside any form."""
    intents.say_emergency(ctx)
