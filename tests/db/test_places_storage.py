"""Places storage on SQLite and PostgreSQL: a PAKN's location, a unit's edited areas."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.units import Unit
from bot.db import unit_areas
from bot.db.engine import make_sessionmaker
from bot.db.models_pakn import Pakn

NOW = dt.datetime(2026, 12, 3, 8, 30, tzinfo=dt.UTC)


async def test_a_pakn_keeps_its_location(engine: AsyncEngine) -> None:
    sm = make_sessionmaker(engine)
    async with sm.begin() as sess:
        pakn = Pakn(
            unit="xa-a", code="PA-AAA-AAA-AAA", channel="web", category="ha_tang",
            content="Đèn đường hỏng", attachments=[], sender_name="An", phone="+84912345678",
            state="new", received_at=NOW, due_at=NOW, idempotency_key="k1", updated_at=NOW,
            latitude=10.957412, longitude=106.842631, location_accuracy=12.5,
        )  # fmt: skip
        sess.add(pakn)
    async with sm() as sess:
        row = await sess.get(Pakn, pakn.id)
    assert row is not None
    assert (row.latitude, row.longitude, row.location_accuracy) == (10.957412, 106.842631, 12.5)


async def test_edited_areas_override_the_file_and_are_saved_again(engine: AsyncEngine) -> None:
    sm = make_sessionmaker(engine)
    unit = Unit("xa-a", "UBND xã A", "xã A", "xa", "Đồng Nai", (), areas=("Ấp cũ",))
    async with sm() as sess:
        assert await unit_areas.edited_areas(sess, "xa-a") is None
        assert (await unit_areas.effective_unit(sess, unit)).areas == ("Ấp cũ",)
    async with sm.begin() as sess:
        before = await unit_areas.save_areas(sess, "xa-a", ["Ấp 1", "Ấp 2"], "chu", NOW)
    assert before == []
    async with sm.begin() as sess:
        before = await unit_areas.save_areas(sess, "xa-a", ["Ấp 2", "Ấp 3"], "chu", NOW)
    assert before == ["Ấp 1", "Ấp 2"]
    async with sm() as sess:
        assert (await unit_areas.effective_unit(sess, unit)).areas == ("Ấp 2", "Ấp 3")
    async with sm.begin() as sess:
        await unit_areas.save_areas(sess, "xa-a", [], "chu", NOW)  # an empty list hides areas
    async with sm() as sess:
        assert (await unit_areas.effective_unit(sess, unit)).areas == ()


def test_area_names_are_cleaned_and_checked() -> None:
    assert unit_areas.clean_areas(["  Ấp   1 ", "", "Khu phố 2"]) == ["Ấp 1", "Khu phố 2"]
    with pytest.raises(unit_areas.AreaError, match="trùng"):
        unit_areas.clean_areas(["Ấp 1", "ấp 1"])
    with pytest.raises(unit_areas.AreaError, match="quá dài"):
        unit_areas.clean_areas(["x" * 61])
    with pytest.raises(unit_areas.AreaError, match="Tối đa"):
        unit_areas.clean_areas([f"Ấp {i}" for i in range(61)])
