"""The reach page in a real browser, on a 360-px phone and a desktop screen: the funnel per
channel is readable without sideways scrolling, Telegram shows no reads and says why."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.app import build_app
from bot.console import accounts
from bot.core.services import Services
from bot.keys import services_key, sessionmaker_key
from bot.settings import Settings
from tests.browser.console_login import DESKTOP, PHONE, sign_in
from tests.console.helpers import PASSWORD, T0, UNIT, Clock
from tests.console.test_console_reach import add_target, seed

pytestmark = pytest.mark.browser


async def _app(aiohttp_server: Any, settings: Settings, services: Services) -> tuple[str, int]:
    app = build_app(
        settings,
        services=dataclasses.replace(services, settings=settings, clock=Clock(T0)),
        environ={},
    )
    server = await aiohttp_server(app, host="127.0.0.1")

    class Client:  # what seed() needs of a test client
        app = server.app

    cid = await seed(Client())
    await add_target(Client())
    async with server.app[sessionmaker_key].begin() as sess:
        await accounts.create_user(
            sess, username="cb.mai", password=PASSWORD, role="staff", units=[UNIT],
            known_units=server.app[services_key].units, now=T0,
        )  # fmt: skip
    return str(server.make_url("/console/")), cid


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_funnel_page_on_phone_and_desktop(
    browser: Any,
    aiohttp_server: Any,
    settings: Settings,
    services: Services,
    viewport: dict[str, int],
) -> None:
    base, cid = await _app(aiohttp_server, settings, services)
    page = await sign_in(browser, base + "login", "cb.mai", viewport=viewport)
    await page.click("nav.menu >> text=Chiến dịch")
    await page.click(f"text=#{cid}")
    await page.click("text=Xem hiệu quả")
    await page.wait_for_selector('section[data-channel="zalo"]')
    zalo_read = await page.text_content('section[data-channel="zalo"] li[data-stage="read"] .n')
    assert zalo_read is not None and zalo_read.strip().startswith("1")
    tg_read = await page.text_content('section[data-channel="telegram"] li[data-stage="read"]')
    assert tg_read is not None and "không có" in tg_read
    note = await page.text_content('[data-testid="no-receipts"]')
    assert note is not None and "Telegram" in note
    assert await page.is_visible("text=Tải XLSX")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"page is {width}px wide on a {viewport['width']}px screen"
    if viewport is DESKTOP:  # two cards side by side on a wide screen
        boxes = [
            await page.locator(f'section[data-channel="{ch}"]').bounding_box()
            for ch in ("telegram", "zalo")
        ]
        assert boxes[0] and boxes[1] and boxes[0]["y"] == boxes[1]["y"]
    await page.click("text=So sánh các chiến dịch")
    await page.wait_for_selector(f'tr[data-campaign="{cid}"]')
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    await page.context.close()
