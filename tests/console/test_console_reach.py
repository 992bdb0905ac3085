"""The reach pages of the console: one campaign's funnel per channel (Telegram without reads,
and the page says why), the comparison across campaigns, the plan's targets, CSV/XLSX exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from bot.campaigns import links, reach
from bot.db import queries
from bot.db.models_campaigns import Campaign, CampaignOutbox, KpiTarget
from bot.db.models_console import AuditEntry
from bot.db.models_reach import CampaignLink
from bot.keys import sessionmaker_key
from tests.console.helpers import T0, UNIT, signed_in, soup

PORTAL = "https://dichvucong.gov.vn/khai-sinh"


async def seed(client: Any, title: str = "Khai sinh trực tuyến") -> int:
    """A sent campaign: Telegram 3 sent + 1 failed; Zalo 2 sent, 1 read, 1 unique click."""
    async with client.app[sessionmaker_key].begin() as sess:
        c = Campaign(
            unit=UNIT, title=title, template="t", topics=["thu_tuc_moi"], status="sent",
            author="tnv.lan", started_at=T0,
        )  # fmt: skip
        sess.add(c)
        await sess.flush()
        plan = [("telegram", "sent")] * 3 + [("telegram", "failed")] + [("zalo", "sent")] * 2
        for i, (channel, status) in enumerate(plan):
            contact = await queries.get_or_create_contact(
                sess, unit=UNIT, channel=channel, external_id=f"{c.id}-{i}", now=T0
            )
            await sess.flush()
            sess.add(
                CampaignOutbox(
                    campaign_id=c.id, contact_id=contact.id, unit=UNIT, channel=channel,
                    status=status, external_id=f"m-{c.id}-{i}", sent_at=T0, next_attempt_at=T0,
                )
            )  # fmt: skip
        await sess.flush()
        await reach.record_seen(sess, UNIT, "zalo", f"{c.id}-4", [f"m-{c.id}-4"], T0)
        token = (await links.ensure_links(sess, UNIT, c.id, "zalo", [PORTAL], T0))[PORTAL]
        link = await links.target_of(sess, token)
        assert link is not None
        await links.record_click(sess, link.id, "v" * 64, T0)
        return c.id


async def add_target(client: Any) -> None:
    async with client.app[sessionmaker_key].begin() as sess:
        sess.add(
            KpiTarget(unit=UNIT, year=2026, indicator="Tỷ lệ người dân biết dịch vụ công trực tuyến",
                      target_percent=80.0, comparator="min", source_plan="KH số 12/KH-UBND")
        )  # fmt: skip


def stage(page: Any, channel: str, key: str) -> str:
    card = page.select_one(f'section[data-channel="{channel}"]')
    assert card is not None, channel
    cell = card.select_one(f'li[data-stage="{key}"] .n')
    assert cell is not None, (channel, key)
    return cell.get_text(" ", strip=True)


async def test_funnel_page_per_channel_with_targets(client: Any) -> None:
    cid = await seed(client)
    await add_target(client)
    await signed_in(client, "cb.hung")
    resp = await client.get(f"/console/campaigns/{cid}/reach")
    assert resp.status == 200
    page = soup(await resp.text())
    assert stage(page, "telegram", "sent") == "3"
    assert stage(page, "telegram", "failed") == "1"
    assert stage(page, "telegram", "read") == "không có"
    assert stage(page, "zalo", "read").startswith("1 (50.0%)")
    assert stage(page, "zalo", "clicks").startswith("1")
    assert stage(page, "total", "queued") == "6"
    assert stage(page, "total", "read").startswith("1 (50.0%)")  # of the Zalo messages only
    note = page.select_one('[data-testid="no-receipts"]')
    assert (
        note is not None
        and "Telegram" in note.get_text()
        and "không gửi xác nhận" in note.get_text()
    )
    assert "Tỷ lệ người dân biết dịch vụ công trực tuyến" in page.get_text()
    assert "tối thiểu 80.0%" in page.get_text()
    detail = soup(await (await client.get(f"/console/campaigns/{cid}")).text())
    assert detail.find("a", href=f"/console/campaigns/{cid}/reach") is not None


async def test_comparison_across_campaigns(client: Any) -> None:
    first = await seed(client, "Khai sinh")
    second = await seed(client, "Lừa đảo qua mạng")
    await signed_in(client, "tnv.lan", "volunteer")
    page = soup(await (await client.get(f"/console/campaigns/reach?unit={UNIT}")).text())
    rows = page.select("table[data-testid=compare] tbody tr")
    assert {r["data-campaign"] for r in rows} == {str(first), str(second)}
    cell = page.select_one(f'tr[data-campaign="{first}"] td[data-stage="read"]')
    assert cell is not None and cell.get_text(strip=True) == "1"
    # A volunteer sees the numbers but does not download them.
    assert page.find("a", string="Tải CSV") is None
    assert (await client.get(f"/console/campaigns/reach.csv?unit={UNIT}")).status == 403


async def test_csv_and_xlsx_exports(client: Any) -> None:
    cid = await seed(client, '=HYPERLINK("x")')  # a title a spreadsheet would run
    await signed_in(client, "cb.hung")
    resp = await client.get(f"/console/campaigns/{cid}/reach.csv")
    assert resp.status == 200
    assert resp.headers["Content-Disposition"].endswith(f'hieu-qua-chien-dich-{cid}.csv"')
    body = (await resp.read()).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Chiến dịch", "Tiêu đề", "Bắt đầu gửi", "Kênh"]
    by_channel = {r[3]: r for r in rows[1:]}
    assert by_channel["Telegram"][4:] == ["4", "3", "1", "0", "0", "không có", "0", "0"]
    assert by_channel["Zalo OA"][4:] == ["2", "2", "0", "0", "0", "1", "1", "0"]
    assert by_channel["Tổng"][4] == "6"
    assert by_channel["Telegram"][1].startswith("'=")  # written as text, not a formula
    assert by_channel["Telegram"][2] == "2026-03-02 10:00"  # the unit's local time

    resp = await client.get(f"/console/campaigns/{cid}/reach.xlsx")
    assert resp.status == 200
    sheet = load_workbook(io.BytesIO(await resp.read())).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0][3] == "Kênh"
    zalo = next(r for r in values[1:] if r[3] == "Zalo OA")
    assert zalo[4:] == [2, 2, 0, 0, 0, 1, 1, 0]
    assert zalo[2] == dt.datetime(2026, 3, 2, 10, 0)

    resp = await client.get(f"/console/campaigns/reach.csv?unit={UNIT}")
    compared = list(csv.reader(io.StringIO((await resp.read()).decode("utf-8").lstrip("\ufeff"))))
    assert [r[3] for r in compared[1:]] == ["Tổng"]
    async with client.app[sessionmaker_key]() as sess:
        actions = (await sess.execute(select(AuditEntry.action))).scalars().all()
    assert actions.count("campaign.reach_export") == 3


async def test_other_units_campaign_is_not_found(client: Any) -> None:
    cid = await seed(client)
    await signed_in(client, "cb.khac", units=("phuong-phuoc-tan",))
    assert (await client.get(f"/console/campaigns/{cid}/reach")).status == 404
    assert (await client.get(f"/console/campaigns/{cid}/reach.xlsx")).status == 404


async def test_printed_leaflet_codes_go_through_counted_short_links(make_client: Any) -> None:
    client = await make_client(public_url="https://loaxa.example")
    async with client.app[sessionmaker_key].begin() as sess:
        c = Campaign(
            unit=UNIT, title="Khai sinh", template="t", topics=["thu_tuc_moi"], status="sent",
            author="tnv.lan", started_at=T0, rendered=f"Khai sinh trực tuyến\nNộp tại {PORTAL}.",
        )  # fmt: skip
        sess.add(c)
    await signed_in(client, "cb.hung")
    resp = await client.get(f"/console/outreach/{UNIT}/campaign/{c.id}/leaflet.html")
    assert resp.status == 200
    html = await resp.text()
    assert PORTAL not in html  # printed and encoded as the short link
    short = sorted(u for u in links.find_urls(html) if u.startswith("https://loaxa.example/r/"))
    assert short, html
    async with client.app[sessionmaker_key]() as sess:
        stored = (await sess.execute(select(CampaignLink.target, CampaignLink.channel))).all()
    assert (PORTAL, "poster") in stored
    # Each printed code and link opens the stored target; one visitor counted once.
    targets = set()
    for url in short:
        resp = await client.get(url.removeprefix("https://loaxa.example"), allow_redirects=False)
        assert resp.status == 302
        targets.add(resp.headers["Location"])
    assert PORTAL in targets
    async with client.app[sessionmaker_key]() as sess:
        funnels = {f.channel: f for f in await reach.funnel(sess, c.id)}
    assert funnels["poster"].clicks == len(short)  # one visitor per distinct link
