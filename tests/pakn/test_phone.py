"""Vietnamese phone numbers: accepted and rejected forms, display, masking."""

from __future__ import annotations

import pytest

from bot.pakn.phone import display_vn_phone, mask_phone, parse_vn_phone

ACCEPTED = [
    ("0912 345 678", "+84912345678"),
    ("0912.345.678", "+84912345678"),
    ("0912-345-678", "+84912345678"),
    ("0912345678", "+84912345678"),
    ("+84 912345678", "+84912345678"),
    ("+84 912 345 678", "+84912345678"),
    ("+84 (0) 912 345 678", "+84912345678"),
    ("+84 0912 345 678", "+84912345678"),
    ("84912345678", "+84912345678"),
    ("0084 912 345 678", "+84912345678"),
    ("912345678", "+84912345678"),  # spreadsheet dropped the leading 0
    ("  0385 123 456 ", "+84385123456"),
    ("0563 123 456", "+84563123456"),
    ("0703 123 456", "+84703123456"),
    ("0862 123 456", "+84862123456"),
    ("０９１２３４５６７８", "+84912345678"),  # full-width digits
    ("(0251) 1022", "+842511022"),
    ("0251.1022", "+842511022"),
    ("(024) 3825 3535", "+842438253535"),
    ("024 3825 3535", "+842438253535"),
    ("028 3829 6052", "+842838296052"),
    ("0251 382 2503", "+842513822503"),
    ("0251 3822 503", "+842513822503"),
    ("+84 251 382 2503", "+842513822503"),
    ("842513822503", "+842513822503"),
    ("0203 382 1234", "+842033821234"),
]

REJECTED = [
    "",
    "   ",
    "0912 345 67",  # too short
    "0912 345 6789",  # too long
    "091234567a",
    "0912 abc 678",
    "số 0912345678",
    "+1 415 555 0100",  # other country
    "+849123",
    "0112 345 678",  # mobile prefixes are 03/05/07/08/09
    "0412 345 678",
    "01662 345 678",  # old 11-digit mobile, renumbered in 2018
    "1800 1096",  # toll-free: not a citizen's contact number
    "1900 1234",
    "0251 123",  # area code + 3 digits
    "0251 0123 456",  # subscriber numbers do not start with 0
    "024 382 535",  # Hà Nội needs 8 digits
    "0912+345678",
    "12345",
]


@pytest.mark.parametrize(("text", "e164"), ACCEPTED)
def test_accepted(text: str, e164: str) -> None:
    assert parse_vn_phone(text) == e164


@pytest.mark.parametrize("text", REJECTED)
def test_rejected(text: str) -> None:
    assert parse_vn_phone(text) is None


@pytest.mark.parametrize(
    ("e164", "shown", "masked"),
    [
        ("+84912345678", "0912 345 678", "0912 *** 678"),
        ("+84385123456", "0385 123 456", "0385 *** 456"),
        ("+842511022", "(0251) 1022", "(0251) *** 022"),
        ("+842438253535", "(024) 3825 3535", "(024) *** 535"),
        ("+842513822503", "(0251) 382 2503", "(0251) *** 503"),
    ],
)
def test_display_and_mask(e164: str, shown: str, masked: str) -> None:
    assert display_vn_phone(e164) == shown
    assert mask_phone(e164) == masked
    assert parse_vn_phone(shown) == e164  # the display form parses back


def test_display_refuses_and_mask_hides_invalid_input() -> None:
    with pytest.raises(ValueError):
        display_vn_phone("+1 415 555 0100")
    assert mask_phone("+1 415 555 0100") == "***"
    assert mask_phone("not a number") == "***"


def test_mask_never_shows_the_middle_digits() -> None:
    masked = mask_phone("0912 345 678")
    assert "345" not in masked
    assert masked.endswith("678")
