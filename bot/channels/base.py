"""The interface every channel adapter implements, and the outcomes of a send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from bot.core.messages import Inbound, Reply

Outcome = Literal[
    "sent",
    "retry",
    "blocked",
    "unreachable",
    "failed",
    "refresh",
    "window_closed",
    "held",
    "skipped",
]
# "window_closed": the channel may not message this contact now (Zalo OA: no consultation
# message more than ZALO_CS_WINDOW_DAYS after the citizen's last message, or out of quota).
# The reply stays queued without using up its attempts; it goes out after retry_after, or at
# once when the citizen writes again.
# "held" (campaigns): not now, no attempt used, no call made or refused for quota / hours; the
# row is tried again after retry_after. "skipped" (campaigns): never for this recipient (e.g.
# Zalo -244, they restrict promotion messages); the error says why.


@dataclass(frozen=True)
class SendResult:
    """What happened to one outbound message. Every adapter maps its errors to these."""

    outcome: Outcome
    external_id: str | None = None
    retry_after: float | None = None  # seconds, for "retry"
    error: str | None = None

    @classmethod
    def ok(cls, external_id: str | None = None) -> SendResult:
        return cls("sent", external_id=external_id)


class Channel(Protocol):
    name: str  # "telegram" | "zalo" | "zalobot" | "web"
    unit: str

    def parse(self, payload: dict[str, Any]) -> list[Inbound]:
        """Turn a stored raw update into zero or more channel-neutral messages."""
        ...

    async def send(self, user_id: str, reply: Reply) -> SendResult: ...

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        """Channel housekeeping after processing (e.g. answer a Telegram callback query)."""
        ...


def split_text(text: str, limit: int) -> list[str]:
    """Split at paragraph, line, sentence or word boundaries so that each part ≤ limit."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(sep)
            if cut > limit // 3:
                cut += len(sep)
                break
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts or [""]
