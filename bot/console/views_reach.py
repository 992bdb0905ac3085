"""Reach of campaigns: one campaign's funnel per channel, the unit's campaigns compared, the
plan's targets beside them, and CSV/XLSX exports (rendered in a worker thread).

The numbers come from bot/campaigns/reach.py; Telegram and web chat have no read receipts, so
their "read" stays empty and the page says why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.campaigns import reach
from bot.console import audit
from bot.console.auth import current, now, require, visible_units
from bot.console.campaign_texts import CHANNEL_LABELS, STATE_LABELS
from bot.console.render import render
from bot.console.views_campaigns import load
from bot.db.models_campaigns import Campaign
from bot.keys import services_key, sessionmaker_key, settings_key
from bot.reports import reach_export
from bot.reports.reach_export import ReachRow

LABELS = CHANNEL_LABELS | {"poster": "Áp phích / mã QR", "total": "Tổng"}
STAGE_LABELS = {
    "queued": "Trong hàng đợi",
    "sent": "Đã gửi",
    "failed": "Lỗi",
    "blocked": "Đã chặn bot",
    "dropped": "Bị bỏ qua",
    "read": "Đã xem",
    "clicks": "Nhấn liên kết",
    "unsubscribed": "Huỷ đăng ký sau đó",
}
EXPORTS = ("csv", "xlsx")
COMPARATORS = {  # KpiTarget.comparator (bot/plans/kpis.py)
    "min": "tối thiểu",
    "max": "tối đa",
    "range": "từ",
    "exact": "",
    "increase": "tăng",
    "decrease": "giảm",
}


def _tz(request: web.Request) -> ZoneInfo:
    return ZoneInfo(request.config_dict[settings_key].timezone)


def _local(request: web.Request, value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(_tz(request)) if value else None


def _rows(request: web.Request, c: Campaign, funnels: list[reach.Funnel]) -> list[ReachRow]:
    return [
        ReachRow(
            c.id,
            c.title,
            _local(request, c.started_at),
            LABELS.get(f.channel, f.channel),
            f.queued,
            f.sent,
            f.failed,
            f.blocked,
            f.dropped,
            f.read,
            f.clicks,
            f.unsubscribed,
        )
        for f in funnels
    ]


async def _export(
    request: web.Request, rows: list[ReachRow], name: str, title: str, unit: str
) -> web.Response:
    fmt = request.match_info["fmt"]
    body = await asyncio.to_thread(reach_export.render, rows, fmt, title)
    async with request.config_dict[sessionmaker_key].begin() as sess:
        await audit.record(
            sess, current(request).actor, "campaign.reach_export", name,
            {"format": fmt, "rows": len(rows)}, unit, now(request),
        )  # fmt: skip
    return web.Response(
        body=body,
        headers={
            "Content-Type": reach_export.CONTENT_TYPES[fmt],
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        },
    )


def _days(request: web.Request) -> int:
    """?days=N: how long after the send an unsubscribe still counts (1-60, default 7)."""
    raw = request.query.get("days", "")
    return min(max(int(raw), 1), 60) if raw.isdigit() and len(raw) < 4 else reach.UNSUBSCRIBE_DAYS


async def _one(request: web.Request) -> tuple[Campaign, list[reach.Funnel]]:
    async with request.config_dict[sessionmaker_key]() as sess:
        c = await load(request, sess, current(request))
        return c, await reach.funnel(sess, c.id, days=_days(request))


@require("volunteer")
async def campaign_reach(request: web.Request) -> web.StreamResponse:
    c, funnels = await _one(request)
    year = (_local(request, c.started_at) or now(request).astimezone(_tz(request))).year
    async with request.config_dict[sessionmaker_key]() as sess:
        targets = await reach.plan_targets(sess, c.unit, year)
    return await render(
        request, "campaign_reach.html", c=c, unit=c.unit, funnels=funnels,
        total=reach.total(funnels) if len(funnels) > 1 else None, stages=STAGE_LABELS,
        labels=LABELS, states=STATE_LABELS, targets=targets, year=year, comparators=COMPARATORS,
        started=_local(request, c.started_at),
        no_receipts=[f.channel for f in funnels if f.read is None and f.channel != "poster"],
        days=_days(request),
    )  # fmt: skip


@require("staff")
async def campaign_reach_export(request: web.Request) -> web.StreamResponse:
    c, funnels = await _one(request)
    rows = _rows(request, c, funnels + ([reach.total(funnels)] if len(funnels) > 1 else []))
    title = f"Hiệu quả chiến dịch #{c.id}: {c.title}"
    return await _export(request, rows, f"hieu-qua-chien-dich-{c.id}", title, c.unit)


def _unit_query(request: web.Request) -> str | None:
    return request.query.get("unit") or None


async def _compared(request: web.Request, unit: str) -> list[tuple[Campaign, reach.Funnel]]:
    if unit not in request.config_dict[services_key].units:
        return []
    async with request.config_dict[sessionmaker_key]() as sess:
        return await reach.compare(sess, unit)


@require("volunteer", unit_from=_unit_query)
async def compare_page(request: web.Request) -> web.StreamResponse:
    units = visible_units(request, current(request))
    unit = request.query.get("unit") or (units[0] if units else "")
    rows = await _compared(request, unit)
    year = now(request).astimezone(_tz(request)).year
    targets: list[Any] = []
    if unit:
        async with request.config_dict[sessionmaker_key]() as sess:
            targets = await reach.plan_targets(sess, unit, year)
    return await render(
        request, "campaigns_reach.html", unit=unit, units=units, rows=rows,
        stages=STAGE_LABELS, states=STATE_LABELS, targets=targets, year=year,
        comparators=COMPARATORS,
        started={c.id: _local(request, c.started_at) for c, _ in rows},
    )  # fmt: skip


@require("staff", unit_from=_unit_query)
async def compare_export(request: web.Request) -> web.StreamResponse:
    units = visible_units(request, current(request))
    unit = request.query.get("unit") or (units[0] if units else "")
    rows = [r for c, f in await _compared(request, unit) for r in _rows(request, c, [f])]
    title = f"So sánh hiệu quả các chiến dịch · {unit}"
    return await _export(request, rows, f"so-sanh-chien-dich-{unit}", title, unit)


def add_routes(r: web.UrlDispatcher) -> None:
    cid = r"/campaigns/{cid:\d{1,18}}"
    fmt = "{fmt:" + "|".join(EXPORTS) + "}"
    r.add_get("/campaigns/reach", compare_page, name="campaigns_reach")
    r.add_get("/campaigns/reach." + fmt, compare_export, name="campaigns_reach_export")
    r.add_get(cid + "/reach", campaign_reach, name="campaign_reach")
    r.add_get(cid + "/reach." + fmt, campaign_reach_export, name="campaign_reach_export")
