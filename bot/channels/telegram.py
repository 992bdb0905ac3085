"""Telegram adapter over python-telegram-bot's Bot (its `base_url` points tests at a fake)."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    ReplyParameters,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.base import SendResult, split_text
from bot.channels.fields import ident, int_id, items, number, obj, optional_text, string
from bot.channels.telegram_http import AiohttpRequest
from bot.core.messages import Attachment, Inbound, InboundKind, Reply, primary_first
from bot.media.files import FileStore

# Opt in to PTB's future behaviour: durations such as RetryAfter.retry_after are timedeltas.
os.environ.setdefault("PTB_TIMEDELTA", "true")
log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
PDF = "application/pdf"
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
        self.files: FileStore | None = None  # stored photos to post (set by bot/app.py)

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
            accuracy = number(loc.get("horizontal_accuracy"))  # metres, 0-1500 (Bot API)
            return [
                Inbound(
                    **base,
                    kind="location",
                    location=location,
                    location_accuracy=accuracy if location is not None else None,
                )
            ]
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
        pressed = message.get("message_id")
        return [
            Inbound(
                self.unit,
                self.name,
                str(chat_id),
                kind="button",
                payload=data,
                language=optional_text(user.get("language_code"), 16),
                button_of=str(pressed) if isinstance(pressed, int) else None,
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
        """Texts (split at 4096) and the inline keyboard for the last one (see layout)."""
        texts, rows = TelegramChannel.layout(reply)
        keys = [
            [
                InlineKeyboardButton(
                    key["text"], callback_data=key.get("callback_data"), url=key.get("url")
                )
                for key in row
            ]
            for row in rows
        ]
        return texts, (InlineKeyboardMarkup(keys) if keys else None)

    @staticmethod
    def layout(reply: Reply) -> tuple[list[str], list[list[dict[str, str]]]]:
        """Texts (split at 4096) and the keyboard's rows as Bot API JSON: a primary button per
        row, then the compact ones packed several to a row."""
        text = reply.text
        rows: list[list[dict[str, str]]] = []
        packed: list[list[dict[str, str]]] = []
        width = 0
        for button in primary_first(reply.buttons):
            if button.kind == "reply":
                key = {"text": button.label, "callback_data": button.payload}
            elif button.kind == "url":
                key = {"text": button.label, "url": button.url}
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
        return split_text(text, TEXT_LIMIT), rows + packed

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        last_id: str | None = None
        try:
            if self._plain(reply):
                texts, rows = self.layout(reply)
                for i, text in enumerate(texts):  # keyboard on the last part, thread on the first
                    last = i == len(texts) - 1
                    new_id = await self._send_text(
                        user_id, text, reply, rows if last else None, first=i == 0
                    )
                    last_id = str(new_id) if new_id is not None else None
                self.state = "ok"
                return SendResult.ok(last_id)
            texts, keyboard = self.render(reply)
            if reply.edit_of and reply.buttons_only:
                return await self._edit_buttons(user_id, reply.edit_of, keyboard)
            if reply.edit_of and len(texts) == 1:
                edited = await self._edit(user_id, reply.edit_of, texts[0], keyboard)
                if edited.outcome == "sent" or not reply.in_place:
                    return edited
            if reply.media and self.files is not None:
                sent_id = await self._send_media(user_id, reply)
                if sent_id is not None:
                    self.state = "ok"
                    return SendResult.ok(sent_id)
            for i, text in enumerate(texts):
                markup: InlineKeyboardMarkup | ForceReply | None = None
                if i == len(texts) - 1:
                    markup = keyboard or (
                        ForceReply(selective=True) if reply.force_reply else None
                    )
                thread = None
                if i == 0 and reply.reply_to and reply.reply_to.isdigit():
                    thread = ReplyParameters(int(reply.reply_to), allow_sending_without_reply=True)
                sent = await self.bot.send_message(
                    chat_id=int(user_id), text=text, reply_markup=markup, reply_parameters=thread
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
                return SendResult.ok(reply.edit_of)  # already shows this: a retry
            return SendResult("failed", error=f"400 {exc.message}")
        except (TimedOut, NetworkError) as exc:
            return SendResult("retry", retry_after=5, error=f"network: {type(exc).__name__}")
        self.state = "ok"
        return SendResult.ok(last_id)

    def _plain(self, reply: Reply) -> bool:
        """Text and buttons only (most replies): sent by `_send_text`, on our own transport."""
        return (
            not reply.edit_of
            and not (reply.media and self.files is not None)
            and isinstance(self.bot.request, AiohttpRequest)
        )

    async def _send_text(
        self,
        user_id: str,
        text: str,
        reply: Reply,
        rows: list[list[dict[str, str]]] | None,
        *,
        first: bool,
    ) -> int | None:
        """One sendMessage as plain JSON (telegram_http.post_json): what `Bot.send_message`
        sends, without building PTB objects for the call and its answer. Raises PTB's errors."""
        body: dict[str, Any] = {"chat_id": int(user_id), "text": text}
        if rows:  # None: not the last part of a long text
            body["reply_markup"] = {"inline_keyboard": rows}
        elif rows is not None and reply.force_reply:
            body["reply_markup"] = {"force_reply": True, "selective": True}
        if first and reply.reply_to and reply.reply_to.isdigit():
            body["reply_parameters"] = {
                "message_id": int(reply.reply_to), "allow_sending_without_reply": True
            }  # fmt: skip
        request = self.bot.request
        assert isinstance(request, AiohttpRequest)
        sent = await request.post_json(f"{self.bot.base_url}/sendMessage", body)
        message_id = sent.get("message_id") if isinstance(sent, dict) else None
        return message_id if isinstance(message_id, int) else None

    async def _send_media(self, user_id: str, reply: Reply) -> str | None:
        """Photos as one album (sendMediaGroup, up to 10) or one sendPhoto, each with its
        caption, the reply's text first; PDFs one by one. None when no file is left on disk
        (erased meanwhile): the text goes alone."""
        assert self.files is not None
        loaded = []
        for item in reply.media:
            data = await asyncio.to_thread(self.files.read, str(item.get("sha256", "")))
            if data is not None:
                loaded.append((item, data))
        if not loaded:
            return None
        chat = int(user_id)
        first_id: str | None = None

        def caption(i: int, item: dict[str, str]) -> str:
            text = f"{reply.text}\n\n{item.get('caption', '')}" if i == 0 else item["caption"]
            return text.strip()[:CAPTION_LIMIT]

        photos = [(i, it, d) for i, (it, d) in enumerate(loaded) if it.get("mime") != PDF]
        for start in range(0, len(photos), 10):
            chunk = photos[start : start + 10]
            if len(chunk) == 1:
                i, item, data = chunk[0]
                msg = await self.bot.send_photo(chat, data, caption=caption(i, item))
                first_id = first_id or str(msg.message_id)
                continue
            album = [InputMediaPhoto(data, caption=caption(i, item)) for i, item, data in chunk]
            msgs = await self.bot.send_media_group(chat, album)
            first_id = first_id or str(msgs[0].message_id)
        for i, (item, data) in enumerate(loaded):
            if item.get("mime") == PDF:
                name = f"{item.get('sha256', 'tep')[:12]}.pdf"
                msg = await self.bot.send_document(
                    chat, InputFile(data, filename=name), caption=caption(i, item)
                )
                first_id = first_id or str(msg.message_id)
        return first_id

    async def _edit_buttons(
        self, user_id: str, message_id: str, keyboard: InlineKeyboardMarkup | None
    ) -> SendResult:
        """Replace only the buttons of a message (a staff card after an action on it)."""
        if not message_id.isdigit():
            return SendResult("failed", error="no Telegram message id to edit")
        await self.bot.edit_message_reply_markup(
            chat_id=int(user_id), message_id=int(message_id), reply_markup=keyboard
        )
        self.state = "ok"
        return SendResult.ok(message_id)

    async def _edit(
        self, user_id: str, message_id: str, text: str, keyboard: InlineKeyboardMarkup | None
    ) -> SendResult:
        """Replace the text (and keyboard) of a message the bot sent earlier."""
        if not message_id.isdigit():
            return SendResult("failed", error="no Telegram message id to edit")
        try:
            await self.bot.edit_message_text(
                text, chat_id=int(user_id), message_id=int(message_id), reply_markup=keyboard
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return SendResult.ok(message_id)  # already shows this text: a retry
            if "chat not found" in exc.message.lower():
                raise
            return SendResult("failed", error=f"400 {exc.message}")
        self.state = "ok"
        return SendResult.ok(message_id)
