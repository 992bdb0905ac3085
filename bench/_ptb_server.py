"""python-telegram-bot written the usual way, for bench/hotpath_compare.py only.

`Application` with `.updater(None)` and an aiohttp webhook, as in PTB's custom-webhook example:
the webhook puts the update on `application.update_queue` and answers 200; a MessageHandler
replies with the text. Default settings (updates processed one at a time).

Modes: `echo` replies only; `sqlite` first upserts the contact, INSERTs the message and
COMMITs with one aiosqlite connection (WAL, synchronous=NORMAL, as Loa Xã's engine sets).

Usage: python bench/_ptb_server.py PORT echo|sqlite TOKEN BASE_URL [DB_PATH]
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time

import aiosqlite
from aiohttp import web
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (chat_id INTEGER PRIMARY KEY, first_seen REAL,
                                     last_seen REAL, messages INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, chat_id INTEGER, text TEXT, at REAL);
"""
UPSERT = (
    "INSERT INTO contacts (chat_id, first_seen, last_seen, messages) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (chat_id) DO UPDATE SET last_seen = excluded.last_seen, "
    "messages = messages + 1"
)


async def serve(port: int, mode: str, token: str, base_url: str, db_path: str | None) -> None:
    db: aiosqlite.Connection | None = None
    if mode == "sqlite":
        assert db_path
        db = await aiosqlite.connect(db_path)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.executescript(SCHEMA)
        await db.commit()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        assert msg is not None and msg.text is not None
        if db is not None:
            now = time.time()
            await db.execute(UPSERT, (msg.chat_id, now, now))
            await db.execute(
                "INSERT INTO messages (chat_id, text, at) VALUES (?, ?, ?)",
                (msg.chat_id, msg.text, now),
            )
            await db.commit()
        await msg.reply_text(msg.text)

    application = Application.builder().token(token).base_url(base_url).updater(None).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def webhook(request: web.Request) -> web.Response:
        data = await request.json()
        await application.update_queue.put(Update.de_json(data, application.bot))
        return web.Response()

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/telegram", webhook)
    app.router.add_get("/healthz", health)
    runner = web.AppRunner(app, access_log=None)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with application:
        await application.start()
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await stop.wait()
        await runner.cleanup()
        await application.stop()
    if db is not None:
        await db.close()


if __name__ == "__main__":
    from _counted_run import install  # aiosqlite thread hops (SIGUSR1), as for Loa Xã

    install()
    a = sys.argv[1:]
    asyncio.run(serve(int(a[0]), a[1], a[2], a[3], a[4] if len(a) > 4 else None))
