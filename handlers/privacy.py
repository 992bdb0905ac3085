"""A citizen's own data: see it ("dữ liệu của tôi") and delete it ("xóa dữ liệu").
Diagram: docs/conversations/privacy.mmd.

text "dữ liệu của tôi" / "privacy" ─▶ what is stored + [Xóa dữ liệu của tôi]
text "xóa dữ liệu" / "privacy:delete" ─▶ CONFIRM ─"privacy:confirm"─▶ deleted
                                                 └─"privacy:keep" / anything else─▶ kept
Deleting (bot.privacy.erase_contact, in this message's transaction) removes the contact's
messages, questions, raw updates, subscriptions and state, anonymises their PAKNs (name, phone,
address and the contact link removed; the content stays for the case file) and redacts the staff
group's copies. docs/privacy.md lists every place and what happens to it.
"""

from __future__ import annotations

from enum import StrEnum

from bot.campaigns import subscriptions
from bot.core.flow import Context, payload_parts
from bot.core.messages import Button
from bot.db import queries
from bot.pakn import store
from bot.pakn.phone import mask_phone
from bot.privacy import erase_contact
from handlers.pakn_steps import folded, menu_button

VIEW_PHRASES = frozenset(
    {"du lieu cua toi", "xem du lieu cua toi", "du lieu ca nhan cua toi", "/privacy", "/dulieu"}
)
DELETE_PHRASES = frozenset(
    {"xoa du lieu", "xoa du lieu cua toi", "xoa het du lieu", "xoa toan bo du lieu"}
    | {"xoa du lieu ca nhan", "/xoadulieu", "/delete"}
)
YES_WORDS = frozenset({"co", "dong y", "dong y xoa", "xoa", "ok"})


class Step(StrEnum):
    CONFIRM = "confirm"


class PrivacyFlow:
    name = "privacy"

    def starts(self, ctx: Context) -> bool:
        return ctx.msg.kind == "text" and folded(ctx.text) in VIEW_PHRASES | DELETE_PHRASES

    async def handle(self, ctx: Context) -> None:
        parts = payload_parts(ctx.payload)
        action = parts[1] if len(parts) > 1 else ""
        typed = folded(ctx.text) if ctx.msg.kind == "text" else ""
        in_confirm = ctx.state.flow == self.name and ctx.state.step == Step.CONFIRM
        if in_confirm and (action == "confirm" or (not parts and typed in YES_WORDS)):
            await self._delete(ctx)
        elif action == "delete" or (not parts and typed in DELETE_PHRASES):
            self._ask_delete(ctx)
        elif in_confirm or action in ("keep", "confirm"):
            ctx.end()
            ctx.say_key("privacy.kept", ctx.menu_buttons())
        else:
            await self._view(ctx)

    async def start_with(self, ctx: Context, *, delete: bool) -> None:
        """From free text: show the stored data, or ask to confirm deleting it."""
        ctx.end()
        if delete:
            self._ask_delete(ctx)
        else:
            await self._view(ctx)

    def _ask_delete(self, ctx: Context) -> None:
        ctx.goto(self.name, Step.CONFIRM)
        ctx.say_key(
            "privacy.confirm_delete",
            [
                Button.reply(ctx.t("privacy.btn.confirm"), "privacy:confirm"),
                Button.reply(ctx.t("privacy.btn.keep"), "privacy:keep"),
            ],
        )

    async def _view(self, ctx: Context) -> None:
        ctx.end()
        counts = await queries.contact_data_counts(ctx.session, ctx.contact.id)
        subs = await subscriptions.choices(ctx.session, ctx.contact.id)
        pakns = await store.for_contact(ctx.session, ctx.contact.id, limit=1000)
        phone = next((p.phone for p in pakns if p.phone), None)
        ctx.say_key(
            "privacy.view",
            [Button.reply(ctx.t("privacy.btn.delete"), "privacy:delete"), menu_button(ctx)],
            messages=counts["messages"],
            count=len(pakns),
            pakn_list=", ".join(p.code for p in pakns[:10]) + (" …" if len(pakns) > 10 else ""),
            phone=mask_phone(phone) if phone else "",
            subscriptions=len(subs.topics) + len(subs.areas),
        )

    async def _delete(self, ctx: Context) -> None:
        erased = await erase_contact(ctx.session, ctx.services, ctx.contact, ctx.now)
        ctx.erased = True
        ctx.queued.extend(erased.queued)  # edits of the staff group's posts
        ctx.end()
        ctx.say_key(
            "privacy.deleted",
            ctx.menu_buttons(),
            messages=erased.messages,
            count=len(erased.pakn_codes),
        )


FLOW = PrivacyFlow()
