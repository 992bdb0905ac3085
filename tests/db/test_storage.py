"""The storage contract, run on SQLite always and on PostgreSQL when configured."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.messages import Button, FlowState, Reply
from bot.db import faq_log, inbox, queries
from bot.db.engine import migrate
from bot.db.models import FaqQuery, Message
from faq.types import Candidate, Match

NOW = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)


async def test_migrations_create_every_table_and_rerun_is_a_no_op(engine: AsyncEngine) -> None:
    await migrate(engine)  # second run: nothing to do, no error
    async with engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    assert {"contacts", "conversation_states", "inbox", "messages", "faq_queries"} <= tables
    assert "alembic_version" in tables


async def test_contact_is_created_once_per_unit_channel_and_id(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        a = await queries.get_or_create_contact(
            sess, unit="xa-a", channel="telegram", external_id="42", now=NOW, display_name="An"
        )
    async with sm.begin() as sess:
        b = await queries.get_or_create_contact(
            sess, unit="xa-a", channel="telegram", external_id="42", now=NOW
        )
        c = await queries.get_or_create_contact(
            sess, unit="xa-b", channel="telegram", external_id="42", now=NOW
        )
    assert a.id == b.id
    assert c.id != a.id
    assert b.display_name == "An"


async def test_inbox_deduplicates_redeliveries(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        first = await inbox.store(
            sess, unit="u", channel="telegram", external_id="7", payload={"update_id": 7}, now=NOW
        )
    async with sm.begin() as sess:
        again = await inbox.store(
            sess, unit="u", channel="telegram", external_id="7", payload={"update_id": 7}, now=NOW
        )
    async with sm() as sess:
        pending = await inbox.pending(sess)
    assert isinstance(first, int)
    assert again is None
    assert [p.id for p in pending] == [first]
    assert pending[0].payload == {"update_id": 7}


async def test_inbox_stores_a_batch_in_one_statement(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    def row(n: int) -> dict[str, Any]:
        return {"unit": "u", "channel": "telegram", "external_id": str(n), "payload": {"n": n}}

    async with sm.begin() as sess:
        first = await inbox.store_many(sess, [row(1)], NOW)
    async with sm.begin() as sess:  # 1 again (a redelivery), 2 twice in one batch, then 3
        ids = await inbox.store_many(sess, [row(1), row(2), row(2), row(3)], NOW)
    assert first[0] is not None and ids[0] is None and ids[2] is None
    assert ids[1] is not None and ids[3] is not None and len({first[0], ids[1], ids[3]}) == 3
    async with sm() as sess:
        pending = await inbox.pending(sess)
    assert [(p.id, p.payload) for p in pending] == [
        (first[0], {"n": 1}),
        (ids[1], {"n": 2}),
        (ids[3], {"n": 3}),
    ]


async def test_processed_and_failed_inbox_items(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        for i in range(3):
            await inbox.store(
                sess, unit="u", channel="web", external_id=str(i), payload={}, now=NOW
            )
    async with sm() as sess:
        ids = [p.id for p in await inbox.pending(sess)]
    async with sm.begin() as sess:
        await inbox.mark_processed(sess, ids[0], NOW)
        for _ in range(5):
            await inbox.mark_failed(sess, ids[1], "boom")
    async with sm() as sess:
        assert [p.id for p in await inbox.pending(sess)] == [ids[2]]


async def test_conversation_state_round_trips_json(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit="u", channel="web", external_id="s1", now=NOW
        )
        await queries.save_state(
            sess,
            contact.id,
            FlowState("pakn", "content", {"text": "Đường hỏng", "n": [1, 2]}),
            NOW,
        )
    async with sm() as sess:
        state = await queries.load_state(sess, contact.id)
    assert (state.flow, state.step) == ("pakn", "content")
    assert state.data == {"text": "Đường hỏng", "n": [1, 2]}


async def test_outbound_queue_is_ordered_and_respects_next_attempt(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit="u", channel="web", external_id="s2", now=NOW
        )
        rows = await queries.add_outbound(
            sess,
            contact,
            [Reply("một", (Button.reply("A", "menu"),)), Reply("hai")],
            NOW,
        )
        rows[1].next_attempt_at = NOW + dt.timedelta(minutes=5)
    async with sm() as sess:
        due = await queries.due_outbound(sess, NOW)
        later = await queries.due_outbound(sess, NOW + dt.timedelta(minutes=6))
    assert [m.text for m in due] == ["một"]
    assert [m.text for m in later] == ["một", "hai"]
    assert Reply.from_dict(due[0].body or {}).buttons[0].payload == "menu"
    assert due[0].created_at.tzinfo is not None


async def test_long_payloads_are_shortened_and_expanded(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    long = "ask:e:" + "x" * 120 + ":1"
    async with sm.begin() as sess:
        short = await queries.shorten_payload(sess, long, NOW)
        again = await queries.shorten_payload(sess, long, NOW)
    async with sm() as sess:
        assert await queries.expand_payload(sess, short) == long
        assert await queries.expand_payload(sess, "~unknown") is None
    assert short == again
    assert len(short.encode()) <= 64


async def test_faq_log_ranks_unanswered_questions(sm: async_sessionmaker[AsyncSession]) -> None:
    miss = Match("fallback", 0.1, (), "xin giay phep ban sung")
    hit = Match("answer", 0.9, (Candidate("khai-sinh", "khai_sinh", 0.9),), "khai sinh")
    async with sm.begin() as sess:
        for _ in range(3):
            await faq_log.record_query(
                sess, unit="u", contact_id=None, text="x", match=miss, now=NOW
            )
        answered = await faq_log.record_query(
            sess, unit="u", contact_id=None, text="y", match=hit, now=NOW
        )
        await sess.execute(update(FaqQuery).where(FaqQuery.id == answered).values(feedback=-1))
        await faq_log.record_query(sess, unit="u", contact_id=None, text="z", match=hit, now=NOW)
    async with sm() as sess:
        top = await faq_log.unanswered_top(sess, "u", NOW - dt.timedelta(days=1))
    assert top == [("xin giay phep ban sung", 3), ("khai sinh", 1)]


async def test_blocked_contact_is_recorded(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit="u", channel="telegram", external_id="9", now=NOW
        )
        await queries.mark_contact_blocked(sess, contact.id, NOW)
    async with sm() as sess:
        again = await queries.get_contact(sess, "u", "telegram", "9")
        assert again is not None and again.blocked
        assert (await sess.execute(select(Message))).first() is None


async def test_processed_raw_updates_are_purged_after_retention(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        for i in range(3):
            await inbox.store(
                sess, unit="u", channel="web", external_id=str(i), payload={}, now=NOW
            )
    async with sm() as sess:
        ids = [p.id for p in await inbox.pending(sess)]
    async with sm.begin() as sess:
        await inbox.mark_processed(sess, ids[0], NOW - dt.timedelta(days=3))
        await inbox.mark_processed(sess, ids[1], NOW)
    async with sm.begin() as sess:
        purged = await inbox.purge_processed(sess, NOW - dt.timedelta(days=2))
    async with sm() as sess:
        left = {
            i.external_id
            for i in [await inbox.find(sess, "u", "web", str(n)) for n in range(3)]
            if i
        }
    assert purged == 1
    assert left == {"1", "2"}  # recent and unprocessed rows stay


async def test_claimed_replies_can_be_released_after_a_crash(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit="u", channel="web", external_id="s9", now=NOW
        )
        await queries.add_outbound(sess, contact, [Reply("một")], NOW)
    async with sm.begin() as sess:
        [claimed] = await queries.claim_outbound(sess, NOW, dt.timedelta(seconds=30))
    async with sm.begin() as sess:
        assert await queries.claim_outbound(sess, NOW, dt.timedelta(seconds=30)) == []  # leased
    async with sm.begin() as sess:
        assert await queries.release_claims(sess, NOW) == 1
    async with sm.begin() as sess:
        [again] = await queries.claim_outbound(sess, NOW, dt.timedelta(seconds=30))
    assert again.id == claimed.id
