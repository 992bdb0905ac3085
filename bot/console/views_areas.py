"""/console/areas/{unit}: a unit admin edits the unit's ấp/khu phố list.

The list is stored in the database (bot/db/unit_areas.py), overriding `areas` of the unit's YAML
file: every process reads it per message, so the PAKN area step and "Tin của ấp/khu phố" follow
an edit at once, whichever process serves the citizen; writing the YAML instead would need every
process to reload it (and a writable, shared content directory). Each save is audited with the
names added and removed (place names, not personal data).
"""

from __future__ import annotations

from aiohttp import web

from bot.console import audit
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.db import unit_areas
from bot.keys import services_key, sessionmaker_key

audit.ACTION_LABELS["unit.areas"] = "Sửa danh sách ấp/khu phố"
MAX_FORM = 8000  # characters: 60 names of 60 characters and their line breaks


def _unit(request: web.Request) -> str:
    return request.match_info["unit"]


@require("admin")
async def index(request: web.Request) -> web.StreamResponse:
    """The first unit the admin may edit (most unit admins have one)."""
    units = visible_units(request, current(request))
    if not units:
        raise web.HTTPNotFound()
    raise web.HTTPFound(f"/console/areas/{sorted(units)[0]}")


async def _page(request: web.Request, text: str | None = None, error: str = "") -> web.Response:
    unit = request.config_dict[services_key].units[_unit(request)]
    async with request.config_dict[sessionmaker_key]() as sess:
        edited = await unit_areas.edited_areas(sess, unit.key)
    areas = edited if edited is not None else list(unit.areas)
    response = await render(
        request,
        "areas.html",
        unit=unit,
        areas=areas,
        text="\n".join(areas) if text is None else text,
        from_file=edited is None,
        units=sorted(visible_units(request, current(request))),
        error=error,
        saved=request.query.get("ok") == "1",
        max_areas=unit_areas.MAX_AREAS,
    )
    if error:
        response.set_status(400)
    return response


@require("admin", unit_from="unit")
async def page(request: web.Request) -> web.StreamResponse:
    return await _page(request)


@require("admin", unit_from="unit")
async def save(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    text = str(form.get("areas", ""))[:MAX_FORM]
    try:
        areas = unit_areas.clean_areas(text.splitlines())
    except unit_areas.AreaError as exc:
        return await _page(request, text, str(exc))
    unit, user = _unit(request), current(request)
    async with request.config_dict[sessionmaker_key].begin() as sess:
        before = await unit_areas.save_areas(sess, unit, areas, user.username, now(request))
        await audit.record(
            sess,
            user.actor,
            "unit.areas",
            target=f"unit:{unit}",
            unit=unit,
            detail={
                "added": [a for a in areas if a not in before],
                "removed": [a for a in before if a not in areas],
                "count": len(areas),
            },
            now=now(request),
        )
    raise web.HTTPFound(f"/console/areas/{unit}?ok=1")


def add_routes(router: web.UrlDispatcher) -> None:
    unit = r"/areas/{unit:[a-z0-9]+(?:-[a-z0-9]+)*}"
    router.add_get("/areas/", index, name="areas")
    router.add_get(unit, page, name="areas_unit")
    router.add_post(unit, save, name="areas_save")
