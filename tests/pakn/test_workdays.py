"""Working-day calendar: national holidays (holidays package), unit days off, deadline counting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.pakn.workdays import EXTRA_DAY_OFF_NAME, WorkCalendar, national_holidays

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


def end(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 17, 0, tzinfo=VN)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


# -- what the installed holidays package knows ------------------------------------------------


def test_tet_2026_days_off(cal: WorkCalendar) -> None:
    # Giao thừa (Mon 16/2) to mùng 4 (Fri 20/2); with the weekends: off 14/2..22/2.
    for day in range(14, 23):
        assert not cal.is_working_day(D(2026, 2, day)), day
    assert cal.is_working_day(D(2026, 2, 13))
    assert cal.is_working_day(D(2026, 2, 23))
    assert cal.holiday_name(D(2026, 2, 17)) == "Tết Nguyên Đán"
    assert cal.holiday_name(D(2026, 2, 16)) == "Giao thừa Tết Nguyên Đán"
    assert cal.holiday_name(D(2026, 2, 14)) is None  # an ordinary Saturday


def test_tet_2027_days_off(cal: WorkCalendar) -> None:
    # Tết (mùng 1) is Saturday 6/2/2027: the package moves it to Thu 4/2 ("29 Tết") and mùng 2
    # (Sunday) to Wed 10/2 ("Mùng năm"): Thu 4/2 .. Wed 10/2 are all off.
    for day in range(4, 11):
        assert not cal.is_working_day(D(2027, 2, day)), day
    assert cal.is_working_day(D(2027, 2, 3))
    assert cal.is_working_day(D(2027, 2, 11))
    assert cal.holiday_name(D(2027, 2, 4)) == "29 Tết"


def test_other_holidays_known(cal: WorkCalendar) -> None:
    names = national_holidays(2026)
    assert names[D(2026, 4, 26)] == "Ngày Giỗ Tổ Hùng Vương"  # 10/3 âm lịch, a Sunday
    assert "nghỉ bù" in names[D(2026, 4, 27)]
    assert not cal.is_working_day(D(2026, 4, 27))
    for day in (D(2026, 1, 1), D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2)):
        assert not cal.is_working_day(day), day
    assert cal.holiday_name(D(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert not cal.is_working_day(D(2026, 11, 24))


def test_package_swaps_make_up_saturdays_working_days(cal: WorkCalendar) -> None:
    # 2026: Mon 31/8 off in exchange for Saturday 22/8; 2025: Fri 2/5 off for Saturday 26/4.
    assert cal.is_working_day(D(2026, 8, 22))
    assert not cal.is_working_day(D(2026, 8, 31))
    assert cal.is_working_day(D(2025, 4, 26))
    assert not cal.is_working_day(D(2025, 5, 2))
    assert not cal.is_working_day(D(2026, 8, 29))  # an ordinary Saturday


# -- deadline counting ---------------------------------------------------------------------------

CASES = [
    # (received, n, due day) — the day of receipt never counts.
    pytest.param(at(2026, 2, 12), 5, end(2026, 2, 26), id="tet2026-two-days-before"),
    pytest.param(at(2026, 2, 13), 1, end(2026, 2, 23), id="tet2026-last-day-before"),
    pytest.param(at(2026, 2, 13), 5, end(2026, 2, 27), id="tet2026-last-day-before-5"),
    pytest.param(at(2026, 2, 18), 1, end(2026, 2, 23), id="tet2026-during"),
    pytest.param(at(2026, 2, 18), 5, end(2026, 2, 27), id="tet2026-during-5"),
    pytest.param(at(2026, 3, 6), 1, end(2026, 3, 9), id="friday"),
    pytest.param(at(2026, 3, 6), 5, end(2026, 3, 13), id="friday-5"),
    pytest.param(at(2026, 3, 7), 1, end(2026, 3, 9), id="saturday"),
    pytest.param(at(2026, 3, 8, 23, 59), 1, end(2026, 3, 9), id="sunday-late"),
    pytest.param(at(2026, 8, 21), 1, end(2026, 8, 22), id="friday-before-makeup-saturday"),
    pytest.param(at(2026, 8, 22), 1, end(2026, 8, 24), id="makeup-saturday-2026"),
    pytest.param(at(2026, 8, 28), 1, end(2026, 9, 3), id="before-2-9-2026"),
    pytest.param(at(2026, 8, 28), 5, end(2026, 9, 9), id="before-2-9-2026-5"),
    pytest.param(at(2026, 4, 24), 1, end(2026, 4, 28), id="before-gio-to-2026"),
    pytest.param(at(2026, 4, 27), 3, end(2026, 5, 4), id="on-gio-to-2026-observed"),
    pytest.param(at(2026, 4, 29), 1, end(2026, 5, 4), id="before-30-4-2026"),
    pytest.param(at(2026, 11, 23), 1, end(2026, 11, 25), id="before-24-11-2026"),
    pytest.param(at(2027, 2, 3), 1, end(2027, 2, 11), id="tet2027-day-before"),
    pytest.param(at(2027, 2, 3), 5, end(2027, 2, 17), id="tet2027-day-before-5"),
    pytest.param(at(2027, 2, 6), 1, end(2027, 2, 11), id="tet2027-mung-1"),
    pytest.param(at(2027, 4, 15), 1, end(2027, 4, 19), id="before-gio-to-2027"),
    pytest.param(at(2027, 4, 16), 1, end(2027, 4, 19), id="on-gio-to-2027"),
    pytest.param(at(2027, 4, 29), 1, end(2027, 5, 4), id="before-30-4-2027"),
    pytest.param(at(2027, 9, 1), 1, end(2027, 9, 6), id="before-2-9-2027"),
    pytest.param(at(2025, 4, 25), 1, end(2025, 4, 26), id="makeup-saturday-2025"),
    pytest.param(at(2025, 4, 29), 1, end(2025, 5, 5), id="before-30-4-2025"),
    pytest.param(at(2025, 8, 29), 1, end(2025, 9, 3), id="before-2-9-2025"),
]


@pytest.mark.parametrize(("received", "n", "due"), CASES)
def test_add_working_days(
    cal: WorkCalendar, received: dt.datetime, n: int, due: dt.datetime
) -> None:
    result = cal.add_working_days(received, n)
    assert result == due
    assert result.tzinfo is not None
    assert result.utcoffset() == dt.timedelta(hours=7)
    assert result.time() == dt.time(17, 0)


def test_result_is_in_vietnam_time_whatever_the_input_zone(cal: WorkCalendar) -> None:
    # 20:00 UTC on Thu 5/3 is already 03:00 on Fri 6/3 in Vietnam: counting starts after Friday.
    received = dt.datetime(2026, 3, 5, 20, 0, tzinfo=dt.UTC)
    due = cal.add_working_days(received, 1)
    assert due == end(2026, 3, 9)
    assert due.tzinfo == VN
    # 16:59 UTC on Fri 6/3 is 23:59 Friday in Vietnam.
    assert cal.add_working_days(dt.datetime(2026, 3, 6, 16, 59, tzinfo=dt.UTC), 1) == end(
        2026, 3, 9
    )


def test_naive_datetimes_are_refused(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="naive"):
        cal.add_working_days(dt.datetime(2026, 3, 6, 10, 0), 1)
    with pytest.raises(ValueError, match="naive"):
        cal.working_days_between(dt.datetime(2026, 3, 6), at(2026, 3, 9))


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_n_must_be_a_positive_integer(cal: WorkCalendar, n: object) -> None:
    with pytest.raises(ValueError, match="positive integer"):
        cal.add_working_days(at(2026, 3, 6), n)  # type: ignore[arg-type]


def test_end_of_day_is_configurable() -> None:
    cal = WorkCalendar(end_of_day=dt.time(16, 30))
    assert cal.add_working_days(at(2026, 3, 6), 1) == dt.datetime(2026, 3, 9, 16, 30, tzinfo=VN)


def test_receipt_cutoff_moves_late_receipts_to_the_next_working_day() -> None:
    plain = WorkCalendar()
    cutoff = WorkCalendar(receipt_cutoff=dt.time(16, 0))
    late = at(2026, 3, 5, 16, 30)  # Thursday after the cutoff
    assert plain.add_working_days(late, 1) == end(2026, 3, 6)
    assert cutoff.add_working_days(late, 1) == end(2026, 3, 9)
    assert cutoff.add_working_days(at(2026, 3, 5, 15, 59), 1) == end(2026, 3, 6)
    # After the cutoff on the last day before Tết: deemed received 23/2, day 1 is 24/2.
    assert cutoff.add_working_days(at(2026, 2, 13, 16, 0), 1) == end(2026, 2, 24)
    # The cutoff does not apply to days off.
    assert cutoff.add_working_days(at(2026, 3, 7, 18, 0), 1) == end(2026, 3, 9)


# -- unit days off and make-up days ---------------------------------------------------------------


def test_extra_days_off_and_makeup_workdays() -> None:
    # A hypothetical unit schedule: Wed 3/2/2027 off, Saturday 30/1/2027 worked in exchange.
    cal = WorkCalendar(extra_days_off=[D(2027, 2, 3)], makeup_workdays=[D(2027, 1, 30)])
    assert not cal.is_working_day(D(2027, 2, 3))
    assert cal.is_working_day(D(2027, 1, 30))
    assert cal.holiday_name(D(2027, 2, 3)) == EXTRA_DAY_OFF_NAME
    assert cal.add_working_days(at(2027, 2, 2), 1) == end(2027, 2, 11)
    assert cal.add_working_days(at(2027, 1, 29), 1) == end(2027, 1, 30)
    assert cal.add_working_days(at(2027, 1, 30), 2) == end(2027, 2, 2)
    assert WorkCalendar().add_working_days(at(2027, 2, 2), 1) == end(2027, 2, 3)


def test_named_extra_days_off() -> None:
    cal = WorkCalendar(extra_days_off={D(2026, 2, 13): "Nghỉ Tết (hoán đổi)"})
    assert cal.holiday_name(D(2026, 2, 13)) == "Nghỉ Tết (hoán đổi)"
    assert cal.add_working_days(at(2026, 2, 12), 1) == end(2026, 2, 23)


def test_makeup_workday_overrides_a_package_holiday() -> None:
    cal = WorkCalendar(makeup_workdays=[D(2026, 11, 24)])
    assert cal.is_working_day(D(2026, 11, 24))
    assert cal.holiday_name(D(2026, 11, 24)) is None


def test_conflicting_or_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="2027-02-03"):
        WorkCalendar(extra_days_off=[D(2027, 2, 3)], makeup_workdays=[D(2027, 2, 3)])
    with pytest.raises(ValueError, match="weekend"):
        WorkCalendar(weekend=range(7))
    with pytest.raises(TypeError):
        WorkCalendar(extra_days_off=["2027-02-03"])  # type: ignore[list-item]


def test_six_day_week() -> None:
    cal = WorkCalendar(weekend=(6,))
    assert cal.is_working_day(D(2026, 3, 7))
    assert cal.add_working_days(at(2026, 3, 6), 1) == end(2026, 3, 7)


# -- counting between dates ---------------------------------------------------------------------


def test_working_days_between(cal: WorkCalendar) -> None:
    assert cal.working_days_between(at(2026, 2, 13), at(2026, 2, 27)) == 5
    assert cal.working_days_between(at(2026, 2, 27), at(2026, 2, 13)) == -5
    assert cal.working_days_between(at(2026, 2, 13, 8), at(2026, 2, 13, 17)) == 0
    assert cal.working_days_between(D(2026, 2, 14), D(2026, 2, 22)) == 0


def test_working_days_between_inverts_add_working_days(cal: WorkCalendar) -> None:
    start = D(2025, 12, 20)
    for offset in range(0, 420, 3):
        received = at(start.year, start.month, start.day) + dt.timedelta(days=offset)
        for n in (1, 2, 5, 10, 15):
            due = cal.add_working_days(received, n)
            assert cal.working_days_between(received, due) == n, (received, n)
            assert cal.is_working_day(due)


def test_next_working_day(cal: WorkCalendar) -> None:
    assert cal.next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)
    assert cal.next_working_day(D(2026, 3, 5)) == D(2026, 3, 6)
    assert cal.next_working_day(at(2026, 8, 21)) == D(2026, 8, 22)


def test_days_off_lists_named_holidays_only(cal: WorkCalendar) -> None:
    listed = cal.days_off(D(2026, 2, 10), D(2026, 2, 25))
    assert [d for d, _ in listed] == [D(2026, 2, day) for day in range(16, 21)]
