"""Channel parsers never raise: any field of a real update replaced by a wrong type, or removed.

Found by the fuzz suite (tests/fuzz): a list where Telegram has a name, a number where Zalo has
an object, made the update fail five times and vanish without a reply; a chat id "abc" was
stored, then failed at every send. Wrong fields now read as absent, and an update without a
usable sender is skipped.
"""

from __future__ import annotations

import copy
import datetime as dt
import types
from collections.abc import Iterator
from typing import Any

import pytest

from bot.channels.fields import MAX_ID
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_bot import ZaloBotChannel, update_id

UNIT = "xa-binh-minh"
JUNK: list[Any] = [None, True, 0, -1, 2**70, 1.5, "", "abc", "x" * 300, [], [1, [2]], {}, {"a": 1}]


def _clock() -> dt.datetime:
    return dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _channels() -> dict[str, Any]:
    zalo = ZaloChannel(
        UNIT,
        client=None,  # type: ignore[arg-type]
        tokens=types.SimpleNamespace(),  # type: ignore[arg-type]
        sessionmaker=None,  # type: ignore[arg-type]
        app_id="app",
        oa_secret_key="secret",
        clock=_clock,
    )
    return {
        "telegram": TelegramChannel(UNIT, bot=None, staff_chat_id="-100123"),  # type: ignore[arg-type]
        "zalo": zalo,
        "zalobot": ZaloBotChannel(UNIT, client=None, sessionmaker=None, clock=_clock),  # type: ignore[arg-type]
    }


USER = {"id": 7001, "is_bot": False, "first_name": "Minh", "language_code": "vi"}
SAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("telegram", {"update_id": 1, "message": {"message_id": 5, "from": USER, "date": 1,
     "chat": {"id": 7001, "type": "private"}, "text": "xin chào"}}),
    ("telegram", {"update_id": 2, "message": {"message_id": 6, "from": USER, "date": 1,
     "chat": {"id": 7001, "type": "private"}, "caption": "c",
     "photo": [{"file_id": "a", "file_size": 1}], "document": {"file_id": "d"}}}),
    ("telegram", {"update_id": 3, "message": {"message_id": 7, "from": USER,
     "chat": {"id": 7001, "type": "private"}, "location": {"latitude": 1.0, "longitude": 2.0}}}),
    ("telegram", {"update_id": 4, "callback_query": {"id": "q", "from": USER, "data": "menu",
     "message": {"message_id": 8, "chat": {"id": 7001, "type": "private"}}}}),
    ("telegram", {"update_id": 5, "callback_query": {"id": "q", "from": USER, "data": "staff:x:1",
     "message": {"message_id": 8, "chat": {"id": -100123, "type": "supergroup"}}}}),
    ("telegram", {"update_id": 6, "message": {"message_id": 9, "from": USER, "text": "/list",
     "chat": {"id": -100123, "type": "supergroup"}, "reply_to_message": {"message_id": 3}}}),
    ("telegram", {"update_id": 7, "my_chat_member": {"chat": {"id": 7001, "type": "private"},
     "new_chat_member": {"status": "kicked"}}}),
    ("zalo", {"event_name": "user_send_text", "timestamp": "1", "sender": {"id": "246"},
     "message": {"msg_id": "m1", "text": "xin chào", "quote_msg_id": "m0"}}),
    ("zalo", {"event_name": "user_send_file", "sender": {"id": "246"}, "message": {"msg_id": "m2",
     "attachments": [{"type": "file", "payload": {"size": "1", "name": "a.pdf", "type": "pdf",
                                                  "url": "https://f"}}]}}),
    ("zalo", {"event_name": "user_send_location", "sender": {"id": "246"}, "message": {
     "attachments": [{"payload": {"coordinates": {"latitude": "1", "longitude": "2"}}}]}}),
    ("zalo", {"event_name": "user_send_link", "sender": {"id": "246"}, "message": {"text": "x",
     "attachments": [{"payload": {"url": "https://a"}}]}}),
    ("zalo", {"event_name": "follow", "follower": {"id": "246", "display_name": "Minh"}}),
    ("zalo", {"event_name": "oa_send_text", "sender": {"id": "oa", "admin_id": "1"},
     "recipient": {"id": "246"}, "message": {"msg_id": "m3", "text": "chào"}}),
    ("zalo", {"event_name": "anonymous_send_text", "sender": {"id": "a1"},
     "message": {"msg_id": "m4", "text": "hi", "conversation_id": "c1"}}),
    ("zalobot", {"event_name": "message.text.received", "loaxa_choice": "menu", "message": {
     "message_id": "b1", "chat": {"id": "e4", "chat_type": "PRIVATE"}, "date": 1,
     "from": {"id": "e4", "display_name": "Minh", "is_bot": False}, "text": "1"}}),
    ("zalobot", {"event_name": "message.image.received", "message": {"message_id": "b2",
     "chat": {"id": "e4"}, "from": {"id": "e4"}, "photo_url": "https://p", "caption": "c"}}),
]  # fmt: skip


def _mangled(update: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The update with each field, at every depth, removed or replaced by each junk value."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            paths.append((*path, key))
            if isinstance(value, dict | list):
                walk(value, (*path, key))

    walk(update, ())
    for path in paths:
        for value in [*JUNK, "remove"]:
            copied = copy.deepcopy(update)
            node = copied
            for key in path[:-1]:
                node = node[key]
            if value == "remove":
                del node[path[-1]]
            else:
                node[path[-1]] = value
            yield copied


@pytest.mark.parametrize(("channel", "update"), SAMPLES)
def test_wrong_types_read_as_absent_never_raise(channel: str, update: dict[str, Any]) -> None:
    parse = _channels()[channel].parse
    assert parse(update), "the sample itself is a message"
    for mangled in _mangled(update):
        for msg in parse(mangled):
            assert msg.user_id and len(msg.user_id) <= MAX_ID
            assert msg.message_id is None or len(msg.message_id) <= MAX_ID
            assert isinstance(msg.text, str)
            assert msg.display_name is None or isinstance(msg.display_name, str)
        if channel == "zalobot":
            assert len(update_id(mangled)) <= MAX_ID


@pytest.mark.parametrize("chat_id", ["abc", "7001", 2**64, True, 1.5, None])
def test_telegram_skips_a_chat_id_that_is_not_an_integer(chat_id: Any) -> None:
    update = copy.deepcopy(SAMPLES[0][1])
    update["message"]["chat"]["id"] = chat_id
    assert _channels()["telegram"].parse(update) == []  # a reply could never be sent


def test_zalo_skips_a_sender_id_longer_than_the_column() -> None:
    update = copy.deepcopy(SAMPLES[7][1])
    update["sender"]["id"] = "1" * (MAX_ID + 1)
    assert _channels()["zalo"].parse(update) == []
