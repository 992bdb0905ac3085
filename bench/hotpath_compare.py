"""Benchmark (issue #19): Loa Xã's cost per update next to the python-telegram-bot bot a
developer would write instead. Prints numbers, asserts nothing; run by hand, not in CI.

Usage (from the repository root)::

    .venv/bin/python bench/hotpath_compare.py [--n 2000] [--concurrency 32] [--profile DIR]
        [--only ptb-echo,ptb-sqlite,loaxa-sqlite,loaxa-postgres] [--postgres URL] [--rounds N]

--profile DIR samples the server with py-spy (if installed) into DIR/<setup>.txt.

Each server is its own process on loopback; the load generator of webhook_throughput.py and
the fake Bot API (tests/fakes) run in this process. Setups:

- ptb-echo: PTB `Application` with `.updater(None)` and an aiohttp webhook (bench/_ptb_server.py);
- ptb-sqlite: the same, plus one aiosqlite upsert, one INSERT and a COMMIT per update;
- loaxa-sqlite: `loaxa run` on SQLite, one process (RUN_WORKERS=true, TELEGRAM_MODE=webhook),
  started through bench/_counted_run.py, which counts SQL statements, COMMITs and aiosqlite
  thread hops in that process only;
- loaxa-postgres: as deployed on PostgreSQL, a web process (`loaxa run`, RUN_WORKERS=false:
  webhook intake only) and a worker process (`loaxa worker`: processing and sending), both
  counted; CPU per update is the sum of both (--postgres names the server; a fresh database
  is created and dropped; skipped when the server does not answer).

For each: end-to-end updates/s (first request to last reply at the fake), accept req/s, and
CPU per update of the server process (utime + stime from /proc/<pid>/stat, read after warm-up
and 0.5 s after the last reply). The bench process's own CPU (load generator + fake) and the
load average are printed too: the machine may be shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import (
    DEFAULT_PG,
    base_env,
    drop_database,
    free_port,
    fresh_database,
    pg_reachable,
    spawn,
    stop,
    wait_http,
)  # fmt: skip
from webhook_throughput import BASE_CHAT, QUESTIONS, SECRET_HEADER, fire, wait_replies

from bot.db.engine import make_engine, migrate
from tests.fakes import FakeTelegram

BENCH = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")
SETUPS = ("ptb-echo", "ptb-sqlite", "loaxa-sqlite", "loaxa-postgres")


def cpu_seconds(pid: int | str = "self") -> float:
    """utime + stime of a process (all its threads), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # fields 14 and 15 of stat(5)


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of the main thread (the event loop) and of all other threads together
    (/proc/<pid>/task/*/stat; Python's threads all carry the process's name)."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:  # the thread ended
            continue
        name = "event loop" if task.name == str(pid) else "other threads"
        fields = stat.rsplit(")", 1)[1].split()
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / TICK
    return out


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def read_counters(pid: int, path: Path) -> dict[str, int]:
    """Ask bench/_counted_run.py (SIGUSR1) for its counters."""
    path.unlink(missing_ok=True)
    os.kill(pid, __import__("signal").SIGUSR1)
    for _ in range(200):
        await asyncio.sleep(0.02)
        if path.exists() and path.stat().st_size:
            return dict(json.loads(path.read_text()))
    raise TimeoutError("no counters from the server")


async def measure(setup: str, args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    port = free_port()
    counters_path = tmp / f"{setup}.counters.json"
    async with FakeTelegram() as fake:
        secret = secrets.token_hex(16)
        if setup.startswith("ptb"):
            mode = setup.removeprefix("ptb-")
            argv = [str(BENCH / "_ptb_server.py"), str(port), mode, fake.token, fake.base_url]
            env = {**os.environ, "BENCH_COUNTERS": str(counters_path)}
            proc = spawn([*argv, str(tmp / f"{setup}.db")], env)
            url, health = f"http://127.0.0.1:{port}/telegram", f"http://127.0.0.1:{port}/healthz"
            procs, paths, roles = [proc], [counters_path], [""]
        else:
            pg = setup == "loaxa-postgres"
            db_url = (
                await fresh_database(args.postgres, tmp, "hot")
                if pg
                else f"sqlite+aiosqlite:///{tmp / 'loaxa.db'}"
            )
            engine = make_engine(db_url)
            await migrate(engine)
            await engine.dispose()
            env = base_env(
                db_url, tmp, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.base_url,
                TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_SECRET=secret,
                PUBLIC_URL="https://bench.example", WEB_CHAT="off",
                RUN_WORKERS="false" if pg else "true", BENCH_COUNTERS=str(counters_path),
            )  # fmt: skip
            procs = [spawn([str(BENCH / "_counted_run.py"), str(port)], env)]
            paths, roles = [counters_path], ["web: " if pg else ""]
            if pg:  # as deployed: a web process (intake) and a worker process (the rest)
                worker_counters = tmp / f"{setup}.worker.json"
                env = {**env, "RUN_WORKERS": "true", "BENCH_COUNTERS": str(worker_counters)}
                procs.append(spawn([str(BENCH / "_counted_run.py"), "worker"], env))
                paths.append(worker_counters)
                roles.append("worker: ")
            proc = procs[0]
            url = f"http://127.0.0.1:{port}/webhooks/telegram/xa-binh-minh"
            health = f"http://127.0.0.1:{port}/healthz"
        headers = {SECRET_HEADER: secret}
        pids = [p.pid for p in procs]
        try:
            await wait_http(health, proc)
            warm = [fake.make_text_update(BASE_CHAT - 1 - i, QUESTIONS[i]) for i in range(4)]
            await fire([url], warm, 4, headers)
            await wait_replies(fake, 4, 30)
            await asyncio.sleep(1.0)
            per_update = fake.stats.accepted / 4
            fake.reset()
            bodies = [
                fake.make_text_update(BASE_CHAT + i, question(i, args.repeat_texts))
                for i in range(args.n)
            ]
            before = await read_all_counters(pids, paths)
            load_before = load_average()
            cpu0, own0 = cpu_of(pids), cpu_seconds()
            threads0 = threads_of(pids, roles)
            started = time.perf_counter()
            samples: list[tuple[float, float]] = []
            spy = start_profiler(pids[-1], setup, args)  # the process that runs the pipeline
            sampler = asyncio.create_task(sample_cpu(pids, fake, samples))
            seconds, bad = await fire([url], bodies, args.concurrency, headers)
            last = await wait_replies(fake, round(per_update * args.n), args.timeout)
            sampler.cancel()
            stop_profiler(spy)
            await asyncio.sleep(0.5)  # let trailing work (recording sends) finish
            cpu1, own1 = cpu_of(pids), cpu_seconds()
            threads1 = threads_of(pids, roles)
            samples.append((fake.stats.accepted, cpu1))
            after = await read_all_counters(pids, paths)
            done = fake.stats.accepted / per_update if per_update else 0.0
        finally:
            for p in procs:
                stop(p)
            if setup == "loaxa-postgres":
                await drop_database(args.postgres, db_url)
    per = max(done, 1.0)
    counts = {k: (after.get(k, 0) - before.get(k, 0)) / per for k in after}
    return {
        "setup": setup, "accept": args.n / seconds, "e2e": done / (last - started),
        "cpu_ms": 1000 * (cpu1 - cpu0) / per, "bench_cpu_ms": 1000 * (own1 - own0) / per,
        "bad": bad, "done": done, "replies_per_update": per_update, "counts": counts,
        "load": f"{load_before} -> {load_average()}",
        "threads": {
            name: 1000 * (cpu - threads0.get(name, 0.0)) / per for name, cpu in threads1.items()
        },
        "quarters": quarters(samples, cpu0, per_update * args.n, per_update),
    }  # fmt: skip


def cpu_of(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def threads_of(pids: list[int], roles: list[str]) -> dict[str, float]:
    return {
        role + name: cpu
        for pid, role in zip(pids, roles, strict=True)
        for name, cpu in thread_cpu(pid).items()
    }


async def read_all_counters(pids: list[int], paths: list[Path]) -> dict[str, int]:
    total: dict[str, int] = {}
    for pid, path in zip(pids, paths, strict=True):
        for key, value in (await read_counters(pid, path)).items():
            total[key] = total.get(key, 0) + value
    return total


def start_profiler(
    pid: int, setup: str, args: argparse.Namespace
) -> subprocess.Popen[bytes] | None:
    """With --profile DIR: py-spy (if installed) samples the server while the load runs."""
    if not args.profile:
        return None
    out = Path(args.profile) / f"{setup}.txt"
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--format", "raw", "--threads", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stop_profiler(spy: subprocess.Popen[bytes] | None) -> None:
    if spy is not None:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        spy.wait(30)


async def sample_cpu(pids: list[int], fake: FakeTelegram, out: list[tuple[float, float]]) -> None:
    """(replies so far, server CPU seconds) every 0.1 s: does the cost grow during the run?"""
    while True:
        out.append((fake.stats.accepted, cpu_of(pids)))
        await asyncio.sleep(0.1)


def quarters(
    samples: list[tuple[float, float]], cpu0: float, replies: float, per_update: float
) -> list[float]:
    """Server CPU ms per update in each quarter of the replies."""
    out, prev_n, prev_cpu = [], 0.0, cpu0
    for q in (0.25, 0.5, 0.75, 1.0):
        hit = next(((n, c) for n, c in samples if n >= q * replies), None)
        if hit is None or hit[0] <= prev_n:
            break
        out.append(1000 * (hit[1] - prev_cpu) / ((hit[0] - prev_n) / per_update))
        prev_n, prev_cpu = hit
    return out


LABELS = {
    "ptb-echo": "PTB echo",
    "ptb-sqlite": "PTB + aiosqlite upsert, INSERT, COMMIT",
    "loaxa-sqlite": "Loa Xã, SQLite, 1 process",
    "loaxa-postgres": "Loa Xã, PostgreSQL, web + worker",
}


def report(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    print(f"\nn={args.n}, concurrency={args.concurrency}, loopback, {os.cpu_count()} CPUs")
    print(f"{'setup':<40} {'e2e/s':>7} {'accept/s':>9} {'CPU ms/upd':>10} {'bench ms/upd':>12}")
    for r in rows:
        print(
            f"{LABELS[str(r['setup'])]:<40} {r['e2e']:>7,.0f} {r['accept']:>9,.0f} "
            f"{r['cpu_ms']:>10.2f} {r['bench_cpu_ms']:>12.2f}"
            f"   ({r['done']:.0f}/{args.n} answered, {r['bad']} errors, load {r['load']})"
        )
    print("\nServer CPU ms per update by quarter of the replies (growth = cost rising with data):")
    for r in rows:
        q = " / ".join(f"{x:.1f}" for x in r["quarters"])  # type: ignore[attr-defined]
        print(f"  {LABELS[str(r['setup'])]:<40} {q}")
    print("\nServer CPU ms per update by thread:")
    for r in rows:
        t = r["threads"]
        assert isinstance(t, dict)
        busy = sorted(t.items(), key=lambda kv: -kv[1])[:4]
        print(f"  {LABELS[str(r['setup'])]:<40} " + ", ".join(f"{n} {v:.1f}" for n, v in busy))
    for r in rows:
        c = r["counts"]
        if isinstance(c, dict) and not c.get("statements"):
            print(f"\n{LABELS[str(r['setup'])]}: {c.get('hops', 0):.1f} aiosqlite thread hops")
        if isinstance(c, dict) and c.get("statements"):
            print(
                f"\n{LABELS[str(r['setup'])]} per update: "
                f"{c.get('statements', 0):.1f} statements, "
                f"{c.get('ev_commit', 0) + c.get('stmt_commit', 0):.2f} COMMITs "
                f"({c.get('ev_commit', 0):.2f} by SQLAlchemy, {c.get('stmt_commit', 0):.2f} "
                f"as SQL), {c.get('ev_begin', 0):.2f} BEGINs (SQLAlchemy) + "
                f"{c.get('stmt_begin', 0):.2f} as SQL, {c.get('ev_rollback', 0):.2f} rollbacks, "
                f"{c.get('stmt_savepoin', 0):.2f} SAVEPOINTs, "
                f"{c.get('hops', 0):.1f} aiosqlite thread hops"
            )
            held = c.get("gate_us", 0) / 1000
            busy = held * float(r["e2e"]) / 1000  # type: ignore[arg-type]
            print(
                f"  write gate: taken {c.get('gate_taken', 0):.2f} times, held {held:.2f} ms "
                f"per update ({100 * busy:.0f} % of the run, summed over its slots)"
            )
            named = {k[4:]: v for k, v in c.items() if k.startswith("hop:")}
            if named:  # BENCH_HOP_NAMES=1: which aiosqlite calls the hops are
                print("  hops: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(named.items())))
    rounds = sorted({int(r.get("round", 1)) for r in rows})  # type: ignore[call-overload]
    lx_ptb, pg_lx = [], []
    for n in rounds:
        by = {r["setup"]: r for r in rows if r.get("round", 1) == n}
        if "loaxa-sqlite" in by and "ptb-sqlite" in by:
            lx_ptb.append(100 * by["loaxa-sqlite"]["e2e"] / by["ptb-sqlite"]["e2e"])  # type: ignore[operator]
        if "loaxa-sqlite" in by and "loaxa-postgres" in by:
            pg_lx.append(100 * by["loaxa-postgres"]["e2e"] / by["loaxa-sqlite"]["e2e"])  # type: ignore[operator]
    cpu = sorted(float(r["cpu_ms"]) for r in rows if r["setup"] == "loaxa-sqlite")  # type: ignore[arg-type]
    each = "" if len(rounds) < 2 else " (median of the rounds: {})"
    if lx_ptb:
        print(
            f"\nLoa Xã vs PTB + commit: end-to-end {statistics.median(lx_ptb):.0f} %"
            + each.format(" / ".join(f"{x:.0f}" for x in lx_ptb))
            + f" (issue #19 target >= 50 %), CPU per update {statistics.median(cpu):.1f} ms"
            " (target <= 6 ms)"
        )
    if pg_lx:
        print(
            f"PostgreSQL (web + worker) vs SQLite (1 process): end-to-end "
            f"{statistics.median(pg_lx):.0f} %"
            + each.format(" / ".join(f"{x:.0f}" for x in pg_lx))
            + " (issue #19 target >= 100 %)"
        )


def question(i: int, repeat: bool) -> str:
    """The i-th update's text: one of the four QUESTIONS, and unless `repeat`, written with
    its own spacing (i // 4 as extra spaces between words: base 4 in the first gaps, the
    rest in the last). The answer is the same, but no two texts are equal, so the bot's memo
    of recent texts (FaqService.prime) does not spare the matching: citizens rarely type the
    very same words.
    """
    words = QUESTIONS[i % len(QUESTIONS)].split(" ")
    if repeat:
        return " ".join(words)
    variant, out = i // len(QUESTIONS), [words[0]]
    for n, word in enumerate(words[1:], start=2):
        extra = variant
        if n < len(words):
            variant, extra = divmod(variant, 4)
        out.append(" " * (1 + extra) + word)
    return "".join(out)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--only", default=",".join(SETUPS), help="comma-separated setups")
    ap.add_argument(
        "--postgres",
        default=DEFAULT_PG,
        help="PostgreSQL server for loaxa-postgres (a fresh "
        "database is created and dropped); setups with it run only when it answers",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the setups this many times, interleaved; the ratios are the medians of the "
        "rounds (this machine's speed drifts by 10-20 %% from one minute to the next)",
    )
    ap.add_argument("--profile", help="directory for py-spy profiles (collapsed stacks)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for replies")
    ap.add_argument(
        "--repeat-texts",
        action="store_true",
        help="send the four questions word for word (as before 2026-12-04: the memo of "
        "recent texts then answers most updates without matching)",
    )
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(1, args.rounds + 1):  # interleaved: a slower minute hits every setup
            for setup in args.only.split(","):
                if setup not in SETUPS:
                    raise SystemExit(f"unknown setup {setup!r}; choose from {', '.join(SETUPS)}")
                if setup == "loaxa-postgres" and not await pg_reachable(args.postgres):
                    print(f"[{setup}] skipped: no PostgreSQL at {args.postgres}", flush=True)
                    continue
                print(f"[{setup}] running (round {n}) …", flush=True)
                folder = Path(tmp) / str(n)  # each round its own databases
                folder.mkdir(exist_ok=True)
                rows.append({**await measure(setup, args, folder), "round": n})
    report(rows, args)


if __name__ == "__main__":
    asyncio.run(main())
