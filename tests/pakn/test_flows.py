"""PAKN conversations driven through the real engine and pipeline (SQLite and PostgreSQL):
nothing acknowledged that is not stored, double presses, look-ups by someone else, rating,
privacy deletion, attachments, areas, and start-up validation of content/pakn.yaml."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot.channels.webchat import WebChatChannel
from bot.content.errors import ContentError
from bot.content.loader import load_content
from bot.core.actors import Actor
from bot.core.engine import ConversationEngine
from bot.core.messages import Attachment, Inbound, Reply
from bot.core.pipeline import ChannelRegistry, Pipeline
from bot.core.services import Services
from bot.db import inbox
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import Message
from bot.db.models_media import MediaFile
from bot.db.models_pakn import Pakn
from tests.conftest import CONTENT_DIR

UNIT = "xa-binh-minh"
STAFF = Actor("console:an", "staff", frozenset({UNIT}))
CONTENT = "Đèn đường ở ấp 3 bị hỏng đã hai tuần nay, buổi tối đi lại rất nguy hiểm."
_ids = itertools.count(1)


@pytest.fixture
async def sm(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    await migrate(engine)
    yield make_sessionmaker(engine)
    await engine.dispose()


class Chat:
    """One citizen talking to the engine; each message is one committed transaction."""

    def __init__(self, sm: async_sessionmaker[AsyncSession], services: Services, user: str):
        self.sm = sm
        self.engine = ConversationEngine(services, handlers.all_flows(), handlers.on_emergency)
        self.user = user
        self.last: list[Reply] = []

    async def send(self, text: str = "", *, payload: str | None = None, **kw: Any) -> list[Reply]:
        kind = kw.pop("kind", "button" if payload else "text")
        msg = Inbound(UNIT, "telegram", self.user, kind=kind, text=text, payload=payload, **kw)
        async with self.sm.begin() as sess:
            processed = await self.engine.process(sess, msg)
            self.last = [Reply.from_dict(m.body or {}) for m in processed.outbound]
            self.last += [reply for _, reply in processed.direct]
        return self.last

    async def press(self, label: str) -> list[Reply]:
        return await self.send(payload=button(self.last, label))

    async def fill_form(self, phone: str = "0912 345 678") -> list[Reply]:
        await self.send(payload="pakn")
        await self.press("Khác")
        await self.send(CONTENT)
        await self.press("sang bước tiếp")
        await self.send("Nguyễn Văn An")
        return await self.send(phone)


def button(replies: list[Reply], label: str) -> str:
    for reply in reversed(replies):
        for b in reply.buttons:
            if label in b.label and b.payload:
                return b.payload
    raise AssertionError(f"no button {label!r} in {[r.to_dict() for r in replies]}")


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _pakns(sm: async_sessionmaker[AsyncSession]) -> list[Pakn]:
    async with sm() as sess:
        return list((await sess.execute(select(Pakn).order_by(Pakn.id))).scalars())


async def test_nothing_is_acknowledged_unless_stored(
    sm: async_sessionmaker[AsyncSession], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = ChannelRegistry()
    registry.add(WebChatChannel(UNIT))
    engine = ConversationEngine(services, handlers.all_flows(), handlers.on_emergency)
    pipeline = Pipeline(sm, engine, registry, clock=services.clock)

    async def web(text: str = "", payload: str | None = None) -> list[Reply]:
        body = {"sid": "browser-1", "text": text, "payload": payload}
        item = await pipeline.accept(UNIT, "web", f"browser-1:{next(_ids)}", body)
        assert item is not None
        ids = await pipeline.process_item(item)
        async with sm() as sess:
            rows = await sess.execute(select(Message).where(Message.id.in_(ids)))
            return [Reply.from_dict(m.body or {}) for m in rows.scalars()]

    await web(payload="pakn")
    await web(payload="pakn:cat:khac")
    await web(CONTENT)
    await web(payload="pakn:skip")
    await web("Nguyễn Văn An")
    confirm = await web("0912 345 678")
    send = button(confirm, "Gửi")

    async def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut before COMMIT")

    monkeypatch.setattr(inbox, "mark_processed", crash)
    assert await web(payload=send) == []
    assert await _pakns(sm) == []
    async with sm() as sess:
        out = (await sess.execute(select(Message).where(Message.direction == "out"))).scalars()
        assert not any("Mã phản ánh" in (m.text or "") for m in out)
    monkeypatch.undo()
    await pipeline.process_pending()  # the failed update is retried: stored and acknowledged
    stored = await _pakns(sm)
    assert len(stored) == 1
    async with sm() as sess:
        out = (await sess.execute(select(Message).where(Message.direction == "out"))).scalars()
        acks = [m.text or "" for m in out if "Mã phản ánh" in (m.text or "")]
    assert len(acks) == 1 and stored[0].code in acks[0]


async def test_double_press_creates_one_pakn(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    chat = Chat(sm, services, "double")
    confirm = await chat.fill_form()
    send = button(confirm, "Gửi")
    first = await chat.send(payload=send)
    second = await chat.send(payload=send)
    stored = await _pakns(sm)
    assert len(stored) == 1
    assert stored[0].code in texts(first) and "Mã phản ánh" in texts(first)
    assert "đã được gửi rồi" in texts(second) and stored[0].code in texts(second)
    assert stored[0].phone == "+84912345678" and stored[0].consent_at is not None


async def test_status_by_someone_else_needs_the_phone(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    owner = Chat(sm, services, "owner")
    await owner.send(payload=button(await owner.fill_form(), "Gửi"))
    code = (await _pakns(sm))[0].code
    other = Chat(sm, services, "neighbour")
    asked = await other.send(code.lower().replace("-", " "))
    assert "số điện thoại đã khai" in texts(asked) and "Tình trạng" not in texts(asked)
    wrong = await other.send("0912 345 679")
    assert "Không tìm thấy" in texts(wrong) and "Tình trạng" not in texts(wrong)
    await other.send(payload="status")
    await other.send(code)
    shown = await other.send("+84 912 345 678")
    assert code in texts(shown) and "Đã gửi, chờ tiếp nhận" in texts(shown)
    assert not any(b.payload.startswith("rate:") for r in shown for b in r.buttons)
    mine = await owner.send(code)
    assert "Tình trạng" in texts(mine)  # the submitter needs no phone


async def test_rating_after_the_staff_answer(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    assert services.pakn is not None
    chat = Chat(sm, services, "rater")
    await chat.send(payload=button(await chat.fill_form(), "Gửi"))
    async with sm.begin() as sess:
        pakn = (await sess.execute(select(Pakn))).scalar_one()
        now = services.clock()
        await services.pakn.receive(sess, pakn, STAFF, now)
        await services.pakn.answer(sess, pakn, STAFF, now, "Xã đã thay bóng đèn ngày 25/11.")
    async with sm() as sess:
        rows = await sess.execute(
            select(Message).where(Message.direction == "out").order_by(Message.id)
        )
        answered = [Reply.from_dict(m.body or {}) for m in rows.scalars()][-1]
    assert "Xã đã thay bóng đèn" in answered.text
    chat.last = [answered]
    thanks = await chat.press("5 ⭐")
    assert "5 ⭐" in texts(thanks) and "góp thêm ý kiến" in texts(thanks)
    done = await chat.send("Cảm ơn xã đã xử lý nhanh")
    assert "Cảm ơn ông/bà" in texts(done)
    again = await chat.send(payload=f"rate:{pakn.code}:1")
    assert "đã được chấm điểm rồi" in texts(again)
    stranger = Chat(sm, services, "stranger")
    assert "Chỉ người gửi" in texts(await stranger.send(payload=f"rate:{pakn.code}:1"))
    stored = (await _pakns(sm))[0]
    assert (stored.rating, stored.rating_comment) == (5, "Cảm ơn xã đã xử lý nhanh")


async def test_privacy_delete_anonymises_pakn_and_keeps_content(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    chat = Chat(sm, services, "private")
    await chat.send(payload=button(await chat.fill_form(), "Gửi"))
    view = await chat.send("Dữ liệu của tôi")
    code = (await _pakns(sm))[0].code
    assert code in texts(view) and "0912 *** 678" in texts(view)
    await chat.press("Xóa dữ liệu")
    done = await chat.press("Đồng ý xóa")
    assert "thông tin cá nhân trong 1 phản ánh" in texts(done)
    stored = (await _pakns(sm))[0]
    assert stored.content == CONTENT
    assert (stored.sender_name, stored.phone, stored.contact_id) == (None, None, None)
    assert "Phản ánh đã gửi: 0" in texts(await chat.send("du lieu cua toi"))


async def test_photos_are_kept_with_the_pakn(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    chat = Chat(sm, services, "photos")
    await chat.send(payload="pakn")
    await chat.press("Thủ tục")
    await chat.send(CONTENT)
    photo = Attachment(kind="photo", file_id="AgADphoto1")
    got = await chat.send(kind="attachment", attachments=(photo,))
    assert "Đã nhận 1 tệp" in texts(got)
    await chat.send("xong")
    await chat.send("Nguyễn Văn An")
    confirm = await chat.send("0912345678")
    assert "Ảnh, giấy tờ: 1 tệp" in texts(confirm)
    await chat.press("Gửi")
    stored = (await _pakns(sm))[0]
    [kept] = stored.attachments
    assert kept["kind"] == "photo"
    async with sm() as sess:  # the file waits for download, linked to the PAKN
        [row] = (await sess.execute(select(MediaFile))).scalars()
    assert (row.id, row.pakn_id, row.status) == (kept["id"], stored.id, "pending")
    assert row.source_ref == "AgADphoto1"


async def test_area_step_when_the_unit_lists_areas(
    sm: async_sessionmaker[AsyncSession], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = dataclasses.replace(services.units[UNIT], areas=("Ấp 1", "Ấp 2"))
    monkeypatch.setitem(services.units, UNIT, unit)
    chat = Chat(sm, services, "areas")
    await chat.send(payload="pakn")
    await chat.press("Khác")
    await chat.send(CONTENT)
    asked = await chat.press("sang bước tiếp")
    assert "khu vực nào" in texts(asked)
    assert "Ấp 1" in [b.label for b in asked[0].buttons]
    assert "họ và tên" in texts(await chat.press("Ấp 2"))
    assert "khu vực nào" in texts(await chat.send("quay lại"))
    await chat.send("ấp 2")
    await chat.send("Nguyễn Văn An")
    confirm = await chat.send("0912345678")
    assert "Khu vực: Ấp 2" in texts(confirm)


async def test_submissions_are_rate_limited(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    chat = Chat(sm, services, "busy")
    await chat.send(payload=button(await chat.fill_form(), "Gửi"))
    again = await chat.send(payload="pakn")
    assert "vừa gửi một phản ánh" in texts(again)
    assert len(await _pakns(sm)) == 1


def test_a_broken_pakn_yaml_stops_start_up_naming_the_field(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    path = content / "pakn.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    days: 5\n", "    days: 9\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        load_content(content)
    assert "stages.forward.days: must be at most 5 working days" in str(err.value)
