"""Four eyes in the console (issue #15): a staff member who rewrites a volunteer's draft cannot
approve it. The approve button is not offered, a forged POST is refused with a Vietnamese
message and an audit entry, and another staff member approves. Runs on the test backend
(LOAXA_TEST_BACKEND=postgres for PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.db.models_campaigns import Campaign
from bot.db.models_console import AuditEntry
from bot.keys import sessionmaker_key
from tests.console.helpers import T0, UNIT, csrf, signed_in
from tests.console.test_console_campaigns_flow import (
    act,
    local,
    new_draft,
    page,
    status_of,
    subscribers,
    switch,
)

REWRITTEN = "Từ 01/05, {{ unit.name }} chỉ nhận hồ sơ khai sinh giấy. Hỏi: {{ unit.hotline }}."


async def edit_text(client: Any, cid: int, template: str) -> None:
    token = await csrf(client, f"/console/campaigns/{cid}")
    data = {"_csrf": token, "title": "Khai sinh trực tuyến", "template": template,
            "topics": "thu_tuc_moi"}  # fmt: skip
    resp = await client.post(f"/console/campaigns/{cid}/edit", data=data, allow_redirects=False)
    assert resp.status == 302, await resp.text()


async def test_staff_who_rewrote_a_volunteer_draft_cannot_approve_it(client: Any) -> None:
    await subscribers(client)
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client)
    await switch(client, "cb.hung", "staff")  # staff A rewrites the text and submits it
    await edit_text(client, cid, REWRITTEN)
    await act(client, cid, "submit")
    doc = await page(client, cid)
    assert doc.select_one('form[action$="/approve"]') is None
    assert "người sửa nội dung tin sau cùng" in doc.select_one("#no-approve").text

    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(hours=1)))  # forged post
    alert = (await page(client, cid)).select_one(".alert").text
    assert "không thể tự duyệt" in alert and "cần một cán bộ khác" in alert
    assert await status_of(client, cid) == "review"
    async with client.app[sessionmaker_key]() as sess:
        refused = (
            await sess.execute(
                select(AuditEntry).where(AuditEntry.action == "campaign.approve_refused")
            )
        ).scalar_one()
        approvals = await sess.execute(
            select(AuditEntry).where(AuditEntry.action == "campaign.approve")
        )
        assert approvals.first() is None
    assert (refused.actor, refused.target, refused.unit) == ("cb.hung", f"campaign:{cid}", UNIT)
    assert refused.detail == {"reason": "own_text"}

    await switch(client, "cb.mai", "staff")  # staff B approves
    assert (await page(client, cid)).select_one('form[action$="/approve"]') is not None
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(hours=1)))
    assert await status_of(client, cid) == "scheduled"
    async with client.app[sessionmaker_key]() as sess:
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None
        assert (campaign.approved_by, campaign.text_by) == ("cb.mai", "cb.hung")
