"""Cited legal documents: Nghị định, Nghị quyết, Quyết định, Thông tư, Chỉ thị, Kế hoạch,
Công điện, Công văn, Luật ... with number and date, deduplicated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import LegalRef
from .textutil import find_dates

_TYPES = (
    "Thông tư liên tịch",
    "Chương trình hành động",
    "Nghị định",
    "Nghị quyết",
    "Quyết định",
    "Thông tư",
    "Chỉ thị",
    "Kế hoạch",
    "Công điện",
    "Công văn",
    "Văn bản",
    "Thông báo",
    "Hướng dẫn",
    "Kết luận",
    "Pháp lệnh",
    "Chương trình",
    "Đề án",
    "Quy định",
    "Luật",
)
_CODE_TYPES = {
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "CĐ": "Công điện",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "KL": "Kết luận",
    "CTR": "Chương trình",
    "QH": "Luật",
}
NUMBER = (
    r"\d{1,5}(?:\.\d{1,3})?(?:/(?:19|20)\d{2})?[/-][A-ZĐ][A-Za-zĐđ0-9]*"
    r"(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9]*)*"
)
_TYPED = re.compile(
    r"(?P<type>" + "|".join(_TYPES) + r")\s+(?:số\s*:?\s*)?(?P<num>" + NUMBER + r")(?![\w/])",
    re.IGNORECASE,
)
_BARE = re.compile(r"(?<![\w/.-])(?P<num>" + NUMBER + r")(?![\w/])")
_LAW_NAME = re.compile(
    r"\bLuật\s+(?P<name>[^\W\d_][^.;:()\n]{2,80}?)"
    r"(?=\s+(?:số|ngày|năm \d|của|theo|và Luật|đã|được|về)\b|[.;:()\n]|$)"
)
_DATE_LEAD = re.compile(r"^\s*,?\s*(?:được\s+)?(?:ban hành\s+)?ngày\s", re.IGNORECASE)
_NEXT = re.compile(
    r";|\.\s|(?:" + "|".join(_TYPES) + r")\s+(?:số\s*)?\d",
    re.IGNORECASE,
)


@dataclass
class Citation:
    ref: LegalRef
    start: int
    end: int  # end of the number/date part (not the context)
    context_end: int = 0  # end of the clause that describes the document


def _canon_type(raw: str) -> str:
    low = raw.casefold()
    for name in _TYPES:
        if name.casefold() == low:
            return name
    return raw[0].upper() + raw[1:].lower()


def _type_from_number(number: str) -> str | None:
    parts = re.split(r"[-/]", number.upper())
    for part in parts[1:]:
        code = re.sub(r"\d+$", "", part)
        if code in _CODE_TYPES:
            return _CODE_TYPES[code]
    return None


def number_key(number: str) -> str:
    return re.sub(r"\s+", "", number.upper().replace("-", "/"))


def _date_after(text: str, pos: int) -> tuple[str | None, int]:
    """An issue date right after a number ("ngày 10/4/2025", "ngày 25 tháng 12 năm 2025")."""
    tail = text[pos : pos + 60]
    if not _DATE_LEAD.match(tail):
        return None, pos
    dates = find_dates(tail)
    if dates and dates[0].kind == "day" and dates[0].start <= 25:
        return dates[0].iso, pos + dates[0].end
    return None, pos


def _context_end(text: str, pos: int) -> int:
    m = _NEXT.search(text, pos)
    return m.start() if m else len(text)


def _context(text: str, pos: int) -> str:
    end = _context_end(text, pos)
    ctx = text[pos:end].strip(' ,;.:()“”"')
    ctx = re.sub(r"^(?:và|hoặc)\b\s*|\s*\b(?:và|hoặc)$", "", ctx).strip(' ,;.:()“”"')
    return ctx[:240].rstrip() + ("…" if len(ctx) > 240 else "")


def find_citations(text: str) -> list[Citation]:
    """Every citation in one text, in order (not deduplicated)."""
    out: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _TYPED.finditer(text):
        number = m.group("num")
        kind = _canon_type(m.group("type"))
        if kind in {"Văn bản", "Quy định", "Hướng dẫn"} and not _type_from_number(number):
            continue
        date, end = _date_after(text, m.end())
        ref = LegalRef(kind, number, date, text[m.start() : end].strip(), _context(text, end))
        out.append(Citation(ref, m.start(), end))
        taken.append((m.start(), end))
    for m in _BARE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        number = m.group("num")
        kind_or_none = _type_from_number(number)
        if kind_or_none is None or not re.search(r"/(?:19|20)\d{2}/|[-/][A-ZĐ]", number):
            continue
        date, end = _date_after(text, m.end())
        ref = LegalRef(kind_or_none, number, date, text[m.start() : end].strip())
        ref.context = _context(text, end)
        out.append(Citation(ref, m.start(), end))
        taken.append((m.start(), end))
    for m in _LAW_NAME.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        name = m.group("name").strip(" ,")
        if not name[:1].isupper():
            continue
        out.append(Citation(LegalRef("Luật", None, None, f"Luật {name}"), m.start(), m.end()))
    for citation in out:
        citation.context_end = max(citation.end, _context_end(text, citation.end))
    out.sort(key=lambda c: c.start)
    return out


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Where documents are cited, with the clause describing them ("... về chế độ báo cáo
    định kỳ"): text that says nothing about this plan's own deadlines or targets."""
    return [(c.start, c.context_end) for c in find_citations(text)]


def _same(a: LegalRef, b: LegalRef) -> bool:
    if a.number is None or b.number is None:
        return a.number is None and b.number is None and a.text.casefold() == b.text.casefold()
    if number_key(a.number) != number_key(b.number):
        return False
    if a.type != b.type and {a.type, b.type} != {"Chương trình", "Chương trình hành động"}:
        return False
    return a.date is None or b.date is None or a.date == b.date


class RefIndex:
    """Deduplicates citations across the plan: the same number (17-NQ/TW = 17/NQ-TW) is one
    document unless two different dates show that they are two documents."""

    def __init__(self) -> None:
        self.refs: list[LegalRef] = []

    def add(self, ref: LegalRef) -> LegalRef:
        for known in self.refs:
            if _same(known, ref):
                if known.date is None and ref.date is not None:
                    known.date = ref.date
                    known.text = ref.text
                    known.context = known.context or ref.context
                return known
        self.refs.append(ref)
        return ref

    def add_text(self, text: str) -> list[LegalRef]:
        """Add the citations of a text; return the (shared) refs it cites, once each."""
        found: list[LegalRef] = []
        for citation in find_citations(text):
            ref = self.add(citation.ref)
            if all(ref is not f for f in found):
                found.append(ref)
        return found
