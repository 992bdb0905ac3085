"""Backup and restore round trip on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from bot.db import queries
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import Contact
from bot.ops import backup, restore

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


async def _contacts(url: str) -> int:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as sess:
            return int(
                (await sess.execute(select(func.count()).select_from(Contact))).scalar_one()
            )
    finally:
        await engine.dispose()


async def test_backup_then_restore_brings_back_the_data(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    await migrate(engine)
    sm = make_sessionmaker(engine)
    async with sm.begin() as sess:
        await queries.get_or_create_contact(
            sess, unit="u", channel="web", external_id="a", now=NOW
        )
    sync_url = db_url.replace("+aiosqlite", "").replace("+asyncpg", "")
    file = backup(sync_url, tmp_path / "backups", now=NOW)
    assert file.exists() and file.stat().st_size > 0
    async with sm.begin() as sess:  # changes after the backup …
        await queries.get_or_create_contact(
            sess, unit="u", channel="web", external_id="b", now=NOW
        )
    await engine.dispose()
    assert await _contacts(db_url) == 2
    restore(sync_url, file)  # … are gone after the restore
    assert await _contacts(db_url) == 1
