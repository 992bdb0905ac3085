"""PAKN and FAQ indicators per unit and period, for the staff group and the console.

Periods are half-open [start, end). Definitions:
- received: PAKNs received in the period;
- answered: PAKNs answered in the period; on_time: those answered at or before their due_at;
- overdue_open: PAKNs still open (new, received, in_progress, forwarded) at `as_of` whose answer
  deadline has passed, whatever the period (a snapshot);
- rated / satisfied: ratings given in the period / those rated 4 or 5; average_rating;
- faq_helpful / faq_not_helpful: 👍 / 👎 pressed on FAQ answers asked in the period.
Shares are None when their denominator is 0 (no data is not 0 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FaqQuery
from bot.db.models_pakn import Pakn
from bot.pakn.service import OPEN_STATES

SATISFIED_MIN = 4


@dataclass(frozen=True)
class Kpis:
    unit: str
    start: dt.datetime
    end: dt.datetime
    received: int
    answered: int
    answered_on_time: int
    overdue_open: int
    rated: int
    satisfied: int
    rating_sum: int
    faq_helpful: int
    faq_not_helpful: int

    @property
    def on_time_share(self) -> float | None:
        return _share(self.answered_on_time, self.answered)

    @property
    def satisfaction_share(self) -> float | None:
        return _share(self.satisfied, self.rated)

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None

    @property
    def faq_helpful_share(self) -> float | None:
        return _share(self.faq_helpful, self.faq_helpful + self.faq_not_helpful)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        for name in ("on_time_share", "satisfaction_share", "average_rating", "faq_helpful_share"):
            data[name] = getattr(self, name)
        return data


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _in(column: Any, start: dt.datetime, end: dt.datetime) -> Any:
    return and_(column >= start, column < end)


async def compute(
    sess: AsyncSession,
    unit: str,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime | None = None,
) -> Kpis:
    """The indicators of `unit` for [start, end); overdue_open is counted at `as_of` (or end)."""
    as_of = as_of or end
    open_states = [s.value for s in OPEN_STATES]

    def count_if(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    pakn_row = (
        await sess.execute(
            select(
                count_if(_in(Pakn.received_at, start, end)),
                count_if(_in(Pakn.answered_at, start, end)),
                count_if(and_(_in(Pakn.answered_at, start, end), Pakn.answered_at <= Pakn.due_at)),
                count_if(and_(Pakn.state.in_(open_states), Pakn.due_at < as_of)),
                count_if(_in(Pakn.rated_at, start, end)),
                count_if(and_(_in(Pakn.rated_at, start, end), Pakn.rating >= SATISFIED_MIN)),
                func.coalesce(
                    func.sum(case((_in(Pakn.rated_at, start, end), Pakn.rating), else_=0)), 0
                ),
            ).where(Pakn.unit == unit)
        )
    ).one()
    faq_row = (
        await sess.execute(
            select(count_if(FaqQuery.feedback > 0), count_if(FaqQuery.feedback < 0)).where(
                FaqQuery.unit == unit, _in(FaqQuery.created_at, start, end)
            )
        )
    ).one()
    received, answered, on_time, overdue, rated, satisfied, rating_sum = (int(v) for v in pakn_row)
    return Kpis(
        unit=unit,
        start=start,
        end=end,
        received=received,
        answered=answered,
        answered_on_time=on_time,
        overdue_open=overdue,
        rated=rated,
        satisfied=satisfied,
        rating_sum=rating_sum,
        faq_helpful=int(faq_row[0]),
        faq_not_helpful=int(faq_row[1]),
    )
