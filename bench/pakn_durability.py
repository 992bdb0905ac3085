"""PAKN durability under SIGKILL (prints numbers, asserts nothing; run by hand, not in CI).

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python bench/pakn_durability.py [--n 1000] [--kills 10]
        [--concurrency 25] [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

N citizens (one Telegram chat each) go through the whole PAKN intake over the webhook of a
`loaxa run` child process, pressing the buttons of the bot's messages as recorded by FakeTelegram
(tests/fakes), while the bot is SIGKILLed at random moments (--kill-min..--kill-max s after it
answers /healthz again, so kills hit a serving bot, not its start-up) and restarted at once on the
same port and database. Like Telegram, an update whose push fails
(refused, timeout, non-200) is redelivered with the same update_id until it gets 200. A citizen
with no expected reply for --stuck-after seconds is recorded as stuck.

At the end the bot is stopped and the database read directly: every tracking code sent to a
citizen must be a `pakn` row with that citizen's content (else: lost), and no content or chat may
have two rows (else: duplicated). SQLite in a temporary directory by default; with
--database-url (a PostgreSQL server URL) a fresh database is created and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench._common import (
    JSON,
    BotProcess,
    Expect,
    buttons,
    data_of,
    drop_database,
    free_port,
    fresh_database,
    has_button,
    has_text,
    in_flight,
    read_database,
)
from tests.fakes import SECRET_HEADER, FakeTelegram

UNIT = "xa-binh-minh"
BASE_CHAT = 70_000_000
SECRET = "bench-durability-secret-0123456789"
_SYM = "[34679ACDEHKMNPQRTXY]{3}"
CODE_RE = re.compile(f"PA-{_SYM}-{_SYM}-{_SYM}")
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Minh Đức"]


class Stuck(Exception):
    pass


@dataclass
class Run:
    args: argparse.Namespace
    fake: FakeTelegram
    bot: BotProcess
    http: aiohttp.ClientSession
    db_url: str
    by_chat: dict[int, list[JSON]] = field(default_factory=lambda: defaultdict(list))
    cursor: int = 0
    pushes: int = 0
    redelivered: int = 0
    push_errors: Counter[str] = field(default_factory=Counter)
    acked: dict[int, str] = field(default_factory=dict)  # chat -> code
    contents: dict[int, str] = field(default_factory=dict)  # chat -> content typed
    stuck: dict[int, str] = field(default_factory=dict)  # chat -> why
    kills: list[float] = field(default_factory=list)
    self_exits: list[str] = field(default_factory=list)
    slowest_step: float = 0.0
    started: float = field(default_factory=time.monotonic)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"{self.bot.base}/webhooks/telegram/{UNIT}"

    def t(self) -> float:
        return time.monotonic() - self.started

    # --- the fake's record of sent messages, per chat -------------------------------------
    async def watch(self) -> None:
        while True:
            sent = self.fake.sent()
            for m in sent[self.cursor :]:
                self.by_chat[m["chat"]["id"]].append(m)
            self.cursor = len(sent)
            await asyncio.sleep(0.02)

    # --- Telegram's side: deliver until 200 -------------------------------------------------
    async def push(self, update: JSON, deadline: float) -> None:
        body = json.dumps(update)
        headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
        attempt = 0
        while True:
            self.pushes += 1
            try:
                async with self.http.post(self.url, data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status == 200:
                        return
                    self.push_errors[f"HTTP {resp.status}"] += 1
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.push_errors[type(exc).__name__] += 1
            if time.monotonic() > deadline:
                raise Stuck(f"update {update['update_id']} not accepted in time")
            attempt += 1
            self.redelivered += 1
            await asyncio.sleep(min(0.05 * 2**attempt, 2.0))

    async def expect(self, chat: int, before: int, test: Expect, what: str, since: float) -> JSON:
        deadline = since + self.args.stuck_after
        while True:
            for m in self.by_chat[chat][before:]:
                if test(m):
                    self.slowest_step = max(self.slowest_step, time.monotonic() - since)
                    return m
            if time.monotonic() > deadline:
                last = [str(m.get("text", ""))[:60] for m in self.by_chat[chat][before:][-3:]]
                raise Stuck(f"no '{what}' within {self.args.stuck_after:.0f} s; got {last}")
            await asyncio.sleep(0.05)

    async def step(self, chat: int, make: Callable[[], JSON], test: Expect, what: str) -> JSON:
        since = time.monotonic()
        before = len(self.by_chat[chat])
        await self.push(make(), since + self.args.stuck_after)
        return await self.expect(chat, before, test, what, since)

    # --- one citizen ------------------------------------------------------------------------
    async def citizen(self, i: int) -> None:
        chat, fake = BASE_CHAT + i, self.fake
        content = (
            f"Phản ánh thử số {i:05d}: đường bê tông vào tổ {i % 9 + 1} ấp Bình Minh bị ngập "
            "nước sau mưa lớn, đề nghị xã kiểm tra và sửa chữa sớm."
        )
        self.contents[chat] = content

        def text(s: str) -> Callable[[], JSON]:
            return lambda: fake.make_text_update(chat, s)

        def press(msg: JSON, data: str) -> Callable[[], JSON]:
            return lambda: fake.make_callback_update(chat, data, msg["message_id"])

        is_start = has_button(lambda label, _: "Gửi phản ánh" in label)
        m = await self.step(chat, text("xin chào"), is_start, "menu")
        start = data_of(m, lambda label, _: "Gửi phản ánh" in label)
        is_cat = has_button(lambda _, d: d.startswith("pakn:cat:"))
        m = await self.step(chat, press(m, start), is_cat, "categories")
        cats = [d for _, d in buttons(m) if d.startswith("pakn:cat:")]
        m = await self.step(chat, press(m, cats[i % len(cats)]), has_text("Bước 2"), "content?")
        m = await self.step(chat, text(content), has_text("Bước 3"), "attachments?")
        m = await self.step(chat, press(m, "pakn:skip"), has_text("cho biết họ và tên"), "name?")
        m = await self.step(chat, text(NAMES[i % len(NAMES)]), has_text("số điện thoại"), "phone?")
        is_confirm = has_button(lambda _, d: d.startswith("pakn:send:"))

        def confirm(msg: JSON) -> bool:
            return is_confirm(msg) and content[:60] in str(msg.get("text", ""))

        if i % 2 == 0:
            phone = f"0912 {i // 1000 % 1000:03d} {i % 1000:03d}"
            m = await self.step(chat, text(phone), confirm, "confirm")
        else:
            is_addr = has_text("cho biết địa chỉ liên hệ")
            m = await self.step(chat, press(m, "pakn:nophone"), is_addr, "address?")
            address = f"Số {i}, tổ {i % 9 + 1}, ấp Bình Minh, xã Bình Minh"
            m = await self.step(chat, text(address), confirm, "confirm")
        send = data_of(m, lambda _, d: d.startswith("pakn:send:"))

        def ack(msg: JSON) -> bool:
            return bool(CODE_RE.search(str(msg.get("text", "")))) and has_button(
                lambda _, d: d.startswith("status:c:")
            )(msg)

        m = await self.step(chat, press(m, send), ack, "acknowledgement")
        found = CODE_RE.search(str(m.get("text", "")))
        assert found is not None
        self.acked[chat] = found.group(0)

    async def citizens(self) -> None:
        gate = asyncio.Semaphore(self.args.concurrency)

        async def one(i: int) -> None:
            async with gate:
                try:
                    await self.citizen(i)
                except Stuck as exc:
                    self.stuck[BASE_CHAT + i] = str(exc)
                    print(f"  [{self.t():6.1f} s] STUCK chat {BASE_CHAT + i}: {exc}", flush=True)

        await asyncio.gather(*(one(i) for i in range(self.args.n)))
        self.done.set()

    # --- the killer and a watchdog ----------------------------------------------------------
    async def killer(self) -> None:
        """Kill a random 3-12 s (--kill-min/max) after the bot serves again; restart at once."""
        rng = random.Random(self.args.seed)
        while not self.done.is_set():
            if not await self.bot.wait_healthy(timeout=120) and self.bot.exited() is not None:
                self._self_exit()
                continue
            if len(self.kills) >= self.args.kills:
                wait = 1.0
            else:
                wait = rng.uniform(self.args.kill_min, self.args.kill_max)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.done.wait(), wait)
                return
            if self.bot.exited() is not None:
                self._self_exit()
            elif len(self.kills) < self.args.kills:
                self.bot.kill()
                self.kills.append(self.t())
                self.bot.start()  # at once; it needs seconds to import before touching the DB
                inbox, pending, sending, rows = await in_flight(self.db_url)
                print(
                    f"  [{self.kills[-1]:6.1f} s] kill {len(self.kills)}: SIGKILL, restarted; "
                    f"acknowledged so far {len(self.acked)}; left by the killed process: "
                    f"{inbox} inbox rows unprocessed, {pending} replies pending, {sending} "
                    f"claimed (sending), {rows} PAKN rows",
                    flush=True,
                )

    def _self_exit(self) -> None:
        code = self.bot.exited()
        self.self_exits.append(f"{self.t():.1f} s rc={code}")
        print(f"  [{self.t():6.1f} s] bot exited by itself (rc={code}); restarting", flush=True)
        self.bot.start()

    async def progress(self) -> None:
        while not self.done.is_set():
            await asyncio.sleep(15)
            print(
                f"  [{self.t():6.1f} s] acknowledged {len(self.acked)}/{self.args.n}, "
                f"stuck {len(self.stuck)}, pushes {self.pushes}, redelivered {self.redelivered}, "
                f"kills {len(self.kills)}",
                flush=True,
            )


def report(run: Run, db: dict[str, Any], elapsed: float) -> None:
    rows: list[tuple[str, str, str | None]] = db["rows"]
    by_code = {code: (content, ext) for code, content, ext in rows}
    # Every acknowledgement on the fake (duplicate copies of one included), by chat.
    acks: dict[int, list[str]] = defaultdict(list)
    for m in run.fake.sent():
        chat = m["chat"]["id"]
        if BASE_CHAT <= chat < BASE_CHAT + run.args.n:
            acks[chat].extend(CODE_RE.findall(str(m.get("text", ""))))
    codes = {(chat, code) for chat, found in acks.items() for code in found}
    lost = [
        (chat, code)
        for chat, code in codes
        if by_code.get(code) != (run.contents.get(chat), str(chat))
    ]
    content_count = Counter(content for _, content, _ in rows)
    chat_count = Counter(ext for _, _, ext in rows)
    dup_content = {c: k for c, k in content_count.items() if k > 1}
    dup_chat = {c: k for c, k in chat_count.items() if k > 1}
    two_codes = {chat: set(found) for chat, found in acks.items() if len(set(found)) > 1}
    copies = sum(len(found) - len(set(found)) for found in acks.values())
    sent_codes = {code for _, code in codes}
    unacked_rows = [(code, ext) for code, _, ext in rows if code not in sent_codes]
    print(f"\n=== PAKN durability: {run.args.n} citizens, db={run.args.db_kind} ===")
    print(f"citizens driven:                 {run.args.n}")
    print(f"acknowledgements seen (citizens): {len(run.acked)}")
    print(f"acknowledgement messages:        {sum(len(f) for f in acks.values())} "
          f"({copies} repeated copies of an already sent code)")  # fmt: skip
    print(f"codes sent:                      {len(sent_codes)}")
    print(f"codes in DB with its content:    {len(codes) - len(lost)}")
    print(f"lost (sent, missing/mismatch):   {len(lost)}")
    print(f"PAKN rows in DB:                 {len(rows)}")
    print(f"rows never acknowledged:         {len(unacked_rows)}")
    print(f"duplicates (same content):       {sum(k - 1 for k in dup_content.values())}")
    print(f"duplicates (chat with >1 row):   {sum(k - 1 for k in dup_chat.values())}")
    print(f"chats sent two different codes:  {len(two_codes)}")
    print(f"kills (SIGKILL):                 {len(run.kills)} at "
          f"{', '.join(f'{t:.1f}' for t in run.kills)} s")  # fmt: skip
    print(f"bot exits by itself:             {len(run.self_exits)} {run.self_exits}")
    print(f"stuck citizens:                  {len(run.stuck)}")
    print(f"updates pushed / redelivered:    {run.pushes} / {run.redelivered} "
          f"(failures: {dict(run.push_errors)})")  # fmt: skip
    print(f"slowest step (push to reply):    {run.slowest_step:.1f} s")
    print(f"outbound rows by status:         {db['out_status']}")
    print(f"inbox rows not processed:        {len(db['inbox_left'])}")
    print(f"total time:                      {elapsed:.1f} s")
    for chat, why in sorted(run.stuck.items()):
        print(f"  stuck {chat}: {why}; state in DB: {db['states'].get(str(chat))}")
    for item_id, attempts, error, payload in db["inbox_left"][:10]:
        print(f"  inbox {item_id} attempts={attempts} error={error!r} keys={list(payload)}")
    for chat, code in lost[:10]:
        print(f"  lost {chat} {code}: DB has {by_code.get(code)!r}")
    problems = []
    if lost:
        problems.append(f"{len(lost)} lost")
    dups = sum(k - 1 for k in dup_content.values()) + sum(k - 1 for k in dup_chat.values())
    if dups or two_codes:
        problems.append(f"{dups} duplicated rows, {len(two_codes)} chats with two codes")
    if run.stuck:
        problems.append(f"{len(run.stuck)} stuck citizens")
    if len(run.acked) + len(run.stuck) != run.args.n:
        problems.append("citizens unaccounted for")
    print("OK: 0 lost, 0 duplicated" if not problems else "PROBLEM: " + "; ".join(problems))


async def main_async(args: argparse.Namespace, tmp: Path) -> None:
    db_url = await fresh_database(args.database_url or None, tmp, "loaxa")  # = DATA_DIR default
    args.db_kind = db_url.split(":", 1)[0]
    async with FakeTelegram() as fake:
        port = args.port or free_port()
        env = {
            "DATA_DIR": str(tmp),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "PUBLIC_URL": "https://bench.invalid",
            "WEB_CHAT": "off",
            "DEFAULT_UNIT": UNIT,
            "NO_PROXY": "127.0.0.1,localhost",
            "PTB_TIMEDELTA": "true",
            "LOG_LEVEL": "warning",
        }
        if args.database_url:
            env["DATABASE_URL"] = db_url
        log_path = Path(args.log or f"/tmp/loaxa-pakn-durability-{port}.log")
        bot = BotProcess(port, env, log_path)
        bot.start()
        if not await bot.wait_healthy():
            bot.stop()
            print(f"the bot did not start; see {log_path}:\n{log_path.read_text()[-3000:]}")
            return
        print(f"bot on port {port}, db {args.db_kind}, log {log_path}", flush=True)
        timeout = aiohttp.ClientTimeout(total=args.push_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            run = Run(args, fake, bot, http, db_url)
            tasks = [asyncio.create_task(c) for c in (run.watch(), run.killer(), run.progress())]
            await run.citizens()
            elapsed = run.t()
            for task in tasks:
                task.cancel()
        rc = bot.stop()
        print(f"bot stopped (rc={rc}); starts: {bot.starts}")
        await asyncio.sleep(0.1)
        db = await read_database(db_url)
        report(run, db, elapsed)
    await drop_database(args.database_url or None, db_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--kill-min", type=float, default=3.0)
    parser.add_argument("--kill-max", type=float, default=12.0)
    parser.add_argument("--concurrency", type=int, default=25)
    parser.add_argument("--stuck-after", type=float, default=480.0, help="seconds per step")
    parser.add_argument("--push-timeout", type=float, default=15.0)
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--log", default="", help="bot output (default: /tmp/loaxa-pakn-durability-<port>.log)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="loaxa-pakn-") as tmp:
        asyncio.run(main_async(args, Path(tmp)))


if __name__ == "__main__":
    main()
