"""What the citizen reads about their PAKN: acknowledgement, status, one text per transition.

Texts come from content/messages.vi.yaml (pakn.*); notifications are queued as outbound
`messages` rows for the PAKN's contact in the caller's transaction, so the Pipeline's
background loop delivers them in the citizen's own channel (and never for a rolled-back change).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from bot.core.messages import Button, Reply
from bot.db import queries
from bot.db.models import Contact
from bot.pakn.codes import spoken

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.content.messages import Messages
    from bot.content.units import Unit
    from bot.db.models import Message
    from bot.db.models_pakn import Pakn
    from bot.pakn.policy import PolicyBook

RATING_VALUES = (1, 2, 3, 4, 5)


class Texts:
    """Renders PAKN texts for one unit."""

    def __init__(self, messages: Messages, book: PolicyBook, unit: Unit) -> None:
        self.messages = messages
        self.book = book
        self.unit = unit

    def t(self, key: str, **context: Any) -> str:
        return self.messages.render(key, unit=self.unit, **context)

    def date(self, when: dt.datetime | None) -> str:
        return self.book.local_date_text(self.unit.key, when) if when else ""

    def category(self, key: str) -> str:
        policy = self.book.policy(self.unit.key)
        return policy.label(key) if key in policy.categories else key

    def state(self, state: str) -> str:
        return self.t(f"pakn.state.{state}")

    def context(self, pakn: Pakn) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": pakn.code,
            "spoken": spoken(pakn.code),
            "due_date": self.date(pakn.due_at),
            "received_date": self.date(pakn.received_at),
            "category": self.category(pakn.category),
            "state": self.state(pakn.state),
            "forwarded_to": pakn.forwarded_to or "",
            "reason": pakn.reject_reason or "",
            "answer": pakn.answer or "",
            "rating": pakn.rating or 0,
        }
        data["next_step"] = self.t(f"pakn.next.{pakn.state}", **data)
        return data

    def rating_buttons(self, code: str) -> list[Button]:
        return [
            Button.reply(self.t(f"rate.btn.{n}"), f"rate:{code}:{n}", compact=True)
            for n in RATING_VALUES
        ]

    def transition_reply(self, pakn: Pakn) -> Reply:
        text = self.t(f"pakn.notify.{pakn.state}", **self.context(pakn))
        buttons: list[Button] = []
        if pakn.state == "answered" and pakn.rating is None:
            buttons = self.rating_buttons(pakn.code)
        check = Button.reply(self.t("status.btn.check"), f"status:c:{pakn.code}", compact=True)
        buttons.append(check)
        buttons.append(Button.reply(self.t("menu.btn.menu"), "menu", compact=True))
        return Reply(text, tuple(buttons))

    def ack_text(self, pakn: Pakn) -> str:
        return self.t("pakn.ack", **self.context(pakn))

    def status_text(self, pakn: Pakn, *, owner: bool = True) -> str:
        """The status card. Only the sender rates, once: others, and a sender who has rated,
        are not asked to ("pakn.next.answered_rated" / "_other")."""
        data = self.context(pakn)
        if pakn.state == "answered" and (not owner or pakn.rating is not None):
            key = "pakn.next.answered_rated" if owner else "pakn.next.answered_other"
            data["next_step"] = self.t(key, **data)
        return self.t("status.show", **data)


async def queue_for_contact(
    sess: AsyncSession, pakn: Pakn, reply: Reply, now: dt.datetime
) -> Message | None:
    """Queue `reply` for the PAKN's contact; None when it has none (anonymised, phoned in)."""
    if pakn.contact_id is None:
        return None
    contact = await sess.get(Contact, pakn.contact_id)
    if contact is None:
        return None
    rows = await queries.add_outbound(sess, contact, [reply], now)
    return rows[0]
