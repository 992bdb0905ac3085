"""/console/categories/{unit}: a unit admin picks the PAKN categories the form offers, and
their order.

Stored in the database (bot/db/unit_categories.py) over content/pakn.yaml, like the ấp/khu phố
list: every process uses an edit at the citizen's next message. Only categories of the policy
can be picked (each has its deadline there); "Khác" is always offered. Each save is audited
with the keys added and removed.
"""

from __future__ import annotations

from aiohttp import web

from bot.console import audit
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.core.services import Services
from bot.db import unit_categories
from bot.keys import services_key, sessionmaker_key
from bot.pakn.deadlines import DeadlinePolicy

audit.ACTION_LABELS["unit.categories"] = "Sửa danh sách lĩnh vực phản ánh"


def _policy(request: web.Request, unit: str) -> DeadlinePolicy:
    services: Services = request.config_dict[services_key]
    assert services.pakn is not None
    return services.pakn.policies.policy(unit)


@require("admin")
async def index(request: web.Request) -> web.StreamResponse:
    """The first unit the admin may edit (most unit admins have one)."""
    units = visible_units(request, current(request))
    if not units:
        raise web.HTTPNotFound()
    raise web.HTTPFound(f"/console/categories/{sorted(units)[0]}")


async def _page(request: web.Request, error: str = "") -> web.Response:
    key = request.match_info["unit"]
    unit = request.config_dict[services_key].units[key]
    policy = _policy(request, key)
    async with request.config_dict[sessionmaker_key]() as sess:
        edited = await unit_categories.edited_categories(sess, key)
        offered = await unit_categories.offered(sess, key, policy.offered, policy.choosable)
    rest = [k for k in policy.choosable if k not in offered]
    rows = [
        {
            "key": k,
            "label": policy.label(k),
            "days": policy.rule("answer", k).days,
            "on": k in offered,
            "position": i,
        }
        for i, k in enumerate([*offered, *rest], start=1)
    ]
    response = await render(
        request,
        "categories.html",
        unit=unit,
        rows=rows,
        always=unit_categories.ALWAYS,
        from_file=edited is None,
        units=sorted(visible_units(request, current(request))),
        error=error,
        saved=request.query.get("ok") == "1",
    )
    if error:
        response.set_status(400)
    return response


@require("admin", unit_from="unit")
async def page(request: web.Request) -> web.StreamResponse:
    return await _page(request)


def _position(value: object, fallback: int) -> int:
    try:
        return max(0, min(int(str(value)), 999))
    except ValueError:
        return fallback


@require("admin", unit_from="unit")
async def save(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    unit, user = request.match_info["unit"], current(request)
    policy = _policy(request, unit)
    picked = [str(k) for k in form.getall("offered", [])][:100]
    order = {k: _position(form.get(f"pos_{k}"), 999) for k in picked}
    # Sorted by the number the admin typed; ties keep the page's order.
    picked.sort(key=lambda k: order[k])
    try:
        keys = unit_categories.clean_categories(picked, policy.choosable)
    except unit_categories.CategoryError as exc:
        return await _page(request, str(exc))
    async with request.config_dict[sessionmaker_key].begin() as sess:
        before = await unit_categories.save_categories(sess, unit, keys, user.username,
                                                       now(request))  # fmt: skip
        await audit.record(
            sess,
            user.actor,
            "unit.categories",
            target=f"unit:{unit}",
            unit=unit,
            detail={
                "added": [k for k in keys if k not in before],
                "removed": [k for k in before if k not in keys],
                "order": keys,
            },
            now=now(request),
        )
    raise web.HTTPFound(f"/console/categories/{unit}?ok=1")


def add_routes(router: web.UrlDispatcher) -> None:
    unit = r"/categories/{unit:[a-z0-9]+(?:-[a-z0-9]+)*}"
    router.add_get("/categories/", index, name="categories")
    router.add_get(unit, page, name="categories_unit")
    router.add_post(unit, save, name="categories_save")
