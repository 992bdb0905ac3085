"""Free text: what the citizen wants (faq/understand.py), then the FAQ answer.

text ─understand─┬─ route ───▶ the feature (handlers/intents.py: PAKN form, lookup, …)
                 ├─ answer ──▶ entry + [online] [call] [👍] [👎] [ask staff]
                 ├─ clarify ─▶ up to 3 close entries as buttons + [none of these]
                 └─ fallback ▶ "I don't know" / "outside what we handle" + [call] [ask staff]
"ask" button ──▶ ASK/WAITING (+ groups to browse) ──text──▶ as above
ask:g[:p] groups · ask:l:<group>:<p> its entries · ask:a:<entry> its answer (ask_browse.py)
ask:e:<entry>:<qid>  chosen in a clarify    ask:none:<qid>  none fitted → fallback
ask:fb:<qid>:up|down 👍/👎                  ask:staff:<qid> hand the question to staff
"""

from __future__ import annotations

from enum import StrEnum

from bot.address import reply_for
from bot.content.faq import LOCAL_TZ
from bot.core.flow import Context, payload_number, payload_parts
from bot.core.messages import Button
from bot.db import faq_log
from bot.pakn import questions
from faq.address import old_address
from faq.intents import oos_message_key
from faq.understand import REDIRECT
from handlers import ask_browse as browse
from handlers import intents
from handlers.common import has_words, say_unsupported


class Step(StrEnum):
    WAITING = "waiting"


class AskFlow:
    name = "ask"

    def starts(self, ctx: Context) -> bool:
        return ctx.msg.kind == "text" and has_words(ctx.text)

    async def handle(self, ctx: Context) -> None:
        parts = payload_parts(ctx.payload)
        if parts == ["ask"]:
            ctx.goto(self.name, Step.WAITING)  # a typed text is the question
            ctx.say_key("ask.prompt", browse.group_buttons(ctx))
            return
        if parts[1:2] in (["g"], ["l"], ["a"]):
            ctx.goto(self.name, Step.WAITING)
            self._browse(ctx, parts)
            return
        ctx.end()
        if len(parts) >= 2:
            await self._button(ctx, parts[1], parts[2:])
            return
        if ctx.msg.kind != "text" or not has_words(ctx.text):
            say_unsupported(ctx)
            return
        await self._answer_text(ctx)

    async def _answer_address(self, ctx: Context) -> bool:
        """ "phường Bến Nghé, quận 1 giờ là phường gì" → the new address (bot/address.py)."""
        book = ctx.services.addresses
        old = old_address(ctx.text)
        if book is None or old is None:
            return False
        reply = reply_for(await book.convert(old), book.note)
        if reply is None:
            return False
        key, context = reply
        ctx.say_key(key, ctx.menu_buttons(), **context)
        return True

    async def _answer_text(self, ctx: Context) -> None:
        if await self._answer_address(ctx):
            return
        faq = ctx.services.faq
        understood = faq.understand(ctx.text, ctx.unit.key)
        if understood.intent == "emergency":  # 114/115/113 first, then what else it asks
            intents.say_emergency(ctx)
            understood = faq.understand(ctx.text, ctx.unit.key, emergency=False)
            # Guesses at a procedure are noise beside a danger ("Cháy!"): only a clear answer
            # or a feature the message asks for goes on.
            if understood.decision in ("fallback", "clarify") or understood.intent == "gibberish":
                ctx.say_menu()
                return
        match = understood.match
        if understood.decision == "route" or match is None:
            await intents.route(ctx, understood)
            return
        redirect = understood.cue == REDIRECT
        query_id = await faq_log.record_query(
            ctx.session,
            unit=ctx.unit.key,
            contact_id=ctx.contact.id,
            text=ctx.text,
            match=match,
            now=ctx.now,
            # An out-of-remit entry's answer is logged as the answer the citizen saw.
            decision="answer" if redirect else understood.decision,
        )
        if understood.answered is not None:
            self._say_entry(ctx, understood.answered.entry, query_id)
        elif redirect and understood.best is not None:
            self._say_entry(ctx, understood.best.entry, query_id)
        elif understood.decision == "clarify":
            buttons = [
                Button.reply(faq.title(c.entry), f"ask:e:{c.entry}:{query_id}")
                for c in understood.options
            ]
            buttons.append(Button.reply(ctx.t("ask.btn.none"), f"ask:none:{query_id}"))
            ctx.say_key("ask.clarify", buttons)
        elif understood.cue == "vague":
            ctx.say_key("ask.vague", ctx.menu_buttons())
        elif understood.intent == "oos":
            self._say_fallback(ctx, query_id, oos_message_key(ctx.text))
        else:
            self._say_fallback(ctx, query_id)

    def _say_entry(self, ctx: Context, entry_id: str, query_id: int | None) -> None:
        """The answer; the actions that matter (online, call) first, the rest compact."""
        faq = ctx.services.faq
        today = ctx.now.astimezone(LOCAL_TZ).date()  # the clock of the run: dated facts
        text = faq.answer(entry_id, ctx.unit, today)
        buttons: list[Button] = []
        url = faq.url(entry_id)
        if url:
            buttons.append(Button.link(ctx.t("ask.btn.online"), url))
        if ctx.unit.hotline_tel:
            buttons.append(Button.call(ctx.t("menu.btn.hotline"), ctx.unit.hotline_tel))
        if query_id is not None:
            buttons += [
                Button.reply(ctx.t(key), f"ask:{action}:{query_id}{suffix}", compact=True)
                for key, action, suffix in (
                    ("ask.btn.helpful", "fb", ":up"),
                    ("ask.btn.not_helpful", "fb", ":down"),
                    ("ask.btn.staff", "staff", ""),
                )
            ]
        else:  # opened from the topic list: back to that list
            buttons.append(Button.reply(ctx.t("ask.btn.topics"), "ask:g", compact=True))
        buttons.append(Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True))
        ctx.say(text, buttons)

    def _browse(self, ctx: Context, parts: list[str]) -> None:
        if parts[1] == "l" and len(parts) >= 3:
            browse.say_entries(ctx, parts[2], browse.page_of(parts, 3))
        elif parts[1] == "a" and len(parts) == 3 and ctx.services.faq.has(parts[2], ctx.unit.key):
            self._say_entry(ctx, parts[2], None)
        else:
            browse.say_groups(ctx, browse.page_of(parts, 2))

    def _say_fallback(self, ctx: Context, query_id: int, key: str = "ask.fallback") -> None:
        buttons = [Button.reply(ctx.t("ask.btn.staff"), f"ask:staff:{query_id}")]
        if ctx.unit.hotline_tel:
            buttons.append(Button.call(ctx.t("menu.btn.hotline"), ctx.unit.hotline_tel))
        buttons.append(Button.link(ctx.t("menu.btn.portal"), ctx.unit.portal, compact=True))
        buttons.append(Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True))
        ctx.say_key(key, buttons)

    async def _button(self, ctx: Context, action: str, args: list[str]) -> None:
        query_id = payload_number(args[-1]) if args else None
        if action == "fb" and len(args) == 2 and payload_number(args[0]) is not None:
            query_id = payload_number(args[0])
        row = (
            await faq_log.get_query(ctx.session, query_id, ctx.contact.id)
            if query_id is not None
            else None
        )
        if row is None:
            ctx.say_key("input.stale_button", ctx.menu_buttons())
            return
        if action == "e" and len(args) == 2 and ctx.services.faq.has(args[0]):
            row.chosen_entry = args[0]
            self._say_entry(ctx, args[0], row.id)
        elif action == "none":
            row.chosen_entry = "none"
            self._say_fallback(ctx, row.id)
        elif action == "fb" and args[1:2] in (["up"], ["down"]):
            row.feedback = 1 if args[1] == "up" else -1
            if row.feedback > 0:
                ctx.say_key("ask.feedback_thanks", ctx.menu_buttons())
            else:
                ctx.say_key(
                    "ask.feedback_sorry",
                    [
                        Button.reply(ctx.t("ask.btn.staff"), f"ask:staff:{row.id}"),
                        Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True),
                    ],
                )
        elif action == "staff":
            if row.handed_to_staff:  # pressed twice: tell them it is already with staff
                ctx.say_key("ask.already_with_staff", ctx.menu_buttons())
                return
            post = await questions.hand_off(ctx.session, ctx.services, row, ctx.now)
            if post is not None:
                ctx.queued.append(post)
                ctx.say_key("ask.handed_to_staff", ctx.menu_buttons())
            else:  # no staff group: the question waits in the console's inbox
                ctx.say_key("ask.handed_to_staff_later", ctx.menu_buttons())
        else:
            ctx.say_key("input.stale_button", ctx.menu_buttons())


FLOW = AskFlow()
