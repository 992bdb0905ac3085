"""The PAKN deadline policy of every unit, loaded once from content/pakn.yaml at start-up.

`load_policies` validates the file for every unit (a broken file stops start-up with a message
naming the field); `PolicyBook` hands out each unit's policy and working-day calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bot.content.errors import ContentError
from bot.pakn.deadlines import DeadlinePolicy, policy_from_mapping
from bot.pakn.workdays import WorkCalendar

FILE_NAME = "pakn.yaml"

# Sample values for every variable the pakn.* / status.* / rate.* / privacy.* messages use, so the
# content check (bot/content/loader.py) can render each message for each unit.
MESSAGE_SAMPLES: Mapping[str, Any] = MappingProxyType(
    {
        "code": "PA-7KM-Q9X-DA3",
        "spoken": "bảy, ca, em-mờ – quy, chín, ích-xì – dê, a, ba",
        "due_date": "05/12/2026",
        "received_date": "23/11/2026",
        "category": "Thủ tục hành chính",
        "state": "Đã tiếp nhận",
        "next_step": "Cán bộ đang xem xét.",
        "content": "Đường liên ấp bị hỏng nặng",
        "area": "Ấp 1",
        "located": True,
        "name": "Nguyễn Văn An",
        "contact": "0912 *** 678",
        "attachments": 1,
        "min_chars": 20,
        "min_words": 4,
        "max_chars": 5000,
        "count": 1,
        "minutes": 2,
        "hours": 24,
        "forwarded_to": "Sở Tư pháp",
        "reason": "Nội dung không rõ ràng",
        "answer": "Xã đã sửa đường.",
        "rating": 5,
        "messages": 12,
        "pakn_list": "PA-7KM-Q9X-DA3",
        "phone": "0912 *** 678",
    }
)


def load_policies(content_dir: Path, units: Iterable[str]) -> dict[str, DeadlinePolicy]:
    """Each unit's policy from ``content_dir/pakn.yaml``; raises ContentError naming the field."""
    path = content_dir / FILE_NAME
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"{source}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{source}: YAML syntax error: {exc}") from exc
    keys = list(units)
    policies: dict[str, DeadlinePolicy] = {}
    for key in keys:  # the whole file is validated on the first call; errors raise at once
        policies[key] = policy_from_mapping(data, key, source=source)
    if isinstance(data, Mapping) and isinstance(data.get("units"), Mapping):
        unknown = sorted(str(k) for k in data["units"] if k not in keys)
        if unknown:
            raise ContentError(
                [f"{source}: units.{k}: no such unit in content/units/" for k in unknown]
            )
    return policies


class PolicyBook:
    """Policies and calendars per unit (calendars are built once: they cache holidays)."""

    def __init__(self, policies: Mapping[str, DeadlinePolicy]) -> None:
        self._policies = dict(policies)
        self._calendars: dict[str, WorkCalendar] = {}

    def policy(self, unit: str) -> DeadlinePolicy:
        try:
            return self._policies[unit]
        except KeyError:
            raise LookupError(f"no PAKN policy for unit {unit!r}") from None

    def calendar(self, unit: str) -> WorkCalendar:
        if unit not in self._calendars:
            self._calendars[unit] = self.policy(unit).calendar()
        return self._calendars[unit]

    def local_date_text(self, unit: str, when: dt.datetime) -> str:
        """dd/mm/yyyy in the unit's time zone, as Vietnamese documents write dates."""
        return when.astimezone(self.calendar(unit).tz).strftime("%d/%m/%Y")
