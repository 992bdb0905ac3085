"""Hot statements past SQLAlchemy's execution (bot/db/direct.py): the same SQL, values, rows
and errors as through `AsyncSession.execute`, on SQLite always and PostgreSQL when set.
(A connection lost mid-transaction: tests/db/test_liveness.py, which runs these statements.)"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, event, exc, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import hot_path
from bot.db.direct import Direct
from bot.db.hot_path import CONTACTS, INBOX, MESSAGES
from bot.db.models import Contact, Message
from bot.db.sqlite_hints import deferred, on_loop

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)
_INSERT = on_loop(MESSAGES.insert()).returning(MESSAGES.c.id, sort_by_parameter_order=True)
_READ = select(MESSAGES.c.id, MESSAGES.c.body, MESSAGES.c.created_at, MESSAGES.c.sent_at).where(
    MESSAGES.c.contact_id == bindparam("cid")
)


async def _contact(sm: async_sessionmaker[AsyncSession], external_id: str) -> int:
    async with sm.begin() as sess:
        result = await sess.execute(
            CONTACTS.insert().returning(CONTACTS.c.id),
            {"unit": "xa-a", "channel": "telegram", "external_id": external_id,
             "created_at": NOW, "last_seen_at": NOW, "blocked": False},
        )  # fmt: skip
        return int(result.scalar_one())


def _reply(cid: int, text: str, body: Any) -> dict[str, Any]:
    return {
        "unit": "xa-a", "channel": "telegram", "contact_id": cid, "direction": "out",
        "kind": "text", "text": text, "body": body, "status": "sending", "attempts": 0,
        "next_attempt_at": NOW, "created_at": NOW, "payload": None, "error": None,
        "external_id": None, "sent_at": None,
    }  # fmt: skip


def _stored(message: Message) -> tuple[Any, ...]:
    return (message.text, message.body, message.status, message.created_at, message.sent_at,
            message.payload, message.attempts, message.next_attempt_at)  # fmt: skip


async def test_same_values_and_rows_as_through_sqlalchemy(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    a, b = await _contact(sm, "1"), await _contact(sm, "2")
    body = {"text": "Chào ông/bà", "buttons": [["Có", "yes"]], "n": 1.5, "none": None}
    async with sm.begin() as sess:
        ids_direct = (
            await Direct(_INSERT).execute(sess, [_reply(a, "một", body), _reply(a, "hai", None)])
        ).scalars()
        ids_plain = (
            (await sess.execute(_INSERT, [_reply(b, "một", body), _reply(b, "hai", None)]))
            .scalars()
            .all()
        )
    assert ids_direct == sorted(ids_direct)  # in the order of the parameters
    async with sm() as sess:
        direct = [await sess.get(Message, i) for i in ids_direct]
        plain = [await sess.get(Message, i) for i in ids_plain]
        assert [_stored(m) for m in direct if m] == [_stored(m) for m in plain if m]
        read_direct = (await Direct(_READ).execute(sess, {"cid": a})).all()
        read_plain = (await sess.execute(_READ, {"cid": a})).all()
    assert [tuple(r) for r in read_direct] == [tuple(r) for r in read_plain]
    first = read_direct[0]
    assert first.body == body and first.created_at == NOW and first.sent_at is None
    assert first.created_at.tzinfo is not None  # the column type's result processing


async def test_listeners_see_every_statement(
    sm: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    cid = await _contact(sm, "1")
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split())[:20])

    event.listen(engine.sync_engine, "before_cursor_execute", listen)
    try:
        async with sm.begin() as sess:
            await Direct(_INSERT).execute(sess, _reply(cid, "x", None))
            await Direct(_READ).execute(sess, {"cid": cid})
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listen)
    assert any(s.startswith("INSERT") for s in seen) and any(s.startswith("SELECT") for s in seen)


async def test_an_error_is_sqlalchemys_and_nothing_is_kept(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    cid = await _contact(sm, "1")
    duplicate = Direct(deferred(INBOX.insert()))
    row = {"unit": "xa-a", "channel": "telegram", "external_id": "u1", "payload": {},
           "received_at": NOW, "attempts": 0}  # fmt: skip
    with pytest.raises(exc.IntegrityError):
        async with sm.begin() as sess:
            await Direct(_INSERT).execute(sess, _reply(cid, "lost", None))
            await duplicate.execute(sess, [row, row])  # the same update twice
            await Direct(_READ).execute(sess, {"cid": cid})  # a deferred write fails here
    async with sm() as sess:
        assert (await sess.execute(_READ, {"cid": cid})).all() == []


async def test_python_side_defaults_are_filled_in(sm: async_sessionmaker[AsyncSession]) -> None:
    cid = await _contact(sm, "1")
    row = _reply(cid, "x", None)
    del row["attempts"], row["kind"]  # columns with a default in the model
    async with sm.begin() as sess:
        (msg_id,) = (await Direct(_INSERT).execute(sess, row)).scalars()
    async with sm() as sess:
        stored = await sess.get(Message, msg_id)
    assert stored is not None and (stored.attempts, stored.kind) == (0, "text")


async def test_one_session_several_transactions(sm: async_sessionmaker[AsyncSession]) -> None:
    cid = await _contact(sm, "1")
    async with sm() as sess:
        for text in ("một", "hai"):
            async with sess.begin():
                await Direct(_INSERT).execute(sess, _reply(cid, text, None))
        async with sess.begin():
            await Direct(_INSERT).execute(sess, _reply(cid, "ba", None))
            await sess.rollback()
        rows = (await Direct(_READ).execute(sess, {"cid": cid})).all()
    assert len(rows) == 2


async def test_runs_past_session_execute(
    sm: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = await _contact(sm, "1")

    async def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("went through AsyncSession.execute")

    monkeypatch.setattr(AsyncSession, "execute", refuse)
    async with sm.begin() as sess:
        (msg_id,) = (await Direct(_INSERT).execute(sess, _reply(cid, "x", {"a": 1}))).scalars()
        row = (await Direct(_READ).execute(sess, {"cid": cid})).one()
    assert (row.id, row.body) == (msg_id, {"a": 1})


async def test_a_returned_row_becomes_the_sessions_orm_object(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    later = NOW + dt.timedelta(hours=1)
    async with sm.begin() as sess:
        made = await hot_path.upsert_contact(
            sess, unit="xa-a", channel="telegram", external_id="9", now=NOW, display_name="An"
        )
        made.paused_until = later  # tracked like any loaded object: flushed at commit
    async with sm.begin() as sess:
        loaded = await sess.get(Contact, made.id)
        assert loaded is not None and loaded.paused_until == later
        again = await hot_path.upsert_contact(
            sess, unit="xa-a", channel="telegram", external_id="9", now=later, display_name="Ba"
        )
        assert again is loaded  # one object per row in a session, refreshed from the row
        assert (again.display_name, again.last_seen_at) == ("Ba", later)
    async with sm() as sess:
        stored = await sess.get(Contact, made.id)
    assert stored is not None and stored.display_name == "Ba"


def test_a_fresh_process_upserts_a_contact_before_any_orm_query(tmp_path: Path) -> None:
    """The ORM object is made before SQLAlchemy configured its mappers (a worker's first job)."""
    script = f"""
import asyncio, datetime as dt
from bot.db import hot_path
from bot.db.engine import make_engine, make_sessionmaker, migrate

async def main():
    engine = make_engine("sqlite+aiosqlite:///{tmp_path / "fresh.db"}")
    await migrate(engine)
    async with make_sessionmaker(engine).begin() as sess:
        c = await hot_path.upsert_contact(sess, unit="xa-a", channel="telegram",
                                          external_id="1", now=dt.datetime.now(dt.UTC))
        print(c.id, c.external_id)
    await engine.dispose()

asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "1"]
