"""The FAQ editor's form: posted fields → an entry mapping, and problems → messages per field."""

from __future__ import annotations

import unicodedata
from typing import Any

FIELD_LABELS = {
    "id": "Mã mục",
    "topic": "Chủ đề",
    "title": "Tiêu đề",
    "questions": "Câu hỏi",
    "keywords": "Từ khoá",
    "answer": "Câu trả lời",
    "procedure_code": "Mã thủ tục",
    "url": "Đường dẫn",
    "online": "Dịch vụ công trực tuyến",
    "dated": "Thông tin có thời hạn",
    "level": "Cơ quan giải quyết",
    "source": "Nguồn",
    "checked": "Ngày kiểm tra",
}
EMPTY_LISTS: dict[str, list[str]] = {"questions": [], "keywords": [], "source": []}
MESSAGES = {"missing": "chưa điền (missing)", "unknown field": "trường không có (unknown field)"}


def _lines(raw: str, commas: bool = False) -> list[str]:
    text = raw.replace(",", "\n") if commas else raw
    return [line.strip() for line in text.splitlines() if line.strip()]


def form_data(form: Any, entry_id: str | None) -> dict[str, Any]:
    """The posted form as an entry mapping (NFC); empty optional fields are left out."""

    def get(name: str) -> str:
        return unicodedata.normalize("NFC", str(form.get(name, ""))).replace("\r\n", "\n")

    data: dict[str, Any] = {
        "id": entry_id if entry_id is not None else get("id").strip(),
        "topic": get("topic").strip(),
        "title": get("title").strip(),
        "questions": _lines(get("questions")),
        "keywords": _lines(get("keywords"), commas=True),
        "answer": get("answer").strip() + "\n",
        "procedure_code": get("procedure_code").strip(),
        "url": get("url").strip(),
        "online": get("online").strip(),
        "dated": parse_dated(get("dated")),
        "level": get("level").strip(),
        "source": _lines(get("source")),
        "checked": get("checked").strip(),
    }
    if data["answer"] == "\n":
        data["answer"] = ""
    optional = ("keywords", "procedure_code", "url", "online", "dated")
    return {k: v for k, v in data.items() if k not in optional or v}


def _iso(day: str) -> str:
    """ "15/08/2026" → "2026-08-15"; anything else is kept, and fails validation by name."""
    parts = day.strip().split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[2]):04d}-{int(parts[1]):02d}-{int(parts[0]):02d}"
    return day.strip()


def parse_dated(raw: str) -> list[Any]:
    """One dated fact per line: "15/08/2026 – 28/02/2027 | the sentence | its source" (the
    start may be left out: "– 28/02/2027 | …"). A line that does not fit is kept as text, and
    validation names it."""
    facts: list[Any] = []
    for line in _lines(raw):
        parts = [p.strip() for p in line.split("|")]
        dates = parts[0].replace("–", " - ").split(" - ") if parts else []
        if len(parts) != 3 or len(dates) != 2:
            facts.append(line)
            continue
        fact = {"text": parts[1], "valid_until": _iso(dates[1]), "source": parts[2]}
        if dates[0].strip():
            fact["valid_from"] = _iso(dates[0])
        facts.append(fact)
    return facts


def dated_lines(data: dict[str, Any]) -> str:
    """The editor's text for `dated` (the reverse of parse_dated)."""

    def day(iso: str) -> str:
        y, m, d = iso.split("-") if iso.count("-") == 2 else ("", "", "")
        return f"{d}/{m}/{y}" if y else iso

    lines = []
    for fact in data.get("dated") or []:
        if isinstance(fact, dict):
            start = day(str(fact.get("valid_from", ""))) if fact.get("valid_from") else ""
            until = day(str(fact.get("valid_until", "")))
            lines.append(f"{start} – {until} | {fact.get('text', '')} | {fact.get('source', '')}")
        else:
            lines.append(str(fact))
    return "\n".join(lines)


def field_errors(problems: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, message in problems:
        base = name.split("[")[0]
        label = FIELD_LABELS.get(base, base)
        out.setdefault(base, []).append(f"{label} ({name}): {MESSAGES.get(message, message)}")
    return out
