"""Sign in, sign out, and the one-time setup page that creates the first admin."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable

from aiohttp import web
from aiohttp_session import get_session

from bot.console import accounts, audit, setup_link, throttle
from bot.console.accounts import AccountError
from bot.console.auth import load_user, now, public, safe_next, sign_in_session, sign_out_session
from bot.console.passwords import PasswordsBusy, password_checks_key
from bot.console.render import render
from bot.console.security import client_ip, device_token, set_device_cookie
from bot.keys import services_key, sessionmaker_key

BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
DISABLED = "Tài khoản này đã bị khoá. Vui lòng liên hệ quản trị viên."
TOO_SOON = "Mật khẩu đã bị nhập sai nhiều lần."
BUSY = "Máy chủ đang bận kiểm tra các lượt đăng nhập khác. Vui lòng thử lại sau ít giây."


def wait_message(seconds: int) -> str:
    if seconds >= 120:
        return f"Vui lòng chờ {seconds} giây (khoảng {round(seconds / 60)} phút) rồi thử lại."
    return f"Vui lòng chờ {seconds} giây rồi thử lại."


def this_try(request: web.Request, username: str) -> throttle.Try:
    token = device_token(request)
    return throttle.Try(
        username, client_ip(request), throttle.device_place(token) if token else None
    )


def refused(response: web.Response, seconds: int) -> web.Response:
    response.headers["Retry-After"] = str(max(1, seconds))
    return response


@public
async def login_page(request: web.Request) -> web.StreamResponse:
    if await load_user(request) is not None:
        raise web.HTTPFound(safe_next(request.query.get("next")))
    return await render(
        request, "login.html", error="", username="", next=safe_next(request.query.get("next"))
    )


@public
async def login_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username = accounts.normalize_username(str(form.get("username", "")))[:64]
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    who = this_try(request, username)
    checks = request.config_dict[password_checks_key]
    maker = request.config_dict[sessionmaker_key]

    def page(status: int, error: str) -> Awaitable[web.Response]:
        return render(
            request, "login.html", status=status, error=error, username=username, next=target
        )

    async with checks.one_at_a_time((who.username, who.ip, who.device)):
        when = now(request)
        async with maker() as sess:
            verdict = await throttle.check(sess, who, when)
            row = await accounts.get_row(sess, username) if username else None
        if verdict.wait:  # refused before the password is looked at: no oracle
            error = f"{TOO_SOON} {wait_message(verdict.seconds)}"
            return refused(await page(429, error), verdict.seconds)
        try:
            ok = await checks.verify(row.password_hash if row else None, password)
        except PasswordsBusy:
            return refused(await page(503, BUSY), 5)
        account, token = None, ""
        async with maker.begin() as sess:
            if row is None or not ok:
                await throttle.record(sess, who, verdict, "bad", when)
                await audit.record(
                    sess,
                    username or "?",
                    "auth.login_failed",
                    target=username,
                    detail={"ip": who.ip},
                    now=when,
                )
                after = await throttle.check(sess, who, when)
                error = f"{BAD_LOGIN} {wait_message(after.seconds)}" if after.wait else BAD_LOGIN
            elif not row.active:
                await throttle.record(sess, who, verdict, "off", when)
                error = DISABLED
            else:
                await throttle.record(sess, who, verdict, "ok", when)
                token = device_token(request) or secrets.token_urlsafe(32)
                places = [throttle.device_place(token), "a:" + who.ip]
                await throttle.remember(sess, username, places, when)
                row = await accounts.get_row(sess, username)
                assert row is not None
                await accounts.mark_signed_in(sess, row, password, when)
                account = await accounts.get_account(sess, row.id)
                assert account is not None
                await audit.record(
                    sess, account.actor, "auth.login", target=username, detail={"ip": who.ip},
                    now=when,
                )  # fmt: skip
    if account is None:
        return await page(200, error)
    await sign_in_session(request, account)
    found = web.HTTPFound(target)
    set_device_cookie(request, found, token)
    raise found


@public
async def logout(request: web.Request) -> web.StreamResponse:
    user = await load_user(request)
    session = await get_session(request)
    if user is not None:
        when = now(request)
        async with request.config_dict[sessionmaker_key].begin() as sess:
            # The cookie alone cannot be revoked (it is self-contained): moving the account's
            # session epoch ends this session and every copy of it, on every device.
            await accounts.end_sessions(sess, user.id, when)
            await audit.record(sess, user.actor, "auth.logout", target=user.username, now=when)
    sign_out_session(session)
    session.pop("csrf", None)
    raise web.HTTPFound("/console/login")


async def _setup_token_ok(request: web.Request) -> bool:
    async with request.config_dict[sessionmaker_key]() as sess:
        return await setup_link.is_valid(sess, request.match_info["token"], now(request))


INVALID_LINK = (
    "Liên kết tạo tài khoản không hợp lệ, đã dùng hoặc đã hết hạn. Nếu chưa có tài khoản nào, "
    "khởi động lại chương trình để nhận liên kết mới, hoặc dùng lệnh `loaxa user add`."
)


@public
async def setup_page(request: web.Request) -> web.StreamResponse:
    if not await _setup_token_ok(request):
        return await render(
            request,
            "error.html",
            status=404,
            title="Liên kết không dùng được",
            message=INVALID_LINK,
        )
    return await render(request, "setup.html", error="", username="", display_name="")


@public
async def setup_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username = str(form.get("username", ""))
    display_name = str(form.get("display_name", ""))
    password = str(form.get("password", ""))
    when = now(request)
    units = request.config_dict[services_key].units
    try:
        accounts.check_password(password, str(form.get("password2", "")))
        async with request.config_dict[sessionmaker_key].begin() as sess:
            if not await setup_link.consume(sess, request.match_info["token"], when):
                return await render(
                    request,
                    "error.html",
                    status=404,
                    title="Liên kết không dùng được",
                    message=INVALID_LINK,
                )
            account = await accounts.create_user(
                sess,
                username=username,
                password=password,
                role="admin",
                units=(),
                known_units=units,
                now=when,
                display_name=display_name,
            )
            row = await accounts.get_row(sess, account.username)
            if row is not None:  # the first admin is signed in at once: that is a sign-in
                await accounts.mark_signed_in(sess, row, password, when)
            await audit.record(
                sess, account.actor, "auth.setup", target=account.username, now=when
            )
    except AccountError as exc:
        return await render(
            request,
            "setup.html",
            status=400,
            error=str(exc),
            username=username,
            display_name=display_name,
        )
    await sign_in_session(request, account)
    raise web.HTTPFound("/console/")
