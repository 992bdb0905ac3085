"""Password guessers are slowed down, never the account's owner (issue #15, item 1).

Delays grow per account and place; many usernames from one address, or one account from many
addresses, slow down strangers only: a browser or an address the account signed in from
before still signs in at once. A try that must wait is refused before its password is checked.
Runs on SQLite, and on PostgreSQL with LOAXA_TEST_BACKEND=postgres.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from bot.console import accounts
from bot.console.keys import console_app_key
from bot.console.passwords import password_checks_key
from bot.console.security import DEVICE_COOKIE
from bot.console.throttle import ACCOUNT_FREE, ADDRESS_FREE, PAIR_FREE
from bot.db.models_console import AuditEntry, LoginAttempt
from bot.keys import sessionmaker_key
from tests.console.helpers import PASSWORD, add_user, csrf, login, signed_in


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with small costs: these tests check many passwords on a busy 2-CPU machine."""
    hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", hasher)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", hasher.hash("loaxa-no-such-user"))


ATTACKER = "198.51.100.7"
OFFICE = "203.0.113.5"
WRONG = "doan-mo-abcdef-1"


def count_checks(client: Any) -> list[str]:
    """Record every password the server checks (the list grows by one per check)."""
    checks = client.app[console_app_key][password_checks_key]
    seen: list[str] = []

    def verify(password_hash: str | None, password: str) -> bool:
        seen.append(password)
        return accounts.verify_password(password_hash, password)

    checks.verifier = verify
    return seen


async def try_login(
    client: Any, username: str, password: str = PASSWORD, ip: str | None = None
) -> Any:
    token = await csrf(client)
    return await client.post(
        "/console/login",
        data={"username": username, "password": password, "_csrf": token},
        headers={"X-Forwarded-For": ip} if ip else {},
        allow_redirects=False,
    )


def device_of(client: Any) -> str:
    return next(c.value for c in client.session.cookie_jar if c.key == DEVICE_COOKIE)


def new_browser(client: Any, device: str | None = None) -> None:
    """Forget every cookie (another browser), keeping only a device cookie if given."""
    client.session.cookie_jar.clear()
    if device:
        client.session.cookie_jar.update_cookies(
            {DEVICE_COOKIE: device}, response_url=client.make_url("/console/")
        )


@contextlib.contextmanager
def another_browser(client: Any) -> Iterator[None]:
    saved = {c.key: c.value for c in client.session.cookie_jar}
    new_browser(client)
    try:
        yield
    finally:
        client.session.cookie_jar.clear()
        client.session.cookie_jar.update_cookies(saved, response_url=client.make_url("/console/"))


async def test_wrong_passwords_slow_the_guesser_down_more_and_more(
    client: Any, clock: Any
) -> None:
    await add_user(client, "lan")
    checked = count_checks(client)
    for _ in range(PAIR_FREE - 1):
        resp = await login(client, "lan", WRONG)
        text = await resp.text()
        assert resp.status == 200 and "không đúng" in text and "Vui lòng chờ" not in text
    for step in range(1, 6):  # the 5th, 6th … wrong password: wait 2, 4, 8, 16, 32 seconds
        wait = 2**step
        resp = await login(client, "lan", WRONG)
        assert resp.status == 200 and f"Vui lòng chờ {wait} giây" in await resp.text()
        before = len(checked)
        early = await login(client, "lan")  # the right password, too soon: not even checked
        assert early.status == 429 and early.headers["Retry-After"] == str(wait)
        assert f"Vui lòng chờ {wait} giây rồi thử lại" in await early.text()
        assert len(checked) == before
        clock.advance(seconds=wait - 1)
        assert (await login(client, "lan")).status == 429
        clock.advance(seconds=1)
    assert (await login(client, "lan")).status == 302


async def test_the_wait_is_capped_and_said_in_minutes_too(client: Any, clock: Any) -> None:
    await add_user(client, "lan")
    for _ in range(PAIR_FREE + 12):
        resp = await login(client, "lan", WRONG)
        if resp.status == 429:
            clock.advance(seconds=int(resp.headers["Retry-After"]))
            resp = await login(client, "lan", WRONG)
        assert resp.status == 200
    early = await login(client, "lan")
    assert early.status == 429 and early.headers["Retry-After"] == "900"
    assert "Vui lòng chờ 900 giây (khoảng 15 phút) rồi thử lại." in await early.text()


@pytest.mark.parametrize("trust_proxy", [False, True])
async def test_made_up_usernames_from_the_office_address_do_not_stop_its_staff(
    make_client: Any, trust_proxy: bool
) -> None:
    client = await make_client(trust_proxy=trust_proxy)
    office = OFFICE if trust_proxy else None  # without TRUST_PROXY: everyone is the proxy
    await add_user(client, "admin", "admin", units=())
    await add_user(client, "lan")
    assert (await try_login(client, "admin", ip=office)).status == 302  # signed in here before
    new_browser(client)  # and now from another browser: the address is all that is known
    for i in range(ADDRESS_FREE):
        resp = await try_login(client, f"khong-co-{i}", WRONG, ip=office)
        assert resp.status == 200
    checked = count_checks(client)
    stranger = await try_login(client, "lan", ip=office)  # never signed in from here
    assert stranger.status == 429 and "Vui lòng chờ" in await stranger.text()
    assert checked == []
    owner = await try_login(client, "admin", ip=office)
    assert owner.status == 302 and owner.headers["Location"] == "/console/"


async def test_thirty_wrong_passwords_for_admin_do_not_stop_its_owner(
    make_client: Any, clock: Any
) -> None:
    client = await make_client(trust_proxy=True)
    await add_user(client, "admin", "admin", units=())
    assert (await try_login(client, "admin", ip=OFFICE)).status == 302
    device = device_of(client)
    new_browser(client)  # the attacker's browser
    checked = count_checks(client)
    guesses = refusals = 0
    while guesses < 30:
        resp = await try_login(client, "admin", f"{WRONG}-{guesses}", ip=ATTACKER)
        if resp.status == 429:  # too soon: even the right password is refused, unchecked
            refusals += 1
            before = len(checked)
            right = await try_login(client, "admin", ip=ATTACKER)
            assert right.status == 429 and "Vui lòng chờ" in await right.text()
            assert len(checked) == before
            clock.advance(seconds=int(resp.headers["Retry-After"]))
            continue
        assert resp.status == 200 and "không đúng" in await resp.text()
        guesses += 1
    assert refusals == 30 - PAIR_FREE
    assert (await try_login(client, "admin", ip=ATTACKER)).status == 429  # still slowed
    new_browser(client, device)  # the owner's browser, from a new address (a phone)
    assert (await try_login(client, "admin", ip="192.0.2.44")).status == 302
    new_browser(client)  # the owner, in another browser at the office
    assert (await try_login(client, "admin", ip=OFFICE)).status == 302


async def test_a_guesser_at_the_owners_office_does_not_stop_the_owners_browser(
    make_client: Any,
) -> None:
    client = await make_client(trust_proxy=True)
    await add_user(client, "admin", "admin", units=())
    assert (await try_login(client, "admin", ip=OFFICE)).status == 302
    device = device_of(client)
    new_browser(client)  # a colleague's computer, same office address
    for _ in range(PAIR_FREE):
        assert (await try_login(client, "admin", WRONG, ip=OFFICE)).status == 200
    assert (await try_login(client, "admin", ip=OFFICE)).status == 429
    new_browser(client, device)
    assert (await try_login(client, "admin", ip=OFFICE)).status == 302


async def test_guesses_from_many_addresses_slow_down_new_places_only(
    make_client: Any,
) -> None:
    client = await make_client(trust_proxy=True)
    await add_user(client, "admin", "admin", units=())
    assert (await try_login(client, "admin", ip=OFFICE)).status == 302
    device = device_of(client)
    new_browser(client)
    for i in range(ACCOUNT_FREE):  # one guess per address: no address is slowed by itself
        ip = f"198.51.{100 + i // 250}.{i % 250 + 1}"
        assert (await try_login(client, "admin", WRONG, ip=ip)).status == 200
    assert (await try_login(client, "admin", ip="192.0.2.99")).status == 429
    assert (await try_login(client, "admin", ip=OFFICE)).status == 302  # a known address
    new_browser(client, device)
    assert (await try_login(client, "admin", ip="192.0.2.99")).status == 302  # a known browser


async def test_the_device_cookie_is_set_on_success_only(client: Any) -> None:
    await add_user(client, "lan")
    wrong = await login(client, "lan", WRONG)
    assert DEVICE_COOKIE not in wrong.cookies
    ok = await login(client, "lan")
    cookie = ok.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] is True and cookie["path"] == "/console/"
    assert cookie["samesite"] == "Lax" and int(cookie["max-age"]) >= 90 * 24 * 3600


def _password_form(token: str, current: str) -> dict[str, str]:
    new_password = "mot-mat-khau-moi-2"
    return {
        "_csrf": token,
        "current": current,
        "password": new_password,
        "password2": new_password,
    }


async def test_current_password_check_is_slowed_and_ends_the_sessions(
    client: Any, clock: Any
) -> None:
    await signed_in(client, "lan")
    clock.advance(seconds=1)  # tries count from the last successful sign-in
    token = await csrf(client)
    for i in range(PAIR_FREE - 1):
        resp = await client.post("/console/account", data=_password_form(token, f"doan-sai-{i}"))
        assert resp.status == 400 and "Mật khẩu hiện tại không đúng." in await resp.text()
    fifth = await client.post("/console/account", data=_password_form(token, "doan-sai-5"))
    assert fifth.status == 400 and "Vui lòng chờ 2 giây" in await fifth.text()
    # Whoever holds this cookie may be guessing: every session ends, and this browser waits.
    assert (await client.get("/console/", allow_redirects=False)).status == 302
    assert (await login(client, "lan")).status == 429
    clock.advance(seconds=2)
    assert (await login(client, "lan")).status == 302
    async with client.app[sessionmaker_key]() as sess:
        outcomes = list((await sess.execute(select(LoginAttempt.outcome))).scalars())
        actions = list((await sess.execute(select(AuditEntry.action))).scalars())
    assert outcomes.count("bad") == PAIR_FREE
    assert actions.count("auth.password_check_failed") == PAIR_FREE


async def test_guesses_elsewhere_do_not_stop_the_owner_changing_the_password(
    make_client: Any,
) -> None:
    client = await make_client(trust_proxy=True)
    await signed_in(client, "lan")
    with another_browser(client):
        for i in range(PAIR_FREE + 3):
            await try_login(client, "lan", f"{WRONG}-{i}", ip=ATTACKER)
    token = await csrf(client, "/console/account")
    resp = await client.post(
        "/console/account", data=_password_form(token, PASSWORD), allow_redirects=False
    )
    assert resp.status == 302
