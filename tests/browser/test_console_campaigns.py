"""Campaigns in a real browser on a 360-px phone: a volunteer drafts and submits, a staff member
approves for a few minutes later, the worker sends, and the progress bar updates by itself."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.app import build_app
from bot.campaigns.worker import CampaignWorker
from bot.console import accounts
from bot.console.views_campaigns import service_of
from bot.core.pipeline import ChannelRegistry
from bot.core.services import Services
from bot.keys import channels_key, services_key, sessionmaker_key
from bot.settings import REPO_ROOT, Settings
from tests.browser.console_login import sign_in
from tests.campaigns.conftest import add_contact
from tests.console.helpers import PASSWORD, T0, UNIT, Clock
from tests.console.test_console_campaigns_progress import FakeChannel

pytestmark = pytest.mark.browser

SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "console-campaign.png"
PHONE = {"width": 360, "height": 740}


async def _seed(app: Any) -> None:
    services = app[services_key]
    async with app[sessionmaker_key].begin() as sess:
        for username, role in (("tnv.lan", "volunteer"), ("cb.mai", "staff")):
            await accounts.create_user(
                sess, username=username, password=PASSWORD, role=role, units=[UNIT],
                known_units=services.units, now=services.clock(),
            )  # fmt: skip
        for i in range(4):
            await add_contact(sess, f"browser-{i}")


async def _sign_in(browser: Any, base: str, username: str) -> Any:
    return await sign_in(browser, base + "login", username)


async def _no_horizontal_scroll(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


async def test_draft_approve_send_with_live_progress(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    clock = Clock(T0)  # 10:00 in Vietnam: outside the quiet hours
    app = build_app(
        settings,
        services=dataclasses.replace(services, settings=settings, clock=clock),
        environ={},
    )
    server = await aiohttp_server(app, host="127.0.0.1")
    await _seed(server.app)
    server.app[channels_key].add(FakeChannel())  # type: ignore[arg-type]  # Telegram set up
    base = str(server.make_url("/console/"))

    volunteer = await _sign_in(browser, base, "tnv.lan")
    await volunteer.click("nav.menu >> text=Chiến dịch")
    await volunteer.click("text=Soạn bản nháp mới")
    await volunteer.fill("#title", "Khai sinh trực tuyến")
    await volunteer.check('input[name="topics"][value="thu_tuc_moi"]')
    await volunteer.fill(
        "#template",
        "Từ 01/04, {{ unit.name }} nhận hồ sơ khai sinh trực tuyến tại {{ unit.portal }}.",
    )
    await volunteer.click("text=Lưu bản nháp")
    await volunteer.wait_for_selector("p.ok")
    bubble = await volunteer.text_content('.channel-preview[data-channel="telegram"] .bubble')
    assert bubble is not None and "UBND xã Bình Minh nhận hồ sơ khai sinh" in bubble
    await _no_horizontal_scroll(volunteer)
    await volunteer.click("text=Gửi duyệt")
    await volunteer.wait_for_selector("#no-approve")
    campaign_url = volunteer.url

    staff = await _sign_in(browser, base, "cb.mai")
    await staff.goto(campaign_url)
    await staff.fill("#send_at", "2026-03-02T10:02")  # two minutes from now (local time)
    await staff.click("text=Duyệt và lên lịch")
    await staff.wait_for_selector("p.ok")
    assert await staff.text_content("#campaign-state") == "Đã lên lịch"

    channel = FakeChannel(blocked=("browser-3",))
    registry = ChannelRegistry()
    registry.add(channel)  # type: ignore[arg-type]
    worker_settings = dataclasses.replace(settings, campaign_per_chat_interval=0.0)
    service = service_of(type("R", (), {"config_dict": server.app})())
    worker = CampaignWorker(server.app[sessionmaker_key], registry, service, worker_settings)
    clock.advance(minutes=3)
    assert await worker.start_due() == 1
    await staff.reload()
    assert await staff.text_content("#campaign-state") == "Đang gửi"
    assert await staff.text_content('#progress [data-field="left"]') == "4"

    await worker.run_once()  # the page is not reloaded: campaigns.js polls progress.json
    await staff.locator("#campaign-state", has_text="Đã gửi xong").wait_for(timeout=15000)
    assert await staff.text_content('#progress [data-field="sent"]') == "3"
    assert await staff.text_content('#progress [data-field="problems"]') == "1"
    assert await staff.evaluate("document.getElementById('progress-bar').value") == 100
    assert len(channel.sent) == 3
    await staff.reload()
    problems = await staff.text_content(".problems")
    assert problems is not None and "Đã chặn bot" in problems
    await _no_horizontal_scroll(staff)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await staff.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size < 400_000
