"""Reporting periods: month, quarter, 6 months, 9 months, year (the plans' reporting rhythm).

Spec strings: ``2026-03`` (month), ``2026-Q1`` (quarter), ``2026-H1`` / ``2026-H2`` (6 months),
``2026-9M`` (the first 9 months), ``2026`` (year). A period is half-open [start, end) in the
unit's local calendar; `bounds` gives the UTC instants the queries use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

KINDS = ("month", "quarter", "half", "nine", "year")
KIND_LABELS = {
    "month": "Tháng",
    "quarter": "Quý",
    "half": "6 tháng",
    "nine": "9 tháng",
    "year": "Năm",
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_SPEC = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|Q([1-4])|H([12])|(9M)))?$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period that cannot be read; the message is Vietnamese, fit to show to staff."""


@dataclass(frozen=True)
class Period:
    kind: str  # one of KINDS
    year: int
    index: int  # month 1-12, quarter 1-4, half 1-2; 0 for nine and year
    start: dt.date  # first day
    end: dt.date  # the day after the last day

    @property
    def spec(self) -> str:
        return {
            "month": f"{self.year}-{self.index:02d}",
            "quarter": f"{self.year}-Q{self.index}",
            "half": f"{self.year}-H{self.index}",
            "nine": f"{self.year}-9M",
            "year": f"{self.year}",
        }[self.kind]

    @property
    def label(self) -> str:
        """As Vietnamese reports name the period: "Quý I năm 2026", "6 tháng đầu năm 2026"."""
        if self.kind == "month":
            return f"Tháng {self.index:02d} năm {self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.index]} năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "nine":
            return f"9 tháng đầu năm {self.year}"
        return f"Năm {self.year}"

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def bounds(self, tz: str) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as UTC instants (local midnights in `tz`)."""
        zone = ZoneInfo(tz)
        return tuple(  # type: ignore[return-value]
            dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
            for day in (self.start, self.end)
        )


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def make(kind: str, year: int, index: int = 0) -> Period:
    if not 2000 <= year <= 2100:
        raise PeriodError("Năm không hợp lệ.")
    if kind == "month":
        if not 1 <= index <= 12:
            raise PeriodError("Tháng phải từ 1 đến 12.")
        first, months = index, 1
    elif kind == "quarter":
        if not 1 <= index <= 4:
            raise PeriodError("Quý phải từ I đến IV.")
        first, months = 3 * index - 2, 3
    elif kind == "half":
        if index not in (1, 2):
            raise PeriodError("Chọn 6 tháng đầu năm hoặc cuối năm.")
        first, months = 6 * index - 5, 6
    elif kind == "nine":
        first, months, index = 1, 9, 0
    elif kind == "year":
        first, months, index = 1, 12, 0
    else:
        raise PeriodError("Loại kỳ báo cáo không hợp lệ.")
    return Period(kind, year, index, _month_start(year, first), _month_start(year, first + months))


def parse(spec: str) -> Period:
    """Read a spec such as ``2026-Q1``; raises PeriodError."""
    match = _SPEC.match(spec.strip())
    if not match:
        raise PeriodError(
            "Kỳ báo cáo không hợp lệ (ví dụ: 2026-03, 2026-Q1, 2026-H1, 2026-9M, 2026)."
        )
    year = int(match.group(1))
    month, quarter, half, nine = match.group(2, 3, 4, 5)
    if month:
        return make("month", year, int(month))
    if quarter:
        return make("quarter", year, int(quarter))
    if half:
        return make("half", year, int(half))
    if nine:
        return make("nine", year)
    return make("year", year)


def current(today: dt.date, kind: str = "quarter") -> Period:
    """The period of `kind` that contains `today` (the form's default)."""
    if kind == "month":
        return make("month", today.year, today.month)
    if kind == "quarter":
        return make("quarter", today.year, (today.month - 1) // 3 + 1)
    if kind == "half":
        return make("half", today.year, 1 if today.month <= 6 else 2)
    return make(kind, today.year)
