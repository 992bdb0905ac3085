"""Shared helpers of the benchmarks in bench/ (databases, seeding, processes, memory)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

UNIT = "xa-binh-minh"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
HELLO_SERVER = """
import sys
from aiohttp import web
async def hello(request):
    await request.read()
    return web.Response(text="ok")
app = web.Application()
app.router.add_post("/{tail:.*}", hello)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _admin(server: str, sql: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(server)
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
        password=url.password, database=url.database or "postgres",
    )  # fmt: skip
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def pg_reachable(server: str) -> bool:
    try:
        await asyncio.wait_for(_admin(server, "SELECT 1"), 5)
    except Exception:
        return False
    return True


async def fresh_database(server: str | None, tmp: Path, name: str) -> str:
    """A new SQLite file in tmp, or (server given) a new PostgreSQL database on it."""
    if not server:
        return f"sqlite+aiosqlite:///{tmp / (name + '.db')}"
    from sqlalchemy.engine import make_url

    db = f"loaxa_bench_{name}_{uuid.uuid4().hex[:8]}"
    await _admin(server, f'CREATE DATABASE "{db}"')
    return make_url(server).set(database=db).render_as_string(hide_password=False)


async def drop_database(server: str | None, db_url: str) -> None:
    if server:
        from sqlalchemy.engine import make_url

        await _admin(server, f'DROP DATABASE IF EXISTS "{make_url(db_url).database}" WITH (FORCE)')


async def seed_subscribers(
    db_url: str, n: int, base_chat: int, *, channel: str = "telegram"
) -> None:
    """Migrate, then bulk insert n contacts of UNIT, each subscribed to `thu_tuc_moi`."""
    from sqlalchemy import insert, select

    from bot.db.engine import make_engine, make_sessionmaker, migrate
    from bot.db.models import Contact
    from bot.db.models_campaigns import Subscription

    engine = make_engine(db_url)
    await migrate(engine)
    now = dt.datetime.now(dt.UTC)
    async with make_sessionmaker(engine).begin() as sess:
        for start in range(0, n, 5000):
            await sess.execute(
                insert(Contact),
                [
                    {"unit": UNIT, "channel": channel, "external_id": str(base_chat + i),
                     "blocked": False, "created_at": now}
                    for i in range(start, min(n, start + 5000))
                ],
            )  # fmt: skip
        ids = (await sess.execute(select(Contact.id))).scalars().all()
        for start in range(0, len(ids), 5000):
            await sess.execute(
                insert(Subscription),
                [
                    {"contact_id": cid, "unit": UNIT, "kind": "topic", "key": "thu_tuc_moi",
                     "created_at": now}
                    for cid in ids[start : start + 5000]
                ],
            )  # fmt: skip
    await engine.dispose()


async def approved_campaign(db_url: str, template: str) -> int:
    """An approved campaign to `thu_tuc_moi` of UNIT, due now; return its id."""
    from bot.campaigns.service import CampaignService
    from bot.campaigns.topics import load_catalog
    from bot.content.messages import load_messages
    from bot.content.units import load_units
    from bot.core.actors import Actor
    from bot.db.engine import make_engine, make_sessionmaker

    content = ROOT / "content"
    service = CampaignService(
        load_units(content / "units"), load_messages(content / "messages.vi.yaml"),
        load_catalog(content), lambda: dt.datetime.now(dt.UTC),
    )  # fmt: skip
    engine = make_engine(db_url)
    author = Actor("tnv.bench", "volunteer", frozenset({UNIT}))
    async with make_sessionmaker(engine).begin() as sess:
        c = await service.create_draft(
            sess, author, unit=UNIT, title="Bench", template=template, topics=["thu_tuc_moi"]
        )
        await service.submit(sess, author, c.id)
        await service.approve(sess, Actor("cb.bench", "staff", frozenset({UNIT})), c.id)
        cid = int(c.id)
    await engine.dispose()
    return cid


async def scalar(db_url: str, sql: str) -> object:
    from sqlalchemy import text

    from bot.db.engine import make_engine

    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar()
    finally:
        await engine.dispose()


def base_env(db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DATA_DIR": str(data_dir),
        "DEFAULT_UNIT": UNIT,
        "LOG_LEVEL": "warning",
        "CAMPAIGN_QUIET_HOURS": "off",
        "NO_PROXY": "127.0.0.1,localhost",
        "PTB_TIMEDELTA": "true",
    }
    env.update(extra)
    return env


def spawn(args: list[str], env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args], env=dict(env or os.environ), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def spawn_hello(port: int) -> subprocess.Popen[bytes]:
    return spawn(["-c", HELLO_SERVER, str(port)])


async def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until GET url answers (any status); fail if the process died."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"process exited with {proc.returncode}: {err[-2000:]}")
            try:
                async with http.get(url) as resp:
                    await resp.read()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise TimeoutError(url)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size (VmRSS) of a process in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def rss_split(pid: int | str = "self") -> str:
    """'anon X MB, file Y MB': the process's own memory and its shared, file-backed pages."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("RssAnon:", "RssFile:")):
            fields[line.split(":")[0]] = int(line.split()[1]) / 1024
    return f"anon {fields.get('RssAnon', 0):.1f} MB, file {fields.get('RssFile', 0):.1f} MB"


def per_chat(sent: list[dict[str, object]]) -> dict[object, int]:
    counts: dict[object, int] = {}
    for m in sent:
        chat = m["chat"]["id"]  # type: ignore[index]
        counts[chat] = counts.get(chat, 0) + 1
    return counts


def pid_with_local_port(port: int, pids: list[int]) -> int | None:
    """Which of `pids` owns the loopback TCP socket whose local port is `port` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        for fd in fd_dir.iterdir() if fd_dir.exists() else ():
            try:
                link = os.readlink(fd)
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return pid
    return None
