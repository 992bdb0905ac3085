"""Benchmark: Telegram webhook → persist → reply, against a bare aiohttp hello-world (prints
numbers, asserts nothing; run by hand, not in CI).

Usage (from the repository root)::

    .venv/bin/python bench/webhook_throughput.py [--n 3000] [--concurrency 32]
                                                 [--postgres URL] [--no-postgres]

Every server is a separate process on loopback; the load generator (an aiohttp client with
`--concurrency` requests in flight, a fixed count of `--n` requests) and the fake Telegram
server (tests/fakes, no rate limit) that receives the replies run in this process.

1. baseline: a bare aiohttp handler that reads the body and answers "ok";
2. the real app (`python -m bot run --port P`, RUN_WORKERS=true, TELEGRAM_MODE=webhook): each
   request is a Telegram update from its own chat asking an FAQ question. Printed: the webhook
   acceptance rate (HTTP 200 = the update is committed to the inbox) and the end-to-end rate
   (updates whose replies the fake has received, per second, from the first request to the last
   reply), each also as a percentage of the baseline;
   - SQLite: 1 process;
   - PostgreSQL: 1 process, then 2 full processes (both run the web server AND the reply
     pipeline; the inbox is shared through SELECT … FOR UPDATE SKIP LOCKED, campaigns through
     the advisory lock). The load generator alternates between their ports as a proxy would.
     Two full processes rather than 2 web-only processes + 1 `loaxa worker`: the processing
     (FAQ matching, state) is the expensive part, and only full processes let it scale.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import secrets
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import (
    DEFAULT_PG,
    base_env,
    drop_database,
    free_port,
    fresh_database,
    pg_reachable,
    spawn,
    spawn_hello,
    stop,
    wait_http,
)

from bot.db.engine import make_engine, migrate
from tests.fakes import FakeTelegram

QUESTIONS = [
    "lam lai can cuoc o dau",
    "Đi khai sinh cho đứa nhỏ thì đem theo giấy gì?",
    "đăng ký thường trú cần giấy tờ gì",
    "xin chào",
]
BASE_CHAT = 20_000_000
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def fire(
    urls: list[str], bodies: list[dict[str, object]], concurrency: int, headers: dict[str, str]
) -> tuple[float, int]:
    """POST every body (round robin over urls); return (seconds, non-200 answers)."""
    todo = iter(zip(itertools.cycle(urls), bodies, strict=False))
    bad = 0

    async def one(http: aiohttp.ClientSession) -> None:
        nonlocal bad
        for url, body in todo:
            async with http.post(url, json=body, headers=headers) as resp:
                await resp.read()
                bad += resp.status != 200

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(one(http) for _ in range(concurrency)))
        return time.perf_counter() - started, bad


async def baseline(n: int, concurrency: int) -> float:
    port = free_port()
    proc = spawn_hello(port)
    try:
        await wait_http(f"http://127.0.0.1:{port}/", proc)
        body = {"update_id": 1, "message": {"text": "x"}}
        await fire([f"http://127.0.0.1:{port}/w"], [body] * 200, concurrency, {})  # warm-up
        seconds, bad = await fire([f"http://127.0.0.1:{port}/w"], [body] * n, concurrency, {})
    finally:
        stop(proc)
    rate = n / seconds
    print(f"[baseline] bare aiohttp: {rate:,.0f} req/s ({n} requests, {bad} errors)")
    return rate


async def wait_replies(fake: FakeTelegram, expected: int, timeout: float) -> float:
    """Wait until the fake has `expected` replies; return the time of the last one."""
    deadline = time.perf_counter() + timeout
    last, seen = time.perf_counter(), fake.stats.accepted
    while fake.stats.accepted < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
        if fake.stats.accepted != seen:
            last, seen = time.perf_counter(), fake.stats.accepted
    return last if fake.stats.accepted >= expected else time.perf_counter()


async def run_app(
    label: str,
    server: str | None,
    processes: int,
    args: argparse.Namespace,
    base: float,
    workers: int = 0,
) -> None:
    """`processes` web processes; with `workers` > 0 they only accept (RUN_WORKERS=false) and
    that many `bot worker` processes do the processing and sending, as deployed at scale."""
    with tempfile.TemporaryDirectory() as tmp:
        db_url = await fresh_database(server, Path(tmp), "webhook")
        engine = make_engine(db_url)
        await migrate(engine)  # once, before the processes start
        await engine.dispose()
        async with FakeTelegram() as fake:
            secret = secrets.token_hex(16)
            ports = [free_port() for _ in range(processes)]
            procs = []
            for port in ports:
                env = base_env(
                    db_url, Path(tmp), TELEGRAM_BOT_TOKEN=fake.token,
                    TELEGRAM_API_URL=fake.base_url, TELEGRAM_MODE="webhook",
                    TELEGRAM_WEBHOOK_SECRET=secret, PUBLIC_URL="https://bench.example",
                    WEB_CHAT="off", RUN_WORKERS="false" if workers else "true",
                )  # fmt: skip
                procs.append(spawn(["-m", "bot", "run", "--port", str(port)], env))
            worker_env = {**env, "RUN_WORKERS": "true"}
            workers_procs = [spawn(["-m", "bot", "worker"], worker_env) for _ in range(workers)]
            try:
                for port, proc in zip(ports, procs, strict=True):
                    await wait_http(f"http://127.0.0.1:{port}/healthz", proc)
                urls = [f"http://127.0.0.1:{p}/webhooks/telegram/xa-binh-minh" for p in ports]
                headers = {SECRET_HEADER: secret}
                # Warm-up (also: replies per update, the same for every question here).
                warm = [fake.make_text_update(BASE_CHAT - 1 - i, QUESTIONS[i]) for i in range(4)]
                await fire(urls, warm, 4, headers)
                await wait_replies(fake, 4, 30)
                await asyncio.sleep(1.0)
                per_update = fake.stats.accepted / 4
                fake.reset()
                bodies = [
                    fake.make_text_update(BASE_CHAT + i, QUESTIONS[i % len(QUESTIONS)])
                    for i in range(args.n)
                ]
                started = time.perf_counter()
                seconds, bad = await fire(urls, bodies, args.concurrency, headers)
                expected = round(per_update * args.n)
                last = await wait_replies(fake, expected, args.timeout)
                e2e_seconds = last - started
                done = fake.stats.accepted / per_update if per_update else 0
            finally:
                for proc in [*procs, *workers_procs]:
                    stop(proc)
        await drop_database(server, db_url)
    accept = args.n / seconds
    e2e = done / e2e_seconds
    print(
        f"[{label}] accept {accept:,.0f} req/s = {100 * accept / base:.0f} % of bare aiohttp "
        f"({bad} errors); end-to-end {e2e:,.0f} updates/s = {100 * e2e / base:.1f} % "
        f"({fake.stats.accepted} replies for {done:.0f}/{args.n} updates, "
        f"{per_update:g} per update, {e2e_seconds:.1f} s)"
    )


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--postgres", default=DEFAULT_PG, help="PostgreSQL server URL")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for replies")
    args = ap.parse_args()
    print(f"n={args.n} requests, concurrency={args.concurrency}, loopback")
    base = await baseline(args.n, args.concurrency)
    await run_app("SQLite, 1 process", None, 1, args, base)
    if args.no_postgres or not await pg_reachable(args.postgres):
        print("PostgreSQL: skipped")
        return
    await run_app("PostgreSQL, 1 process", args.postgres, 1, args, base)
    await run_app("PostgreSQL, 2 processes", args.postgres, 2, args, base)
    await run_app("PostgreSQL, 1 web + 1 worker", args.postgres, 1, args, base, workers=1)


if __name__ == "__main__":
    asyncio.run(main())
