"""Unit profiles (xã/phường or a province office) from content/units/*.yaml, validated at load."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.errors import ContentError

LEVELS = {"xa", "phuong", "dac_khu", "tinh"}
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ENV_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
NATIONAL_PORTAL = "https://dichvucong.gov.vn"


@dataclass(frozen=True)
class Hotline:
    label: str
    number: str  # as people write it: "(0251) 1022"
    tel: str  # digits for tel: links: "02511022"


@dataclass(frozen=True)
class ChannelConfig:
    """Names of environment variables holding a unit's channel secrets (never the secrets)."""

    telegram_token_env: str = ""
    telegram_webhook_secret_env: str = ""
    telegram_staff_chat_env: str = ""
    zalo_env_prefix: str = ""


@dataclass(frozen=True)
class Unit:
    key: str
    name: str  # "UBND xã Bình Minh"
    short_name: str  # "xã Bình Minh"
    level: str
    province: str
    hotlines: tuple[Hotline, ...]
    portal: str = NATIONAL_PORTAL
    local_portal: str | None = None
    address: str | None = None
    hours: str | None = None
    email: str | None = None
    areas: tuple[str, ...] = ()
    parent: str | None = None
    channels: ChannelConfig = field(default_factory=ChannelConfig)
    sources: tuple[str, ...] = ()
    checked: dt.date | None = None
    code: str | None = None  # the official code of the unit (mã đơn vị hành chính)
    # PAKN categories as edited in the console (bot/db/unit_categories.py); () = the policy's.
    pakn_categories: tuple[str, ...] = ()

    @property
    def hotline(self) -> str:
        return self.hotlines[0].number if self.hotlines else ""

    @property
    def hotline_tel(self) -> str:
        return self.hotlines[0].tel if self.hotlines else ""


def _tel_digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _nfc_problems(value: Any, where: str) -> list[str]:
    if isinstance(value, str) and unicodedata.normalize("NFC", value) != value:
        return [f"{where}: text is not in Unicode NFC form"]
    return []


def _parse_unit(path: Path, data: Any) -> Unit:
    where = str(path)
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ContentError([f"{where}: expected a mapping of unit fields"])

    def need_str(name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{where}: {name}: missing (text required)")
            return ""
        errors.extend(_nfc_problems(value, f"{where}: {name}"))
        return value.strip()

    def opt_str(name: str) -> str | None:
        value = data.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            errors.append(f"{where}: {name}: must be text")
            return None
        errors.extend(_nfc_problems(value, f"{where}: {name}"))
        return value.strip() or None

    key = path.stem
    if not KEY_RE.match(key):
        errors.append(f"{where}: file name must be the unit key in kebab-case ASCII")
    name = need_str("name")
    short_name = need_str("short_name")
    province = need_str("province")
    level = data.get("level")
    if level not in LEVELS:
        errors.append(f"{where}: level: must be one of {sorted(LEVELS)}")
    hotlines: list[Hotline] = []
    for i, item in enumerate(data.get("hotlines") or []):
        if not isinstance(item, dict) or not item.get("number") or not item.get("label"):
            errors.append(f"{where}: hotlines[{i}]: needs label and number")
            continue
        number = str(item["number"]).strip()
        digits = _tel_digits(number)
        if not 3 <= len(digits) <= 12:
            errors.append(f"{where}: hotlines[{i}].number: not a phone number: {number!r}")
        hotlines.append(Hotline(str(item["label"]).strip(), number, digits))
    if not hotlines:
        errors.append(f"{where}: hotlines: at least one hotline is required")
    portal = opt_str("portal") or NATIONAL_PORTAL
    local_portal = opt_str("local_portal")
    for fname, url in (("portal", portal), ("local_portal", local_portal)):
        if url and not re.match(r"^https?://[^\s]+$", url):
            errors.append(f"{where}: {fname}: not a web address: {url!r}")
    areas = data.get("areas") or []
    if not isinstance(areas, list) or not all(isinstance(a, str) and a.strip() for a in areas):
        errors.append(f"{where}: areas: must be a list of names")
        areas = []
    channels_raw = data.get("channels") or {}
    channels = ChannelConfig()
    if isinstance(channels_raw, dict):
        env_names: dict[str, str] = {}
        for field_name in (
            "telegram_token_env",
            "telegram_webhook_secret_env",
            "telegram_staff_chat_env",
            "zalo_env_prefix",
        ):
            value = channels_raw.get(field_name, "")
            if value and not ENV_NAME_RE.match(str(value)):
                errors.append(
                    f"{where}: channels.{field_name}: must be the NAME of an environment "
                    "variable (A-Z, 0-9, _), never the secret itself"
                )
                value = ""
            env_names[field_name] = str(value or "")
        channels = ChannelConfig(**env_names)
    else:
        errors.append(f"{where}: channels: must be a mapping")
    sources = data.get("sources") or []
    if not sources:
        errors.append(f"{where}: sources: say where the facts come from")
    code = data.get("code")
    if code is not None and not re.fullmatch(r"\d{2,5}", str(code)):
        errors.append(f"{where}: code: the official unit code (2 to 5 digits), got {code!r}")
        code = None
    checked = data.get("checked")
    if not isinstance(checked, dt.date):
        errors.append(f"{where}: checked: the date the facts were checked (YYYY-MM-DD)")
        checked = None
    if errors:
        raise ContentError(errors)
    return Unit(
        key=key,
        name=name,
        short_name=short_name,
        level=str(level),
        province=province,
        hotlines=tuple(hotlines),
        portal=portal,
        local_portal=local_portal,
        address=opt_str("address"),
        hours=opt_str("hours"),
        email=opt_str("email"),
        areas=tuple(a.strip() for a in areas),
        parent=opt_str("parent"),
        channels=channels,
        sources=tuple(str(s) for s in sources),
        checked=checked,
        code=str(code) if code is not None else None,
    )


def load_units(units_dir: Path) -> dict[str, Unit]:
    """Load every unit file; raise one ContentError listing every problem."""
    errors: list[str] = []
    units: dict[str, Unit] = {}
    files = sorted(units_dir.glob("*.yaml"))
    if not files:
        raise ContentError([f"{units_dir}: no unit files (*.yaml)"])
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            units[path.stem] = _parse_unit(path, data)
        except yaml.YAMLError as exc:
            errors.append(f"{path}: YAML syntax error: {exc}")
        except ContentError as exc:
            errors.extend(exc.errors)
    for unit in units.values():
        if unit.parent and unit.parent not in units:
            errors.append(
                f"{units_dir / (unit.key + '.yaml')}: parent: unknown unit {unit.parent!r}"
            )
    if errors:
        raise ContentError(errors)
    return units
