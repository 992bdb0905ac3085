"""The fake Zalo OA is as strict as Zalo: it refuses malformed messages with -201, answers with
Zalo's codes and shapes, and every message our adapter renders passes its checks."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bot.channels.zalo import ZaloChannel
from bot.core.messages import Button, Reply
from tests.fakes.zalo_oa_checks import problem
from tests.fakes.zalo_oa_server import ERRORS

USER = "2468458835296197922"
BUTTON = {"title": "Hỏi", "type": "oa.query.hide", "payload": "#lx:ask"}


def _buttons(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": "Chọn",
        "attachment": {"type": "template", "payload": {"buttons": list(buttons)}},
    }


async def _send(fake: Any, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"access_token": token or fake.initial_access_token}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.base_url}/v3.0/oa/message/cs", json=body, headers=headers) as resp,
    ):
        assert resp.status == 200  # Zalo answers errors with HTTP 200 and a negative code
        data: dict[str, Any] = await resp.json()
        return data


@pytest.mark.parametrize(
    ("message", "why"),
    [
        (_buttons(*[BUTTON] * 6), "6 buttons"),
        (_buttons({**BUTTON, "type": "oa.open.app"}), "unknown button type"),
        (_buttons({**BUTTON, "title": "x" * 101}), "title over 100 characters"),
        (_buttons({**BUTTON, "title": ""}), "empty title"),
        (_buttons({**BUTTON, "payload": "#" * 1001}), "query payload over 1,000"),
        (_buttons({"title": "Cổng", "type": "oa.open.url", "payload": "https://x"}), "url str"),
        (_buttons({"title": "Gọi", "type": "oa.open.phone", "payload": {}}), "no phone_code"),
        ({"text": "x" * 2001}, "text over 2,000 characters"),
        ({"text": ""}, "empty text"),
        ({"sticker": "1"}, "unknown message field"),
        ({"attachment": {"type": "video", "payload": {"url": "https://x"}}}, "attachment type"),
        (
            {"attachment": {"type": "template", "payload": {"template_type": "carousel"}}},
            "unknown template type",
        ),
        (
            {
                "attachment": {
                    "type": "template",
                    "payload": {"template_type": "media", "elements": []},
                }
            },
            "media without an element",
        ),
    ],
)
async def test_malformed_messages_are_refused_with_201(fake_zalo, message, why) -> None:  # type: ignore[no-untyped-def]
    fake = fake_zalo.oa
    data = await _send(fake, {"recipient": {"user_id": USER}, "message": message})
    assert data["error"] == -201, why
    assert fake.sent() == [] and len(fake.refused) == 1


async def test_a_recipient_must_be_a_user_or_an_anonymous_conversation(fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake = fake_zalo.oa
    bad = {"recipient": {"anonymous_id": "a"}, "message": {"text": "x"}}
    assert (await _send(fake, bad))["error"] == -201
    good = {"recipient": {"anonymous_id": "a", "conversation_id": "c"}, "message": {"text": "x"}}
    assert (await _send(fake, good))["error"] == 0
    assert fake.sent("anon:a:c") == [{"text": "x"}]


async def test_a_successful_send_reports_the_quota(fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake = fake_zalo.oa
    data = await _send(fake, {"recipient": {"user_id": USER}, "message": {"text": "Xin chào"}})
    assert data["error"] == 0 and data["message"] == "Success"
    assert data["data"]["message_id"] and data["data"]["user_id"] == USER
    quota = data["data"]["quota"]
    assert int(quota["remain"]) == int(quota["total"]) - 1


@pytest.mark.parametrize("code", [-211, -218])
async def test_quota_errors_can_be_answered(fake_zalo, code) -> None:  # type: ignore[no-untyped-def]
    fake = fake_zalo.oa
    fake.fail_next_send(code, USER)
    data = await _send(fake, {"recipient": {"user_id": USER}, "message": {"text": "x"}})
    assert (data["error"], data["message"]) == (code, ERRORS[code])


def test_error_table_has_only_zalo_codes_with_their_meaning() -> None:
    assert -124 not in ERRORS  # not an OA API code
    assert ERRORS[-244] == "User restricts this message type"
    assert {-211, -218} <= set(ERRORS)


async def test_an_expired_token_is_answered_216(fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake = fake_zalo.oa
    fake.expire()
    data = await _send(fake, {"recipient": {"user_id": USER}, "message": {"text": "x"}})
    assert data["error"] == -216


def test_events_use_numeric_app_scoped_ids(fake_zalo) -> None:  # type: ignore[no-untyped-def]
    fake = fake_zalo.oa
    event = fake.text_event(USER, "xin chào")
    assert event["user_id_by_app"].isdigit() and event["user_id_by_app"] != USER
    assert fake.text_event(USER, "lần nữa")["user_id_by_app"] == event["user_id_by_app"]
    admin = fake.oa_send_event(USER, "Chào anh", admin_id="5120193425566091823")
    assert admin["sender"] == {"id": fake.oa_id, "admin_id": "5120193425566091823"}
    assert "admin_id" not in fake.oa_send_event(USER, "x")["sender"]


def test_every_reply_the_adapter_renders_passes_the_checks() -> None:
    many = tuple(Button.reply(f"Mục số {i} " + "rất dài " * 20, f"m:{i}") for i in range(7))
    replies = [
        Reply("Xin chào"),
        Reply("x " * 3000, many),
        Reply("", (), image_url="https://example.org/a.png"),
        Reply(
            "Liên hệ",
            (Button.call("Gọi", "02511022"), Button.link("Cổng", "https://dichvucong.gov.vn")),
            image_url="https://example.org/a.png",
        ),
    ]
    for reply in replies:
        for message in ZaloChannel.render(reply):
            body = {"recipient": {"user_id": USER}, "message": message}
            assert problem(body) is None, (reply, message)
