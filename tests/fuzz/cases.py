"""Fuzz cases: one HTTP request each, to a channel's webhook or to the web chat API (pure).

A case that is a well-formed message from a well-formed contact is marked `answer`: its contact
must get a reply. Any other case may be accepted (and then answered or ignored) or refused
with a 4xx; nothing may crash.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fuzz import hostile

UNIT = "xa-binh-minh"
TG_SECRET = "test-secret-0123456789abcdef"
ZALOBOT_SECRET = "zalobot-secret-0123456789"
CHANNELS = ("telegram", "zalo", "zalobot", "web")
# What each channel's cases are, by weight: about 40 % well-formed messages that must be
# answered (each costs a conversation turn), the rest hostile shapes, most of them refused.
TELEGRAM_MIX = {"message": 32, "callback": 8, "mangled": 18, "other": 8, "junk": 18, "auth": 8,
                "update_id": 8}  # fmt: skip
ZALO_MIX = {"message": 32, "button": 8, "mangled": 18, "other": 10, "junk": 20, "auth": 12}
ZALOBOT_MIX = {"message": 40, "mangled": 18, "other": 8, "junk": 20, "auth": 8, "batch": 6}
TELEGRAM_KINDS = {"text": 80, "photo": 5, "document": 4, "sticker": 3, "location": 4, "voice": 2,
                  "contact": 2}  # fmt: skip
WEB_MIX = {"message": 30, "button": 10, "mangled": 22, "junk": 20, "auth": 10, "poll": 8}


@dataclass
class Case:
    n: int
    channel: str
    kind: str  # what the generator made: "message", "mangled", "junk", "auth" …
    path: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    answer: tuple[str, str] | None = None  # (channel, contact id) that must be answered

    def describe(self) -> str:
        return f"#{self.n} {self.channel}/{self.kind} {self.body[:300]!r}"


class Generator:
    def __init__(self, seed: int, zalo_app_id: str, zalo_oa_secret: str) -> None:
        self.rng = random.Random(seed)
        self.zalo_app_id = zalo_app_id
        self.zalo_oa_secret = zalo_oa_secret
        self._ids = itertools.count(1)
        # Contacts that write normally; agents (an OA admin's messages pause the bot for their
        # citizen) and unfollows get contacts of their own, so a pause never hides a reply.
        self.tg_users = [7000 + i for i in range(40)]
        self.zalo_users = [str(2468458835296197000 + i) for i in range(40)]
        self.bot_users = [f"e4ea2cd5189df1c3a{i:03d}" for i in range(40)]
        self.web_sids = [f"fuzzsession{i:04d}abcdefgh" for i in range(40)]

    def case(self) -> Case:
        n = next(self._ids)
        channel = self.rng.choice(CHANNELS)
        return getattr(self, f"_{channel}")(n)

    # --- shared ---------------------------------------------------------------------------
    def _pick(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _json(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=self.rng.random() < 0.5).encode(
            "utf-8", "surrogatepass"
        )

    def _junk_case(self, n: int, channel: str, path: str, headers: dict[str, str]) -> Case:
        body, content_type = hostile.raw_junk(self.rng)
        return Case(n, channel, "junk", path, body, {**headers, "Content-Type": content_type})

    # --- Telegram -------------------------------------------------------------------------
    def _telegram(self, n: int) -> Case:
        path = f"/webhooks/telegram/{UNIT}"
        headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        kind = self._pick(TELEGRAM_MIX)
        if kind == "junk":
            return self._junk_case(n, "telegram", path, headers)
        chat = self.rng.choice(self.tg_users)
        if kind == "callback":
            update = self._tg_callback(n, chat)
        elif kind == "other":
            update = self._tg_other(n)
        else:
            update = self._tg_message(n, chat)
        answer = ("telegram", str(chat)) if kind in ("message", "callback") else None
        if kind == "mangled":
            update = hostile.mangle(self.rng, update)
        if kind == "update_id":
            update["update_id"] = self.rng.choice([*hostile.IDS, 10**400 // 10**380])
            answer = None
        if kind == "auth":
            headers = self.rng.choice(
                [
                    {},
                    {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                    {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET + "x"},
                ]
            )
            answer = None
        headers = {**headers, "Content-Type": "application/json"}
        return Case(n, "telegram", kind, path, self._json(update), headers, answer)

    def _tg_user(self, chat: int) -> dict[str, Any]:
        user: dict[str, Any] = {"id": chat, "is_bot": False, "first_name": "Minh"}
        if self.rng.random() < 0.3:
            user["first_name"] = hostile.text(self.rng)[:300]
            user["last_name"] = hostile.text(self.rng)[:300]
            user["language_code"] = self.rng.choice(["vi", "en", "x" * 100, ""])
        return user

    def _tg_message(self, n: int, chat: int) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": n,
            "from": self._tg_user(chat),
            "chat": {"id": chat, "type": "private", "first_name": "Minh"},
            "date": int(time.time()),
        }
        what = self._pick(TELEGRAM_KINDS)
        if what == "text":
            message["text"] = hostile.text(self.rng)
        elif what == "photo":
            message["photo"] = [
                {"file_id": "AgAC", "file_unique_id": "u", "width": 1, "height": 1}
            ]
            message["caption"] = hostile.text(self.rng)[:1024]
        elif what == "document":
            message["document"] = {
                "file_id": "BQAC",
                "file_unique_id": "d",
                "file_name": hostile.text(self.rng)[:300],
                "mime_type": "application/pdf",
                "file_size": 48213,
            }
        elif what == "sticker":
            message["sticker"] = {
                "file_id": "CAAC",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        elif what == "location":
            lat, lon = self.rng.choice([(10.95, 106.82), (91.0, 200.0), (0.0, -0.0)])
            message["location"] = {"latitude": lat, "longitude": lon}
        elif what == "voice":
            message["voice"] = {"file_id": "AwAC", "file_unique_id": "v", "duration": 3}
        else:
            message["contact"] = {"phone_number": "0912345678", "first_name": "Minh"}
        return {"update_id": 100_000 + n, "message": message}

    def _tg_callback(self, n: int, chat: int) -> dict[str, Any]:
        query: dict[str, Any] = {
            "id": f"cb{n}",
            "from": self._tg_user(chat),
            "chat_instance": "1",
            "data": hostile.payload(self.rng)[:64],
            "message": {
                "message_id": n,
                "date": int(time.time()),
                "text": "menu",
                "chat": {"id": chat, "type": "private"},
            },
        }
        return {"update_id": 100_000 + n, "callback_query": query}

    def _tg_other(self, n: int) -> dict[str, Any]:
        chat = 9000 + self.rng.randint(0, 20)  # not a contact that must be answered
        message = self._tg_message(n, chat)["message"]
        key = self.rng.choice(
            [
                "edited_message",
                "channel_post",
                "poll",
                "my_chat_member",
                "message_reaction",
                "unknown_kind",
                "message",
            ]
        )
        if key == "my_chat_member":
            value: Any = {
                "chat": message["chat"],
                "from": message["from"],
                "date": 1,
                "old_chat_member": {"status": "member", "user": message["from"]},
                "new_chat_member": {
                    "status": self.rng.choice(["kicked", "member", "left", 7]),
                    "user": message["from"],
                },
            }
        elif key == "message":  # a group or channel message
            message["chat"] = {"id": -100123, "type": self.rng.choice(["group", "supergroup"])}
            value = message
        else:
            value = message if key != "poll" else {"id": "p", "question": "?", "options": []}
        return {"update_id": 100_000 + n, key: value}

    # --- Zalo OA --------------------------------------------------------------------------
    def _zalo(self, n: int) -> Case:
        path = f"/webhooks/zalo/{UNIT}"
        kind = self._pick(ZALO_MIX)
        user = self.rng.choice(self.zalo_users)
        if kind == "junk":
            body, content_type = hostile.raw_junk(self.rng)
            headers = {"Content-Type": content_type, "X-ZEvent-Signature": self._sign(body, "")}
            return Case(n, "zalo", kind, path, body, headers)
        if kind == "button":
            event = self._zalo_event(
                n, user, "user_send_text", {"text": "#lx:" + hostile.payload(self.rng)}
            )
        elif kind == "other":
            event = self._zalo_other(n)
        else:
            event = self._zalo_message(n, user)
        answer = ("zalo", user) if kind in ("message", "button") else None
        if kind == "mangled":
            event = hostile.mangle(self.rng, event)
        raw = self._json(event)
        stamp = event.get("timestamp", "") if isinstance(event, dict) else ""
        headers = {
            "Content-Type": "application/json",
            "X-ZEvent-Signature": self._sign(raw, str(stamp)),
        }
        if kind == "auth":
            answer = None
            how = self._pick({"none": 1, "wrong": 1, "stale": 1, "future": 1})
            if how == "none":
                del headers["X-ZEvent-Signature"]
            elif how == "wrong":
                headers["X-ZEvent-Signature"] = "mac=" + "0" * 64
            else:
                shift = -(10**9) if how == "stale" else 10**9
                event["timestamp"] = str(int(event["timestamp"]) + shift)
                raw = self._json(event)
                headers["X-ZEvent-Signature"] = self._sign(raw, event["timestamp"])
        return Case(n, "zalo", kind, path, raw, headers, answer)

    def _sign(self, raw: bytes, stamp: str) -> str:
        data = self.zalo_app_id.encode() + raw + stamp.encode() + self.zalo_oa_secret.encode()
        return "mac=" + hashlib.sha256(data).hexdigest()

    def _zalo_event(
        self, n: int, user: str, name: str, message: dict[str, Any] | None
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "app_id": self.zalo_app_id,
            "user_id_by_app": "1" + user[1:],
            "event_name": name,
            "timestamp": str(int(time.time() * 1000)),
            "sender": {"id": user},
            "recipient": {"id": "579745863508352884"},
        }
        if message is not None:
            event["message"] = {"msg_id": f"fuzz-{n}", **message}
        return event

    def _zalo_message(self, n: int, user: str) -> dict[str, Any]:
        what = self._pick(
            {"text": 80, "image": 5, "file": 4, "sticker": 3, "location": 4, "link": 4}
        )
        if what == "text":
            return self._zalo_event(n, user, "user_send_text", {"text": hostile.text(self.rng)})
        payloads = {
            "image": {"url": "https://photo.zalo.me/f.jpg", "thumbnail": "https://t/f.jpg"},
            "file": {
                "size": self.rng.choice(["48213", "-1", "9" * 40]),
                "type": "pdf",
                "name": hostile.text(self.rng)[:200],
                "url": "https://f.zalo.me/d.pdf",
            },
            "sticker": {"id": "s1", "url": "https://s.zalo.me/1"},
            "location": {
                "coordinates": {
                    "latitude": self.rng.choice(["10.95", "x", "nan", 1e308]),
                    "longitude": "106.82",
                }
            },
            "link": {"url": "https://" + hostile.word(self.rng), "description": "?"},
        }
        attachment = {"type": what, "payload": payloads[what]}
        text = hostile.text(self.rng)[:500] if what == "link" else ""
        return self._zalo_event(
            n, user, f"user_send_{what}", {"text": text, "attachments": [attachment]}
        )

    def _zalo_other(self, n: int) -> dict[str, Any]:
        user = str(3000000000000000000 + self.rng.randint(0, 20))
        name = self.rng.choice(
            [
                "follow",
                "unfollow",
                "oa_send_text",
                "user_received_message",
                "user_seen_message",
                "user_submit_info",
                "anonymous_send_text",
                "user_send_unknown",
                "",
                "x" * 300,
            ]
        )
        event = self._zalo_event(n, user, name, {"text": hostile.text(self.rng)[:200]})
        if name in ("follow", "unfollow"):
            event["follower"] = event.pop("sender")
        if name == "oa_send_text":
            event["sender"] = {"id": "579745863508352884", "admin_id": self.rng.choice(["1", ""])}
            event["recipient"] = {"id": user}
        if name == "anonymous_send_text":
            event["message"]["conversation_id"] = self.rng.choice(["c1", "", "x" * 300])
        return event

    # --- Zalo Bot -------------------------------------------------------------------------
    def _zalobot(self, n: int) -> Case:
        path = f"/webhooks/zalobot/{UNIT}"
        headers = {"X-Bot-Api-Secret-Token": ZALOBOT_SECRET, "Content-Type": "application/json"}
        kind = self._pick(ZALOBOT_MIX)
        if kind == "junk":
            return self._junk_case(n, "zalobot", path, headers)
        chat = self.rng.choice(self.bot_users)
        update = self._bot_update(n, chat)
        answer = ("zalobot", chat) if kind == "message" else None
        if kind == "other":
            update["event_name"] = self.rng.choice(
                ["message.sticker.received", "message.unsupported.received", "unknown", "", 5]
            )
            update["message"]["chat"] = {"id": "g" + chat, "chat_type": "GROUP"}
        if kind == "mangled":
            update = hostile.mangle(self.rng, update)
        body: Any = update
        if kind == "batch":  # several updates in one body, some of them junk
            body = [self._bot_update(next(self._ids), chat), hostile.junk(self.rng), update]
        if self.rng.random() < 0.7:
            body = {"ok": True, "result": body}
        if kind == "auth":
            headers = {"Content-Type": "application/json"}
            if self.rng.random() < 0.5:
                headers["X-Bot-Api-Secret-Token"] = "wrong"
            answer = None
        return Case(n, "zalobot", kind, path, self._json(body), headers, answer)

    def _bot_update(self, n: int, chat: str) -> dict[str, Any]:
        message = {
            "from": {"id": chat, "display_name": "Minh", "is_bot": False},
            "chat": {"id": chat, "chat_type": "PRIVATE"},
            "message_id": f"fuzz-{n:08x}",
            "date": int(time.time() * 1000),
            "text": hostile.text(self.rng),
        }
        return {"event_name": "message.text.received", "message": message}

    # --- web chat -------------------------------------------------------------------------
    def _web(self, n: int) -> Case:
        sid = self.rng.choice(self.web_sids)
        path = f"/chat/api/{UNIT}/send"
        headers = {"Content-Type": "application/json", "Cookie": f"loaxa_chat={sid}"}
        kind = self._pick(WEB_MIX)
        if kind == "junk":
            return self._junk_case(n, "web", path, headers)
        body: dict[str, Any] = {"id": f"fuzz{n:08d}", "after": 0}
        if kind == "button":
            body["payload"] = hostile.payload(self.rng)
        else:
            body["text"] = hostile.text(self.rng)
        answer = ("web", sid) if kind in ("message", "button") else None
        if kind == "mangled":
            body = copy.deepcopy(body)
            key = self.rng.choice(["id", "after", "text", "payload"])
            body[key] = self.rng.choice(
                [*hostile.JUNK, *hostile.IDS, "x" * 64, "a" * 65, "-5", "1" * 30, 10**30]
            )
        if kind == "auth":
            headers = {
                "Content-Type": "application/json",
                "Cookie": self.rng.choice(
                    ["", "loaxa_chat=short", "loaxa_chat=" + "y" * 65, "loaxa_chat=ok;but=x"]
                ),
            }
        if kind == "poll":
            after = self.rng.choice(["0", "-1", "abc", "1" * 40, "9" * 5000, "", "1.5"])
            return Case(n, "web", kind, f"/chat/api/{UNIT}/messages?after={after}", b"", headers)
        if self.rng.random() < 0.1:  # the longest session id with the longest message id
            sid = "s" * 64
            headers["Cookie"] = f"loaxa_chat={sid}"
            body["id"] = f"{n:08d}" + "m" * 56
            answer = ("web", sid) if answer else None
        return Case(n, "web", kind, path, self._json(body), headers, answer)
