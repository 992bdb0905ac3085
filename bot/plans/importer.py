"""`import_plan(path)`: read a communication plan and extract what the bot needs."""

from __future__ import annotations

import re
from pathlib import Path

from .audiences import find_audiences, target_groups
from .contacts import find_channels, find_contacts
from .errors import PlanImportError
from .header import read_header
from .kpis import kpis_from_table, kpis_from_text
from .legal import RefIndex
from .model import Deadline, Kpi, PlanImport, Task
from .reader import read_blocks
from .schedule import deadlines_from_text
from .structure import SECTION_KINDS, Node, Outline, outline
from .tasks import org_section, split_unit, tasks_from_section, tasks_from_table
from .textutil import has_vietnamese, strip_end

NOT_A_PLAN = (
    "Không tìm thấy nội dung kế hoạch (không có tiêu đề KẾ HOẠCH hay mục I., II. ...): "
    "hãy kiểm tra lại tệp đã chọn."
)


def _body_texts(root: Node) -> list[str]:
    texts: list[str] = []
    for node in root.walk():
        if node.table is not None:
            texts.extend(" | ".join(c for c in row if c) for row in node.table.rows)
        elif node.text:
            texts.append(node.text)
    return texts


def _check_plan(doc: Outline, texts: list[str]) -> None:
    content = [n for n in doc.root.walk() if n.text or n.table is not None]
    sections = sum(1 for n in doc.root.children if n.kind in SECTION_KINDS)
    if not has_vietnamese(" ".join(texts)):
        raise PlanImportError(NOT_A_PLAN)
    if not doc.title_found and sections < 2:
        raise PlanImportError(NOT_A_PLAN)
    if len(content) < 2:
        raise PlanImportError(NOT_A_PLAN)


def _dedupe_kpis(kpis: list[Kpi]) -> list[Kpi]:
    out: list[Kpi] = []
    for kpi in kpis:
        twin = next(
            (
                k
                for k in out
                if k.indicator.casefold() == kpi.indicator.casefold()
                and k.target_percent == kpi.target_percent
            ),
            None,
        )
        if twin is None:
            out.append(kpi)
        else:
            twin.lead = twin.lead or kpi.lead
            twin.partner = twin.partner or kpi.partner
    return out


def _dedupe_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    out: list[Deadline] = []
    seen: set[str] = set()
    for d in deadlines:
        key = d.text.casefold()
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def import_plan(path: Path | str) -> PlanImport:
    """Read a plan (.txt, .md, .docx). Raises PlanImportError (Vietnamese message)."""
    path = Path(path)
    blocks, fmt = read_blocks(path)
    doc = outline(blocks, soft_wrap=fmt != "docx")
    body = _body_texts(doc.root)
    _check_plan(doc, [*doc.header, doc.title or "", *doc.preamble, *body])

    closing = [n.text for n in doc.root.children if n.kind == "closing"]
    head = read_header(doc.header, doc.title, doc.preamble, closing)
    warnings: list[str] = []

    refs = RefIndex()
    for text in [head.title, *doc.preamble, *body]:
        refs.add_text(text)

    section = org_section(doc.root)
    task_ids: set[int] = set()
    tasks: list[Task] = []
    deadlines: list[Deadline] = []
    kpis: list[Kpi] = []
    if section is not None:
        task_ids = {id(section), *(id(n) for n in section.walk())}
        tasks, deadlines = tasks_from_section(section)
        for child in section.children:
            unit_kpis = kpis_from_text(child.full_text())
            unit = split_unit(child.text, bool(child.children))[0]
            for kpi in unit_kpis:
                kpi.lead = kpi.lead or unit
            kpis.extend(unit_kpis)

    for node in doc.root.walk():
        if node.table is not None:
            table_kpis = kpis_from_table(node.table.rows)
            table_tasks, table_deadlines = tasks_from_table(node.table.rows)
            kpis.extend(table_kpis)
            deadlines.extend(table_deadlines)
            if not table_kpis:
                for task in table_tasks:
                    tasks.append(task)
            continue
        if id(node) in task_ids or node.kind == "closing" or not node.text:
            continue
        kpis.extend(kpis_from_text(node.text))
        deadlines.extend(deadlines_from_text(node.text))

    audiences, separated = find_audiences(doc.root, refs, task_ids)
    if not audiences:
        warnings.append("Không tìm thấy nội dung tuyên truyền (mục Nội dung / Đối với ...).")
    elif not separated:
        warnings.append(
            "Kế hoạch không tách nội dung theo từng nhóm đối tượng; các nội dung được gộp "
            "vào một nhóm."
        )
    if not tasks:
        warnings.append("Không tìm thấy phân công nhiệm vụ (mục TỔ CHỨC THỰC HIỆN).")
    if not head.title:
        warnings.append("Không tìm thấy tên kế hoạch (dòng sau chữ KẾ HOẠCH).")
    if head.issuer is None:
        warnings.append("Không xác định được cơ quan ban hành.")
    if head.number is None and any(re.match(r"^Số\s*:?", h) for h in doc.header):
        warnings.append("Số kế hoạch để trống (có thể là bản dự thảo).")
    if head.issued_date is None and head.place:
        warnings.append("Ngày ban hành để trống (có thể là bản dự thảo).")
    all_text = " ".join([*doc.preamble, *body])
    if re.search(r"(?i)phụ lục", all_text) and not doc.tables:
        warnings.append("Kế hoạch nhắc tới phụ lục nhưng tệp không có bảng phụ lục.")

    return PlanImport(
        title=head.title,
        issuer=head.issuer,
        year=head.year,
        audiences=audiences,
        channels=find_channels(body),
        tasks=tasks,
        kpis=_dedupe_kpis(kpis),
        deadlines=_dedupe_deadlines(deadlines),
        contacts=find_contacts([*doc.header, head.title, *doc.preamble, *body, *doc.trailer]),
        legal_refs=refs.refs,
        number=head.number,
        issued_date=head.issued_date,
        place=head.place,
        target_groups=target_groups([*doc.preamble, *body]),
        sections=[
            {"label": n.label, "title": strip_end(n.text)}
            for n in doc.root.children
            if n.kind in SECTION_KINDS or (n.kind.startswith("h") and n.kind[1:].isdigit())
        ],
        warnings=warnings,
        source=path.name,
    )
