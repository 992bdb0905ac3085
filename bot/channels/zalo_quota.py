"""What the Zalo OA may still send: messages counted per recipient and day, Zalo's reported
`quota.remain`, and holds after a quota error (-211 for the whole OA, -218 for one recipient).

Kept in memory per process: after a restart one refused send re-learns a hold. The counts are
for staff (/healthz) and for rendering: when Zalo reports fewer messages left for a recipient
than a reply needs, the reply is sent in its compact form (see ZaloChannel.render).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

MAX_TRACKED = 10_000  # recipients remembered per day before the oldest day is forgotten


class QuotaBook:
    def __init__(self, clock: Callable[[], dt.datetime], retry: dt.timedelta) -> None:
        self.clock = clock
        self.retry = retry
        self._sent: dict[tuple[str, dt.date], int] = {}
        self._remain: dict[str, int] = {}
        self._held_until: dict[str, dt.datetime] = {}  # recipient -> when to try again
        self.oa_held_until: dt.datetime | None = None

    # --- counting ---------------------------------------------------------------------------
    def count(self, user_id: str, remain: int | None) -> None:
        """One message went out to `user_id`; `remain` is what Zalo says is left, if it says."""
        today = self.clock().date()
        if len(self._sent) >= MAX_TRACKED:
            self._sent = {k: v for k, v in self._sent.items() if k[1] >= today}
        self._sent[(user_id, today)] = self._sent.get((user_id, today), 0) + 1
        if remain is None:
            self._remain.pop(user_id, None)
        else:
            self._remain[user_id] = remain
        self._held_until.pop(user_id, None)
        self.oa_held_until = None

    def sent_today(self, user_id: str) -> int:
        return self._sent.get((user_id, self.clock().date()), 0)

    def remain(self, user_id: str) -> int | None:
        return self._remain.get(user_id)

    def reopen(self, user_id: str) -> None:
        """The citizen wrote: Zalo counts a new window, so what we knew is stale."""
        self._remain.pop(user_id, None)
        self._held_until.pop(user_id, None)

    # --- holds ------------------------------------------------------------------------------
    def hold(self, user_id: str | None) -> dt.datetime:
        """Zalo refused for quota: hold one recipient (or, with None, the whole OA)."""
        until = self.clock() + self.retry
        if user_id is None:
            self.oa_held_until = until
        else:
            self._held_until[user_id] = until
            self._remain[user_id] = 0
        return until

    def held_until(self, user_id: str) -> dt.datetime | None:
        """When the next try may go out, if a quota hold is still running."""
        now = self.clock()
        times = [t for t in (self.oa_held_until, self._held_until.get(user_id)) if t and t > now]
        return max(times) if times else None
