"""Places and categories, phone and desktop: a unit admin fills the ấp/khu phố list; a citizen
uses it in the web chat's PAKN form and shares the browser's location; staff see the place on
the petition page (an OpenStreetMap link), re-categorise it, and the report counts it so."""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_app
from bot.console import accounts
from bot.core.services import Services
from bot.db.models_pakn import Pakn
from bot.keys import services_key, sessionmaker_key
from bot.settings import Settings
from tests.browser.console_login import DESKTOP, PHONE, sign_in
from tests.console.helpers import PASSWORD

pytestmark = pytest.mark.browser

UNIT = "xa-binh-minh"
HERE = {"latitude": 10.9574, "longitude": 106.8426, "accuracy": 15}


async def _press(page: Any, label: str) -> None:
    before = await page.locator(".msg.out").count()
    await page.locator(".msg.out").last.get_by_role("button", name=label).first.click()
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")


async def _say(page: Any, text: str) -> None:
    before = await page.locator(".msg.out").count()
    await page.fill("#text", text)
    await page.click("form#composer button[type=submit]")
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")


async def _no_horizontal_scroll(page: Any, viewport: dict[str, int]) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"page is {width}px wide on a {viewport['width']}px screen"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_areas_location_and_recategorised_petition(
    browser: Any,
    aiohttp_server: Any,
    settings: Settings,
    services: Services,
    viewport: dict[str, int],
) -> None:
    app = build_app(
        settings, services=dataclasses.replace(services, settings=settings), environ={}
    )
    server = await aiohttp_server(app, host="127.0.0.1")
    async with server.app[sessionmaker_key].begin() as sess:
        await accounts.create_user(
            sess,
            username="chu",
            password=PASSWORD,
            role="admin",
            units=[UNIT],
            known_units=server.app[services_key].units,
            now=server.app[services_key].clock(),
            display_name="Lê Văn Chủ",
        )
    base = str(server.make_url("/console/"))

    # 1. The unit admin fills the ấp/khu phố list.
    staff = await sign_in(browser, base, "chu", viewport=viewport)
    await staff.click("nav.menu >> text=Ấp/khu phố")
    await staff.wait_for_url(re.compile(rf"/console/areas/{UNIT}$"))
    await staff.fill("#areas", "Ấp 1\nẤp 2\nKhu phố Bình Lợi")
    await staff.click("text=Lưu danh sách")
    await staff.wait_for_url(re.compile(r"\?ok=1$"))
    assert "Đã lưu" in (await staff.text_content("p.ok") or "")
    await _no_horizontal_scroll(staff, viewport)

    # 2. A citizen sends a petition from the web chat, with the area and the phone's location.
    citizen_ctx = await browser.new_context(
        viewport=viewport, locale="vi-VN", geolocation=HERE, permissions=["geolocation"]
    )
    chat = await citizen_ctx.new_page()
    await chat.goto(str(server.make_url(f"/chat/{UNIT}/")))
    await chat.wait_for_selector(".msg.out")
    await _say(chat, "gửi phản ánh")
    await _press(chat, "Hạ tầng – giao thông – chiếu sáng")
    await _say(chat, "Đèn đường trước nhà văn hoá ấp 2 bị hỏng cả tuần nay, tối rất tối.")
    await _press(chat, "Gửi vị trí của tôi")
    assert "Đã nhận vị trí" in (await chat.locator(".msg.out").last.inner_text())
    await _press(chat, "Xong")
    await _press(chat, "Ấp 2")
    await _say(chat, "Nguyễn Văn An")
    await _say(chat, "0912 345 678")
    confirm = await chat.locator(".msg.out").last.inner_text()
    assert "Khu vực: Ấp 2" in confirm and "Vị trí: đã gửi kèm" in confirm
    await _press(chat, "Gửi")
    assert "Mã phản ánh" in (await chat.locator(".msg.out").last.inner_text())
    await citizen_ctx.close()
    async with server.app[sessionmaker_key]() as sess:
        from sqlalchemy import select

        pakn = (await sess.execute(select(Pakn))).scalars().one()
    assert pakn.area == "Ấp 2" and pakn.latitude == pytest.approx(10.9574)

    # 3. Staff open it: the place links to OpenStreetMap; they re-categorise it.
    await staff.goto(base + f"pakn/{pakn.id}")
    link = staff.locator("dd.place a")
    assert (await link.get_attribute("href") or "").startswith(
        "https://www.openstreetmap.org/?mlat=10.957400&mlon=106.842600"
    )
    assert await link.is_visible()
    assert "Ấp 2" in (await staff.text_content("dl.facts") or "")
    exchanges = await staff.text_content("#exchanges") or ""
    assert "Nguyễn Văn An" in exchanges and "Hạ tầng – giao thông – chiếu sáng" in exchanges
    assert "pakn:" not in exchanges  # buttons pressed show as their labels
    await staff.select_option("#category", "trat_tu")
    await staff.click("text=Đổi lĩnh vực")
    await staff.wait_for_url(re.compile(r"\?ok=category$"))
    assert "Trật tự – tiếng ồn" in (await staff.text_content("dl.facts") or "")
    await _no_horizontal_scroll(staff, viewport)

    # 4. The month's report counts it under its new category.
    local = pakn.received_at.astimezone(ZoneInfo(settings.timezone))
    await staff.goto(
        base + f"reports/?unit={UNIT}&type=month&year={local.year}&month={local.month}"
    )
    cells = await staff.locator("section.card td").all_inner_texts()
    label = "Tiếp nhận – lĩnh vực “Trật tự – tiếng ồn”"
    assert label in cells and cells[cells.index(label) + 1] == "1"
    assert "Tiếp nhận – lĩnh vực “Hạ tầng – giao thông – chiếu sáng”" not in cells
    await staff.context.close()
