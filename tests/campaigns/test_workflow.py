"""The campaign workflow on SQLite and PostgreSQL: transitions, permissions, refusals, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns import outbox
from bot.campaigns.service import CampaignService, InvalidTransition, Refused
from bot.core.actors import PermissionDenied
from bot.db.models_campaigns import Campaign, CampaignOutbox
from tests.campaigns.conftest import (
    ADMIN,
    OTHER_STAFF,
    STAFF,
    STAFF2,
    TEMPLATE,
    UNIT,
    VOLUNTEER,
    Clock,
    add_contact,
)


async def _draft(sess: AsyncSession, service: CampaignService, template: str = TEMPLATE) -> int:
    c = await service.create_draft(
        sess, VOLUNTEER, unit=UNIT, title="Tin thử", template=template, topics=["thu_tuc_moi"]
    )
    return c.id


async def test_full_workflow_is_audited(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, clock: Clock
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "1001")
        await add_contact(sess, "1002", topics=["lua_dao"])  # another topic: not in audience
        cid = await _draft(sess, campaigns)
        await campaigns.submit(sess, VOLUNTEER, cid)
        await campaigns.approve(sess, STAFF, cid, send_at=clock.now + dt.timedelta(hours=1))
        c = await sess.get(Campaign, cid)
        assert c is not None and c.status == "scheduled" and c.approved_by == STAFF.name
        await campaigns.pause(sess, STAFF2, cid, "chờ ý kiến lãnh đạo")
        await campaigns.resume(sess, STAFF2, cid)
        assert c.status == "scheduled"  # not started yet: back to the schedule
        assert await campaigns.start_sending(sess, c) == 1
        assert c.status == "sending" and c.rendered and "UBND xã Bình Minh" in c.rendered
        await campaigns.pause(sess, STAFF, cid)
        await campaigns.resume(sess, STAFF, cid)
        assert c.status == "sending"
        await campaigns.cancel(sess, STAFF, cid, "nhầm nội dung")
        events = await campaigns.events(sess, cid)
        left = await sess.execute(
            select(func.count()).where(
                CampaignOutbox.campaign_id == cid, CampaignOutbox.status == "pending"
            )
        )
        assert left.scalar_one() == 0  # cancelled rows are never sent
    trail = [(e.from_status, e.to_status, e.actor) for e in events]
    assert trail == [
        (None, "draft", VOLUNTEER.name),
        ("draft", "review", VOLUNTEER.name),
        ("review", "scheduled", STAFF.name),
        ("scheduled", "paused", STAFF2.name),
        ("paused", "scheduled", STAFF2.name),
        ("scheduled", "sending", "system"),
        ("sending", "paused", STAFF.name),
        ("paused", "sending", STAFF.name),
        ("sending", "cancelled", STAFF.name),
    ]
    assert events[3].note == "chờ ý kiến lãnh đạo"
    assert all(e.at == clock.now for e in events)


async def test_permissions(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "1001")
        cid = await _draft(sess, campaigns)
        await campaigns.submit(sess, VOLUNTEER, cid)
        with pytest.raises(PermissionDenied):  # a volunteer cannot approve
            await campaigns.approve(sess, VOLUNTEER, cid)
        with pytest.raises(PermissionDenied):  # another unit's staff
            await campaigns.approve(sess, OTHER_STAFF, cid)
        with pytest.raises(PermissionDenied):
            await campaigns.get(sess, OTHER_STAFF, cid)
        with pytest.raises(PermissionDenied):  # emergency: admin only
            await campaigns.emergency_send(sess, STAFF, cid, "lũ")
        own = await campaigns.create_draft(
            sess, STAFF, unit=UNIT, title="Tin của cán bộ", template=TEMPLATE,
            topics=["thu_tuc_moi"],
        )  # fmt: skip
        await campaigns.submit(sess, STAFF, own.id)
        with pytest.raises(PermissionDenied):  # the author cannot approve their own
            await campaigns.approve(sess, STAFF, own.id)
        await campaigns.approve(sess, STAFF2, own.id)
        with pytest.raises(PermissionDenied):  # a volunteer cannot pause
            await campaigns.pause(sess, VOLUNTEER, own.id)
        with pytest.raises(PermissionDenied):
            await campaigns.create_draft(
                sess, OTHER_STAFF, unit=UNIT, title="x", template="x", topics=["thu_tuc_moi"]
            )


async def test_invalid_transitions_are_refused(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "1001")
        cid = await _draft(sess, campaigns)
        with pytest.raises(InvalidTransition):  # not reviewed yet
            await campaigns.approve(sess, STAFF, cid)
        with pytest.raises(InvalidTransition):
            await campaigns.resume(sess, STAFF, cid)
        await campaigns.submit(sess, VOLUNTEER, cid)
        with pytest.raises(InvalidTransition):
            await campaigns.submit(sess, VOLUNTEER, cid)
        with pytest.raises(InvalidTransition):  # only drafts are edited
            await campaigns.update_draft(sess, VOLUNTEER, cid, template="Tin mới")
        await campaigns.return_to_draft(sess, STAFF, cid, "viết ngắn hơn")
        await campaigns.update_draft(sess, VOLUNTEER, cid, template="Tin ngắn của {{ unit.name }}")
        await campaigns.cancel(sess, VOLUNTEER, cid)  # the author may drop an unsent draft
        with pytest.raises(InvalidTransition):
            await campaigns.submit(sess, VOLUNTEER, cid)
        with pytest.raises(InvalidTransition):
            await campaigns.emergency_send(sess, ADMIN, cid, "lũ")


@pytest.mark.parametrize(
    ("template", "code", "words"),
    [
        ("Gọi {{ unit.hotlinee }}", "bad_template", "hotlinee"),
        ("Gọi {{ unit.hotline ", "bad_template", "cú pháp"),
        ("BẢN NHÁP — cần biên tập\nNội dung", "draft_marker", "BẢN NHÁP"),
    ],
)
async def test_bad_templates_are_refused_with_the_reason(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    template: str,
    code: str,
    words: str,
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "1001")
        cid = await _draft(sess, campaigns, template)
        with pytest.raises(Refused) as err:
            await campaigns.submit(sess, VOLUNTEER, cid)
        assert err.value.code == code and words in err.value.reason
        with pytest.raises(Refused):  # and no emergency either: nothing half-sent
            await campaigns.emergency_send(sess, ADMIN, cid, "khẩn")
        assert (await sess.get(Campaign, cid)).status == "draft"  # type: ignore[union-attr]
        rows = await sess.execute(select(func.count()).select_from(CampaignOutbox))
        assert rows.scalar_one() == 0


async def test_empty_audience_and_past_schedule_are_refused(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, clock: Clock
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "1001", topics=["lua_dao"])
        blocked = await add_contact(sess, "1002")
        blocked.blocked = True  # blocked the bot: not an audience
        cid = await _draft(sess, campaigns)
        await campaigns.submit(sess, VOLUNTEER, cid)
        with pytest.raises(Refused) as err:
            await campaigns.approve(sess, STAFF, cid)
        assert err.value.code == "empty_audience" and "chưa có ai đăng ký" in err.value.reason
        await add_contact(sess, "1003")
        with pytest.raises(Refused) as err:
            await campaigns.approve(sess, STAFF, cid, send_at=clock.now - dt.timedelta(hours=2))
        assert err.value.code == "past_schedule"
        await campaigns.approve(sess, STAFF, cid, send_at=clock.now)


async def test_emergency_sends_at_once_and_is_audited(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    async with sm.begin() as sess:
        for i in range(3):
            await add_contact(sess, f"20{i}", topics=["lua_dao"])
        c = await campaigns.create_draft(
            sess, VOLUNTEER, unit=UNIT, title="Cảnh báo", topics=["lua_dao"],
            template="⚠️ Cảnh báo giả danh cán bộ {{ unit.short_name }} gọi điện thu tiền.",
        )  # fmt: skip
        with pytest.raises(Exception, match="note_required"):
            await campaigns.emergency_send(sess, ADMIN, c.id, " ")
        await campaigns.emergency_send(sess, ADMIN, c.id, "nhiều người dân báo bị lừa")
        assert c.status == "sending" and c.emergency and c.approved_by == ADMIN.name
        events = await campaigns.events(sess, c.id)
        assert events[-1].actor == ADMIN.name and events[-1].to_status == "sending"
        assert "KHẨN CẤP" in events[-1].note and "bị lừa" in events[-1].note
        stats = await outbox.campaign_stats(sess, campaign_id=c.id)
    assert stats["telegram"]["pending"] == 3 and stats["telegram"]["total"] == 3


async def test_audience_by_topic_area_and_channel(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    from bot.campaigns import subscriptions as subs

    async with sm.begin() as sess:
        await add_contact(sess, "1", topics=["tin_khu_vuc"], areas=["Ấp 1"])
        await add_contact(sess, "2", topics=["tin_khu_vuc"], areas=["Ấp 2"])
        await add_contact(sess, "3", topics=["tin_khu_vuc"], channel="zalo")
        await add_contact(sess, "4", topics=["thu_tuc_moi"])
        await add_contact(sess, "5", topics=["tin_khu_vuc"], unit="phuong-phuoc-tan")
        everyone = await subs.audience(sess, UNIT, ["tin_khu_vuc"])
        ap1 = await subs.audience(sess, UNIT, ["tin_khu_vuc"], areas=["Ấp 1"])
        zalo = await subs.audience_counts(sess, UNIT, ["tin_khu_vuc"], channels=["zalo"])
        # The outbox is filled in the database from the same conditions (INSERT … SELECT).
        campaign = await sess.get(Campaign, await _draft(sess, campaigns))
        assert campaign is not None
        where = subs.audience_query(UNIT, ["tin_khu_vuc"], ["Ấp 1"], ())
        assert await outbox.fill_audience(sess, campaign, where, campaign.created_at) == 1
        where = subs.audience_query(UNIT, ["tin_khu_vuc"], (), ())
        assert await outbox.fill_audience(sess, campaign, where, campaign.created_at) == 3
        filled = await sess.execute(
            select(CampaignOutbox.contact_id, CampaignOutbox.channel, CampaignOutbox.status)
            .where(CampaignOutbox.campaign_id == campaign.id)
            .order_by(CampaignOutbox.contact_id)
        )
        assert [tuple(r) for r in filled] == [(cid, ch, "pending") for cid, ch in everyone]
    assert len(everyone) == 3
    assert len(ap1) == 1
    assert zalo == {"zalo": 1}


async def test_preview_shows_parts_buttons_and_zalo_warnings(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    long_text = ("Thông báo về thủ tục mới. " * 200).strip()  # ~5,000 characters
    async with sm.begin() as sess:
        await add_contact(sess, "1001")
        await add_contact(sess, "z1", channel="zalo")
        cid = await _draft(sess, campaigns, long_text)
        view = await campaigns.preview(sess, await sess.get(Campaign, cid))  # type: ignore[arg-type]
    tg, zalo = view["telegram"], view["zalo"]
    assert len(tg["parts"]) == 2 and all(len(p) <= 4096 for p in tg["parts"])
    assert len(zalo["parts"]) == 3 and all(len(p) <= 2000 for p in zalo["parts"])
    assert any("Dừng nhận tin" in b for b in tg["buttons"])
    assert tg["recipients"] == 1 and zalo["recipients"] == 1
    assert any("7 ngày" in w and "hạn mức" in w for w in zalo["warnings"])
    assert any("3 tin nhắn" in w for w in zalo["warnings"])


async def test_outbox_is_unique_per_campaign_and_contact(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    async with sm.begin() as sess:
        for i in range(5):
            await add_contact(sess, str(3000 + i))
        cid = await _draft(sess, campaigns)
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None
        recipients = [(1, "telegram"), (2, "telegram")]
        assert await outbox.fill(sess, campaign, recipients, campaign.created_at) == 2
        again = [*recipients, (3, "telegram")]
        assert await outbox.fill(sess, campaign, again, campaign.created_at) == 3
