"""Browse the FAQ without typing: "Hỏi về thủ tục" → groups → entries of a group → the answer.

Groups come from content/browse.yaml (bot/content/browse.py). Lists are paged PAGE at a time,
so a page with its "more" button fits the 5 buttons of a Zalo OA message.
Payloads: ask:g[:<page>] the groups · ask:l:<group>:<page> a group's entries · ask:a:<entry>.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.browse import BrowseGroup
from bot.content.faq import FaqEntry
from bot.core.flow import Context, payload_number
from bot.core.messages import Button

PAGE = 4


def _page(value: str | None) -> int:
    return payload_number(value, 999) or 0


def _slice(items: Sequence[object], page: int) -> tuple[int, bool]:
    """(the page actually shown, whether a next page exists); past the end → the first page."""
    pages = max(1, -(-len(items) // PAGE))
    page = page if page < pages else 0
    return page, page + 1 < pages


def _groups(ctx: Context) -> list[tuple[BrowseGroup, list[FaqEntry]]]:
    return ctx.services.faq.browse_groups(ctx.unit.key)


def _more(ctx: Context, payload: str) -> Button:
    return Button.reply(ctx.t("ask.btn.more"), payload)


def _menu(ctx: Context) -> Button:
    return Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True)


def group_buttons(ctx: Context, page: int = 0) -> list[Button]:
    groups = _groups(ctx)
    page, more = _slice(groups, page)
    buttons = [
        Button.reply(group.label, f"ask:l:{group.key}:0")
        for group, _ in groups[page * PAGE : (page + 1) * PAGE]
    ]
    if more:
        buttons.append(_more(ctx, f"ask:g:{page + 1}"))
    return [*buttons, _menu(ctx)]


def say_groups(ctx: Context, page: int = 0) -> None:
    ctx.say_key("ask.topics", group_buttons(ctx, page))


def say_entries(ctx: Context, key: str, page: int) -> None:
    found = next(((g, es) for g, es in _groups(ctx) if g.key == key), None)
    if found is None:  # content changed since the button was sent
        say_groups(ctx)
        return
    group, entries = found
    page, more = _slice(entries, page)
    buttons = [
        Button.reply(entry.title, f"ask:a:{entry.id}")
        for entry in entries[page * PAGE : (page + 1) * PAGE]
    ]
    # "Other groups" is compact while a next page exists, and primary on the last page: where
    # only five buttons fit (Zalo OA) a way on is always shown.
    if more:
        buttons.append(_more(ctx, f"ask:l:{group.key}:{page + 1}"))
    buttons.append(Button.reply(ctx.t("ask.btn.topics"), "ask:g", compact=more))
    ctx.say_key("ask.topic_entries", [*buttons, _menu(ctx)], group=group.label)


def page_of(parts: list[str], index: int) -> int:
    return _page(parts[index] if len(parts) > index else None)
