"""The browser tests' one way to sign in to the console."""

from __future__ import annotations

import re
from typing import Any

from tests.console.helpers import PASSWORD

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


async def fill_login(page: Any, username: str, password: str = PASSWORD) -> None:
    """On the login page: type the credentials and submit."""
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("button[type=submit]")


async def sign_in(
    browser: Any,
    url: str,
    username: str = "lan",
    *,
    viewport: dict[str, int] | None = None,
    landing: str = r"/console/$",
    **context: Any,
) -> Any:
    """A new browser context signed in as `username`: opens `url` (the login page, or a page
    that redirects there), signs in and waits for `landing`. Returns the page."""
    ctx = await browser.new_context(viewport=viewport or PHONE, locale="vi-VN", **context)
    page = await ctx.new_page()
    await page.goto(url)
    await fill_login(page, username)
    await page.wait_for_url(re.compile(landing))
    return page
