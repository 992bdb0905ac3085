"""Webhook events of the fake Zalo OA beyond plain text: the shapes real OAs receive.

Mixed into FakeZaloOA (which provides `event()`, `app_id`, `oa_id`, `_ids`). Shapes follow the
samples in tests/fixtures/zalo/ (each names its public source there).
"""

from __future__ import annotations

import hashlib
from typing import Any

JSON = dict[str, Any]


def numeric_id(seed: str) -> str:
    """A stable 18-19 digit id, like Zalo's user ids and `user_id_by_app` values."""
    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:15], 16)
    return str(1_000_000_000_000_000_000 + digest % 8_000_000_000_000_000_000)


class ZaloOAEvents:
    app_id: str
    oa_id: str
    messages: list[JSON]  # accepted sends: {"user_id", "message", "message_id"}

    def event(
        self, event_name: str, user_id: str, message: JSON | None = None, **extra: Any
    ) -> JSON:
        raise NotImplementedError

    def _next_id(self) -> int:
        raise NotImplementedError

    # -- what a citizen sends ----------------------------------------------------------------
    def attachment_event(self, user_id: str, kind: str) -> JSON:
        payloads: dict[str, tuple[str, JSON]] = {
            "image": (
                "user_send_image",
                {
                    "thumbnail": "https://photo-thumb.zdn.vn/fake.jpg",
                    "url": "https://photo.zalo.me/fake.jpg",
                },
            ),
            "sticker": ("user_send_sticker", {"id": "sticker-1", "url": "https://s.zalo.me/1"}),
            "audio": ("user_send_audio", {"url": "https://voice.zalo.me/fake.aac"}),
            "file": (
                "user_send_file",
                {
                    "size": "48213",
                    "name": "d.pdf",
                    "checksum": "5d41402abc4b2a76b9719d911017c592",
                    "type": "pdf",
                    "url": "https://f.zalo.me/d.pdf",
                },
            ),
            "location": (
                "user_send_location",
                {"coordinates": {"latitude": "10.95", "longitude": "106.82"}},
            ),
        }
        event_name, payload = payloads[kind]
        attachment = {"type": kind, "payload": payload}
        return self.event(event_name, user_id, {"text": "", "attachments": [attachment]})

    def quote_event(self, user_id: str, text: str, quote_msg_id: str) -> JSON:
        """A text sent with "Trả lời" on an earlier message."""
        return self.event("user_send_text", user_id, {"text": text, "quote_msg_id": quote_msg_id})

    def media_url(self, name: str, data: bytes) -> str:
        raise NotImplementedError

    def image_event(self, user_id: str, text: str = "", data: bytes | None = None) -> JSON:
        """A photo; with `data`, its URL is served by the fake until it expires."""
        n = self._next_id()
        payload = {
            "thumbnail": f"https://photo-thumb.zdn.vn/fake/{n}.jpg",
            "url": f"https://photo-link.zdn.vn/fake/{n}.jpg",
        }
        if data is not None:
            payload["url"] = self.media_url(f"{n}.jpg", data)
            payload["thumbnail"] = payload["url"]
        attachment = {"type": "image", "payload": payload}
        return self.event("user_send_image", user_id, {"text": text, "attachments": [attachment]})

    def file_event(self, user_id: str, name: str = "don-de-nghi.pdf", size: int = 48213) -> JSON:
        extension = name.rsplit(".", 1)[-1]
        payload = {
            "size": str(size),
            "name": name,
            "checksum": hashlib.md5(name.encode(), usedforsecurity=False).hexdigest(),
            "type": extension,  # the extension, not a MIME type
            "url": f"https://f.zdn.vn/fake/{self._next_id()}/{name}",
        }
        attachment = {"type": "file", "payload": payload}
        return self.event("user_send_file", user_id, {"text": "", "attachments": [attachment]})

    def link_event(self, user_id: str, url: str, text: str = "") -> JSON:
        payload = {
            "thumbnail": "https://photo-thumb.zdn.vn/fake/link.jpg",
            "description": "Trang thông tin",
            "url": url,
        }
        attachment = {"type": "link", "payload": payload}
        return self.event("user_send_link", user_id, {"text": text, "attachments": [attachment]})

    def submit_info_event(self, user_id: str, name: str, phone: str) -> JSON:
        """The citizen shared their details through a request_user_info form."""
        info = {"name": name, "phone": phone, "user_dob": "", "gender": "", "full_address": ""}
        return self.event("user_submit_info", user_id, None, info=info)

    def anonymous_event(
        self, anonymous_id: str, conversation_id: str, text: str, kind: str = "text"
    ) -> JSON:
        """A message from someone who has not followed the OA, in an anonymous chat."""
        message: JSON = {"text": text, "conversation_id": conversation_id}
        data = self.event(f"anonymous_send_{kind}", anonymous_id, message)
        data.pop("user_id_by_app", None)  # an anonymous sender has no app-scoped id
        return data

    # -- receipts and the OA's own messages ---------------------------------------------------
    def received_event(self, user_id: str, msg_id: str) -> JSON:
        return self.event("user_received_message", user_id, {"msg_id": msg_id})

    def seen_event(self, user_id: str, msg_ids: list[str]) -> JSON:
        data = self.event("user_seen_message", user_id, None)
        data["message"] = {"msg_ids": list(msg_ids)}
        return data

    def seen_delivered(self, user_id: str) -> JSON:
        """The user opened the chat: a seen event for every message the OA delivered to them."""
        ids = [m["message_id"] for m in self.messages if m["user_id"] == user_id]
        return self.seen_event(user_id, ids)

    def oa_send_event(
        self, user_id: str, text: str, *, admin_id: str | None = None, kind: str = "text"
    ) -> JSON:
        """The OA wrote to a citizen: our own API send (no admin_id) or a person in the OA
        chat (oa.zalo.me/chatv2), whose Zalo id is `sender.admin_id`."""
        data = self.event(f"oa_send_{kind}", user_id, {"text": text})
        data["sender"] = {"id": self.oa_id, **({"admin_id": admin_id} if admin_id else {})}
        data["recipient"] = {"id": user_id}
        return data
