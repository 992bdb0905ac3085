"""First start: a one-time setup link creates the first admin; the console is never open."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from bot.console import setup_link
from bot.console.accounts import count_users
from bot.db.models_console import AuditEntry, SetupToken
from bot.keys import services_key, sessionmaker_key
from tests.console.helpers import add_user, csrf_of

LINK = re.compile(r"http://127\.0\.0\.1:8080/console/setup/([A-Za-z0-9_-]{40,})")


async def _link_from_start(
    make_client: Any, capsys: pytest.CaptureFixture[str]
) -> tuple[Any, str]:
    client = await make_client()
    printed = capsys.readouterr().out
    match = LINK.search(printed)
    assert match, printed
    return client, match.group(1)


def _form(token: str, password: str = "mat-khau-quan-tri-1", **extra: str) -> dict[str, str]:
    return {
        "_csrf": token,
        "username": "admin",
        "display_name": "Trần Văn Quản",
        "password": password,
        "password2": password,
        **extra,
    }


async def test_fresh_install_prints_a_link_that_creates_the_first_admin(
    make_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client, token = await _link_from_start(make_client, capsys)
    assert (await client.get("/console/", allow_redirects=False)).status == 302  # not open
    page = await client.get(f"/console/setup/{token}")
    assert page.status == 200
    csrf = csrf_of(await page.text())
    resp = await client.post(f"/console/setup/{token}", data=_form(csrf), allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"] == "/console/"
    home = await client.get("/console/")
    assert "Trần Văn Quản" in await home.text() and "Quản trị" in await home.text()
    async with client.app[sessionmaker_key]() as sess:
        assert await count_users(sess) == 1
        row = (await sess.execute(select(SetupToken))).scalar_one()
        assert row.token_hash != token and row.used_at is not None  # stored hashed
        actions = list((await sess.execute(select(AuditEntry.action))).scalars())
    assert actions == ["auth.setup"]
    # Used: the same link no longer works, even in a new browser.
    client.session.cookie_jar.clear()
    again = await client.get(f"/console/setup/{token}")
    assert again.status == 404 and "không hợp lệ, đã dùng hoặc đã hết hạn" in await again.text()


async def test_a_used_link_cannot_create_a_second_admin(
    make_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client, token = await _link_from_start(make_client, capsys)
    csrf = csrf_of(await (await client.get(f"/console/setup/{token}")).text())
    await client.post(f"/console/setup/{token}", data=_form(csrf), allow_redirects=False)
    csrf = csrf_of(await (await client.get("/console/account")).text())
    resp = await client.post(f"/console/setup/{token}", data=_form(csrf, username="admin2"))
    assert resp.status == 404
    async with client.app[sessionmaker_key]() as sess:
        assert await count_users(sess) == 1


async def test_the_link_expires_after_one_hour(
    make_client: Any, clock: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client, token = await _link_from_start(make_client, capsys)
    clock.advance(minutes=59)
    page = await client.get(f"/console/setup/{token}")
    assert page.status == 200
    csrf = csrf_of(await page.text())
    clock.advance(minutes=1, seconds=1)
    assert (await client.get(f"/console/setup/{token}")).status == 404
    resp = await client.post(f"/console/setup/{token}", data=_form(csrf))
    assert resp.status == 404
    async with client.app[sessionmaker_key]() as sess:
        assert await count_users(sess) == 0


async def test_a_wrong_or_guessed_token_is_not_found(make_client: Any, capsys: Any) -> None:
    client, token = await _link_from_start(make_client, capsys)
    assert (await client.get(f"/console/setup/{token[:-1]}x")).status == 404
    assert (await client.get("/console/setup/" + "a" * 300)).status == 404


async def test_form_errors_keep_the_link_usable(make_client: Any, capsys: Any) -> None:
    client, token = await _link_from_start(make_client, capsys)
    csrf = csrf_of(await (await client.get(f"/console/setup/{token}")).text())
    short = await client.post(f"/console/setup/{token}", data=_form(csrf, password="ngan"))
    assert short.status == 400 and "ít nhất 10 ký tự" in await short.text()
    differ = await client.post(
        f"/console/setup/{token}", data=_form(csrf, password2="khac-han-mat-khau")
    )
    assert differ.status == 400 and "không giống nhau" in await differ.text()
    ok = await client.post(f"/console/setup/{token}", data=_form(csrf), allow_redirects=False)
    assert ok.status == 302


async def test_no_link_once_an_account_exists(make_client: Any, capsys: Any) -> None:
    client, token = await _link_from_start(make_client, capsys)
    await add_user(client, "lan")  # e.g. created with `loaxa user add`
    assert (await client.get(f"/console/setup/{token}")).status == 404
    async with client.app[sessionmaker_key].begin() as sess:
        fresh = await setup_link.issue(sess, client.app[services_key].clock())
    assert (await client.get(f"/console/setup/{fresh}")).status == 404


async def test_a_new_link_withdraws_the_older_one(make_client: Any, capsys: Any) -> None:
    client, token = await _link_from_start(make_client, capsys)
    async with client.app[sessionmaker_key].begin() as sess:
        newer = await setup_link.issue(sess, client.app[services_key].clock())
    assert (await client.get(f"/console/setup/{token}")).status == 404
    assert (await client.get(f"/console/setup/{newer}")).status == 200
