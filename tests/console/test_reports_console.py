"""The reports page and its downloads over HTTP: scope, formats, empty periods, audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
from sqlalchemy import select

from bot.db.models_console import AuditEntry
from bot.keys import services_key, sessionmaker_key
from tests.console.helpers import csrf, other_unit, signed_in, soup
from tests.reports.helpers import submit

UNIT = "xa-binh-minh"
EXPORT = "/console/reports/export"


async def make(client: Any, days_ago: float = 0, **kw: Any) -> Any:
    services = client.app[services_key]
    when = services.clock() - dt.timedelta(days=days_ago)
    async with client.app[sessionmaker_key].begin() as sess:
        return await submit(sess, services, when=when, **kw)


async def test_reports_page_guards(client: Any) -> None:
    resp = await client.get("/console/reports/", allow_redirects=False)
    assert resp.status == 302 and "/console/login" in resp.headers["Location"]
    resp = await client.get(f"{EXPORT}?unit={UNIT}&kind=pakn&format=csv", allow_redirects=False)
    assert resp.status == 302
    await signed_in(client, "tnv", "volunteer")
    assert (await client.get("/console/reports/")).status == 403
    assert (await client.get(f"{EXPORT}?unit={UNIT}&kind=pakn&format=csv")).status == 403
    await signed_in(client, "lan")
    page = soup(await (await client.get("/console/reports/")).text())
    assert [o["value"] for o in page.select("select#unit option")] == [UNIT]
    assert {b["value"] for b in page.select("button[name=format]")} == {"xlsx", "csv", "html"}
    other = other_unit(client)
    assert (await client.get(f"/console/reports/?unit={other}")).status == 404
    resp = await client.get(f"{EXPORT}?unit={other}&kind=pakn&format=xlsx&period=2026-Q1")
    assert resp.status == 404
    resp = await client.get(f"{EXPORT}?unit={UNIT}&kind=pakn&format=pdf&period=2026-Q1")
    assert resp.status == 400
    resp = await client.get(f"{EXPORT}?unit={UNIT}&kind=pakn&format=csv&period=2026-Q7")
    assert resp.status == 400


async def test_register_xlsx_with_vietnamese_text_and_real_dates(client: Any) -> None:
    # The clock is 02/03/2026; these two are in Q1 2026, the third in 2025.
    a = await make(client, days_ago=20, category="thu_tuc_hanh_chinh", area="Ấp 1")
    b = await make(client, days_ago=1, external_id="c2", content='=HYPERLINK("http://x")')
    await make(client, days_ago=90, external_id="c3")
    await signed_in(client, "lan", display_name="Nguyễn Thị Lan")
    resp = await client.get(
        f"{EXPORT}?unit={UNIT}&kind=pakn&format=xlsx&type=quarter&year=2026&quarter=1"
    )
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = resp.headers["Content-Disposition"]
    assert "so-theo-doi-pakn_xa-binh-minh_2026-Q1.xlsx" in disposition
    ws = openpyxl.load_workbook(io.BytesIO(await resp.read())).active
    assert ws["A1"].value == "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ"
    assert "Quý I năm 2026" in ws["A3"].value
    header = [c.value for c in ws[5]]
    assert header[:4] == ["STT", "Mã phản ánh", "Ngày tiếp nhận", "Người gửi"]
    assert all(c.font.bold for c in ws[5])
    rows = list(ws.iter_rows(min_row=6, max_row=7, values_only=True))
    assert [r[1] for r in rows] == [a.code, b.code]
    assert rows[0][3] == "Nguyễn Văn Bình" and rows[0][4] == "Thủ tục hành chính"
    assert rows[0][6] == "Ấp 1"
    assert isinstance(rows[0][2], dt.datetime) and rows[0][2].date() == dt.date(2026, 2, 10)
    assert ws.cell(row=7, column=6).data_type == "s"  # a formula-looking text stays text
    assert rows[1][5] == '=HYPERLINK("http://x")'
    assert ws.column_dimensions["F"].width >= 40
    async with client.app[sessionmaker_key]() as sess:
        entry = (
            await sess.execute(select(AuditEntry).where(AuditEntry.action == "report.export"))
        ).scalar_one()
    assert entry.detail == {"period": "2026-Q1", "format": "xlsx", "rows": 2}


async def test_empty_period_exports_are_valid_files(client: Any) -> None:
    await make(client, days_ago=1)
    await signed_in(client, "lan")
    base = f"{EXPORT}?unit={UNIT}&period=2025-03"
    resp = await client.get(base + "&kind=pakn&format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(await resp.read())).active
    assert ws.max_row <= 7 and ws.cell(row=6, column=2).value is None
    resp = await client.get(base + "&kind=pakn&format=csv")
    raw = await resp.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines == [lines[0]] and lines[0].startswith("STT,Mã phản ánh,Ngày tiếp nhận")
    for kind in ("pakn", "period"):
        resp = await client.get(base + f"&kind={kind}&format=html")
        assert resp.status == 200
        html = await resp.text()
        assert "Người lập báo cáo" in html and "Tháng 03 năm 2025" in html
        assert "UBND xã Bình Minh".upper() in html.upper()
        csp = resp.headers["Content-Security-Policy"]
        assert "style-src 'sha256-" in csp and "unsafe-inline" not in csp


async def test_period_report_csv_and_page_preview(client: Any) -> None:
    pakn = await make(client, days_ago=3)
    lan = await signed_in(client, "lan")
    services = client.app[services_key]
    async with client.app[sessionmaker_key].begin() as sess:
        from bot.pakn import store

        row = await store.get(sess, pakn.id)
        await services.pakn.receive(sess, row, lan.actor, services.clock())
        await services.pakn.answer(sess, row, lan.actor, services.clock(), "Đã sửa xong.")
    resp = await client.get(f"{EXPORT}?unit={UNIT}&kind=period&format=csv&period=2026-03")
    text = (await resp.read()).decode("utf-8-sig")
    assert text.splitlines()[0] == "Nhóm,Chỉ tiêu,Giá trị,Ghi chú"
    assert '"Phản ánh, kiến nghị",Số đã trả lời,1,' in text  # a comma inside: quoted
    values = {row[1]: row[2] for row in csv.reader(io.StringIO(text))}
    # Received on 27/02 (before March), answered on 02/03 (in March), on time.
    assert values["Số phản ánh, kiến nghị tiếp nhận"] == "0"
    assert values["Số đã trả lời"] == "1"
    assert values["Tỷ lệ trả lời đúng hạn (%)"] == "100.0"  # for programs: no sign, a dot
    assert values["Tỷ lệ hài lòng (%)"] == ""  # no rating yet: no share, not 0 %
    page = soup(
        await (
            await client.get(f"/console/reports/?unit={UNIT}&type=month&year=2026&month=3")
        ).text()
    )
    cells = [td.get_text() for td in page.select("section.card td")]
    assert "Số đã trả lời" in cells
    assert cells[cells.index("Số đã trả lời") + 1] == "1"
    # The form carries no CSRF field: downloads are GETs (the token is never in a URL).
    assert page.select_one("form.report-form input[name=_csrf]") is None
    assert await csrf(client)  # the session is still fine


async def test_a_report_over_its_limits_is_refused_politely(client: Any, monkeypatch: Any) -> None:
    """The file is rendered in a separate, limited process: one that needs more memory than
    allowed gets a polite 503, and the server goes on answering."""
    import bot.console.views_reports as views

    await signed_in(client, "lan")
    ok = await client.get(f"{EXPORT}?unit={UNIT}&kind=pakn&format=csv&period=2026-Q1")
    assert ok.status == 200
    monkeypatch.setattr(views, "RENDER_MEMORY_MB", 1)  # not even enough to import openpyxl
    resp = await client.get(f"{EXPORT}?unit={UNIT}&kind=pakn&format=xlsx&period=2026-Q1")
    assert resp.status == 503 and "Báo cáo quá lớn" in await resp.text()
    assert (await client.get("/healthz")).status == 200
