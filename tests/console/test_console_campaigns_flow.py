"""Campaign screens over HTTP: drafting, preview, the workflow through the UI (author is never
the approver), refusals shown in Vietnamese with nothing sent, and every rejection."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.campaigns.render import DRAFT_MARKER
from bot.db.models_campaigns import Campaign, CampaignOutbox
from bot.db.models_console import AuditEntry
from bot.keys import sessionmaker_key
from tests.campaigns.conftest import add_contact
from tests.console.helpers import (
    T0,
    UNIT,
    configure_channel,
    csrf,
    login,
    other_unit,
    signed_in,
    soup,
)

TEMPLATE = "Từ 01/04, {{ unit.name }} nhận hồ sơ khai sinh trực tuyến. Hỏi: {{ unit.hotline }}."


async def subscribers(client: Any, n: int = 2, channel: str = "telegram") -> None:
    configure_channel(client, channel)
    async with client.app[sessionmaker_key].begin() as sess:
        for i in range(n):
            await add_contact(sess, f"{channel}-{i}", channel=channel)


async def new_draft(client: Any, template: str = TEMPLATE, **extra: Any) -> int:
    token = await csrf(client, f"/console/campaigns/new/{UNIT}")
    data = {"_csrf": token, "title": "Khai sinh trực tuyến", "template": template,
            "topics": "thu_tuc_moi", **extra}  # fmt: skip
    resp = await client.post(f"/console/campaigns/new/{UNIT}", data=data, allow_redirects=False)
    assert resp.status == 302, await resp.text()
    return int(resp.headers["Location"].rsplit("/", 1)[1])


async def act(client: Any, cid: int, action: str, **data: str) -> Any:
    token = await csrf(client, f"/console/campaigns/{cid}")
    resp = await client.post(
        f"/console/campaigns/{cid}/{action}", data={"_csrf": token, **data}, allow_redirects=False
    )
    assert resp.status == 302 and resp.headers["Location"] == f"/console/campaigns/{cid}"
    return resp


async def page(client: Any, cid: int) -> Any:
    resp = await client.get(f"/console/campaigns/{cid}")
    assert resp.status == 200
    return soup(await resp.text())


async def status_of(client: Any, cid: int) -> str:
    async with client.app[sessionmaker_key]() as sess:
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None
        return campaign.status


async def outbox_rows(client: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return int((await sess.execute(select(func.count(CampaignOutbox.id)))).scalar_one())


async def switch(client: Any, username: str, role: str, units: tuple[str, ...] = (UNIT,)) -> None:
    client.session.cookie_jar.clear()
    await signed_in(client, username, role, units=units)


def local(when: dt.datetime) -> str:
    return (when + dt.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")


async def test_volunteer_drafts_sees_preview_and_submits(client: Any) -> None:
    await subscribers(client, 3)
    await subscribers(client, 1, channel="zalo")
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client)
    doc = await page(client, cid)
    assert "Đã tạo bản nháp" in doc.select_one(".ok").text
    previews = {d["data-channel"]: d for d in doc.select(".channel-preview")}
    assert set(previews) == {"telegram", "zalo", "web"}  # the channels the unit has set up
    bubble = previews["telegram"].select_one(".bubble").text
    assert "UBND xã Bình Minh nhận hồ sơ khai sinh" in bubble and "{{" not in bubble
    labels = [b.text for b in previews["telegram"].select(".bubble-button")]
    assert labels == ["⚙️ Đổi chủ đề nhận tin", "🔕 Dừng nhận tin"]
    assert "3 người nhận" in previews["telegram"].h3.text
    assert "Zalo OA" in previews["zalo"].select_one(".warn").text  # window / quota drops
    assert "4 (đã đăng ký chủ đề)" in doc.select_one(".facts").text
    assert doc.select_one("#no-approve") is None and "Duyệt" not in doc.select_one("#actions").text
    await act(client, cid, "submit")
    assert await status_of(client, cid) == "review"
    doc = await page(client, cid)
    assert "Chỉ cán bộ" in doc.select_one("#no-approve").text
    assert [li.text.split("·")[-1].strip() for li in doc.select(".history li")][-1] == "gửi duyệt"
    async with client.app[sessionmaker_key]() as sess:
        actions = (await sess.execute(select(AuditEntry.action, AuditEntry.actor))).all()
    assert ("campaign.create", "tnv.lan") in actions and ("campaign.submit", "tnv.lan") in actions


async def test_long_text_is_split_and_shown_as_several_bubbles(client: Any) -> None:
    configure_channel(client, "zalo")
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client, template="Thông báo. " * 400, channels="zalo")
    zalo = (await page(client, cid)).select_one('.channel-preview[data-channel="zalo"]')
    assert len(zalo.select(".bubble")) == 3
    assert any("3 tin nhắn" in w.text for w in zalo.select(".warn"))


async def test_the_author_cannot_approve_and_another_staff_member_can(client: Any) -> None:
    await subscribers(client)
    await signed_in(client, "cb.hung", "staff")
    cid = await new_draft(client)
    await act(client, cid, "submit")
    doc = await page(client, cid)
    assert doc.select_one('form[action$="/approve"]') is None
    assert "không thể tự duyệt" in doc.select_one("#no-approve").text
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(hours=1)))  # forged post
    assert "không thể tự duyệt" in (await page(client, cid)).select_one(".alert").text
    assert await status_of(client, cid) == "review"

    await switch(client, "cb.mai", "staff")
    doc = await page(client, cid)
    assert doc.select_one('form[action$="/approve"] input[name="send_at"]') is not None
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(hours=1)))
    assert await status_of(client, cid) == "scheduled"
    async with client.app[sessionmaker_key]() as sess:
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None and campaign.approved_by == "cb.mai"
        assert campaign.scheduled_at == T0 + dt.timedelta(hours=1)
        audit = (await sess.execute(select(AuditEntry).where(AuditEntry.action == "campaign.approve"))).scalar_one()  # fmt: skip
    assert (audit.actor, audit.target, audit.unit) == ("cb.mai", f"campaign:{cid}", UNIT)
    assert await outbox_rows(client) == 0  # queued only when sending starts


@pytest.mark.parametrize(
    ("template", "subscribed", "when", "message"),
    [
        (TEMPLATE, False, 1, "Chưa có ai đăng ký nhận tin"),
        (f"{DRAFT_MARKER}\nTin thử cho người dân.", True, 1, "cần biên tập"),
        (TEMPLATE, True, -30, "Thời điểm gửi đã qua"),
    ],
)
async def test_approval_refusals_are_shown_and_nothing_is_sent(
    client: Any, template: str, subscribed: bool, when: int, message: str
) -> None:
    if subscribed:
        await subscribers(client)
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client, template=template)
    if DRAFT_MARKER in template:  # submit refuses the marker too: put it in review directly
        async with client.app[sessionmaker_key].begin() as sess:
            campaign = await sess.get(Campaign, cid)
            assert campaign is not None
            campaign.status = "review"
    else:
        await act(client, cid, "submit")
    await switch(client, "cb.mai", "staff")
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(minutes=when)))
    assert message in (await page(client, cid)).select_one(".alert").text
    assert await status_of(client, cid) == "review" and await outbox_rows(client) == 0


async def test_a_bad_template_is_refused_at_submit_with_the_reason(client: Any) -> None:
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client, template="Gọi {{ unit.fax }} nhé")
    await act(client, cid, "submit")
    alert = (await page(client, cid)).select_one(".alert").text
    assert "Mẫu tin dùng biến không có" in alert and "fax" in alert
    assert await status_of(client, cid) == "draft"


async def test_form_errors_show_again_with_what_was_typed(client: Any) -> None:
    await signed_in(client, "tnv.lan", "volunteer")
    token = await csrf(client, f"/console/campaigns/new/{UNIT}")
    resp = await client.post(
        f"/console/campaigns/new/{UNIT}",
        data={"_csrf": token, "title": "Tin", "template": "Nội dung giữ lại"},
    )
    assert resp.status == 400
    doc = soup(await resp.text())
    assert "Chọn ít nhất một chủ đề" in doc.select_one(".alert").text
    assert doc.select_one("#template").text == "Nội dung giữ lại"


async def test_edit_return_pause_resume_cancel(client: Any) -> None:
    await subscribers(client)
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client)
    token = await csrf(client, f"/console/campaigns/{cid}")
    data = {"_csrf": token, "title": "Tên mới", "template": "Tin mới của {{ unit.short_name }}",
            "topics": "thu_tuc_moi"}  # fmt: skip
    resp = await client.post(f"/console/campaigns/{cid}/edit", data=data, allow_redirects=False)
    assert resp.status == 302
    assert "Tin mới của xã Bình Minh" in (await page(client, cid)).select_one(".bubble").text
    await act(client, cid, "submit")
    await switch(client, "cb.mai", "staff")
    await act(client, cid, "return", note="Viết ngắn hơn")
    assert await status_of(client, cid) == "draft"
    await switch(client, "tnv.lan2", "volunteer")
    doc = await page(client, cid)  # another volunteer: no editor, no submit
    assert doc.select_one('form[action$="/edit"]') is None
    assert doc.select_one('form[action$="/submit"]') is None
    resp = await client.post(f"/console/campaigns/{cid}/edit", data=data | {"_csrf": await csrf(client, f"/console/campaigns/{cid}")})  # fmt: skip
    assert resp.status == 403
    client.session.cookie_jar.clear()
    await login(client, "tnv.lan")
    await act(client, cid, "submit")
    await switch(client, "cb.hung", "staff")
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(hours=2)))
    await act(client, cid, "pause", note="chờ ý kiến")
    assert await status_of(client, cid) == "paused"
    await act(client, cid, "resume")
    assert await status_of(client, cid) == "scheduled"
    await act(client, cid, "cancel", note="nhầm")
    assert await status_of(client, cid) == "cancelled"
    assert (await page(client, cid)).select_one("#actions form") is None


async def test_list_filters_and_counts(client: Any) -> None:
    await signed_in(client, "tnv.lan", "volunteer")
    first = await new_draft(client)
    await new_draft(client)
    await act(client, first, "submit")
    doc = soup(await (await client.get("/console/campaigns/")).text())
    chips = [a.text.strip() for a in doc.select(".chips a")]
    assert "Tất cả (2)" in chips and "Bản nháp (1)" in chips and "Chờ duyệt (1)" in chips
    doc = soup(await (await client.get(f"/console/campaigns/?unit={UNIT}&state=review")).text())
    assert [a.text for a in doc.select(".campaign-row a")] == [f"#{first} · Khai sinh trực tuyến"]


async def test_rejections(client: Any) -> None:
    await signed_in(client, "tnv.lan", "volunteer")
    cid = await new_draft(client)
    other = other_unit(client)
    assert (await client.get(f"/console/campaigns/?unit={other}")).status == 404
    assert (await client.get(f"/console/campaigns/new/{other}")).status == 404
    assert (await client.get("/console/campaigns/plan")).status == 403  # staff and admins
    resp = await client.post(f"/console/campaigns/{cid}/submit", data={})
    assert resp.status == 403  # no CSRF token
    assert await status_of(client, cid) == "draft"
    resp = await client.post(f"/console/campaigns/{cid}/submit", data={"_csrf": "wrong"})
    assert resp.status == 403
    await act(client, cid, "submit")
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(hours=1)))
    assert "không được làm việc này" in (await page(client, cid)).select_one(".alert").text
    assert await status_of(client, cid) == "review"
    resp = await client.post(f"/console/campaigns/{cid}/emergency", data={"_csrf": await csrf(client, f"/console/campaigns/{cid}"), "note": "x"})  # fmt: skip
    assert resp.status == 403

    await switch(client, "cb.phuoctan", "staff", units=(other,))
    for path in (f"/console/campaigns/{cid}", f"/console/campaigns/{cid}/progress.json",
                 f"/console/campaigns/new/{UNIT}"):  # fmt: skip
        assert (await client.get(path)).status == 404, path
    token = await csrf(client)
    resp = await client.post(f"/console/campaigns/{cid}/cancel", data={"_csrf": token})
    assert resp.status == 404 and await status_of(client, cid) == "review"

    client.session.cookie_jar.clear()
    for path in (f"/console/campaigns/{cid}", f"/console/campaigns/{cid}/progress.json",
                 "/console/campaigns/plan", f"/console/campaigns/new/{UNIT}"):  # fmt: skip
        resp = await client.get(path, allow_redirects=False)
        assert resp.status == 302 and resp.headers["Location"].startswith("/console/login")
    resp = await client.post(f"/console/campaigns/{cid}/cancel", data={"_csrf": await csrf(client)}, allow_redirects=False)  # fmt: skip
    assert resp.status == 302 and resp.headers["Location"].startswith("/console/login")


async def test_approved_campaign_page_offers_the_outreach_exports(client: Any) -> None:
    """After approval the page shows the loudspeaker/SMS/post/leaflet versions (bot/outreach)."""
    await subscribers(client)
    await signed_in(client, "cb.hung", "staff")
    cid = await new_draft(client)
    assert (await page(client, cid)).select_one("#exports") is None  # not before approval
    await act(client, cid, "submit")
    await switch(client, "cb.mai", "staff")
    await act(client, cid, "approve", send_at=local(T0 + dt.timedelta(hours=1)))
    exports = (await page(client, cid)).select_one("#exports")
    assert exports is not None and "Xuất bản ra các kênh khác" in exports.text
    links = [a["href"] for a in exports.select("a")]
    assert f"/console/outreach/{UNIT}/campaign/{cid}/radio.txt" in links
