"""Closing the human loop (issue 16), in chromium on a 360-px phone and a 1280-px desktop, with
the fake Telegram (citizens and the staff group) and the fake Zalo OA in one app:

- photos sent from Telegram (webhook + getFile) and from Zalo OA reach the open console (the
  PAKN badge rises without a reload), show as thumbnails on the petition page, open full size,
  and went to the staff group with their captions; taking one in the console edits its card
  in the group;
- a question handed to staff from Telegram is answered in the console and reaches the
  citizen's Telegram chat; the questions badge rises and falls."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.core.services import Services
from bot.db.models_pakn import Pakn
from bot.keys import sessionmaker_key
from bot.settings import Settings
from tests.browser.console_login import DESKTOP, PHONE, sign_in
from tests.console.helpers import add_user
from tests.conversations.drivers import TG_SECRET
from tests.conversations.drivers_zalo import zalo_settings
from tests.media import samples
from tests.media.test_media_e2e import CONTENT, settle, staff_photos, tg_say, zalo_say
from tests.pakn.test_staff_group import labels_of

pytestmark = pytest.mark.browser
UNIT = "xa-binh-minh"
STAFF_CHAT = -1001234567890  # tests.media.conftest.STAFF_CHAT: staff_photos() looks there
TG_CITIZEN = 7001
ZALO_CITIZEN = "2468458835296197922"
QUESTION = "thời tiết hôm nay thế nào"
ANSWER = "Xã không dự báo thời tiết; ông/bà xem bản tin của đài truyền thanh xã nhé."
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
async def server(
    aiohttp_server: Any,
    settings: Settings,
    services: Services,
    fake_telegram: Any,
    fake_zalo: Any,
) -> AsyncIterator[Any]:
    s = dataclasses.replace(
        zalo_settings(settings, fake_zalo),
        web_chat="on",
        console_poll_seconds=2,
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
        telegram_staff_chat_id=str(STAFF_CHAT),
    )
    # The session's Services itself (its PAKN hook posts to the group through it); build_app
    # fills its staff_chats, emptied afterwards for the other tests.
    services.settings = s
    app = build_app(s, services=services, environ={})
    running = await aiohttp_server(app, host="127.0.0.1")
    await add_user(SimpleNamespace(app=app), "lan", display_name="Nguyễn Thị Lan")
    yield running
    services.staff_chats = {}


async def _fits(page: Any, viewport: dict[str, int]) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide on {viewport['width']}px"


async def _petitions(server: Any) -> list[Pakn]:
    async with server.app[sessionmaker_key]() as sess:
        return list((await sess.execute(select(Pakn).order_by(Pakn.id))).scalars())


async def _telegram_petition(server: Any, fake: Any) -> None:
    for text in ("gửi phản ánh", "1", CONTENT):
        await tg_say(server, fake, fake.make_text_update(TG_CITIZEN, text))
    photo = samples.photo_with_gps((1200, 900))
    await tg_say(server, fake, fake.make_photo_update(TG_CITIZEN, caption="Cột đèn số 12",
                                                      data=photo))  # fmt: skip
    for text in ("xong", "Nguyễn Văn An", "0912345678", "gửi"):
        await tg_say(server, fake, fake.make_text_update(TG_CITIZEN, text))


async def _zalo_petition(server: Any, oa: Any) -> None:
    for text in ("gửi phản ánh", "1", CONTENT):
        await zalo_say(server, oa, oa.text_event(ZALO_CITIZEN, text))
    photo = samples.photo_with_gps((1000, 750))
    await zalo_say(server, oa, oa.image_event(ZALO_CITIZEN, "Ổ gà", data=photo))
    oa.expire_media()  # stored already: the console never needs Zalo's short-lived link
    for text in ("xong", "Trần Thị Bình", "0912345678", "gửi"):
        await zalo_say(server, oa, oa.text_event(ZALO_CITIZEN, text))


async def _photo_on_the_petition_page(
    staff: Any, server: Any, pakn: Pakn, caption: str, size: tuple[int, int], viewport: Any
) -> None:
    """The thumbnail loads, its caption shows, and a tap opens the full image in a tab."""
    await staff.goto(str(server.make_url(f"/console/pakn/{pakn.id}")))
    thumb = staff.locator(".media-files img").first
    await thumb.wait_for()
    await thumb.scroll_into_view_if_needed()  # loading="lazy"
    await staff.wait_for_function(
        "() => { const i = document.querySelector('.media-files img');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    assert caption in await staff.locator(".media-files").inner_text()
    await _fits(staff, viewport)
    async with staff.expect_popup() as opened:
        await thumb.click()
    full = await opened.value
    await full.wait_for_load_state()
    assert re.search(rf"/console/pakn/{pakn.id}/files/\d+$", full.url)
    shown = await full.evaluate(
        "() => [document.images[0].naturalWidth, document.images[0].naturalHeight]"
    )
    assert tuple(shown) == size  # the stored photo, full size (not the thumbnail)
    await full.close()


@VIEWPORTS
async def test_photos_from_telegram_and_zalo_reach_the_console_and_the_staff_group(
    browser: Any, server: Any, fake_telegram: Any, fake_zalo: Any, viewport: dict[str, int]
) -> None:
    from playwright.async_api import expect

    staff = await sign_in(browser, str(server.make_url("/console/")), viewport=viewport)
    badge = staff.locator('[data-badge="pakn"]')
    assert await badge.is_hidden()  # nothing waits yet

    # Work arrives while the console is open: the badge and the home count follow.
    await _telegram_petition(server, fake_telegram)
    await expect(badge).to_have_text("1")
    await expect(badge).to_be_visible()
    await _zalo_petition(server, fake_zalo.oa)
    await expect(badge).to_have_text("2")
    await expect(staff.locator('[data-count="pakn_new"]')).to_have_text("2")
    from_telegram, from_zalo = await _petitions(server)
    assert (from_telegram.channel, from_zalo.channel) == ("telegram", "zalo")

    # The staff group got each photo with its caption, after each new-PAKN card.
    photos = [c for c in fake_telegram.calls("sendPhoto") if c["chat_id"] == STAFF_CHAT]
    assert len(photos) == 2
    posted = staff_photos(fake_telegram)
    assert [p["caption"].splitlines()[-2:] for p in posted] == [
        [f"{from_telegram.code} · 1/1", "Cột đèn số 12"],
        [f"{from_zalo.code} · 1/1", "Ổ gà"],
    ]
    cards = [m for m in fake_telegram.sent(STAFF_CHAT) if "Phản ánh, kiến nghị mới" in
             m.get("text", "")]  # fmt: skip
    assert len(cards) == 2 and all("Tệp đính kèm: 1" in c["text"] for c in cards)

    # In the console: thumbnails, captions, the full photos.
    await _photo_on_the_petition_page(
        staff, server, from_telegram, "Cột đèn số 12", (1200, 900), viewport
    )
    await _photo_on_the_petition_page(staff, server, from_zalo, "Ổ gà", (1000, 750), viewport)

    # Taken in the console: the group's card loses its "Nhận xử lý" button.
    await staff.goto(str(server.make_url(f"/console/pakn/{from_telegram.id}")))
    await staff.get_by_role("button", name="Tiếp nhận, vào sổ").click()
    await staff.wait_for_url(re.compile(r"\?ok=state$"))
    await staff.get_by_role("button", name="Nhận xử lý").click()
    await staff.wait_for_url(re.compile(r"\?ok=state$"))
    [edit] = fake_telegram.calls("editMessageReplyMarkup")
    assert edit["message_id"] == cards[0]["message_id"]
    assert "Nhận xử lý" not in " ".join(labels_of(edit["reply_markup"]))
    await expect(badge).to_have_text("1")  # one new petition left
    await staff.context.close()


def _button(message: dict[str, Any], label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for b in row:
            if label in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label}")


@VIEWPORTS
async def test_a_telegram_question_answered_in_the_console_reaches_the_citizen(
    browser: Any, server: Any, fake_telegram: Any, viewport: dict[str, int]
) -> None:
    from playwright.async_api import expect

    fake = fake_telegram
    staff = await sign_in(browser, str(server.make_url("/console/")), viewport=viewport)
    badge = staff.locator('[data-badge="questions"]')
    assert await badge.is_hidden()

    # The citizen asks on Telegram, gets no answer and hands the question to staff.
    await tg_say(server, fake, fake.make_text_update(TG_CITIZEN, QUESTION))
    fallback = fake.sent(TG_CITIZEN)[-1]
    press = fake.make_callback_update(
        TG_CITIZEN, _button(fallback, "Nhờ cán bộ"), fallback["message_id"]
    )
    await tg_say(server, fake, press)
    assert QUESTION in fake.sent(STAFF_CHAT)[-1]["text"]
    await expect(badge).to_have_text("1")
    await expect(badge).to_be_visible()

    # Answered in the console: it reaches the citizen's Telegram chat at once.
    await staff.get_by_role("link", name="Câu hỏi chờ trả lời").click()
    await staff.get_by_role("link", name=re.compile(QUESTION)).click()
    await staff.wait_for_url(re.compile(r"/console/questions/\d+$"))
    await staff.fill("#answer-text", ANSWER)
    await staff.get_by_role("button", name="Gửi câu trả lời").click()
    await staff.wait_for_url(re.compile(r"\?ok=answer$"))
    await _fits(staff, viewport)
    await settle(server)
    reply = fake.sent(TG_CITIZEN)[-1]["text"]
    assert ANSWER in reply and "Cán bộ xã Bình Minh trả lời" in reply
    assert "trả lời trên trang quản trị" in fake.sent(STAFF_CHAT)[-1]["text"]
    await expect(badge).to_be_hidden()
    await staff.context.close()
