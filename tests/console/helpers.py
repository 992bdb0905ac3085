"""Console test helpers: accounts, CSRF tokens from pages, signing in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bs4 import BeautifulSoup

from bot.console import accounts
from bot.keys import sessionmaker_key

UNIT = "xa-binh-minh"
PASSWORD = "mat-khau-rat-dai-1"
T0 = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội


class Clock:
    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def configure_channel(client: Any, name: str, unit: str = UNIT) -> None:
    """As if the unit had this channel set up (its token given): campaigns preview it."""
    from types import SimpleNamespace

    from bot.keys import channels_key

    client.app[channels_key].add(SimpleNamespace(unit=unit, name=name))


def other_unit(client: Any) -> str:
    from bot.keys import services_key

    return next(u for u in sorted(client.app[services_key].units) if u != UNIT)


async def add_user(
    client: Any,
    username: str,
    role: str = "staff",
    units: tuple[str, ...] = (UNIT,),
    *,
    password: str = PASSWORD,
    display_name: str = "",
) -> accounts.Account:
    from bot.keys import services_key

    async with client.app[sessionmaker_key].begin() as sess:
        return await accounts.create_user(
            sess,
            username=username,
            password=password,
            role=role,
            units=units,
            known_units=client.app[services_key].units,
            now=client.app[services_key].clock(),
            display_name=display_name,
        )


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def csrf_of(html: str) -> str:
    field = soup(html).find("input", attrs={"name": "_csrf"})
    assert field is not None, "the page has no CSRF field"
    return str(field["value"])


async def csrf(client: Any, path: str = "") -> str:
    """The session's CSRF token, read from a page (the login page, or the account page)."""
    for candidate in [path] if path else ["/console/login", "/console/account"]:
        resp = await client.get(candidate, allow_redirects=False)
        if resp.status == 200:
            return csrf_of(await resp.text())
    raise AssertionError(f"no page with a CSRF field ({resp.status})")


async def login(client: Any, username: str, password: str = PASSWORD, **extra: str) -> Any:
    token = await csrf(client)
    data = {"username": username, "password": password, "_csrf": token, **extra}
    return await client.post("/console/login", data=data, allow_redirects=False)


async def signed_in(client: Any, username: str, role: str = "staff", **kw: Any) -> Any:
    """Create the account and sign the client in; returns the Account."""
    account = await add_user(client, username, role, **kw)
    resp = await login(client, username)
    assert resp.status == 302, await resp.text()
    return account
