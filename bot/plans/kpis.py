"""Numeric targets ("Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 98%") from sentences and
from tables of targets (Word tables or Markdown pipe tables).

A range such as "97-100%" gives `target_percent` = the lower bound (the committed
minimum), `comparator` = "range" and `target_range` = [97, 100]; the sentence is kept in
`text`. `comparator` is "min" (tối thiểu, ít nhất, từ, trên ... trở lên), "max" (tối đa,
không quá, dưới), "decrease"/"increase" ("giảm 30%", "tăng 20%": a change, not a level),
"range" or "exact".
"""

from __future__ import annotations

import re

from .model import Kpi
from .textutil import split_sentences, strip_end

_NUM = r"\d{1,3}(?:[.,]\d{1,2})?"
PERCENT = re.compile(
    rf"(?P<a>{_NUM})\s*%?\s*(?:-|–|đến|tới|~)\s*(?P<b>{_NUM})\s*(?:%|phần trăm)"
    rf"|(?P<v>{_NUM})\s*(?:%|phần trăm)",
    re.IGNORECASE,
)
_MIN_WORDS = re.compile(
    r"(?:tối thiểu|ít nhất|trên|từ|không thấp hơn|không dưới|không ít hơn|≥|>=)\s*$",
    re.IGNORECASE,
)
_MAX_WORDS = re.compile(
    r"(?:tối đa|dưới|không quá|không vượt quá|≤|<=|giảm xuống(?: còn)?|giảm còn)\s*$",
    re.IGNORECASE,
)
_IND_BEFORE = re.compile(
    r"^(?P<ind>.+?)\s+(?:phải\s+|phấn đấu\s+)?(?:đạt|đạt được|bằng|là|chiếm|lên|tăng|giảm"
    r"|tối thiểu|ít nhất|trên|không thấp hơn|không dưới|từ)\b",
    re.IGNORECASE,
)
_LEAD = [
    re.compile(r"(?:^|[(;,]\s*)(?:đơn vị\s+)?chủ trì\s*:\s*(?P<u>[^;)]+)", re.IGNORECASE),
    re.compile(r"\b(?:giao|do)\s+(?P<u>.{3,80}?)\s+chủ trì\b", re.IGNORECASE),
    re.compile(r"^(?P<u>[^,;:]{3,80}?)\s+chủ trì\b", re.IGNORECASE),
]
_PARTNER = re.compile(
    r"\bphối hợp(?:\s+với)?\s*:?\s*(?P<u>.{3,120}?)(?=\s+(?:để|nhằm|thực hiện|triển khai|"
    r"bảo đảm|đảm bảo|tổ chức)\b|[;.)]|$)",
    re.IGNORECASE,
)


def _float(raw: str) -> float:
    return float(raw.replace(",", "."))


def _clauses(sentence: str) -> list[str]:
    """One clause per percentage when a sentence states several targets."""
    if len(PERCENT.findall(sentence)) <= 1:
        return [sentence]
    pieces = re.split(r"(?<=%)\s*[;,]\s*|;\s*", sentence)
    return [p for p in pieces if p.strip()]


def _indicator(clause: str, m: re.Match[str]) -> str:
    before = clause[: m.start()].strip()
    after = clause[m.end() :].strip()
    before = re.sub(r"^[-–+•*]\s*", "", before)
    found = _IND_BEFORE.match(before)
    weak = re.compile(r"(?i)^(?:phấn đấu|đạt|bảo đảm|đảm bảo|có|tối thiểu|ít nhất|trên)\b|chủ trì")
    if found and not weak.search(found.group("ind")):
        ind = found.group("ind")
    elif len(after.split()) >= 2:
        ind = after
    else:
        ind = before or after
    ind = re.sub(r"(?i)^(?:phấn đấu|bảo đảm|đảm bảo)\s+", "", strip_end(ind))
    ind = re.sub(r"(?i)\s+(?:đạt|ở mức|mức)$", "", ind)
    return ind[:1].upper() + ind[1:] if ind else strip_end(clause)


def _comparator(clause: str, m: re.Match[str]) -> str:
    if m.group("a"):
        return "range"
    before = clause[: m.start()]
    if _MIN_WORDS.search(before) or re.match(r"\s*(?:trở lên|trở lên\b)", clause[m.end() :]):
        return "min"
    if _MAX_WORDS.search(before) or re.match(r"\s*trở xuống", clause[m.end() :]):
        return "max"
    if re.search(r"(?i)\bgiảm\s*(?:thêm\s*|ít nhất\s*|tối thiểu\s*)?$", before):
        return "decrease"
    if re.search(r"(?i)\btăng\s*(?:thêm\s*|ít nhất\s*|tối thiểu\s*)?$", before):
        return "increase"
    return "exact"


def responsible(text: str) -> tuple[str | None, str | None]:
    """(lead, partner) named in a sentence, when it names them."""
    lead = None
    for pattern in _LEAD:
        m = pattern.search(text)
        if m:
            lead = strip_end(m.group("u"))
            break
    partner = None
    m = _PARTNER.search(text)
    if m:
        partner = strip_end(m.group("u"))
    return lead, partner


def kpis_from_text(text: str, lead: str | None = None) -> list[Kpi]:
    out: list[Kpi] = []
    for sentence in split_sentences(text):
        if not PERCENT.search(sentence):
            continue
        s_lead, s_partner = responsible(sentence)
        for clause in _clauses(sentence):
            m = PERCENT.search(clause)
            if not m:
                continue
            if m.group("a"):
                low, high = _float(m.group("a")), _float(m.group("b"))
                low, high = min(low, high), max(low, high)
                target: float = low
                rng: tuple[float, float] | None = (low, high)
            else:
                target, rng = _float(m.group("v")), None
            if target > 100:
                continue
            out.append(
                Kpi(
                    indicator=_indicator(clause, m),
                    target_percent=target,
                    lead=s_lead or lead,
                    partner=s_partner,
                    text=strip_end(sentence),
                    comparator=_comparator(clause, m),
                    target_range=rng,
                )
            )
    return out


# ---- tables ----------------------------------------------------------------------------

_ROLE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("stt", re.compile(r"^(?:stt|tt|số tt|số thứ tự)$", re.IGNORECASE)),
    ("partner", re.compile(r"phối hợp", re.IGNORECASE)),
    (
        "lead",
        re.compile(
            r"chủ trì|chịu trách nhiệm|đầu mối|đơn vị thực hiện|cơ quan thực hiện"
            r"|người thực hiện|phụ trách",
            re.IGNORECASE,
        ),
    ),
    ("deadline", re.compile(r"thời gian|thời hạn|tiến độ|hoàn thành|thời điểm", re.IGNORECASE)),
    (
        "target",
        re.compile(
            r"%|tỷ lệ|tỉ lệ|mục tiêu|chỉ tiêu\s*(?:năm|\d)|kế hoạch năm|giá trị"
            r"|mức|kết quả",
            re.IGNORECASE,
        ),
    ),
    (
        "indicator",
        re.compile(
            r"chỉ tiêu|chỉ số|tiêu chí|nội dung|nhiệm vụ|hoạt động|công việc"
            r"|tên",
            re.IGNORECASE,
        ),
    ),
]


def table_roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for col, cell in enumerate(header):
        for role, pattern in _ROLE_WORDS:
            if role not in roles and pattern.search(cell.strip()):
                roles[role] = col
                break
    return roles


def _cell(row: list[str], roles: dict[str, int], role: str) -> str | None:
    col = roles.get(role)
    if col is None or col >= len(row):
        return None
    value = row[col].strip()
    return value or None


def kpis_from_table(rows: list[list[str]]) -> list[Kpi]:
    if len(rows) < 2:
        return []
    roles = table_roles(rows[0])
    if "target" not in roles and "indicator" in roles:
        # "Chỉ tiêu" may head the numbers: take the column whose cells hold percentages
        cols = {c for r in rows[1:] for c, v in enumerate(r) if PERCENT.search(v)}
        if len(cols) == 1:
            roles["target"] = cols.pop()
            if roles["target"] == roles["indicator"]:
                del roles["indicator"]
    if "indicator" not in roles:
        texts = [c for c in range(len(rows[0])) if c not in roles.values()]
        if texts:
            roles["indicator"] = max(
                texts, key=lambda c: sum(len(r[c]) for r in rows if c < len(r))
            )
    out: list[Kpi] = []
    for row in rows[1:]:
        target_cell = _cell(row, roles, "target") or ""
        m = PERCENT.search(target_cell) or (
            PERCENT.search(" ".join(row)) if "target" not in roles else None
        )
        if not m:
            bare = re.fullmatch(rf"\s*(?:≥|>=)?\s*({_NUM})\s*", target_cell)
            if not (bare and "%" in " ".join(rows[0])):
                continue
            value = _float(bare.group(1))
            kpi_range: tuple[float, float] | None = None
            comparator = "min" if "≥" in target_cell or ">=" in target_cell else "exact"
        elif m.group("a"):
            low, high = sorted((_float(m.group("a")), _float(m.group("b"))))
            value, kpi_range, comparator = low, (low, high), "range"
        else:
            value, kpi_range = _float(m.group("v")), None
            comparator = _comparator(target_cell, m) if target_cell else "exact"
        if value > 100:
            continue
        indicator = _cell(row, roles, "indicator") or strip_end(target_cell)
        out.append(
            Kpi(
                indicator=strip_end(indicator),
                target_percent=value,
                lead=_cell(row, roles, "lead"),
                partner=_cell(row, roles, "partner"),
                text=" | ".join(c for c in row if c),
                comparator=comparator,
                target_range=kpi_range,
            )
        )
    return out
