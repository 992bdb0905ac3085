"""What conversations may use besides the message: content, FAQ, settings, clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.core.messages import Button

if TYPE_CHECKING:
    from bot.address import AddressBook
    from bot.content.messages import Messages
    from bot.content.units import Unit
    from bot.faq_service import FaqService
    from bot.pakn.service import PaknService
    from bot.settings import Settings


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Services:
    settings: Settings
    units: dict[str, Unit]
    messages: Messages
    faq: FaqService
    clock: Callable[[], dt.datetime] = _utcnow
    pakn: PaknService | None = None  # PAKN lifecycle (bot/pakn/service.py), set by build_services
    addresses: AddressBook | None = None  # old → new addresses (bot/address.py)
    # unit → staff group chat id (Telegram), for PAKN posts and reminders; set by build_app.
    staff_chats: dict[str, str] = field(default_factory=dict)
    # Optional collaborators added by later features (PAKN notifier, staff groups …).
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def default_unit(self) -> Unit:
        key = self.settings.default_unit or next(iter(sorted(self.units)))
        return self.units[key]

    def menu_buttons(self, unit: Unit) -> list[Button]:
        def label(key: str) -> str:
            return self.messages.render(key, unit=unit)

        buttons = [
            Button.reply(label("menu.btn.ask"), "ask"),
            Button.reply(label("menu.btn.pakn"), "pakn"),
            Button.reply(label("menu.btn.status"), "status"),
            Button.reply(label("menu.btn.subscribe"), "sub"),
        ]
        if unit.hotline_tel:
            buttons.append(Button.call(label("menu.btn.hotline"), unit.hotline_tel))
        buttons.append(Button.link(label("menu.btn.portal"), unit.portal))
        return buttons
