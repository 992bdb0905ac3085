"""The petition page as a case file: which messages are about the petition, what a pressed
button said, where the place is on a map. Pure helpers for views_pakn.detail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.db.models import Message
from bot.db.models_pakn import Pakn

FORM_WINDOW = dt.timedelta(minutes=45)  # the form is filled in minutes; older chat is context
AFTER_SUBMIT = dt.timedelta(minutes=2)  # the acknowledgement and the citizen's "cảm ơn"


@dataclass(frozen=True)
class ChatLine:
    message: Message
    text: str  # what was written, or the label of the button pressed
    about: bool  # part of the petition's exchanges (else: the rest of the chat)


def osm_link(pakn: Pakn) -> str:
    """An OpenStreetMap page with a marker (a plain link: no map script on the console)."""
    if pakn.latitude is None or pakn.longitude is None:
        return ""
    lat, lon = f"{pakn.latitude:.6f}", f"{pakn.longitude:.6f}"
    return (
        "https://www.openstreetmap.org/?"
        + urlencode({"mlat": lat, "mlon": lon})
        + (f"#map=18/{lat}/{lon}")
    )


def button_labels(messages: Sequence[Message]) -> dict[str, str]:
    """payload -> label, from the buttons the bot itself sent in this chat."""
    labels: dict[str, str] = {}
    for m in messages:
        if m.direction != "out" or not isinstance(m.body, Mapping):
            continue
        for button in m.body.get("buttons") or []:
            if isinstance(button, Mapping) and button.get("payload") and button.get("label"):
                labels[str(button["payload"])] = str(button["label"])
    return labels


def payload_label(
    payload: str, labels: Mapping[str, str], known: Callable[[str], str | None]
) -> str:
    """A pressed button as people read it: its label, else a known payload, else "(một nút)"."""
    if payload in labels:
        return labels[payload]
    return known(payload) or "(bấm một nút)"


def chat_lines(
    pakn: Pakn, messages: Sequence[Message], known: Callable[[str], str | None]
) -> list[ChatLine]:
    """Every message with its readable text; `about` marks the petition's own exchanges: the
    form (shortly before the receipt), the acknowledgement, and anything naming its code."""
    labels = button_labels(messages)
    start, end = pakn.received_at - FORM_WINDOW, pakn.received_at + AFTER_SUBMIT
    lines = []
    for m in messages:
        text = m.text or (payload_label(m.payload, labels, known) if m.payload else "")
        if not text and m.kind == "location":
            text = "📍 (vị trí)"
        about = start <= m.created_at <= end or (pakn.code in (m.text or "")) or m.kind == "agent"
        lines.append(ChatLine(m, text, about))
    return lines


def known_payloads(
    category: Callable[[str], str], topics: Mapping[str, str]
) -> Callable[[str], str | None]:
    """Labels for payloads whose button is no longer in the chat (e.g. shortened ones)."""

    def known(payload: str) -> str | None:
        parts = payload.split(":")
        if parts[:2] == ["pakn", "cat"] and len(parts) > 2:
            return category(parts[2])
        if parts[:2] == ["sub", "t"] and len(parts) > 2:
            return topics.get(parts[2])
        return None

    return known


def display_names(accounts: Sequence[Any]) -> dict[str, str]:
    """username -> the name staff know each other by."""
    return {a.username: a.shown_name for a in accounts}
