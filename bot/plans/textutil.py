"""Small text helpers shared by the extractors: normalisation, sentences, dates."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Letters that only Vietnamese text has (lower case; compare after casefold()).
_VI_LETTERS = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")

_MD_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)\)")
_MD_AUTOLINK = re.compile(r"<((?:https?://|mailto:|www\.)[^>\s]+)>")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_MD_STAR = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_HTML_TAG = re.compile(r"</?(?:br|p|div|span|b|i|strong|em|u)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_inline(text: str) -> str:
    """Drop Markdown emphasis, links and escapes; collapse spaces. Keeps the words."""
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _HTML_TAG.sub(" ", text)
    for _ in range(2):
        text = _MD_EMPH.sub(r"\2", text)
    text = _MD_STAR.sub(r"\1", text)
    text = text.replace("**", "")
    text = _MD_ESCAPE.sub(r"\1", text)
    text = text.replace("\u00ad", "")
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case for matching (diacritics kept: "đối với" must not match "doi voi")."""
    return text.casefold()


def has_vietnamese(text: str) -> bool:
    return any(ch in _VI_LETTERS for ch in text.casefold())


def starts_lower(text: str) -> bool:
    """True when the text starts (after quotes/brackets) with a lower-case letter."""
    for ch in text:
        if ch in "\"'“”‘’(«":
            continue
        return ch.isalpha() and ch.islower()
    return False


def strip_end(text: str) -> str:
    """Trim spaces and trailing separators (; : , .) and the "./." end mark."""
    text = re.sub(r"\s*(?:\./\.|/\.)\s*$", "", text.strip())
    text = re.sub(r"(?<=\.)\s*/\.?\s*\w{0,12}\s*$", "", text)  # "./." end mark + initials
    return text.strip().rstrip(";:,.").strip()


_SENT_BREAK = re.compile(r"(?<=[.!?…])\s+|(?<=;)\s+")


def split_sentences(text: str, semicolons: bool = True) -> list[str]:
    """Split at ". " when an upper-case letter or digit follows, and at "; " (if asked)."""
    parts: list[str] = []
    start = 0
    for m in _SENT_BREAK.finditer(text):
        nxt = text[m.end() : m.end() + 2]
        if text[m.start() - 1] == ";" and not semicolons:
            continue
        upper_next = nxt[:1].isupper() or nxt[:1].isdigit()
        quoted_upper = nxt[:1] in '"“(' and nxt[1:2].isupper()
        if text[m.start() - 1] != ";" and not upper_next and not quoted_upper:
            continue
        piece = text[start : m.start()].strip()
        if piece:
            parts.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


# ---- dates ---------------------------------------------------------------------------

_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day",
        re.compile(r"(?<![\d/])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*((?:19|20)\d{2})(?![\d/])"),
    ),
    (
        "day_words",
        re.compile(
            r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,\s*)?năm\s+((?:19|20)\d{2})",
            re.IGNORECASE,
        ),
    ),
    (
        "quarter",
        re.compile(
            r"(trước\s+)?quý\s+(IV|III|II|I|[1-4])\s*(?:/|năm\s+|-)\s*((?:19|20)\d{2})",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"(trước\s+)?tháng\s+(\d{1,2})\s*(?:/|năm\s+|-)\s*((?:19|20)\d{2})(?![\d/])",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str | None
    kind: str  # "day", "month", "quarter"


def _safe_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _period_end(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def find_dates(text: str) -> list[FoundDate]:
    """Dates in the text, in order, without overlaps.

    "10/4/2025", "ngày 25 tháng 12 năm 2025" -> that day. A month ("tháng 6/2026") or a
    quarter ("Quý I/2026") -> its last day; "trước tháng 6/2026" -> the day before it
    starts (the last day of the previous month or quarter).
    """
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            iso: str | None
            if kind == "day":
                iso = _safe_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
            elif kind == "day_words":
                iso = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            elif kind == "quarter":
                quarter = _ROMAN_Q[m.group(2).casefold()]
                year = int(m.group(3))
                if m.group(1):
                    quarter -= 1
                    if quarter == 0:
                        quarter, year = 4, year - 1
                iso = _period_end(year, quarter * 3)
            else:
                month, year = int(m.group(2)), int(m.group(3))
                if m.group(1) and 1 <= month <= 12:
                    month -= 1
                    if month == 0:
                        month, year = 12, year - 1
                iso = _period_end(year, month)
            taken.append((m.start(), m.end()))
            found.append(FoundDate(m.start(), m.end(), iso, kind.removesuffix("_words")))
    found.sort(key=lambda d: d.start)
    return found
