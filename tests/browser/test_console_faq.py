"""In a real browser on a phone: edit an FAQ entry and see `loaxa ask` use it; the dashboard."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import sys
from typing import Any

import pytest

from bot.app import build_app
from bot.console import accounts
from bot.core.services import Services
from bot.db import queries
from bot.db.models import FaqQuery
from bot.db.models_campaigns import Subscription
from bot.db.models_pakn import Pakn
from bot.keys import services_key, sessionmaker_key
from bot.settings import REPO_ROOT, Settings
from tests.browser.console_login import sign_in

pytestmark = pytest.mark.browser

UNIT = "xa-binh-minh"
PASSWORD = "mat-khau-rat-dai-1"
SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "console-dashboard.png"
PHONE = {"width": 360, "height": 740}
QUESTION = "Giấy báo tử mất rồi thì làm khai tử sao"
NOTE = "Cán bộ tư pháp xã nhắc: gọi trước khi đến để được hẹn giờ."


async def _serve(aiohttp_server: Any, settings: Settings, services: Services) -> Any:
    copy = dataclasses.replace(services, settings=settings)  # the reload swaps this copy's FAQ
    return await aiohttp_server(build_app(settings, services=copy, environ={}), host="127.0.0.1")


async def _seed(app: Any) -> None:
    now = app[services_key].clock()
    async with app[sessionmaker_key].begin() as sess:
        await accounts.create_user(
            sess, username="lan", password=PASSWORD, role="staff", units=[UNIT],
            known_units=app[services_key].units, now=now, display_name="Nguyễn Thị Lan",
        )  # fmt: skip
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="web", external_id="dash01", now=now
        )
        for i in range(3):  # the question the bot could not answer, asked three times
            sess.add(
                FaqQuery(
                    unit=UNIT, text=QUESTION, normalized="giay bao tu mat khai tu",
                    decision="clarify", candidates=[["khai-tu", "khai_tu", 0.6]],
                    created_at=now - dt.timedelta(hours=i + 1),
                )
            )  # fmt: skip
        for month_back in range(4):  # PAKN, ratings and FAQ questions over the last months
            when = now - dt.timedelta(days=30 * month_back + 1)
            for j in range(4):
                late = j == 3 and month_back % 2 == 0
                sess.add(
                    Pakn(
                        unit=UNIT, code=f"PA-{month_back}-{j}", channel="web", category="khac",
                        content="x", state="answered", received_at=when,
                        due_at=when + dt.timedelta(days=2),
                        answered_at=when + dt.timedelta(days=3 if late else 1),
                        rating=5 - j % 2, rated_at=when + dt.timedelta(days=1),
                        idempotency_key=f"k{month_back}-{j}",
                    )
                )  # fmt: skip
            for decision, n in (("answer", 12 + 3 * month_back), ("fallback", 2 + month_back)):
                for _ in range(n):
                    sess.add(
                        FaqQuery(unit=UNIT, text="q", normalized="q", decision=decision,
                                 created_at=when)
                    )  # fmt: skip
        sess.add(Subscription(contact_id=contact.id, unit=UNIT, kind="topic", key="a"))


async def _no_horizontal_scroll(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


async def _loaxa_ask(settings: Settings, text: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.resolved_database_url,
        "CONTENT_DIR": str(settings.content_dir),
        "DEFAULT_UNIT": UNIT,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "ask", text, "--json",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return dict(json.loads(out))


async def test_edit_an_faq_entry_and_see_loaxa_ask_use_it(
    browser: Any, aiohttp_server: Any, settings: Settings, services: Services
) -> None:
    server = await _serve(aiohttp_server, settings, services)
    await _seed(server.app)
    before = await _loaxa_ask(settings, QUESTION)
    assert NOTE not in before["reply"]

    page = await sign_in(browser, str(server.make_url("/console/login")))
    await page.click("nav.menu >> text=Câu hỏi chưa trả lời")
    assert await page.text_content("section.unanswered h3") == QUESTION
    assert "3 lần" in (await page.text_content("section.unanswered") or "")
    await _no_horizontal_scroll(page)
    await page.click("text=sửa trước khi thêm")
    questions = await page.input_value("#questions")
    keywords = await page.input_value("#keywords")
    # Added as a paraphrase, or as a keyword when the entry already has ten questions.
    assert QUESTION in (questions.splitlines()[-1], keywords.split(",")[-1].strip())
    answer = await page.input_value("#answer")
    await page.fill("#answer", NOTE + "\n" + answer)
    await page.click("button[value=preview]")
    assert NOTE in (await page.text_content("#preview") or "")
    await _no_horizontal_scroll(page)
    await page.fill("#comment", "thêm câu hỏi người dân hay hỏi")
    await page.click("button[value=save]")
    await page.wait_for_selector("p.ok")
    assert "Đã lưu phiên bản 1" in (await page.text_content("p.ok") or "")

    after = await _loaxa_ask(settings, QUESTION)
    assert after["decision"] == "answer" and after["entry"] == "khai-tu"
    assert after["reply"].startswith(NOTE)
    live = server.app[services_key].faq
    assert live.answer("khai-tu", live_unit(server)).startswith(NOTE)

    await page.click("text=Lịch sử phiên bản")
    assert "+ answer: " + NOTE in (await page.text_content(".diff") or "")

    # The dashboard, as a phone shows it; the screenshot goes into the README.
    await page.goto(str(server.make_url("/console/stats/?period=year")))
    assert len(await page.locator("svg.chart").all()) == 2
    assert await page.locator("section.kpi h3").count() == 5
    await _no_horizontal_scroll(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size < 400_000


def live_unit(server: Any) -> Any:
    return server.app[services_key].units[UNIT]
