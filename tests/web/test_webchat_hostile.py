"""The web chat under hostile input found by the fuzz suite: long ids, huge numbers, forged
button payloads. Each is answered or refused with a 4xx; no flow fails."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.core.flow import payload_number
from bot.db.models import InboxItem, Message
from bot.keys import sessionmaker_key

UNIT = "xa-binh-minh"
LONG_SID = "s" * 64  # the longest cookie the chat accepts


@pytest.fixture
async def client(settings, services, aiohttp_client):  # type: ignore[no-untyped-def]
    return await aiohttp_client(build_app(settings, services=services, environ={}))


async def _send(client: Any, sid: str, **body: Any) -> Any:
    return await client.post(
        f"/chat/api/{UNIT}/send", json=body, headers={"Cookie": f"loaxa_chat={sid}"}
    )


async def _count(client: Any, model: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return int((await sess.execute(select(func.count()).select_from(model))).scalar_one())


def _replied(messages: list[dict[str, Any]]) -> bool:
    return any(m["direction"] == "out" for m in messages)


async def test_longest_session_and_message_ids_are_stored_and_answered(client) -> None:  # type: ignore[no-untyped-def]
    # "<sid>:<id>" is 129 characters, one more than the inbox key holds (PostgreSQL refused it)
    for n in range(2):
        resp = await _send(client, LONG_SID, id=f"{n:08d}" + "m" * 56, text="xin chào")
        assert resp.status == 200
        assert _replied((await resp.json())["messages"])
    assert await _count(client, InboxItem) == 2
    again = await _send(client, LONG_SID, id="00000001" + "m" * 56, text="xin chào")
    assert again.status == 200  # the same message again: stored once
    assert await _count(client, InboxItem) == 2


@pytest.mark.parametrize("after", [10**30, "9" * 5000, "1" * 20, -1, "abc", "²", True, 1.5, []])
async def test_after_must_be_a_message_id_and_nothing_is_stored(client, after) -> None:  # type: ignore[no-untyped-def]
    resp = await _send(client, "fuzzsession0001abcdefgh", id="msg00000001", text="hi", after=after)
    assert resp.status == 400
    assert await _count(client, InboxItem) == 0
    poll = await client.get(
        f"/chat/api/{UNIT}/messages",
        params={"after": str(after)},
        headers={"Cookie": "loaxa_chat=fuzzsession0001abcdefgh"},
    )
    assert poll.status == 400


async def test_after_missing_or_empty_reads_from_the_start(client) -> None:  # type: ignore[no-untyped-def]
    for n, after in enumerate([None, "", 0, "0", 2**63 - 1]):
        body: dict[str, Any] = {"id": f"msg{n:08d}", "text": "menu"}
        if after is not None:
            body["after"] = after
        resp = await _send(client, "fuzzsession0001abcdefgh", **body)
        assert resp.status == 200


HUGE = "9" * 25
FORGED = [
    f"ask:a:{HUGE}",
    f"ask:staff:{HUGE}",
    f"ask:fb:{HUGE}:1",
    f"ask:none:{2**63}",
    "ask:l:x:²",
    "pakn:area:²",
    f"pakn:area:{HUGE}",
    "pakn:cat:²",
    "sub:a:²:²",
    f"sub:a:{HUGE}:{HUGE}",
    "sub:areas:٣",
    f"rate:PA-1:{HUGE}",
    "rate:PA-1:²",
    f"staff:take:{HUGE}",
    "status:c:²",
    f"~{HUGE}",
    "unknown:1",
]


async def test_forged_payload_numbers_are_answered_without_a_failing_flow(client, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.ERROR)
    sid = "fuzzsession0002abcdefgh"
    steps = [("text", "gửi phản ánh"), *(("payload", p) for p in FORGED), ("text", "²")]
    for n, (field, value) in enumerate(steps):
        resp = await _send(client, sid, id=f"msg{n:08d}", **{field: value})
        assert resp.status == 200, value
        assert _replied((await resp.json())["messages"]), value
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert await _count(client, Message) >= 2 * len(steps)


@pytest.mark.parametrize(
    ("part", "limit", "number"),
    [
        ("0", None, 0),
        ("42", None, 42),
        (str(2**63 - 1), None, 2**63 - 1),
        (str(2**63), None, None),
        ("9" * 5000, None, None),
        ("²", None, None),
        ("٣", None, None),
        ("-1", None, None),
        (" 1", None, None),
        ("", None, None),
        (None, None, None),
        ("5", 4, None),
        ("4", 4, 4),
    ],
)
def test_payload_number(part: str | None, limit: int | None, number: int | None) -> None:
    assert (payload_number(part) if limit is None else payload_number(part, limit)) == number
