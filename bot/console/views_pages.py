"""Home (first dashboard card), the account page, the poster's notes for staff, and "under
construction" placeholders."""

from __future__ import annotations

import re
from collections.abc import Awaitable

from aiohttp import web
from aiohttp_session import get_session

from bot.console import accounts, audit, notices, stats, throttle, waiting
from bot.console.accounts import AccountError
from bot.console.auth import current, now, require, visible_units
from bot.console.passwords import PasswordsBusy, password_checks_key
from bot.console.render import render
from bot.console.security import Handler
from bot.console.views_auth import BUSY, TOO_SOON, refused, this_try, wait_message
from bot.core.actors import Role
from bot.keys import services_key, sessionmaker_key, settings_key

EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}")
audit.ACTION_LABELS.setdefault("user.email", "Đổi e-mail nhận thông báo")
WRONG_CURRENT = "Mật khẩu hiện tại không đúng."


@require("volunteer")
async def home(request: web.Request) -> web.StreamResponse:
    user = current(request)
    units = visible_units(request, user)
    async with request.config_dict[sessionmaker_key]() as sess:
        today = await stats.today_by_unit(
            sess, units, now(request), request.config_dict[settings_key].timezone
        )
        counts = await waiting.count(
            sess, request.config_dict[services_key], user.role, user.username, units, now(request)
        )
        unread = await notices.unread(sess, user.username)
    return await render(request, "home.html", today=today, waiting=counts, notices=unread)


@require("volunteer")
async def account_page(request: web.Request) -> web.StreamResponse:
    async with request.config_dict[sessionmaker_key]() as sess:
        email = await notices.email_of(sess, current(request).username)
    return await render(
        request,
        "account.html",
        error="",
        done=bool(request.query.get("ok")),
        email=email or "",
        email_done=request.query.get("email") == "ok",
    )


@require("volunteer")
async def account_email(request: web.Request) -> web.StreamResponse:
    """One's own address for the digest and notices; empty removes it. Audited (no address
    in the log: it is personal data)."""
    user = current(request)
    email = str((await request.post()).get("email", "")).strip()
    if email and not EMAIL.fullmatch(email):
        return await render(
            request, "account.html", status=400, error="", done=False, email=email,
            email_error="Địa chỉ e-mail không hợp lệ.",
        )  # fmt: skip
    async with request.config_dict[sessionmaker_key].begin() as sess:
        row = await accounts.get_row(sess, user.username)
        if row is None:
            raise web.HTTPForbidden()
        row.email = email or None
        await audit.record(
            sess, user.actor, "user.email", target=user.username,
            detail={"set": bool(email)}, now=now(request),
        )  # fmt: skip
    raise web.HTTPFound("/console/account?email=ok")


@require("volunteer")
async def account_password(request: web.Request) -> web.StreamResponse:
    """Change one's own password. Checking the current one is throttled like signing in (same
    counters): a stolen session cookie must not become a way to guess the password."""
    user = current(request)
    form = await request.post()
    try:
        accounts.check_password(str(form.get("password", "")), str(form.get("password2", "")))
    except AccountError as exc:
        return await render(request, "account.html", status=400, error=str(exc), done=False)
    who = this_try(request, user.username)
    checks = request.config_dict[password_checks_key]
    maker = request.config_dict[sessionmaker_key]

    def page(status: int, error: str) -> Awaitable[web.Response]:
        return render(request, "account.html", status=status, error=error, done=False)

    async with checks.one_at_a_time((who.username, who.ip, who.device)):
        when = now(request)
        async with maker() as sess:
            verdict = await throttle.check(sess, who, when)
            row = await accounts.get_row(sess, user.username)
        if verdict.wait:
            error = f"{TOO_SOON} {wait_message(verdict.seconds)}"
            return refused(await page(429, error), verdict.seconds)
        try:
            current_password = str(form.get("current", ""))
            ok = await checks.verify(row.password_hash if row else None, current_password)
        except PasswordsBusy:
            return refused(await page(503, BUSY), 5)
        async with maker.begin() as sess:
            if row is None or not ok:
                await throttle.record(sess, who, verdict, "bad", when)
                await audit.record(
                    sess,
                    user.actor,
                    "auth.password_check_failed",
                    target=user.username,
                    detail={"ip": who.ip},
                    now=when,
                )
                after = await throttle.check(sess, who, when)
                if not after.wait:
                    error = WRONG_CURRENT
                else:  # whoever holds this cookie may be guessing: sign every session out
                    await accounts.end_sessions(sess, user.id, when)
                    error = f"{WRONG_CURRENT} {wait_message(after.seconds)}"
            else:
                epoch = await accounts.set_password(sess, user.id, str(form["password"]), when)
                await audit.record(
                    sess, user.actor, "user.password_change", target=user.username, now=when
                )
                error = ""
    if error:  # the failed try is committed: it counts towards the delays
        return await page(400, error)
    # Other sessions of this account end; this one continues with the new epoch.
    (await get_session(request))["ep"] = epoch
    raise web.HTTPFound("/console/account?ok=1")


@require("volunteer", unit_from="unit")
async def poster_page(request: web.Request) -> web.StreamResponse:
    """The unit's QR poster: where it is, and what it lacks (notes naming settings, which the
    public poster page does not show)."""
    from bot.outreach.poster import staff_notes
    from bot.outreach.web import links_for

    unit = request.config_dict[services_key].units.get(request.match_info["unit"])
    if unit is None:
        raise web.HTTPNotFound()
    notes = staff_notes(unit, links_for(request, unit))
    return await render(request, "poster_notes.html", unit=unit.key, notes=notes)


def placeholder(role: Role, title: str) -> Handler:
    """A page that other engineers will build; it shows "Đang xây dựng" for now."""

    @require(role)
    async def page(request: web.Request) -> web.StreamResponse:
        return await render(request, "placeholder.html", title=title)

    page.__name__ = f"placeholder_{title}"
    return page
