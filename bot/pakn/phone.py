"""Vietnamese phone numbers: parse what citizens type, store E.164 (``+84…``), show and mask.

Accepted (after removing spaces, dots, dashes, slashes and parentheses):
- mobile: 0 + [3 5 7 8 9] + 8 digits ("0912 345 678"), also written ``+84 912345678``,
  ``+84 0912…``, ``84912345678``, ``0084…``, or the 9 digits alone ("912345678", as spreadsheets
  store numbers after dropping the leading 0);
- landline: 0 + area code (24 or 28, or three digits 2xx) + subscriber number of 7-8 digits
  ("024 3825 3535", "0251 382 2503": 10-11 digits with the 0), also with +84 / 84;
- a provincial service line: area code + 4-digit number starting with 1, "(0251) 1022".
Rejected: letters, other country codes, 1800/1900 numbers (not reachable from abroad, not a
citizen's contact), and wrong lengths. The old 11-digit mobile numbers (01xx) were renumbered in
2018 and are rejected rather than converted.
"""

from __future__ import annotations

import re
import unicodedata

_ALLOWED = re.compile(r"^\+?[\d\s.\-()/]+$")
_MOBILE = re.compile(r"^[35789]\d{8}$")
_TWO_DIGIT_AREAS = ("24", "28")  # Hà Nội, TP Hồ Chí Minh; the other area codes have 3 digits


def _national_number(text: str) -> str | None:
    """The national significant number (no leading 0) or None."""
    s = unicodedata.normalize("NFKC", text).strip()
    if not s or not _ALLOWED.match(s):
        return None
    digits = re.sub(r"\D", "", s)
    if s.startswith("+"):
        if not digits.startswith("84"):
            return None
        nsn = digits[2:]
    elif digits.startswith("0084"):
        nsn = digits[4:]
    elif digits.startswith("0"):
        nsn = digits[1:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        nsn = digits[2:]
    else:
        nsn = digits
    if nsn.startswith("0") and (s.startswith("+") or digits.startswith("0084")):
        nsn = nsn[1:]  # "+84 0912 345 678": the trunk 0 written after the country code
    return nsn if _split_landline(nsn) or _MOBILE.match(nsn) else None


def _split_landline(nsn: str) -> tuple[str, str] | None:
    """(area code, subscriber number) for a landline NSN, or None."""
    if not nsn.startswith("2") or not nsn.isdigit():
        return None
    area_len = 2 if nsn[:2] in _TWO_DIGIT_AREAS else 3
    area, subscriber = nsn[:area_len], nsn[area_len:]
    if len(subscriber) in (7, 8) and subscriber[0] not in "01":
        return area, subscriber
    if len(subscriber) == 4 and subscriber[0] == "1":  # service line such as 1022
        return area, subscriber
    return None


def parse_vn_phone(text: str) -> str | None:
    """E.164 form ``+84912345678`` of a Vietnamese number as typed, or None when not one."""
    nsn = _national_number(text)
    return None if nsn is None else "+84" + nsn


def _groups(text: str) -> tuple[str, str, str]:
    """(leading group, middle group, last group) as displayed; raises ValueError."""
    nsn = _national_number(text)
    if nsn is None:
        raise ValueError(f"not a Vietnamese phone number: {text!r}")
    landline = _split_landline(nsn)
    if landline is None:  # mobile: 0912 345 678
        national = "0" + nsn
        return national[:4], national[4:7], national[7:]
    area, sub = landline
    head = f"(0{area})"
    if len(sub) == 4:  # service line: (0251) 1022
        return head, "", sub
    split = 4 if len(sub) == 8 else 3  # 3825 3535 / 382 2503
    return head, sub[:split], sub[split:]


def display_vn_phone(e164: str) -> str:
    """Human form: "0912 345 678", "(024) 3825 3535", "(0251) 382 2503", "(0251) 1022".

    Accepts any form ``parse_vn_phone`` accepts; raises ValueError otherwise.
    """
    return " ".join(part for part in _groups(e164) if part)


def mask_phone(e164: str) -> str:
    """For staff screens and logs: "0912 *** 678", "(024) *** 535". Never raises: "***"."""
    try:
        head, _, tail = _groups(e164)
    except ValueError:
        return "***"
    return f"{head} *** {tail[-3:]}"
