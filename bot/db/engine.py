"""Engine creation (SQLite WAL by default, PostgreSQL by URL) and migrations at start."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bot.db import liveness, sqlite_driver
from bot.db.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    parsed = make_url(url)
    # Statement parameters are citizens' messages, names and phone numbers: errors (and so
    # tracebacks in the logs) show the SQL without them.
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Writers wait for each other instead of failing at once. The hot path's statements run
        # on the event loop's thread, the others on aiosqlite's (sqlite_driver.py).
        kwargs["connect_args"] = {
            "timeout": sqlite_driver.BUSY_TIMEOUT_MS / 1000,
            "check_same_thread": False,
        }
        if parsed.get_driver_name() == "aiosqlite" and sqlite_driver.available():
            kwargs["module"] = sqlite_driver.dbapi()  # one thread hop per statement
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        liveness.ping_after_idle(engine)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints run on aiosqlite's thread every sqlite_driver.CHECKPOINT_EVERY commits, not in
    # whichever COMMIT crosses 1,000 pages (that one may run on the event loop).
    cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={sqlite_driver.BUSY_TIMEOUT_MS}")
    cur.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


async def schema_is_current(engine: AsyncEngine) -> bool:
    """Whether the database is at the newest migration (read without loading Alembic)."""
    try:
        async with engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    except DBAPIError:  # no such table: a new database
        return False
    return [row[0] for row in versions] == [HEAD]


async def migrate(engine: AsyncEngine, revision: str = "heads") -> None:
    """Bring the schema to `revision` (applied at every start; a no-op when current).

    A process whose database is already current does not import Alembic at all: it would stay
    in memory (~11 MB) for nothing.
    """
    if revision == "heads" and await schema_is_current(engine):
        return
    from alembic import command

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as conn:
        await conn.run_sync(upgrade)
