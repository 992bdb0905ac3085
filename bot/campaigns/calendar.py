"""A communication plan -> a calendar of DRAFT campaigns, and the plan's KPI targets.

Only the items meant for citizens become drafts (bot.plans.citizens: not doctrine, not duties of
officials, not internal work), spread at a cadence from today (or a chosen date). Each draft is
the plan's own text and legal references, marked DRAFT_MARKER: the bot never writes facts; a
person turns the draft into a short message, and approval refuses a template that still carries
the marker. The items left out are listed with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.campaigns.render import DRAFT_MARKER, raw_block
from bot.campaigns.service import CampaignService
from bot.campaigns.topics import Catalog
from bot.core.actors import Actor
from bot.db.models_campaigns import Campaign, KpiTarget
from bot.plans import AudienceItem, PlanImport, import_plan
from bot.plans.citizens import classify
from faq.normalize import fold

CADENCES = ("weekly", "biweekly", "monthly")
SEND_HOUR = 9  # local time of the suggested sending


@dataclass
class CalendarEntry:
    planned_at: dt.datetime
    title: str
    template: str
    topics: list[str]
    legal_refs: list[str]
    audience: str
    source_ref: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.planned_at.isoformat(),
            "title": self.title,
            "topics": self.topics,
            "legal_refs": self.legal_refs,
            "audience": self.audience,
            "source_ref": self.source_ref,
            "template": self.template,
        }


@dataclass
class Calendar:
    unit: str
    plan: str
    year: int
    cadence: str
    start: dt.date
    entries: list[CalendarEntry] = field(default_factory=list)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # items not for citizens
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    existing: int = 0
    kpis_stored: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "plan": self.plan,
            "year": self.year,
            "cadence": self.cadence,
            "start": self.start.isoformat(),
            "status": "draft",
            "items": [e.to_dict() for e in self.entries],
            "kpi_targets": self.kpis,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "created": self.created,
            "existing": self.existing,
            "kpis_stored": self.kpis_stored,
        }


def _folded(text: str) -> str:
    return fold(text.lower())


def citizen_items(
    plan: PlanImport, skipped: list[dict[str, str]] | None = None
) -> list[tuple[str, AudienceItem]]:
    """The plan's items meant for citizens; the others go to `skipped` with the reason."""
    chosen: list[tuple[str, AudienceItem]] = []
    for audience in plan.audiences:
        for item in audience.items:
            if item.text.rstrip().endswith(":"):  # a heading over sub-items
                continue
            verdict = classify(audience.name, item.text)
            if verdict.for_citizens:
                chosen.append((audience.name, item))
            elif skipped is not None:
                skipped.append(
                    {"audience": audience.name, "label": item.label, "reason": verdict.reason,
                     "text": re.sub(r"\s+", " ", item.text).strip()[:200]}
                )  # fmt: skip
    return chosen


def guess_topics(text: str, catalog: Catalog) -> list[str]:
    folded = _folded(text)
    best, best_score = catalog.topics[0].key, 0
    for topic in catalog.topics:
        score = sum(
            len(re.findall(rf"\b{re.escape(_folded(k))}\b", folded)) for k in topic.keywords
        )
        if score > best_score:
            best, best_score = topic.key, score
    return [best]


def first_day(now: dt.datetime, tz: ZoneInfo) -> dt.date:
    """Today, or tomorrow once today's sending hour has passed."""
    local = now.astimezone(tz)
    return local.date() + dt.timedelta(days=1 if local.hour >= SEND_HOUR else 0)


def step(start: dt.date, cadence: str, i: int) -> dt.date:
    if cadence == "weekly":
        return start + dt.timedelta(weeks=i)
    if cadence == "biweekly":
        return start + dt.timedelta(weeks=2 * i)
    month = start.month - 1 + i
    return dt.date(start.year + month // 12, month % 12 + 1, min(start.day, 28))


def draft_template(item: AudienceItem, plan: PlanImport, refs: list[str]) -> str:
    lines = [
        DRAFT_MARKER,
        "(Soạn lại thành một tin ngắn, dễ hiểu cho người dân từ nội dung kế hoạch dưới đây; "
        "kiểm tra lại từng thông tin và xóa hai dòng này trước khi gửi duyệt.)",
        "",
        item.text.strip(),
    ]
    if refs:
        lines += ["", "Căn cứ: " + "; ".join(refs)]
    where = f", mục {item.label}" if item.label else ""
    lines += [f"Nguồn: Kế hoạch {plan.title}{where}"]
    return raw_block("\n".join(lines))


def read_plan_calendar(
    path: Path,
    unit: str,
    catalog: Catalog,
    start: dt.date | None,
    cadence: str,
    timezone: str,
    now: dt.datetime | None = None,
) -> Calendar:
    """Read a plan file and build its calendar: the CPU-heavy part of an upload, which the
    console runs in a separate process with limits (bot.isolate)."""
    plan = import_plan(path)
    return build_calendar(
        plan, path, unit, catalog, start=start, cadence=cadence, timezone=timezone, now=now
    )


def build_calendar(
    plan: PlanImport,
    path: Path,
    unit: str,
    catalog: Catalog,
    *,
    start: dt.date | None = None,
    cadence: str = "weekly",
    timezone: str = "Asia/Ho_Chi_Minh",
    now: dt.datetime | None = None,
) -> Calendar:
    """Drafts from `start` (default: today, see first_day) at `cadence`, and the KPI targets."""
    if cadence not in CADENCES:
        raise ValueError(f"cadence must be one of {', '.join(CADENCES)}")
    tz = ZoneInfo(timezone)
    begin = start or first_day(now or dt.datetime.now(dt.UTC), tz)
    year = plan.year or begin.year
    cal = Calendar(unit, plan.title, year, cadence, begin)
    if plan.year and plan.year < begin.year:
        cal.warnings.append(f"the plan is for {plan.year}: drafts start on {begin:%d/%m/%Y}")
    items = citizen_items(plan, cal.skipped)
    if not items:
        cal.warnings.append("the plan has no content item for citizens or businesses")
    late = 0
    for i, (audience, item) in enumerate(items):
        day = step(begin, cadence, i)
        late += day.year > year
        refs = [r.text for r in item.legal_refs]
        title = re.sub(r"\s+", " ", item.text).strip()
        cal.entries.append(
            CalendarEntry(
                planned_at=dt.datetime.combine(day, dt.time(SEND_HOUR), tz).astimezone(dt.UTC),
                title=(title[:117] + "…") if len(title) > 118 else title,
                template=draft_template(item, plan, refs),
                topics=guess_topics(item.text, catalog),
                legal_refs=refs,
                audience=audience,
                source_ref=f"{path.name}#{i + 1}{'-' + item.label if item.label else ''}"[:200],
            )
        )
    if late and year >= begin.year:
        cal.warnings.append(f"{late} item(s) fall after {year}: choose a shorter cadence")
    for kpi in plan.kpis:
        if kpi.target_percent is None:
            continue
        cal.kpis.append(
            {
                "indicator": kpi.indicator.strip()[:500],
                "target_percent": kpi.target_percent,
                "comparator": kpi.comparator,
                "lead": kpi.lead,
                "partner": kpi.partner,
                "text": kpi.text,
            }
        )
    return cal


async def store_calendar(
    sess: AsyncSession, cal: Calendar, service: CampaignService, source_plan: str
) -> Calendar:
    """Create the drafts (once per plan item) and store the KPI targets (replacing the year's)."""
    author = Actor(f"plan:{source_plan}"[:128], "system")
    for entry in cal.entries:
        exists = await sess.execute(
            select(Campaign.id).where(
                Campaign.unit == cal.unit, Campaign.source_ref == entry.source_ref
            )
        )
        if exists.first() is not None:
            cal.existing += 1
            continue
        await service.create_draft(
            sess,
            author,
            unit=cal.unit,
            title=entry.title,
            template=entry.template,
            topics=entry.topics,
            planned_at=entry.planned_at,
            source_ref=entry.source_ref,
            legal_refs=entry.legal_refs,
            note=f"bản nháp từ kế hoạch {source_plan}",
        )
        cal.created += 1
    for kpi in cal.kpis:
        row = (
            await sess.execute(
                select(KpiTarget).where(
                    KpiTarget.unit == cal.unit,
                    KpiTarget.year == cal.year,
                    KpiTarget.indicator == kpi["indicator"],
                )
            )
        ).scalar_one_or_none()
        if row is None:
            row = KpiTarget(unit=cal.unit, year=cal.year, indicator=kpi["indicator"])
            sess.add(row)
        row.target_percent = float(kpi["target_percent"])
        row.comparator = str(kpi["comparator"])
        row.source_plan = source_plan[:500]
        row.details = dict(kpi)
        cal.kpis_stored += 1
    await sess.flush()
    return cal


async def kpi_targets(sess: AsyncSession, unit: str, year: int) -> list[KpiTarget]:
    """The dashboard's targets for a unit and year."""
    rows = await sess.execute(
        select(KpiTarget)
        .where(KpiTarget.unit == unit, KpiTarget.year == year)
        .order_by(KpiTarget.id)
    )
    return list(rows.scalars())
