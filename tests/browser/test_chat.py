"""The citizen web chat in a real browser, on a 360-px phone and a 1280-px desktop: the answer's
first line stays in view with its main actions and a compact row, older buttons go inactive,
no emoji font is needed, the tracking code is highlighted and copied, the placeholder fits,
topics can be browsed. Screenshots: docs/screenshots/chat-*.png."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.app import build_app
from bot.core.services import Services
from bot.settings import REPO_ROOT, Settings

pytestmark = pytest.mark.browser
SHOTS = REPO_ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
UNIT = "xa-binh-minh"
# Characters drawn from an emoji font: none may reach the page as text.
NO_EMOJI = r"!/[\p{Extended_Pictographic}\u2630]/u.test(document.getElementById('log').innerText)"


async def _open(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services, viewport: Any
) -> tuple[Any, Any]:
    app = build_app(
        settings, services=dataclasses.replace(services, settings=settings), environ={}
    )
    server = await aiohttp_server(app, host="127.0.0.1")
    context = await browser.new_context(viewport=viewport, locale="vi-VN")
    page = await context.new_page()
    await page.goto(str(server.make_url(f"/chat/{UNIT}/")))
    await page.wait_for_selector(".msg.out")  # the welcome menu
    return context, page


async def _newest(page: Any) -> Any:
    """The newest bot message, pinned by its id (`.last` would follow later messages)."""
    msg_id = await page.locator(".msg.out").last.get_attribute("data-id")
    return page.locator(f'.msg.out[data-id="{msg_id}"]')


async def _say(page: Any, text: str) -> Any:
    before = await page.locator(".msg.out").count()
    await page.fill("#text", text)
    await page.click("form#composer button[type=submit]")
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")
    return await _newest(page)


async def _press(page: Any, label: str) -> Any:
    before = await page.locator(".msg.out").count()
    await page.locator(".msg.out").last.get_by_role("button", name=label).first.click()
    await page.wait_for_function(f"document.querySelectorAll('.msg.out').length > {before}")
    return await _newest(page)


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "360"), (DESKTOP, "1280")])
async def test_answer_keeps_its_start_in_view_with_compact_actions(
    browser: Any,
    aiohttp_server: Any,
    settings: Settings,
    services: Services,
    viewport: Any,
    name: str,
) -> None:
    context, page = await _open(browser, aiohttp_server, settings, services, viewport)
    await page.screenshot(path=str(SHOTS / f"chat-welcome-{name}.png"))
    answer = await _say(page, "dang ky khai sinh cho con can giay to gi")
    # The answer's first line is visible, not scrolled away under its buttons.
    top = await answer.evaluate("e => e.getBoundingClientRect().top")
    box = await page.evaluate("document.getElementById('log').getBoundingClientRect().toJSON()")
    assert box["top"] - 1 <= top <= box["bottom"] - 40
    # Online and call are the full-width actions; 👍 👎 staff menu a compact row.
    primary = await answer.locator(".buttons a").all_inner_texts()
    assert any("Làm trực tuyến" in t for t in primary) and any("Gọi" in t for t in primary)
    chips = answer.locator(".chips button")
    assert await chips.count() == 4
    tops = [await chips.nth(i).evaluate("e => e.offsetTop") for i in range(2)]
    assert tops[0] == tops[1]  # 👍 and 👎 side by side
    assert await page.evaluate(NO_EMOJI)
    assert await answer.locator(".icon svg").count() >= 4
    await page.screenshot(path=str(SHOTS / f"chat-answer-{name}.png"))

    # After a newer message the older buttons are inactive; the newest ones work.
    thanks = await _press(page, "Hữu ích")
    assert await answer.locator("button:enabled").count() == 0
    assert await thanks.locator("button:enabled").count() > 0
    await context.close()


async def test_phone_placeholder_fits_and_code_is_highlighted_and_copied(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    context, page = await _open(browser, aiohttp_server, settings, services, PHONE)
    fits = await page.evaluate(
        """() => {
        const t = document.getElementById('text'), s = getComputedStyle(t);
        const c = document.createElement('canvas').getContext('2d');
        c.font = s.font;
        const room = t.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        return c.measureText(t.placeholder).width <= room;
    }"""
    )
    assert fits
    assert await page.get_attribute("#text", "maxlength") == "4000"
    await context.grant_permissions(["clipboard-read", "clipboard-write"])
    await _say(page, "pa-346-79a-cdp")
    reply = await _say(page, "0912 345 678")
    code = reply.locator(".code-value")
    assert await code.inner_text() == "PA-346-79A-CDP"
    await reply.locator("button.copy").click()
    await page.wait_for_function(
        "document.querySelector('.msg.out:last-child .copy').textContent === 'Đã chép'"
    )
    assert await page.evaluate("navigator.clipboard.readText()") == "PA-346-79A-CDP"
    await page.screenshot(path=str(SHOTS / "chat-code-360.png"))
    await context.close()


async def test_browse_topics_and_subscriptions_on_a_phone(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    context, page = await _open(browser, aiohttp_server, settings, services, PHONE)
    groups = await _press(page, "Hỏi về thủ tục")
    assert "Khai sinh, khai tử" in await groups.inner_text()
    entries = await _press(page, "Khai sinh, khai tử")
    assert await entries.locator(".buttons button").count() == 5  # 4 entries + "Xem thêm"
    await page.screenshot(path=str(SHOTS / "chat-topics-360.png"))
    answer = await _press(page, "Đăng ký khai sinh cho trẻ")
    assert "60 ngày" in await answer.inner_text()
    await _say(page, "đăng ký nhận tin")
    toggled = await _press(page, "Thủ tục mới")
    text = await toggled.inner_text()
    assert "Đã chọn: Thủ tục mới" in text and "Nhận tin của" not in text  # a short line
    assert await page.evaluate(NO_EMOJI)
    await page.screenshot(path=str(SHOTS / "chat-subscribe-360.png"))
    await context.close()


async def test_unit_picker_on_a_phone(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    plain = dataclasses.replace(settings, default_unit="")
    app = build_app(plain, services=dataclasses.replace(services, settings=plain), environ={})
    server = await aiohttp_server(app, host="127.0.0.1")
    context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    page = await context.new_page()
    await page.goto(str(server.make_url("/chat/")))
    await page.screenshot(path=str(SHOTS / "chat-units-360.png"))
    await page.get_by_role("link", name="UBND xã Bình Minh").click()
    await page.wait_for_selector(".msg.out")
    assert await page.inner_text("#unit-name") == "UBND xã Bình Minh"
    await context.close()
