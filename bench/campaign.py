"""Benchmark of campaign delivery (prints numbers, asserts nothing; run by hand, not in CI).

Usage (from the repository root)::

    .venv/bin/python bench/campaign.py [--n 10000] [--database-url postgresql+asyncpg://…]
                                        [--kills 2] [--no-crash] [--no-429]
    .venv/bin/python bench/campaign.py --zalo [--n 10000] [--zalo-rate 50] [--zalo-quota 3000]
                                        [--zalo-concurrency 16]

Against FakeTelegram (tests/fakes) with rate_limit(global_per_sec=30, per_chat_per_sec=1) and a
few injected 429s (retry_after=1), a campaign to N subscribers:

1. in process: the app from build_app (RUN_WORKERS) sends it; prints the achieved rate against
   the enforced 30/s (time from the first to the last accepted message, 429 pauses included),
   lost (subscribers without the message) and duplicated (extra copies), counted per chat on
   the fake;
2. crash: `python -m bot worker` as a separate process, killed with SIGKILL `--kills` times and
   restarted; prints the in-flight rows at each kill, then lost and duplicated.

3. `--zalo` (instead of 1 and 2): the Zalo OA run, half the followers inside the free window
   (consultation message) and half outside (promotion message), the fake's rate and quotas
   enforced; see bench/campaign_zalo.py.

SQLite in a temporary directory by default; with --database-url (a PostgreSQL server URL) a
fresh database is created per phase and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.fakes import FakeTelegram  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from _common import (  # noqa: E402
    CAMPAIGN_UNIT,
    campaign_status,
    drop_database,
    fresh_database,
    seed_campaign,
)

UNIT = CAMPAIGN_UNIT
BASE_CHAT = 10_000_000


async def seed(db_url: str, n: int) -> int:
    """N Telegram subscribers and an approved campaign to them; return its id."""
    now = dt.datetime.now(dt.UTC)
    contacts = [
        {"unit": UNIT, "channel": "telegram", "external_id": str(BASE_CHAT + i),
         "blocked": False, "created_at": now}
        for i in range(n)
    ]  # fmt: skip
    return await seed_campaign(db_url, contacts, now)


def env_for(fake: FakeTelegram, db_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": db_url,
        "DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "WEB_CHAT": "off",
        "RUN_WORKERS": "true",
        "CAMPAIGN_QUIET_HOURS": "off",
        "DEFAULT_UNIT": UNIT,
        "LOG_LEVEL": "warning",
        "NO_PROXY": "127.0.0.1,localhost",
        "PTB_TIMEDELTA": "true",
    }


def tally(fake: FakeTelegram, n: int) -> tuple[int, int]:
    counts: dict[int, int] = {}
    for m in fake.sent():
        counts[m["chat"]["id"]] = counts.get(m["chat"]["id"], 0) + 1
    lost = sum(1 for i in range(n) if BASE_CHAT + i not in counts)
    return lost, sum(c - 1 for c in counts.values())


async def inject_429s(fake: FakeTelegram, n: int, count: int) -> None:
    marks = [n * (k + 1) // (count + 1) for k in range(count)]
    for mark in marks:
        while fake.stats.accepted < mark:
            await asyncio.sleep(0.02)
        fake.fail_next("sendMessage", 429, retry_after=1)


async def phase_in_process(args: argparse.Namespace, tmp: Path) -> None:
    async with FakeTelegram() as fake:
        fake.rate_limit(global_per_sec=30, per_chat_per_sec=1)
        db_url = await fresh_database(args.database_url, tmp, "inproc")
        cid = await seed(db_url, args.n)
        os.environ.update(env_for(fake, db_url, tmp))
        settings = Settings.from_env()
        runner = web.AppRunner(build_app(settings))
        await runner.setup()
        injector = asyncio.create_task(inject_429s(fake, args.n, 0 if args.no_429 else 3))
        first = last = 0.0
        while fake.stats.accepted < args.n:
            if fake.stats.accepted and not first:
                first = time.monotonic()
            await asyncio.sleep(0.01)
        last = time.monotonic()
        while (await campaign_status(db_url, cid))[0] != "sent":
            await asyncio.sleep(0.2)
        injector.cancel()
        await runner.cleanup()
        lost, dup = tally(fake, args.n)
        rate = (args.n - 1) / (last - first) if last > first else 0.0
        print(f"[in process] n={args.n} db={db_url.split(':')[0]}")
        print(f"  achieved {rate:.2f} msg/s vs enforced 30/s = {100 * rate / 30:.1f} %"
              f" (incl. {fake.stats.rate_limited} 429 answers and their pauses)")  # fmt: skip
        paused = float(fake.stats.rate_limited)  # each injected 429 says retry_after=1
        net = (args.n - 1) / (last - first - paused) if last - first > paused else 0.0
        print(
            f"  without the {paused:.0f} s of 429 pauses: {net:.2f} msg/s = {100 * net / 30:.1f} %"
        )
        print(f"  elapsed {last - first:.1f} s; lost = {lost}; duplicated = {dup}")
        await drop_database(args.database_url, db_url)


async def phase_crash(args: argparse.Namespace, tmp: Path) -> None:
    async with FakeTelegram() as fake:
        fake.rate_limit(global_per_sec=30, per_chat_per_sec=1)
        db_url = await fresh_database(args.database_url, tmp, "crash")
        cid = await seed(db_url, args.n)
        env = {**os.environ, **env_for(fake, db_url, tmp)}
        injector = asyncio.create_task(inject_429s(fake, args.n, 0 if args.no_429 else 2))
        started = time.monotonic()
        kills: list[tuple[int, int]] = []
        for k in range(args.kills + 1):
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "worker"], env=env, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            if k < args.kills:
                mark = args.n * (k + 1) // (args.kills + 1)
                while fake.stats.accepted < mark:
                    await asyncio.sleep(0.005)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                accepted = fake.stats.accepted
                _, inflight = await campaign_status(db_url, cid)
                kills.append((accepted, inflight))
                print(f"  kill {k + 1}: SIGKILL after {accepted} accepted; in flight: {inflight}")
            else:
                while (await campaign_status(db_url, cid))[0] != "sent":
                    await asyncio.sleep(0.2)
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        injector.cancel()
        lost, dup = tally(fake, args.n)
        print(f"[crash x{args.kills}] n={args.n}: lost = {lost}; duplicated = {dup}; "
              f"in flight at kills = {[i for _, i in kills]}; "
              f"{time.monotonic() - started:.1f} s including restarts")  # fmt: skip
        await drop_database(args.database_url, db_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--no-crash", action="store_true")
    parser.add_argument("--no-429", action="store_true")
    parser.add_argument("--zalo", action="store_true", help="the Zalo OA run only")
    parser.add_argument("--zalo-rate", type=float, default=50.0)
    parser.add_argument("--zalo-quota", type=int, default=3000, help="promotions per day")
    parser.add_argument("--zalo-concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.zalo:
            from bench.campaign_zalo import run

            asyncio.run(run(args, Path(tmp)))
            return
        asyncio.run(phase_in_process(args, Path(tmp)))
        if not args.no_crash:
            asyncio.run(phase_crash(args, Path(tmp)))


if __name__ == "__main__":
    main()
