"""The PAKN storage contract, run on SQLite always and on PostgreSQL when configured."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.messages import FlowState, Reply
from bot.db import faq_log, queries
from bot.db.models import Contact, ConversationState, FaqQuery, Message
from bot.db.models_pakn import Pakn, PaknEvent
from bot.pakn import store

NOW = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)


def _pakn(code: str, key: str, contact_id: int | None = None, **extra: Any) -> Pakn:
    return Pakn(
        unit=extra.pop("unit", "xa-a"),
        code=code,
        contact_id=contact_id,
        channel="telegram",
        category="khac",
        content="Đèn đường ấp 3 hỏng",
        attachments=[{"kind": "photo", "file_id": "AgAD"}],
        sender_name="Nguyễn Văn An",
        phone="+84912345678",
        state="new",
        received_at=extra.pop("received_at", NOW),
        due_at=NOW + dt.timedelta(days=14),
        idempotency_key=key,
        updated_at=NOW,
        **extra,
    )


async def _contact(sess: AsyncSession, ext: str = "1") -> Contact:
    contact = await queries.get_or_create_contact(
        sess, unit="xa-a", channel="telegram", external_id=ext, now=NOW
    )
    await sess.flush()
    return contact


async def test_pakn_tables_exist(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    assert {"pakn", "pakn_events", "pakn_lookups"} <= tables


async def test_pakn_round_trips_and_code_is_unique_per_unit(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        await store.insert(sess, _pakn("PA-AAA-AAA-AAA", "k1"))
        await store.insert(sess, _pakn("PA-AAA-AAA-AAA", "k2", unit="xa-b"))  # other unit: ok
    async with sm() as sess:
        row = await store.by_code(sess, "xa-a", "PA-AAA-AAA-AAA")
        assert row is not None
        assert row.attachments == [{"kind": "photo", "file_id": "AgAD"}]
        assert row.received_at == NOW and row.received_at.tzinfo is not None
        assert await store.code_exists(sess, "xa-b", "PA-AAA-AAA-AAA")
        assert not await store.code_exists(sess, "xa-c", "PA-AAA-AAA-AAA")
    with pytest.raises(IntegrityError):
        async with sm.begin() as sess:
            await store.insert(sess, _pakn("PA-AAA-AAA-AAA", "k3"))


async def test_idempotency_key_is_unique(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        await store.insert(sess, _pakn("PA-AAA-AAA-AAA", "same"))
    with pytest.raises(IntegrityError):
        async with sm.begin() as sess:
            await store.insert(sess, _pakn("PA-CCC-CCC-CCC", "same"))
    async with sm() as sess:
        found = await store.by_idempotency_key(sess, "same")
        assert found is not None and found.code == "PA-AAA-AAA-AAA"


async def test_deleting_a_contact_keeps_its_pakn_and_events(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        pakn = await store.insert(sess, _pakn("PA-AAA-AAA-AAA", "k1", contact.id))
        await store.add_event(
            sess, pakn, actor="citizen", from_state=None, to_state="new", now=NOW
        )
        await store.record_lookup(sess, contact.id, False, NOW)
    async with sm.begin() as sess:
        await sess.execute(delete(Contact).where(Contact.id == contact.id))
    async with sm() as sess:
        row = await store.by_code(sess, "xa-a", "PA-AAA-AAA-AAA")
        assert row is not None and row.contact_id is None  # ON DELETE SET NULL
        assert [e.to_state for e in await store.events(sess, row.id)] == ["new"]


async def test_events_go_with_their_pakn(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        pakn = await store.insert(sess, _pakn("PA-AAA-AAA-AAA", "k1"))
        await store.add_event(sess, pakn, actor="a", from_state=None, to_state="new", now=NOW)
    async with sm.begin() as sess:
        await sess.execute(delete(Pakn))
    async with sm() as sess:
        assert (await sess.execute(select(PaknEvent))).first() is None


async def test_contact_queries_counts_and_rate_limit_inputs(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        for i, hours in enumerate((30, 5, 1)):
            await store.insert(
                sess,
                _pakn(
                    f"PA-AAA-AAA-AA{'ACD'[i]}",
                    f"k{i}",
                    contact.id,
                    received_at=NOW - dt.timedelta(hours=hours),
                ),
            )
        for ok, minutes in ((False, 90), (False, 10), (True, 5), (False, 1)):
            await store.record_lookup(sess, contact.id, ok, NOW - dt.timedelta(minutes=minutes))
    async with sm() as sess:
        mine = await store.for_contact(sess, contact.id)
        assert [p.code[-1] for p in mine] == ["D", "C", "A"]  # newest first
        assert await store.count_submitted_since(sess, contact.id, NOW - dt.timedelta(days=1)) == 2
        assert await store.last_submitted_at(sess, contact.id) == NOW - dt.timedelta(hours=1)
        assert await store.failed_lookups_since(sess, contact.id, NOW - dt.timedelta(hours=1)) == 2
        opened = await store.open_with_deadlines(sess, ["new"], "xa-a")
        assert len(opened) == 3
        assert await store.open_with_deadlines(sess, ["answered"]) == []


async def test_delete_contact_data_and_anonymise(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        other = await _contact(sess, "2")
        await store.insert(sess, _pakn("PA-AAA-AAA-AAA", "k1", contact.id))
        await queries.log_inbound(
            sess, contact, kind="text", text="số tôi 0912", payload=None, now=NOW
        )
        await queries.add_outbound(sess, contact, [Reply("dạ")], NOW)
        await queries.log_inbound(sess, other, kind="text", text="khác", payload=None, now=NOW)
        await queries.save_state(sess, contact.id, FlowState("pakn", "name", {"n": 1}), NOW)
        sess.add(
            FaqQuery(
                unit="xa-a",
                contact_id=contact.id,
                text="q",
                normalized="q",
                decision="answer",
                confidence=1.0,
                handed_to_staff=False,
                created_at=NOW,
            )
        )
        await queries.log_inbound(sess, contact, kind="button", text=None, payload="p", now=NOW)
        await sess.flush()
        before = await queries.contact_data_counts(sess, contact.id)
    async with sm.begin() as sess:
        rows = await store.anonymise_for_contact(sess, contact.id, NOW)
        redacted = await faq_log.redact(sess, await faq_log.ids_for_contact(sess, contact.id))
        counts = await queries.delete_contact_data(sess, contact.id)
    assert before == {"messages": 3, "faq_queries": 1}
    assert [p.code for p in rows] == ["PA-AAA-AAA-AAA"]
    assert redacted == 1
    assert counts == {"messages": 2}  # the newest inbound (the press) is kept
    async with sm() as sess:
        left = (await sess.execute(select(Message).order_by(Message.id))).scalars().all()
        assert [(m.contact_id, m.payload or m.text) for m in left] == [
            (other.id, "khác"),
            (contact.id, "p"),
        ]
        assert await sess.get(ConversationState, contact.id) is None
        faq = (await sess.execute(select(FaqQuery))).scalar_one()
        assert (faq.contact_id, faq.text, faq.normalized) == (None, "", "")
        pakn = await store.by_code(sess, "xa-a", "PA-AAA-AAA-AAA")
        assert pakn is not None and pakn.content == "Đèn đường ấp 3 hỏng"
        assert (pakn.sender_name, pakn.phone, pakn.contact_id) == (None, None, None)
        assert pakn.anonymised_at == NOW
