"""Reporting periods: parsing, labels, bounds in local time."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.reports import periods
from bot.reports.periods import PeriodError


@pytest.mark.parametrize(
    ("spec", "start", "end", "label"),
    [
        ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 4, 1), "Tháng 03 năm 2026"),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1), "Tháng 12 năm 2026"),
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1), "Quý I năm 2026"),
        ("2026-q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1), "Quý IV năm 2026"),
        ("2026-H1", dt.date(2026, 1, 1), dt.date(2026, 7, 1), "6 tháng đầu năm 2026"),
        ("2026-H2", dt.date(2026, 7, 1), dt.date(2027, 1, 1), "6 tháng cuối năm 2026"),
        ("2026-9M", dt.date(2026, 1, 1), dt.date(2026, 10, 1), "9 tháng đầu năm 2026"),
        ("2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1), "Năm 2026"),
    ],
)
def test_parse(spec: str, start: dt.date, end: dt.date, label: str) -> None:
    period = periods.parse(spec)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert periods.parse(period.spec) == period
    assert period.last_day == end - dt.timedelta(days=1)


@pytest.mark.parametrize("spec", ["", "2026-13", "2026-00", "2026-Q5", "2026-H3", "26", "1999"])
def test_bad_specs(spec: str) -> None:
    with pytest.raises(PeriodError):
        periods.parse(spec)


def test_bounds_are_local_midnights() -> None:
    start, end = periods.parse("2026-Q1").bounds("Asia/Ho_Chi_Minh")
    assert start == dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC)


def test_current_period() -> None:
    day = dt.date(2026, 8, 15)
    assert periods.current(day).spec == "2026-Q3"
    assert periods.current(day, "month").spec == "2026-08"
    assert periods.current(day, "half").spec == "2026-H2"
    assert periods.current(day, "year").spec == "2026"
