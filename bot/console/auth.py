"""Who is signed in, and `require`: the permission check every console handler goes through.

    @require("staff", unit_from="unit")
    async def queue(request: web.Request) -> web.StreamResponse:
        user = current(request)          # the signed-in Account
        ...

Not signed in → redirect to the login page (with ?next=); role too low → 403 page; a unit
outside the user's scope, or unknown → 404 page (existence is not revealed).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from aiohttp_session import get_session

from bot.console.accounts import Account, get_account
from bot.console.security import Handler, csrf_token
from bot.core.actors import PermissionDenied, Role
from bot.keys import services_key, sessionmaker_key, settings_key

USER = web.RequestKey("console_user", Account)
REQUIRE_ATTR = "__console_require__"
PUBLIC_ATTR = "__console_public__"
UnitFrom = str | Callable[[web.Request], str | None] | None


def now(request: web.Request) -> dt.datetime:
    return request.config_dict[services_key].clock()


def current(request: web.Request) -> Account:
    """The signed-in account (only inside a handler wrapped by `require`)."""
    return request[USER]


async def load_user(request: web.Request) -> Account | None:
    """The account of this session if it is still valid (active, same epoch, not expired)."""
    if USER in request:
        return request[USER]
    session = await get_session(request)
    uid, epoch, at = session.get("uid"), session.get("ep"), session.get("at")
    if not (isinstance(uid, int) and isinstance(epoch, int) and isinstance(at, int | float)):
        return None
    hours = request.config_dict[settings_key].console_session_hours
    if now(request).timestamp() - at > hours * 3600:
        sign_out_session(session)
        return None
    async with request.config_dict[sessionmaker_key]() as sess:
        account = await get_account(sess, uid)
    if account is None or not account.active or account.session_epoch != epoch:
        sign_out_session(session)
        return None
    request[USER] = account
    return account


async def sign_in_session(request: web.Request, account: Account) -> None:
    """Start a fresh session for the account (new CSRF token: no fixation)."""
    session = await get_session(request)
    session.clear()
    session["uid"] = account.id
    session["ep"] = account.session_epoch
    session["at"] = int(now(request).timestamp())
    await csrf_token(request)
    request[USER] = account


def sign_out_session(session: Any) -> None:
    for key in ("uid", "ep", "at"):
        session.pop(key, None)


def login_redirect(request: web.Request) -> web.HTTPFound:
    target = request.path_qs if request.method == "GET" else "/console/"
    return web.HTTPFound("/console/login?" + urlencode({"next": target}))


def safe_next(raw: str | None) -> str:
    """Only paths inside the console (no open redirect to another site)."""
    if raw and raw.startswith("/console/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return "/console/"


def unit_of(request: web.Request, unit_from: UnitFrom) -> str | None:
    if unit_from is None:
        return None
    if callable(unit_from):
        return unit_from(request)
    return request.match_info.get(unit_from) or request.query.get(unit_from) or None


def require(role: Role, unit_from: UnitFrom = None) -> Callable[[Handler], Handler]:
    """Guard a handler: signed in, at least `role`, and the unit (if any) within scope."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            user = await load_user(request)
            if user is None:
                raise login_redirect(request)
            try:
                user.actor.require(role)
            except PermissionDenied:
                raise web.HTTPForbidden() from None
            unit = unit_of(request, unit_from)
            if unit is not None and (
                unit not in request.config_dict[services_key].units or not user.actor.can_see(unit)
            ):
                raise web.HTTPNotFound()
            return await handler(request)

        setattr(guarded, REQUIRE_ATTR, (role, unit_from))
        return guarded

    return decorate


def public(handler: Handler) -> Handler:
    """Mark a handler that anybody may open (login, setup); tests check every other is guarded."""
    setattr(handler, PUBLIC_ATTR, True)
    return handler


def visible_units(request: web.Request, user: Account) -> list[str]:
    """The unit keys the user may see, in a stable order."""
    units = request.config_dict[services_key].units
    return [key for key in sorted(units) if user.actor.can_see(key)]
