"""Vietnamese working-day calendar for PAKN deadlines ("ngày làm việc").

National public holidays come from the ``holidays`` package (``holidays.country_holidays("VN")``,
Vietnamese names). What it knows, checked with holidays 0.109:

- Tết Nguyên Đán as the Labor Code 2019 Art. 112 days (Giao thừa + mùng 1-4). A day that falls on a
  Saturday moves to the previous working day, a Sunday to the next one (so 2027 gets "29 Tết" on
  Thu 4/2 and "Mùng năm" on Wed 10/2). It does NOT know the extra Tết days the Government announces
  each year by swapping working days, unless the package lists the swap.
- Giỗ Tổ Hùng Vương (10/3 âm lịch), 30/4, 1/5, 2/9 plus the adjacent day (since 2021), 1/1, and
  Ngày Văn hóa Việt Nam 24/11 (from 2026, per Resolution 80-NQ/TW as cited by the package).
  Holidays on a weekend get an observed day off ("nghỉ bù") on the next working day.
- A few announced swaps: a day off plus a make-up Saturday, e.g. 2025 (2/5 off, Sat 26/4 worked)
  and 2026 (31/8 off, Sat 22/8 worked). The make-up Saturdays come from ``weekend_workdays`` and
  count as working days here.

Everything else a unit is told (the yearly Tết announcement, local swaps) goes into
``extra_days_off`` and ``makeup_workdays``. A date in ``makeup_workdays`` is always a working day,
even when the package calls it a holiday: that is also the way to correct the package.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping

import holidays

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    VN_TZ: dt.tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # pragma: no cover - only on systems without tz data
    # Vietnam has been UTC+7 without DST since 1975, so a fixed offset is exact for our dates.
    VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

DEFAULT_END_OF_DAY = dt.time(17, 0)
EXTRA_DAY_OFF_NAME = "Ngày nghỉ theo thông báo của đơn vị"
# A calendar with a working day less often than this is a configuration error, not a deadline.
_MAX_GAP_DAYS = 366


@functools.lru_cache(maxsize=128)
def _national(year: int) -> tuple[Mapping[dt.date, str], frozenset[dt.date]]:
    """Holidays of a year (date -> Vietnamese name) and the make-up Saturdays the package knows."""
    cal = holidays.country_holidays("VN", years=year, language="vi")
    names = {day: str(name) for day, name in cal.items() if day.year == year}
    makeup = frozenset(day for day in cal.weekend_workdays if day.year == year)
    return names, makeup


def national_holidays(year: int) -> dict[dt.date, str]:
    """The national holidays of ``year`` as the installed ``holidays`` package knows them."""
    return dict(_national(year)[0])


class WorkCalendar:
    """Working days of one unit: national holidays + the unit's extra days off and make-up days.

    Deadline rule (``add_working_days``): the day of receipt is never counted; day 1 is the first
    working day strictly after it. So a PAKN received on a working day during office hours counts
    from the next working day, and one received on a weekend or holiday counts from the first
    working day after it. This is the general rule that the first day of a period counted in days
    is not included (Bộ luật Dân sự 2015, Điều 147 khoản 2; not in /work/shared, verify).
    ``receipt_cutoff`` (off by default) makes anything received at or after that local time on a
    working day count as received on the next working day, for units whose rules say so.
    """

    def __init__(
        self,
        extra_days_off: Iterable[dt.date] | Mapping[dt.date, str] = (),
        makeup_workdays: Iterable[dt.date] = (),
        weekend: Iterable[int] = (5, 6),
        *,
        end_of_day: dt.time = DEFAULT_END_OF_DAY,
        receipt_cutoff: dt.time | None = None,
        tz: dt.tzinfo = VN_TZ,
    ) -> None:
        if isinstance(extra_days_off, Mapping):
            self._extra_off = {_plain_date(d): str(n) for d, n in extra_days_off.items()}
        else:
            self._extra_off = {_plain_date(d): EXTRA_DAY_OFF_NAME for d in extra_days_off}
        self._makeup = frozenset(_plain_date(d) for d in makeup_workdays)
        both = sorted(set(self._extra_off) & self._makeup)
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise ValueError(f"dates both in extra_days_off and makeup_workdays: {listed}")
        self.weekend = frozenset(weekend)
        if not self.weekend <= set(range(7)) or len(self.weekend) > 5:
            raise ValueError(
                "weekend: weekday numbers 0 (Monday) .. 6 (Sunday), at most 5 of them"
            )
        if end_of_day.tzinfo is not None or (receipt_cutoff and receipt_cutoff.tzinfo):
            raise ValueError(
                "end_of_day and receipt_cutoff are local wall-clock times (no tzinfo)"
            )
        self.end_of_day = end_of_day
        self.receipt_cutoff = receipt_cutoff
        self.tz = tz

    @property
    def extra_days_off(self) -> frozenset[dt.date]:
        return frozenset(self._extra_off)

    @property
    def makeup_workdays(self) -> frozenset[dt.date]:
        return self._makeup

    # -- single days ---------------------------------------------------------------------------

    def local_date(self, when: dt.date | dt.datetime) -> dt.date:
        """The calendar date in this calendar's time zone (aware datetimes only)."""
        if isinstance(when, dt.datetime):
            if when.tzinfo is None or when.utcoffset() is None:
                raise ValueError("naive datetime: pass a timezone-aware datetime")
            return when.astimezone(self.tz).date()
        return when

    def holiday_name(self, day: dt.date | dt.datetime) -> str | None:
        """Why ``day`` is a day off, for display ("Tết Nguyên Đán"); None for working days and
        ordinary weekends."""
        d = self.local_date(day)
        if d in self._makeup:
            return None
        if d in self._extra_off:
            return self._extra_off[d]
        return _national(d.year)[0].get(d)

    def is_working_day(self, day: dt.date | dt.datetime) -> bool:
        d = self.local_date(day)
        if d in self._makeup:
            return True
        if d in self._extra_off:
            return False
        names, package_makeup = _national(d.year)
        if d in names:
            return False
        return d in package_makeup or d.weekday() not in self.weekend

    def next_working_day(self, day: dt.date | dt.datetime) -> dt.date:
        """The first working day strictly after ``day``."""
        d = self.local_date(day)
        for _ in range(_MAX_GAP_DAYS):
            d += dt.timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_MAX_GAP_DAYS} days after {day}")

    # -- periods -------------------------------------------------------------------------------

    def receipt_date(self, received_at: dt.datetime) -> dt.date:
        """Local date a PAKN counts as received (at/after ``receipt_cutoff``: next working day)."""
        d = self.local_date(received_at)
        cutoff = self.receipt_cutoff
        after_hours = cutoff is not None and received_at.astimezone(self.tz).time() >= cutoff
        if after_hours and self.is_working_day(d):
            return self.next_working_day(d)
        return d

    def add_working_days(self, start: dt.datetime, n: int) -> dt.datetime:
        """Deadline: the end (``end_of_day``, local time) of the n-th working day after receipt."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        d = self.receipt_date(start)
        for _ in range(n):
            d = self.next_working_day(d)
        return dt.datetime.combine(d, self.end_of_day, tzinfo=self.tz)

    def working_days_between(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
        """Working days d with date(a) < d <= date(b), local dates; negative when b is before a.

        ``working_days_between(t, add_working_days(t, n)) == n`` when no cutoff applies.
        """
        start, end = self.local_date(a), self.local_date(b)
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        d = start
        while d < end:
            d += dt.timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return sign * count

    def days_off(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Named days off in [start, end] (holidays and extra days, not ordinary weekends)."""
        out: list[tuple[dt.date, str]] = []
        d = start
        while d <= end:
            name = self.holiday_name(d)
            if name is not None:
                out.append((d, name))
            d += dt.timedelta(days=1)
        return out


def _plain_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"expected a date, got {value!r}")
    return value
