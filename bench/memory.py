"""Benchmark: resident memory of one `loaxa run` process with a large FAQ and many subscribers
(prints numbers, asserts nothing; run by hand, not in CI).

Usage (from the repository root)::

    .venv/bin/python bench/memory.py [--faq 2000] [--subscribers 100000] [--messages 300]
                                     [--postgres URL]

- Content: a copy of content/ plus `faq/zz_bench_synthetic.yaml`, entries cloned from the real
  ones with titles and questions recombined from their syllables (as bench/faq.py does) up to
  `--faq` entries; the copy passes the content validation the app runs at start.
- Database: SQLite in a temporary directory (or a fresh PostgreSQL database with --postgres)
  with `--subscribers` Telegram contacts, each subscribed to a topic (bulk insert).
- The process: `python -m bot run` (RUN_WORKERS=true, Telegram webhook; replies go to the fake
  Telegram server in this process). VmRSS from /proc/<pid>/status is printed:
  1. after start-up (migrations, content, FAQ index built, workers idle);
  2. after serving `--messages` webhook updates (FAQ questions from distinct chats, replied);
  3. after a campaign to every subscriber has started: the audience query and the outbox fill
     of `--subscribers` rows ran in this process (the send itself is left running).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import (
    ROOT,
    approved_campaign,
    base_env,
    drop_database,
    free_port,
    fresh_database,
    rss_mb,
    rss_split,
    scalar,
    seed_subscribers,
    spawn,
    stop,
    wait_http,
)
from webhook_throughput import QUESTIONS, SECRET_HEADER, fire, wait_replies

from tests.fakes import FakeTelegram

BASE_CHAT = 30_000_000


def synthetic_content(dest: Path, size: int, seed: int = 7) -> int:
    """Copy content/ to dest and add entries up to `size`; return the total entry count."""
    shutil.copytree(ROOT / "content", dest)
    real: list[dict[str, Any]] = []
    for path in sorted((dest / "faq").glob("*.yaml")):
        real.extend((yaml.safe_load(path.read_text("utf-8")) or {}).get("entries") or [])
    rng = random.Random(seed)
    sylls = [w for e in real for t in (e["title"], *e["questions"]) for w in str(t).split()]

    def phrase(lo: int, hi: int) -> str:
        return " ".join(rng.choice(sylls) for _ in range(rng.randint(lo, hi)))

    extra = []
    for i in range(max(0, size - len(real))):
        model = dict(real[i % len(real)])
        model["id"] = f"bench-synthetic-{i}"
        model["title"] = f"{phrase(3, 6)} {i}"[:60]
        model["questions"] = [f"{phrase(5, 11)} {i}-{k}" for k in range(rng.randint(4, 8))]
        model["keywords"] = [phrase(1, 3) for _ in range(rng.randint(0, 4))]
        extra.append(model)
    text = yaml.safe_dump({"entries": extra}, allow_unicode=True, sort_keys=False)
    (dest / "faq" / "zz_bench_synthetic.yaml").write_text(text, "utf-8")
    return len(real) + len(extra)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--faq", type=int, default=2000)
    ap.add_argument("--subscribers", type=int, default=100_000)
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--postgres", default="", help="PostgreSQL server URL (default: SQLite)")
    args = ap.parse_args()
    server = args.postgres or None
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        entries = synthetic_content(tmp / "content", args.faq)
        db_url = await fresh_database(server, tmp, "memory")
        t0 = time.perf_counter()
        await seed_subscribers(db_url, args.subscribers, BASE_CHAT)
        seeded = time.perf_counter() - t0
        print(f"FAQ entries: {entries}; subscribers: {args.subscribers} "
              f"(seeded in {seeded:.1f} s); db: {db_url.split(':')[0]}")  # fmt: skip
        async with FakeTelegram() as fake:
            fake.rate_limit(global_per_sec=30, per_chat_per_sec=1)  # the campaign's pace
            port, secret = free_port(), secrets.token_hex(16)
            env = base_env(
                db_url, tmp, CONTENT_DIR=str(tmp / "content"), TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_URL=fake.base_url, TELEGRAM_MODE="webhook",
                TELEGRAM_WEBHOOK_SECRET=secret, PUBLIC_URL="https://bench.example",
                WEB_CHAT="off", RUN_WORKERS="true",
            )  # fmt: skip
            proc = spawn(["-m", "bot", "run", "--port", str(port)], env)
            try:
                t0 = time.perf_counter()
                await wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=300)
                print(f"start-up: {time.perf_counter() - t0:.1f} s")
                await asyncio.sleep(2)
                print(f"  RSS after start-up:              {rss_mb(proc.pid):6.1f} MB "
                      f"({rss_split(proc.pid)})")  # fmt: skip
                url = f"http://127.0.0.1:{port}/webhooks/telegram/xa-binh-minh"
                bodies = [
                    fake.make_text_update(BASE_CHAT + i, QUESTIONS[i % len(QUESTIONS)])
                    for i in range(args.messages)
                ]
                await fire([url], bodies, 8, {SECRET_HEADER: secret})
                await wait_replies(fake, args.messages, 300)
                print(f"  RSS after {fake.stats.accepted} replies:           "
                      f"{rss_mb(proc.pid):6.1f} MB ({rss_split(proc.pid)})")  # fmt: skip
                cid = await approved_campaign(db_url, "Bản tin thử: {{ unit.portal }}")
                sql = f"SELECT count(*) FROM campaign_outbox WHERE campaign_id = {cid}"
                t0 = time.perf_counter()
                while int(await scalar(db_url, sql) or 0) < args.subscribers:  # type: ignore[call-overload]
                    await asyncio.sleep(0.5)
                await asyncio.sleep(3)  # a few sends under way
                filled = time.perf_counter() - t0
                print(f"  RSS after the campaign started:  {rss_mb(proc.pid):6.1f} MB "
                      f"({rss_split(proc.pid)}; outbox of {args.subscribers} rows filled "
                      f"in {filled:.1f} s)")  # fmt: skip
            finally:
                stop(proc)
        await drop_database(server, db_url)


if __name__ == "__main__":
    asyncio.run(main())
