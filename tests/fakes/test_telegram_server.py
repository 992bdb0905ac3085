"""FakeTelegram driven by the real python-telegram-bot client over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.channels.telegram_http import AiohttpRequest

from .telegram_server import SECRET_HEADER, FakeTelegram

CHAT = 4201


@pytest.fixture(autouse=True)
def _loopback_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours HTTP(S)_PROXY; loopback must never go through a proxy.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    # RetryAfter.retry_after as a timedelta, without PTB's deprecation warning.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture(params=["httpx", "aiohttp"])
async def bot(fake: FakeTelegram, request: pytest.FixtureRequest) -> AsyncIterator[telegram.Bot]:
    """PTB's own transport, and ours (bot/channels/telegram_http.py): both must pass."""
    transport = AiohttpRequest() if request.param == "aiohttp" else None
    async with telegram.Bot(fake.token, base_url=fake.base_url, request=transport) as client:
        yield client


def keyboard(callback_data: str = "faq:le-phi") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Cổng dịch vụ công", url="https://dichvucong.gov.vn")],
            [InlineKeyboardButton("Lệ phí", callback_data=callback_data)],
        ]
    )


async def test_get_me_answers_the_bot_user(fake: FakeTelegram, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456789, "loaxa_test_bot", True)
    assert len(fake.calls("getMe")) >= 1  # also called by Bot.initialize()


async def test_unknown_token_and_unknown_method(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with telegram.Bot("999:not-the-token", base_url=fake.base_url):
            pass
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.base_url}999:not-the-token/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.post(f"{fake.base_url}{fake.token}/launchRocket") as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }


async def test_send_with_inline_keyboard_is_recorded_and_echoed(
    fake: FakeTelegram, bot: telegram.Bot
) -> None:
    first = await bot.send_message(CHAT, "Chọn thủ tục", reply_markup=keyboard())
    second = await bot.send_message(CHAT, "Tin thứ hai")
    other = await bot.send_message(CHAT + 1, "Chat khác")

    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.chat.id == CHAT and first.chat.type == "private"
    assert first.from_user is not None and first.from_user.id == 123456789
    assert first.reply_markup == keyboard()  # PTB parsed the echoed markup
    sent = fake.sent(CHAT)
    assert [m["text"] for m in sent] == ["Chọn thủ tục", "Tin thứ hai"]
    rows = sent[0]["reply_markup"]["inline_keyboard"]
    assert rows[0][0] == {"text": "Cổng dịch vụ công", "url": "https://dichvucong.gov.vn"}
    assert rows[1][0] == {"text": "Lệ phí", "callback_data": "faq:le-phi"}
    # PTB's form encoding was decoded into real types.
    params = fake.calls("sendMessage")[0]
    assert params["chat_id"] == CHAT and isinstance(params["reply_markup"], dict)


async def test_json_and_query_string_requests_are_accepted(fake: FakeTelegram) -> None:
    url = f"{fake.base_url}{fake.token}"
    markup = {"inline_keyboard": [[{"text": "Có", "callback_data": "yes"}]]}
    async with aiohttp.ClientSession() as http:
        body = {"chat_id": 7, "text": "JSON", "reply_markup": markup}
        async with http.post(f"{url}/sendMessage", json=body) as resp:
            answer = await resp.json()
        async with http.get(f"{url}/sendMessage", params={"chat_id": "7", "text": "GET"}) as resp:
            assert (await resp.json())["result"]["message_id"] == 2
    assert answer["ok"] is True
    assert answer["result"]["reply_markup"] == markup
    assert [m["text"] for m in fake.sent(7)] == ["JSON", "GET"]


async def test_429_surfaces_as_retry_after(fake: FakeTelegram, bot: telegram.Bot) -> None:
    fake.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "Thử lại")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    await bot.send_message(CHAT, "Thử lại")  # the fault was used up
    assert (fake.stats.accepted, fake.stats.rejected, fake.stats.rate_limited) == (1, 1, 1)


async def test_fail_next_can_target_one_chat_several_times(
    fake: FakeTelegram, bot: telegram.Bot
) -> None:
    fake.fail_next("sendMessage", error_code=500, times=2, chat_id=CHAT)
    await bot.send_message(CHAT + 1, "Không bị ảnh hưởng")
    for _ in range(2):
        with pytest.raises(telegram.error.NetworkError, match="Internal Server Error"):
            await bot.send_message(CHAT, "Lỗi máy chủ")
    await bot.send_message(CHAT, "Đã ổn")
    assert [m["text"] for m in fake.sent(CHAT)] == ["Đã ổn"]


async def test_blocked_user_answers_403(fake: FakeTelegram, bot: telegram.Bot) -> None:
    fake.block_user(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "Xin chào")
    await bot.send_message(CHAT + 1, "Người khác vẫn nhận được")
    fake.unblock_user(CHAT)
    await bot.send_message(CHAT, "Xin chào")
    assert len(fake.sent(CHAT)) == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [("x" * 4097, "message is too long"), ("", "message text is empty"), ("  ", "text is empty")],
)
async def test_invalid_text_is_a_bad_request(bot: telegram.Bot, text: str, error: str) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(CHAT, text)
    assert error in caught.value.message.lower()


async def test_text_at_the_limit_is_accepted(fake: FakeTelegram, bot: telegram.Bot) -> None:
    message = await bot.send_message(CHAT, "ư" * 4096)
    assert message.text == "ư" * 4096


@pytest.mark.parametrize(
    ("data", "ok"),
    [("a" * 64, True), ("a" * 65, False), ("đ" * 32, True), ("đ" * 33, False)],
    ids=["64-ascii", "65-ascii", "64-bytes-vi", "66-bytes-vi"],
)
async def test_callback_data_is_limited_to_64_bytes(
    fake: FakeTelegram, bot: telegram.Bot, data: str, ok: bool
) -> None:
    if ok:
        await bot.send_message(CHAT, "Nút", reply_markup=keyboard(data))
        assert len(fake.sent(CHAT)) == 1
        return
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(CHAT, "Nút", reply_markup=keyboard(data))
    assert "button_data_invalid" in caught.value.message.lower()
    assert fake.sent(CHAT) == []


async def test_html_is_checked_and_shown_as_plain_text(
    fake: FakeTelegram, bot: telegram.Bot
) -> None:
    message = await bot.send_message(CHAT, "<b>Lệ phí</b>: 0 &lt;đồng&gt;", parse_mode="HTML")
    assert message.text == "Lệ phí: 0 <đồng>"
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(CHAT, "Dòng 1<br>Dòng 2", parse_mode="HTML")
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(CHAT, "<b>chưa đóng", parse_mode="HTML")


async def test_edits_and_callback_answers(fake: FakeTelegram, bot: telegram.Bot) -> None:
    sent = await bot.send_message(CHAT, "Chọn", reply_markup=keyboard())
    update = Update.de_json(fake.make_callback_update(CHAT, "faq:le-phi", sent.message_id), bot)
    query = update.callback_query
    assert query is not None and query.data == "faq:le-phi"
    assert isinstance(query.message, telegram.Message)
    assert query.message.reply_markup == keyboard()
    assert await bot.answer_callback_query(query.id, text="Đã nhận")
    with pytest.raises(BadRequest, match="query id is invalid"):
        await bot.answer_callback_query(query.id)

    edited = await bot.edit_message_text("Lệ phí: miễn phí", CHAT, sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.reply_markup is None
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Lệ phí: miễn phí", CHAT, sent.message_id)
    await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard("again"))
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("?", CHAT, 999)
    history = fake.sent(CHAT)
    assert [m.get("edit_date") is not None for m in history] == [False, True, True]
    assert history[-1]["reply_markup"]["inline_keyboard"][1][0]["callback_data"] == "again"


async def test_uploads_are_recorded(fake: FakeTelegram, bot: telegram.Bot) -> None:
    photo = await bot.send_photo(CHAT, b"\x89PNG fake", caption="Sơ đồ")
    document = await bot.send_document(CHAT, b"%PDF-1.4", filename="mau-don.pdf")
    assert photo.caption == "Sơ đồ" and len(photo.photo) == 2
    assert document.document is not None and document.document.file_name == "mau-don.pdf"
    assert fake.calls("sendPhoto")[0]["photo"]["data"] == b"\x89PNG fake"
    assert fake.calls("sendDocument")[0]["document"]["data"] == b"%PDF-1.4"
    assert len(fake.sent(CHAT)) == 2


async def test_small_methods(fake: FakeTelegram, bot: telegram.Bot) -> None:
    assert await bot.send_chat_action(CHAT, "typing")
    chat = await bot.get_chat(CHAT)
    assert (chat.id, chat.type, chat.first_name) == (CHAT, "private", "Minh")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("", 0)


async def test_get_updates_returns_queued_updates_and_respects_offset(
    fake: FakeTelegram, bot: telegram.Bot
) -> None:
    for text in ("/start", "lệ phí", "giờ làm việc"):
        fake.queue_update(fake.make_text_update(CHAT, text))
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["/start", "lệ phí", "giờ làm việc"]
    assert updates[0].message and updates[0].message.entities[0].type == "bot_command"
    ids = [u.update_id for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == 3

    rest = await bot.get_updates(offset=ids[1], timeout=0)
    assert [u.update_id for u in rest] == ids[1:]
    assert await bot.get_updates(offset=ids[2] + 1, timeout=0) == ()
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_get_updates_long_polls_until_an_update_arrives(
    fake: FakeTelegram, bot: telegram.Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    while not fake.calls("getUpdates"):
        await asyncio.sleep(0.01)
    assert not poll.done()
    fake.queue_update(fake.make_location_update(CHAT))
    (update,) = await poll
    assert update.message is not None and update.message.location is not None


async def test_get_updates_conflicts_with_a_webhook(fake: FakeTelegram, bot: telegram.Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:1/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[tuple[str | None, Any]]]]:
    """A tiny webhook endpoint that checks the secret like production should."""
    got: list[tuple[str | None, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        secret = request.headers.get(SECRET_HEADER)
        got.append((secret, await request.json()))
        return web.Response(status=200 if secret == "s3cret_Token-1" else 401)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", got
    await runner.cleanup()


async def test_push_update_posts_to_the_webhook_with_the_secret(
    fake: FakeTelegram,
    bot: telegram.Bot,
    receiver: tuple[str, list[tuple[str | None, Any]]],
) -> None:
    url, got = receiver
    assert await bot.set_webhook(url, secret_token="s3cret_Token-1")
    assert (await bot.get_webhook_info()).url == url

    status = await fake.push_update(fake.make_text_update(CHAT, "xin chào"))
    assert status == 200
    secret, payload = got[0]
    assert secret == "s3cret_Token-1"
    update = Update.de_json(payload, bot)
    assert update.message is not None and update.message.text == "xin chào"
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "vi"

    assert await fake.push_update(fake.make_sticker_update(CHAT), secret="wrong") == 401


async def test_rate_limit_global_and_per_chat(fake: FakeTelegram, bot: telegram.Bot) -> None:
    now = [1000.0]
    fake.rate_limit(global_per_sec=30, per_chat_per_sec=1, clock=lambda: now[0])
    for chat_id in range(1, 31):
        await bot.send_message(chat_id, "Thông báo")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(31, "Thông báo")  # 31st within the second
    assert caught.value.retry_after == dtm.timedelta(seconds=1)

    now[0] += 1.0  # the window slides: the global budget is back
    await bot.send_message(31, "Thông báo")
    with pytest.raises(RetryAfter):
        await bot.send_message(31, "Lần hai")  # 2nd to the same chat within the second
    assert (fake.stats.accepted, fake.stats.rejected, fake.stats.rate_limited) == (31, 2, 2)


async def test_inbound_update_builders_parse_with_ptb(
    fake: FakeTelegram, bot: telegram.Bot
) -> None:
    updates = [
        fake.make_photo_update(CHAT, caption="ảnh CCCD"),
        fake.make_sticker_update(CHAT),
        fake.make_voice_update(CHAT, duration=5),
        fake.make_location_update(CHAT, 10.95, 106.84),
    ]
    parsed = [Update.de_json(u, bot) for u in updates]
    messages = [u.message for u in parsed]
    assert all(m is not None and m.chat.type == "private" for m in messages)
    assert [m.message_id for m in messages if m] == [1, 2, 3, 4]
    photo, sticker, voice, location = messages
    assert photo and photo.caption == "ảnh CCCD" and photo.photo
    assert sticker and sticker.sticker and sticker.sticker.emoji == "👍"
    assert voice and voice.voice and voice.voice.duration == dtm.timedelta(seconds=5)
    assert location and location.location and location.location.latitude == 10.95
    assert [u.update_id for u in parsed] == sorted({u.update_id for u in parsed})
    # The chat's message ids are shared by both sides, as on Telegram.
    assert (await bot.send_message(CHAT, "Đã nhận")).message_id == 5


async def test_wait_for_messages(fake: FakeTelegram, bot: telegram.Bot) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(CHAT, "Một")
        await bot.send_message(CHAT, "Hai")

    task = asyncio.create_task(later())
    messages = await fake.wait_for_messages(CHAT, 2)
    await task
    assert [m["text"] for m in messages] == ["Một", "Hai"]
    with pytest.raises(TimeoutError, match="expected 3 message"):
        await fake.wait_for_messages(CHAT, 3, timeout=0.05)


async def test_ptb_application_polls_and_replies(fake: FakeTelegram) -> None:
    """End to end: PTB's own Updater long-polls the fake and a handler answers."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"Bạn hỏi: {update.message.text}")

    app = Application.builder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        fake.queue_update(fake.make_text_update(CHAT, "lệ phí khai sinh"))
        (reply,) = await fake.wait_for_messages(CHAT, 1)
        await app.updater.stop()
        await app.stop()
    assert reply["text"] == "Bạn hỏi: lệ phí khai sinh"
    assert fake.webhook == {}  # the Updater deleted any webhook before polling
