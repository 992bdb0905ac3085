"""Finding PAKNs for the console queue: filters, search, sorting, paging, counts per state.

The due state (ok / due_soon / overdue) is that of the PAKN's current stage, exactly as the
service's due scan computes it (bot.pakn.service.due_alerts): `new` → receive deadline,
`received` → forward deadline, later open states → answer deadline; working days come from the
unit's calendar in the PolicyBook. Filtering by due state is done in Python over the open PAKNs
(a commune has at most a few hundred open at once); everything else is SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models_pakn import Pakn
from bot.pakn.deadlines import due_state
from bot.pakn.policy import PolicyBook
from bot.pakn.service import OPEN_STATES, PaknState

PAGE_SIZE = 25
OPEN = tuple(s.value for s in OPEN_STATES)
STATES = tuple(s.value for s in PaknState)
DUE_FILTERS = ("late", "overdue", "due_soon")  # late = overdue or due soon
SORTS = ("due", "received")
# Short labels for staff (the citizen's wording is in content/messages.vi.yaml, pakn.state.*).
STATE_LABELS = {
    "new": "Mới, chờ tiếp nhận",
    "received": "Đã tiếp nhận",
    "in_progress": "Đang xử lý",
    "forwarded": "Đã chuyển",
    "rejected": "Không tiếp nhận",
    "answered": "Đã trả lời",
    "closed": "Đã kết thúc",
}


@dataclass(frozen=True)
class QueueFilter:
    units: tuple[str, ...]  # units to include (already within the viewer's scope)
    state: str = "open"  # "" (all), "open", or a PaknState value
    category: str = ""
    area: str = ""
    assignee: str = ""  # "" (anyone), "none" (nobody), or an assignee name
    due: str = ""  # "" or one of DUE_FILTERS
    q: str = ""
    sort: str = "due"


@dataclass(frozen=True)
class Due:
    stage: str  # receive | forward | answer | "" (not open)
    at: dt.datetime | None
    state: str  # ok | due_soon | overdue | done


@dataclass
class QueueRow:
    pakn: Pakn
    due: Due


@dataclass
class QueuePage:
    rows: list[QueueRow]
    page: int
    total: int
    state_counts: dict[str, int] = field(default_factory=dict)
    due_counts: dict[str, int] = field(default_factory=dict)
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def current_deadline(pakn: Pakn) -> tuple[str, dt.datetime | None]:
    if pakn.state == PaknState.NEW:
        return "receive", pakn.receive_due_at or pakn.due_at
    if pakn.state == PaknState.RECEIVED:
        return "forward", pakn.forward_due_at or pakn.due_at
    if pakn.state in OPEN:
        return "answer", pakn.due_at
    return "", None


def due_of(pakn: Pakn, book: PolicyBook, now: dt.datetime) -> Due:
    stage, at = current_deadline(pakn)
    if not stage or at is None:
        return Due("", pakn.due_at, "done")
    try:
        state = due_state(at, now, book.calendar(pakn.unit), book.policy(pakn.unit))
    except LookupError:  # a unit removed from content/: plain comparison
        state = "overdue" if now > at else "ok"
    return Due(stage, at, state)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filt: QueueFilter, *, with_state: bool = True) -> list[Any]:
    conds: list[Any] = [Pakn.unit.in_(list(filt.units))]
    if with_state and filt.state == "open":
        conds.append(Pakn.state.in_(OPEN))
    elif with_state and filt.state in STATES:
        conds.append(Pakn.state == filt.state)
    if filt.category:
        conds.append(Pakn.category == filt.category)
    if filt.area:
        conds.append(Pakn.area == filt.area)
    if filt.assignee == "none":
        conds.append(Pakn.assignee.is_(None))
    elif filt.assignee:
        conds.append(Pakn.assignee == filt.assignee)
    q = " ".join(filt.q.split())[:100]
    if q:
        pattern = _like(q)
        conds.append(
            or_(
                Pakn.code.ilike(_like(q.upper()), escape="\\"),
                Pakn.content.ilike(pattern, escape="\\"),
                Pakn.sender_name.ilike(pattern, escape="\\"),
            )
        )
    return conds


def _ordered(query: Select[Any], sort: str) -> Select[Any]:
    if sort == "received":
        return query.order_by(Pakn.received_at.desc(), Pakn.id.desc())
    deadline = case(
        (Pakn.state == PaknState.NEW.value, func.coalesce(Pakn.receive_due_at, Pakn.due_at)),
        (Pakn.state == PaknState.RECEIVED.value, func.coalesce(Pakn.forward_due_at, Pakn.due_at)),
        else_=Pakn.due_at,
    )
    still_open = case((Pakn.state.in_(OPEN), 0), else_=1)
    return query.order_by(still_open, deadline, Pakn.id)


def _due_matches(due: Due, wanted: str) -> bool:
    if wanted == "late":
        return due.state in ("overdue", "due_soon")
    return due.state == wanted


async def search(
    sess: AsyncSession, filt: QueueFilter, book: PolicyBook, now: dt.datetime, page: int = 1
) -> QueuePage:
    """One page of PAKNs matching `filt`, with counts per state and per due state."""
    page = max(1, page)
    if not filt.units:
        return QueuePage([], page, 0)
    counts_query = (
        select(Pakn.state, func.count())
        .where(and_(*_conditions(filt, with_state=False)))
        .group_by(Pakn.state)
    )
    state_counts = {str(s): int(n) for s, n in await sess.execute(counts_query)}
    open_rows = list(
        (
            await sess.execute(
                _ordered(
                    select(Pakn).where(
                        and_(*_conditions(filt, with_state=False), Pakn.state.in_(OPEN))
                    ),
                    filt.sort,
                )
            )
        ).scalars()
    )
    dues = {p.id: due_of(p, book, now) for p in open_rows}
    due_counts = Counter(d.state for d in dues.values())
    if filt.due in DUE_FILTERS:
        matching = [
            QueueRow(p, dues[p.id])
            for p in open_rows
            if (filt.state in ("", "open") or p.state == filt.state)
            and _due_matches(dues[p.id], filt.due)
        ]
        start = (page - 1) * PAGE_SIZE
        rows = matching[start : start + PAGE_SIZE]
        total = len(matching)
    else:
        where = and_(*_conditions(filt))
        total = int(
            (await sess.execute(select(func.count()).select_from(Pakn).where(where))).scalar_one()
        )
        found = (
            await sess.execute(
                _ordered(select(Pakn).where(where), filt.sort)
                .offset((page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
            )
        ).scalars()
        rows = [QueueRow(p, dues.get(p.id) or due_of(p, book, now)) for p in found]
    return QueuePage(rows, page, total, state_counts, dict(due_counts))


async def choices(sess: AsyncSession, units: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The areas and assignees that occur in these units (for the filter menus)."""
    if not units:
        return [], []
    areas = await sess.execute(
        select(Pakn.area).where(Pakn.unit.in_(list(units)), Pakn.area.is_not(None)).distinct()
    )
    people = await sess.execute(
        select(Pakn.assignee)
        .where(Pakn.unit.in_(list(units)), Pakn.assignee.is_not(None))
        .distinct()
    )
    return sorted(str(a) for a in areas.scalars()), sorted(str(p) for p in people.scalars())
