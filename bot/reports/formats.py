"""A report as data (`Report`: title, unit, period, columns, rows) and its three outputs.

- XLSX (openpyxl): a title block, a bold header row with a filter and frozen panes, column
  widths, dates as real Excel dates, shares as percentages.
- CSV: for programs, UTF-8 with a BOM (so Excel reads Vietnamese correctly), comma separated,
  quoted where needed; dates as ISO yyyy-mm-dd, numbers with a dot decimal and shares in
  percent without the sign ("100.0"): the row or column title says "(%)".
- HTML: a printable A4 page (report_print.html) with the unit, the period and the signature
  block. Its only style sheet is inline; `html_csp` gives the Content-Security-Policy that
  allows exactly that style (by hash) when the console serves it.

Citizens' text goes into these files, so cells that a spreadsheet would run as a formula
(starting with = + - @ or a tab/CR) are written as text (CSV: prefixed with an apostrophe).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2

from bot import formatting

TEMPLATES = Path(__file__).resolve().parent.parent / "console" / "templates"
Kind = Literal["text", "date", "int", "number", "value"]
FORMATS = ("xlsx", "csv", "html")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Share(float):
    """A proportion (0.85 = 85 %): a percentage cell in every format."""


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14  # characters (XLSX column width)
    kind: Kind = "text"


@dataclass
class Report:
    kind: str  # "pakn" (register) | "period" (periodic report)
    title: str  # "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ"
    unit_key: str
    unit_name: str  # "UBND xã Bình Minh"
    province: str
    period_label: str  # "Quý I năm 2026"
    period_spec: str  # "2026-Q1"
    period_start: dt.date
    period_last: dt.date
    created_at: dt.datetime  # local time of the unit
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # period report: row[0] is the section
    notes: list[str] = field(default_factory=list)  # definitions printed under the table
    author: str = ""  # "Người lập báo cáo" (the signed-in user), may stay empty

    @classmethod
    def of(
        cls,
        kind: str,
        title: str,
        unit: Any,
        period: Any,
        *,
        created_at: dt.datetime,
        columns: list[Column],
        rows: list[list[Any]],
        notes: list[str],
        author: str = "",
        sections: list[str] | None = None,
    ) -> Report:
        """A report of one unit (content.units.Unit) for one period (reports.periods.Period)."""
        return cls(
            kind=kind,
            title=title,
            unit_key=unit.key,
            unit_name=unit.name,
            province=unit.province,
            period_label=period.label,
            period_spec=period.spec,
            period_start=period.start,
            period_last=period.last_day,
            created_at=created_at,
            columns=columns,
            rows=rows,
            sections=sections or [],
            notes=notes,
            author=author,
        )

    @property
    def sheet_name(self) -> str:
        return "So theo doi PAKN" if self.kind == "pakn" else "Bao cao dinh ky"

    def filename(self, fmt: str) -> str:
        base = "so-theo-doi-pakn" if self.kind == "pakn" else "bao-cao-dinh-ky"
        return f"{base}_{self.unit_key}_{self.period_spec}.{fmt}"


def _plain(value: Any) -> Any:
    """A value for a spreadsheet cell: formula-looking text is neutralised by the caller."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def to_xlsx(report: Report) -> bytes:
    # openpyxl costs ~13 MB: loaded at the first export, not in every process
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = report.sheet_name
    wb.properties.title = f"{report.title} – {report.unit_name} – {report.period_label}"
    wb.properties.creator = "Loa Xã"
    ncols = len(report.columns)
    ws.cell(row=1, column=1, value=report.title).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=f"Đơn vị: {report.unit_name}")
    ws.cell(
        row=3,
        column=1,
        value=f"Kỳ báo cáo: {report.period_label} "
        f"(từ {report.period_start:%d/%m/%Y} đến {report.period_last:%d/%m/%Y})",
    )
    header = 5
    for col, column in enumerate(report.columns, start=1):
        cell = ws.cell(row=header, column=col, value=column.title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = column.width
    for r, row in enumerate(report.rows, start=header + 1):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col)
            value = _plain(value)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, Share):
                cell.number_format = "0.0%"
            elif isinstance(value, float):
                cell.number_format = "0.00"
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    last = header + max(len(report.rows), 1)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(ncols)}{last}"
    if report.notes:
        for i, note in enumerate(report.notes, start=header + len(report.rows) + 2):
            ws.cell(row=i, column=1, value=note).data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_text(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Share):
        return f"{value * 100:.1f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(report: Report) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([c.title for c in report.columns])
    for row in report.rows:
        writer.writerow([_csv_text(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def cell_text(value: Any) -> str:
    """How a cell reads on screen and on the printed page (Vietnamese: 1.234 · 85,0 %)."""
    value = _plain(value)
    if value is None or value == "":
        return formatting.EMPTY
    if isinstance(value, dt.date):
        return formatting.date_vn(value)
    if isinstance(value, Share):
        return formatting.percent(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return formatting.number(value)
    if isinstance(value, float):
        return formatting.number(value, 2)
    return str(value)


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
formatting.install(_ENV)
_ENV.filters["cell"] = cell_text
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def to_html(report: Report) -> str:
    return _ENV.get_template("report_print.html").render(report=report)


def html_csp(html: str) -> str:
    """The console's CSP for this page, with its inline style allowed by SHA-256 hash only."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in _STYLE.findall(html)
    )
    return (
        f"default-src 'self'; style-src {hashes}; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )


def render(report: Report, fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "html":
        return to_html(report).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
