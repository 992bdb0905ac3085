"""Zalo OA tokens: refresh ahead of expiry, the cross-process race, failures and backoff."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.channels import zalo_runtime
from bot.channels.zalo_api import ZaloError, ZaloOAClient
from bot.channels.zalo_tokens import TokenManager, TokenUnavailable
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import Message
from bot.db.models_zalo import ZaloToken
from bot.keys import pipeline_key, sessionmaker_key, zalo_channels_key
from tests.conversations.drivers_zalo import zalo_settings

UNIT = "xa-binh-minh"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def engines(db_url: str) -> AsyncIterator[list[Any]]:
    """Two independent engines (as two processes would have) on one migrated database."""
    first = make_engine(db_url)
    await migrate(first)
    second = make_engine(db_url)
    yield [first, second]
    await first.dispose()
    await second.dispose()


@pytest.fixture
async def client(fake_zalo) -> AsyncIterator[ZaloOAClient]:  # type: ignore[no-untyped-def]
    oa_client = ZaloOAClient(fake_zalo.oa.base_url, fake_zalo.oa.base_url)
    yield oa_client
    await oa_client.close()


def _manager(
    engine: Any, oa_client: ZaloOAClient, fake: Any, clock: Clock, **kw: Any
) -> TokenManager:
    refresher = partial(oa_client.refresh, fake.app_id, fake.app_secret_key)
    return TokenManager(make_sessionmaker(engine), UNIT, refresher, clock=clock, **kw)


async def _stored(engine: Any) -> ZaloToken:
    async with make_sessionmaker(engine)() as sess:
        row = (await sess.execute(select(ZaloToken))).scalar_one()
        return row


async def test_token_is_refreshed_ahead_of_expiry(engines, client, fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake, clock = fake_zalo.oa, Clock()
    manager = _manager(engines[0], client, fake, clock)
    access, refresh = fake.initial_access_token, fake.initial_refresh_token
    assert await manager.seed(access, refresh)
    assert not await manager.seed("other", "other")  # the database wins over the environment
    async with make_sessionmaker(engines[0]).begin() as sess:
        row = await sess.get(ZaloToken, UNIT)
        row.expires_at = clock.now + dt.timedelta(hours=3)
    assert await manager.access_token() == access
    assert fake.refresh_calls == 0
    clock.now += dt.timedelta(hours=2, minutes=30)  # 30 min left: inside the 1 h margin
    new = await manager.access_token()
    assert new != access and fake.refresh_calls == 1
    row = await _stored(engines[0])
    assert (row.access_token, row.version) == (new, 2)
    assert row.refresh_token != refresh and refresh in fake.used_refresh_tokens
    assert row.expires_at == clock.now + dt.timedelta(seconds=90000)
    assert manager.state == "ok"


async def test_refresh_token_is_single_use_at_the_fake(client, fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake = fake_zalo.oa
    pair = await client.refresh(fake.app_id, fake.app_secret_key, fake.initial_refresh_token)
    assert pair.access_token in fake.access_tokens
    with pytest.raises(ZaloError) as err:
        await client.refresh(fake.app_id, fake.app_secret_key, fake.initial_refresh_token)
    assert err.value.code == -14014


async def test_two_workers_refreshing_at_once_call_zalo_once(engines, client, fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake, clock = fake_zalo.oa, Clock()
    fake.refresh_delay = 0.3  # the winner is still inside Zalo while the other one arrives
    first = _manager(engines[0], client, fake, clock)
    second = _manager(engines[1], client, fake, clock)
    await first.seed("", fake.initial_refresh_token)  # no access token: refresh due now
    tokens = await asyncio.gather(first.access_token(), second.access_token())
    assert fake.refresh_calls == 1
    assert first.refresh_calls + second.refresh_calls == 1
    assert tokens[0] == tokens[1] and tokens[0] in fake.access_tokens
    row = await _stored(engines[1])
    assert row.version == 2 and row.lease_owner is None
    assert row.refresh_token in fake.refresh_tokens  # the stored one is the unused new one


async def test_failed_refresh_backs_off_and_alerts_once(engines, client, fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake, clock = fake_zalo.oa, Clock()
    alerts: list[str] = []

    async def alert(text: str) -> None:
        alerts.append(text)

    manager = _manager(engines[0], client, fake, clock, alert=alert)
    await manager.seed("", fake.initial_refresh_token)
    fake.fail_refresh(error=-14014, times=2)
    with pytest.raises(TokenUnavailable) as err:
        await manager.access_token()
    assert err.value.retry_after >= 30
    assert fake.refresh_calls == 1 and manager.state == "error" and len(alerts) == 1
    for _ in range(5):  # the loop and every send ask again: no new call during the backoff
        await manager.refresh_if_due()
    other = _manager(engines[1], client, fake, clock)  # nor from another process
    await other.refresh_if_due()
    assert fake.refresh_calls == 1
    row = await _stored(engines[0])
    assert row.failures == 1 and row.next_attempt_at == clock.now + dt.timedelta(seconds=30)
    clock.now += dt.timedelta(seconds=31)
    await manager.refresh_if_due()
    assert fake.refresh_calls == 2 and len(alerts) == 1  # one alert per failure streak
    assert (await _stored(engines[0])).next_attempt_at == clock.now + dt.timedelta(seconds=60)
    clock.now += dt.timedelta(seconds=61)
    assert await manager.access_token() in fake.access_tokens
    assert manager.state == "ok" and (await _stored(engines[0])).failures == 0


@pytest.fixture
async def app_with_failing_refresh(settings, services, aiohttp_client, fake_zalo):  # type: ignore[no-untyped-def]
    zs = zalo_settings(settings, fake_zalo, zalo_access_token="")  # must refresh before sending
    services.settings = zs
    fake_zalo.oa.fail_refresh(error=-14014, times=100)
    return await aiohttp_client(build_app(zs, services=services, environ={})), fake_zalo.oa


async def test_refresh_failure_keeps_replies_queued_without_a_crash_loop(
    app_with_failing_refresh,
) -> None:  # type: ignore[no-untyped-def]
    client, fake = app_with_failing_refresh
    url = str(client.make_url(f"/webhooks/zalo/{UNIT}"))
    assert await fake.push_event(url, fake.text_event("u1", "menu")) == 200
    pipeline = client.app[pipeline_key]
    await pipeline.process_pending()
    async with client.app[sessionmaker_key]() as sess:
        row = (await sess.execute(select(Message).where(Message.direction == "out"))).scalar_one()
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at is not None
    assert fake.sent() == []
    channel = pipeline.channels.get(UNIT, "zalo")
    assert channel.state == "error" and len(channel.alerts) == 1
    assert fake.refresh_calls == 1
    health = await (await client.get("/healthz")).json()
    assert health["channels"][UNIT]["zalo"]["state"] == "error"
    # The background refresh loop keeps running and does not hammer Zalo while backing off.
    loop = asyncio.create_task(zalo_runtime.refresh_loop(client.app[zalo_channels_key], 0.001))
    for _ in range(20):
        await asyncio.sleep(0.005)
    assert not loop.done()
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop
    assert fake.refresh_calls == 1
