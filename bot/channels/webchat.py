"""The local web chat as a channel: the browser posts messages and reads replies from the log."""

from __future__ import annotations

from typing import Any

from bot.channels.base import SendResult
from bot.core.messages import Attachment, Inbound, Reply

MAX_WEB_TEXT = 20000  # a browser can send anything; the engine cuts and says so


class WebChatChannel:
    name = "web"

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def parse(self, payload: dict[str, Any]) -> list[Inbound]:
        sid = str(payload.get("sid", ""))
        if not sid:
            return []
        where = _location(payload.get("location"))
        if where is not None:  # "share my location" in the PAKN form (navigator.geolocation)
            point, accuracy = where
            return [
                Inbound(
                    self.unit,
                    self.name,
                    sid,
                    kind="location",
                    location=point,
                    location_accuracy=accuracy,
                    language="vi",
                )
            ]
        button = payload.get("payload")
        if isinstance(button, str) and button:
            return [Inbound(self.unit, self.name, sid, kind="button", payload=button[:256])]
        text = payload.get("text")
        text = text[:MAX_WEB_TEXT] if isinstance(text, str) else ""
        stored = payload.get("file")  # an upload checked and stored by bot/web/chat_upload.py
        if isinstance(stored, int):
            kind = "document" if payload.get("kind") == "document" else "photo"
            photo = Attachment(kind=kind, file_id=f"web:{stored}", stored_id=stored)
            return [
                Inbound(
                    self.unit, self.name, sid, kind="attachment", text=text, attachments=(photo,)
                )
            ]
        return [Inbound(self.unit, self.name, sid, kind="text", text=text, language="vi")]

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        return SendResult.ok()  # the page polls the message log; nothing to push

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        return None


def _location(raw: Any) -> tuple[tuple[float, float], float | None] | None:
    """{"lat", "lon", "accuracy"} from the browser, checked: degrees in range, metres >= 0."""
    if not isinstance(raw, dict):
        return None
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
        accuracy = raw.get("accuracy")
        metres = None if accuracy is None else float(accuracy)
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (metres is not None and not metres >= 0):
        return None  # also NaN
    return (lat, lon), (min(metres, 100_000.0) if metres is not None else None)
