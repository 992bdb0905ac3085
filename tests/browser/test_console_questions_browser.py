"""A question handed to staff from the web chat, answered from the console, on a 360-px phone
and a 1280-px desktop: the menu badge and the home count rise while the console is open (the
page polls waiting.json), a browser notification (counts only) appears once allowed by a
click, the staff answer reaches the citizen's open web chat, and the answer becomes an FAQ
draft in one click."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from bot.app import build_app
from bot.console import accounts
from bot.core.services import Services
from bot.keys import services_key, sessionmaker_key
from bot.settings import Settings
from tests.browser.console_login import DESKTOP, PHONE, sign_in
from tests.console.helpers import PASSWORD

pytestmark = pytest.mark.browser
UNIT = "xa-binh-minh"
QUESTION = "thời tiết hôm nay thế nào"
ANSWER = "Xã không dự báo thời tiết; ông/bà xem bản tin của đài truyền thanh xã nhé."
# A stand-in for the browser's Notification API: records what would be shown.
FAKE_NOTIFICATION = """
window.__shown = [];
class FakeNotification {
  constructor(title, options) {
    window.__shown.push({title: title, body: options.body});
    document.documentElement.setAttribute("data-shown", options.body);
  }
}
FakeNotification.permission = "default";
FakeNotification.requestPermission = () => {
  FakeNotification.permission = "granted";
  return Promise.resolve("granted");
};
window.Notification = FakeNotification;
"""


async def _serve(aiohttp_server: Any, settings: Settings, services: Services) -> Any:
    fast = dataclasses.replace(settings, console_poll_seconds=2, web_chat="on")
    app = build_app(fast, services=dataclasses.replace(services, settings=fast), environ={})
    server = await aiohttp_server(app, host="127.0.0.1")
    services = app[services_key]
    async with app[sessionmaker_key].begin() as sess:
        await accounts.create_user(
            sess,
            username="lan",
            password=PASSWORD,
            role="staff",
            units=[UNIT],
            known_units=services.units,
            now=services.clock(),
            display_name="Nguyễn Thị Lan",
        )
    return server


async def _citizen_hands_off(browser: Any, server: Any, viewport: Any) -> Any:
    ctx = await browser.new_context(viewport=viewport, locale="vi-VN")
    page = await ctx.new_page()
    await page.goto(str(server.make_url(f"/chat/{UNIT}/")))
    await page.wait_for_selector(".msg.out")
    before = await page.locator(".msg.out").count()
    await page.fill("#text", QUESTION)
    await page.click("form#composer button[type=submit]")
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")
    before = await page.locator(".msg.out").count()
    await (
        page.locator(".msg.out").last.get_by_role("button", name=re.compile("Nhờ cán bộ")).click()
    )
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")
    assert "Cán bộ sẽ trả lời" in await page.locator(".msg.out").last.inner_text()
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_handed_off_question_answered_from_the_console_reaches_the_web_chat(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services, viewport: Any
) -> None:
    from playwright.async_api import expect

    server = await _serve(aiohttp_server, settings, services)
    staff = await sign_in(browser, str(server.make_url("/console/")), viewport=viewport)
    await staff.context.add_init_script(FAKE_NOTIFICATION)
    await staff.reload()
    badge = staff.locator('[data-badge="questions"]')
    assert await badge.is_hidden()  # nothing waits yet
    toggle = staff.locator("#notify-toggle")
    await toggle.click()  # permission is asked only on a click
    await toggle.wait_for(state="hidden")

    citizen = await _citizen_hands_off(browser, server, viewport)

    # The open console sees it without a reload: badge, home count, a notification.
    # (expect() polls from Playwright's side: the console's CSP forbids eval in the page)
    await expect(badge).to_have_text("1")
    await expect(badge).to_be_visible()
    await expect(staff.locator('[data-count="questions"]')).to_have_text("1")
    await expect(staff.locator("html")).to_have_attribute("data-shown", re.compile("việc mới"))
    shown = await staff.locator("html").get_attribute("data-shown")
    assert QUESTION not in shown

    await staff.get_by_role("link", name="Câu hỏi chờ trả lời").click()
    await staff.wait_for_url(re.compile(r"/console/questions/$"))
    await staff.get_by_role("link", name=re.compile(QUESTION)).click()
    await staff.wait_for_url(re.compile(r"/console/questions/\d+$"))
    await staff.fill("#answer-text", ANSWER)
    await staff.get_by_role("button", name="Gửi câu trả lời").click()
    await staff.wait_for_url(re.compile(r"\?ok=answer$"))
    assert ANSWER in await staff.locator("#staff-answer").inner_text()
    width = await staff.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]  # nothing wider than the phone

    # The citizen's open chat shows it (the chat polls for news).
    await citizen.wait_for_function(
        "t => document.getElementById('log').innerText.includes(t)", arg=ANSWER[:40]
    )

    await staff.get_by_role("link", name=re.compile("Tạo câu hỏi thường gặp")).click()
    await staff.wait_for_url(re.compile(r"/faq$"))
    assert QUESTION in await staff.locator("textarea[name=questions]").input_value()
    assert ANSWER in await staff.locator("textarea[name=answer]").input_value()
    await staff.goto(str(server.make_url("/console/")))
    await expect(badge).to_be_hidden()
