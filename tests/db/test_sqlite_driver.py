"""SQLite with one thread hop per statement (bot/db/sqlite_driver.py): same results as the
stock adapter, errors mapped, a writer waiting for another process's lock never blocks the
event loop, deferred writes ride with the next trip, and no rollback trip after a commit."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiosqlite.core
import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import sqlite_driver
from bot.db.engine import make_engine
from bot.db.sqlite_hints import deferred, on_loop


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    async with eng.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    yield eng
    await eng.dispose()


async def with_another_writer(
    db: Path, write: Callable[[], Awaitable[None]], during: Callable[[], None] = lambda: None
) -> tuple[bool, int]:
    """Run `write` while another process holds the write lock for 0.5 s (`during` is called
    then), and let it finish once the lock is free. Returns (it was still waiting, how often
    the event loop ticked meanwhile)."""
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    tick_task = asyncio.create_task(ticker())
    writer = asyncio.create_task(write())
    await asyncio.sleep(0.5)
    waited, seen = not writer.done(), ticks
    during()
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(writer, 10)
    tick_task.cancel()
    return waited, seen


async def test_the_engine_uses_one_hop_cursors(engine: AsyncEngine) -> None:
    assert sqlite_driver.available()
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.dbapi_connection.cursor(), sqlite_driver.OneHopCursor)  # type: ignore[union-attr]


async def test_rows_counts_ids_and_executemany(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        first = await conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
        assert first.lastrowid == 1 and first.rowcount == 1
        await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), [{"v": "b"}, {"v": "c"}])
        back = await conn.execute(text("INSERT INTO t (v) VALUES ('d') RETURNING id, v"))
        assert back.one() == (4, "d")
        changed = await conn.execute(text("UPDATE t SET v = v || '!' WHERE id > 1"))
        assert changed.rowcount == 3
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, v FROM t ORDER BY id"))).all()
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b!"), (3, "c!"), (4, "d!")]
        assert (await conn.execute(text("SELECT v FROM t WHERE id = 99"))).first() is None


async def test_errors_are_sqlalchemy_errors_and_roll_back(engine: AsyncEngine) -> None:
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
            await conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_waiting_for_another_writer_does_not_block_the_loop(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    async def write() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('late')"))

    waited, ticks = await with_another_writer(tmp_path / "d.db", write)
    assert waited  # waiting in busy_timeout, on the database thread
    assert ticks >= 10  # while the loop kept running
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT v FROM t"))).scalar_one() == "late"


T = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("v", String))


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions sent to aiosqlite's thread, one per trip. The process's
    COMMITs are counted afresh: every CHECKPOINT_EVERY-th goes to the thread, and which one
    that is must not depend on how many tests committed before."""
    monkeypatch.setattr(sqlite_driver, "_commits", itertools.count(1))
    seen: list[str] = []
    original = aiosqlite.core.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(fn.__name__)
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    return seen


async def test_deferred_writes_go_with_the_next_statement(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as conn:
        await conn.execute(deferred(insert(T)), {"v": "a"})
        await conn.execute(deferred(update(T).where(T.c.v == "a").values(v="a2")))
        assert trips == []  # nothing sent yet
        seen = (await conn.execute(select(T.c.v))).scalars().all()
        assert seen == ["a2"]  # the later statement sees them: they ran first, in order
        assert trips == ["_run_after"]  # one trip for the three statements
        await conn.execute(deferred(insert(T)), [{"v": "b"}, {"v": "c"}])
    assert trips == ["_run_after", "_commit_after"]  # the last ones went with the COMMIT
    async with engine.connect() as conn:
        assert (await conn.execute(select(T.c.v).order_by(T.c.id))).scalars().all() == [
            "a2", "b", "c",
        ]  # fmt: skip


async def test_a_deferred_write_is_dropped_by_a_rollback(engine: AsyncEngine) -> None:
    with pytest.raises(RuntimeError):
        async with engine.begin() as conn:
            await conn.execute(deferred(insert(T)), {"v": "gone"})
            raise RuntimeError("the flow failed")
    async with engine.connect() as conn:
        assert (await conn.execute(select(T.c.v))).all() == []


async def test_a_deferred_write_fails_at_the_commit_and_nothing_is_kept(
    engine: AsyncEngine,
) -> None:
    with pytest.raises(IntegrityError) as failed:
        async with engine.begin() as conn:
            await conn.execute(insert(T), {"v": "x"})
            await conn.execute(deferred(insert(T)), {"v": "x"})  # breaks UNIQUE, raised later
    assert "deferred statement" in "".join(getattr(failed.value.orig, "__notes__", []))
    async with engine.connect() as conn:
        assert (await conn.execute(select(T.c.v))).all() == []


async def test_no_rollback_trip_after_a_commit(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(T), {"v": "a"})
    # Checked in after the commit: SQLAlchemy's reset rollback has nothing to undo.
    assert trips == ["_run", "commit"]
    async with engine.connect() as conn:
        await conn.execute(select(T.c.v))
    assert trips[2:] == ["_run", "rollback"]  # a read still ends its transaction


async def test_a_hot_statement_runs_on_the_loop_thread(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as conn:
        await conn.execute(deferred(insert(T)), {"v": "a"})
        got = await conn.execute(on_loop(insert(T).returning(T.c.id)), {"v": "b"})
        assert got.scalar_one() == 2
        seen = await conn.execute(on_loop(select(T.c.v).order_by(T.c.id)))
        assert seen.scalars().all() == ["a", "b"]
        assert trips == []  # no trip to the thread for either, nor for the deferred write
    assert trips == []  # nor for its COMMIT
    async with engine.connect() as conn:
        assert (await conn.execute(select(T.c.v).order_by(T.c.id))).scalars().all() == ["a", "b"]


async def test_every_so_many_commits_checkpoint_on_the_thread(
    engine: AsyncEngine, trips: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connections never checkpoint in a COMMIT (which may run on the loop); every
    CHECKPOINT_EVERY-th COMMIT goes to the thread and checkpoints there."""
    monkeypatch.setattr(sqlite_driver, "CHECKPOINT_EVERY", 3)
    monkeypatch.setattr(sqlite_driver, "_commits", itertools.count(1))
    for i in range(6):
        async with engine.begin() as conn:
            await conn.execute(on_loop(insert(T)), {"v": f"v{i}"})
    assert trips == ["_commit_after", "_commit_after"]  # the 3rd and the 6th
    async with engine.connect() as conn:
        auto = (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one()
        assert auto == 0
        assert (await conn.execute(select(func.count()).select_from(T))).scalar_one() == 6


async def test_a_hot_commit_never_waits_on_the_loop_for_another_writer(
    engine: AsyncEngine, tmp_path: Path, trips: list[str]
) -> None:
    """Only deferred writes left for the COMMIT, and another process holds the write lock: they
    go to the thread with the COMMIT and wait there; the loop keeps running."""

    async def write() -> None:
        async with engine.begin() as conn:
            await conn.execute(on_loop(select(T.c.v)))  # a read: no lock, on the loop
            await conn.execute(deferred(insert(T)), {"v": "late"})

    waited, ticks = await with_another_writer(tmp_path / "d.db", write)
    assert waited and ticks >= 10
    assert trips == ["_commit_after"]
    async with engine.connect() as conn:
        assert (await conn.execute(select(T.c.v))).scalars().all() == ["late"]


async def test_a_hot_statement_never_waits_on_the_loop_for_another_writer(
    engine: AsyncEngine, tmp_path: Path, trips: list[str]
) -> None:
    """Another process holds the write lock: the statement does not wait on the event loop
    (where busy_timeout would freeze it) but goes to the thread, waits there, and is written
    once the lock is free."""

    async def write() -> None:
        async with engine.begin() as conn:
            await conn.execute(deferred(insert(T)), {"v": "first"})
            await conn.execute(on_loop(insert(T)), {"v": "second"})

    def on_the_thread() -> None:
        assert trips[:1] == ["_run_after"]  # on the thread, with the deferred write

    waited, ticks = await with_another_writer(tmp_path / "d.db", write, on_the_thread)
    assert waited
    assert ticks >= 10  # the loop kept running while the writer waited
    async with engine.connect() as conn:
        rows = (await conn.execute(select(T.c.v).order_by(T.c.id))).scalars().all()
    assert rows == ["first", "second"]  # each once


async def test_a_hot_statement_error_is_a_sqlalchemy_error(engine: AsyncEngine) -> None:
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(on_loop(insert(T)), {"v": "x"})
            await conn.execute(on_loop(insert(T)), {"v": "x"})
    async with engine.connect() as conn:
        assert (await conn.execute(select(T.c.v))).all() == []
