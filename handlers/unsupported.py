"""Anything no conversation wants (stickers, voice, stray photos, emoji) gets a polite reply."""

from __future__ import annotations

from bot.core.flow import Context
from handlers.common import say_unsupported


class UnsupportedFlow:
    name = "unsupported"

    def starts(self, ctx: Context) -> bool:
        return True  # last in the list: the catch-all

    async def handle(self, ctx: Context) -> None:
        ctx.end()
        say_unsupported(ctx)


FLOW = UnsupportedFlow()
