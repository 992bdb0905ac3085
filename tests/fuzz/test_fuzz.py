"""Fuzz: random and hostile updates through every webhook and the web chat, over HTTP.

The real app (`build_app`) with Telegram, Zalo OA, Zalo Bot and the web chat, against the fakes
of tests/fakes/. FUZZ_COUNT requests in all (default 10,000), drawn from FUZZ_SEED (default:
random; printed on failure). Replay a failure with the same seed and count:

    FUZZ_SEED=1234 FUZZ_COUNT=10000 .venv/bin/pytest tests/fuzz
    LOAXA_TEST_BACKEND=postgres LOAXA_TEST_POSTGRES=postgresql+asyncpg://… (the same, on PG)

Asserted: no 5xx; no ERROR log record and no traceback; a refused request (4xx) stores nothing
(inbox, messages, contacts counted before and after); every update is processed without error;
every well-formed message is answered (each inbound message of a contact is followed by a
reply) and every reply was delivered to the fake channel.
"""

from __future__ import annotations

import io
import logging
import os
import random
import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_app
from bot.db.models import Contact, InboxItem, Message
from bot.keys import db_engine_key, pipeline_key, sessionmaker_key
from bot.web.chat import ChatLimits, chat_limits_key
from bot.web.limits import RateLimiter
from tests.conversations.drivers_zalo import zalo_settings
from tests.fuzz.cases import TG_SECRET, Case, Generator

PROCESS_EVERY = 100  # webhook requests between two runs of the pipeline
NOT_ANSWERED = ("follow", "unfollow", "agent")  # events that are not a citizen writing


class Trouble(logging.Handler):
    """Keeps ERROR records and any record with a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    def describe(self, record: logging.LogRecord) -> str:
        """The message and the last lines of its traceback: where it failed, and why."""
        where = ""
        if record.exc_info:
            where = " | " + " / ".join(self.formatException(record.exc_info).splitlines()[-3:])
        return f"log {record.levelname} {record.name}: {record.getMessage()[:200]}{where[:600]}"

    def formatException(self, exc_info: Any) -> str:
        return logging.Formatter().formatException(exc_info)


@pytest.fixture
async def fuzz_app(settings, services, aiohttp_client, fake_telegram, fake_zalo):  # type: ignore[no-untyped-def]
    fs = zalo_settings(
        settings,
        fake_zalo,
        web_chat="on",
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
    )
    services.settings = fs
    client = await aiohttp_client(build_app(fs, services=services, environ={}))
    big = 10**9  # the rate limits have their own tests; here every request must get through
    limits: ChatLimits = client.app[chat_limits_key]
    limits.per_session = limits.per_address = RateLimiter(big, 60.0)
    return client, fake_telegram, fake_zalo


class Writes:
    """Counts the INSERT, UPDATE and DELETE statements the app sends to the database: a refused
    request must send none (stricter than counting rows, and cheap)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.count = 0
        self.last = ""

    def __enter__(self) -> Writes:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.count += 1
            self.last = statement[:80]


@pytest.mark.timeout(3600)  # 10,000 requests: about 4 min of CPU on SQLite, more when loaded
async def test_fuzz_every_channel(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    client, fake_telegram, fake_zalo = fuzz_app
    seed = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    count = int(os.environ.get("FUZZ_COUNT") or 10_000)
    replay = f"replay: FUZZ_SEED={seed} FUZZ_COUNT={count}"
    print(replay)
    run = Run(client, Generator(seed, fake_zalo.oa.app_id, fake_zalo.oa.oa_secret_key))
    trouble = Trouble()
    logging.getLogger().addHandler(trouble)
    try:
        with Writes(client.app[db_engine_key]) as writes:
            await run.requests(count, writes)
        failures = run.failures + await _unanswered(client)
        failures += _not_delivered(run.must_answer, fake_telegram, fake_zalo)
    finally:
        logging.getLogger().removeHandler(trouble)
    failures += [trouble.describe(r) for r in trouble.records]
    print(replay, dict(sorted(run.statuses.items())))
    print("seconds:", {k: round(v, 1) for k, v in run.spent.items()}, "writes:", writes.count)
    assert not failures, f"{replay}\n" + "\n".join(failures[:40])


class Run:
    def __init__(self, client: Any, generator: Generator) -> None:
        self.client = client
        self.generator = generator
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.failures: list[str] = []
        self.must_answer: Counter[tuple[str, str]] = Counter()  # contact → messages accepted
        self.spent: Counter[str] = Counter()  # seconds: each channel's requests, processing

    async def requests(self, count: int, writes: Writes) -> None:
        """Send `count` cases; run the pipeline every PROCESS_EVERY webhook updates."""
        since_process = 0
        for _ in range(count):
            case = self.generator.case()
            started, before = time.perf_counter(), writes.count
            status, problem = await _send(self.client, case)
            self.spent[case.channel] += time.perf_counter() - started
            self.statuses[(case.channel, status)] += 1
            if problem:
                self.failures.append(f"{problem}: {case.describe()}")
            if 400 <= status < 500 and writes.count != before:
                self.failures.append(
                    f"refused ({status}) but wrote {writes.last!r}: {case.describe()}"
                )
            if status == 200 and case.answer:
                self.must_answer[case.answer] += 1
            since_process += case.channel != "web"  # the web chat answers at once
            if since_process >= PROCESS_EVERY:
                await self.process()
                since_process = 0
            if len(self.failures) > 20:
                break
        await self.process()

    async def process(self) -> None:
        started = time.perf_counter()
        pipeline = self.client.app[pipeline_key]
        while await pipeline.process_pending():
            pass
        await pipeline.deliver()
        self.spent["process"] += time.perf_counter() - started


async def _send(client: Any, case: Case) -> tuple[int, str]:
    """POST (GET for a poll) the case; the status and what is wrong with the answer."""
    if case.body or "/send" in case.path or "/webhooks/" in case.path:
        data = io.BytesIO(case.body)  # raw bytes over 1 MB make aiohttp warn
        resp = await client.post(case.path, data=data, headers=case.headers)
    else:
        resp = await client.get(case.path, headers=case.headers)
    body = await resp.read()
    if resp.status >= 500:
        return resp.status, f"HTTP {resp.status} {body[:200]!r}"
    if case.channel == "web" and resp.status == 200 and case.answer and "/send" in case.path:
        messages = (await resp.json()).get("messages") or []
        if not any(m.get("direction") == "out" for m in messages):
            return resp.status, "web chat: no reply in the answer"
    return resp.status, ""


async def _unanswered(client: Any) -> list[str]:
    """Every update processed without error; each inbound message of a contact is followed by a
    reply; each reply delivered."""
    problems: list[str] = []
    async with client.app[sessionmaker_key]() as sess:
        failed = (
            await sess.execute(
                select(InboxItem.channel, InboxItem.external_id, InboxItem.error).where(
                    (InboxItem.processed_at.is_(None)) | (InboxItem.error.is_not(None))
                )
            )
        ).all()
        problems += [f"inbox {c} {e!r} not processed: {err}" for c, e, err in failed[:20]]
        contacts = {c.id: c for c in (await sess.execute(select(Contact))).scalars()}
        rows = (
            await sess.execute(
                select(Message.contact_id, Message.direction, Message.kind, Message.status)
                .where(Message.direction.in_(("in", "out")))
                .order_by(Message.contact_id, Message.id)
            )
        ).all()
    waiting: dict[int, str] = {}  # contact → kind of its last unanswered inbound message
    for contact_id, direction, kind, status in rows:
        contact = contacts[contact_id]
        if direction == "out":
            waiting.pop(contact_id, None)
            if status != "sent":
                problems.append(f"reply to {contact.channel}:{contact.external_id} is {status}")
            continue
        if contact.paused_until is not None:  # staff chat with them: the bot keeps quiet
            continue
        if kind in NOT_ANSWERED and not (kind == "follow" and contact.channel == "zalo"):
            continue
        if contact_id in waiting:
            problems.append(f"{contact.channel}:{contact.external_id}: {waiting[contact_id]} "
                            "not answered")  # fmt: skip
        waiting[contact_id] = kind
    for contact_id, kind in waiting.items():
        contact = contacts[contact_id]
        problems.append(f"{contact.channel}:{contact.external_id}: last {kind} not answered")
    return problems[:40]


def _not_delivered(must_answer: Counter[tuple[str, str]], telegram: Any, zalo: Any) -> list[str]:
    """Each well-formed message accepted by a webhook got at least one message back through the
    fake channel. Counted on the fakes, not in the log: a citizen may have deleted their data
    ("xóa dữ liệu của tôi" is among the texts). The web chat's replies are checked per request."""
    sent = {
        "telegram": lambda user: telegram.sent(int(user)),
        "zalo": lambda user: zalo.oa.sent(user),
        "zalobot": lambda user: zalo.bot.sent(user),
    }
    problems = []
    for (channel, user), accepted in must_answer.items():
        if channel in sent and len(sent[channel](user)) < accepted:
            got = len(sent[channel](user))
            problems.append(f"{channel}:{user}: {accepted} messages accepted, {got} replies")
    return problems
