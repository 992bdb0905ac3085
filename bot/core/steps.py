"""What processing one update yields for the pipeline (bot/core/pipeline.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.channels.base import Channel
from bot.core.messages import Reply


@dataclass
class Direct:
    """Replies inserted already claimed, to send right after the commit (the contact's
    fields copied while the session was open)."""

    replies: list[tuple[int, Reply]]
    unit: str
    channel: str
    contact_id: int
    external_id: str
    blocked: bool


Step = tuple[list[int], Direct]  # queued row ids (claimed by deliver), then direct replies
# steps, after-commit hooks, the channel and the raw update (to acknowledge)
Processed = tuple[list[Step], list[Any], Channel | None, dict[str, Any] | None]


class Redo(Exception):
    """The flow of message `index` raised: its transaction is rolled back and redone."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index
