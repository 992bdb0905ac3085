"""A location shared in the PAKN form is stored with the petition, on every channel that has one
(tests/conversations/pakn_location.yaml walks the same form and checks what the citizen reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models_pakn import Pakn
from bot.keys import sessionmaker_key
from tests.conversations.test_transcripts import _load, driver  # noqa: F401 - the fixture

FORM = _load(Path(__file__).parent / "pakn_location.yaml")


async def test_the_location_is_kept_with_the_petition(driver: Any) -> None:  # noqa: F811
    if "location" not in driver.supports:
        pytest.skip(f"{driver.channel} sends no location")
    for turn in FORM["turns"]:
        if "say" in turn:
            await driver.say(str(turn["say"]))
        elif "press" in turn:
            await driver.press(str(turn["press"]))
        else:
            await driver.send_special(str(turn["send"]))
    async with driver.client.app[sessionmaker_key]() as sess:
        pakn = (await sess.execute(select(Pakn))).scalars().one()
    assert pakn.category == "ha_tang"
    assert pakn.latitude == pytest.approx(
        10.9574, abs=0.01
    )  # each fake sends its own sample point
    assert pakn.longitude == pytest.approx(106.8426, abs=0.05)
    if driver.channel == "web":
        assert pakn.location_accuracy == 12  # the browser's coords.accuracy, in metres


def test_telegram_accuracy_is_read() -> None:
    from bot.channels.telegram import TelegramChannel

    channel: Any = TelegramChannel.__new__(TelegramChannel)
    channel.unit, channel.name = "xa-binh-minh", "telegram"
    message = {
        "message_id": 7,
        "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "first_name": "An"},
        "location": {"latitude": 10.95, "longitude": 106.84, "horizontal_accuracy": 35.5},
    }
    (inbound,) = channel.parse({"update_id": 1, "message": message})
    assert inbound.kind == "location"
    assert inbound.location == (10.95, 106.84) and inbound.location_accuracy == 35.5


def test_the_browser_location_is_checked() -> None:
    from bot.channels.webchat import WebChatChannel

    web = WebChatChannel("xa-binh-minh")
    for bad in (
        {"lat": 91, "lon": 0},
        {"lat": "x", "lon": 1},
        {"lat": 1},
        {"lat": "nan", "lon": 1},
    ):
        (inbound,) = web.parse({"sid": "s1", "location": bad, "text": ""})
        assert inbound.kind == "text"  # not a location: an empty message
    (ok,) = web.parse({"sid": "s1", "location": {"lat": 10.9, "lon": 106.8, "accuracy": 5}})
    assert ok.kind == "location" and ok.location == (10.9, 106.8)
