"""A unit profile (content/units/KEY.yaml) drafted from the unit's communication plan.

Only facts the plan states: the issuing unit's name and level, the province it names, the
hotlines and portal it gives, each with the plan's sentence as its source. The name and province
are checked against the official list of current units (vietnamadminunits, the same pinned data as
bot/address.py), which also gives the unit's official code. Nothing is guessed: a plan of a ward
of Huế never gets Đồng Nai's (0251) 1022, and a fact the plan leaves out stays empty for the
unit's admin to fill in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bot.content.units import NATIONAL_PORTAL
from bot.plans.model import PlanImport
from bot.plans.reader import Para, Table, read_blocks
from faq.normalize import fold

_LEVELS = (  # issuer prefix → (level, the word in short_name)
    ("ubnd xa ", "xa", "xã"),
    ("ubnd phuong ", "phuong", "phường"),
    ("ubnd dac khu ", "dac_khu", "đặc khu"),
    ("ubnd tinh ", "tinh", "tỉnh"),
    ("ubnd thanh pho ", "tinh", "thành phố"),
    ("van phong ubnd tinh ", "tinh", "tỉnh"),
    ("uy ban nhan dan xa ", "xa", "xã"),
    ("uy ban nhan dan phuong ", "phuong", "phường"),
    ("uy ban nhan dan tinh ", "tinh", "tỉnh"),
)
_PROVINCE = re.compile(
    r"(?:tỉnh|Tỉnh|TỈNH|thành phố|Thành phố|TP\.?)\s+((?:[A-ZĐ][^\s,.;:()]*\s?){1,3})"
)
_HOTLINE_LABEL = re.compile(
    r"(Tổng đài[^,.;:()]*?|Đường dây nóng[^,.;:()]*?)\s*(?:số\s*)?(?:\(\d{3,4}\)\s*)?\d{3,}", re.I
)


def _plain_text(path: Path) -> str:
    blocks, _ = read_blocks(path)
    parts = []
    for block in blocks:
        if isinstance(block, Para):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.extend(" ".join(row) for row in block.rows)
    return "\n".join(parts)


def _level_and_short(issuer: str) -> tuple[str | None, str | None]:
    folded = fold(issuer.lower())
    for prefix, level, word in _LEVELS:
        if folded.startswith(prefix):
            place = " ".join(issuer.split()[len(prefix.split()) :])
            return level, f"{word} {place}" if place else None
    return None, None


def _province(text: str, official: Any) -> str | None:
    """The current province the plan names most often ("tỉnh Đồng Nai"), checked against the
    official list; None when it names none or only former ones."""
    counts: Counter[str] = Counter()
    for match in _PROVINCE.finditer(text):
        words = match.group(1).split()
        for n in range(len(words), 0, -1):  # "Đồng Nai năm" → "Đồng Nai"
            name = official(" ".join(words[:n]))
            if name:
                counts[name] += 1
                break
    return counts.most_common(1)[0][0] if counts else None


def _hotlines(plan: PlanImport) -> tuple[list[dict[str, str]], list[str]]:
    """Hotlines as the plan gives them: the number as written (with its area code only if the
    plan writes one) and the name the plan gives it."""
    found: dict[str, dict[str, str]] = {}
    sources = []
    for contact in plan.contacts:
        if contact.type not in ("phone", "hotline"):
            continue
        digits = re.sub(r"\D", "", contact.value)
        if any(re.sub(r"\D", "", n).endswith(digits) for n in found) and len(digits) <= 5:
            continue  # "1022" when "(0251) 1022" is already there
        label_match = _HOTLINE_LABEL.search(contact.context or "")
        label = label_match.group(1).strip() if label_match else "Đường dây nóng"
        found[contact.value] = {"label": label, "number": contact.value}
        sources.append(f"“{contact.context.strip()}”")
    return list(found.values()), sources


def official_unit(name: str, province: str) -> dict[str, str] | None:
    """The unit in the official list of current units: its name, province and code."""
    from vietnamadminunits.parser import parse_address_from_2025

    unit = parse_address_from_2025(f"{name}, {province}", keep_street=False, level=2)
    if unit.ward and fold(unit.ward.lower()).endswith(fold(name.lower()).split(" ", 1)[-1]):
        return {"name": unit.ward, "province": unit.province, "code": str(unit.ward_code)}
    return None


def official_province(name: str) -> str | None:
    code = _province_code(name)
    return code[0] if code else None


def _province_code(name: str) -> tuple[str, str] | None:
    """("Tỉnh Đồng Nai", "75") for a current province's name, else None."""
    from vietnamadminunits.parser import parse_address_from_2025

    unit = parse_address_from_2025(f"tỉnh {name}", keep_street=False, level=1)
    if unit.province and fold(name.lower()) in fold(unit.province.lower()):
        return str(unit.province), str(unit.province_code)
    return None


def draft_unit(plan: PlanImport, path: Path, today: dt.date) -> tuple[dict[str, Any], list[str]]:
    """The unit profile and the notes for the admin (what the plan didn't give, what failed
    the official check)."""
    text = _plain_text(path)
    notes: list[str] = []
    issuer = (plan.issuer or "").strip()
    level, short_name = _level_and_short(issuer)
    province_full = _province(text, official_province)
    province = re.sub(r"^(Tỉnh|Thành phố) ", "", province_full or "")
    code = None
    if level in ("xa", "phuong") and short_name and province_full:
        found = official_unit(short_name, province_full)
        if found is None:
            notes.append(f"{short_name}: không có trong danh sách hiện hành của {province_full}")
        else:
            code = found["code"]
    elif level == "tinh" and province_full:
        code = (_province_code(province_full) or ("", None))[1]
    if not issuer:
        notes.append("name: kế hoạch không ghi cơ quan ban hành")
    if not province:
        notes.append("province: kế hoạch không nêu tỉnh/thành phố hiện hành")
    hotlines, hotline_sources = _hotlines(plan)
    if not hotlines:
        notes.append("hotlines: kế hoạch không nêu số điện thoại; bắt buộc điền trước khi chạy")
    webs = [c.value for c in plan.contacts if c.type == "web"]
    portal = NATIONAL_PORTAL if any("dichvucong.gov.vn" in w for w in webs) else ""
    if not portal:
        notes.append("portal: kế hoạch không nêu Cổng Dịch vụ công quốc gia")
    title = plan.title.strip()
    sources = [f"Kế hoạch {plan.number or ''} {title}".replace("  ", " ").strip()]
    sources += [f"Đường dây nóng theo kế hoạch: {s}" for s in hotline_sources]
    if code:
        sources.append(f"Mã đơn vị hành chính {code}: danh sách hiện hành (vietnamadminunits)")
    profile: dict[str, Any] = {
        "name": issuer,
        "short_name": short_name or "",
        "level": level or "",
        "province": province,
        "code": code,
        "hotlines": hotlines,
        "portal": portal,
        "local_portal": None,  # only a portal the plan names and that is still in service
        "address": None,
        "hours": None,
        "email": None,
        "areas": [],
        "sources": sources,
        "checked": today.isoformat(),
    }
    return profile, notes


def to_yaml(key: str, profile: dict[str, Any], notes: list[str], plan_file: str) -> str:
    head = [
        f"# Unit profile {key}, drafted by `loaxa unit new --from-plan {plan_file}`.",
        "# Only facts the plan states; empty fields are for the unit's admin to fill in.",
        *[f"# TODO: {note}" for note in notes],
    ]
    data = {**profile, "checked": dt.date.fromisoformat(profile["checked"])}
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body


def draft_from_file(path: str, today: str) -> tuple[dict[str, Any], list[str]]:
    """Read the plan and draft the unit, in the worker process (the console's upload)."""
    from bot.plans.importer import import_plan

    plan_path = Path(path)
    return draft_unit(import_plan(plan_path), plan_path, dt.date.fromisoformat(today))
