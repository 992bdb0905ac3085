"""A citizen on a phone attaches a photo at the PAKN form's photo step in the web chat; the
staff member sees its thumbnail on the petition page and opens the full image."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.core.services import Services
from bot.db.models_pakn import Pakn
from bot.keys import sessionmaker_key
from bot.settings import Settings
from tests.browser.console_login import PHONE, sign_in
from tests.console.helpers import add_user
from tests.media import samples

pytestmark = pytest.mark.browser
UNIT = "xa-binh-minh"
CONTENT = "Cống thoát nước đầu hẻm 12 bị tắc, nước tràn lên đường mỗi khi mưa lớn."


async def _say(page: Any, text: str) -> None:
    before = await page.locator(".msg.out").count()
    await page.fill("#text", text)
    await page.click("form#composer button[type=submit]")
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")


async def test_a_photo_from_the_phone_web_chat_is_seen_in_the_console(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services, tmp_path: Path
) -> None:
    app = build_app(
        settings, services=dataclasses.replace(services, settings=settings), environ={}
    )
    server = await aiohttp_server(app, host="127.0.0.1")
    context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    page = await context.new_page()
    await page.goto(str(server.make_url(f"/chat/{UNIT}/")))
    await page.wait_for_selector(".msg.out")
    assert await page.locator("#photos").is_hidden()  # no photo buttons outside the form
    for text in ("gửi phản ánh", "1", CONTENT):
        await _say(page, text)
    await page.wait_for_selector("#photos:not([hidden])")
    assert await page.locator("#photo-camera").get_attribute("capture") == "environment"
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(samples.photo_with_gps((1600, 1200)))
    await page.fill("#text", "Nước tràn lúc 7 giờ sáng")  # the photo's caption
    before = await page.locator(".msg.out").count()
    await page.set_input_files("#photo-pick", str(photo))
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")
    assert "Đã nhận 1 tệp" in await page.locator(".msg.out").last.inner_text()
    assert "Đã gửi tệp" in await page.locator(".msg.in").last.inner_text()
    for text in ("xong", "Phạm Thị Dung", "0912345678", "gửi"):
        await _say(page, text)
    assert re.search(r"PA-\w{3}-\w{3}-\w{3}", await page.locator(".msg.out").last.inner_text())
    async with app[sessionmaker_key]() as sess:
        record = (await sess.execute(select(Pakn))).scalar_one()

    await add_user(SimpleNamespace(app=app), "lan")
    staff = await sign_in(browser, str(server.make_url("/console/login")), viewport=PHONE)
    await staff.goto(str(server.make_url(f"/console/pakn/{record.id}")))
    thumb = staff.locator(".media-files img").first
    await thumb.wait_for()
    assert await thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Nước tràn lúc 7 giờ sáng" in await staff.locator(".media-files").inner_text()
    fits = await staff.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the thumbnails must not widen the phone page"
    href = await staff.locator(".media-files a").first.get_attribute("href")
    full = await staff.request.get(str(server.make_url(href)))
    assert full.status == 200 and full.headers["content-type"] == "image/jpeg"
    assert full.headers["x-content-type-options"] == "nosniff"
