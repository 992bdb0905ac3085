"""The Zalo OA run of bench/campaign.py (`--zalo`): prints numbers, asserts nothing.

N Zalo followers subscribed to a topic, half of whom wrote yesterday (inside the free window:
consultation message) and half a month ago (outside it: promotion message). The app from
build_app (RUN_WORKERS) sends the campaign to FakeZaloOA, which enforces:
- the send rate (`rate_limit(--zalo-rate)`: any send beyond it in one second answers -32);
- the OA's promotion quota per Vietnam day (`--zalo-quota`; then -211) and one promotion per
  recipient and day (-218); quiet hours 22:00-06:00 (-234).
The app and the fake share a simulated clock that starts at 09:00 in Vietnam and runs at real
speed; when the campaign stalls on a spent quota the clock jumps to the next morning, so the
pause and the next day's resume are part of the run. Prints lost, duplicated, wrong message
type, the achieved rate against the enforced one (the stall excluded), and whether every quota
was respected.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import time
from pathlib import Path

from aiohttp import web

from bench._common import CAMPAIGN_UNIT as UNIT
from bench._common import campaign_status, drop_database, fresh_database, seed_campaign
from bot.app import build_app, build_services
from bot.settings import Settings
from tests.fakes.zalo_oa_server import FakeZaloOA

VN = dt.timezone(dt.timedelta(hours=7))


class SimClock:
    """Simulated UTC time: a start, real elapsed time, and jumps."""

    def __init__(self, start: dt.datetime) -> None:
        self.start, self.t0, self.offset = start, time.monotonic(), dt.timedelta()

    def __call__(self) -> dt.datetime:
        return self.start + self.offset + dt.timedelta(seconds=time.monotonic() - self.t0)

    def jump_to(self, when: dt.datetime) -> None:
        self.offset += when - self()


def user(i: int) -> str:
    return f"{4_000_000_000_000 + i}"


async def seed(db_url: str, n: int, now: dt.datetime) -> int:
    contacts = [
        {"unit": UNIT, "channel": "zalo", "external_id": user(i), "blocked": False,
         "created_at": now - dt.timedelta(days=60),
         "last_seen_at": now - dt.timedelta(days=1 if i % 2 == 0 else 30)}
        for i in range(n)
    ]  # fmt: skip
    return await seed_campaign(db_url, contacts, now, "Bench Zalo")


async def run(args: argparse.Namespace, tmp: Path) -> None:
    start = dt.datetime.combine(dt.date(2026, 3, 2), dt.time(9), VN).astimezone(dt.UTC)
    clock = SimClock(start)
    async with FakeZaloOA() as fake:
        fake.clock = lambda: clock().timestamp()
        fake.rate_limit(args.zalo_rate)
        fake.promotion_quota = args.zalo_quota
        db_url = await fresh_database(args.database_url, tmp, "zalo")
        cid = await seed(db_url, args.n, start)
        env = {
            "DATABASE_URL": db_url, "DATA_DIR": str(tmp), "WEB_CHAT": "off",
            "RUN_WORKERS": "true", "CAMPAIGN_QUIET_HOURS": "off", "DEFAULT_UNIT": UNIT,
            "LOG_LEVEL": "error", "NO_PROXY": "127.0.0.1,localhost",
            "CAMPAIGN_ZALO_RATE": str(args.zalo_rate),
            "CAMPAIGN_CONCURRENCY": str(args.zalo_concurrency), "ZALO_API_URL": fake.base_url,
            "ZALO_OAUTH_URL": fake.base_url, **fake.env("ZALO"),
        }  # fmt: skip
        os.environ.update(env)
        settings = Settings.from_env()
        services = build_services(settings)
        services.clock = clock
        runner = web.AppRunner(build_app(settings, services=services))
        await runner.setup()
        jumps, last_count, still = 0, -1, 0.0
        while (status := (await campaign_status(db_url, cid))[0]) != "sent":
            count = len(fake.messages) + len(fake.promotions)
            if count == last_count:
                still += 0.5
            else:
                last_count, still = count, 0.0
            day_total = sum(1 for p in fake.promotions if p["day"] == fake.vn_now().date())
            if still >= 3 and day_total >= fake.promotion_quota:  # paused on the quota
                local = clock().astimezone(VN).date() + dt.timedelta(days=1)
                clock.jump_to(dt.datetime.combine(local, dt.time(6, 1), VN))
                jumps, still = jumps + 1, 0.0
            await asyncio.sleep(0.5)
        await runner.cleanup()
        report(args, fake, jumps, status)
        await drop_database(args.database_url, db_url)


def report(args: argparse.Namespace, fake: FakeZaloOA, jumps: int, status: str) -> None:
    n = args.n
    got: dict[str, list[str]] = {}
    for m in fake.messages:
        got.setdefault(m["user_id"], []).append("cs")
    for p in fake.promotions:
        got.setdefault(p["user_id"], []).append("promotion")
    lost = sum(1 for i in range(n) if user(i) not in got)
    dup = sum(len(v) - 1 for v in got.values())
    wrong = sum(
        1
        for i in range(n)
        if got.get(user(i)) and got[user(i)][0] != ("cs" if i % 2 == 0 else "promotion")
    )
    times = sorted([m["t"] for m in fake.messages] + [p["t"] for p in fake.promotions])
    gaps = [b - a for a, b in itertools.pairwise(times)]
    stalled = sum(sorted(gaps)[-jumps:]) if jumps and gaps else 0.0
    span = times[-1] - times[0] - stalled if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span > 0 else 0.0
    per_day: dict[dt.date, int] = {}
    for p in fake.promotions:
        per_day[p["day"]] = per_day.get(p["day"], 0) + 1
    per_user_day = max(fake.promotion_days().values(), default=0)
    print(f"[zalo] n={n} ({n - n // 2} inside the window, {n // 2} outside); campaign {status}")
    print(f"  consultation {len(fake.messages)}, promotion {len(fake.promotions)}; "
          f"lost = {lost}; duplicated = {dup}; wrong type = {wrong}")  # fmt: skip
    print(f"  achieved {rate:.2f} msg/s vs enforced {args.zalo_rate:g}/s = "
          f"{100 * rate / args.zalo_rate:.1f} % over {span:.1f} s of sending "
          f"({stalled:.1f} s stalled on the quota left out); "
          f"-32 answers: {fake.rate_refused}")  # fmt: skip
    kept = max(per_day.values(), default=0) <= fake.promotion_quota
    print(f"  promotions per Vietnam day {dict(sorted((str(d), c) for d, c in per_day.items()))} "
          f"vs OA quota {fake.promotion_quota}/day: {'respected' if kept else 'EXCEEDED'}; "
          f"max per recipient and day {per_user_day} (limit 1); paused {jumps} time(s), "
          f"quota calls {fake.quota_calls}; -201 refused {len(fake.refused)}")  # fmt: skip
