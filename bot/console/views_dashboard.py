"""The dashboard (/console/stats/): the plans' indicators per unit and period against targets.

Periods follow Vietnamese reporting: a month, a quarter, 6 months, 9 months (both from
1 January) or the year, in local time. Indicators: PAKN answered on time and satisfaction
(bot.pakn.kpi), FAQ questions answered vs not (faq_queries), subscribers and campaign reach
(campaign tables). Targets: the unit's `kpi_targets` rows imported from its plan when one
matches. Without an imported plan, PAKN on time is measured against a default of ≥ 97 % (the
minimum the province's plans set, e.g. Kế hoạch kiểm soát TTHC 2025 of the Đồng Nai provincial
office), shown as such; satisfaction has no default target.
Read-only: volunteers may open it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import formatting
from bot.console import charts
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.db import faq_log
from bot.db.models_campaigns import CampaignOutbox, KpiTarget, Subscription
from bot.keys import sessionmaker_key, settings_key
from bot.pakn import kpi
from faq.normalize import fold

PERIODS: dict[str, str] = {
    "month": "Tháng",
    "quarter": "Quý",
    "6m": "6 tháng",
    "9m": "9 tháng",
    "year": "Năm",
}
# The provincial plans' "tối thiểu 97 %" of PAKN handled within the time limit; shown as a
# default (not as the unit's plan) until the unit imports its own plan.
DEFAULT_ON_TIME = 97.0
COMPARATORS = {"min": "≥", "max": "≤", "exact": "="}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int  # the month (1–12) or quarter (1–4); 0 for 6m / 9m / year
    start: dt.date
    end: dt.date  # exclusive

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.index}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {self.index}/{self.year}"
        if self.kind in ("6m", "9m"):
            return f"{PERIODS[self.kind]} đầu năm {self.year}"
        return f"Năm {self.year}"

    def buckets(self) -> list[tuple[str, dt.date, dt.date]]:
        """Weeks of a month (1–7, 8–14, …), else the months (T1, T2, …)."""
        if self.kind == "month":
            days = calendar.monthrange(self.year, self.index)[1]
            out = []
            for first in (1, 8, 15, 22):
                last = days if first == 22 else first + 6
                out.append(
                    (
                        f"{first}–{last}",
                        dt.date(self.year, self.index, first),
                        dt.date(self.year, self.index, last) + dt.timedelta(days=1),
                    )
                )
            return out
        out, month = [], self.start.month
        while month <= 12 and dt.date(self.year, month, 1) < self.end:
            nxt = dt.date(self.year + month // 12, month % 12 + 1, 1)
            out.append((f"T{month}", dt.date(self.year, month, 1), nxt))
            month += 1
        return out


def parse_period(query: Mapping[str, str], today: dt.date) -> Period:
    kind = query.get("period", "month")
    kind = kind if kind in PERIODS else "month"
    try:
        year = int(query.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    if kind == "month":
        index = _int(query.get("month"), today.month if year == today.year else 12, 1, 12)
        start = dt.date(year, index, 1)
        end = dt.date(year + index // 12, index % 12 + 1, 1)
    elif kind == "quarter":
        index = _int(query.get("quarter"), (today.month - 1) // 3 + 1, 1, 4)
        start = dt.date(year, 3 * index - 2, 1)
        end = dt.date(year + 1, 1, 1) if index == 4 else dt.date(year, 3 * index + 1, 1)
    else:
        index = 0
        start = dt.date(year, 1, 1)
        end = {"6m": dt.date(year, 7, 1), "9m": dt.date(year, 10, 1)}.get(
            kind, dt.date(year + 1, 1, 1)
        )
    return Period(kind, year, index, start, end)


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = default
    return min(max(value, low), high)


@dataclass(frozen=True)
class Target:
    percent: float
    comparator: str = "min"
    source: str = ""  # the plan it came from; "" = the default (no plan imported)
    upper: float | None = None  # a range 97–100 %

    @property
    def label(self) -> str:
        if self.comparator == "range" and self.upper is not None:
            return f"{_pct(self.percent)}–{formatting.pct(self.upper)}"
        return f"{COMPARATORS.get(self.comparator, '≥')} {formatting.pct(self.percent)}"

    @property
    def is_default(self) -> bool:
        return not self.source

    def met(self, share: float | None) -> bool | None:
        if share is None:
            return None
        value = round(share * 100, 2)
        return value <= self.percent if self.comparator == "max" else value >= self.percent


def _pct(value: float) -> str:
    return formatting.pct(value).removesuffix(" %")


@dataclass
class Indicator:
    name: str
    value: str  # shown
    detail: str
    target: Target | None = None
    met: bool | None = None


@dataclass
class UnitStats:
    unit: str
    period: Period
    kpis: kpi.Kpis
    on_time_target: Target
    satisfaction_target: Target | None
    faq: faq_log.Outcomes
    subscribers: int
    new_subscribers: int
    reach_contacts: int
    reach_messages: int
    other_targets: list[KpiTarget] = field(default_factory=list)
    buckets: list[dict[str, float | None]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def indicators(self) -> list[Indicator]:
        k, q = self.kpis, self.faq
        satisfaction = self.satisfaction_target
        return [
            Indicator(
                "PAKN giải quyết đúng hạn",
                _share_text(k.on_time_share),
                f"{k.answered_on_time}/{k.answered} PAKN đã trả lời; nhận {k.received}; "
                f"quá hạn chưa xong {k.overdue_open}",
                self.on_time_target,
                self.on_time_target.met(k.on_time_share),
            ),
            Indicator(
                "Người dân hài lòng",
                _share_text(k.satisfaction_share),
                f"{k.satisfied}/{k.rated} lượt đánh giá 4–5 sao",
                satisfaction,
                satisfaction.met(k.satisfaction_share) if satisfaction else None,
            ),
            Indicator(
                "Câu hỏi được trả lời ngay",
                _share_text(q.answered / q.total if q.total else None),
                f"{q.answered}/{q.total} trả lời ngay; hỏi lại {q.clarified} (người dân chọn "
                f"được {q.clarified_chosen}); chưa trả lời được {q.unanswered}; "
                f"{k.faq_not_helpful} lượt chê câu trả lời",
            ),
            Indicator(
                "Người đăng ký nhận tin",
                formatting.number(self.subscribers),
                f"{self.new_subscribers} người mới trong kỳ",
            ),
            Indicator(
                "Chiến dịch: người nhận",
                formatting.number(self.reach_contacts),
                f"{self.reach_messages} tin đã gửi tới người dân trong kỳ",
            ),
        ]


def _share_text(share: float | None) -> str:
    return formatting.percent(share)


def _utc(day: dt.date, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def _match_target(rows: list[KpiTarget], words: tuple[str, ...]) -> KpiTarget | None:
    for row in rows:
        folded = fold(row.indicator.lower())
        if row.target_percent is not None and all(w in folded for w in words):
            return row
    return None


def _target(row: KpiTarget | None, default: float | None) -> Target | None:
    if row is None or row.target_percent is None:
        return None if default is None else Target(default)
    rng = (row.details or {}).get("target_range")
    upper = float(rng[1]) if isinstance(rng, list) and len(rng) == 2 else None
    return Target(float(row.target_percent), row.comparator, row.source_plan, upper)


async def unit_stats(
    sess: AsyncSession, unit: str, period: Period, now_utc: dt.datetime, tz: str
) -> UnitStats:
    start, end = _utc(period.start, tz), _utc(period.end, tz)
    kpis = await kpi.compute(sess, unit, start, end, as_of=min(end, now_utc))
    questions = await faq_log.outcomes(sess, unit, start, end)
    subs = select(func.count(func.distinct(Subscription.contact_id))).where(
        Subscription.unit == unit, Subscription.created_at < end
    )
    subscribers = int((await sess.execute(subs)).scalar_one())
    new_subs = int((await sess.execute(subs.where(Subscription.created_at >= start))).scalar_one())
    reach = (
        await sess.execute(
            select(func.count(func.distinct(CampaignOutbox.contact_id)), func.count()).where(
                CampaignOutbox.unit == unit,
                CampaignOutbox.status == "sent",
                CampaignOutbox.sent_at >= start,
                CampaignOutbox.sent_at < end,
            )
        )
    ).one()
    targets = list(
        (
            await sess.execute(
                select(KpiTarget)
                .where(KpiTarget.unit == unit, KpiTarget.year == period.year)
                .order_by(KpiTarget.id)
            )
        ).scalars()
    )
    on_time_row = _match_target(targets, ("phan anh",)) or _match_target(targets, ("kien nghi",))
    satisfaction_row = _match_target(targets, ("hai long",))
    stats = UnitStats(
        unit=unit,
        period=period,
        kpis=kpis,
        on_time_target=_target(on_time_row, DEFAULT_ON_TIME) or Target(DEFAULT_ON_TIME),
        satisfaction_target=_target(satisfaction_row, None),
        faq=questions,
        subscribers=subscribers,
        new_subscribers=new_subs,
        reach_contacts=int(reach[0]),
        reach_messages=int(reach[1]),
        other_targets=[t for t in targets if t not in (on_time_row, satisfaction_row)],
    )
    for label, first, after in period.buckets():
        b_start, b_end = _utc(first, tz), _utc(after, tz)
        stats.labels.append(label)
        if b_start > now_utc:  # the future: no data, not zero
            stats.buckets.append(dict.fromkeys(("on_time", "satisfied", "ans", "unans")))
            continue
        part = await kpi.compute(sess, unit, b_start, b_end, as_of=min(b_end, now_utc))
        asked = await faq_log.outcomes(sess, unit, b_start, b_end)
        stats.buckets.append(
            {
                "on_time": _pct100(part.on_time_share),
                "satisfied": _pct100(part.satisfaction_share),
                "ans": float(asked.answered),
                "unans": float(asked.unanswered),
            }
        )
    return stats


def _pct100(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def stats_charts(stats: UnitStats) -> list[object]:
    x_label = "Ngày trong tháng" if stats.period.kind == "month" else "Tháng"
    col = {
        key: [b[key] for b in stats.buckets] for key in ("on_time", "satisfied", "ans", "unans")
    }
    target = stats.on_time_target
    return [
        charts.bar_chart(
            "Tỷ lệ PAKN đúng hạn và hài lòng",
            stats.labels,
            [
                charts.Series("Đúng hạn", col["on_time"]),
                charts.Series("Hài lòng", col["satisfied"], "#2f8f46"),
            ],
            y_label="Tỷ lệ (%)",
            x_label=x_label,
            y_max=100,
            suffix="%",
            target=target.percent,
            target_label=f"{'Mức mặc định' if target.is_default else 'Chỉ tiêu'} {target.label}",
        ),
        charts.line_chart(
            "Câu hỏi của người dân",
            stats.labels,
            [
                charts.Series("Trả lời ngay", col["ans"]),
                charts.Series("Chưa trả lời được", col["unans"], "#a4161a"),
            ],
            y_label="Số câu hỏi",
            x_label=x_label,
        ),
    ]


@require("volunteer", unit_from="unit")
async def stats_page(request: web.Request) -> web.StreamResponse:
    user = current(request)
    units = visible_units(request, user)
    if not units:
        raise web.HTTPNotFound()
    unit = request.query.get("unit") or units[0]
    tz = request.config_dict[settings_key].timezone
    when = now(request)
    period = parse_period(request.query, when.astimezone(ZoneInfo(tz)).date())
    async with request.config_dict[sessionmaker_key]() as sess:
        stats = await unit_stats(sess, unit, period, when, tz)
    return await render(
        request,
        "dashboard.html",
        stats=stats,
        charts=stats_charts(stats),
        my_units=units,
        unit=unit,
        period=period,
        periods=PERIODS,
        years=sorted({*range(when.year - 3, when.year + 1), period.year}, reverse=True),
    )
