"""Fixtures for campaigns: a migrated database on each backend, the service with a settable
clock, and helpers to create subscribed contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns import subscriptions as subs
from bot.campaigns.service import CampaignService
from bot.campaigns.topics import load_catalog
from bot.core.actors import Actor
from bot.core.services import Services
from bot.db import queries
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import Contact

UNIT = "xa-binh-minh"
OTHER = "phuong-phuoc-tan"
VN = dt.timezone(dt.timedelta(hours=7))
# Monday 12/01/2026 10:00 in Vietnam: outside the default quiet hours (22:00-06:00).
DAY = dt.datetime(2026, 1, 12, 10, 0, tzinfo=VN).astimezone(dt.UTC)
NIGHT = dt.datetime(2026, 1, 12, 23, 0, tzinfo=VN).astimezone(dt.UTC)
VOLUNTEER = Actor("tnv.lan", "volunteer", frozenset({UNIT}))
STAFF = Actor("cb.hung", "staff", frozenset({UNIT}))
STAFF2 = Actor("cb.mai", "staff", frozenset({UNIT}))
ADMIN = Actor("admin.tuan", "admin", frozenset({UNIT}))
OTHER_STAFF = Actor("cb.phuoctan", "staff", frozenset({OTHER}))
TEMPLATE = "Từ 01/02, {{ unit.name }} nhận hồ sơ khai sinh trực tuyến tại {{ unit.portal }}."


class Clock:
    def __init__(self, now: dt.datetime = DAY) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def sm(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    await migrate(engine)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def campaigns(services: Services, clock: Clock) -> CampaignService:
    catalog = load_catalog(services.settings.content_dir, set(services.units))
    return CampaignService(services.units, services.messages, catalog, clock)


async def add_contact(
    sess: AsyncSession,
    external_id: str,
    topics: Sequence[str] = ("thu_tuc_moi",),
    *,
    unit: str = UNIT,
    channel: str = "telegram",
    areas: Sequence[str] = (),
) -> Contact:
    contact = await queries.get_or_create_contact(
        sess, unit=unit, channel=channel, external_id=external_id, now=DAY
    )
    await sess.flush()
    for topic in topics:
        await subs.subscribe(sess, contact, subs.TOPIC, topic, DAY)
    for area in areas:
        await subs.subscribe(sess, contact, subs.AREA, area, DAY)
    return contact


async def approved_campaign(
    sm: async_sessionmaker[AsyncSession],
    service: CampaignService,
    *,
    template: str = TEMPLATE,
    topics: Sequence[str] = ("thu_tuc_moi",),
) -> int:
    """A campaign written by a volunteer and approved by staff to be sent now."""
    async with sm.begin() as sess:
        c = await service.create_draft(
            sess, VOLUNTEER, unit=UNIT, title="Khai sinh trực tuyến", template=template,
            topics=topics,
        )  # fmt: skip
        await service.submit(sess, VOLUNTEER, c.id)
        await service.approve(sess, STAFF, c.id)
        return c.id
