"""No token, secret or message text in the logs, at the most verbose level, tracebacks included.

Logging is set up exactly as `loaxa run` does (configure_logging writing to stderr), so every
library's records go through the production handler.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from bot.app import build_app
from bot.keys import db_engine_key, pipeline_key
from bot.observability import QUIET_LOGGERS, configure_logging, scrub
from tests.conversations.drivers import TG_SECRET

UNIT = "xa-binh-minh"
CHAT = 7001
CITIZEN_TEXT = "Tôi là Nguyễn Văn Bảo ở xóm Đồi Thông, cần hỏi thủ tục"


@pytest.fixture
def captured_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Logs as production writes them (JSON on stderr, DEBUG), captured; restored afterwards."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    saved_levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    configure_logging("debug", "json")
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)
    for name, old in saved_levels.items():
        logging.getLogger(name).setLevel(old)


async def test_telegram_token_and_secret_never_logged(
    settings: Any, services: Any, aiohttp_client: Any, fake_telegram: Any, captured_logs: Any
) -> None:
    tg_settings = type(settings)(
        **{
            **settings.__dict__,
            "telegram_bot_token": fake_telegram.token,
            "telegram_api_url": fake_telegram.base_url,
            "telegram_webhook_secret": TG_SECRET,
            "web_chat": "off",
        }
    )
    services.settings = tg_settings
    client = await aiohttp_client(build_app(tg_settings, services=services, environ={}))
    url = str(client.make_url(f"/webhooks/telegram/{UNIT}"))
    update = fake_telegram.make_text_update(CHAT, CITIZEN_TEXT)
    assert await fake_telegram.push_update(update, url=url, secret=TG_SECRET) == 200
    await client.app[pipeline_key].process_pending()
    [reply] = await fake_telegram.wait_for_messages(CHAT, 1)
    # A failing call too: its error goes through python-telegram-bot's and our logging.
    fake_telegram.fail_next("sendMessage", error_code=500)
    update = fake_telegram.make_text_update(CHAT, "menu")
    assert await fake_telegram.push_update(update, url=url, secret=TG_SECRET) == 200
    await client.app[pipeline_key].process_pending()

    logs = captured_logs.getvalue()
    assert '"msg": "inbound"' in logs  # logging did run, at DEBUG
    assert fake_telegram.token not in logs
    assert fake_telegram.token.split(":", 1)[1] not in logs
    assert TG_SECRET not in logs
    assert CITIZEN_TEXT not in logs and "Nguyễn Văn Bảo" not in logs
    assert reply["text"][:40] not in logs  # nor the bot's answers


def test_registered_secret_is_masked_in_a_traceback(captured_logs: Any) -> None:
    from bot.observability import register_secrets

    register_secrets(["zalo-bot-0123456789abcdef"])
    try:
        raise RuntimeError(
            "GET https://bot-api.zaloplatforms.com/botzalo-bot-0123456789abcdef/getMe failed"
        )
    except RuntimeError:
        logging.getLogger("bot.test").exception("call failed")
    logs = captured_logs.getvalue()
    assert "call failed" in logs and "RuntimeError" in logs
    assert "0123456789abcdef" not in logs
    assert (
        scrub("https://x/bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ012/sendMessage").count("ABCdef") == 0
    )


async def test_failing_insert_does_not_log_the_message(
    settings: Any, services: Any, aiohttp_client: Any, captured_logs: Any
) -> None:
    client = await aiohttp_client(build_app(settings, services=services, environ={}))
    await client.get(f"/chat/{UNIT}/")
    engine = client.app[db_engine_key]
    postgres = engine.dialect.name == "postgresql"
    async with engine.begin() as conn:  # every INSERT into messages fails, in the database
        if postgres:
            await conn.execute(
                text(
                    "CREATE FUNCTION loaxa_test_fail() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'insert refused'; END $$ LANGUAGE plpgsql"
                )
            )
            await conn.execute(
                text(
                    "CREATE TRIGGER loaxa_test_fail BEFORE INSERT ON messages "
                    "FOR EACH ROW EXECUTE FUNCTION loaxa_test_fail()"
                )
            )
        else:
            await conn.execute(
                text(
                    "CREATE TRIGGER loaxa_test_fail BEFORE INSERT ON messages "
                    "BEGIN SELECT RAISE(ABORT, 'insert refused'); END"
                )
            )
    try:
        resp = await client.post(
            f"/chat/api/{UNIT}/send", json={"id": "m0000001", "text": CITIZEN_TEXT}
        )
        assert resp.status == 200
    finally:
        async with engine.begin() as conn:  # the PostgreSQL test database is shared
            await conn.execute(
                text("DROP TRIGGER loaxa_test_fail ON messages")
                if postgres
                else text("DROP TRIGGER loaxa_test_fail")
            )
            if postgres:
                await conn.execute(text("DROP FUNCTION loaxa_test_fail()"))
    logs = captured_logs.getvalue()
    assert "insert refused" in logs  # the failure and its traceback were logged
    assert "Nguyễn Văn Bảo" not in logs and "Đồi Thông" not in logs
