"""Plan -> draft calendar (real plans), KPI targets, the subscriptions catalog, the unfollow hook,
and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns import subscriptions as subs
from bot.campaigns.calendar import build_calendar, kpi_targets, store_calendar
from bot.campaigns.render import DRAFT_MARKER
from bot.campaigns.service import CampaignService, Refused
from bot.campaigns.topics import in_quiet_hours, parse_catalog, parse_quiet_hours
from bot.content.errors import ContentError
from bot.core.engine import ConversationEngine
from bot.core.messages import Inbound
from bot.core.services import Services
from bot.db.models_campaigns import Campaign
from bot.plans import import_plan
from tests.campaigns.conftest import STAFF, UNIT, VOLUNTEER, add_contact

PLANS = Path("/work/shared/plans")
PLAN_FILES = sorted(PLANS.glob("*.txt")) if PLANS.is_dir() else []


@pytest.mark.skipif(not PLAN_FILES, reason="the shared plans are not available")
@pytest.mark.parametrize("path", PLAN_FILES, ids=[p.stem for p in PLAN_FILES])
async def test_calendar_from_each_real_plan(
    path: Path, sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    plan = import_plan(path)
    start = dt.date(plan.year or 2026, 1, 5)
    cal = build_calendar(plan, path, UNIT, campaigns.catalog, start=start, cadence="biweekly")
    assert cal.entries, "a plan for citizens yields drafts"
    dates = [e.planned_at for e in cal.entries]
    assert dates == sorted(dates) and (dates[1] - dates[0]).days == 14
    assert all(e.planned_at.year == plan.year for e in cal.entries)
    for entry in cal.entries:
        assert entry.template.count(DRAFT_MARKER) == 1
        assert entry.topics and all(campaigns.catalog.topic(t) for t in entry.topics)
    item_texts = {i.text.strip() for a in plan.audiences for i in a.items}
    assert any(t in cal.entries[0].template for t in item_texts)  # the plan's own words
    async with sm.begin() as sess:
        await store_calendar(sess, cal, campaigns, path.name)
        rows = (await sess.execute(select(Campaign))).scalars().all()
        assert len(rows) == len(cal.entries) and all(r.status == "draft" for r in rows)
        targets = await kpi_targets(sess, UNIT, cal.year)
        assert len(targets) == len([k for k in plan.kpis if k.target_percent is not None])
        again = build_calendar(
            plan, path, UNIT, campaigns.catalog, start=start, cadence="biweekly"
        )
        await store_calendar(sess, again, campaigns, path.name)  # idempotent
        assert again.created == 0 and again.existing == len(cal.entries)
        # A draft straight from the plan cannot be approved before a person edits it.
        await add_contact(sess, "9001", topics=rows[0].topics)
        with pytest.raises(Refused) as err:
            await campaigns.submit(sess, VOLUNTEER, rows[0].id)
        assert err.value.code == "draft_marker"


@pytest.mark.skipif(not PLAN_FILES, reason="the shared plans are not available")
def test_kpis_and_citizen_audience_of_the_province_plan(campaigns: CampaignService) -> None:
    path = PLANS / "2025-vp-ubnd-tinh-dong-nai-kiem-soat-tthc.txt"
    start = dt.date(2025, 1, 6)
    cal = build_calendar(
        import_plan(path), path, UNIT, campaigns.catalog, start=start, cadence="monthly"
    )
    assert {k["target_percent"] for k in cal.kpis} >= {98}
    assert all("Người dân" in e.audience for e in cal.entries)  # not the civil servants' items
    assert [e.planned_at.month for e in cal.entries[:3]] == [1, 2, 3]


def test_catalog_errors_name_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    data: dict[str, Any] = {
        "topics": [{"key": "Thu Tuc", "label": "x"}, {"key": "a", "label": ""}, {"key": "a"}],
        "quiet_hours": "25:00-06:00",
        "units": {"nowhere": {"quiet_hours": "off"}},
    }
    with pytest.raises(ContentError) as err:
        parse_catalog(path, data, {UNIT})
    text = "\n".join(err.value.errors)
    assert f"{path}: topics[0].key" in text
    assert f"{path}: topics[1].label: missing" in text
    assert f"{path}: topics[2].key: duplicate" in text
    assert f"{path}: quiet_hours" in text
    assert f"{path}: units.nowhere: unknown unit" in text


def test_quiet_hours_across_midnight() -> None:
    import datetime as dt

    hours = parse_quiet_hours("22:00-06:00")
    assert in_quiet_hours(dt.time(23, 30), hours) and in_quiet_hours(dt.time(5, 59), hours)
    assert not in_quiet_hours(dt.time(6, 0), hours) and not in_quiet_hours(dt.time(12), hours)
    assert parse_quiet_hours("off") is None
    with pytest.raises(ValueError, match="HH:MM"):
        parse_quiet_hours("10pm-6am")


async def test_telegram_block_removes_subscriptions(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    async with sm.begin() as sess:
        contact = await add_contact(sess, "777", topics=["thu_tuc_moi", "lua_dao"])
        contact_id = contact.id
    engine = ConversationEngine(services, [])
    async with sm.begin() as sess:
        await engine.process(sess, Inbound(UNIT, "telegram", "777", kind="unfollow"))
    async with sm() as sess:
        assert not (await subs.choices(sess, contact_id)).any


async def test_staff_cannot_send_to_people_who_stopped(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService
) -> None:
    async with sm.begin() as sess:
        contact = await add_contact(sess, "888")
        await subs.stop_all(sess, contact.id)
        c = await campaigns.create_draft(
            sess, VOLUNTEER, unit=UNIT, title="t", template="Tin", topics=["thu_tuc_moi"]
        )
        await campaigns.submit(sess, VOLUNTEER, c.id)
        with pytest.raises(Refused, match="empty_audience"):
            await campaigns.approve(sess, STAFF, c.id)


@pytest.mark.skipif(not PLAN_FILES, reason="the shared plans are not available")
def test_cli_plan_calendar_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot.cli import main

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = PLANS / "2026-xa-binh-minh-kiem-soat-tthc.txt"
    args = ["plan", "calendar", str(path), "--unit", UNIT, "--start", "2026-01-05", "--json"]
    assert main([*args, "--create"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "draft" and data["items"][0]["date"].startswith("2026-01-05")
    assert data["created"] == len(data["items"]) > 0
    assert main(["campaign", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == data["created"] and {c["status"] for c in listed} == {"draft"}
    assert main(["campaign", "progress", str(listed[0]["id"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
