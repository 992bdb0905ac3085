"""`loaxa plan import FILE [--json]`: the subcommand, as a function the main CLI calls."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from .errors import PlanImportError
from .importer import import_plan
from .model import Kpi, PlanImport

USAGE = (
    "Cách dùng: loaxa plan import TỆP [--json]\n"
    "  TỆP    kế hoạch thông tin, tuyên truyền (.txt, .md hoặc .docx)\n"
    "  --json in kết quả dạng JSON (một đối tượng)\n"
)
_COMPARATORS = {
    "min": "≥ ",
    "max": "≤ ",
    "exact": "",
    "range": "",
    "decrease": "giảm ",
    "increase": "tăng ",
}


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise
        stream.flush()
        buffer.write(text.encode("utf-8"))
    stream.flush()


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _kpi_line(kpi: Kpi) -> str:
    if kpi.target_range:
        low, high = kpi.target_range
        target = f"{low:g}–{high:g}%"
    elif kpi.target_percent is None:
        target = "?"
    else:
        target = f"{_COMPARATORS.get(kpi.comparator, '')}{kpi.target_percent:g}%"
    who = []
    if kpi.lead:
        who.append(f"chủ trì: {kpi.lead}")
    if kpi.partner:
        who.append(f"phối hợp: {kpi.partner}")
    extra = f" ({'; '.join(who)})" if who else ""
    return f"  - {_short(kpi.indicator, 90)}: {target}{extra}"


def summary(plan: PlanImport) -> str:
    """A readable Vietnamese summary of what was found."""
    lines = [
        f"Kế hoạch: {plan.title or '(không rõ tên)'}",
        f"Cơ quan ban hành: {plan.issuer or '(không rõ)'}",
        f"Năm: {plan.year if plan.year is not None else '(không rõ)'}",
    ]
    if plan.number or plan.issued_date:
        lines.append(
            f"Số: {plan.number or '(để trống)'}; ngày ban hành: {plan.issued_date or '(để trống)'}"
        )
    lines.append(f"\nĐối tượng và nội dung tuyên truyền ({len(plan.audiences)} nhóm):")
    for audience in plan.audiences:
        lines.append(f"  - {audience.name}: {len(audience.items)} nội dung")
        for item in audience.items[:3]:
            lines.append(f"      • {_short(item.text, 100)}")
        if len(audience.items) > 3:
            lines.append(f"      • … và {len(audience.items) - 3} nội dung khác")
    if plan.target_groups:
        lines.append(f"Các nhóm đối tượng được nhắc tới: {', '.join(plan.target_groups)}")
    lines.append(f"\nKênh, hình thức truyền thông ({len(plan.channels)}):")
    lines.append("  " + (", ".join(plan.channels) if plan.channels else "(không thấy)"))
    lines.append(f"\nChỉ tiêu ({len(plan.kpis)}):")
    lines.extend(_kpi_line(k) for k in plan.kpis)
    if not plan.kpis:
        lines.append("  (không có chỉ tiêu bằng số)")
    lines.append(f"\nThời hạn ({len(plan.deadlines)}):")
    for d in plan.deadlines:
        when = d.date or ("định kỳ" if d.recurring else "không có ngày cụ thể")
        unit = f" [{d.unit}]" if d.unit else ""
        lines.append(f"  - {when}{unit}: {_short(d.text)}")
    lines.append(f"\nPhân công thực hiện ({len(plan.tasks)} đơn vị):")
    for task in plan.tasks:
        lines.append(f"  - {task.unit}: {len(task.duties)} nhiệm vụ")
    lines.append(f"\nLiên hệ ({len(plan.contacts)}):")
    lines.append("  " + (", ".join(c.value for c in plan.contacts) or "(không thấy)"))
    lines.append(f"\nVăn bản được trích dẫn ({len(plan.legal_refs)}):")
    for ref in plan.legal_refs:
        date = f" ngày {ref.date}" if ref.date else ""
        name = f"{ref.type} {ref.number}" if ref.number else ref.text
        lines.append(f"  - {name}{date}")
    if plan.warnings:
        lines.append("\nLưu ý:")
        lines.extend(f"  - {w}" for w in plan.warnings)
    return "\n".join(lines) + "\n"


def cli_main(argv: list[str]) -> int:
    """Run `plan import` with the arguments after the subcommand; return the exit status."""
    as_json = False
    files: list[str] = []
    for arg in argv:
        if arg in {"-h", "--help"}:
            _write(sys.stdout, USAGE)
            return 0
        if arg == "--json":
            as_json = True
        elif arg.startswith("-") and arg != "-":
            _write(sys.stderr, f"Lỗi: không hiểu tùy chọn {arg}\n{USAGE}")
            return 1
        else:
            files.append(arg)
    if len(files) != 1:
        _write(sys.stderr, f"Lỗi: cần đúng một tệp kế hoạch.\n{USAGE}")
        return 1
    try:
        plan = import_plan(Path(files[0]))
    except PlanImportError as exc:
        _write(sys.stderr, f"Lỗi: {exc.message}\n")
        return 1
    if as_json:
        _write(sys.stdout, json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _write(sys.stdout, summary(plan))
    return 0
