"""Vietnamese numbers in words, as an announcer reads them (pure functions).

    read_number(21)      -> "hai mươi mốt"
    read_number(105)     -> "một trăm linh năm"       (lam="nhăm", linh="lẻ" for other habits)
    read_number(2026)    -> "hai nghìn không trăm hai mươi sáu"
    read_digits("0251")  -> "không hai năm một"
    read_date(30, 1, 2026) -> "ngày ba mươi tháng một năm hai nghìn không trăm hai mươi sáu"

Rules: "mười" for 10-19 and "mươi" from 20; after "mươi", 1 is "mốt", 4 is "tư" and 5 is
"lăm" or "nhăm" ("mười lăm" always); a zero ten inside a hundred reads "linh" (or "lẻ");
inside a big number an empty hundred reads "không trăm"; groups of three are "nghìn", "triệu",
"tỷ", and above a billion the names repeat ("nghìn tỷ").
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")
MONTHS_SPECIAL = {4: "tư"}  # "tháng tư"; every other month reads as its number


def _below_hundred(n: int, *, lam: str) -> list[str]:
    tens, units = divmod(n, 10)
    if tens == 0:
        return [DIGITS[units]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 5:
        words.append(lam if tens >= 2 else "lăm")  # "mười lăm", never "mười nhăm"
    elif units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    else:
        words.append(DIGITS[units])
    return words


def _below_thousand(n: int, *, full: bool, lam: str, linh: str) -> list[str]:
    """Words for 0 < n < 1000; `full` reads an empty hundred ("không trăm") inside a number."""
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
        if rest == 0:
            return words
        if rest < 10:
            return [*words, linh, DIGITS[rest]]
    return words + _below_hundred(rest, lam=lam)


def _below_billion(n: int, *, full: bool, lam: str, linh: str) -> list[str]:
    groups: list[int] = []
    while n:
        n, part = divmod(n, 1000)
        groups.append(part)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        part = groups[index]
        if part == 0:
            continue
        inner = full or index != len(groups) - 1
        words += _below_thousand(part, full=inner, lam=lam, linh=linh)
        if GROUPS[index]:
            words.append(GROUPS[index])
    return words


def read_number(n: int, *, lam: str = "lăm", linh: str = "linh") -> str:
    """A whole number in words; negative numbers start with "âm"."""
    if n < 0:
        return "âm " + read_number(-n, lam=lam, linh=linh)
    if n == 0:
        return DIGITS[0]
    words: list[str] = []
    billions, rest = divmod(n, 1_000_000_000)
    if billions:
        words += [*read_number(billions, lam=lam, linh=linh).split(), "tỷ"]
    if rest:
        words += _below_billion(rest, full=bool(billions), lam=lam, linh=linh)
    return " ".join(words)


def read_decimal(text: str) -> str:
    """ "2,5" -> "hai phẩy năm"; the part after the comma is read as a number ("2,05": digits)."""
    whole, _, frac = text.partition(",")
    out = read_number(int(whole))
    if frac:
        tail = read_digits(frac) if frac.startswith("0") else read_number(int(frac))
        out += " phẩy " + tail
    return out


def read_digits(digits: str) -> str:
    """Digit by digit: "1022" -> "một không hai hai" (phone numbers, codes)."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def read_phone(groups: list[str]) -> str:
    """Each group digit by digit, groups separated by a pause (comma)."""
    return ", ".join(read_digits(g) for g in groups if g)


def split_phone(digits: str) -> list[str]:
    """Groups for a phone number written without spaces: 0912345678 -> 0912 345 678."""
    if len(digits) == 10 and digits.startswith("0"):
        return [digits[:4], digits[4:7], digits[7:]]
    if len(digits) == 11 and digits.startswith("02"):
        return [digits[:4], digits[4:7], digits[7:]]
    if len(digits) == 8 and digits.startswith("1900"):
        return [digits[:4], digits[4:]]
    return [digits]


def read_month(month: int) -> str:
    return MONTHS_SPECIAL.get(month) or read_number(month)


def read_date(day: int | None, month: int | None, year: int | None) -> str:
    """ "ngày ba mươi tháng một năm hai nghìn không trăm hai mươi sáu" (parts may be None)."""
    parts: list[str] = []
    if day is not None:
        parts.append("ngày " + read_number(day))
    if month is not None:
        parts.append("tháng " + read_month(month))
    if year is not None:
        parts.append("năm " + read_number(year))
    return " ".join(parts)


def read_time(hour: int, minute: int = 0) -> str:
    """ "8h30" -> "tám giờ ba mươi phút"; "7h00" -> "bảy giờ"."""
    out = read_number(hour) + " giờ"
    if minute:
        out += " " + read_number(minute) + " phút"
    return out


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    """ "XIV" -> 14; None when it is not a well-formed Roman numeral up to 399."""
    if not text or any(c not in ROMAN for c in text):
        return None
    total = 0
    for i, char in enumerate(text):
        value = ROMAN[char]
        if i + 1 < len(text) and ROMAN[text[i + 1]] > value:
            total -= value
        else:
            total += value
    if not 0 < total < 400 or _int_to_roman(total) != text:
        return None
    return total


def _int_to_roman(n: int) -> str:
    table = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"))
    out = ""
    for value, sym in (*table, (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out
