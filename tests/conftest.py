"""Shared fixtures: settings, the app from build_app, database backends (SQLite; PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.services import Services
from bot.settings import REPO_ROOT, Settings

CONTENT_DIR = REPO_ROOT / "content"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        default=os.environ.get("LOAXA_TEST_POSTGRES", ""),
        help="PostgreSQL server URL (postgresql+asyncpg://user@host:port/db) for the storage "
        "suite; a fresh database is created per test and dropped afterwards.",
    )


@pytest.fixture
async def fake_telegram(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """A fake Telegram Bot API server on loopback (tests/fakes/telegram_server.py)."""
    from tests.fakes import FakeTelegram

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture(scope="session")
def services_cached() -> Services:
    """Content is loaded and the FAQ index built once per test session."""
    from bot.app import build_services

    return build_services(Settings(content_dir=CONTENT_DIR, run_workers=False))


def _test_backend() -> str:
    """LOAXA_TEST_BACKEND: `sqlite` (default) or `postgres` (needs LOAXA_TEST_POSTGRES)."""
    backend = os.environ.get("LOAXA_TEST_BACKEND", "sqlite") or "sqlite"
    if backend not in ("sqlite", "postgres"):
        raise pytest.UsageError(f"LOAXA_TEST_BACKEND={backend!r}: expected sqlite or postgres")
    return backend


@pytest.fixture
async def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The app's settings; with LOAXA_TEST_BACKEND=postgres, on an empty PostgreSQL database."""
    database_url = ""
    if _test_backend() == "postgres":
        database_url = await _pg_settings_database(request.config.getoption("--postgres"))
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        content_dir=CONTENT_DIR,
        run_workers=False,
        web_chat="on",
        default_unit="xa-binh-minh",
    )


@pytest.fixture
def services(services_cached: Services, settings: Settings) -> Iterator[Services]:
    services_cached.settings = settings
    # Recent understandings (FaqService.prime) are kept across updates: a test starts
    # without another test's, so that it sees where its own matching ran.
    services_cached.faq._primed.clear()
    yield services_cached


_PG_SHARED: dict[str, str] = {}  # server URL -> the migrated database the `settings` tests share


async def _pg_settings_database(server_url: str) -> str:
    """A database migrated once per session and emptied before each test (TRUNCATE … RESTART
    IDENTITY is much faster than creating and migrating a database per test)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    if server_url not in _PG_SHARED:
        from bot.db.engine import make_engine, migrate

        url = await _create_pg_database(server_url)
        engine = make_engine(url)
        try:
            await migrate(engine)
        finally:
            await engine.dispose()
        _PG_SHARED[server_url] = url
        return url
    url = _PG_SHARED[server_url]
    parsed = make_url(url)
    conn = await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        database=parsed.database,
    )
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"
        )
        names = ", ".join(f'"{row[0]}"' for row in tables)
        await conn.execute("SET lock_timeout = '20s'")
        await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
    return url


def pytest_sessionfinish(session: pytest.Session) -> None:
    import asyncio

    for server, url in _PG_SHARED.items():
        asyncio.run(_drop_pg_database(server, url))
    _PG_SHARED.clear()


async def _on_server(server_url: str, statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) on the server's maintenance database."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def _create_pg_database(server_url: str) -> str:
    from sqlalchemy.engine import make_url

    name = f"loaxa_test_{uuid.uuid4().hex[:12]}"
    await _on_server(server_url, f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop_pg_database(server_url: str, db_url: str) -> None:
    from sqlalchemy.engine import make_url

    name = make_url(db_url).database
    await _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    server = request.config.getoption("--postgres")
    if not server:
        pytest.skip("PostgreSQL not configured (pass --postgres URL or set LOAXA_TEST_POSTGRES)")
    url = await _create_pg_database(server)
    try:
        yield url
    finally:
        await _drop_pg_database(server, url)


def pytest_collection_modifyitems(config: pytest.Config, items: list[Any]) -> None:
    # In CI the PostgreSQL run is required: a skip there would hide a broken backend.
    if os.environ.get("LOAXA_REQUIRE_POSTGRES") and not config.getoption("--postgres"):
        raise pytest.UsageError("LOAXA_REQUIRE_POSTGRES is set but no --postgres URL was given")
    if _test_backend() == "postgres":
        if not config.getoption("--postgres"):
            raise pytest.UsageError("LOAXA_TEST_BACKEND=postgres needs --postgres URL")
        # The storage suite's SQLite variants already ran in the default (SQLite) run.
        keep, dropped = [], []
        for item in items:
            callspec = getattr(item, "callspec", None)
            param = callspec.params.get("db_url") if callspec is not None else None
            (dropped if param == "sqlite" else keep).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep


@pytest.fixture
async def fake_zalo(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """Fake Zalo OA (fake_zalo.oa) and Zalo Bot Platform (fake_zalo.bot) servers on loopback."""
    from tests.fakes.zalo_bot_server import FakeZaloBot, ZaloFakes
    from tests.fakes.zalo_oa_server import FakeZaloOA

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with FakeZaloOA() as oa, FakeZaloBot() as bot:
        yield ZaloFakes(oa, bot)


@pytest.fixture
def matched(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Any], list[tuple[str, bool]]]:
    """matched(pipeline): a list that records each FAQ matching as (text, whether the pipeline's
    write gate was free then), i.e. whether it ran outside any transaction."""

    def watch(pipeline: Any) -> list[tuple[str, bool]]:
        free = pipeline.gate._lock._free
        calls: list[tuple[str, bool]] = []
        real = type(services.faq)._understand

        def spy(self: Any, text: str, unit: str | None, emergency: bool) -> Any:
            calls.append((text, pipeline.gate._lock._free == free))
            return real(self, text, unit, emergency)

        monkeypatch.setattr(type(services.faq), "_understand", spy)
        return calls

    return watch
