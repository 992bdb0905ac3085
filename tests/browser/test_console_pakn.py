"""A staff member on a phone: finds an overdue PAKN, answers it (the citizen gets the answer on
the fake Telegram server), closes it, and downloads the register as XLSX."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.app import build_app
from bot.console import accounts
from bot.core.services import Services
from bot.db.models_pakn import Pakn
from bot.keys import services_key, sessionmaker_key
from bot.settings import REPO_ROOT, Settings
from tests.browser.console_login import sign_in
from tests.reports.helpers import submit

pytestmark = pytest.mark.browser

UNIT = "xa-binh-minh"
PASSWORD = "mat-khau-rat-dai-1"
CITIZEN = 9001
SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "console-queue.png"
PHONE = {"width": 360, "height": 740}
ANSWER = "Xã đã cử cán bộ sửa đèn đường ở ấp 3 sáng nay. Cảm ơn ông/bà đã phản ánh."


async def _serve(aiohttp_server: Any, settings: Settings, services: Services, fake: Any) -> Any:
    tg_settings = dataclasses.replace(
        settings,
        telegram_bot_token=fake.token,
        telegram_api_url=fake.base_url,
        telegram_webhook_secret="s" * 24,
        web_chat="on",
    )
    app = build_app(
        tg_settings, services=dataclasses.replace(services, settings=tg_settings), environ={}
    )
    return await aiohttp_server(app, host="127.0.0.1")


async def _seed(app: Any) -> tuple[Pakn, Pakn]:
    services = app[services_key]
    now = services.clock()
    async with app[sessionmaker_key].begin() as sess:
        await accounts.create_user(
            sess,
            username="lan",
            password=PASSWORD,
            role="staff",
            units=[UNIT],
            known_units=services.units,
            now=now,
            display_name="Nguyễn Thị Lan",
        )
        late = await submit(
            sess,
            services,
            when=now - dt.timedelta(days=30),
            channel="telegram",
            external_id=str(CITIZEN),
            area="Ấp 3",
        )
        fresh = await submit(
            sess,
            services,
            when=now - dt.timedelta(hours=2),
            external_id="web-2",
            content="Đề nghị xã công bố lịch thu gom rác mới của ấp 5.",
            name="Trần Thị Cúc",
            category="gop_y_sang_kien",
        )
    return late, fresh


async def _no_horizontal_scroll(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


async def _citizen_got(fake: Any, text: str) -> bool:
    for _ in range(50):  # delivery runs right after the commit; allow the fake to record it
        if any(text in (m.get("text") or "") for m in fake.sent(CITIZEN)):
            return True
        await asyncio.sleep(0.1)
    return False


async def test_overdue_pakn_answered_closed_and_register_downloaded(
    browser: Any,
    aiohttp_server: Any,
    settings: Settings,
    services: Services,
    fake_telegram: Any,
    tmp_path: Path,
) -> None:
    server = await _serve(aiohttp_server, settings, services, fake_telegram)
    late, fresh = await _seed(server.app)
    base = str(server.make_url("/console/"))
    page = await sign_in(
        browser, base + "pakn/", landing=r"/console/pakn/$", accept_downloads=True
    )

    # The queue on a phone: cards, the overdue one first and marked.
    cards = page.locator("table.queue tbody tr")
    assert await cards.count() == 2
    first = cards.nth(0)
    assert "due-overdue" in (await first.get_attribute("class") or "")
    assert await first.locator("a.code").text_content() == late.code
    assert await first.locator(".badge.overdue").text_content() == "Quá hạn"
    assert await cards.nth(1).locator("a.code").text_content() == fresh.code
    assert (
        await page.evaluate("getComputedStyle(document.querySelector('table.queue tr')).display")
        == "block"
    )  # cards, not a table, at 360 px
    await _no_horizontal_scroll(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size < 400_000

    # Open it, receive it, answer it.
    await first.locator("a.code").click()
    await page.wait_for_url(re.compile(rf"/console/pakn/{late.id}$"))
    assert await page.text_content("h1") == late.code
    assert "0912 345 678" in await page.content()
    await page.click("text=Tiếp nhận, vào sổ")
    await page.wait_for_url(re.compile(r"\?ok=state$"))
    await page.fill("#reply", ANSWER)
    await page.click("text=Gửi câu trả lời")
    await page.wait_for_url(re.compile(r"\?ok=reply$"))
    assert "Đã gửi câu trả lời cho người dân." in (await page.text_content("p.ok") or "")
    await _no_horizontal_scroll(page)
    assert await _citizen_got(fake_telegram, ANSWER), fake_telegram.sent(CITIZEN)

    # Close it.
    await page.click("text=Kết thúc")
    await page.wait_for_url(re.compile(r"\?ok=state$"))
    assert await page.text_content(".badge.state") == "Đã kết thúc"
    async with server.app[sessionmaker_key]() as sess:
        row = await sess.get(Pakn, late.id)
        assert row is not None and row.state == "closed" and row.answer == ANSWER

    # The register of the year it was received, as XLSX.
    year = late.received_at.astimezone(ZoneInfo(settings.timezone)).year
    await page.goto(base + "reports/")
    await page.check("input[name=kind][value=pakn]")
    await page.select_option("#type", "year")
    await page.select_option("#year", str(year))
    async with page.expect_download() as info:
        await page.click("button[value=xlsx]")
    download = await info.value
    assert download.suggested_filename == f"so-theo-doi-pakn_{UNIT}_{year}.xlsx"
    target = tmp_path / download.suggested_filename
    await download.save_as(str(target))
    ws = openpyxl.load_workbook(target).active
    rows = {r[1]: r for r in ws.iter_rows(min_row=6, values_only=True) if r[1]}
    assert rows[late.code][7] == "Đã kết thúc" and rows[late.code][10] == "Trễ hạn"
    assert rows[late.code][6] == "Ấp 3"
    await page.context.close()
