"""Look up a PAKN by its code. Diagram: docs/conversations/status.mmd.

"status" ─▶ CODE (own PAKNs as buttons) ─code─┬─ own PAKN ─────────────▶ status (+ rating buttons)
                                              └─ else ─▶ PHONE ─match─▶ status
                                                              └─ no match ─▶ "not found", PHONE
In PHONE a code (PA-…) looks that code up instead; a wrong phone keeps the code, so the next
(right) number is checked against it, never read as a code. A text with fewer than 6 digits
is no attempt at a phone ("giá vàng hôm nay", a petition): it is handed back and answered as a
new message. So is, in CODE, a text that is no attempt at a code (words without digits).
A pasted code (PA-…) starts it too. The answer to "not found" is the same whether the code
exists or the phone differs (the code alone is not a secret); failed tries are limited per
contact (bot.pakn.service.MAX_FAILED_LOOKUPS per LOOKUP_WINDOW) and wrong phones per code,
whoever tries (MAX_FAILED_PER_CODE): a new chat session gets no new guesses.
Payloads: status, status:c:<code>.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.flow import Context, payload_parts
from bot.core.messages import Button
from bot.db.models_pakn import Pakn
from bot.pakn import store
from bot.pakn.codes import normalize_code, validate
from bot.pakn.phone import parse_vn_phone
from bot.pakn.service import LOOKUP_WINDOW, MAX_FAILED_LOOKUPS, MAX_FAILED_PER_CODE
from handlers.pakn_steps import folded, is_back, menu_button, texts

START_PHRASES = frozenset({"tra cuu", "tra cuu phan anh", "/status", "/tracuu", "xem phan anh"})


class Step(StrEnum):
    CODE = "code"
    PHONE = "phone"


class StatusFlow:
    name = "status"

    def starts(self, ctx: Context) -> bool:
        if ctx.msg.kind != "text":
            return False
        text = ctx.text
        return folded(text) in START_PHRASES or (len(text) <= 24 and validate(text))

    async def handle(self, ctx: Context) -> None:
        parts = payload_parts(ctx.payload)
        if parts[1:2] == ["c"] and len(parts) == 3:
            await self._lookup(ctx, parts[2])
            return
        if parts == ["status"] or ctx.state.flow != self.name:
            if not parts and validate(ctx.text):
                await self._lookup(ctx, ctx.text)
                return
            await self._start(ctx)
            return
        if is_back(ctx) and ctx.state.step == Step.PHONE:
            await self._start(ctx)
            return
        if ctx.msg.kind != "text" or not ctx.text:
            ctx.say_key("status.ask_code", [menu_button(ctx)])
            return
        if ctx.state.step == Step.PHONE and len(ctx.text) <= 24 and validate(ctx.text):
            await self._lookup(ctx, ctx.text)  # another code instead of the phone
        elif ctx.state.step == Step.PHONE and not _could_be_phone(ctx.text):
            ctx.hand_back()  # "giá vàng hôm nay", a petition …: answered as a new message
        elif ctx.state.step == Step.PHONE:
            await self._check_phone(ctx)
        elif not _could_be_code(ctx.text):
            ctx.hand_back()  # "thời tiết mai thế nào" where a code was asked: a new message
        else:
            await self._lookup(ctx, ctx.text)

    async def start_with(self, ctx: Context, code: str | None) -> None:
        """From free text: look the code up, or ask for it ("phản ánh của tôi tới đâu rồi")."""
        ctx.end()
        if code:
            await self._lookup(ctx, code)
        else:
            await self._start(ctx)

    async def _start(self, ctx: Context) -> None:
        ctx.end()
        if await self._blocked(ctx):
            return
        ctx.goto(self.name, Step.CODE)
        mine = await store.for_contact(ctx.session, ctx.contact.id, limit=5)
        buttons = [Button.reply(p.code, f"status:c:{p.code}") for p in mine]
        key = "status.ask_code_mine" if mine else "status.ask_code"
        ctx.say_key(key, [*buttons, menu_button(ctx)])

    async def _blocked(self, ctx: Context) -> bool:
        since = ctx.now - LOOKUP_WINDOW
        if (
            await store.failed_lookups_since(ctx.session, ctx.contact.id, since)
            < MAX_FAILED_LOOKUPS
        ):
            return False
        ctx.end()
        ctx.say_key("status.too_many", ctx.menu_buttons())
        return True

    async def _fail(
        self, ctx: Context, key: str, tried: str | None = None, **context: str
    ) -> None:
        await store.record_lookup(ctx.session, ctx.contact.id, False, ctx.now, code=tried)
        if await self._blocked(ctx):
            return
        ctx.goto(self.name, Step.CODE)
        ctx.say_key(key, [menu_button(ctx)], **context)

    async def _lookup(self, ctx: Context, typed: str) -> None:
        if await self._blocked(ctx):
            return
        code = normalize_code(typed)
        if code is None:
            await self._fail(ctx, "status.bad_format")
            return
        if not validate(code):
            await self._fail(ctx, "status.bad_check")
            return
        pakn = await store.by_code(ctx.session, ctx.unit.key, code)
        if pakn is not None and pakn.contact_id == ctx.contact.id:
            self._show(ctx, pakn, owner=True)
            return
        ctx.goto(self.name, Step.PHONE, code=code)
        ctx.say_key("status.ask_phone", self._phone_buttons(ctx))

    def _phone_buttons(self, ctx: Context) -> list[Button]:
        return [Button.reply(ctx.t("status.btn.other"), "status"), menu_button(ctx)]

    async def _check_phone(self, ctx: Context) -> None:
        phone = parse_vn_phone(ctx.text)
        if phone is None:
            ctx.say_key("status.phone_invalid", [menu_button(ctx)])
            return
        code = str(ctx.state.data.get("code", ""))
        since = ctx.now - LOOKUP_WINDOW
        if await store.failed_lookups_of_code(ctx.session, code, since) >= MAX_FAILED_PER_CODE:
            ctx.end()  # checked before the phone is compared: no answer tells right from wrong
            ctx.say_key("status.too_many", ctx.menu_buttons())
            return
        pakn = await store.by_code(ctx.session, ctx.unit.key, code)
        if pakn is None or pakn.phone is None or pakn.phone != phone:
            await store.record_lookup(ctx.session, ctx.contact.id, False, ctx.now, code=code)
            if await self._blocked(ctx):
                return
            # Still waiting for a phone for this code: the next (right) number is not a code.
            ctx.goto(self.name, Step.PHONE, code=code)
            ctx.say_key("status.not_found", self._phone_buttons(ctx), code=code)
            return
        await store.record_lookup(ctx.session, ctx.contact.id, True, ctx.now)
        self._show(ctx, pakn, owner=pakn.contact_id == ctx.contact.id)

    def _show(self, ctx: Context, pakn: Pakn, *, owner: bool) -> None:
        ctx.end()
        tx = texts(ctx)
        buttons: list[Button] = []
        can_rate = owner and pakn.state in ("answered", "closed") and pakn.rating is None
        if can_rate:
            buttons = tx.rating_buttons(pakn.code)
        other = Button.reply(ctx.t("status.btn.other"), "status", compact=True)
        buttons += [other, menu_button(ctx)]
        ctx.say(tx.status_text(pakn, owner=owner), buttons)


FLOW = StatusFlow()


MIN_PHONE_DIGITS = 6  # fewer digits than this is no attempt at a phone number (9–11)


def _could_be_code(text: str) -> bool:
    """A try at a code ("PA-7KM-Q9X…", "7km q9x da3", "ABC"), not another question."""
    words = folded(text).split()
    if len(text) > 24 or not words:
        return False
    return any(ch.isdigit() for ch in text) or words[0].startswith("pa") or len(words) == 1


def _could_be_phone(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= MIN_PHONE_DIGITS
