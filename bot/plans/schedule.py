"""Deadlines: the sentences that set a time ("chậm nhất trước ngày 17 tháng 02 năm 2026",
"hoàn thành trong Quý I/2026", "định kỳ 6 tháng"), with an ISO date when one is given.

Dates that belong to a cited document ("Kế hoạch số 47/KH-UBND ngày 11/02/2025") are not
deadlines. A month or a quarter gives its last day ("Quý I/2026" -> 2026-03-31).
"""

from __future__ import annotations

import re

from .legal import citation_spans
from .model import Deadline
from .textutil import find_dates, split_sentences, strip_end

_STRONG = re.compile(
    r"trước ngày|trước \d|chậm nhất|hạn chót|thời hạn|hoàn thành (?:trước|trong|xong|vào)"
    r"|định kỳ|trong quý|trước quý|thời gian (?:thực hiện|ban hành|hoàn thành|tổ chức)"
    r"|từ ngày|đến ngày|kể từ ngày|xong trước|không muộn hơn|hạn cuối",
    re.IGNORECASE,
)
_REPORT = re.compile(r"báo cáo", re.IGNORECASE)
_PERIODIC = re.compile(
    r"(?:hằng|hàng)\s+(?:tháng|quý|năm|tuần)|(?:\b0?[369]|12)\s+tháng|định kỳ",
    re.IGNORECASE,
)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def deadlines_from_text(text: str, unit: str | None = None) -> list[Deadline]:
    out: list[Deadline] = []
    for sentence in split_sentences(text, semicolons=False):
        plain = _mask(sentence, citation_spans(sentence))
        dates = find_dates(plain)
        strong = _STRONG.search(plain)
        periodic = bool(_PERIODIC.search(plain))
        if not strong and not (periodic and _REPORT.search(plain)):
            if not dates or not re.search(
                r"(?i)\b(?:trước|đến|trong|vào)\s+(?:ngày|tháng|quý)?", plain
            ):
                continue
            if not any(
                re.search(r"(?i)(?:trước|đến|trong|vào)\s*(?:ngày\s*)?$", plain[: d.start])
                for d in dates
            ):
                continue
        iso = None
        if dates:
            after = [d for d in dates if not strong or d.start >= strong.start()] or dates
            iso = after[0].iso
        out.append(
            Deadline(
                text=strip_end(sentence),
                date=iso,
                recurring=periodic and iso is None,
                unit=unit,
            )
        )
    return out
