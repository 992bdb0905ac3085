"""XLSX / CSV / HTML writers: types, encodings, formula neutralising, escaping, CSP hash."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import re

import openpyxl

from bot.reports import formats
from bot.reports.formats import Column, Report, Share


def sample(rows: list[list[object]]) -> Report:
    return Report(
        kind="pakn",
        title="SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ",
        unit_key="xa-binh-minh",
        unit_name="UBND xã Bình Minh",
        province="Đồng Nai",
        period_label="Quý I năm 2026",
        period_spec="2026-Q1",
        period_start=dt.date(2026, 1, 1),
        period_last=dt.date(2026, 3, 31),
        created_at=dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC),
        columns=[Column("Mã"), Column("Ngày", kind="date"), Column("Tỷ lệ", kind="value")],
        rows=rows,
        author="Nguyễn Thị Lan",
    )


ROWS: list[list[object]] = [
    ["PA-1", dt.date(2026, 2, 3), Share(0.875)],
    ["=1+2", None, 3],
    ["@SUM(A1)", dt.date(2026, 3, 1), None],
    ["-2+3", dt.date(2026, 3, 2), 2.5],
]


def test_xlsx_types_and_formula_safety() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(formats.to_xlsx(sample(ROWS)))).active
    assert [c.value for c in ws[5]] == ["Mã", "Ngày", "Tỷ lệ"]
    assert ws["B6"].value == dt.datetime(2026, 2, 3) and ws["B6"].number_format == "DD/MM/YYYY"
    assert ws["C6"].value == 0.875 and ws["C6"].number_format == "0.0%"
    for ref, text in (("A7", "=1+2"), ("A8", "@SUM(A1)"), ("A9", "-2+3")):
        assert ws[ref].data_type == "s" and ws[ref].value == text
    assert ws.freeze_panes == "A6"


def test_csv_bom_quoting_and_formula_safety() -> None:
    rows = [*ROWS, ['Ấp 1, “xóm” "Bãi"\nDòng 2', dt.date(2026, 1, 5), 1]]
    raw = formats.to_csv(sample(rows))
    assert raw.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert parsed[0] == ["Mã", "Ngày", "Tỷ lệ"]
    assert parsed[1] == ["PA-1", "2026-02-03", "87.5"]  # for programs: the title says "%"
    assert [r[0] for r in parsed[2:5]] == ["'=1+2", "'@SUM(A1)", "'-2+3"]
    assert parsed[5][0] == 'Ấp 1, “xóm” "Bãi"\nDòng 2'


def test_html_escapes_and_its_csp_allows_exactly_its_style() -> None:
    html = formats.to_html(sample([["<script>alert(1)</script>", dt.date(2026, 2, 3), None]]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "03/02/2026" in html and "Người lập báo cáo" in html and "Nguyễn Thị Lan" in html
    assert "size: A4 landscape" in html
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in formats.html_csp(html)


def test_empty_report_files() -> None:
    report = sample([])
    assert openpyxl.load_workbook(io.BytesIO(formats.render(report, "xlsx"))).active["A5"].value
    assert formats.render(report, "csv").decode("utf-8-sig") == "Mã,Ngày,Tỷ lệ\r\n"
    assert "Không có phản ánh, kiến nghị nào trong kỳ." in formats.to_html(report)


def test_cell_text() -> None:
    assert formats.cell_text(Share(0.5)) == "50,0 %"
    assert formats.cell_text(12345) == "12.345"
    assert formats.cell_text(None) == "–"
    assert formats.cell_text(4.25) == "4,25"
    assert formats.cell_text(dt.datetime(2026, 1, 2, 3, 4)) == "02/01/2026"
