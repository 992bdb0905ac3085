"""The PAKN categories of a unit, phone and desktop: the unit admin unticks two categories and
moves one to the top on /console/categories/{unit} (the list fits a phone); the citizen's web
chat form then offers exactly that list, in that order."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace
from typing import Any

import pytest

from bot.app import build_app
from bot.core.services import Services
from bot.settings import Settings
from tests.browser.console_login import DESKTOP, PHONE, sign_in
from tests.console.helpers import add_user

pytestmark = pytest.mark.browser
UNIT = "xa-binh-minh"
# The form's buttons show an icon before each label.
CHOSEN = ["Môi trường – rác – ngập", "Hạ tầng – giao thông – chiếu sáng", "Trật tự – tiếng ồn",
          "Thủ tục hành chính", "Khác"]  # fmt: skip


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_the_category_list_edited_in_the_console_is_the_forms(
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
    await add_user(SimpleNamespace(app=app), "chu", "admin", display_name="Lê Văn Chủ")
    admin = await sign_in(browser, str(server.make_url("/console/")), "chu", viewport=viewport)
    await admin.click("nav.menu >> text=Lĩnh vực")
    await admin.wait_for_url(re.compile(rf"/console/categories/{UNIT}$"))
    assert await admin.locator("#on-khac").is_disabled()  # "Khác" is always offered
    await admin.uncheck("#on-dat_dai")
    await admin.uncheck("#on-thai_do_can_bo")
    await admin.fill("input[name=pos_moi_truong]", "0")  # to the top
    width = await admin.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the list is {width}px wide on {viewport['width']}px"
    await admin.click("text=Lưu danh sách")
    await admin.wait_for_url(re.compile(r"\?ok=1$"))
    assert "Đã lưu" in (await admin.text_content("p.ok") or "")
    assert not await admin.locator("#on-dat_dai").is_checked()

    citizen = await (await browser.new_context(viewport=viewport, locale="vi-VN")).new_page()
    await citizen.goto(str(server.make_url(f"/chat/{UNIT}/")))
    await citizen.wait_for_selector(".msg.out")
    before = await citizen.locator(".msg.out").count()
    await citizen.fill("#text", "gửi phản ánh")
    await citizen.click("form#composer button[type=submit]")
    await citizen.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")
    shown = await citizen.locator(".msg.out").last.locator("button.act").all_inner_texts()
    categories = [next(c for c in CHOSEN if c in text) for text in shown if
                  any(c in text for c in CHOSEN)]  # fmt: skip
    assert categories == CHOSEN
    assert not any("Đất đai" in text or "Thái độ" in text for text in shown)
    await citizen.context.close()
    await admin.context.close()
