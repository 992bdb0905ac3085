"""On PostgreSQL an FAQ edit saved in one web process's console reaches every other process:
the workers, which answer the citizens, and the other web processes, which serve the web chat
and the console (bot/db/notify.py, FaqReloader.request)."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot import faq_edits
from bot.app import build_app
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.settings import Settings
from tests.conftest import CONTENT_DIR

pytestmark = pytest.mark.postgres
UNIT = "xa-binh-minh"
PHRASE = "bé nhà em mới chào đời thì đăng ký giấy tờ gì trước"


@pytest.mark.parametrize("run_workers", [True, False], ids=["worker", "web"])
async def test_an_edit_saved_elsewhere_reaches_the_running_process(
    db_url: str, services: Any, tmp_path: Path, run_workers: bool
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite runs one process: the console's own reload is the worker's")
    process_services = copy.copy(services)  # the reload swaps .faq on this copy only
    settings = Settings(
        data_dir=tmp_path, database_url=db_url, content_dir=CONTENT_DIR,
        run_workers=run_workers, web_chat="off", default_unit=UNIT,
    )  # fmt: skip
    runner = web.AppRunner(build_app(settings, services=process_services, environ={}))
    await runner.setup()  # as `loaxa worker` or `loaxa run` do: the listener runs
    web_engine = make_engine(db_url)  # the web process's own connection
    try:
        await migrate(web_engine)
        before = process_services.faq
        entry = before.entry("khai-sinh-dung-han", UNIT)
        data = faq_edits.entry_data(entry)
        data["questions"] = [*data["questions"][:9], PHRASE]
        edited, problems = faq_edits.validate(before, data, None, new=False)
        assert edited is not None, problems
        async with make_sessionmaker(web_engine).begin() as sess:
            await faq_edits.save(
                sess, entry=edited, unit=None, author="canbo", comment="thêm cách hỏi",
                now=dt.datetime.now(dt.UTC),
            )  # fmt: skip
        for _ in range(100):  # rebuilt off the loop: wait for the swap
            if process_services.faq is not before:
                break
            await asyncio.sleep(0.05)
        fresh = process_services.faq
        assert fresh is not before
        assert PHRASE in fresh.entry("khai-sinh-dung-han", UNIT).questions
        understood = fresh.understand(PHRASE, UNIT)
        assert understood.decision == "answer"
        assert understood.candidates[0].entry == "khai-sinh-dung-han"
    finally:
        await runner.cleanup()
        await web_engine.dispose()
