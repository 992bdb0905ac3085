"""A petition as the citizen filled it in, before it is stored (bot/pakn/service.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Draft:
    """What the citizen filled in (kept in the conversation state as a plain dict)."""

    category: str
    content: str
    sender_name: str
    phone: str | None = None  # E.164
    address: str | None = None
    area: str | None = None
    attachments: tuple[dict[str, Any], ...] = ()
    consent_at: dt.datetime | None = None
    location: tuple[float, float, float | None] | None = None  # lat, lon, accuracy (metres)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Draft:
        consent = data.get("consent_at")
        where = data.get("location") or {}
        location = None
        if where.get("lat") is not None and where.get("lon") is not None:
            accuracy = where.get("accuracy")
            location = (
                float(where["lat"]),
                float(where["lon"]),
                float(accuracy) if accuracy is not None else None,
            )
        return cls(
            category=str(data.get("category") or ""),
            content=str(data.get("content") or ""),
            sender_name=str(data.get("name") or ""),
            phone=data.get("phone") or None,
            address=data.get("address") or None,
            area=data.get("area") or None,
            attachments=tuple(data.get("attachments") or ()),
            consent_at=dt.datetime.fromisoformat(consent) if consent else None,
            location=location,
        )
