"""Shared pieces of the benchmarks: a throw-away database and the bot as a child process."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import aiohttp
from _util import drop_database, free_port, fresh_database

__all__ = ["drop_database", "free_port", "fresh_database"]  # one copy, in _util.py

ROOT = Path(__file__).resolve().parent.parent
LOAXA = ROOT / ".venv" / "bin" / "loaxa"
JSON = dict[str, Any]
Expect = Callable[[JSON], bool]


# --- Telegram messages as recorded by FakeTelegram ---------------------------------------
def buttons(msg: JSON) -> list[tuple[str, str]]:
    rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
    return [(b.get("text", ""), b.get("callback_data", "")) for row in rows for b in row]


def data_of(msg: JSON, test: Callable[[str, str], bool]) -> str:
    return next(data for label, data in buttons(msg) if test(label, data))


def has_button(test: Callable[[str, str], bool]) -> Expect:
    return lambda m: any(test(label, data) for label, data in buttons(m))


def has_text(part: str) -> Expect:
    return lambda m: part in str(m.get("text", ""))


class BotProcess:
    """`loaxa run --port P` as a child process that can be SIGKILLed and started again."""

    def __init__(self, port: int, env: dict[str, str], log_path: Path) -> None:
        self.port = port
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._log: IO[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self._log is None:
            self._log = self.log_path.open("ab")
        self.starts += 1
        self._log.write(f"\n=== start {self.starts} at {time.time():.3f}\n".encode())
        self._log.flush()
        self.proc = subprocess.Popen(
            [str(LOAXA), "run", "--port", str(self.port)], env=self.env, cwd=ROOT,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def exited(self) -> int | None:
        """The exit code if the process ended by itself (or was killed), else None."""
        return None if self.proc is None else self.proc.poll()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self, timeout: float = 30.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log is not None:
            self._log.close()
            self._log = None
        return self.proc.returncode

    async def wait_healthy(self, timeout: float = 90.0) -> bool:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as http:
            while time.monotonic() < deadline:
                if self.exited() is not None:
                    return False
                try:
                    async with http.get(f"{self.base}/healthz") as resp:
                        if resp.status == 200:
                            return True
                except (aiohttp.ClientError, TimeoutError):
                    pass
                await asyncio.sleep(0.1)
        return False


async def read_database(db_url: str) -> dict[str, Any]:
    """PAKN rows (code, content, chat), unprocessed inbox rows, outbound statuses, states."""
    from sqlalchemy import func, select

    from bot.db.engine import make_engine, make_sessionmaker
    from bot.db.models import Contact, ConversationState, InboxItem, Message
    from bot.db.models_pakn import Pakn

    engine = make_engine(db_url)
    async with make_sessionmaker(engine)() as sess:
        rows = (
            await sess.execute(
                select(Pakn.code, Pakn.content, Contact.external_id).outerjoin(
                    Contact, Pakn.contact_id == Contact.id
                )
            )
        ).all()
        unprocessed = (
            await sess.execute(select(InboxItem).where(InboxItem.processed_at.is_(None)))
        ).scalars()
        inbox_left = [(i.id, i.attempts, i.error, i.payload) for i in unprocessed]
        statuses = dict(
            (
                await sess.execute(
                    select(Message.status, func.count())
                    .where(Message.direction == "out")
                    .group_by(Message.status)
                )
            ).all()
        )
        states = (
            await sess.execute(
                select(Contact.external_id, ConversationState.flow, ConversationState.step).join(
                    ConversationState, ConversationState.contact_id == Contact.id
                )
            )
        ).all()
    await engine.dispose()
    return {
        "rows": [(r[0], r[1], r[2]) for r in rows],
        "inbox_left": inbox_left,
        "out_status": statuses,
        "states": {str(s[0]): (s[1], s[2]) for s in states},
    }


async def in_flight(db_url: str) -> tuple[int, int, int, int]:
    """(unprocessed inbox rows, pending replies, claimed replies, PAKN rows) right now."""
    from sqlalchemy import func, select

    from bot.db.engine import make_engine
    from bot.db.models import InboxItem, Message
    from bot.db.models_pakn import Pakn

    engine = make_engine(db_url)
    out = Message.direction == "out"
    queries = [
        select(func.count()).where(InboxItem.processed_at.is_(None)),
        select(func.count()).where(out, Message.status == "pending"),
        select(func.count()).where(out, Message.status == "sending"),
        select(func.count()).select_from(Pakn),
    ]
    async with engine.connect() as conn:
        counts = [int((await conn.execute(q)).scalar_one()) for q in queries]
    await engine.dispose()
    return counts[0], counts[1], counts[2], counts[3]


# --- campaigns (bench/campaign.py and its Zalo run, bench/campaign_zalo.py) -------------------
CAMPAIGN_UNIT = "xa-binh-minh"
CAMPAIGN_TEMPLATE = "Bản tin thử của {{ unit.name }}: nộp hồ sơ trực tuyến tại {{ unit.portal }}."


async def seed_campaign(
    db_url: str, contacts: list[JSON], now: dt.datetime, title: str = "Bench"
) -> int:
    """The contacts (column dicts), each subscribed to one topic, and an approved campaign to
    that topic; return the campaign's id."""
    from sqlalchemy import insert, select

    from bot.campaigns.service import CampaignService
    from bot.campaigns.topics import load_catalog
    from bot.content.messages import load_messages
    from bot.content.units import load_units
    from bot.core.actors import Actor
    from bot.db.engine import make_engine, make_sessionmaker, migrate
    from bot.db.models import Contact
    from bot.db.models_campaigns import Subscription
    from bot.settings import REPO_ROOT

    engine = make_engine(db_url)
    await migrate(engine)
    sm = make_sessionmaker(engine)
    async with sm.begin() as sess:
        for start in range(0, len(contacts), 2000):
            await sess.execute(insert(Contact), contacts[start : start + 2000])
        ids = (await sess.execute(select(Contact.id))).scalars().all()
        subs = [
            {"contact_id": c, "unit": CAMPAIGN_UNIT, "kind": "topic", "key": "thu_tuc_moi",
             "created_at": now}
            for c in ids
        ]  # fmt: skip
        for start in range(0, len(subs), 2000):
            await sess.execute(insert(Subscription), subs[start : start + 2000])
    content = REPO_ROOT / "content"
    service = CampaignService(
        load_units(content / "units"), load_messages(content / "messages.vi.yaml"),
        load_catalog(content), lambda: now,
    )  # fmt: skip
    author = Actor("tnv.bench", "volunteer", frozenset({CAMPAIGN_UNIT}))
    async with sm.begin() as sess:
        c = await service.create_draft(
            sess, author, unit=CAMPAIGN_UNIT, title=title, template=CAMPAIGN_TEMPLATE,
            topics=["thu_tuc_moi"],
        )  # fmt: skip
        await service.submit(sess, author, c.id)
        await service.approve(sess, Actor("cb.bench", "staff", frozenset({CAMPAIGN_UNIT})), c.id)
        cid = c.id
    await engine.dispose()
    return int(cid)


async def campaign_status(db_url: str, cid: int) -> tuple[str, int]:
    """(the campaign's status, its outbox rows in flight)."""
    from sqlalchemy import func, select

    from bot.db.engine import make_engine, make_sessionmaker
    from bot.db.models_campaigns import Campaign, CampaignOutbox

    engine = make_engine(db_url)
    async with make_sessionmaker(engine)() as sess:
        status = (await sess.execute(select(Campaign.status).where(Campaign.id == cid))).scalar()
        inflight = (
            await sess.execute(
                select(func.count()).where(
                    CampaignOutbox.campaign_id == cid, CampaignOutbox.status == "inflight"
                )
            )
        ).scalar_one()
    await engine.dispose()
    return str(status), int(inflight)
