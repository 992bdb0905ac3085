"""Run every tests/conversations/*.yaml transcript on every channel adapter.

A transcript is a list of turns. Each turn is one of
    say: TEXT           the citizen types TEXT
    press: LABEL        the citizen presses the button whose label contains LABEL
    send: KIND          sticker | voice | photo | location (skipped on channels without it)
followed by `expect`: the bot's replies, in order, each with
    text: [substrings the reply must contain]      (case-sensitive, diacritics matter)
    not_text: [substrings it must not contain]
    buttons: [labels that must be among its buttons, by substring]
    not_buttons: [labels that must not be among them]
A turn's reply count must match `expect` exactly, unless `expect_at_least: true`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import build_app
from tests.conversations.drivers import TG_SECRET, Seen, TelegramDriver, WebDriver
from tests.conversations.drivers_zalo import make_zalo_driver

HERE = Path(__file__).parent
TRANSCRIPTS = sorted(HERE.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data.get("turns"), f"{path}: needs name and turns"
    return data


def _check(path: Path, i: int, turn: dict[str, Any], seen: list[Seen], channel: str) -> None:
    where = f"{path.name} turn {i} on {channel}"
    expect = turn.get("expect", [])
    texts = [s.text for s in seen]
    if turn.get("expect_at_least"):
        assert len(seen) >= len(expect), f"{where}: got {texts}"
    else:
        assert len(seen) == len(expect), f"{where}: expected {len(expect)} replies, got {texts}"
    for j, (want, got) in enumerate(zip(expect, seen, strict=False)):
        assert unicodedata.is_normalized("NFC", got.text), f"{where}: reply {j} not NFC"
        for part in want.get("text", []):
            assert part in got.text, f"{where}: reply {j} lacks {part!r}: {got.text!r}"
        for part in want.get("not_text", []):
            assert part not in got.text, f"{where}: reply {j} has {part!r}: {got.text!r}"
        for pattern in want.get("matches", []):
            assert re.search(pattern, got.text), f"{where}: reply {j} !~ {pattern}: {got.text!r}"
        labels = [b["label"] for b in got.buttons]
        for label in want.get("buttons", []):
            # Telegram has no call buttons: the number is written into the text instead.
            ok = any(label in b for b in labels) or (channel == "telegram" and label in got.text)
            assert ok, f"{where}: reply {j} lacks button {label!r}; has {labels}"
        for label in want.get("not_buttons", []):
            assert not any(label in b for b in labels), f"{where}: reply {j} has {label!r}"


@pytest.fixture(params=["web", "telegram", "zalo", "zalobot"])
async def driver(request, settings, services, aiohttp_client, fake_telegram, fake_zalo):  # type: ignore[no-untyped-def]
    unit = "xa-binh-minh"
    if request.param in ("zalo", "zalobot"):
        return await make_zalo_driver(request.param, settings, services, aiohttp_client, fake_zalo)
    if request.param == "web":
        app = build_app(settings, services=services, environ={})
        client = await aiohttp_client(app)
        drv: Any = WebDriver(client, unit)
    else:
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
        app = build_app(tg_settings, services=services, environ={})
        client = await aiohttp_client(app)
        drv = TelegramDriver(client, fake_telegram, unit)
    await drv.start()
    return drv


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
async def test_transcript(path: Path, driver: Any) -> None:
    data = _load(path)
    if driver.channel not in data.get("channels", [driver.channel]):
        pytest.skip(f"{path.name} is not for {driver.channel}")
    for i, turn in enumerate(data["turns"]):
        if "say" in turn:
            seen = await driver.say(str(turn["say"]))
        elif "press" in turn:
            seen = await driver.press(str(turn["press"]))
        else:
            kind = str(turn["send"])
            if kind not in driver.supports:
                continue
            seen = await driver.send_special(kind)
        _check(path, i, turn, seen, driver.channel)
