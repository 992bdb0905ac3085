"""Load and validate everything in content/ at once; the bot refuses to start on bad content."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.address import AddressNote, load_note
from bot.campaigns.topics import load_catalog
from bot.content.errors import ContentError
from bot.content.messages import Messages, load_messages
from bot.content.units import Unit, load_units
from bot.faq_service import FaqService
from bot.pakn.deadlines import DeadlinePolicy
from bot.pakn.policy import MESSAGE_SAMPLES as PAKN_SAMPLES
from bot.pakn.policy import load_policies
from bot.pakn.staff_group import STAFF_SAMPLES

# Sample values of the variables UI messages use, so every message can be test-rendered for
# every unit at start-up. A feature whose messages take variables adds its samples here.
SAMPLE_CONTEXT: dict[str, Any] = {
    "length": 1,
    "limit": 1,
    "subscriptions": 2,
    "old": "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
    "new": "Phường Sài Gòn, Thành phố Hồ Chí Minh",
    "options": "- Phường Sài Gòn",
    "province": "Thành phố Hồ Chí Minh",
    "note": "Giấy tờ cũ vẫn dùng được.",
    "group": "Hộ tịch",  # ask.topic_entries
    "max_mb": 10,  # media.* (bot/media/images.py)
    "max_files": 5,
    **STAFF_SAMPLES,
    **PAKN_SAMPLES,
}


@dataclass
class Content:
    units: dict[str, Unit]
    messages: Messages
    faq: FaqService
    pakn: dict[str, DeadlinePolicy] = field(default_factory=dict)  # PAKN deadlines per unit
    address: AddressNote | None = None  # content/address.yaml: old → new addresses


def load_content(content_dir: Path) -> Content:
    errors: list[str] = []
    units: dict[str, Unit] = {}
    messages: Messages | None = None
    faq: FaqService | None = None
    try:
        units = load_units(content_dir / "units")
    except ContentError as exc:
        errors.extend(exc.errors)
    try:
        messages = load_messages(content_dir / "messages.vi.yaml")
    except ContentError as exc:
        errors.extend(exc.errors)
    try:
        faq = FaqService.load(content_dir, parents={k: u.parent for k, u in units.items()})
    except ContentError as exc:
        errors.extend(exc.errors)
    pakn: dict[str, DeadlinePolicy] = {}
    if units:
        try:
            pakn = load_policies(content_dir, units)
        except ContentError as exc:
            errors.extend(exc.errors)
    if messages is not None and units:
        errors.extend(_check_messages_render(messages, units))
    try:  # content/subscriptions.yaml: topics and quiet hours of broadcasts (bot/campaigns)
        load_catalog(content_dir, set(units))
    except ContentError as exc:
        errors.extend(exc.errors)
    address = None
    try:
        address = load_note(content_dir / "address.yaml")
    except ContentError as exc:
        errors.extend(exc.errors)
    if errors or messages is None or faq is None:
        raise ContentError(errors)
    return Content(units=units, messages=messages, faq=faq, pakn=pakn, address=address)


def _check_messages_render(messages: Messages, units: dict[str, Unit]) -> list[str]:
    """Every UI message must render for every unit (catches a field a unit lacks)."""
    errors = []
    for unit in units.values():
        for key in messages.names():
            try:
                text = messages.render(key, unit=unit, **SAMPLE_CONTEXT)
            except Exception as exc:
                errors.append(f"{messages.source}: {key}: does not render for {unit.key}: {exc}")
                continue
            if unicodedata.normalize("NFC", text) != text:
                errors.append(f"{messages.source}: {key}: not NFC")
    return errors
