"""Home (first dashboard card), the account page, the poster's notes for staff, and "under
construction" placeholders."""

from __future__ import annotations

from aiohttp import web
from aiohttp_session import get_session

from bot.console import accounts, audit, stats, throttle
from bot.console.accounts import AccountError
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.console.security import Handler, client_ip
from bot.console.views_auth import locked_message
from bot.core.actors import Role
from bot.keys import services_key, sessionmaker_key, settings_key

WRONG_CURRENT = "Mật khẩu hiện tại không đúng."


@require("volunteer")
async def home(request: web.Request) -> web.StreamResponse:
    user = current(request)
    units = visible_units(request, user)
    async with request.config_dict[sessionmaker_key]() as sess:
        today = await stats.today_by_unit(
            sess, units, now(request), request.config_dict[settings_key].timezone
        )
    return await render(request, "home.html", today=today)


@require("volunteer")
async def account_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "account.html", error="", done=bool(request.query.get("ok")))


@require("volunteer")
async def account_password(request: web.Request) -> web.StreamResponse:
    """Change one's own password. Checking the current one is throttled like signing in (same
    counters): a stolen session cookie must not become a way to guess the password."""
    user = current(request)
    form = await request.post()
    when = now(request)
    ip = client_ip(request)
    try:
        accounts.check_password(str(form.get("password", "")), str(form.get("password2", "")))
    except AccountError as exc:
        return await render(request, "account.html", status=400, error=str(exc), done=False)
    error, status, epoch = "", 400, 0
    async with request.config_dict[sessionmaker_key].begin() as sess:
        lock = await throttle.check(sess, user.username, ip, when)
        row = await accounts.get_row(sess, user.username)
        if lock is not None:
            await throttle.record(sess, user.username, ip, "locked", when)
            error, status = locked_message(lock.minutes_left(when)), 429
        elif row is None or not accounts.verify_password(
            row.password_hash, str(form.get("current", ""))
        ):
            await throttle.record(sess, user.username, ip, "bad", when)
            await audit.record(
                sess,
                user.actor,
                "auth.password_check_failed",
                target=user.username,
                detail={"ip": ip},
                now=when,
            )
            lock = await throttle.check(sess, user.username, ip, when)
            error = locked_message(lock.minutes_left(when)) if lock else WRONG_CURRENT
            status = 429 if lock else 400
            if lock is not None:  # whoever holds this cookie is guessing: sign them out
                await accounts.end_sessions(sess, user.id, when)
        else:
            epoch = await accounts.set_password(sess, user.id, str(form["password"]), when)
            await audit.record(
                sess, user.actor, "user.password_change", target=user.username, now=when
            )
    if error:  # the failed try is committed: it counts towards the lock
        return await render(request, "account.html", status=status, error=error, done=False)
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
