"""Reports (/console/reports/): choose a unit and a period, download the PAKN register or the
periodic report as XLSX, CSV or a printable page. Builders: bot/reports/."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.console import audit
from bot.console.auth import current, now, require, visible_units
from bot.console.render import error_page, render
from bot.core.services import Services
from bot.isolate import ChildFailed, LimitExceeded, run_limited
from bot.keys import services_key, sessionmaker_key, settings_key
from bot.reports import formats, periods
from bot.reports.period_report import build_period_report
from bot.reports.register import build_register

RENDER_SLOTS = threading.BoundedSemaphore(2)  # reports rendered at once by this process
RENDER_SECONDS = 60.0
RENDER_MEMORY_MB = 512
BUSY = "Máy chủ đang lập nhiều báo cáo. Vui lòng thử lại sau ít phút."
TOO_HEAVY = "Báo cáo quá lớn để lập lúc này. Hãy chọn kỳ ngắn hơn hoặc thử lại sau."


class NotRendered(Exception):
    """The report file could not be made now; the message says why, to the staff member."""


def render_limited(report: formats.Report, fmt: str) -> bytes:
    """Render the file in a separate process with a time and memory limit (openpyxl and the
    print page are CPU work); blocking, so called in a worker thread."""
    if not RENDER_SLOTS.acquire(timeout=30):
        raise NotRendered(BUSY)
    try:
        body = run_limited(
            formats.render, (report, fmt), seconds=RENDER_SECONDS, memory_mb=RENDER_MEMORY_MB
        )
    except (LimitExceeded, ChildFailed):
        raise NotRendered(TOO_HEAVY) from None
    finally:
        RENDER_SLOTS.release()
    return bytes(body)


KINDS = {"pakn": "Sổ theo dõi phản ánh, kiến nghị", "period": "Báo cáo định kỳ"}
MONTHS = range(1, 13)
YEARS_BACK = 5


def _unit_filter(request: web.Request) -> str | None:
    return request.query.get("unit") or None


def _int(raw: str, default: int) -> int:
    try:
        return int(raw)
    except ValueError:
        return default


def chosen_period(query: dict[str, str], today: dt.date) -> periods.Period:
    """From `period=2026-Q1`, or from the pickers (type, year, month, quarter, half)."""
    if query.get("period"):
        return periods.parse(query["period"])
    kind = query.get("type", "quarter")
    year = _int(query.get("year", ""), today.year)
    index = {
        "month": _int(query.get("month", ""), today.month),
        "quarter": _int(query.get("quarter", ""), (today.month - 1) // 3 + 1),
        "half": _int(query.get("half", ""), 1 if today.month <= 6 else 2),
    }.get(kind, 0)
    return periods.make(kind, year, index)


def _form(request: web.Request, units: list[str], today: dt.date) -> dict[str, str]:
    q = request.query
    return {
        "unit": q.get("unit", units[0] if len(units) == 1 else ""),
        "kind": q.get("kind", "pakn") if q.get("kind") in KINDS else "pakn",
        "type": q.get("type", "quarter") if q.get("type") in periods.KINDS else "quarter",
        "year": q.get("year", str(today.year)),
        "month": q.get("month", str(today.month)),
        "quarter": q.get("quarter", str((today.month - 1) // 3 + 1)),
        "half": q.get("half", "1" if today.month <= 6 else "2"),
    }


@require("staff", unit_from=_unit_filter)
async def reports_page(request: web.Request) -> web.StreamResponse:
    user = current(request)
    tz = request.config_dict[settings_key].timezone
    today = now(request).astimezone(ZoneInfo(tz)).date()
    units = visible_units(request, user)
    form = _form(request, units, today)
    error, preview = "", None
    try:
        period = chosen_period(dict(request.query), today)
    except periods.PeriodError as exc:
        error, period = str(exc), periods.current(today)
    if form["unit"] and not error:
        preview = await _build(request, "period", form["unit"], period)
    return await render(
        request,
        "reports.html",
        status=400 if error else 200,
        form=form,
        period=period,
        preview=preview,
        error=error,
        my_units=units,
        kinds=KINDS,
        period_kinds=periods.KIND_LABELS,
        years=range(today.year, today.year - YEARS_BACK - 1, -1),
        months=MONTHS,
        roman=periods.ROMAN,
        cell=formats.cell_text,
    )


async def _build(
    request: web.Request, kind: str, unit: str, period: periods.Period
) -> formats.Report:
    services: Services = request.config_dict[services_key]
    builder = build_register if kind == "pakn" else build_period_report
    async with request.config_dict[sessionmaker_key]() as sess:
        return await builder(
            sess,
            services.units[unit],
            period,
            tz=request.config_dict[settings_key].timezone,
            book=services.pakn.policies if services.pakn else None,
            now=now(request),
            author=current(request).shown_name,
        )


@require("staff", unit_from=_unit_filter)
async def export(request: web.Request) -> web.StreamResponse:
    user = current(request)
    tz = request.config_dict[settings_key].timezone
    today = now(request).astimezone(ZoneInfo(tz)).date()
    units = visible_units(request, user)
    unit = request.query.get("unit") or (units[0] if len(units) == 1 else "")
    kind = request.query.get("kind", "")
    fmt = request.query.get("format", "")
    if not unit or kind not in KINDS or fmt not in formats.FORMATS:
        raise web.HTTPBadRequest(text="Chọn đơn vị, loại báo cáo và định dạng.")
    try:
        period = chosen_period(dict(request.query), today)
    except periods.PeriodError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    report = await _build(request, kind, unit, period)
    try:
        body = await asyncio.to_thread(render_limited, report, fmt)
    except NotRendered as exc:
        return await error_page(request, 503, str(exc))
    async with request.config_dict[sessionmaker_key].begin() as sess:
        await audit.record(
            sess,
            user.actor,
            "report.export",
            target=f"report:{kind}",
            detail={"period": period.spec, "format": fmt, "rows": len(report.rows)},
            unit=unit,
            now=now(request),
        )
    response = web.Response(body=body, headers={"Content-Type": formats.CONTENT_TYPES[fmt]})
    if fmt == "html":
        response.headers["Content-Security-Policy"] = formats.html_csp(body.decode("utf-8"))
    else:
        response.headers["Content-Disposition"] = f'attachment; filename="{report.filename(fmt)}"'
    return response
