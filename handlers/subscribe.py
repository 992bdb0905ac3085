"""Subscriptions to the unit's news (diagram: docs/conversations/sub.mmd). Stateless: every
screen is built from the stored choices, so buttons keep working after a restart.

payload "sub" / "đăng ký nhận tin" ─▶ topics with ✅/⬜ toggles + [Xong]
"sub:t:<topic>"  toggle a topic ─▶ one short line + the updated toggles
"sub:areas[:p]" / "chọn ấp"  the unit's areas, 3 a page; "sub:a:<i>:<p>" toggles area i
"sub:stop" / "dừng nhận tin" / "dung nhan tin" / "/stop" ─▶ every subscription removed
"sub:done"       ─▶ summary + menu
Nobody is sent a broadcast without a topic here (bot/campaigns/subscriptions.py).
"""

from __future__ import annotations

import re

from bot.campaigns import subscriptions as subs
from bot.campaigns.topics import Catalog, cached_catalog
from bot.core.flow import Context, payload_number, payload_parts
from bot.core.messages import Button, Inbound
from faq.normalize import fold

STOP_PHRASES = frozenset(
    {"dung nhan tin", "ngung nhan tin", "huy nhan tin", "tat nhan tin", "khong nhan tin nua"}
    | {"huy dang ky", "huy dang ky nhan tin", "dung dang ky", "/stop", "stop", "/unsubscribe"}
)
AREA_PHRASES = frozenset({"chon ap", "chon khu pho", "chon ap khu pho", "/ap"})
START_PHRASES = frozenset(
    {"dang ky nhan tin", "nhan tin tuc", "nhan thong bao", "dang ky nhan thong bao"}
    | {"/sub", "/subscribe", "/nhantin", "chu de nhan tin", "doi chu de nhan tin"}
)
_PUNCT = re.compile(r"[^\w/ ]+")
_SPACES = re.compile(r"\s+")
AREAS_PER_PAGE = 3  # + next + back: Zalo OA shows at most 5 buttons per message


def command(text: str) -> str:
    folded = fold(text.lower()).replace("_", " ")
    return _SPACES.sub(" ", _PUNCT.sub(" ", folded)).strip()


class SubscribeFlow:
    name = "sub"

    def takes_over(self, msg: Inbound) -> bool:
        """ "dừng nhận tin" / "/stop" ends any form and unsubscribes, from any step."""
        return msg.kind == "text" and command(msg.text) in STOP_PHRASES

    def starts(self, ctx: Context) -> bool:
        return (
            ctx.msg.kind == "text"
            and command(ctx.text) in STOP_PHRASES | START_PHRASES | AREA_PHRASES
        )

    async def handle(self, ctx: Context) -> None:
        ctx.end()  # no state: every screen comes from the stored choices
        parts = payload_parts(ctx.payload)
        action = parts[1] if len(parts) > 1 else ""
        catalog = cached_catalog(ctx.services.settings.content_dir)
        if action == "stop" or (not parts and command(ctx.text) in STOP_PHRASES):
            await self._stop(ctx)
        elif action == "t" and len(parts) > 2 and self._offered(ctx, catalog, parts[2]):
            on = await subs.toggle(ctx.session, ctx.contact, subs.TOPIC, parts[2], ctx.now)
            topic = catalog.topic(parts[2])
            assert topic is not None
            change = f"{ctx.t('sub.turned_on' if on else 'sub.turned_off')} {topic.label}"
            choices = await subs.choices(ctx.session, ctx.contact.id)
            if on and topic.by_area and ctx.unit.areas and not choices.areas:
                await self._areas(ctx, f"{change}\n{ctx.t('sub.area_needed')}")
            else:  # one short line and the updated keyboard, not the whole screen again
                toggles = self._toggles(ctx, catalog, choices)
                ctx.say_in_place(f"{change}\n{ctx.t('sub.toggle_hint')}", toggles)
        elif action == "areas" or (not parts and command(ctx.text) in AREA_PHRASES):
            page = (payload_number(parts[2], 999) or 0) if len(parts) > 2 else 0
            await self._areas(ctx, page=page)
        elif action == "a" and len(parts) > 2 and payload_number(parts[2]) is not None:
            index = payload_number(parts[2]) or 0
            page = (payload_number(parts[3], 999) or 0) if len(parts) > 3 else 0
            if index < len(ctx.unit.areas):
                area = ctx.unit.areas[index]
                on = await subs.toggle(ctx.session, ctx.contact, subs.AREA, area, ctx.now)
                key = "sub.turned_on" if on else "sub.turned_off"
                await self._areas(ctx, f"{ctx.t(key)} {area}", page)
            else:
                await self._areas(ctx)
        elif action == "done":
            choices = await subs.choices(ctx.session, ctx.contact.id)
            ctx.say(self._summary(ctx, catalog, choices))
            ctx.say_menu()
        else:
            await self._overview(ctx, catalog)

    async def start_with(self, ctx: Context, *, stop: bool) -> None:
        """From free text: the topics screen, or stop everything."""
        ctx.end()
        if stop:
            await self._stop(ctx)
        else:
            await self._overview(ctx, cached_catalog(ctx.services.settings.content_dir))

    async def _overview(self, ctx: Context, catalog: Catalog, first_line: str = "") -> None:
        """One message whose buttons are the topics and "Xong": Zalo OA shows at most 5 buttons
        and Zalo Bot numbers only the last message's buttons, so stop / menu / areas are typed."""
        choices = await subs.choices(ctx.session, ctx.contact.id)
        lines = [first_line] if first_line else []
        lines += [ctx.t("sub.intro"), self._summary(ctx, catalog, choices), ctx.t("sub.hint")]
        if ctx.unit.areas:
            lines.append(ctx.t("sub.hint_areas"))
        ctx.say("\n\n".join(lines), self._toggles(ctx, catalog, choices))

    def _toggles(self, ctx: Context, catalog: Catalog, choices: subs.Choices) -> list[Button]:
        """A toggle per topic, then "Xong" (compact: where only 5 buttons fit, the topics win)."""
        toggles = [
            Button.reply(
                f"{'✅' if t.key in choices.topics else '⬜'} {t.label}", f"sub:t:{t.key}"
            )
            for t in catalog.topics
            if not t.by_area or ctx.unit.areas  # "Tin của ấp/khu phố" only where areas exist
        ]
        return [*toggles, Button.reply(ctx.t("sub.btn.done"), "sub:done", compact=True)]

    async def _areas(self, ctx: Context, first_line: str = "", page: int = 0) -> None:
        """The unit's areas, AREAS_PER_PAGE at a time, + [next page] + [back to topics]."""
        choices = await subs.choices(ctx.session, ctx.contact.id)
        areas = list(enumerate(ctx.unit.areas))
        pages = max(1, -(-len(areas) // AREAS_PER_PAGE))
        page = page % pages
        shown = areas[page * AREAS_PER_PAGE : (page + 1) * AREAS_PER_PAGE]
        buttons = [
            Button.reply(f"{'✅' if a in choices.areas else '⬜'} {a}", f"sub:a:{i}:{page}")
            for i, a in shown
        ]
        if pages > 1:
            buttons.append(Button.reply(ctx.t("sub.btn.next"), f"sub:areas:{page + 1}"))
        buttons.append(Button.reply(ctx.t("sub.btn.back"), "sub"))
        text = ctx.t("sub.areas_intro")
        ctx.say_in_place(f"{first_line}\n\n{text}" if first_line else text, buttons)

    @staticmethod
    def _offered(ctx: Context, catalog: Catalog, key: str) -> bool:
        topic = catalog.topic(key)
        return topic is not None and (not topic.by_area or bool(ctx.unit.areas))

    def _summary(self, ctx: Context, catalog: Catalog, choices: subs.Choices) -> str:
        if not choices.any:
            return ctx.t("sub.none")
        labels = [t.label for t in catalog.topics if t.key in choices.topics]
        text = ctx.t("sub.current") + "\n" + "\n".join(f"• {label}" for label in labels)
        if choices.areas:
            areas = [a for a in ctx.unit.areas if a in choices.areas]
            text += "\n" + ctx.t("sub.current_areas") + " " + ", ".join(areas)
        return text

    async def _stop(self, ctx: Context) -> None:
        removed = await subs.stop_all(ctx.session, ctx.contact.id, ctx.now)
        key = "sub.stopped" if removed else "sub.stop_nothing"
        ctx.say_key(
            key,
            [
                Button.reply(ctx.t("sub.btn.again"), "sub"),
                Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True),
            ],
        )


FLOW = SubscribeFlow()
