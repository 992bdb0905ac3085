"""Rough edges of the console found on a phone (issue 18): targets, period pickers, FAQ
outcomes, CSV, footnotes, campaign progress and history, channels, poster notes, last login,
favicon."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from openpyxl import load_workbook

from bot.campaigns.preview import NOT_CONFIGURED
from bot.db.models import FaqQuery
from bot.db.models_campaigns import KpiTarget
from bot.keys import sessionmaker_key
from tests.console.helpers import T0, UNIT, configure_channel, signed_in, soup
from tests.console.test_console_campaigns_flow import act, new_draft, page, subscribers, switch

DAY = dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC)


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


async def _questions(client: Any) -> None:
    """3 answered, 1 fallback, clarifications: 1 resolved, 2 "none of these", 1 left open."""
    rows = [("answer", None)] * 3 + [("fallback", None), ("clarify", "khai-sinh")]
    rows += [("clarify", "none")] * 2 + [("clarify", None)]
    async with client.app[sessionmaker_key].begin() as sess:
        for decision, chosen in rows:
            sess.add(FaqQuery(unit=UNIT, text="q", normalized="q", decision=decision,
                              chosen_entry=chosen, created_at=DAY))  # fmt: skip


async def test_dashboard_names_a_default_target_as_such(client: Any) -> None:
    await signed_in(client, "lan", "staff")
    html = await (await client.get(f"/console/stats/?unit={UNIT}&period=month&month=2")).text()
    doc = soup(html)
    cards = {c.h3.get_text(): c for c in doc.select("section.kpi")}
    on_time = _text(cards["PAKN giải quyết đúng hạn"])
    assert "Mức mặc định ≥ 97 %" in on_time and "chưa nhập kế hoạch năm 2026" in on_time
    assert "theo kế hoạch" not in html
    assert cards["PAKN giải quyết đúng hạn"].select_one('a[href*="/console/campaigns/plan"]')
    assert "Chỉ tiêu" not in _text(cards["Người dân hài lòng"])

    async with client.app[sessionmaker_key].begin() as sess:
        sess.add(KpiTarget(unit=UNIT, year=2026, comparator="min", source_plan="KH 7/KH-UBND",
                           indicator="Người dân hài lòng", target_percent=90.0))  # fmt: skip
    html = await (await client.get(f"/console/stats/?unit={UNIT}&period=month&month=2")).text()
    satisfied = _text(
        {c.h3.get_text(): c for c in soup(html).select("section.kpi")}["Người dân hài lòng"]
    )
    assert "Chỉ tiêu ≥ 90 % (kế hoạch KH 7/KH-UBND)" in satisfied


async def test_only_the_picker_of_the_chosen_period_is_shown(client: Any) -> None:
    await signed_in(client, "lan", "staff")
    for kind, shown, hidden in (("month", "month", "quarter"), ("quarter", "quarter", "month")):
        doc = soup(await (await client.get(f"/console/stats/?period={kind}")).text())
        assert not doc.select_one(f'[data-period-for="{shown}"]').has_attr("hidden")
        assert doc.select_one(f'[data-period-for="{hidden}"]').has_attr("hidden")
        assert doc.select_one(f"select#{hidden}").has_attr("disabled")  # not submitted
    doc = soup(await (await client.get("/console/reports/?type=month")).text())
    assert [d["data-period-for"] for d in doc.select("[data-period-for]:not([hidden])")] == [
        "month"
    ]
    assert doc.select_one('script[src="/console/static/periods.js"]') is not None


async def test_not_answered_counts_fallbacks_and_none_of_these(client: Any) -> None:
    await _questions(client)
    await signed_in(client, "lan", "staff")
    query = f"unit={UNIT}&type=month&year=2026&month=2"
    doc = soup(await (await client.get(f"/console/reports/?{query}")).text())
    values = {
        tr.td.get_text(): tr.select_one("td.num").get_text() for tr in doc.select("tr") if tr.td
    }
    assert values["Chưa trả lời được"] == "3"  # 1 fallback + 2 "none of these"
    assert values["Hỏi lại để người dân chọn"] == "4"
    assert values["Tỷ lệ trả lời được ngay (%)"] == "37,5 %"
    dash = await (await client.get(f"/console/stats/?unit={UNIT}&period=month&month=2")).text()
    faq = _text(
        {c.h3.get_text(): c for c in soup(dash).select("section.kpi")}["Câu hỏi được trả lời ngay"]
    )
    assert "chưa trả lời được 3;" in faq and "chọn được 1" in faq


async def test_csv_is_for_programs_and_the_register_footnote_is_plain(client: Any) -> None:
    await _questions(client)
    await signed_in(client, "lan", "staff")
    base = f"/console/reports/export?unit={UNIT}&type=month&year=2026&month=2"
    body = await (await client.get(f"{base}&kind=period&format=csv")).read()
    rows = {r[1]: r[2] for r in csv.reader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["Tỷ lệ trả lời được ngay (%)"] == "37.5"  # a number a program reads
    assert not any("%" in v for v in rows.values())
    for kind in ("period", "pakn"):
        xlsx = await (await client.get(f"{base}&kind={kind}&format=xlsx")).read()
        cells = [str(c.value) for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows()
                 for c in row if c.value is not None]  # fmt: skip
        assert not [c for c in cells if re.search(r"content/|\.ya?ml", c)], kind
        assert any("ngày làm việc" in c for c in cells)


async def test_campaign_before_sending_history_and_channels(client: Any, clock: Any) -> None:
    await subscribers(client, 2)  # telegram, set up for the unit
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client)
    previews = [d["data-channel"] for d in (await page(client, cid)).select(".channel-preview")]
    assert sorted(previews) == ["telegram", "web"]  # not Zalo: the unit has not set it up
    await act(client, cid, "submit")
    await switch(client, "cb.mai", "staff")
    send_at = T0 + dt.timedelta(hours=2)  # 12:00 in Hà Nội
    await act(client, cid, "approve", send_at=(send_at + dt.timedelta(hours=7)).strftime(
        "%Y-%m-%dT%H:%M"))  # fmt: skip
    doc = await page(client, cid)
    box = _text(doc.select_one("#progress"))
    assert "Chưa gửi" in box and "02/03/2026 12:00" in box
    assert "100" not in box and "0 / 0" not in box
    history = _text(doc.select_one(".history"))
    assert "duyệt, gửi lúc 02/03/2026 12:00" in history
    assert "+00:00" not in history and "2026-03-02T" not in history


async def test_a_channel_named_by_the_campaign_but_not_set_up_is_flagged(client: Any) -> None:
    configure_channel(client, "telegram")
    await signed_in(client, "tnv.lan", "volunteer")
    form = soup(await (await client.get(f"/console/campaigns/new/{UNIT}")).text())
    offered = [i["value"] for i in form.select('input[name="channels"]')]
    assert sorted(offered) == ["telegram", "web"]
    cid = await new_draft(client, channels="zalo")
    zalo = (await page(client, cid)).select_one('.channel-preview[data-channel="zalo"]')
    assert [w.text for w in zalo.select(".warn")] == ["⚠️ " + NOT_CONFIGURED]


async def test_public_poster_has_no_staff_notes_and_the_console_has_them(client: Any) -> None:
    html = await (await client.get(f"/poster/{UNIT}")).text()
    assert "Ghi chú cho cán bộ" not in html and not re.search(r"\b[A-Z]+_[A-Z_]+\b", html)
    assert "Tải bản PDF" in html
    assert (await client.get(f"/console/poster/{UNIT}", allow_redirects=False)).status == 302
    await signed_in(client, "lan", "staff")
    doc = soup(await (await client.get(f"/console/poster/{UNIT}")).text())
    notes = _text(doc.select_one("ul.notes"))
    assert "BINH_MINH_ZALO_OA_ID" in notes and "hours" in notes
    home = soup(await (await client.get("/console/")).text())
    assert home.select_one(f'a[href="/console/poster/{UNIT}"]') is not None


async def test_the_first_admin_has_a_last_sign_in(client: Any) -> None:
    from bot.console import setup_link

    async with client.app[sessionmaker_key].begin() as sess:
        token = await setup_link.issue(sess, T0)
    page_html = await (await client.get(f"/console/setup/{token}")).text()
    csrf = soup(page_html).select_one('input[name="_csrf"]')["value"]
    data = {"_csrf": csrf, "username": "quan.tri", "display_name": "Quản trị",
            "password": "mat-khau-rat-dai-1", "password2": "mat-khau-rat-dai-1"}  # fmt: skip
    resp = await client.post(f"/console/setup/{token}", data=data, allow_redirects=False)
    assert resp.status == 302
    doc = soup(await (await client.get("/console/users/")).text())
    last = doc.select("tbody tr")[0].select("td")[-1].get_text()
    assert last == "02/03/2026 10:00"


async def test_favicon(client: Any) -> None:
    resp = await client.get("/favicon.ico")
    assert resp.status == 200 and len(await resp.read()) > 100
    assert "icon" in resp.content_type
