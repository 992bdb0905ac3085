"""Telegram adapter over python-telegram-bot's Bot (its `base_url` points tests at a fake)."""

from __future__ import annotations

import logging
import os
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.base import SendResult, split_text
from bot.channels.fields import ident, int_id, items, number, obj, optional_text, string
from bot.core.messages import Attachment, Inbound, InboundKind, Reply, primary_first

# Opt in to PTB's future behaviour: durations such as RetryAfter.retry_after are timedeltas.
os.environ.setdefault("PTB_TIMEDELTA", "true")
log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
ATTACHMENT_KEYS = ("photo", "document", "video", "audio", "animation")
ROW_CHARS, ROW_KEYS = 32, 5  # compact buttons per keyboard row: label characters, keys


class TelegramChannel:
    name = "telegram"

    def __init__(
        self, unit: str, bot: Bot, webhook_secret: str = "", staff_chat_id: str = ""
    ) -> None:
        self.unit = unit
        self.bot = bot
        self.webhook_secret = webhook_secret
        self.staff_chat_id = staff_chat_id  # the unit's staff group; other groups are ignored
        self.state = "starting"  # starting | ok | error: shown by /healthz

    # --- inbound ------------------------------------------------------------------------
    def parse(self, payload: dict[str, Any]) -> list[Inbound]:
        """The update's messages; a field of the wrong type reads as absent (fields.py), and an
        update without a usable chat id is skipped: there would be nobody to answer."""
        if "callback_query" in payload:
            return self._parse_callback(obj(payload["callback_query"]))
        if "my_chat_member" in payload:
            member = obj(payload["my_chat_member"])
            status = obj(member.get("new_chat_member")).get("status")
            chat = obj(member.get("chat"))
            chat_id = int_id(chat.get("id"))
            if chat.get("type") == "private" and status in ("kicked", "member") and chat_id:
                kind: InboundKind = "unfollow" if status == "kicked" else "follow"
                return [Inbound(self.unit, self.name, str(chat_id), kind=kind)]
            return []
        message = payload.get("message")
        if not isinstance(message, dict):
            return []  # edited messages, channel posts, polls …: nothing to answer
        chat = obj(message.get("chat"))
        if chat.get("type") != "private":
            return self._parse_staff(message)
        chat_id = int_id(chat.get("id"))
        if chat_id is None:
            return []
        user = obj(message.get("from"))
        names = (string(user.get("first_name")), string(user.get("last_name")))
        base: dict[str, Any] = {
            "unit": self.unit,
            "channel": self.name,
            "user_id": str(chat_id),
            "display_name": " ".join(p for p in names if p)[:200] or None,
            "language": optional_text(user.get("language_code"), 16),
            "message_id": ident(message.get("message_id")) or None,
        }
        if "text" in message:
            return [Inbound(**base, kind="text", text=string(message["text"]))]
        if "location" in message:
            loc = obj(message["location"])
            lat, lon = number(loc.get("latitude")), number(loc.get("longitude"))
            location = (lat, lon) if lat is not None and lon is not None else None
            return [Inbound(**base, kind="location", location=location)]
        for key in ATTACHMENT_KEYS:
            if key in message:
                photos = items(message[key]) if key == "photo" else [obj(message[key])]
                item = photos[-1] if photos else {}
                size = item.get("file_size")
                attachment = Attachment(
                    kind="photo" if key == "photo" else "document",
                    file_id=string(item.get("file_id"))[:256],
                    name=optional_text(item.get("file_name"), 255),
                    mime=optional_text(item.get("mime_type"), 100),
                    size=size if type(size) is int else None,
                )
                caption = string(message.get("caption"))
                return [
                    Inbound(**base, kind="attachment", text=caption, attachments=(attachment,))
                ]
        if "sticker" in message:
            return [Inbound(**base, kind="sticker")]
        if "voice" in message or "video_note" in message:
            return [Inbound(**base, kind="voice")]
        return [Inbound(**base, kind="other")]

    def _is_staff_chat(self, chat: dict[str, Any]) -> bool:
        return bool(self.staff_chat_id) and str(int_id(chat.get("id"))) == self.staff_chat_id

    def _parse_staff(self, message: dict[str, Any]) -> list[Inbound]:
        chat = obj(message.get("chat"))
        user = obj(message.get("from"))
        if not self._is_staff_chat(chat) or "text" not in message or user.get("is_bot"):
            return []
        reply_to = ident(obj(message.get("reply_to_message")).get("message_id"))
        return [
            Inbound(
                self.unit,
                self.name,
                self.staff_chat_id,
                kind="text",
                text=string(message["text"]),
                display_name=optional_text(user.get("first_name"), 200),
                message_id=ident(message.get("message_id")) or None,
                group=True,
                sender_id=ident(user.get("id")),
                reply_to=reply_to or None,
            )
        ]

    def _parse_callback(self, query: dict[str, Any]) -> list[Inbound]:
        message = obj(query.get("message"))
        chat = obj(message.get("chat"))
        user = obj(query.get("from"))
        data = query.get("data")
        if not isinstance(data, str) or not data:
            return []
        if chat and chat.get("type") != "private":
            if not self._is_staff_chat(chat):
                return []
            return [
                Inbound(
                    self.unit,
                    self.name,
                    self.staff_chat_id,
                    kind="button",
                    payload=data,
                    display_name=optional_text(user.get("first_name"), 200),
                    message_id=ident(message.get("message_id")) or None,
                    group=True,
                    sender_id=ident(user.get("id")),
                )
            ]
        chat_id = int_id(chat.get("id")) or int_id(user.get("id"))
        if chat_id is None:
            return []
        return [
            Inbound(
                self.unit,
                self.name,
                str(chat_id),
                kind="button",
                payload=data,
                language=optional_text(user.get("language_code"), 16),
            )
        ]

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        query_id = ident(obj(payload.get("callback_query")).get("id"))
        if not query_id:
            return
        try:
            await self.bot.answer_callback_query(query_id)
        except BadRequest as exc:  # too old, or an id Telegram does not know: nothing to stop
            log.info("callback query not answered: %s", exc.message[:100])

    # --- outbound -----------------------------------------------------------------------
    @staticmethod
    def render(reply: Reply) -> tuple[list[str], InlineKeyboardMarkup | None]:
        """Texts (split at 4096) and the inline keyboard for the last one: a primary button per
        row, then the compact ones packed several to a row."""
        text = reply.text
        rows: list[list[InlineKeyboardButton]] = []
        packed: list[list[InlineKeyboardButton]] = []
        width = 0
        for button in primary_first(reply.buttons):
            if button.kind == "reply":
                key = InlineKeyboardButton(button.label, callback_data=button.payload)
            elif button.kind == "url":
                key = InlineKeyboardButton(button.label, url=button.url)
            else:  # Telegram has no call buttons; the number in the text is tappable
                text = f"{text}\n\n{button.label}"
                continue
            if not button.compact:
                rows.append([key])
                continue
            if not packed or width + len(button.label) > ROW_CHARS or len(packed[-1]) >= ROW_KEYS:
                packed.append([])
                width = 0
            packed[-1].append(key)
            width += len(button.label)
        rows += packed
        return split_text(text, TEXT_LIMIT), (InlineKeyboardMarkup(rows) if rows else None)

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        texts, keyboard = self.render(reply)
        last_id: str | None = None
        try:
            if reply.edit_of:
                return await self._edit(user_id, reply.edit_of, texts[0], keyboard)
            for i, text in enumerate(texts):
                markup = keyboard if i == len(texts) - 1 else None
                sent = await self.bot.send_message(
                    chat_id=int(user_id), text=text, reply_markup=markup
                )
                last_id = str(sent.message_id)
        except RetryAfter as exc:
            retry = exc.retry_after
            seconds = retry if isinstance(retry, int | float) else retry.total_seconds()
            return SendResult("retry", retry_after=seconds, error="429 Too Many Requests")
        except Forbidden as exc:
            return SendResult("blocked", error=f"403 {exc.message}")
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                return SendResult("unreachable", error=f"400 {exc.message}")
            if reply.edit_of and "not modified" in exc.message.lower():
                return SendResult.ok(reply.edit_of)  # already shows this text: a retry
            return SendResult("failed", error=f"400 {exc.message}")
        except (TimedOut, NetworkError) as exc:
            return SendResult("retry", retry_after=5, error=f"network: {type(exc).__name__}")
        self.state = "ok"
        return SendResult.ok(last_id)

    async def _edit(
        self, user_id: str, message_id: str, text: str, keyboard: InlineKeyboardMarkup | None
    ) -> SendResult:
        """Replace the text (and keyboard) of a message the bot sent earlier."""
        if not message_id.isdigit():
            return SendResult("failed", error="no Telegram message id to edit")
        await self.bot.edit_message_text(
            text, chat_id=int(user_id), message_id=int(message_id), reply_markup=keyboard
        )
        self.state = "ok"
        return SendResult.ok(message_id)
