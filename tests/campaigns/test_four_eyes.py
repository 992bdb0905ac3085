"""Four eyes on campaign approval (issue #15): neither the author nor whoever last changed the
text may approve; another account must. Drafts from the staff Telegram group (author "tg:<id>")
follow the same rule. Runs on SQLite and PostgreSQL; the migration fills `text_by` from the
audit trail of campaigns edited before it existed."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns.service import CampaignService, FourEyes
from bot.core.actors import Actor
from bot.db.engine import make_engine, migrate
from bot.db.models_campaigns import Campaign
from tests.campaigns.conftest import STAFF, STAFF2, TEMPLATE, UNIT, VOLUNTEER, add_contact

GROUP_MEMBER = Actor("tg:777", "staff", frozenset({UNIT}), display_name="Lan")
REWRITTEN = "Từ 01/03, {{ unit.name }} chỉ nhận hồ sơ khai sinh tại {{ unit.portal }}."


async def _draft(sess: AsyncSession, campaigns: CampaignService, author: Actor) -> int:
    c = await campaigns.create_draft(
        sess, author, unit=UNIT, title="Khai sinh trực tuyến", template=TEMPLATE,
        topics=["thu_tuc_moi"],
    )  # fmt: skip
    return c.id


@pytest.mark.parametrize("author", [VOLUNTEER, GROUP_MEMBER], ids=["console", "staff_group"])
async def test_who_rewrote_the_text_cannot_approve_it(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, author: Actor
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "1001")
        cid = await _draft(sess, campaigns, author)
        await campaigns.update_draft(sess, STAFF, cid, template=REWRITTEN)  # staff A rewrites
        await campaigns.submit(sess, STAFF, cid)
    async with sm.begin() as sess:
        with pytest.raises(FourEyes) as refused:
            await campaigns.approve(sess, STAFF, cid)
        assert refused.value.code == "own_text"
        assert "không thể tự duyệt" in refused.value.reason
    async with sm.begin() as sess:
        c = await sess.get(Campaign, cid)
        assert c is not None and c.status == "review" and c.text_by == STAFF.name
        await campaigns.approve(sess, STAFF2, cid)  # staff B: a second pair of eyes
        assert c.status == "scheduled" and c.approved_by == STAFF2.name


async def test_the_last_writer_counts_and_other_edits_do_not(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "1001", topics=["thu_tuc_moi", "lua_dao"])
        cid = await _draft(sess, campaigns, VOLUNTEER)
        await campaigns.update_draft(sess, STAFF, cid, title="Khai sinh: đổi tên")
        await campaigns.update_draft(sess, STAFF2, cid, template=REWRITTEN)
        # Staff A saves the form again without changing the text, and changes the topics.
        await campaigns.update_draft(
            sess, STAFF, cid, title="Khai sinh: đổi tên", template=REWRITTEN,
            topics=["thu_tuc_moi", "lua_dao"],
        )  # fmt: skip
        c = await sess.get(Campaign, cid)
        assert c is not None and c.text_by == STAFF2.name
        await campaigns.submit(sess, VOLUNTEER, cid)
        with pytest.raises(FourEyes):  # the author still cannot approve
            await campaigns.approve(sess, Actor(VOLUNTEER.name, "staff", VOLUNTEER.units), cid)
        with pytest.raises(FourEyes):
            await campaigns.approve(sess, STAFF2, cid)
        await campaigns.approve(sess, STAFF, cid)
        assert c.status == "scheduled"


async def test_migration_fills_the_last_writer_from_the_audit_trail(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        await migrate(engine, "0010")
        async with engine.begin() as conn:
            for cid, title in ((1, "sửa bởi cán bộ"), (2, "chưa sửa")):
                await conn.execute(
                    text(
                        "INSERT INTO campaigns (id, unit, title, template, topics, areas,"
                        " channels, status, author, emergency, legal_refs, created_at,"
                        " updated_at) VALUES (:id, :unit, :title, 'x', '[]', '[]', '[]',"
                        " 'review', 'tnv.lan', false, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"id": cid, "unit": UNIT, "title": title},
                )
            events = [
                ("tnv.lan", None, "draft", "tạo bản nháp"),
                ("cb.hung", "draft", "draft", "sửa: areas, template, title, topics"),
                ("cb.mai", "draft", "draft", "sửa: topics"),
                ("tnv.lan", "draft", "review", "gửi duyệt"),
            ]
            for actor, before, after, note in events:
                await conn.execute(
                    text(
                        "INSERT INTO campaign_events (campaign_id, actor, role, at,"
                        " from_status, to_status, note) VALUES (1, :actor, 'staff',"
                        " CURRENT_TIMESTAMP, :before, :after, :note)"
                    ),
                    {"actor": actor, "before": before, "after": after, "note": note},
                )
        await migrate(engine)
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT id, text_by FROM campaigns ORDER BY id"))
            assert rows.all() == [(1, "cb.hung"), (2, "tnv.lan")]
    finally:
        await engine.dispose()
