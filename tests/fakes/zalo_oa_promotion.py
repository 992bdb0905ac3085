"""The promotion side of the fake Zalo OA: POST /v3.0/oa/message/promotion and
POST /v3.0/oa/quota/message, with the platform's rules driven by the fake's settable clock.

- Quiet hours: a promotion between 22:00 and 06:00 Vietnam time answers -234.
- Quotas: the OA may send `promotion_quota` promotions per Vietnam day (then -211); each
  recipient receives at most one promotion per day (then -218, "out of quota receive").
- Faults: `fail_next_send(code, user)` applies to promotions too.
- Recipients: `set_follower(user, False)` → -213; `set_user_error(user, -244 | -227)` as for
  consultation messages; `set_last_interaction(user, epoch)` is what the quota endpoint reports
  (and a consultation message to someone who last wrote more than 7 days ago answers -230).
- Rate: `rate_limit(per_sec)` refuses with -32 any send (consultation or promotion) beyond
  `per_sec` in the last second of real time; refusals are counted in `rate_refused`.
- Shapes: zalo_oa_checks.promotion_problem; a bad one answers -201.

The quota answer's shape is this project's reading of Zalo's docs, unverified against a real OA
(docs/zalo-setup.md): data = {"oa": {"promotion": {"remain", "total"}}, and with a user_id
"user": {"user_id", "last_interaction" (ms or null), "is_follower", "promotion": {"remain",
"total"}}}.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.fakes.zalo_oa_checks import promotion_problem

if TYPE_CHECKING:
    from collections.abc import Callable

JSON = dict[str, Any]
VN = dt.timezone(dt.timedelta(hours=7))
CS_WINDOW = 7 * 86400  # seconds


class ZaloOAPromotion:
    """Mixed into FakeZaloOA (which provides clock, requests, access_tokens, _ids, …)."""

    clock: Callable[[], float]
    requests: list[tuple[str, JSON]]
    access_tokens: dict[str, float]
    refused: list[tuple[JSON, str]]
    _user_errors: dict[str, int]
    _send_faults: list[tuple[int, str | None]]

    def _init_promotion(self) -> None:
        self.promotion_quota = 1_000_000  # per Vietnam day, for the whole OA
        self.promotions: list[JSON] = []  # accepted: {"user_id", "message", "message_id", "day"}
        self.quota_calls = 0
        self.rate_refused = 0
        self.rate_per_sec: float | None = None
        self._send_times: deque[float] = deque()
        self._non_followers: set[str] = set()
        self._last_interaction: dict[str, float] = {}
        self._promo_used: dict[dt.date, int] = {}
        self._promo_user_day: dict[tuple[str, dt.date], int] = {}

    # -- settings for tests -------------------------------------------------------------------
    def rate_limit(self, per_sec: float | None) -> None:
        self.rate_per_sec = per_sec

    def set_follower(self, user_id: str, following: bool) -> None:
        (self._non_followers.discard if following else self._non_followers.add)(user_id)

    def set_last_interaction(self, user_id: str, epoch: float | None) -> None:
        if epoch is None:
            self._last_interaction.pop(user_id, None)
        else:
            self._last_interaction[user_id] = epoch

    def vn_now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), VN)

    def promotions_to(self, user_id: str) -> list[JSON]:
        return [p["message"] for p in self.promotions if p["user_id"] == user_id]

    def promotion_days(self) -> dict[tuple[str, dt.date], int]:
        """How many promotions each recipient got on each Vietnam day (for quota checks)."""
        return dict(self._promo_user_day)

    # -- shared checks ------------------------------------------------------------------------
    def rate_refusal(self) -> bool:
        """True when this send exceeds the rate (and is refused with -32)."""
        if self.rate_per_sec is None:
            return False
        now = time.monotonic()
        while self._send_times and self._send_times[0] <= now - 1.0:
            self._send_times.popleft()
        if len(self._send_times) >= self.rate_per_sec:
            self.rate_refused += 1
            return True
        self._send_times.append(now)
        return False

    def cs_window_closed(self, user_id: str) -> bool:
        last = self._last_interaction.get(user_id)
        return last is not None and self.clock() - last > CS_WINDOW

    def _token_ok(self, request: web.Request) -> bool:
        token = request.headers.get("access_token", "")
        return token in self.access_tokens and self.access_tokens[token] > self.clock()

    # -- HTTP handlers ------------------------------------------------------------------------
    async def _promotion_endpoint(self, request: web.Request) -> web.Response:
        from tests.fakes.zalo_oa_server import _error

        try:
            body = await request.json()
        except ValueError:
            return _error(-201)
        self.requests.append((request.path, body))
        if self.rate_refusal():
            return _error(-32)
        if not self._token_ok(request):
            return _error(-216)
        reason = promotion_problem(body)
        if reason is not None:
            self.refused.append((body, reason))
            return _error(-201)
        user_id = body["recipient"]["user_id"]
        for i, (code, who) in enumerate(self._send_faults):  # fail_next_send
            if who in (None, user_id):
                del self._send_faults[i]
                return _error(code)
        if user_id in self._user_errors:
            return _error(self._user_errors[user_id])
        if user_id in self._non_followers:
            return _error(-213)
        now = self.vn_now()
        if now.hour >= 22 or now.hour < 6:
            return _error(-234)
        day = now.date()
        if self._promo_used.get(day, 0) >= self.promotion_quota:
            return _error(-211)
        if self._promo_user_day.get((user_id, day), 0) >= 1:
            return _error(-218)
        self._promo_used[day] = self._promo_used.get(day, 0) + 1
        self._promo_user_day[(user_id, day)] = 1
        message_id = f"msg-promo-{next(self._ids)}"  # type: ignore[attr-defined]
        self.promotions.append(
            {
                "user_id": user_id,
                "message": body["message"],
                "message_id": message_id,
                "day": day,
                "t": time.monotonic(),  # arrival, for the benchmark's rate
            }
        )
        data = {"message_id": message_id, "user_id": user_id}
        return web.json_response({"data": data, "error": 0, "message": "Success"})

    async def _quota_endpoint(self, request: web.Request) -> web.Response:
        from tests.fakes.zalo_oa_server import _error

        try:
            body = await request.json()
        except ValueError:
            body = {}
        self.requests.append((request.path, body))
        self.quota_calls += 1
        if not self._token_ok(request):
            return _error(-216)
        day = self.vn_now().date()
        left = max(self.promotion_quota - self._promo_used.get(day, 0), 0)
        total = str(self.promotion_quota)
        data: JSON = {"oa": {"promotion": {"remain": str(left), "total": total}}}
        user_id = body.get("user_id") if isinstance(body, dict) else None
        if user_id:
            last = self._last_interaction.get(str(user_id))
            received = self._promo_user_day.get((str(user_id), day), 0)
            data["user"] = {
                "user_id": str(user_id),
                "last_interaction": str(int(last * 1000)) if last is not None else None,
                "is_follower": str(user_id) not in self._non_followers,
                "promotion": {"remain": str(max(1 - received, 0)), "total": "1"},
            }
        return web.json_response({"data": data, "error": 0, "message": "Success"})
