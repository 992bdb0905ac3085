"""`loaxa campaign list|show ID|progress ID [--watch]|report ID` and `loaxa plan calendar`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import formatting
from bot.settings import Settings


def add_commands(sub: Any, plan_sub: Any) -> None:
    """Add `campaign …` to the top-level subparsers and `calendar` to `plan`'s."""
    camp = sub.add_parser("campaign", help="broadcast campaigns: list, show, progress, report")
    csub = camp.add_subparsers(dest="campaign_command", required=True)
    ls = csub.add_parser("list", help="campaigns of a unit, newest first")
    ls.add_argument("--unit")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=lambda a: _run(cmd_list(a)))
    for name, func, helptext in (
        ("show", cmd_show, "one campaign: fields, audit trail, progress"),
        ("progress", cmd_progress, "sent / failed / pending, rate and ETA"),
        ("report", cmd_report, "delivery report: reach per channel and problems"),
    ):
        p = csub.add_parser(name, help=helptext)
        p.add_argument("id", type=int)
        p.add_argument("--json", action="store_true")
        if name == "progress":
            p.add_argument("--watch", action="store_true", help="refresh until it is finished")
            p.add_argument("--interval", type=float, default=2.0)
        p.set_defaults(func=lambda a, f=func: _run(f(a)))
    cal = plan_sub.add_parser("calendar", help="plan -> draft campaigns and KPI targets")
    cal.add_argument("file")
    cal.add_argument("--unit", required=True)
    cal.add_argument(
        "--start", type=dt.date.fromisoformat, help="first date (YYYY-MM-DD; default: today)"
    )
    cal.add_argument("--cadence", choices=("weekly", "biweekly", "monthly"), default="weekly")
    cal.add_argument("--json", action="store_true")
    cal.add_argument("--create", action="store_true", help="store the drafts and KPI targets")
    cal.set_defaults(func=lambda a: _run(cmd_calendar(a)), inputs=("file",))


def _run(coro: Awaitable[int]) -> int:
    return asyncio.run(coro)  # type: ignore[arg-type]


@asynccontextmanager
async def _session(settings: Settings) -> AsyncIterator[AsyncSession]:
    from bot.db.engine import make_engine, make_sessionmaker, migrate

    engine = make_engine(settings.resolved_database_url)
    try:
        await migrate(engine)
        async with make_sessionmaker(engine).begin() as sess:
            yield sess
    finally:
        await engine.dispose()


def _service(settings: Settings) -> Any:
    from bot.campaigns.service import CampaignService
    from bot.campaigns.topics import load_catalog
    from bot.content.messages import load_messages
    from bot.content.units import load_units

    units = load_units(settings.content_dir / "units")
    messages = load_messages(settings.content_dir / "messages.vi.yaml")
    catalog = load_catalog(settings.content_dir, set(units))
    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    return CampaignService(units, messages, catalog, clock, settings.timezone)


def _out(text: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def _print(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    if as_json:
        _out(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        _out(text())


def _summary(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "unit": c.unit,
        "title": c.title,
        "status": c.status,
        "topics": c.topics,
        "areas": c.areas,
        "channels": c.channels,
        "author": c.author,
        "approved_by": c.approved_by,
        "emergency": c.emergency,
        "planned_at": c.planned_at,
        "scheduled_at": c.scheduled_at,
        "started_at": c.started_at,
        "finished_at": c.finished_at,
    }


async def cmd_list(args: argparse.Namespace) -> int:
    from bot.db.models_campaigns import Campaign

    settings = Settings.from_env()
    async with _session(settings) as sess:
        query = select(Campaign).order_by(Campaign.id.desc())
        if args.unit:
            query = query.where(Campaign.unit == args.unit)
        rows = [_summary(c) for c in (await sess.execute(query)).scalars()]
    _print(
        rows,
        args.json,
        lambda: (
            "\n".join(
                f"{r['id']:>5}  {r['status']:<10} {r['unit']:<18} {r['title'][:60]}" for r in rows
            )
            or "No campaigns."
        ),
    )
    return 0


async def _load(sess: AsyncSession, cid: int) -> Any:
    from bot.db.models_campaigns import Campaign

    campaign = await sess.get(Campaign, cid)
    if campaign is None:
        _out(f"No campaign {cid}.", err=True)
    return campaign


async def cmd_show(args: argparse.Namespace) -> int:
    from bot.campaigns import outbox

    settings = Settings.from_env()
    service = _service(settings)
    async with _session(settings) as sess:
        campaign = await _load(sess, args.id)
        if campaign is None:
            return 1
        events = await service.events(sess, campaign.id)
        data = {
            **_summary(campaign),
            "template": campaign.template,
            "events": [
                {"at": e.at, "actor": e.actor, "role": e.role, "from": e.from_status,
                 "to": e.to_status, "note": e.note}
                for e in events
            ],
            "progress": await outbox.progress(sess, campaign.id, service.clock()),
        }  # fmt: skip

    def text() -> str:
        lines = [f"#{data['id']} {data['title']} [{data['status']}] ({data['unit']})"]
        lines += [f"  topics: {', '.join(data['topics'])}  author: {data['author']}"]
        lines += [
            f"  {formatting.localtime(e['at'], settings.timezone)} {e['actor']} ({e['role']}): "
            f"{e['from'] or '-'} -> {e['to']} {e['note']}"
            for e in data["events"]
        ]
        return "\n".join([*lines, _progress_line(data["progress"])])

    _print(data, args.json, text)
    return 0


def _progress_line(p: dict[str, Any]) -> str:
    eta = f"{p['eta_seconds']} s" if p["eta_seconds"] is not None else "-"
    return (
        f"  sent {p['sent']}/{p['total']} ({p['done_percent']} %), failed {p['failed']}, "
        f"blocked {p['blocked']}, dropped {p['dropped']}, pending {p['pending']}, "
        f"in flight {p['inflight']}; {p['rate_per_sec']}/s, ETA {eta}"
    )


async def cmd_progress(args: argparse.Namespace) -> int:
    from bot.campaigns import outbox

    settings = Settings.from_env()
    while True:
        async with _session(settings) as sess:
            campaign = await _load(sess, args.id)
            if campaign is None:
                return 1
            data = await outbox.progress(sess, args.id, dt.datetime.now(dt.UTC))
            status = campaign.status
        data["status"] = status
        line = f"[{status}]" + _progress_line(data)
        _print(data, args.json, functools.partial(str, line))
        if not args.watch or status in ("sent", "cancelled"):
            return 0
        await asyncio.sleep(args.interval)


async def cmd_report(args: argparse.Namespace) -> int:
    from bot.campaigns import outbox

    settings = Settings.from_env()
    async with _session(settings) as sess:
        campaign = await _load(sess, args.id)
        if campaign is None:
            return 1
        data = {
            **_summary(campaign),
            "reach": await outbox.campaign_stats(sess, campaign_id=campaign.id),
            "problems": await outbox.error_breakdown(sess, campaign.id),
        }

    def text() -> str:
        lines = [f"Delivery report #{data['id']} {data['title']} [{data['status']}]"]
        for channel, counts in sorted(data["reach"].items()):
            shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            lines.append(f"  {channel}: {shown}")
        lines += [
            f"  {p['channel']} {p['status']}: {p['count']} ({p['error'] or '-'})"
            for p in data["problems"]
        ]
        return "\n".join(lines)

    _print(data, args.json, text)
    return 0


async def cmd_calendar(args: argparse.Namespace) -> int:
    from bot.campaigns.calendar import build_calendar, store_calendar
    from bot.plans import PlanImportError, import_plan

    settings = Settings.from_env()
    service = _service(settings)
    if args.unit not in service.units:
        _out(f"Unknown unit {args.unit!r}: {', '.join(sorted(service.units))}", err=True)
        return 2
    path = Path(args.file)
    try:
        plan = import_plan(path)
    except PlanImportError as exc:
        _out(f"Cannot read the plan: {exc}", err=True)
        return 1
    cal = build_calendar(
        plan,
        path,
        args.unit,
        service.catalog,
        start=args.start,
        cadence=args.cadence,
        timezone=settings.timezone,
    )
    if args.create:
        async with _session(settings) as sess:
            await store_calendar(sess, cal, service, path.name)

    def text() -> str:
        lines = [f"{cal.plan} ({cal.year}), {cal.cadence}, unit {cal.unit}: draft campaigns"]
        lines += [
            f"  {formatting.date_vn(e.planned_at, settings.timezone)}  [{', '.join(e.topics)}]  "
            f"{e.title}"
            for e in cal.entries
        ]
        lines += [f"  KPI: {k['indicator']} — {k['target_percent']} %" for k in cal.kpis]
        lines += [
            f"  not for citizens: {k['label'] or '-'} ({k['reason']}) {k['text'][:70]}"
            for k in cal.skipped
        ]
        lines += [f"  warning: {w}" for w in cal.warnings]
        if args.create:
            lines.append(
                f"Created {cal.created} drafts ({cal.existing} existed), "
                f"stored {cal.kpis_stored} KPI targets."
            )
        return "\n".join(lines)

    _print(cal.to_dict(), args.json, text)
    return 0
