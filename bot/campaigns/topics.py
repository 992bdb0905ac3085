"""The subscription catalog (content/subscriptions.yaml): topics, quiet hours; validated at load.

Errors name the file and the field, e.g. "content/subscriptions.yaml: topics[2].key: ...".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.errors import ContentError

FILE_NAME = "subscriptions.yaml"
KEY_RE = re.compile(r"^[a-z0-9_]{1,24}$")
HOURS_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
QuietHours = tuple[dt.time, dt.time] | None
MAX_TOPICS = 5


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    keywords: tuple[str, ...] = ()
    by_area: bool = False


@dataclass(frozen=True)
class Catalog:
    topics: tuple[Topic, ...]
    quiet_hours: QuietHours | str = "setting"  # "setting": use CAMPAIGN_QUIET_HOURS
    unit_quiet_hours: dict[str, QuietHours] = field(default_factory=dict)
    source: str = ""

    def topic(self, key: str) -> Topic | None:
        return next((t for t in self.topics if t.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.topics)

    def quiet_for(self, unit: str, setting: QuietHours) -> QuietHours:
        if unit in self.unit_quiet_hours:
            return self.unit_quiet_hours[unit]
        return setting if self.quiet_hours == "setting" else self.quiet_hours  # type: ignore[return-value]


def parse_quiet_hours(raw: str) -> QuietHours:
    """ "22:00-06:00" -> (22:00, 06:00); "" / "off" -> None (no quiet hours)."""
    value = raw.strip().lower()
    if value in ("", "off", "none", "khong", "không"):
        return None
    match = HOURS_RE.match(value)
    if not match:
        raise ValueError('expected "HH:MM-HH:MM" (e.g. 22:00-06:00) or "off"')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = dt.time(h1, m1), dt.time(h2, m2)
    if start == end:
        raise ValueError("start and end of the quiet hours are equal")
    return (start, end)


def in_quiet_hours(local: dt.time, hours: QuietHours) -> bool:
    if hours is None:
        return False
    start, end = hours
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight


def _nfc(value: str, where: str, errors: list[str]) -> None:
    if unicodedata.normalize("NFC", value) != value:
        errors.append(f"{where}: text is not in Unicode NFC form")


def parse_catalog(path: Path, data: Any, unit_keys: set[str] | None = None) -> Catalog:
    where = str(path)
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ContentError(f"{where}: expected a mapping with topics, quiet_hours, units")
    topics: list[Topic] = []
    raw_topics = data.get("topics")
    if not isinstance(raw_topics, list) or not raw_topics:
        errors.append(f"{where}: topics: a non-empty list is required")
        raw_topics = []
    seen: set[str] = set()
    for i, item in enumerate(raw_topics):
        at = f"{where}: topics[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{at}: expected a mapping with key and label")
            continue
        key, label = item.get("key"), item.get("label")
        if not isinstance(key, str) or not KEY_RE.match(key):
            errors.append(f"{at}.key: must be 1-24 characters a-z, 0-9, _ (got {key!r})")
            key = f"?{i}"
        elif key in seen:
            errors.append(f"{at}.key: duplicate key {key!r}")
        seen.add(str(key))
        if not isinstance(label, str) or not label.strip():
            errors.append(f"{at}.label: missing (text required)")
            label = ""
        else:
            _nfc(label, f"{at}.label", errors)
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            errors.append(f"{at}.keywords: must be a list of texts")
            keywords = []
        by_area = item.get("by_area", False)
        if not isinstance(by_area, bool):
            errors.append(f"{at}.by_area: must be true or false")
            by_area = False
        unknown = set(item) - {"key", "label", "keywords", "by_area"}
        if unknown:
            errors.append(f"{at}: unknown field(s) {sorted(unknown)}")
        topics.append(Topic(str(key), label.strip(), tuple(k.lower() for k in keywords), by_area))
    quiet: QuietHours | str = "setting"
    if data.get("quiet_hours") not in (None, ""):
        try:
            quiet = parse_quiet_hours(str(data["quiet_hours"]))
        except ValueError as exc:
            errors.append(f"{where}: quiet_hours: {exc}")
    per_unit: dict[str, QuietHours] = {}
    units = data.get("units") or {}
    if not isinstance(units, dict):
        errors.append(f"{where}: units: must be a mapping of unit keys")
        units = {}
    for unit, conf in units.items():
        at = f"{where}: units.{unit}"
        if unit_keys is not None and unit not in unit_keys:
            errors.append(f"{at}: unknown unit {unit!r}")
        if not isinstance(conf, dict) or "quiet_hours" not in conf:
            errors.append(f"{at}: expected a mapping with quiet_hours")
            continue
        try:
            per_unit[str(unit)] = parse_quiet_hours(str(conf["quiet_hours"] or ""))
        except ValueError as exc:
            errors.append(f"{at}.quiet_hours: {exc}")
    if len(topics) > MAX_TOPICS:
        errors.append(f"{where}: topics: at most {MAX_TOPICS} (Zalo shows 5 buttons per message)")
    if errors:
        raise ContentError(errors)
    return Catalog(tuple(topics), quiet, per_unit, where)


def load_catalog(content_dir: Path, unit_keys: set[str] | None = None) -> Catalog:
    path = Path(content_dir) / FILE_NAME
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc
    return parse_catalog(path, data, unit_keys)


@functools.lru_cache(maxsize=8)
def cached_catalog(content_dir: Path) -> Catalog:
    """The catalog for the running bot (validated once more at start by the content loader)."""
    return load_catalog(content_dir)
