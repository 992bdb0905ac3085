"""Every rejection: no session, wrong role, other unit, missing or wrong CSRF; error pages."""

from __future__ import annotations

from typing import Any

import pytest
from yarl import URL

from bot.console import PLACEHOLDERS
from bot.console.auth import PUBLIC_ATTR, REQUIRE_ATTR
from bot.console.keys import console_app_key
from tests.console.helpers import UNIT, add_user, csrf, other_unit, signed_in, soup

GUARDED_GETS = ["/console/", "/console/account", "/console/users/", "/console/audit/"] + [
    f"/console{path}" for _, path, _, _ in PLACEHOLDERS
]


def test_every_console_route_is_guarded_or_explicitly_public(client: Any) -> None:
    console = client.app[console_app_key]
    public = set()
    for route in console.router.routes():
        if route.resource is not None and route.resource.canonical.endswith("/static"):
            continue
        handler = route.handler
        if getattr(handler, PUBLIC_ATTR, False):
            public.add(route.resource.canonical if route.resource else "")
            continue
        assert getattr(handler, REQUIRE_ATTR, None), f"{route.method} {route.resource} unguarded"
    assert public == {"/console/login", "/console/logout", "/console/setup/{token}"}


@pytest.mark.parametrize("path", GUARDED_GETS)
async def test_without_a_session_every_page_redirects_to_login(client: Any, path: str) -> None:
    resp = await client.get(path, allow_redirects=False)
    assert resp.status == 302
    assert URL(resp.headers["Location"]).query["next"] == path


async def test_posts_without_a_session_are_refused(client: Any) -> None:
    for path in ("/console/users/", "/console/account", "/console/users/1/"):
        resp = await client.post(path, data={}, allow_redirects=False)
        assert resp.status == 403  # no CSRF token: refused before anything else
        token = await csrf(client)
        resp = await client.post(path, data={"_csrf": token}, allow_redirects=False)
        assert resp.status == 302 and resp.headers["Location"].startswith("/console/login")


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("volunteer", "/console/users/", 403),
        ("volunteer", "/console/audit/", 403),
        ("volunteer", "/console/pakn/", 403),
        ("volunteer", "/console/faq/", 403),
        ("volunteer", "/console/campaigns/", 200),
        ("volunteer", "/console/stats/", 200),
        ("staff", "/console/users/", 403),
        ("staff", "/console/users/1/", 403),
        ("staff", "/console/pakn/", 200),
        ("staff", "/console/audit/", 200),
    ],
)
async def test_roles(client: Any, role: str, path: str, status: int) -> None:
    await signed_in(client, "nguoi-dung", role)
    resp = await client.get(path, allow_redirects=False)
    assert resp.status == status
    if status == 403:
        text = await resp.text()
        assert "Không có quyền" in text and "Tài khoản của bạn không được dùng" in text


async def test_wrong_role_post_is_refused(client: Any) -> None:
    await signed_in(client, "lan", "staff")
    form = {
        "_csrf": await csrf(client),
        "username": "moi",
        "role": "admin",
        "password": "x" * 12,
        "password2": "x" * 12,
    }
    assert (await client.post("/console/users/", data=form)).status == 403


async def test_another_units_data_is_not_found(client: Any) -> None:
    await signed_in(client, "lan", "staff")
    other = other_unit(client)
    resp = await client.get(f"/console/audit/?unit={other}")
    assert resp.status == 404 and "Không tìm thấy" in await resp.text()
    unknown = await client.get("/console/audit/?unit=khong-co-xa-nay")
    assert unknown.status == 404
    assert (await client.get(f"/console/audit/?unit={UNIT}")).status == 200


async def test_an_admin_of_one_unit_cannot_see_accounts_of_another(client: Any) -> None:
    other = other_unit(client)
    outsider = await add_user(client, "ngoai", "staff", (other,))
    await signed_in(client, "qt-xa", "admin", units=(UNIT,))
    listing = await (await client.get("/console/users/")).text()
    assert "ngoai" not in listing
    assert (await client.get(f"/console/users/{outsider.id}/")).status == 404
    form = {"_csrf": await csrf(client), "op": "disable"}
    assert (await client.post(f"/console/users/{outsider.id}/", data=form)).status == 404


@pytest.mark.parametrize("token", [None, "", "sai-token-" + "x" * 30])
async def test_forms_without_the_sessions_csrf_token_are_refused(client: Any, token: Any) -> None:
    await add_user(client, "lan")
    await csrf(client)  # the session has a token; the form does not carry it
    data = {"username": "lan", "password": "mat-khau-rat-dai-1"}
    if token is not None:
        data["_csrf"] = token
    resp = await client.post("/console/login", data=data, allow_redirects=False)
    assert resp.status == 403
    page = soup(await resp.text())
    assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in page.get_text()
    assert (await client.get("/console/", allow_redirects=False)).status == 302


async def test_a_token_from_another_session_is_refused(make_client: Any) -> None:
    one = await make_client()
    await add_user(one, "lan")
    foreign = await csrf(one)
    one.session.cookie_jar.clear()
    await csrf(one)  # a new session with its own token
    data = {"username": "lan", "password": "mat-khau-rat-dai-1", "_csrf": foreign}
    assert (await one.post("/console/login", data=data, allow_redirects=False)).status == 403


async def test_the_csrf_header_works_for_scripts(client: Any) -> None:
    await signed_in(client, "lan")
    token = await csrf(client)
    resp = await client.post(
        "/console/logout", headers={"X-CSRF-Token": token}, allow_redirects=False
    )
    assert resp.status == 302
    assert (await client.get("/console/", allow_redirects=False)).status == 302


async def test_unknown_console_pages_get_the_vietnamese_404(client: Any) -> None:
    resp = await client.get("/console/khong-co-trang-nay")
    assert resp.status == 404
    assert "Không tìm thấy" in await resp.text()


async def test_a_crash_in_a_handler_is_a_500_page_without_details(client: Any) -> None:
    from bot.console import accounts

    await signed_in(client, "lan")
    original = accounts.list_accounts

    async def boom(*_: Any) -> Any:
        raise RuntimeError("secret internals")

    await signed_in(client, "qt", "admin", units=())
    accounts.list_accounts = boom  # type: ignore[assignment]
    try:
        resp = await client.get("/console/users/")
    finally:
        accounts.list_accounts = original  # type: ignore[assignment]
    text = await resp.text()
    assert resp.status == 500 and "Hệ thống gặp lỗi" in text and "secret internals" not in text


async def test_the_menu_shows_only_what_the_role_may_use(client: Any) -> None:
    await signed_in(client, "tnv", "volunteer")
    menu = soup(await (await client.get("/console/")).text()).select("nav.menu a")
    labels = [a.get_text() for a in menu]
    assert labels == ["Trang chủ", "Chiến dịch", "Thống kê"]
