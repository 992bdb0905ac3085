"""Vietnamese numbers in words: the reading rules an announcer follows."""

from __future__ import annotations

import pytest

from bot.outreach.numbers import read_date, read_digits, read_number, read_time, roman_to_int


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (10, "mười"),
        (11, "mười một"),  # "một" after "mười", "mốt" only after "mươi"
        (14, "mười bốn"),  # "tư" only from twenty on
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (98, "chín mươi tám"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (118, "một trăm mười tám"),
        (777, "bảy trăm bảy mươi bảy"),
        (1005, "một nghìn không trăm linh năm"),
        (2025, "hai nghìn không trăm hai mươi lăm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (15_000, "mười lăm nghìn"),
        (1_000_050, "một triệu không trăm năm mươi"),
        (2_005_000, "hai triệu không trăm linh năm nghìn"),
        (1_234_567, "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
        (1_000_000_000, "một tỷ"),
        (2_000_000_001, "hai tỷ không trăm linh một"),
    ],
)
def test_read_number(n: int, words: str) -> None:
    assert read_number(n) == words


def test_regional_variants_lam_nham_and_linh_le() -> None:
    assert read_number(25, lam="nhăm") == "hai mươi nhăm"
    assert read_number(15, lam="nhăm") == "mười lăm"  # never "mười nhăm"
    assert read_number(105, linh="lẻ") == "một trăm lẻ năm"


def test_dates_times_digits_and_roman_numerals() -> None:
    assert read_date(30, 1, 2026) == (
        "ngày ba mươi tháng một năm hai nghìn không trăm hai mươi sáu"
    )
    assert read_date(10, 4, None) == "ngày mười tháng tư"
    assert read_time(8, 30) == "tám giờ ba mươi phút"
    assert read_time(7) == "bảy giờ"
    assert read_digits("0251") == "không hai năm một"
    assert roman_to_int("XIV") == 14
    assert roman_to_int("IIII") is None
