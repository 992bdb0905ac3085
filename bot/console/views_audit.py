"""The audit page: admins see everything (or their units), staff their units; with filters."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.console import audit
from bot.console.auth import current, require, visible_units
from bot.console.render import render
from bot.keys import sessionmaker_key, settings_key


def _day(raw: str, tz: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def _unit_filter(request: web.Request) -> str | None:
    """The unit filter, checked by `require` (a unit outside the user's scope is a 404)."""
    return request.query.get("unit") or None


@require("staff", unit_from=_unit_filter)
async def audit_page(request: web.Request) -> web.StreamResponse:
    user = current(request)
    tz = request.config_dict[settings_key].timezone
    q = request.query
    since = _day(q.get("from", ""), tz)
    until = _day(q.get("to", ""), tz)
    filt = audit.AuditFilter(
        action=q.get("action", "")[:64],
        unit=q.get("unit", ""),
        since=since,
        until=until + dt.timedelta(days=1) if until else None,
    )
    try:
        page = max(1, int(q.get("page", "1")))
    except ValueError:
        page = 1
    async with request.config_dict[sessionmaker_key]() as sess:
        result = await audit.search(sess, user.actor, filt, page)
        actions = await audit.actions(sess)
    keep = {k: v for k, v in q.items() if k in ("action", "unit", "from", "to") and v}
    return await render(
        request,
        "audit.html",
        result=result,
        actions=actions,
        labels=audit.ACTION_LABELS,
        my_units=visible_units(request, user),
        query=keep,
        page_url=lambda n: "?" + urlencode({**keep, "page": n}),
    )
