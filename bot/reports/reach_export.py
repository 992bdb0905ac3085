"""The reach funnel as a file: CSV (UTF-8 with BOM, for Excel) or XLSX (openpyxl).

Pure and blocking: the console calls `render` in a worker thread. Campaign titles are staff
text, still, a cell a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

COLUMNS = (
    ("Chiến dịch", 10),
    ("Tiêu đề", 40),
    ("Bắt đầu gửi", 18),
    ("Kênh", 12),
    ("Trong hàng đợi", 14),
    ("Đã gửi", 10),
    ("Lỗi", 8),
    ("Đã chặn bot", 12),
    ("Bị bỏ qua", 10),
    ("Đã xem", 10),
    ("Lượt nhấn liên kết (người)", 16),
    ("Huỷ đăng ký sau đó", 16),
)
NO_RECEIPTS = "không có"  # Telegram and web chat give no read receipts
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ReachRow:
    campaign_id: int
    title: str
    started_at: dt.datetime | None  # local time
    channel: str
    queued: int
    sent: int
    failed: int
    blocked: int
    dropped: int
    read: int | None
    clicks: int
    unsubscribed: int

    def cells(self) -> list[Any]:
        return [
            self.campaign_id,
            self.title,
            self.started_at.replace(tzinfo=None) if self.started_at else None,
            self.channel,
            self.queued,
            self.sent,
            self.failed,
            self.blocked,
            self.dropped,
            NO_RECEIPTS if self.read is None else self.read,
            self.clicks,
            self.unsubscribed,
        ]


def _text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Sequence[ReachRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _ in COLUMNS])
    for row in rows:
        cells = row.cells()
        if cells[2] is not None:
            cells[2] = cells[2].strftime("%Y-%m-%d %H:%M")
        writer.writerow(["" if c is None else _text(c) for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[ReachRow], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Hieu qua chien dich"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_text(c) for c in row.cells()])
        sheet.cell(row=sheet.max_row, column=3).number_format = "yyyy-mm-dd hh:mm"
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 2)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(rows: Sequence[ReachRow], fmt: str, title: str) -> bytes:
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows, title)
    raise ValueError(fmt)
