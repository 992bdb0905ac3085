"""/console/faq/freshness: entries not checked for six months, dated facts that end, and links
that no longer answer (a real HTTP check against a local server)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from aiohttp import web

from tests.console.helpers import csrf, signed_in, soup


async def test_stale_entries_and_ending_facts_are_listed(client: Any, clock: Any) -> None:
    clock.now = dt.datetime(2027, 2, 10, 3, tzinfo=dt.UTC)  # < 6 months after the checks
    await signed_in(client, "lan", "staff")
    page = soup(await (await client.get("/console/faq/freshness")).text())
    dated = page.find(id="dated").find_next("table").get_text()
    assert "Từ 15/8/2026 đến 28/02/2027" in dated and "còn 18 ngày" in dated
    assert "Không có: mọi mục" in page.find(id="stale").find_next("table").get_text()

    clock.now = dt.datetime(2027, 9, 1, 3, tzinfo=dt.UTC)
    await signed_in(client, "lan2", "staff")  # the first session has long expired
    page = soup(await (await client.get("/console/faq/freshness")).text())
    assert "đã hết hạn" in page.find(id="dated").find_next("table").get_text()
    stale = page.find(id="stale").find_next("table")
    assert "Đăng ký thường trú" in stale.get_text() and len(stale.select("tbody tr")) > 50


async def test_check_links_finds_the_dead_ones(
    client: Any, aiohttp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def gone(request: web.Request) -> web.Response:
        return web.Response(status=404)

    site = web.Application()
    site.router.add_get("/ok", ok)
    site.router.add_get("/gone", gone)
    server = await aiohttp_server(site)
    urls = [str(server.make_url("/ok")), str(server.make_url("/gone")), "http://127.0.0.1:9/x"]
    monkeypatch.setattr("bot.console.views_freshness.urls_to_check", lambda request: urls)

    await signed_in(client, "lan", "staff")
    page = soup(await (await client.get("/console/faq/freshness")).text())
    assert "Chưa kiểm tra" in page.find(id="links-status").get_text()
    token = await csrf(client, "/console/faq/freshness")
    resp = await client.post(
        "/console/faq/freshness/links", data={"_csrf": token}, allow_redirects=False
    )
    assert resp.status == 303
    for _ in range(100):  # the check runs in the background; the page says when it is done
        page = soup(await (await client.get("/console/faq/freshness")).text())
        if "Đang kiểm tra" not in page.find(id="links-status").get_text():
            break
        await asyncio.sleep(0.1)
    status = page.find(id="links-status").get_text()
    assert "3 đường dẫn, 2 không mở được" in status
    table = page.find(id="links-status").find_next("table").get_text()
    assert "/gone" in table and "Lỗi 404" in table and "Không phản hồi" in table
    assert "/ok" not in table


async def test_volunteers_cannot_see_it(client: Any) -> None:
    await signed_in(client, "vy", "volunteer")
    resp = await client.get("/console/faq/freshness", allow_redirects=False)
    assert resp.status == 403
