"""Which unit the web chat serves: /chat/{unit}/ chooses it, /chat/ is DEFAULT_UNIT or a list,
an unknown unit gets a polite list (404); the page names its unit and caps messages like the
server."""

from __future__ import annotations

import dataclasses
import re

from bs4 import BeautifulSoup

from bot.app import build_app
from bot.web.chat import MAX_TEXT


async def test_unit_page_names_its_unit_and_caps_the_textarea(
    settings, services, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    resp = await c.get("/chat/phuong-phuoc-tan/")
    soup = BeautifulSoup(await resp.text(), "html.parser")
    assert resp.status == 200
    assert soup.body["data-unit"] == "phuong-phuoc-tan"
    assert soup.select_one("#unit-name").get_text() == services.units["phuong-phuoc-tan"].name
    assert soup.select_one("textarea")["maxlength"] == str(MAX_TEXT) == "4000"
    assert soup.select_one("a.switch")["href"] == "/chat/"  # several units: a way to change


async def test_unit_without_trailing_slash_redirects(settings, services, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    resp = await c.get("/chat/xa-binh-minh?kiosk=1", allow_redirects=False)
    assert resp.status == 302
    assert resp.headers["Location"] == "/chat/xa-binh-minh/?kiosk=1"


async def test_chat_root_serves_default_unit(settings, services, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    assert settings.default_unit == "xa-binh-minh"
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    soup = BeautifulSoup(await (await c.get("/chat/")).text(), "html.parser")
    assert soup.body["data-unit"] == "xa-binh-minh"


async def test_chat_root_without_default_unit_lists_the_units(
    settings, services, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    plain = dataclasses.replace(settings, default_unit="")
    services.settings = plain
    c = await aiohttp_client(build_app(plain, services=services, environ={}))
    resp = await c.get("/chat/?kiosk=1")
    html = await resp.text()
    assert resp.status == 200 and "loaxa_chat" not in resp.cookies
    links = [a["href"] for a in BeautifulSoup(html, "html.parser").select(".units a")]
    assert "/chat/xa-binh-minh/?kiosk=1" in links and "/chat/phuong-phuoc-tan/?kiosk=1" in links


async def test_unknown_unit_is_a_polite_404_with_the_units(
    settings, services, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    resp = await c.get("/chat/xa-khong-co/")
    html = await resp.text()
    assert resp.status == 404
    assert "Không có đơn vị «xa-khong-co»" in html
    assert re.search(r'href="/chat/xa-binh-minh/"', html)
    script = await c.get("/chat/%3Cscript%3E/")
    assert script.status == 404 and "<script>" not in await script.text()
