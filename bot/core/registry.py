"""The channels of every unit, by (unit, channel name): what the pipeline sends through."""

from __future__ import annotations

from bot.channels.base import Channel


class ChannelRegistry:
    def __init__(self) -> None:
        self._channels: dict[tuple[str, str], Channel] = {}

    def add(self, channel: Channel) -> None:
        self._channels[(channel.unit, channel.name)] = channel

    def get(self, unit: str, name: str) -> Channel | None:
        return self._channels.get((unit, name))

    def all(self) -> list[Channel]:
        return list(self._channels.values())
