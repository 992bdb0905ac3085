"""`loaxa report pakn|period --unit U --period 2026-Q1 --format xlsx|csv|html --out FILE`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from bot.reports import formats, periods
from bot.settings import Settings


def _out(text: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def add_commands(sub: Any) -> None:
    report = sub.add_parser("report", help="export the PAKN register or the periodic report")
    report.add_argument("kind", choices=("pakn", "period"), help="pakn: sổ theo dõi PAKN")
    report.add_argument("--unit", help="unit key (default: DEFAULT_UNIT)")
    report.add_argument(
        "--period", required=True, help="2026-03, 2026-Q1, 2026-H1, 2026-9M or 2026"
    )
    report.add_argument("--format", choices=formats.FORMATS, default="xlsx")
    report.add_argument("--out", help="file to write (default: the usual file name here)")
    report.add_argument("--author", default="", help="name under 'Người lập báo cáo'")
    report.set_defaults(func=cmd_report)


async def build(
    settings: Settings, kind: str, unit_key: str, period: periods.Period, author: str = ""
) -> formats.Report:
    from bot.content.units import load_units
    from bot.db.engine import make_engine, make_sessionmaker, migrate
    from bot.pakn.policy import PolicyBook, load_policies
    from bot.reports.period_report import build_period_report
    from bot.reports.register import build_register

    units = load_units(settings.content_dir / "units")
    if unit_key not in units:
        raise LookupError(f"unknown unit {unit_key!r} (known: {', '.join(sorted(units))})")
    book = PolicyBook(load_policies(settings.content_dir, units))
    engine = make_engine(settings.resolved_database_url)
    try:
        await migrate(engine)
        async with make_sessionmaker(engine)() as sess:
            builder = build_register if kind == "pakn" else build_period_report
            return await builder(
                sess,
                units[unit_key],
                period,
                tz=settings.timezone,
                book=book,
                now=dt.datetime.now(dt.UTC),
                author=author,
            )
    finally:
        await engine.dispose()


def cmd_report(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        period = periods.parse(args.period)
    except periods.PeriodError as exc:
        _out(str(exc), err=True)
        return 2
    unit = args.unit or settings.default_unit
    if not unit:
        from bot.content.units import load_units

        unit = sorted(load_units(settings.content_dir / "units"))[0]
    try:
        report = asyncio.run(build(settings, args.kind, unit, period, args.author))
    except LookupError as exc:
        _out(str(exc), err=True)
        return 2
    out = Path(args.out or report.filename(args.format))
    out.write_bytes(formats.render(report, args.format))
    _out(f"{report.title} – {report.unit_name} – {report.period_label}: {len(report.rows)} rows")
    _out(f"written: {out}")
    return 0
