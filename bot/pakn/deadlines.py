"""PAKN categories, per-stage deadlines in working days, and due/overdue state.

The numbers live in ``content/pakn.yaml`` (edited by the unit's staff). ``policy_from_mapping``
validates the already-parsed YAML (the caller does ``yaml.safe_load``) and applies one unit's
overrides; ``compute_due`` and ``due_state`` are pure functions of a policy and a ``WorkCalendar``.

Stages: ``receive`` (acknowledge, log and classify), ``forward`` (send to the competent body when
the PAKN is outside the unit's competence; the law caps it at 5 working days) and ``answer`` (per
category; Nghị định 20/2008/NĐ-CP sets no number, so those are local policy).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from bot.content.errors import ContentError
from bot.pakn.workdays import WorkCalendar

# Every category key ever used, with its default label (a stored PAKN keeps its key forever).
CATEGORY_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "ha_tang": "Hạ tầng – giao thông – chiếu sáng",
        "moi_truong": "Môi trường – rác – ngập",
        "trat_tu": "Trật tự – tiếng ồn",
        "dat_dai": "Đất đai – xây dựng",
        "thu_tuc_hanh_chinh": "Thủ tục hành chính",
        "thai_do_can_bo": "Thái độ, hành vi của cán bộ",
        "khac": "Khác",
        # Retired (offered until 0019): kept so that old petitions display, count and keep
        # their deadlines; no longer offered in the form.
        "quy_dinh_chua_hop_ly": "Quy định chưa hợp lý",
        "gop_y_sang_kien": "Góp ý, sáng kiến",
    }
)
RETIRED: tuple[str, ...] = ("quy_dinh_chua_hop_ly", "gop_y_sang_kien")
# The default list offered in the form, in the order of the buttons (commune practice).
CATEGORIES: tuple[str, ...] = tuple(k for k in CATEGORY_LABELS if k not in RETIRED)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
Stage = Literal["receive", "forward", "answer"]
STAGES: tuple[Stage, ...] = ("receive", "forward", "answer")
DueState = Literal["ok", "due_soon", "overdue"]

# Nghị định 20/2008/NĐ-CP, Điều 9 khoản 1 điểm d (Pháp điển Điều 44.12.NĐ.9): "cơ quan tiếp nhận
# phải chuyển phản ánh, kiến nghị tới cơ quan có thẩm quyền xử lý trong thời hạn không quá 05 ngày
# làm việc, kể từ ngày tiếp nhận."
FORWARD_MAX_DAYS = 5
FORWARD_LAW = "Nghị định 20/2008/NĐ-CP, Điều 9 khoản 1 điểm d"
DEFAULT_SOURCE = "content/pakn.yaml"


@dataclass(frozen=True)
class StageRule:
    days: int  # working days, counted from the day after receipt
    legal_basis: str
    local_policy: bool  # True: the number is the unit's choice, not fixed by law


@dataclass(frozen=True)
class CategoryPolicy:
    key: str
    label: str
    answer: StageRule


@dataclass(frozen=True)
class DeadlinePolicy:
    unit: str
    receive: StageRule
    forward: StageRule
    categories: Mapping[str, CategoryPolicy]
    due_soon_days: int  # "due_soon" when at most this many working days remain
    # The categories offered in the form, in order (a subset of `categories`, never retired).
    offered: tuple[str, ...] = CATEGORIES
    # Every category a unit may offer (none retired): what the console's category list picks from.
    choosable: tuple[str, ...] = CATEGORIES
    extra_days_off: tuple[dt.date, ...] = ()
    makeup_workdays: tuple[dt.date, ...] = ()
    weekend: tuple[int, ...] = (5, 6)

    def rule(self, stage: str, category: str) -> StageRule:
        if category not in self.categories:
            raise ValueError(
                f"unknown PAKN category {category!r} (known: {', '.join(self.categories)})"
            )
        if stage == "receive":
            return self.receive
        if stage == "forward":
            return self.forward
        if stage == "answer":
            return self.categories[category].answer
        raise ValueError(f"unknown stage {stage!r} (known: {', '.join(STAGES)})")

    def label(self, category: str) -> str:
        return self.categories[category].label

    def calendar(self, **options: Any) -> WorkCalendar:
        """The unit's ``WorkCalendar`` (options: end_of_day, receipt_cutoff, tz)."""
        return WorkCalendar(self.extra_days_off, self.makeup_workdays, self.weekend, **options)


def compute_due(
    policy: DeadlinePolicy,
    calendar: WorkCalendar,
    category: str,
    received_at: dt.datetime,
    stage: str = "answer",
) -> dt.datetime:
    """When ``stage`` of a PAKN of ``category`` received at ``received_at`` is due (aware)."""
    return calendar.add_working_days(received_at, policy.rule(stage, category).days)


def due_state(
    due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar, policy: DeadlinePolicy
) -> DueState:
    """``overdue`` after ``due_at``; ``due_soon`` when at most ``policy.due_soon_days`` working
    days remain after today (0 = only on the due day itself); ``ok`` otherwise."""
    calendar.local_date(due_at)  # raises for naive datetimes
    calendar.local_date(now)
    if now > due_at:
        return "overdue"
    if calendar.working_days_between(now, due_at) <= policy.due_soon_days:
        return "due_soon"
    return "ok"


# -- validation ------------------------------------------------------------------------------

_TOP_FIELDS = {"version", "due_soon_days", "stages", "categories", "extra_days_off"}
_TOP_FIELDS |= {"makeup_workdays", "units"}
_STAGE_FIELDS = {"days", "legal_basis", "local_policy"}
_CATEGORY_FIELDS = {"label", "answer_days", "legal_basis", "local_policy", "retired"}
_UNIT_FIELDS = {"due_soon_days", "receive_days", "forward_days", "answer", "categories"}
_UNIT_FIELDS |= {"extra_days_off", "makeup_workdays", "note"}
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UNIT_OVERRIDE = "Quy định của đơn vị (đè lên mặc định trong content/pakn.yaml)"


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[str] = []

    def err(self, path: str, message: str) -> None:
        self.errors.append(f"{self.source}: {path}: {message}")

    def mapping(self, value: Any, path: str, allowed: set[str]) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.err(path, "must be a mapping (key: value lines)")
            return {}
        for key in value:
            if key not in allowed:
                self.err(f"{path}.{key}", f"unknown field (allowed: {', '.join(sorted(allowed))})")
        return value

    def integer(self, value: Any, path: str, *, minimum: int, maximum: int | None = None) -> int:
        word = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.err(path, f"must be {word}")
            return minimum
        if maximum is not None and value > maximum:
            self.err(path, f"must be at most {maximum} working days ({FORWARD_LAW})")
            return maximum
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.err(path, "must be a non-empty text")
            return ""
        return value.strip()

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.err(path, "must be true or false")
            return True
        return value

    def dates(self, value: Any, path: str) -> tuple[dt.date, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.err(path, "must be a list of dates")
            return ()
        out: list[dt.date] = []
        for i, item in enumerate(value):
            day = _as_date(item)
            if day is None:
                self.err(f"{path}[{i}]", "not a date (write 2026-02-16 or 16/02/2026)")
            else:
                out.append(day)
        return tuple(sorted(set(out)))

    def stage(self, data: Mapping[str, Any], name: str) -> StageRule:
        path = f"stages.{name}"
        node = self.mapping(data.get(name), path, _STAGE_FIELDS)
        maximum = FORWARD_MAX_DAYS if name == "forward" else None
        return StageRule(
            days=self.integer(node.get("days"), f"{path}.days", minimum=1, maximum=maximum),
            legal_basis=self.text(node.get("legal_basis"), f"{path}.legal_basis"),
            local_policy=self.flag(node.get("local_policy"), f"{path}.local_policy"),
        )


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _VN_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _override(check: _Checker, value: Any, path: str, maximum: int | None = None) -> StageRule:
    """A unit's override: a number of days, or {days, legal_basis}."""
    if isinstance(value, Mapping):
        node = check.mapping(value, path, {"days", "legal_basis"})
        days = check.integer(node.get("days"), f"{path}.days", minimum=1, maximum=maximum)
        basis = node.get("legal_basis")
        basis_text = check.text(basis, f"{path}.legal_basis") if basis is not None else ""
        return StageRule(days, basis_text or _UNIT_OVERRIDE, local_policy=True)
    days = check.integer(value, path, minimum=1, maximum=maximum)
    return StageRule(days, _UNIT_OVERRIDE, local_policy=True)


def _offered(
    check: _Checker,
    value: Any,
    path: str,
    categories: Mapping[str, CategoryPolicy],
    retired: set[str],
) -> tuple[str, ...]:
    """A unit's own list of offered categories (keys, in order); () = the default list."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        check.err(path, "must be a non-empty list of category keys")
        return ()
    keys: list[str] = []
    for i, key in enumerate(value):
        if key not in categories:
            check.err(f"{path}[{i}]", f"unknown category {key!r} (add it under categories)")
        elif key in retired:
            check.err(f"{path}[{i}]", f"{key} is retired (retired: true under categories)")
        elif key in keys:
            check.err(f"{path}[{i}]", f"{key} is listed twice")
        else:
            keys.append(str(key))
    if "khac" not in keys:
        check.err(path, "must include khac (Khác), for petitions that fit nowhere else")
    return tuple(keys)


def policy_from_mapping(data: Any, unit: str, *, source: str = DEFAULT_SOURCE) -> DeadlinePolicy:
    """Validate the whole parsed ``content/pakn.yaml`` and return ``unit``'s policy.

    A unit without an entry under ``units`` gets the defaults. Raises ``ContentError`` listing
    every problem, each naming the field: ``content/pakn.yaml: categories.khac.answer_days: …``.
    """
    check = _Checker(source)
    if not isinstance(data, Mapping):
        raise ContentError(f"{source}: top level: must be a mapping")
    top = check.mapping(data, "top level", _TOP_FIELDS)
    if top.get("version", 1) != 1:
        check.err("version", "must be 1")
    due_soon = check.integer(top.get("due_soon_days"), "due_soon_days", minimum=0)
    stages = check.mapping(top.get("stages"), "stages", {"receive", "forward"})
    receive = check.stage(stages, "receive")
    forward = check.stage(stages, "forward")

    categories: dict[str, CategoryPolicy] = {}
    retired: set[str] = set()
    cats = top.get("categories")
    if not isinstance(cats, Mapping):
        check.err("categories", "must be a mapping of category keys")
        cats = {}
    for key in [*CATEGORY_LABELS, *(k for k in cats if k not in CATEGORY_LABELS)]:
        path = f"categories.{key}"
        if key not in cats:  # every key ever stored must keep a label and a deadline
            check.err(path, "missing (a retired category stays, with retired: true)")
            continue
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            check.err(path, "key: lowercase letters, digits and _ (2-32 characters)")
            continue
        node = check.mapping(cats[key], path, _CATEGORY_FIELDS)
        label = node.get("label")
        rule = StageRule(
            days=check.integer(node.get("answer_days"), f"{path}.answer_days", minimum=1),
            legal_basis=check.text(node.get("legal_basis"), f"{path}.legal_basis"),
            local_policy=check.flag(node.get("local_policy"), f"{path}.local_policy"),
        )
        if label is None and key not in CATEGORY_LABELS:
            check.err(f"{path}.label", "missing (a new category needs its label)")
        label_text = (
            CATEGORY_LABELS.get(key, key) if label is None else check.text(label, f"{path}.label")
        )
        if "retired" in node and check.flag(node["retired"], f"{path}.retired"):
            retired.add(key)
        categories[key] = CategoryPolicy(key, label_text, rule)
    # The file's order, a unit's own new keys included, and "Khác" last.
    default_offered = tuple(k for k in categories if k not in retired and k != "khac")
    default_offered += ("khac",) if "khac" in categories else ()
    if "khac" in retired:
        check.err("categories.khac.retired", "khac (Khác) is always offered")
    national_off = check.dates(top.get("extra_days_off"), "extra_days_off")
    national_makeup = check.dates(top.get("makeup_workdays"), "makeup_workdays")

    units = top.get("units") or {}
    if not isinstance(units, Mapping):
        check.err("units", "must be a mapping of unit keys")
        units = {}
    selected: DeadlinePolicy | None = None
    for key, raw in units.items():
        path = f"units.{key}"
        node = check.mapping(raw, path, _UNIT_FIELDS)
        unit_due_soon = due_soon
        if "due_soon_days" in node:
            unit_due_soon = check.integer(
                node["due_soon_days"], f"{path}.due_soon_days", minimum=0
            )
        unit_receive, unit_forward = receive, forward
        if "receive_days" in node:
            unit_receive = _override(check, node["receive_days"], f"{path}.receive_days")
        if "forward_days" in node:
            unit_forward = _override(
                check, node["forward_days"], f"{path}.forward_days", FORWARD_MAX_DAYS
            )
        unit_categories = dict(categories)
        offered = _offered(
            check, node.get("categories"), f"{path}.categories", categories, retired
        )
        answers = check.mapping(node.get("answer"), f"{path}.answer", set(categories))
        for cat, value in answers.items():
            if cat in categories:
                rule = _override(check, value, f"{path}.answer.{cat}")
                unit_categories[cat] = CategoryPolicy(cat, categories[cat].label, rule)
        off = check.dates(node.get("extra_days_off"), f"{path}.extra_days_off")
        makeup = check.dates(node.get("makeup_workdays"), f"{path}.makeup_workdays")
        all_off = tuple(sorted(set(national_off) | set(off)))
        all_makeup = tuple(sorted(set(national_makeup) | set(makeup)))
        for day in sorted(set(all_off) & set(all_makeup)):
            check.err(path, f"{day.isoformat()} is both a day off and a make-up working day")
        policy = DeadlinePolicy(
            unit=str(key),
            receive=unit_receive,
            forward=unit_forward,
            categories=MappingProxyType(unit_categories),
            due_soon_days=unit_due_soon,
            offered=offered or default_offered,
            choosable=default_offered,
            extra_days_off=all_off,
            makeup_workdays=all_makeup,
        )
        if key == unit:
            selected = policy
    for day in sorted(set(national_off) & set(national_makeup)):
        check.err("top level", f"{day.isoformat()} is both a day off and a make-up working day")
    if check.errors:
        raise ContentError(check.errors)
    if selected is not None:
        return selected
    return DeadlinePolicy(
        unit=unit,
        receive=receive,
        forward=forward,
        categories=MappingProxyType(categories),
        due_soon_days=due_soon,
        offered=default_offered,
        choosable=default_offered,
        extra_days_off=national_off,
        makeup_workdays=national_makeup,
    )
