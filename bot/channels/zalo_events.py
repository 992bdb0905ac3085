"""Zalo OA webhook details the adapter reads: anonymous chats, files, links (pure, no I/O).

Anonymous chats: a person who has not followed the OA writes through an anonymous chat; the
event is `anonymous_send_*`, `sender.id` is an anonymous id and `message.conversation_id` names
the chat. A reply needs both: recipient {"conversation_id", "anonymous_id"} (Zalo's Java SDK,
src/test/java/v3/SendTextAnonymousMessage.java). Both are kept in the contact's id,
"anon:<anonymous_id>:<conversation_id>", so a reply (even a late one from staff) can be sent.

Files: `payload.type` of a `user_send_file` attachment is the extension ("pdf"), not a MIME
type; `mime_type()` maps the usual ones and drops the rest.
"""

from __future__ import annotations

from typing import Any

ANONYMOUS_PREFIX = "anon:"
# anonymous_send_* → the user_send_* event it is read as (the payloads have the same shape).
ANONYMOUS_EVENTS = {
    f"anonymous_send_{kind}": f"user_send_{kind}"
    for kind in ("text", "image", "file", "sticker", "link", "location", "audio", "video", "gif")
}
_MIME_BY_EXTENSION = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "heic": "image/heic",
    "mp4": "video/mp4",
    "mp3": "audio/mpeg",
    "amr": "audio/amr",
}


def is_anonymous(user_id: str) -> bool:
    return user_id.startswith(ANONYMOUS_PREFIX)


def anonymous_user_id(payload: dict[str, Any]) -> str:
    """ "anon:<anonymous_id>:<conversation_id>", or "" when either part is missing."""
    sender = payload.get("sender") if isinstance(payload.get("sender"), dict) else {}
    message = payload.get("message") if isinstance(payload.get("message"), dict) else {}
    assert isinstance(sender, dict) and isinstance(message, dict)
    anonymous_id = str(sender.get("id") or "")
    conversation_id = str(message.get("conversation_id") or payload.get("conversation_id") or "")
    if not anonymous_id or not conversation_id or ":" in anonymous_id:
        return ""
    return f"{ANONYMOUS_PREFIX}{anonymous_id}:{conversation_id}"[:128]


def recipient(user_id: str) -> dict[str, str]:
    """The `recipient` object of a send to this contact id."""
    if is_anonymous(user_id):
        anonymous_id, _, conversation_id = user_id[len(ANONYMOUS_PREFIX) :].partition(":")
        return {"conversation_id": conversation_id, "anonymous_id": anonymous_id}
    return {"user_id": user_id}


def mime_type(value: Any) -> str | None:
    """A MIME type from a file's `payload.type`: an extension ("pdf", ".PDF") or a MIME type."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().lower()
    if "/" in text:
        return text[:100]
    return _MIME_BY_EXTENSION.get(text.lstrip("."))


def link_text(text: str, attachments: list[dict[str, Any]]) -> str:
    """What a citizen sent as a link, as text: their words, then the URL if not already there."""
    parts = [text.strip()] if text.strip() else []
    for item in attachments:
        payload = item.get("payload") if isinstance(item.get("payload"), dict) else {}
        assert isinstance(payload, dict)
        url = str(payload.get("url") or "").strip()
        if url and url not in text:
            parts.append(url)
    return "\n".join(parts)


AGENT_PREFIX = "oa_send_"  # oa_send_text, oa_send_image, … (sent from the OA)


def is_agent(payload: dict[str, Any]) -> bool:
    """A message a person (an OA admin) sent in the OA chat, not one of the bot's API sends."""
    sender = payload.get("sender")
    return (
        str(payload.get("event_name", "")).startswith(AGENT_PREFIX)
        and isinstance(sender, dict)
        and bool(sender.get("admin_id"))
    )


SEEN_EVENT = "user_seen_message"


def seen_message_ids(payload: dict[str, Any]) -> tuple[str, list[str]]:
    """(who, [message ids]) of a `user_seen_message` event; ("", []) for anything else.
    The ids are those Zalo returned when we sent (`data.message_id`)."""
    if payload.get("event_name") != SEEN_EVENT:
        return "", []
    sender = payload.get("sender")
    message = payload.get("message")
    if not isinstance(sender, dict) or not isinstance(message, dict):
        return "", []
    ids = message.get("msg_ids")
    if not isinstance(ids, list):
        ids = [message["msg_id"]] if isinstance(message.get("msg_id"), str) else []
    return str(sender.get("id") or "")[:128], [
        str(i)[:128] for i in ids if isinstance(i, str | int)
    ]
