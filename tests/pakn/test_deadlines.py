"""PAKN deadline policy: content/pakn.yaml validation, unit overrides, due dates and states."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.content.errors import ContentError
from bot.pakn.deadlines import (
    CATEGORIES,
    CATEGORY_LABELS,
    DeadlinePolicy,
    compute_due,
    due_state,
    policy_from_mapping,
)
from bot.pakn.workdays import WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PAKN_YAML = Path(__file__).resolve().parents[2] / "content" / "pakn.yaml"


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


def end(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 17, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data = yaml.safe_load(PAKN_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def data(raw: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(raw)


@pytest.fixture
def policy(raw: dict[str, Any]) -> DeadlinePolicy:
    return policy_from_mapping(raw, "xa-binh-minh")


def errors_of(data: Any, unit: str = "xa-binh-minh") -> list[str]:
    with pytest.raises(ContentError) as info:
        policy_from_mapping(data, unit)
    return info.value.errors


# -- the shipped file ---------------------------------------------------------------------------


def test_shipped_file_is_valid(policy: DeadlinePolicy) -> None:
    assert policy.unit == "xa-binh-minh"
    assert set(policy.categories) == set(CATEGORY_LABELS)
    assert {k: c.label for k, c in policy.categories.items()} == dict(CATEGORY_LABELS)
    assert policy.offered == CATEGORIES
    assert policy.forward.days == 5
    assert policy.forward.local_policy is False
    assert "Điều 9" in policy.forward.legal_basis
    assert "không quá 05 ngày làm việc" in policy.forward.legal_basis
    assert policy.due_soon_days == 2


def test_local_defaults_say_the_law_sets_no_number(raw: dict[str, Any]) -> None:
    policy = policy_from_mapping(raw, "some-other-unit")
    assert policy.unit == "some-other-unit"
    for category in policy.categories.values():
        assert category.answer.local_policy is True
        assert "không quy định số ngày" in category.answer.legal_basis
        assert "có thể sửa" in category.answer.legal_basis
    assert policy.receive.local_policy is True


def test_categories_and_labels() -> None:
    assert CATEGORIES == (
        "ha_tang",
        "moi_truong",
        "trat_tu",
        "dat_dai",
        "thu_tuc_hanh_chinh",
        "thai_do_can_bo",
        "khac",
    )
    assert CATEGORY_LABELS["thai_do_can_bo"] == "Thái độ, hành vi của cán bộ"
    assert CATEGORY_LABELS["ha_tang"] == "Hạ tầng – giao thông – chiếu sáng"


def test_retired_categories_keep_their_deadline_but_are_not_offered(
    policy: DeadlinePolicy,
) -> None:
    for key in ("quy_dinh_chua_hop_ly", "gop_y_sang_kien"):
        assert key not in policy.offered
        assert policy.rule("answer", key).days == 15  # an old petition keeps its deadline
        assert policy.label(key) == CATEGORY_LABELS[key]


def test_a_unit_offers_its_own_list_with_its_own_category(data: dict[str, Any]) -> None:
    data["categories"]["nuoc_sach"] = {
        "label": "Nước sạch",
        "answer_days": 5,
        "legal_basis": "Quyết định của UBND xã",
        "local_policy": True,
    }
    data["units"]["xa-binh-minh"]["categories"] = ["nuoc_sach", "ha_tang", "khac"]
    unit = policy_from_mapping(data, "xa-binh-minh")
    assert unit.offered == ("nuoc_sach", "ha_tang", "khac")
    assert unit.rule("answer", "nuoc_sach").days == 5
    other = policy_from_mapping(data, "phuong-x")
    assert "nuoc_sach" in other.offered and other.offered[-1] == "khac"


def test_a_unit_list_is_checked(data: dict[str, Any]) -> None:
    data["units"]["xa-binh-minh"]["categories"] = ["gop_y_sang_kien", "ha_tang", "ha_tang", "x"]
    data["categories"]["dien"] = {"answer_days": 5, "legal_basis": "x", "local_policy": True}
    errors = errors_of(data)
    for prefix in [
        "content/pakn.yaml: categories.dien.label: missing",
        "content/pakn.yaml: units.xa-binh-minh.categories[0]: gop_y_sang_kien is retired",
        "content/pakn.yaml: units.xa-binh-minh.categories[2]: ha_tang is listed twice",
        "content/pakn.yaml: units.xa-binh-minh.categories[3]: unknown category 'x'",
        "content/pakn.yaml: units.xa-binh-minh.categories: must include khac",
    ]:
        assert any(e.startswith(prefix) for e in errors), (prefix, errors)


# -- due dates ----------------------------------------------------------------------------------


def test_compute_due_per_stage_around_tet_2026(policy: DeadlinePolicy) -> None:
    cal = policy.calendar()
    received = at(2026, 2, 13)  # last working day before Tết Bính Ngọ
    assert compute_due(policy, cal, "khac", received, stage="receive") == end(2026, 2, 23)
    assert compute_due(policy, cal, "khac", received, stage="forward") == end(2026, 2, 27)
    # 10 working days: 23-27/2 and 2-6/3.
    assert compute_due(policy, cal, "thu_tuc_hanh_chinh", received) == end(2026, 3, 6)
    # 15 working days: ... and 9-13/3.
    assert compute_due(policy, cal, "gop_y_sang_kien", received) == end(2026, 3, 13)


def test_compute_due_refuses_unknown_category_or_stage(policy: DeadlinePolicy) -> None:
    cal = policy.calendar()
    with pytest.raises(ValueError, match="category"):
        compute_due(policy, cal, "khieu_nai", at(2026, 3, 6))
    with pytest.raises(ValueError, match="stage"):
        compute_due(policy, cal, "khac", at(2026, 3, 6), stage="archive")


def test_unit_overrides(data: dict[str, Any]) -> None:
    data["units"]["xa-binh-minh"].update(
        {
            "due_soon_days": 1,
            "forward_days": 3,
            "receive_days": {"days": 2, "legal_basis": "Quyết định số 12/QĐ-UBND"},
            "answer": {"khac": 7},
            "extra_days_off": ["2027-02-03"],
            "makeup_workdays": ["30/01/2027"],
        }
    )
    data["extra_days_off"] = [dt.date(2027, 2, 12)]
    unit = policy_from_mapping(data, "xa-binh-minh")
    other = policy_from_mapping(data, "phuong-phuoc-tan")
    assert unit.forward.days == 3 and unit.forward.local_policy
    assert unit.receive.days == 2
    assert unit.receive.legal_basis == "Quyết định số 12/QĐ-UBND"
    assert unit.categories["khac"].answer.days == 7
    assert unit.categories["khac"].label == "Khác"
    assert unit.categories["thu_tuc_hanh_chinh"].answer.days == 10
    assert unit.due_soon_days == 1
    assert unit.extra_days_off == (dt.date(2027, 2, 3), dt.date(2027, 2, 12))
    assert unit.makeup_workdays == (dt.date(2027, 1, 30),)
    assert other.forward.days == 5 and other.categories["khac"].answer.days == 10
    assert other.extra_days_off == (dt.date(2027, 2, 12),)

    cal = unit.calendar()
    # Tue 2/2/2027, 3 days: 3/2 off (unit), 4-10/2 Tết, 11/2 day 1, 12/2 off (national list),
    # 15/2 day 2, 16/2 day 3. The other unit (5 days, 3/2 working): 3, 11, 15, 16, 17/2.
    assert compute_due(unit, cal, "khac", at(2027, 2, 2), stage="forward") == end(2027, 2, 16)
    assert compute_due(other, other.calendar(), "khac", at(2027, 2, 2), "forward") == end(
        2027, 2, 17
    )
    assert cal.is_working_day(dt.date(2027, 1, 30))


# -- due state ----------------------------------------------------------------------------------


def test_due_state_with_two_days_warning(policy: DeadlinePolicy) -> None:
    cal = policy.calendar()
    due = cal.add_working_days(at(2026, 2, 12), 5)
    assert due == end(2026, 2, 26)
    assert due_state(due, at(2026, 2, 13), cal, policy) == "ok"
    assert due_state(due, at(2026, 2, 20), cal, policy) == "ok"  # Tết: 4 working days left
    assert due_state(due, at(2026, 2, 23), cal, policy) == "ok"  # 24, 25, 26 left
    assert due_state(due, at(2026, 2, 24), cal, policy) == "due_soon"
    assert due_state(due, at(2026, 2, 26, 16, 59), cal, policy) == "due_soon"
    assert due_state(due, at(2026, 2, 26, 17, 0), cal, policy) == "due_soon"
    assert due_state(due, at(2026, 2, 26, 17, 1), cal, policy) == "overdue"
    assert due_state(due, at(2026, 3, 20), cal, policy) == "overdue"


def test_due_state_zero_threshold_warns_only_on_the_due_day(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["due_soon_days"] = 0
    policy = policy_from_mapping(data, "x")
    cal = WorkCalendar()
    due = end(2026, 2, 26)
    assert due_state(due, at(2026, 2, 25, 16), cal, policy) == "ok"
    assert due_state(due, at(2026, 2, 26, 8), cal, policy) == "due_soon"


def test_due_state_compares_instants_across_time_zones(policy: DeadlinePolicy) -> None:
    cal = policy.calendar()
    due = end(2026, 2, 26)  # 10:00 UTC
    assert due_state(due, dt.datetime(2026, 2, 26, 9, 59, tzinfo=dt.UTC), cal, policy) == (
        "due_soon"
    )
    assert due_state(due, dt.datetime(2026, 2, 26, 10, 1, tzinfo=dt.UTC), cal, policy) == (
        "overdue"
    )
    with pytest.raises(ValueError, match="naive"):
        due_state(due, dt.datetime(2026, 2, 26, 9), cal, policy)


# -- validation errors name the field ------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -3, "10", 2.5, True, None])
def test_answer_days_must_be_positive_integer(data: dict[str, Any], bad: object) -> None:
    data["categories"]["khac"]["answer_days"] = bad
    assert errors_of(data) == [
        "content/pakn.yaml: categories.khac.answer_days: must be a positive integer"
    ]


def test_forward_days_capped_by_law(data: dict[str, Any]) -> None:
    data["stages"]["forward"]["days"] = 6
    data["units"]["xa-binh-minh"]["forward_days"] = 7
    errors = errors_of(data)
    assert len(errors) == 2
    assert errors[0].startswith("content/pakn.yaml: stages.forward.days: must be at most 5")
    assert "Điều 9" in errors[0]
    assert errors[1].startswith("content/pakn.yaml: units.xa-binh-minh.forward_days: must be at")


def test_many_errors_reported_at_once(data: dict[str, Any]) -> None:
    del data["categories"]["gop_y_sang_kien"]
    data["categories"]["khac"]["legal_basis"] = " "
    data["categories"]["khac"]["local_policy"] = "yes"
    data["categories"]["khac"]["answr_days"] = 3
    data["due_soon_days"] = -1
    data["stages"]["receive"]["days"] = 0
    data["units"]["phuong-x"] = {"answer": {"khieu_nai": 5, "khac": 0}, "extra": 1}
    data["units"]["xa-binh-minh"]["extra_days_off"] = ["31/02/2026", "2026-02-16", 5]
    data["version"] = 2
    errors = errors_of(data)
    expected_prefixes = [
        "content/pakn.yaml: categories.gop_y_sang_kien: missing",
        "content/pakn.yaml: categories.khac.legal_basis: must be a non-empty text",
        "content/pakn.yaml: categories.khac.local_policy: must be true or false",
        "content/pakn.yaml: categories.khac.answr_days: unknown field",
        "content/pakn.yaml: due_soon_days: must be an integer >= 0",
        "content/pakn.yaml: stages.receive.days: must be a positive integer",
        "content/pakn.yaml: units.phuong-x.answer.khieu_nai: unknown field",
        "content/pakn.yaml: units.phuong-x.answer.khac: must be a positive integer",
        "content/pakn.yaml: units.phuong-x.extra: unknown field",
        "content/pakn.yaml: units.xa-binh-minh.extra_days_off[0]: not a date",
        "content/pakn.yaml: units.xa-binh-minh.extra_days_off[2]: not a date",
        "content/pakn.yaml: version: must be 1",
    ]
    for prefix in expected_prefixes:
        assert any(e.startswith(prefix) for e in errors), (prefix, errors)
    assert len(errors) == len(expected_prefixes)


def test_other_units_are_validated_too(data: dict[str, Any]) -> None:
    data["units"]["phuong-phuoc-tan"] = {"due_soon_days": "two"}
    assert errors_of(data, unit="xa-binh-minh") == [
        "content/pakn.yaml: units.phuong-phuoc-tan.due_soon_days: must be an integer >= 0"
    ]


def test_same_date_off_and_makeup_is_refused(data: dict[str, Any]) -> None:
    data["extra_days_off"] = ["2027-02-03"]
    data["units"]["xa-binh-minh"]["makeup_workdays"] = ["03/02/2027"]
    assert errors_of(data) == [
        "content/pakn.yaml: units.xa-binh-minh: 2027-02-03 is both a day off and a make-up "
        "working day"
    ]


@pytest.mark.parametrize("bad", [None, [], "text"])
def test_top_level_must_be_a_mapping(bad: object) -> None:
    assert errors_of(bad) == ["content/pakn.yaml: top level: must be a mapping"]


def test_source_name_is_configurable(data: dict[str, Any]) -> None:
    data["due_soon_days"] = "x"
    with pytest.raises(ContentError, match=r"^units/x\.yaml: due_soon_days"):
        policy_from_mapping(data, "x", source="units/x.yaml")
