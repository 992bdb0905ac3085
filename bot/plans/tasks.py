"""Tasks: unit + duties from the "TỔ CHỨC THỰC HIỆN" section (or a table assigning work)."""

from __future__ import annotations

import re

from .kpis import table_roles
from .model import Deadline, Task
from .schedule import deadlines_from_text
from .structure import Node
from .textutil import find_dates, strip_end

ORG_SECTION = re.compile(
    r"tổ chức thực hiện|trách nhiệm (?:thực hiện|thi hành)|phân công (?:nhiệm vụ|thực hiện)"
    r"|trách nhiệm của các (?:cơ quan|đơn vị)",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    r"^(?:Giao trách nhiệm(?: cho)?|Giao nhiệm vụ(?: cho)?|Kính đề nghị|Đề nghị|Giao|"
    r"Trách nhiệm của)\s+",
    re.IGNORECASE,
)
_SUFFIX = re.compile(
    r"\s+(?:thực hiện|có trách nhiệm|chịu trách nhiệm|triển khai)(?: thực hiện)?"
    r"(?: các| những)?(?: nội dung| nhiệm vụ| công việc)?(?: cụ thể)?(?: sau| như sau)?"
    r"(?: đây)?$",
    re.IGNORECASE,
)
_UNIT_START = re.compile(
    r"^(?:Giao\s+)?(?P<u>(?:Lãnh đạo\s+)?(?:các\s+)?(?:Phòng|Ban|Trung tâm|Văn phòng|UBND|"
    r"Ủy ban|Uỷ ban|Công an|Đoàn|Hội|Mặt trận|Đài|Trạm|Trường|Bưu điện|Đảng ủy|Tổ|Chi cục|"
    r"Sở|Cổng|Ban Chỉ huy|Chi nhánh|Bộ phận|Công chức)\b[^,;:]{0,80}?)\s+"
    r"(?:chủ trì|có trách nhiệm|chịu trách nhiệm|thực hiện|phối hợp|tham mưu|triển khai|"
    r"xây dựng|tổ chức|hướng dẫn|theo dõi)\b",
)
GENERAL_UNIT = "Chung"


def _clean_unit(text: str) -> str:
    unit = strip_end(text)
    unit = _PREFIX.sub("", unit)
    unit = _SUFFIX.sub("", unit)
    return strip_end(unit)


def split_unit(text: str, has_children: bool) -> tuple[str | None, str | None]:
    """(unit, inline duty) for a line of the organisation section."""
    if ":" in text:
        before, after = text.split(":", 1)
        if len(before.split()) <= 15 and not re.search(r"https?$", before):
            return _clean_unit(before) or None, strip_end(after) or None
    if has_children or len(text.split()) <= 15:
        return _clean_unit(text) or None, None
    m = _UNIT_START.match(_PREFIX.sub("", text))
    if m:
        return strip_end(m.group("u")), strip_end(text)
    return None, strip_end(text)


def _add(tasks: list[Task], unit: str, duties: list[str]) -> None:
    for task in tasks:
        if task.unit.casefold() == unit.casefold():
            task.duties.extend(d for d in duties if d not in task.duties)
            return
    tasks.append(Task(unit, list(duties)))


def org_section(root: Node) -> Node | None:
    for node in root.walk():
        if (
            node.kind not in {"para", "table", "closing"}
            and node.children
            and ORG_SECTION.search(node.text)
            and len(node.text.split()) <= 10
        ):
            return node
    return None


def tasks_from_section(section: Node) -> tuple[list[Task], list[Deadline]]:
    tasks: list[Task] = []
    deadlines: list[Deadline] = []
    for child in section.children:
        if child.kind in {"table", "closing"}:
            continue
        unit, inline = split_unit(child.text, bool(child.children))
        duties = [inline] if inline else []
        general: list[str] = []
        for node in child.walk():
            if not node.text or node.kind == "closing":
                continue
            # after "Unit: duty", a plain paragraph is a note to everyone, not a duty
            target = general if inline and node.kind == "para" else duties
            target.append(strip_end(node.text))
        for name, items in ((unit or GENERAL_UNIT, duties), (GENERAL_UNIT, general)):
            items = [d for d in items if d]
            if not items:
                continue
            _add(tasks, name, items)
            for duty in items:
                deadlines.extend(deadlines_from_text(duty, name))
    return tasks, deadlines


def tasks_from_table(rows: list[list[str]]) -> tuple[list[Task], list[Deadline]]:
    """A table assigning work: Nội dung/Nhiệm vụ | Chủ trì | Phối hợp | Thời gian."""
    if len(rows) < 2:
        return [], []
    roles = table_roles(rows[0])
    if "lead" not in roles or "indicator" not in roles:
        return [], []
    tasks: list[Task] = []
    deadlines: list[Deadline] = []

    def cell(row: list[str], role: str) -> str:
        col = roles.get(role)
        return row[col].strip() if col is not None and col < len(row) else ""

    for row in rows[1:]:
        duty, lead = cell(row, "indicator"), cell(row, "lead")
        if not duty or not lead:
            continue
        partner, when = cell(row, "partner"), cell(row, "deadline")
        text = strip_end(duty)
        if partner:
            text += f" (phối hợp: {partner})"
        if when:
            text += f" (thời gian: {when})"
            dates = find_dates(when)
            iso = dates[0].iso if dates else None
            recurring = bool(re.search(r"(?i)hằng|hàng|định kỳ|thường xuyên", when))
            deadlines.append(Deadline(f"{strip_end(duty)}: {when}", iso, recurring, lead))
        _add(tasks, lead, [text])
    return tasks, deadlines
