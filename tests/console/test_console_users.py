"""The accounts page (admin): add, disable, reset password, set units; all audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.console import accounts
from bot.db.models_console import AuditEntry
from bot.keys import sessionmaker_key
from tests.console.helpers import UNIT, add_user, csrf, login, other_unit, signed_in, soup

NEW_PASSWORD = "mat-khau-moi-cua-ban"


async def _post(client: Any, path: str, **form: Any) -> Any:
    return await client.post(
        path, data={"_csrf": await csrf(client), **form}, allow_redirects=False
    )


async def _audit(client: Any) -> list[tuple[str, str, str | None]]:
    async with client.app[sessionmaker_key]() as sess:
        rows = (await sess.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        return [(r.action, r.target, r.unit) for r in rows]


async def test_admin_adds_a_staff_account_who_can_then_sign_in(client: Any) -> None:
    await signed_in(client, "qt", "admin", units=())
    resp = await _post(
        client,
        "/console/users/",
        username="Lan",
        display_name="Lan",
        role="staff",
        unit=UNIT,
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert resp.status == 302
    listing = soup(await (await client.get("/console/users/")).text())
    assert "lan" in [a.get_text() for a in listing.select("td a")]
    assert ("user.create", "lan", UNIT) in await _audit(client)
    client.session.cookie_jar.clear()
    assert (await login(client, "lan", NEW_PASSWORD)).status == 302


async def test_bad_input_is_explained_in_vietnamese(client: Any) -> None:
    await signed_in(client, "qt", "admin", units=())
    staff_without_unit = await _post(
        client,
        "/console/users/",
        username="lan",
        role="staff",
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert staff_without_unit.status == 400
    assert "ít nhất một đơn vị" in await staff_without_unit.text()
    duplicate = await _post(
        client,
        "/console/users/",
        username="qt",
        role="admin",
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert "đã có" in await duplicate.text()
    bad_name = await _post(
        client,
        "/console/users/",
        username="Lan Anh!",
        role="admin",
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert "Tên đăng nhập gồm" in await bad_name.text()


async def test_disable_reset_password_and_units(client: Any) -> None:
    other = other_unit(client)
    lan = await add_user(client, "lan")
    await signed_in(client, "qt", "admin", units=())
    path = f"/console/users/{lan.id}/"
    assert (
        await _post(client, path, op="units", role="volunteer", unit=[UNIT, other])
    ).status == 302
    assert (
        await _post(client, path, op="password", password=NEW_PASSWORD, password2=NEW_PASSWORD)
    ).status == 302
    assert (await _post(client, path, op="disable")).status == 302
    async with client.app[sessionmaker_key]() as sess:
        account = await accounts.get_account(sess, lan.id)
    assert account is not None
    assert account.role == "volunteer" and account.units == {UNIT, other}
    assert not account.active
    actions = [a for a, target, _ in await _audit(client) if target == "lan"]
    assert actions == ["user.update", "user.password_reset", "user.disable"]
    client.session.cookie_jar.clear()
    refused = await login(client, "lan", NEW_PASSWORD)
    assert "đã bị khoá" in await refused.text()


async def test_an_admin_cannot_lock_themself_out(client: Any) -> None:
    me = await signed_in(client, "qt", "admin", units=())
    resp = await _post(client, f"/console/users/{me.id}/", op="disable")
    assert resp.status == 400 and "chính mình" in await resp.text()
    resp = await _post(client, f"/console/users/{me.id}/", op="units", role="staff", unit=UNIT)
    assert resp.status == 400


async def test_a_unit_admin_manages_only_its_units(client: Any) -> None:
    other = other_unit(client)
    await signed_in(client, "qt-xa", "admin", units=(UNIT,))
    global_admin = await _post(
        client,
        "/console/users/",
        username="sieu",
        role="admin",
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert global_admin.status == 400
    elsewhere = await _post(
        client,
        "/console/users/",
        username="lan",
        role="staff",
        unit=other,
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert elsewhere.status == 400
    assert "Không có đơn vị" in await elsewhere.text()  # same answer as for an unknown unit
    async with client.app[sessionmaker_key]() as sess:
        assert await accounts.get_account_by_name(sess, "lan") is None


async def test_script_in_a_display_name_is_shown_as_text(client: Any) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    await add_user(client, "lan", display_name=evil)
    await signed_in(client, "qt", "admin", units=())
    html = await (await client.get("/console/users/")).text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    page = soup(html)
    assert not page.find_all("script", src=None)  # only the console's own script files
    assert not page.find("img")
    client.session.cookie_jar.clear()
    await login(client, "lan")
    home = soup(await (await client.get("/console/")).text())
    assert evil in home.select_one("header").get_text()  # the text, not markup
    assert not home.find_all("script", src=None)
