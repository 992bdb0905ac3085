"""Campaign screens while sending: progress.json, the delivery report with reasons, the
emergency path (admin, reason, confirmation), and the plan calendar upload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from aiohttp import FormData
from sqlalchemy import select

from bot.campaigns.worker import CampaignWorker
from bot.channels.base import SendResult
from bot.console import views_plan_import
from bot.console.views_campaigns import service_of
from bot.core.messages import Reply
from bot.core.pipeline import ChannelRegistry
from bot.db.models_campaigns import Campaign, KpiTarget
from bot.db.models_console import AuditEntry
from bot.keys import sessionmaker_key, settings_key
from tests.console.helpers import T0, UNIT, csrf, signed_in, soup
from tests.console.test_console_campaigns_flow import (
    act,
    local,
    new_draft,
    page,
    status_of,
    subscribers,
    switch,
)

PLAN = Path(__file__).parents[1] / "plans" / "fixtures" / "xa-an-phu-chuyen-doi-so.md"


class FakeChannel:
    """Sends to everybody except the contacts in `blocked` (they have blocked the bot)."""

    name = "telegram"
    unit = UNIT

    def __init__(self, blocked: tuple[str, ...] = ()) -> None:
        self.blocked = blocked
        self.sent: list[tuple[str, str]] = []

    async def send(self, external_id: str, reply: Reply) -> SendResult:
        if external_id in self.blocked:
            return SendResult("blocked", error="Forbidden: bot was blocked by the user")
        self.sent.append((external_id, reply.text))
        return SendResult.ok(f"m{len(self.sent)}")


def worker(client: Any, channel: FakeChannel) -> CampaignWorker:
    registry = ChannelRegistry()
    registry.add(channel)  # type: ignore[arg-type]
    settings = dataclasses.replace(client.app[settings_key], campaign_per_chat_interval=0.0)
    service = service_of(type("R", (), {"config_dict": client.app})())
    return CampaignWorker(client.app[sessionmaker_key], registry, service, settings)


async def approved(client: Any, minutes: int = 5) -> int:
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client)
    await act(client, cid, "submit")
    await switch(client, "cb.mai", "staff")
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(minutes=minutes)))
    return cid


async def progress(client: Any, cid: int) -> dict[str, Any]:
    resp = await client.get(f"/console/campaigns/{cid}/progress.json")
    assert resp.status == 200 and resp.content_type == "application/json"
    return dict(await resp.json())


async def test_progress_json_and_delivery_report(client: Any, clock: Any) -> None:
    await subscribers(client, 3)
    cid = await approved(client)
    data = await progress(client, cid)
    assert (data["status"], data["status_label"], data["total"]) == ("scheduled", "Đã lên lịch", 0)
    doc = await page(client, cid)
    assert doc.select_one("#progress")["data-live"] == "yes"
    assert doc.select_one('script[src="/console/static/campaigns.js"]') is not None

    channel = FakeChannel(blocked=("telegram-2",))
    w = worker(client, channel)
    clock.advance(minutes=6)
    assert await w.start_due() == 1
    data = await progress(client, cid)
    assert (data["status"], data["pending"], data["sent"], data["total"]) == ("sending", 3, 0, 3)
    doc = await page(client, cid)
    assert doc.select_one("#progress-bar")["value"] == "0.0"
    assert doc.select_one('[data-field="left"]').text == "3"

    await w.run_once()
    data = await progress(client, cid)
    assert (data["status"], data["sent"], data["blocked"], data["pending"]) == ("sent", 2, 1, 0)
    assert data["done_percent"] == 100.0 and "UBND xã Bình Minh" in channel.sent[0][1]
    doc = await page(client, cid)
    assert doc.select_one("#progress")["data-live"] == "no"
    row = [td.text for td in doc.select(".table-wrap tbody tr")[0].select("td")]
    assert row == ["Telegram", "2", "0", "1", "0", "0"]
    problem = doc.select_one(".problems li").text
    assert "Đã chặn bot" in problem and "bot was blocked" in problem
    assert doc.select_one("#actions form") is None  # nothing left to do


async def test_progress_of_another_units_campaign_is_hidden(client: Any) -> None:
    cid = await approved(client)
    await switch(client, "cb.khac", "staff", units=("phuong-phuoc-tan",))
    assert (await client.get(f"/console/campaigns/{cid}/progress.json")).status == 404
    assert (await client.get("/console/campaigns/999999/progress.json")).status == 404


async def test_emergency_needs_admin_reason_and_confirmation(client: Any) -> None:
    await subscribers(client, 2)
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client)
    await switch(client, "admin.tuan", "admin")
    await act(client, cid, "emergency", note="")
    assert "Hãy ghi lý do" in (await page(client, cid)).select_one(".alert").text
    token = await csrf(client, f"/console/campaigns/{cid}")
    resp = await client.post(
        f"/console/campaigns/{cid}/emergency", data={"_csrf": token, "note": "Bão số 3"}
    )
    assert resp.status == 200
    doc = soup(await resp.text())
    assert "Xác nhận gửi khẩn cấp" in doc.h1.text and "2 người nhận" in doc.text
    assert doc.select_one('input[name="confirm"]')["value"] == "yes"
    assert await status_of(client, cid) == "draft"  # nothing before the confirmation
    await act(client, cid, "emergency", note="Bão số 3", confirm="yes")
    assert await status_of(client, cid) == "sending"
    async with client.app[sessionmaker_key]() as sess:
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None and campaign.emergency and campaign.approved_by == "admin.tuan"
        entry = (
            await sess.execute(select(AuditEntry).where(AuditEntry.action == "campaign.emergency"))
        ).scalar_one()
    assert entry.actor == "admin.tuan" and entry.detail == {"status": "sending"}
    assert (await progress(client, cid))["pending"] == 2


async def upload(client: Any, name: str, content: bytes, unit: str = UNIT, **extra: str) -> Any:
    form = FormData()
    form.add_field("_csrf", await csrf(client, "/console/campaigns/plan"))
    form.add_field("unit", unit)
    for key, value in extra.items():
        form.add_field(key, value)
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    return await client.post("/console/campaigns/plan", data=form, allow_redirects=False)


async def test_plan_upload_creates_the_draft_calendar_and_kpis(client: Any) -> None:
    await signed_in(client, "cb.mai", "staff")
    resp = await upload(client, "Kế hoạch An Phú.md", PLAN.read_bytes(), cadence="monthly")
    assert resp.status == 302
    doc = soup(await (await client.get(resp.headers["Location"])).text())
    # Four items for groups of citizens (youth, women, the elderly), monthly from tomorrow:
    # it is 10:00 on 02/03/2026, past today's sending hour (09:00).
    assert "tạo 4 bản nháp" in doc.select_one(".ok").text and "lưu 5 chỉ tiêu" in doc.text
    rows = doc.select(".plan-drafts tbody tr")
    assert [r.select("td")[0].text[:16] for r in rows] == [
        "03/03/2026 09:00", "03/04/2026 09:00", "03/05/2026 09:00", "03/06/2026 09:00"
    ]  # fmt: skip
    assert {r.select("td")[2].text for r in rows} == {"Bản nháp"}
    assert len(doc.select("table")[1].select("tbody tr")) == 5
    async with client.app[sessionmaker_key]() as sess:
        campaign = (await sess.execute(select(Campaign).order_by(Campaign.id))).scalars().first()
        assert campaign is not None
        kpis = (await sess.execute(select(KpiTarget))).scalars().all()
        audit = (await sess.execute(select(AuditEntry.action, AuditEntry.actor))).all()
    assert campaign.source_ref and campaign.source_ref.startswith("Ke-hoach-An-Phu.md#1")
    assert {k.unit for k in kpis} == {UNIT} and len(kpis) == 5
    assert ("campaign.plan_import", "cb.mai") in audit
    again = await upload(client, "Kế hoạch An Phú.md", PLAN.read_bytes(), cadence="monthly")
    doc = soup(await (await client.get(again.headers["Location"])).text())
    assert "tạo 0 bản nháp, 4 bản nháp đã có từ trước" in doc.select_one(".ok").text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ke-hoach.pdf", b"%PDF-1.4", "Chỉ nhận tệp .txt, .md hoặc .docx."),
        ("ke-hoach.txt", b"", "Hãy chọn tệp kế hoạch"),
        (
            "ke-hoach.txt",
            "Xin chào, đây không phải kế hoạch.".encode(),
            "Không tìm thấy nội dung kế hoạch",
        ),
        ("ke-hoach.txt", b"x" * 200, "Tệp lớn hơn 5 MB."),
    ],
)
async def test_plan_upload_refusals_are_shown(
    client: Any, monkeypatch: Any, name: str, content: bytes, message: str
) -> None:
    monkeypatch.setattr(views_plan_import, "MAX_BYTES", 100)
    await signed_in(client, "cb.mai", "staff")
    resp = await upload(client, name, content)
    assert resp.status == 400
    assert message in soup(await resp.text()).select_one(".alert").text
    async with client.app[sessionmaker_key]() as sess:
        assert (await sess.execute(select(Campaign))).first() is None


async def test_plan_upload_rejections(client: Any) -> None:
    await signed_in(client, "cb.mai", "staff")
    resp = await upload(client, "k.md", PLAN.read_bytes(), unit="phuong-phuoc-tan")
    assert resp.status == 404
    resp = await client.post("/console/campaigns/plan", data={"unit": UNIT})
    assert resp.status == 403  # no CSRF token
