"""Benchmark: one campaign to many subscribers with 3 worker processes on one PostgreSQL
database, against the fake Telegram server (prints numbers, asserts nothing; run by hand).

Usage (from the repository root)::

    .venv/bin/python bench/campaign_multiworker.py [--n 100000] [--rate 1000] [--workers 3]
                                                   [--kill-at 0.5] [--postgres URL]

- `--workers` processes `python -m bot worker` (RUN_WORKERS=true) share the database. As
  deployed, exactly one of them holds the "campaign-worker" advisory lock and sends; the others
  wait and take over (within 30 s) when it dies. `--kill-at F` SIGKILLs the process that is
  sending after F x n messages were accepted (0: no kill); a crash may resend the rows that were
  in flight (CAMPAIGN_RESEND_INFLIGHT=true: at least once), so duplicates are printed apart.
- The fake server enforces `--rate` messages/s globally and 1/s per chat; the workers'
  CAMPAIGN_TELEGRAM_RATE is set to the same `--rate`. Telegram's real limit is 30/s: 100,000
  messages then take ~55 min, so the default here raises both to 1,000/s (say so when quoting).
- Printed: elapsed time, achieved rate, 429 answers, lost (subscribers without the message) and
  duplicated (extra copies), counted per chat on the fake, and the outbox statuses.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import (
    DEFAULT_PG,
    approved_campaign,
    base_env,
    drop_database,
    fresh_database,
    per_chat,
    pid_with_local_port,
    scalar,
    seed_subscribers,
    spawn,
    stop,
)

from tests.fakes import FakeTelegram

BASE_CHAT = 40_000_000
TEMPLATE = "Bản tin thử của {{ unit.name }}: nộp hồ sơ trực tuyến tại {{ unit.portal }}."


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--kill-at", type=float, default=0.0)
    ap.add_argument("--postgres", default=DEFAULT_PG)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db_url = await fresh_database(args.postgres, tmp, "multiworker")
        t0 = time.perf_counter()
        await seed_subscribers(db_url, args.n, BASE_CHAT)
        cid = await approved_campaign(db_url, TEMPLATE)
        seeded = time.perf_counter() - t0
        print(f"n={args.n} subscribers seeded in {seeded:.1f} s; {args.workers} worker "
              f"processes; rate {args.rate}/s (fake and workers)")  # fmt: skip
        status_sql = f"SELECT status FROM campaigns WHERE id = {cid}"
        async with FakeTelegram() as fake:
            fake.rate_limit(global_per_sec=args.rate, per_chat_per_sec=1)
            env = base_env(
                db_url, tmp, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.base_url,
                TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_SECRET=secrets.token_hex(16),
                PUBLIC_URL="https://bench.example", WEB_CHAT="off", RUN_WORKERS="true",
                CAMPAIGN_TELEGRAM_RATE=str(args.rate), CAMPAIGN_CONCURRENCY="32",
            )  # fmt: skip
            procs = [spawn(["-m", "bot", "worker"], env) for _ in range(args.workers)]
            kills = 0
            started = first = 0.0
            try:
                started = time.perf_counter()
                while await scalar(db_url, status_sql) != "sent":
                    if fake.stats.accepted and not first:
                        first = time.perf_counter()
                    if args.kill_at and not kills and fake.stats.accepted >= args.kill_at * args.n:
                        port = await scalar(
                            db_url,
                            "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a "
                            "USING (pid) WHERE l.locktype = 'advisory' AND l.granted "
                            "AND a.datname = current_database() LIMIT 1",
                        )
                        inflight = await scalar(
                            db_url, "SELECT count(*) FROM campaign_outbox WHERE status='inflight'"
                        )
                        pid = pid_with_local_port(int(port or 0), [p.pid for p in procs])
                        victim = next((p for p in procs if p.pid == pid), procs[0])
                        victim.send_signal(signal.SIGKILL)
                        victim.wait()
                        kills += 1
                        print(f"  SIGKILL of the sending process (pid {victim.pid}, lock holder: "
                              f"{pid == victim.pid}) after {fake.stats.accepted} accepted; "
                              f"{inflight} rows in flight")  # fmt: skip
                    await asyncio.sleep(0.5)
                last = time.perf_counter()
            finally:
                for proc in procs:
                    stop(proc)
            counts = per_chat(fake.sent())
        lost = sum(1 for i in range(args.n) if BASE_CHAT + i not in counts)
        dup = sum(c - 1 for c in counts.values())
        statuses = await scalar(
            db_url,
            "SELECT string_agg(status || '=' || n, ', ') FROM (SELECT status, count(*) AS n "
            f"FROM campaign_outbox WHERE campaign_id = {cid} GROUP BY status) s",
        )
        span = last - (first or started)
        print(f"  sent in {span:.1f} s = {args.n / span:,.0f} msg/s "
              f"({100 * args.n / span / args.rate:.0f} % of {args.rate}/s); "
              f"429 answers: {fake.stats.rate_limited}")  # fmt: skip
        print(f"  lost = {lost}; duplicated = {dup}; outbox: {statuses}")
        await drop_database(args.postgres, db_url)


if __name__ == "__main__":
    asyncio.run(main())
