"""The console screens changed for issue 18, in chromium at 360 px (phone) and 1280 px
(desktop): nothing wider than the screen, one period picker at a time, a default target named
as such, "Chưa gửi" before a campaign sends, the print report and the poster on a phone.
Screenshots: docs/screenshots/console-*.png."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest

from bot.app import build_app
from bot.campaigns.service import CampaignService
from bot.campaigns.topics import cached_catalog
from bot.console import accounts
from bot.core.actors import Actor
from bot.core.services import Services
from bot.db.models import FaqQuery
from bot.keys import services_key, sessionmaker_key
from bot.settings import REPO_ROOT, Settings
from tests.browser.console_login import sign_in
from tests.campaigns.conftest import add_contact

pytestmark = pytest.mark.browser

UNIT = "xa-binh-minh"
PASSWORD = "mat-khau-rat-dai-1"
SHOTS = REPO_ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
TEMPLATE = "Từ 01/04, {{ unit.name }} nhận hồ sơ khai sinh trực tuyến. Hỏi: {{ unit.hotline }}."


async def _serve(aiohttp_server: Any, settings: Settings, services: Services) -> Any:
    app = build_app(settings, services=dataclasses.replace(services, settings=settings),
                    environ={})  # fmt: skip
    return await aiohttp_server(app, host="127.0.0.1")


async def _seed(app: Any) -> int:
    """Two accounts, questions of today, and a campaign approved for later (not sent yet)."""
    services = app[services_key]
    now = services.clock()
    async with app[sessionmaker_key].begin() as sess:
        for name, role in (("lan", "staff"), ("mai", "staff")):
            await accounts.create_user(sess, username=name, password=PASSWORD, role=role,
                                       units=[UNIT], known_units=services.units, now=now,
                                       display_name=name.title())  # fmt: skip
        for decision, chosen in [("answer", None)] * 3 + [("clarify", "none"), ("fallback", None)]:
            sess.add(FaqQuery(unit=UNIT, text="q", normalized="q", decision=decision,
                              chosen_entry=chosen, created_at=now))  # fmt: skip
        await add_contact(sess, "browser-sub", channel="web")
        catalog = cached_catalog(services.settings.content_dir)
        campaigns = CampaignService(services.units, services.messages, catalog, services.clock)
        author, approver = (Actor(n, "staff", frozenset({UNIT})) for n in ("lan", "mai"))
        draft = await campaigns.create_draft(sess, author, unit=UNIT, title="Khai sinh trực tuyến",
                                             template=TEMPLATE, topics=["thu_tuc_moi"])  # fmt: skip
        await campaigns.submit(sess, author, draft.id)
        await campaigns.approve(sess, approver, draft.id, send_at=now + dt.timedelta(days=1))
        return draft.id


async def _signed_in(browser: Any, base: str, viewport: dict[str, int]) -> Any:
    return await sign_in(browser, base + "login", viewport=viewport)


async def _fits(page: Any, viewport: dict[str, int]) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide on {viewport['width']}px"


async def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size < 400_000


@pytest.mark.parametrize("size", list(SIZES))
async def test_console_screens_fit_phone_and_desktop(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services, size: str
) -> None:
    viewport = SIZES[size]
    server = await _serve(aiohttp_server, settings, services)
    cid = await _seed(server.app)
    base = str(server.make_url("/console/"))
    page = await _signed_in(browser, base, viewport)

    # Dashboard: a default target, named as such; one period picker at a time.
    await page.goto(base + f"stats/?unit={UNIT}")
    await _fits(page, viewport)
    target = await page.locator("section.kpi .target").first.inner_text()
    assert "Mức mặc định ≥ 97 %" in target and "theo kế hoạch" not in target
    assert await page.locator("#month").is_visible()
    assert not await page.locator("#quarter").is_visible()
    await page.select_option("#period", "quarter")
    assert await page.locator("#quarter").is_visible()
    assert not await page.locator("#month").is_visible()
    await page.select_option("#period", "year")
    assert not await page.locator("#quarter").is_visible()
    if size == "phone":
        await page.select_option("#period", "month")
        await _shot(page, "console-stats")

    # Reports: the same pickers; "not answered" counts the "none of these".
    await page.goto(base + f"reports/?unit={UNIT}&type=month")
    await _fits(page, viewport)
    assert not await page.locator("#quarter").is_visible()
    row = page.locator("tr", has_text="Chưa trả lời được")
    assert (await row.locator("td.num").inner_text()).strip() == "2"
    await page.select_option("#type", "half")
    assert (
        await page.locator("#half").is_visible() and not await page.locator("#month").is_visible()
    )
    if size == "phone":
        await page.select_option("#type", "month")
        await _shot(page, "console-reports")

    # The printable report on the screen.
    await page.goto(base + f"reports/export?unit={UNIT}&kind=pakn&format=html&type=month")
    await _fits(page, viewport)
    await page.goto(base + f"reports/export?unit={UNIT}&kind=period&format=html&type=month")
    await _fits(page, viewport)
    assert "37" not in await page.locator("p.notes").first.inner_text()
    if size == "phone":
        await _shot(page, "console-report-print")

    # A campaign approved for tomorrow: "Chưa gửi", local times, no 100 % of nothing.
    await page.goto(base + f"campaigns/{cid}")
    await _fits(page, viewport)
    box = await page.locator("#progress").inner_text()
    assert "Chưa gửi" in box and "100" not in box
    history = await page.locator(".history").inner_text()
    assert re.search(r"duyệt, gửi lúc \d\d/\d\d/\d{4} \d\d:\d\d", history), history
    channels = await page.locator(".channel-preview").evaluate_all(
        "els => els.map(e => e.dataset.channel)"
    )
    assert channels == ["web"]  # the only channel this test app has set up
    if size == "phone":
        await _shot(page, "console-campaign-scheduled")

    # The poster: staff notes in the console, none on the public page, which fits a phone.
    await page.goto(base + f"poster/{UNIT}")
    await _fits(page, viewport)
    assert "ZALO_OA_ID" in await page.locator("ul.notes").inner_text()
    await page.goto(str(server.make_url(f"/poster/{UNIT}")))
    await _fits(page, viewport)
    assert "Ghi chú cho cán bộ" not in await page.content()
    if size == "phone":
        await _shot(page, "console-poster-phone")
    await page.context.close()
