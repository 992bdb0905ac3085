"""Long polling for local use: the production polling loop against the fake Bot API."""

from __future__ import annotations

from bot.app import build_app


async def test_polling_receives_and_answers(
    settings, services, aiohttp_client, fake_telegram
) -> None:  # type: ignore[no-untyped-def]
    poll_settings = type(settings)(
        **{
            **settings.__dict__,
            "telegram_bot_token": fake_telegram.token,
            "telegram_api_url": fake_telegram.base_url,
            "telegram_mode": "polling",
            "web_chat": "off",
            "run_workers": True,
        }
    )
    services.settings = poll_settings
    await aiohttp_client(build_app(poll_settings, services=services, environ={}))
    fake_telegram.queue_update(fake_telegram.make_text_update(8001, "xin chào"))
    [reply] = await fake_telegram.wait_for_messages(8001, 1, timeout=10)
    assert "UBND xã Bình Minh" in reply["text"]
    assert fake_telegram.calls("deleteWebhook"), "polling must remove a stale webhook first"
