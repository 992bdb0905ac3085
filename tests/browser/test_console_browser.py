"""The console in a real browser on a phone-sized screen: sign in, home, throttle, sign out."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from bot.console import accounts
from bot.core.services import Services
from bot.db import queries
from bot.db.models import FaqQuery, Message
from bot.keys import services_key, sessionmaker_key
from bot.settings import REPO_ROOT, Settings
from tests.browser.console_login import fill_login

pytestmark = pytest.mark.browser

UNIT = "xa-binh-minh"
PASSWORD = "mat-khau-rat-dai-1"
SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "console-home.png"
PHONE = {"width": 360, "height": 740}


async def _serve(aiohttp_server: Any, settings: Settings, services: Services) -> Any:
    app = build_app(
        settings, services=dataclasses.replace(services, settings=settings), environ={}
    )
    return await aiohttp_server(app, host="127.0.0.1")


async def _seed(app: Any) -> None:
    now = app[services_key].clock()
    async with app[sessionmaker_key].begin() as sess:
        await accounts.create_user(
            sess,
            username="lan",
            password=PASSWORD,
            role="staff",
            units=[UNIT],
            known_units=app[services_key].units,
            now=now,
            display_name="Nguyễn Thị Lan",
        )
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="web", external_id="browser01", now=now
        )
        for _ in range(7):
            sess.add(
                Message(
                    unit=UNIT,
                    channel="web",
                    contact_id=contact.id,
                    direction="in",
                    text="x",
                    created_at=now,
                )
            )
        for decision in ("answer", "answer", "answer", "clarify", "fallback"):
            sess.add(
                FaqQuery(unit=UNIT, text="q", normalized="q", decision=decision, created_at=now)
            )


async def _no_horizontal_scroll(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


async def test_sign_in_home_throttle_and_sign_out_on_a_phone(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services, tmp_path: Path
) -> None:
    server = await _serve(aiohttp_server, settings, services)
    await _seed(server.app)
    base = str(server.make_url("/console/"))

    staff = await browser.new_context(viewport=PHONE, locale="vi-VN")
    page = await staff.new_page()
    await page.goto(base)
    assert "/console/login" in page.url  # not signed in: the login page
    await fill_login(page, "lan")
    await page.wait_for_url(re.compile(r"/console/$"))
    assert await page.text_content("h1") == "Xin chào, Nguyễn Thị Lan"
    card = page.locator("section.stat")
    assert await card.locator("dd").all_text_contents() == ["7", "5", "1 (20 %)"]
    menu = await page.locator("nav.menu a").all_text_contents()
    assert "Tài khoản" not in menu and "Phản ánh" in menu  # staff, not admin
    await _no_horizontal_scroll(page)
    css = await page.evaluate("getComputedStyle(document.querySelector('button')).display")
    assert css == "block"  # the stylesheet is served by the app (no CDN)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size < 300_000

    # Another browser guesses the password: after 5 failures it must wait before each try.
    guesser = await (await browser.new_context(viewport=PHONE)).new_page()
    await guesser.goto(base + "login")
    for attempt in range(6):
        await guesser.fill("#username", "lan")
        await guesser.fill("#password", f"doan-mo-{attempt}-abcdef")
        await guesser.click("button[type=submit]")
        await guesser.wait_for_selector("p.alert")
    alert = await guesser.text_content("p.alert")
    assert alert is not None and "Vui lòng chờ" in alert and "giây" in alert
    await _no_horizontal_scroll(guesser)

    # The signed-in member is not affected, and signs out with the button (POST + CSRF).
    await page.reload()
    assert await page.text_content("h1") == "Xin chào, Nguyễn Thị Lan"
    await page.click("text=Đăng xuất")
    await page.wait_for_url(re.compile(r"/console/login$"))
    await page.goto(base)
    assert "/console/login" in page.url
    await staff.close()


async def test_first_admin_through_the_setup_link(
    browser: Any,
    aiohttp_server: Any,
    settings: Settings,
    services: Services,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = await _serve(aiohttp_server, settings, services)
    printed = capsys.readouterr().out
    match = re.search(r"/console/setup/([A-Za-z0-9_-]+)", printed)
    assert match, printed
    page = await (await browser.new_context(viewport=PHONE)).new_page()
    await page.goto(str(server.make_url(f"/console/setup/{match.group(1)}")))
    await page.fill("#username", "quantri")
    await page.fill("#display_name", "Trần Văn Quản <b>")
    await page.fill("#password", "mat-khau-quan-tri-1")
    await page.fill("#password2", "mat-khau-quan-tri-1")
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/console/$"))
    assert await page.text_content("h1") == "Xin chào, Trần Văn Quản <b>"
    assert "Tài khoản" in await page.locator("nav.menu a").all_text_contents()
    await _no_horizontal_scroll(page)
