"""The QR poster in a real browser: one A4 page when printed, every code scannable from the
screen, and the README's screenshot (docs/screenshots/poster.png)."""

from __future__ import annotations

import dataclasses
import io
import re
from typing import Any

import pytest

from bot.app import build_app
from bot.core.services import Services
from bot.settings import REPO_ROOT, Settings

pytestmark = pytest.mark.browser
SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "poster.png"
ENV = {"BINH_MINH_ZALO_OA_ID": "1234567890123", "BINH_MINH_TELEGRAM_BOT_USERNAME": "binhminh_bot"}
A4_AT_96_DPI = {"width": 794, "height": 1123}


async def test_poster_prints_on_one_a4_page_and_its_codes_scan(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    s = dataclasses.replace(settings, public_url="https://loaxa.binhminh.example.vn")
    app = build_app(s, services=dataclasses.replace(services, settings=s), environ=ENV)
    server = await aiohttp_server(app, host="127.0.0.1")
    context = await browser.new_context(viewport=A4_AT_96_DPI, device_scale_factor=1)
    page = await context.new_page()
    await page.goto(str(server.make_url("/poster/xa-binh-minh")))

    pdf = await page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # the whole poster on one sheet

    sheet = page.locator("article.sheet")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await sheet.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size < 400_000

    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    shot = image.open(io.BytesIO(await sheet.screenshot()))
    found = sorted(r.text for r in zxingcpp.read_barcodes(shot))
    assert found == [
        "https://dichvucong.gov.vn",
        "https://loaxa.binhminh.example.vn/chat/xa-binh-minh/",
        "https://t.me/binhminh_bot",
        "https://zalo.me/1234567890123",
    ]
    await context.close()
