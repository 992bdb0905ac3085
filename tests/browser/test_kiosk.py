"""Kiosk mode of the web chat (lookup computer at the one-stop centre), in a real browser:
large text, the no-diacritics hint, masked phone numbers, and the reset that clears the screen
AND starts a new session, so the next visitor cannot scroll back."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.app import build_app
from bot.core.services import Services
from bot.settings import Settings

pytestmark = pytest.mark.browser
KIOSK = {"width": 1280, "height": 800}
QUESTION = "lam lai can cuoc o dau, sdt 0912 345 678"


async def _open(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services, **kw: Any
) -> tuple[Any, Any]:
    s = dataclasses.replace(settings, **kw)
    app = build_app(s, services=dataclasses.replace(services, settings=s), environ={})
    server = await aiohttp_server(app, host="127.0.0.1")
    context = await browser.new_context(viewport=KIOSK, locale="vi-VN")
    page = await context.new_page()
    await page.goto(str(server.make_url("/chat/?kiosk=1")))
    await page.wait_for_selector(".msg.out")  # the welcome screen
    return context, page


async def _ask(page: Any) -> None:
    await page.fill("#text", QUESTION)
    await page.click("form#composer button[type=submit]")
    await page.wait_for_selector(".msg.in")
    await page.wait_for_function("document.querySelectorAll('.msg.out').length >= 2")


async def _sid(context: Any) -> str:
    return next(c["value"] for c in await context.cookies() if c["name"] == "loaxa_chat")


async def test_kiosk_resets_by_itself_after_inactivity(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    context, page = await _open(browser, aiohttp_server, settings, services, kiosk_idle_seconds=6)
    size = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 22  # large text for elderly visitors
    hint = await page.text_content(".hint")
    assert hint is not None and "không dấu" in hint
    await _ask(page)
    echoed = await page.text_content(".msg.in")
    assert echoed is not None and "0912 345 678" not in echoed and "78" in echoed  # masked
    first = await _sid(context)

    # Less than 15 s to go: the countdown is shown, then the screen is cleared.
    await page.wait_for_selector("#countdown:not([hidden])")
    assert "Chạm vào màn hình" in (await page.text_content("#countdown") or "")
    await page.wait_for_function(
        "document.querySelectorAll('.msg.in').length === 0 && "
        "document.querySelectorAll('.msg.out').length === 1",
        timeout=30_000,
    )
    assert QUESTION[:10] not in await page.text_content("#log")  # type: ignore[operator]
    assert await _sid(context) != first  # a new session, not only a cleared screen

    # Reloading (or scrolling back) shows nothing of the previous visitor.
    await page.reload()
    await page.wait_for_selector(".msg.out")
    assert await page.locator(".msg.in").count() == 0
    assert "lam lai can cuoc" not in (await page.text_content("#log") or "")
    await context.close()


async def test_kiosk_done_button_clears_the_screen_at_once(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    context, page = await _open(browser, aiohttp_server, settings, services, web_chat_kiosk=True)
    assert await page.is_hidden("#countdown")  # 2 minutes by default: no countdown yet
    await _ask(page)
    first = await _sid(context)
    await page.click("#restart")
    await page.wait_for_function(
        "document.querySelectorAll('.msg.in').length === 0 && "
        "document.querySelectorAll('.msg.out').length === 1"
    )
    assert await _sid(context) != first
    await context.close()
