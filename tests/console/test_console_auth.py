"""Sign-in, sign-out, throttling, sessions and their cookie."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from yarl import URL

from bot.console import accounts
from bot.db.models_console import AuditEntry
from bot.keys import sessionmaker_key
from tests.console.helpers import PASSWORD, add_user, csrf, login, signed_in, soup


async def test_signing_in_leads_to_the_page_asked_for_and_shows_the_user(client: Any) -> None:
    await add_user(client, "lan", display_name="Nguyễn Thị Lan")
    first = await client.get("/console/audit/?unit=xa-binh-minh", allow_redirects=False)
    assert first.status == 302
    location = URL(first.headers["Location"])
    assert location.path == "/console/login"
    assert location.query["next"] == "/console/audit/?unit=xa-binh-minh"
    resp = await login(client, "LAN ", next="/console/audit/?unit=xa-binh-minh")
    assert resp.status == 302 and resp.headers["Location"] == "/console/audit/?unit=xa-binh-minh"
    home = await client.get("/console/")
    assert home.status == 200
    page = soup(await home.text())
    assert "Nguyễn Thị Lan" in page.select_one("header").get_text()
    assert "Xã Bình Minh".lower() in page.get_text().lower()


async def test_next_never_leaves_the_console(client: Any) -> None:
    await add_user(client, "lan")
    for target in ("https://evil.example/", "//evil.example/console/", "/chat/"):
        resp = await login(client, "lan", next=target)
        assert resp.headers["Location"] == "/console/"
        await client.post("/console/logout", data={"_csrf": await csrf(client)})


async def test_wrong_password_and_unknown_user_get_the_same_answer(client: Any) -> None:
    await add_user(client, "lan")
    wrong = await (await login(client, "lan", "sai-mat-khau-123")).text()
    unknown = await (await login(client, "khong-co", PASSWORD)).text()
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong and message in unknown
    assert (await client.get("/console/", allow_redirects=False)).status == 302
    async with client.app[sessionmaker_key]() as sess:
        actions = list((await sess.execute(select(AuditEntry.action))).scalars())
    assert actions.count("auth.login_failed") == 2


async def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(client: Any) -> None:
    account = await signed_in(client, "lan")
    assert (await client.get("/console/", allow_redirects=False)).status == 200
    async with client.app[sessionmaker_key].begin() as sess:
        await accounts.set_active(sess, account.id, False, accounts_now(client))
    assert (await client.get("/console/", allow_redirects=False)).status == 302
    resp = await login(client, "lan")
    assert resp.status == 200 and "đã bị khoá" in await resp.text()


def accounts_now(client: Any) -> Any:
    from bot.keys import services_key

    return client.app[services_key].clock()


async def test_sessions_expire_after_console_session_hours(make_client: Any, clock: Any) -> None:
    client = await make_client(console_session_hours=2.0)
    await signed_in(client, "lan")
    clock.advance(hours=1, minutes=59)
    assert (await client.get("/console/", allow_redirects=False)).status == 200
    clock.advance(minutes=2)
    assert (await client.get("/console/", allow_redirects=False)).status == 302


async def test_logout_needs_csrf_then_ends_the_session(client: Any) -> None:
    await signed_in(client, "lan")
    refused = await client.post("/console/logout", data={}, allow_redirects=False)
    assert refused.status == 403 and "Biểu mẫu đã hết hạn" in await refused.text()
    assert (await client.get("/console/", allow_redirects=False)).status == 200
    token = await csrf(client)
    out = await client.post("/console/logout", data={"_csrf": token}, allow_redirects=False)
    assert out.status == 302 and out.headers["Location"] == "/console/login"
    assert (await client.get("/console/", allow_redirects=False)).status == 302
    async with client.app[sessionmaker_key]() as sess:
        actions = list((await sess.execute(select(AuditEntry.action))).scalars())
    assert actions == ["auth.login", "auth.logout"]


async def test_session_cookie_is_httponly_lax_and_scoped_to_the_console(client: Any) -> None:
    resp = await client.get("/console/login")
    cookie = resp.cookies["loaxa_console"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/console/"
    assert not cookie["secure"]  # plain http here
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


async def test_cookie_is_secure_behind_a_trusted_tls_proxy_only(make_client: Any) -> None:
    trusting = await make_client(trust_proxy=True)
    resp = await trusting.get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert resp.cookies["loaxa_console"]["secure"] is True
    untrusting = await make_client(trust_proxy=False)
    resp = await untrusting.get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert not resp.cookies["loaxa_console"]["secure"]


def _cookie(client: Any) -> str:
    return next(c.value for c in client.session.cookie_jar if c.key == "loaxa_console")


def _set_cookie(client: Any, value: str) -> None:
    client.session.cookie_jar.update_cookies(
        {"loaxa_console": value}, response_url=client.make_url("/console/")
    )


async def test_a_tampered_cookie_is_an_anonymous_session(client: Any) -> None:
    await signed_in(client, "lan")
    value = _cookie(client)
    _set_cookie(client, value[:-6] + ("AAAAAA" if not value.endswith("AAAAAA") else "BBBBBB"))
    assert (await client.get("/console/", allow_redirects=False)).status == 302


async def test_changing_the_password_ends_the_other_sessions_of_the_account(client: Any) -> None:
    await signed_in(client, "lan")
    old_session = _cookie(client)
    token = await csrf(client)
    new_password = "mot-mat-khau-moi-2"
    form = {
        "_csrf": token,
        "current": PASSWORD,
        "password": new_password,
        "password2": new_password,
    }
    resp = await client.post("/console/account", data=form, allow_redirects=False)
    assert resp.status == 302
    assert (await client.get("/console/", allow_redirects=False)).status == 200  # this one goes on
    _set_cookie(client, old_session)  # a session opened before the change
    assert (await client.get("/console/", allow_redirects=False)).status == 302
    assert (await login(client, "lan", new_password)).status == 302


async def test_changing_the_password_needs_the_current_one(client: Any) -> None:
    await signed_in(client, "lan")
    form = {
        "_csrf": await csrf(client),
        "current": "doan-sai-123",
        "password": "x" * 12,
        "password2": "x" * 12,
    }
    resp = await client.post("/console/account", data=form)
    assert resp.status == 400 and "Mật khẩu hiện tại không đúng." in await resp.text()
    assert (await login(client, "lan")).status in (200, 302)


async def test_logout_ends_every_copy_of_the_session_cookie(client: Any) -> None:
    await signed_in(client, "lan")
    copied = _cookie(client)  # e.g. taken from a shared office computer
    out = await client.post("/console/logout", data={"_csrf": await csrf(client)})
    assert out.status == 200
    _set_cookie(client, copied)
    assert (await client.get("/console/", allow_redirects=False)).status == 302
    assert (await client.get("/console/account", allow_redirects=False)).status == 302
