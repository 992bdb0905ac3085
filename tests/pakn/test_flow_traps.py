"""State traps around a PAKN after it is sent: a second phone after a wrong one, a command
while a rating comment is awaited, and who is asked to rate on the status card."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.services import Services
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models_pakn import Pakn
from tests.pakn.test_flows import STAFF, Chat, button, texts


@pytest.fixture
async def sm(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    await migrate(engine)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def _sent(sm: async_sessionmaker[AsyncSession], services: Services, user: str) -> str:
    chat = Chat(sm, services, user)
    await chat.send(payload=button(await chat.fill_form(), "Gửi"))
    async with sm() as sess:
        return (await sess.execute(select(Pakn.code))).scalar_one()


async def _answer(sm: async_sessionmaker[AsyncSession], services: Services) -> None:
    assert services.pakn is not None
    async with sm.begin() as sess:
        pakn = (await sess.execute(select(Pakn))).scalar_one()
        now = services.clock()
        await services.pakn.receive(sess, pakn, STAFF, now)
        await services.pakn.answer(sess, pakn, STAFF, now, "Xã đã thay bóng đèn ngày 25/11.")


async def test_right_phone_after_a_wrong_one_is_not_read_as_a_code(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    code = await _sent(sm, services, "owner")
    other = Chat(sm, services, "neighbour")
    await other.send(code)
    wrong = await other.send("0912 345 679")
    assert "Không tìm thấy" in texts(wrong)
    shown = await other.send("0912 345 678")
    assert "Tình trạng" in texts(shown) and code in texts(shown)
    assert "Mã chưa đúng dạng" not in texts(shown)


async def test_a_lookup_after_rating_is_not_taken_as_the_comment(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    code = await _sent(sm, services, "rater")
    await _answer(sm, services)
    chat = Chat(sm, services, "rater")
    asked = await chat.send(payload=f"rate:{code}:4")
    assert "góp thêm ý kiến" in texts(asked)
    shown = await chat.send(f"tra cứu {code}")
    assert "Tình trạng" in texts(shown) and "Cảm ơn ông/bà!" not in texts(shown)
    async with sm() as sess:
        stored = (await sess.execute(select(Pakn))).scalar_one()
    assert (stored.rating, stored.rating_comment) == (4, None)
    # The card of a rated PAKN thanks instead of asking to rate, and offers no rating buttons.
    assert "chấm điểm mức độ hài lòng" not in texts(shown) and "đã chấm 4" in texts(shown)
    assert not any(b.payload.startswith("rate:") for r in shown for b in r.buttons)


async def test_a_third_party_is_not_asked_to_rate(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    code = await _sent(sm, services, "owner2")
    await _answer(sm, services)
    other = Chat(sm, services, "relative")
    await other.send(code)
    shown = await other.send("0912 345 678")
    assert "Đã trả lời" in texts(shown)
    assert "chấm điểm" not in texts(shown)
    assert not any(b.payload.startswith("rate:") for r in shown for b in r.buttons)
    owner = Chat(sm, services, "owner2")
    mine = await owner.send(code)
    assert "chấm điểm mức độ hài lòng" in texts(mine)
    assert any(b.payload.startswith("rate:") for r in mine for b in r.buttons)
