"""Zalo Official Account adapter (OA Open API v3): webhook events in, consultation messages out.

Buttons: "reply" buttons become `oa.query.hide` buttons whose payload is PAYLOAD_PREFIX + our
payload (Zalo wants query payloads to start with "#"); a press comes back as a user message
(user_send_text) whose text is that payload, and is read as a button.
"url" → `oa.open.url`, "call" → `oa.open.phone`. At most MAX_BUTTONS per message, primary
buttons first (see `render` for what happens to the others).

Sending rules: consultation messages only within ZALO_CS_WINDOW_DAYS of the citizen's last
message (checked locally, before any API call → "window_closed": the reply stays queued and
staff are alerted once per contact); Zalo's error codes are mapped in `_map_error`. Quota
refusals (-211 for the OA, -218 for one recipient) are held the same way for
ZALO_QUOTA_RETRY_MINUTES (see zalo_quota.py); an image and a text without buttons go out as one
message (the image with the text as its caption), so an answer costs as few messages as it can.

A person answering in the OA chat arrives as `oa_send_*` with `sender.admin_id` (kind "agent",
user_id = the citizen); our own API sends echo back as `oa_send_*` without it and are dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels import zalo_events
from bot.channels.base import SendResult, split_text
from bot.channels.fields import ident, items, number, obj, optional_text, string
from bot.channels.zalo_api import (
    OA_QUOTA,
    RATE_LIMITED,
    RECIPIENT_QUOTA,
    TOKEN_INVALID,
    UNREACHABLE,
    WINDOW_CLOSED,
    ZaloError,
    ZaloNetworkError,
    ZaloOAClient,
)
from bot.channels.zalo_events import AGENT_PREFIX, is_agent
from bot.channels.zalo_quota import QuotaBook
from bot.channels.zalo_tokens import TokenManager, TokenUnavailable
from bot.core.messages import Attachment, Button, Inbound, Reply, primary_first
from bot.db.models import Contact

log = logging.getLogger(__name__)
TEXT_LIMIT = 2000
MAX_BUTTONS = 5
TITLE_LIMIT = 100
PAYLOAD_PREFIX = "#lx:"
INVALID = -201  # Zalo: a parameter is invalid
MORE_TEXT = "Các lựa chọn khác:"  # heads the buttons that did not fit in the first message
FOLLOW_EVENTS = {"follow": "follow", "unfollow": "unfollow"}
ATTACHMENT_EVENTS = {
    "user_send_image": "photo",
    "user_send_gif": "photo",
    "user_send_file": "document",
    "user_send_video": "video",
}
SIMPLE_EVENTS = {
    "user_send_sticker": "sticker",
    "user_send_audio": "voice",
    "user_send_business_card": "other",
}
HANDLED_EVENTS = (
    {"user_send_text", "user_send_location", "user_send_link"}
    | set(FOLLOW_EVENTS)
    | set(ATTACHMENT_EVENTS)
    | set(SIMPLE_EVENTS)
    | set(zalo_events.ANONYMOUS_EVENTS)
)

AlertHook = Callable[[str, str], Awaitable[None]]  # (unit, text)


def is_handled(payload: dict[str, Any]) -> bool:
    """Events worth storing. Our own `oa_send_*` echoes, delivery/seen receipts, shared info
    (`user_submit_info`) and tag changes are acknowledged and dropped; a person's answer in the
    OA chat (`oa_send_*` with `sender.admin_id`) is kept."""
    return str(payload.get("event_name", "")) in HANDLED_EVENTS or is_agent(payload)


def sender_id(payload: dict[str, Any]) -> str:
    """The citizen the event is about (for an OA admin's message: its recipient)."""
    event = str(payload.get("event_name", ""))
    if event in zalo_events.ANONYMOUS_EVENTS:
        return zalo_events.anonymous_user_id(payload)
    if is_agent(payload):
        return ident(obj(payload.get("recipient")).get("id"))
    who = obj(payload.get("follower") if event in FOLLOW_EVENTS else payload.get("sender"))
    if not who.get("id"):
        who = obj(payload.get("sender")) or obj(payload.get("follower"))
    return ident(who.get("id"))


def event_id(payload: dict[str, Any]) -> str:
    """A stable id for deduplication: Zalo's msg_id, else event + sender + timestamp."""
    message = payload.get("message")
    if isinstance(message, dict):
        msg_id = message.get("msg_id") or message.get("mid")
        if msg_id:
            return f"m:{msg_id}"[:128]
    name = payload.get("event_name", "")
    return f"e:{name}:{sender_id(payload)}:{payload.get('timestamp', '')}"[:128]


class ZaloChannel:
    name = "zalo"

    def __init__(
        self,
        unit: str,
        client: ZaloOAClient,
        tokens: TokenManager,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        app_id: str,
        oa_secret_key: str,
        clock: Callable[[], dt.datetime],
        cs_window: dt.timedelta = dt.timedelta(days=7),
        quota_retry: dt.timedelta = dt.timedelta(hours=6),
        on_alert: AlertHook | None = None,
    ) -> None:
        self.unit = unit
        self.client = client
        self.tokens = tokens
        self.sessionmaker = sessionmaker
        self.app_id = app_id
        self.oa_secret_key = oa_secret_key
        self.clock = clock
        self.cs_window = cs_window
        self.on_alert = on_alert  # the lead wires this to the staff group
        self.alerts: list[str] = []  # recent alert texts (newest last), for /healthz and tests
        self._held: set[str] = set()  # contacts already reported as outside the window
        self.quota = QuotaBook(clock, quota_retry)
        self._quota_alerted: set[str] = set()  # recipients ("" = the whole OA) reported
        tokens.alert = self._alert

    @property
    def state(self) -> str:
        return self.tokens.state

    async def _alert(self, text: str) -> None:
        self.alerts = [*self.alerts[-19:], text]
        log.error("Zalo alert for unit %s: %s", self.unit, text)
        if self.on_alert is not None:
            await self.on_alert(self.unit, text)

    # --- inbound ------------------------------------------------------------------------
    def parse(self, payload: dict[str, Any]) -> list[Inbound]:
        event = str(payload.get("event_name", ""))
        if not is_handled(payload):
            return []
        user_id = sender_id(payload)
        if not user_id:
            return []
        event = zalo_events.ANONYMOUS_EVENTS.get(event, event)
        message = obj(payload.get("message"))
        base: dict[str, Any] = {
            "unit": self.unit,
            "channel": self.name,
            "user_id": user_id,
            "message_id": ident(message.get("msg_id") or message.get("mid")) or None,
            "reply_to": ident(message.get("quote_msg_id")) or None,  # sent via "Trả lời"
        }
        if is_agent(payload):
            said = string(message.get("text")) or f"[{event[len(AGENT_PREFIX) :]}]"
            admin = ident(obj(payload.get("sender")).get("admin_id")) or None
            return [Inbound(**base, kind="agent", text=said, sender_id=admin)]
        if event != "unfollow":  # they wrote (or followed): the window is open again
            self._held.discard(user_id)
            self.quota.reopen(user_id)
        if event in FOLLOW_EVENTS:
            name = optional_text(obj(payload.get("follower")).get("display_name"), 200)
            return [Inbound(**base, kind=FOLLOW_EVENTS[event], display_name=name)]  # type: ignore[arg-type]
        said = string(message.get("text"))
        if said.startswith(PAYLOAD_PREFIX):
            payload_text = said[len(PAYLOAD_PREFIX) :]
            return [Inbound(**base, kind="button", payload=payload_text)] if payload_text else []
        if event == "user_send_text":
            return [Inbound(**base, kind="text", text=said)]
        attachments = items(message.get("attachments"))
        if event == "user_send_link":  # a shared link is read as text carrying its URL
            link = zalo_events.link_text(said, attachments)
            return [Inbound(**base, kind="text", text=link)] if link else []
        if event == "user_send_location":
            # unreadable coordinates: still a location, answered as one (nothing uses them yet)
            return [Inbound(**base, kind="location", location=_location(attachments))]
        if event in ATTACHMENT_EVENTS:
            files = tuple(_attachment(a, ATTACHMENT_EVENTS[event]) for a in attachments)
            return [Inbound(**base, kind="attachment", text=said, attachments=files)]
        return [Inbound(**base, kind=SIMPLE_EVENTS[event])]  # type: ignore[arg-type]

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        return None

    # --- outbound -----------------------------------------------------------------------
    @staticmethod
    def render(reply: Reply, compact: bool = False) -> list[dict[str, Any]]:
        """The `message` objects to send, in order (image first, buttons on the last text).

        At most MAX_BUTTONS per message, primary buttons first: a link or call that does not
        fit is written into the text, a compact reply button (👍, menu …) is dropped (typing
        "menu" works anywhere), and primary reply buttons that do not fit follow in one more
        message (MORE_TEXT) so that every choice stays reachable. An image with a text but no
        buttons is one message (the first part as its caption, as Zalo's SDK sends it).
        `compact` (few messages left): no separate image message; its link ends the text."""
        ordered = primary_first(reply.buttons)
        shown, rest = ordered[:MAX_BUTTONS], ordered[MAX_BUTTONS:]
        overflow = [f"{b.label}: {b.url or b.phone}" for b in rest if b.kind != "reply"]
        more = [b for b in rest if b.kind == "reply" and not b.compact]
        text = "\n".join([reply.text.rstrip(), "", *overflow]) if overflow else reply.text
        messages: list[dict[str, Any]] = []
        parts = split_text(text, TEXT_LIMIT) if text.strip() else []
        if reply.image_url and compact and parts:
            if len(parts[-1]) + len(reply.image_url) + 2 <= TEXT_LIMIT:
                parts[-1] = f"{parts[-1]}\n\n{reply.image_url}"
        elif reply.image_url:
            element = {"media_type": "image", "url": reply.image_url}
            payload = {"template_type": "media", "elements": [element]}
            image: dict[str, Any] = {"attachment": {"type": "template", "payload": payload}}
            if parts and not (shown and len(parts) == 1):
                image["text"] = parts.pop(0)  # the caption: one message instead of two
            messages.append(image)
        for i, part in enumerate(parts):
            message: dict[str, Any] = {"text": part}
            if i == len(parts) - 1 and shown:
                buttons = [_button(b) for b in shown]
                message["attachment"] = {"type": "template", "payload": {"buttons": buttons}}
            messages.append(message)
        for start in range(0, len(more), MAX_BUTTONS):
            chunk = [_button(b) for b in more[start : start + MAX_BUTTONS]]
            attachment = {"type": "template", "payload": {"buttons": chunk}}
            messages.append({"text": MORE_TEXT, "attachment": attachment})
        return messages

    async def in_window(self, user_id: str) -> bool:
        async with self.sessionmaker() as sess:
            last = (
                await sess.execute(
                    select(Contact.last_seen_at).where(
                        Contact.unit == self.unit,
                        Contact.channel == self.name,
                        Contact.external_id == user_id,
                    )
                )
            ).scalar_one_or_none()
        return last is not None and self.clock() - last <= self.cs_window

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        if not await self.in_window(user_id):
            return await self._window_closed(user_id, "outside the consultation window")
        try:
            token = await self.tokens.access_token()
        except TokenUnavailable as exc:
            return SendResult("refresh", retry_after=exc.retry_after, error=str(exc)[:300])
        return await self.deliver(user_id, reply, token)

    async def deliver(
        self, user_id: str, reply: Reply, token: str, *, alert: bool = True
    ) -> SendResult:
        """`send` once the window was checked and the token read (campaigns do both for many
        recipients at once); `alert=False`: a -230 is not reported to staff as a held reply."""
        held = self.quota.held_until(user_id)
        if held is not None:  # Zalo refused for quota: no call until the hold ends
            wait = (held - self.clock()).total_seconds()
            return SendResult("window_closed", retry_after=wait, error="held: out of Zalo quota")
        messages = self.render(reply)
        remain = self.quota.remain(user_id)
        if remain is not None and remain < len(messages):
            messages = self.render(reply, compact=True)
        last_id: str | None = None
        for message in messages:
            try:
                last_id = await self._send_one(token, user_id, message)
            except ZaloError as exc:
                if exc.code == INVALID and _captioned(message):
                    try:  # an image caption refused: the image and the text apart
                        for one in _uncaptioned(message):
                            last_id = await self._send_one(token, user_id, one)
                        continue
                    except ZaloError as again:
                        exc = again
                if exc.code not in TOKEN_INVALID:
                    return await self._map_error(user_id, exc, alert)
                try:  # the token was rejected: refresh (once, for everyone) and retry once
                    token = await self.tokens.after_rejection(token)
                    last_id = await self._send_one(token, user_id, message)
                except TokenUnavailable as again:
                    return SendResult("refresh", retry_after=again.retry_after, error=str(exc))
                except ZaloError as exc2:
                    return await self._map_error(user_id, exc2, alert)
            except ZaloNetworkError as exc:
                return SendResult("retry", retry_after=5, error=f"network: {exc}")
        return SendResult.ok(last_id)

    async def _send_one(self, token: str, user_id: str, message: dict[str, Any]) -> str:
        if zalo_events.is_anonymous(user_id):
            recipient = zalo_events.recipient(user_id)
            message_id, remain = await self.client.send_anonymous(token, recipient, message)
        else:
            message_id, remain = await self.client.send_cs_quota(token, user_id, message)
        self.quota.count(user_id, remain)
        self._quota_alerted.difference_update({user_id, ""})
        return message_id

    async def _map_error(self, user_id: str, exc: ZaloError, alert: bool = True) -> SendResult:
        error = f"zalo {exc.code}: {exc.message}"[:300]
        if exc.code in RATE_LIMITED:
            return SendResult("retry", retry_after=60, error=error)
        if exc.code in TOKEN_INVALID:
            return SendResult("refresh", retry_after=60, error=error)
        if exc.code in WINDOW_CLOSED:
            if not alert:
                return SendResult("window_closed", retry_after=6 * 3600, error=error)
            result = await self._window_closed(user_id, error)
            return SendResult("window_closed", retry_after=6 * 3600, error=result.error)
        if exc.code in OA_QUOTA | RECIPIENT_QUOTA:
            return await self._quota_held(user_id, exc.code in OA_QUOTA, error)
        if exc.code in UNREACHABLE:
            return SendResult("unreachable", error=error)
        return SendResult("failed", error=error)

    async def _quota_held(self, user_id: str, whole_oa: bool, error: str) -> SendResult:
        """Held like a closed window; staff told once (per recipient, or once for the OA)."""
        until = self.quota.hold(None if whole_oa else user_id)
        key = "" if whole_oa else user_id
        if key not in self._quota_alerted:
            self._quota_alerted.add(key)
            minutes = round(self.quota.retry.total_seconds() / 60)
            who = (
                "Zalo OA đã hết hạn mức gửi tin (mã -211): các tin trả lời cho người dân đang "
                f"được giữ lại và sẽ được gửi lại sau {minutes} phút."
                if whole_oa
                else "Zalo OA: một người dân đã nhận đủ số tin Zalo cho phép lúc này (mã -218): "
                f"tin trả lời cho họ được giữ lại, gửi lại sau {minutes} phút hoặc khi họ "
                "nhắn lại."
            )
            await self._alert(f"{who} Nếu việc gấp, hãy liên hệ qua số điện thoại trong hồ sơ.")
        wait = (until - self.clock()).total_seconds()
        return SendResult("window_closed", retry_after=wait, error=error)

    async def _window_closed(self, user_id: str, why: str) -> SendResult:
        if user_id not in self._held:
            self._held.add(user_id)
            await self._alert(
                "Zalo OA: một tin trả lời cho người dân đang được giữ lại vì đã quá "
                f"{self.cs_window.days} ngày kể từ tin nhắn cuối của họ; tin sẽ được gửi khi họ "
                "nhắn lại. Nếu việc gấp, hãy liên hệ qua số điện thoại trong hồ sơ."
            )
        return SendResult("window_closed", retry_after=1800, error=why)


def _captioned(message: dict[str, Any]) -> bool:
    payload = (message.get("attachment") or {}).get("payload") or {}
    return "text" in message and payload.get("template_type") == "media"


def _uncaptioned(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"attachment": message["attachment"]}, {"text": message["text"]}]


def _button(button: Button) -> dict[str, Any]:
    title = button.label[:TITLE_LIMIT]
    if button.kind == "url":
        return {"title": title, "type": "oa.open.url", "payload": {"url": button.url}}
    if button.kind == "call":
        return {"title": title, "type": "oa.open.phone", "payload": {"phone_code": button.phone}}
    return {"title": title, "type": "oa.query.hide", "payload": PAYLOAD_PREFIX + button.payload}


def _location(attachments: list[dict[str, Any]]) -> tuple[float, float] | None:
    for item in attachments:
        coords = obj(obj(item.get("payload")).get("coordinates"))
        lat = number(coords.get("latitude", coords.get("lat")))
        lon = number(coords.get("longitude", coords.get("long", coords.get("lng"))))
        if lat is not None and lon is not None:
            return (lat, lon)
    return None


def _attachment(item: dict[str, Any], kind: str) -> Attachment:
    payload = obj(item.get("payload"))
    url = string(payload.get("url") or payload.get("thumbnail"))[:2000]
    size = string(payload.get("size"))
    return Attachment(
        kind=kind,
        file_id=string(payload.get("id"))[:256] or url,
        name=optional_text(payload.get("name"), 255),
        mime=zalo_events.mime_type(payload.get("type")),  # Zalo sends the extension ("pdf")
        size=int(size) if size.isascii() and size.isdigit() and len(size) < 19 else None,
        url=url or None,
    )
