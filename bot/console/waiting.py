"""What waits for a console user: the counts behind the home page, the menu badges, the
browser notifications (/console/waiting.json) and the daily e-mail digest.

Counts only: nothing here names a citizen or quotes them, so they can be shown in a browser
notification or an e-mail. Each role sees what it may act on: staff and admins the PAKN,
the handed-off questions and the campaign drafts to approve in their units; volunteers their
unread notices (a draft approved or returned).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actors import RANK
from bot.core.services import Services
from bot.db.models_campaigns import Campaign
from bot.db.models_notices import ConsoleNotice
from bot.db.models_pakn import Pakn
from bot.pakn import questions


@dataclass(frozen=True)
class Waiting:
    pakn_new: int = 0
    pakn_due_soon: int = 0
    pakn_overdue: int = 0
    questions: int = 0
    questions_overdue: int = 0
    campaigns_review: int = 0
    notices: int = 0

    @property
    def total(self) -> int:
        """Items to act on (a PAKN both new and overdue is counted once, as new)."""
        return (
            self.pakn_new
            + self.pakn_due_soon
            + self.pakn_overdue
            + self.questions
            + self.campaigns_review
            + self.notices
        )

    def badges(self) -> dict[str, int]:
        """Menu route → number shown next to it."""
        return {
            "pakn": self.pakn_new + self.pakn_overdue,
            "questions": self.questions,
            "campaigns": self.campaigns_review + self.notices,
        }

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "total": self.total}


async def count(
    sess: AsyncSession,
    services: Services,
    role: str,
    username: str,
    units: Sequence[str],
    now: dt.datetime,
) -> Waiting:
    notices = await unread_notices(sess, username)
    if RANK.get(role, 0) < RANK["staff"] or not units:
        return Waiting(notices=notices)
    new = await sess.execute(
        select(func.count()).where(Pakn.unit.in_(list(units)), Pakn.state == "new")
    )
    due_soon = overdue = 0
    if services.pakn is not None:
        wanted = set(units)
        for alert in await services.pakn.due_alerts(sess, now):
            if alert.unit not in wanted or alert.state == "new":
                continue  # new ones are counted once, as new
            if alert.due_state == "overdue":
                overdue += 1
            else:
                due_soon += 1
    asked = await questions.counts(sess, units, now)
    review = await sess.execute(
        select(func.count()).where(Campaign.unit.in_(list(units)), Campaign.status == "review")
    )
    return Waiting(
        pakn_new=int(new.scalar_one()),
        pakn_due_soon=due_soon,
        pakn_overdue=overdue,
        questions=asked.waiting,
        questions_overdue=asked.overdue,
        campaigns_review=int(review.scalar_one()),
        notices=notices,
    )


async def unread_notices(sess: AsyncSession, username: str) -> int:
    result = await sess.execute(
        select(func.count()).where(
            ConsoleNotice.username == username, ConsoleNotice.read_at.is_(None)
        )
    )
    return int(result.scalar_one())
