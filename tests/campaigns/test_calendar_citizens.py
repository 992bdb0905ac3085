"""Plan -> drafts: only the items meant for citizens, from today on (issue 18)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.campaigns.calendar import build_calendar
from bot.campaigns.service import CampaignService
from bot.plans import import_plan
from bot.plans.citizens import audience_kind, classify
from tests.campaigns.conftest import UNIT

PLANS = Path("/work/shared/plans")
PHUOC_TAN = PLANS / "2026-phuong-phuoc-tan-cchc.txt"
BINH_MINH = PLANS / "2026-xa-binh-minh-kiem-soat-tthc.txt"
DOCTRINE = "Các quan điểm, chủ trương của Đảng"
MIXED = "Cán bộ, công chức, viên chức; người dân, doanh nghiệp"
CITIZENS = "Người dân và doanh nghiệp"
OFFICIALS = "Cán bộ, công chức, viên chức"


@pytest.mark.parametrize(
    ("audience", "text", "expected"),
    [
        (MIXED, DOCTRINE + ", chính sách pháp luật của Nhà nước về cải cách hành chính.", False),
        (CITIZENS, DOCTRINE + " về cải cách hành chính.", False),  # doctrine, whoever it is for
        (MIXED, "Các quy định về quyền, nghĩa vụ, đạo đức của cán bộ, công chức.", False),
        (MIXED, "Tình hình triển khai, kết quả đạt được và những tồn tại, hạn chế.", False),
        (MIXED, "Tuyên truyền, biểu dương các mô hình, cá nhân tiên tiến.", False),
        (MIXED, "Các kênh tiếp nhận phản ánh, kiến nghị qua các đường dây nóng.", True),
        (MIXED, "Các thông tin về quy hoạch sử dụng đất, bảng giá đất.", True),
        (CITIZENS, "Những nội dung cơ bản của các chính sách liên quan đến người dân.", True),
        (OFFICIALS, "Hướng dẫn thực hiện thủ tục hành chính trên Cổng Dịch vụ công.", False),
        ("", "Hướng dẫn người dân nộp hồ sơ trực tuyến.", True),
        ("", "Công tác tổng kết năm.", False),
    ],
)
def test_items_are_classified_by_audience(audience: str, text: str, expected: bool) -> None:
    verdict = classify(audience, text)
    assert verdict.for_citizens is expected
    assert bool(verdict.reason) is not expected  # a reason for every item left out


def test_audience_kinds() -> None:
    assert audience_kind(MIXED) == "mixed"
    assert audience_kind(CITIZENS) == "citizens"
    assert audience_kind(OFFICIALS) == "officials"


@pytest.mark.skipif(not PHUOC_TAN.is_file(), reason="the shared plans are not available")
def test_doctrine_of_a_mixed_audience_plan_is_no_broadcast_draft(
    campaigns: CampaignService,
) -> None:
    plan = import_plan(PHUOC_TAN)
    cal = build_calendar(plan, PHUOC_TAN, UNIT, campaigns.catalog, start=dt.date(2026, 1, 5))
    assert cal.entries
    assert not [e for e in cal.entries if DOCTRINE in e.template]
    assert [e.source_ref.rsplit("-", 1)[-1] for e in cal.entries] == ["đ", "e", "g"]
    skipped = {s["label"]: s["reason"] for s in cal.skipped}
    assert set(skipped) == {"a", "b", "c", "d", "h", "i", "k", "l"}
    assert "chủ trương" in skipped["a"] and "cán bộ" in skipped["d"]
    assert cal.to_dict()["skipped"][0]["text"].startswith(DOCTRINE)


@pytest.mark.skipif(not BINH_MINH.is_file(), reason="the shared plans are not available")
def test_drafts_start_today_by_default(campaigns: CampaignService) -> None:
    plan = import_plan(BINH_MINH)
    morning = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hà Nội
    cal = build_calendar(plan, BINH_MINH, UNIT, campaigns.catalog, now=morning)
    first = cal.entries[0].planned_at
    assert first == dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)  # today, 09:00 local
    assert all(e.planned_at >= morning for e in cal.entries)
    assert any("fall after 2026" in w for w in cal.warnings)  # weekly runs into 2027: said
    evening = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)  # 19:00: from tomorrow
    later = build_calendar(plan, BINH_MINH, UNIT, campaigns.catalog, now=evening)
    assert later.entries[0].planned_at.date() == dt.date(2026, 12, 4)
    assert {e.audience for e in cal.entries} == {CITIZENS}
