"""Reach against the fakes, over HTTP: a campaign sent through the Zalo OA fake, the fake's
seen event and clicks on the /r/ link show in the funnel; the redirect refuses unknown
tokens, redirects only to the stored target and leaks nothing into the log."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.campaigns import reach
from bot.campaigns import subscriptions as subs
from bot.campaigns.service import CampaignService
from bot.campaigns.topics import load_catalog
from bot.campaigns.worker import CampaignWorker
from bot.db import queries
from bot.keys import channels_key, pipeline_key, sessionmaker_key
from bot.observability import QUIET_LOGGERS, AccessLog
from tests.campaigns.conftest import DAY, UNIT, Clock, add_contact, approved_campaign
from tests.conversations.drivers_zalo import zalo_settings

USER = "2468458835296197922"
PUBLIC = "https://loaxa.example"
SHORT = re.compile(re.escape(PUBLIC) + r"/r/([A-Za-z0-9_-]+)")
TEMPLATE = "Nộp hồ sơ khai sinh trực tuyến tại https://dichvucong.gov.vn/khai-sinh."


@pytest.fixture
async def sent(settings, services, aiohttp_client, fake_zalo, monkeypatch, caplog):  # type: ignore[no-untyped-def]
    """The app with the Zalo OA fake; one follower who wrote today got one campaign."""
    caplog.set_level(logging.INFO, logger="aiohttp.access")  # before the server starts
    clock = Clock(DAY)
    monkeypatch.setattr(services, "clock", clock)
    fake_zalo.oa.clock = lambda: clock.now.timestamp()
    zs = zalo_settings(settings, fake_zalo, public_url=PUBLIC)
    services.settings = zs
    server = TestServer(build_app(zs, services=services, environ={}))
    await server.start_server(access_log_class=AccessLog)  # as `loaxa run` serves it
    client = await aiohttp_client(server)
    url = str(client.make_url(f"/webhooks/zalo/{UNIT}"))
    assert await fake_zalo.oa.push_event(url, fake_zalo.oa.text_event(USER, "xin chào")) == 200
    await client.app[pipeline_key].process_pending()
    sm = client.app[sessionmaker_key]
    async with sm.begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="zalo", external_id=USER, now=DAY
        )
        await subs.subscribe(sess, contact, subs.TOPIC, "thu_tuc_moi", DAY)
    catalog = load_catalog(zs.content_dir, set(services.units))
    service = CampaignService(services.units, services.messages, catalog, clock)
    cid = await approved_campaign(sm, service, template=TEMPLATE)
    worker = CampaignWorker(sm, client.app[channels_key], service, zs)
    await worker.run_once()
    [message] = fake_zalo.oa.sent(USER)[-1:]
    return client, fake_zalo.oa, cid, message


async def _funnel(client: Any, cid: int) -> dict[str, reach.Funnel]:
    async with client.app[sessionmaker_key]() as sess:
        return {f.channel: f for f in await reach.funnel(sess, cid)}


async def test_reads_and_clicks_appear_in_the_funnel(sent) -> None:  # type: ignore[no-untyped-def]
    client, oa, cid, message = sent
    text = message["text"]
    assert "dichvucong.gov.vn" not in text  # the link went through /r/
    token = SHORT.search(text).group(1)  # type: ignore[union-attr]
    before = await _funnel(client, cid)
    assert (before["zalo"].sent, before["zalo"].read, before["zalo"].clicks) == (1, 0, 0)

    url = str(client.make_url(f"/webhooks/zalo/{UNIT}"))
    assert await oa.push_event(url, oa.seen_delivered(USER)) == 200
    assert await oa.push_event(url, oa.seen_delivered(USER)) == 200  # seen twice: read once
    for agent in ("Zalo/1 iPhone", "Zalo/1 iPhone", "Mozilla/5.0 Android"):
        resp = await client.get(
            f"/r/{token}", allow_redirects=False, headers={"User-Agent": agent}
        )
        assert resp.status == 302
        assert resp.headers["Location"] == "https://dichvucong.gov.vn/khai-sinh"
        assert resp.headers["Referrer-Policy"] == "no-referrer"
    # A link preview fetched by an app's robot, or a HEAD, is redirected but not a click.
    robot = {"User-Agent": "TelegramBot (like TwitterBot)"}
    assert (await client.get(f"/r/{token}", allow_redirects=False, headers=robot)).status == 302
    assert (await client.head(f"/r/{token}", allow_redirects=False)).status == 302
    after = (await _funnel(client, cid))["zalo"]
    assert (after.queued, after.sent, after.read, after.clicks) == (1, 1, 1, 2)


async def test_redirect_refuses_unknown_tokens_and_leaks_nothing(sent, caplog) -> None:  # type: ignore[no-untyped-def]
    client, _oa, cid, message = sent
    token = SHORT.search(message["text"]).group(1)  # type: ignore[union-attr]
    for name, level in QUIET_LOGGERS.items():  # as configure_logging sets them in production
        caplog.set_level(level, logger=name)
    caplog.set_level(logging.DEBUG)  # last: it sets the capturing handler's level too
    for path in (
        "/r/AAAAAAAAAAAAAAAAAAAAAA",  # well formed, not stored
        "/r/x",
        "/r/https:%2F%2Fevil.example",
        "/r/?url=https://evil.example",
        f"/r/{token}x",
    ):
        resp = await client.get(path, allow_redirects=False)
        assert resp.status == 404, path
        assert "Location" not in resp.headers
    resp = await client.get("/r/AAAAAAAAAAAAAAAAAAAAAA")
    assert resp.content_type == "text/html"
    assert "Không tìm thấy liên kết" in await resp.text()
    # A destination in the query is ignored: only the stored target is ever a redirect.
    resp = await client.get(
        f"/r/{token}", params={"url": "https://evil.example", "next": "//evil.example"},
        allow_redirects=False,
    )  # fmt: skip
    assert resp.headers["Location"] == "https://dichvucong.gov.vn/khai-sinh"
    lines = [r.getMessage() for r in caplog.records]
    assert not [line for line in lines if token in line or USER in line]
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    short = [line for line in access if '"GET /r/' in line]
    assert any('"GET /r/…" 302' in line for line in short), access
    assert all(line.startswith('- "GET /r/…"') for line in short)  # no client address
    # The URL the citizen received names nobody: the same token for every recipient.
    assert USER not in message["text"].split("/r/")[1]
    assert (await _funnel(client, cid))["zalo"].clicks == 1


async def test_redirect_is_rate_limited_per_address(sent) -> None:  # type: ignore[no-untyped-def]
    client, *_ = sent
    statuses = [(await client.get("/r/AAAAAAAAAAAAAAAAAAAAAA")).status for _ in range(61)]
    assert statuses[:60] == [404] * 60
    assert statuses[60] == 429


async def test_telegram_funnel_counts_clicks_but_no_reads(
    settings, services, aiohttp_client, fake_telegram
) -> None:  # type: ignore[no-untyped-def]
    """Through the Telegram fake: the link in the message is a /r/ link of the Telegram
    channel; a click counts, and "read" stays empty (Telegram sends no read receipts)."""
    import telegram

    from bot.channels.telegram import TelegramChannel
    from bot.core.pipeline import ChannelRegistry

    clock = Clock(DAY)
    zs = dataclasses.replace(settings, public_url=PUBLIC)
    client = await aiohttp_client(
        build_app(zs, services=dataclasses.replace(services, settings=zs, clock=clock), environ={})
    )
    sm = client.app[sessionmaker_key]
    async with sm.begin() as sess:
        await add_contact(sess, "501")
    catalog = load_catalog(zs.content_dir, set(services.units))
    service = CampaignService(services.units, services.messages, catalog, clock)
    cid = await approved_campaign(sm, service, template=TEMPLATE)
    async with telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot:
        registry = ChannelRegistry()
        registry.add(TelegramChannel(UNIT, bot))
        await CampaignWorker(sm, registry, service, zs).run_once()
    [message] = fake_telegram.sent(501)
    token = SHORT.search(message["text"]).group(1)  # type: ignore[union-attr]
    resp = await client.get(f"/r/{token}", allow_redirects=False)
    assert resp.headers["Location"] == "https://dichvucong.gov.vn/khai-sinh"
    f = (await _funnel(client, cid))["telegram"]
    assert (f.queued, f.sent, f.read, f.clicks) == (1, 1, None, 1)
