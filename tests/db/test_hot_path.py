"""The per-message statements (bot/db/hot_path.py), on SQLite always and PostgreSQL when set."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import FlowState, Reply
from bot.db import hot_path, queries, unit_areas, unit_categories
from bot.db.models import Contact, ConversationState, Message

NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)


async def _contact(sess: AsyncSession, **kw: object) -> Contact:
    return await hot_path.upsert_contact(
        sess,
        unit="xa-a",
        channel="telegram",
        external_id="7",
        **kw,  # type: ignore[arg-type]
    )


async def test_upsert_creates_then_updates_one_row(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        first = await _contact(sess, now=NOW, display_name="Bà Tư", language="vi")
        await queries.mark_contact_blocked(sess, first.id, NOW)
    async with sm.begin() as sess:
        # Not the citizen writing (an unfollow): nothing changes, the row comes back.
        quiet = await _contact(sess, now=LATER, display_name="X", interacted=False)
        assert (quiet.id, quiet.blocked, quiet.display_name) == (first.id, True, "Bà Tư")
        assert quiet.last_seen_at == NOW
    async with sm.begin() as sess:
        again = await _contact(sess, now=LATER)  # they wrote: unblocked, seen, name kept
    assert again.id == first.id
    assert (again.blocked, again.blocked_at, again.display_name) == (False, None, "Bà Tư")
    assert again.last_seen_at == LATER
    async with sm() as sess:
        assert len((await sess.execute(select(Contact))).all()) == 1


async def test_state_is_an_upsert_and_loads_back(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess, now=NOW)
        assert hot_path.is_empty(await hot_path.load_state(sess, contact.id))
        await hot_path.save_state(sess, contact.id, FlowState("pakn", "name", {"n": 1}), NOW)
        await hot_path.save_state(sess, contact.id, FlowState("pakn", "phone", {"n": 2}), LATER)
    async with sm() as sess:
        state = await hot_path.load_state(sess, contact.id)
        rows = (await sess.execute(select(ConversationState))).scalars().all()
    assert (state.flow, state.step, state.data) == ("pakn", "phone", {"n": 2})
    assert len(rows) == 1 and rows[0].updated_at == LATER


async def test_unit_edits_in_one_read(sm: async_sessionmaker[AsyncSession]) -> None:
    async def unit_edits(sess: AsyncSession, unit: str) -> tuple[object, object]:
        reads = await hot_path.context_reads(sess, 0, unit, NOW)  # no contact: edits only
        return reads.areas, reads.categories

    async with sm.begin() as sess:
        assert await unit_edits(sess, "xa-a") == (None, None)
        await unit_areas.save_areas(sess, "xa-a", ["Ấp 1", "Ấp 2"], "admin", NOW)
    async with sm.begin() as sess:
        assert await unit_edits(sess, "xa-a") == (["Ấp 1", "Ấp 2"], None)
        await unit_categories.save_categories(sess, "xa-a", ["moi-truong", "khac"], "admin", NOW)
    async with sm() as sess:
        areas, categories = await unit_edits(sess, "xa-a")
    assert areas == ["Ấp 1", "Ấp 2"] and categories == ["moi-truong", "khac"]


async def test_context_reads_in_one_statement(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess, now=NOW)
        reads = await hot_path.context_reads(sess, contact.id, "xa-a", NOW)
        assert (reads.held, reads.areas, reads.categories) == (False, None, None)
        assert hot_path.is_empty(reads.state)
        await hot_path.save_state(sess, contact.id, FlowState("pakn", "phone", {"n": 2}), NOW)
        await unit_areas.save_areas(sess, "xa-a", ["Ấp 1"], "admin", NOW)
        await unit_categories.save_categories(sess, "xa-a", ["khac"], "admin", NOW)
        [held] = await queries.add_outbound(sess, contact, [Reply("để sau")], NOW)
        held.next_attempt_at = LATER  # held for later (a closed window)
    async with sm.begin() as sess:
        reads = await hot_path.context_reads(sess, contact.id, "xa-a", NOW)
        assert reads.held and (reads.areas, reads.categories) == (["Ấp 1"], ["khac"])
        assert (reads.state.flow, reads.state.step, reads.state.data) == (
            "pakn",
            "phone",
            {"n": 2},
        )
        released = await queries.release_held(sess, contact.id, NOW)
        assert [r.id for r in released] == [held.id]
    async with sm() as sess:
        other = await hot_path.context_reads(sess, contact.id, "xa-b", LATER)
    assert (other.held, other.areas, other.state.flow) == (False, None, "pakn")


async def test_replies_inserted_claimed_in_order_then_recorded_sent(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    lease = NOW + dt.timedelta(seconds=30)
    async with sm.begin() as sess:
        contact = await _contact(sess, now=NOW)
        ids = await hot_path.add_claimed_replies(
            sess, contact, [Reply(f"trả lời {i}") for i in range(3)], NOW, lease
        )
    assert ids == sorted(ids) and len(set(ids)) == 3
    async with sm() as sess:
        # Claimed: the pipeline's loop does not take them before the lease ends.
        assert await queries.claim_outbound(sess, NOW, dt.timedelta(seconds=30)) == []
    async with sm.begin() as sess:
        await hot_path.record_sent(sess, [(ids[0], "m1"), (ids[1], None), (10**9, "gone")], NOW)
    async with sm() as sess:
        rows = (await sess.execute(select(Message).order_by(Message.id))).scalars().all()
    assert [r.text for r in rows] == ["trả lời 0", "trả lời 1", "trả lời 2"]
    assert [(r.status, r.external_id, r.attempts) for r in rows] == [
        ("sent", "m1", 1), ("sent", None, 1), ("sending", None, 0),
    ]  # fmt: skip
    async with sm.begin() as sess:  # after a crash (SQLite: at start) the third is due again
        assert await queries.release_claims(sess, LATER) == 1
        due = await queries.claim_outbound(sess, LATER, dt.timedelta(seconds=30))
    assert [r.id for r in due] == [ids[2]]
