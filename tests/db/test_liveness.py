"""Pooled PostgreSQL connections are pinged only after sitting idle (bot/db/liveness.py)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import hot_path, liveness
from bot.db.engine import make_engine, make_sessionmaker, migrate

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_engine(db_url: str) -> Any:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no connection to lose")
    engine = make_engine(db_url)
    killer = make_engine(db_url)
    try:
        yield engine, killer
    finally:
        await engine.dispose()
        await killer.dispose()


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(killer: AsyncEngine, pid: int) -> None:
    async with killer.connect() as conn:
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def _count_pings(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    dialect = engine.sync_engine.dialect
    pings: list[int] = []
    real = dialect.do_ping

    def counted(conn: Any) -> bool:
        pings.append(1)
        return real(conn)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


async def test_a_connection_used_a_moment_ago_is_not_pinged(
    pg_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = pg_engine
    monkeypatch.setattr(liveness, "IDLE_BEFORE_PING", 60.0)
    pings = _count_pings(engine, monkeypatch)
    first = await _backend_pid(engine)
    for _ in range(5):
        assert await _backend_pid(engine) == first  # the same pooled connection
    assert pings == []


async def test_an_idle_connection_the_server_dropped_is_replaced_before_use(
    pg_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, killer = pg_engine
    first = await _backend_pid(engine)
    await _terminate(killer, first)
    monkeypatch.setattr(liveness, "IDLE_BEFORE_PING", 0.0)  # every checkout counts as idle
    pings = _count_pings(engine, monkeypatch)
    second = await _backend_pid(engine)  # no error: the ping found it dead
    assert second != first
    assert pings  # it was pinged


async def test_a_connection_lost_while_busy_fails_once_then_the_pool_recovers(
    pg_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, killer = pg_engine
    monkeypatch.setattr(liveness, "IDLE_BEFORE_PING", 60.0)
    first = await _backend_pid(engine)
    await _terminate(killer, first)
    with pytest.raises(DBAPIError) as failed:
        await _backend_pid(engine)
    assert failed.value.connection_invalidated
    assert await _backend_pid(engine) != first  # the next transaction gets a new connection


async def test_a_hot_statement_on_a_lost_connection_fails_once_then_recovers(
    pg_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for a statement sent past SQLAlchemy's execution (bot/db/direct.py)."""
    engine, killer = pg_engine
    await migrate(engine)
    monkeypatch.setattr(liveness, "IDLE_BEFORE_PING", 60.0)
    sm = make_sessionmaker(engine)
    first = await _backend_pid(engine)
    await _terminate(killer, first)
    with pytest.raises(DBAPIError) as failed:
        async with sm.begin() as sess:
            await hot_path.inbox_item(sess, 1)
    assert failed.value.connection_invalidated
    async with sm.begin() as sess:
        assert await hot_path.inbox_item(sess, 1) is None
    assert await _backend_pid(engine) != first
