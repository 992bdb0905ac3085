"""Menu entries whose conversations are not built yet: say so honestly and give the hotline."""

from __future__ import annotations

from bot.core.flow import Context


class ComingSoonFlow:
    def __init__(self, name: str) -> None:
        self.name = name

    def starts(self, ctx: Context) -> bool:
        return False  # reached only by its menu button

    async def handle(self, ctx: Context) -> None:
        ctx.end()
        ctx.say_key("feature.soon", ctx.menu_buttons())
