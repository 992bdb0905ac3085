"""A citizen (phone and desktop) attaches a photo at the PAKN form's photo step in the web chat;
hostile files (a script named .jpg, a decompression-bomb PNG, 50 MB) are refused politely in the
chat and nothing is stored; the staff group (fake Telegram) gets the photo with its caption; the
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
from bot.db.models_media import MediaFile
from bot.db.models_pakn import Pakn
from bot.keys import sessionmaker_key
from bot.settings import Settings
from tests.browser.console_login import DESKTOP, PHONE, sign_in
from tests.console.helpers import add_user
from tests.media import samples
from tests.media.conftest import STAFF_CHAT
from tests.media.test_media_e2e import media_files_on_disk, settle, staff_photos

pytestmark = pytest.mark.browser
UNIT = "xa-binh-minh"
CONTENT = "Cống thoát nước đầu hẻm 12 bị tắc, nước tràn lên đường mỗi khi mưa lớn."


async def _say(page: Any, text: str) -> None:
    before = await page.locator(".msg.out").count()
    await page.fill("#text", text)
    await page.click("form#composer button[type=submit]")
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")


async def _refused(page: Any, path: Path, words: str) -> None:
    """The chat says why, politely, and nothing is stored."""
    before = await page.locator("p.error").count()
    await page.set_input_files("#photo-pick", str(path))
    await page.wait_for_function(f"document.querySelectorAll('p.error').length > {before}")
    assert words in await page.locator("p.error").last.inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_a_photo_from_the_web_chat_is_seen_in_the_console_and_the_group(
    browser: Any,
    aiohttp_server: Any,
    settings: Settings,
    services: Services,
    tmp_path: Path,
    fake_telegram: Any,
    viewport: dict[str, int],
) -> None:
    s = dataclasses.replace(
        settings,
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        telegram_webhook_secret="s" * 24,
        telegram_staff_chat_id=str(STAFF_CHAT),
    )
    # The session's Services itself (its PAKN hook posts to the group through it); build_app
    # fills its staff_chats, emptied at the end for the other tests.
    services.settings = s
    app = build_app(s, services=services, environ={})
    server = await aiohttp_server(app, host="127.0.0.1")
    try:
        await _citizen_and_staff(browser, server, app, tmp_path, fake_telegram, viewport)
    finally:
        services.staff_chats = {}


async def _citizen_and_staff(
    browser: Any, server: Any, app: Any, tmp_path: Path, fake_telegram: Any, viewport: Any
) -> None:
    context = await browser.new_context(viewport=viewport, locale="vi-VN")
    page = await context.new_page()
    await page.goto(str(server.make_url(f"/chat/{UNIT}/")))
    await page.wait_for_selector(".msg.out")
    assert await page.locator("#photos").is_hidden()  # no photo buttons outside the form
    for text in ("gửi phản ánh", "1", CONTENT):
        await _say(page, text)
    await page.wait_for_selector("#photos:not([hidden])")
    assert await page.locator("#photo-camera").get_attribute("capture") == "environment"
    hostile = [
        ("script.jpg", samples.script_named_jpg(), "chỉ nhận ảnh"),
        ("bomb.png", samples.decompression_bomb_png(), "kích thước quá lớn"),
        ("big.jpg", samples.huge_upload(50), "tối đa 10 MB"),
    ]
    for name, data, words in hostile:
        (tmp_path / name).write_bytes(data)
        await _refused(page, tmp_path / name, words)
    async with app[sessionmaker_key]() as sess:
        assert (await sess.execute(select(MediaFile))).first() is None
    assert media_files_on_disk(SimpleNamespace(app=app)) == []
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
    await settle(server)  # what the background loop does: post to the staff group
    [posted] = staff_photos(fake_telegram)
    lines = posted["caption"].splitlines()
    assert lines[-2:] == [f"{record.code} · 1/1", "Nước tràn lúc 7 giờ sáng"]
    assert [c["chat_id"] for c in fake_telegram.calls("sendPhoto")] == [STAFF_CHAT]

    await add_user(SimpleNamespace(app=app), "lan")
    staff = await sign_in(browser, str(server.make_url("/console/login")), viewport=viewport)
    await staff.goto(str(server.make_url(f"/console/pakn/{record.id}")))
    thumb = staff.locator(".media-files img").first
    await thumb.wait_for()
    assert await thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Nước tràn lúc 7 giờ sáng" in await staff.locator(".media-files").inner_text()
    fits = await staff.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the thumbnails must not widen the page"
    href = await staff.locator(".media-files a").first.get_attribute("href")
    full = await staff.request.get(str(server.make_url(href)))
    assert full.status == 200 and full.headers["content-type"] == "image/jpeg"
    assert full.headers["x-content-type-options"] == "nosniff"
