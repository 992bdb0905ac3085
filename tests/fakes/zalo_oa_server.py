"""A fake Zalo OA Open API v3 + OAuth server on loopback, for tests. Production code talks to it
unchanged (ZALO_API_URL and ZALO_OAUTH_URL = fake.base_url).

    async with FakeZaloOA() as fake:
        ...  # build the app with fake.settings_overrides()
        status = await fake.push_event(url, fake.text_event("u1", "xin chào"))
        fake.sent("u1")  # the `message` objects the OA sent to u1

It speaks Zalo's shapes: POST /v3.0/oa/message/cs with the `access_token` header answers HTTP
200 with {"error": 0, "data": {"message_id", "user_id", "quota"}} or {"error": <code>,
"message"}, and refuses with -201 what Zalo refuses (tests/fakes/zalo_oa_checks.py: too many
buttons, unknown types, too-long texts and titles); POST /v4/oa/access_token
(form app_id, refresh_token, grant_type; header secret_key) returns a new pair and invalidates
the refresh token used (single use: a second use fails). Webhook calls are signed with the real
algorithm (sha256 of app_id + body + timestamp + OA secret key, header "mac=<hex>"); a
redelivery carries the `num_retry` header. Event shapes beyond text: zalo_oa_events.py.
Promotion messages, the quota endpoint, quiet hours and the send rate: zalo_oa_promotion.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.zalo_oa_checks import problem
from tests.fakes.zalo_oa_events import ZaloOAEvents, numeric_id
from tests.fakes.zalo_oa_promotion import ZaloOAPromotion

JSON = dict[str, Any]
APP_ID = "1234567890123456789"
OA_ID = "987654321000111222"
OA_SECRET_KEY = "fake-oa-secret-key-0123456789"
APP_SECRET_KEY = "fake-app-secret-key-abcdef"
TOKEN_LIFETIME = 90000  # seconds, as Zalo says ("expires_in": "90000")
# The `quota` object of a successful send when a test set no quota (set_quota): large enough
# that no transcript runs short.
QUOTA_TOTAL = 1000
ERRORS = {  # Zalo OA API error codes the fake can answer
    -32: "Exceeded request limit",
    -201: "Parameters are invalid",
    -211: "Out of quota",
    -213: "User has not followed OA",
    -216: "Access token is invalid",
    -218: "Out of quota receive",
    -220: "Access token has expired or been revoked",
    -227: "User was banned or has been inactive for more than 45 days",
    -230: "User has not interacted with the OA in the past 7 days",
    -232: "User has not interacted with the OA",
    -234: "Promotion messages cannot be sent at this time",
    -244: "User restricts this message type",
}


class FakeZaloOA(ZaloOAEvents, ZaloOAPromotion):
    def __init__(
        self,
        *,
        app_id: str = APP_ID,
        oa_secret_key: str = OA_SECRET_KEY,
        app_secret_key: str = APP_SECRET_KEY,
    ) -> None:
        self.app_id = app_id
        self.oa_id = OA_ID
        self.oa_secret_key = oa_secret_key
        self.app_secret_key = app_secret_key
        self.clock = time.time
        self._ids = itertools.count(1)
        self.access_tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self.refresh_tokens: set[str] = set()  # valid, unused refresh tokens
        self.used_refresh_tokens: set[str] = set()
        self.initial_access_token, self.initial_refresh_token = self.issue_pair()
        self.requests: list[tuple[str, JSON]] = []  # (path, body) of every API call
        self.messages: list[JSON] = []  # accepted sends: {"user_id", "message", "message_id"}
        self.refused: list[tuple[JSON, str]] = []  # (body, reason) of every -201
        self.refresh_calls = 0
        self.refresh_delay = 0.0  # seconds, to widen race windows in tests
        self._refresh_faults: list[JSON] = []
        self._send_faults: list[tuple[int, str | None]] = []  # (code, user_id or None)
        self._user_errors: dict[str, int] = {}
        self._quota: dict[str, int] = {}  # user_id -> replies left, reported in each answer
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.host, self.port = "127.0.0.1", 0
        # Photos and files of image_event/file_event(data=…): name -> (bytes, expires at).
        self.media: dict[str, tuple[bytes, float]] = {}
        self.media_ttl = 3600.0  # Zalo's attachment links expire; expire_media() ends them now
        self.media_requests = 0
        self._init_promotion()

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> FakeZaloOA:
        app = web.Application()
        app.router.add_post("/v3.0/oa/message/cs", self._send)
        app.router.add_post("/v4/oa/access_token", self._token)
        app.router.add_get("/media/{name}", self._media)
        app.router.add_post("/v3.0/oa/message/promotion", self._promotion_endpoint)
        app.router.add_post("/v3.0/oa/quota/message", self._quota_endpoint)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeZaloOA:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self, prefix: str = "ZALO") -> dict[str, str]:
        """Environment variables naming this fake's credentials (a unit's prefix or ZALO)."""
        return {
            f"{prefix}_APP_ID": self.app_id,
            f"{prefix}_OA_SECRET_KEY": self.oa_secret_key,
            f"{prefix}_APP_SECRET_KEY": self.app_secret_key,
            f"{prefix}_ACCESS_TOKEN": self.initial_access_token,
            f"{prefix}_REFRESH_TOKEN": self.initial_refresh_token,
        }

    # -- attachment links ---------------------------------------------------------------------
    def media_url(self, name: str, data: bytes) -> str:
        self.media[name] = (data, self.clock() + self.media_ttl)
        return f"{self.base_url}/media/{name}"

    def expire_media(self) -> None:
        self.media = {k: (data, 0.0) for k, (data, _) in self.media.items()}

    async def _media(self, request: web.Request) -> web.Response:
        self.media_requests += 1
        found = self.media.get(request.match_info["name"])
        if found is None or found[1] <= self.clock():
            return web.Response(status=403, text="URL signature expired")
        return web.Response(body=found[0], content_type="image/jpeg")

    # -- tokens and faults --------------------------------------------------------------------
    def issue_pair(self) -> tuple[str, str]:
        n = next(self._ids)
        access, refresh = f"fake-access-{n}", f"fake-refresh-{n}"
        self.access_tokens[access] = self.clock() + TOKEN_LIFETIME
        self.refresh_tokens.add(refresh)
        return access, refresh

    def expire(self, token: str | None = None) -> None:
        """Expire one access token (default: all of them)."""
        for key in [token] if token else list(self.access_tokens):
            self.access_tokens[key] = 0.0

    def fail_refresh(self, error: int = -14014, times: int = 1) -> None:
        reason = "Invalid refresh token" if error == -14014 else "Internal error"
        self._refresh_faults.extend({"error": error, "reason": reason} for _ in range(times))

    def _next_id(self) -> int:
        return next(self._ids)

    def fail_next_send(self, code: int, user_id: str | None = None, times: int = 1) -> None:
        """The next send(s) (to `user_id`, or anyone) answer `code`, e.g. -211 out of quota."""
        self._send_faults.extend((code, user_id) for _ in range(times))

    def set_user_error(self, user_id: str, code: int | None) -> None:
        """Every send to `user_id` answers `code` (e.g. -218 out of quota) until set to None."""
        if code is None:
            self._user_errors.pop(user_id, None)
        else:
            self._user_errors[user_id] = code

    def set_quota(self, user_id: str, remain: int | None) -> None:
        """Answer sends to `user_id` with a `quota` object counting down from `remain` and, once
        it is spent, -218 (out of quota receive). None: no quota object, no limit."""
        if remain is None:
            self._quota.pop(user_id, None)
        else:
            self._quota[user_id] = remain

    def _quota_of(self, user_id: str) -> JSON:
        if user_id not in self._quota:
            used = sum(1 for m in self.messages if m["user_id"] == user_id)
            remain, total = str(max(QUOTA_TOTAL - used, 0)), str(QUOTA_TOTAL)
            return {"quota": {"quota_type": "reply_msg", "remain": remain, "total": total}}
        self._quota[user_id] -= 1
        remain = str(self._quota[user_id])
        return {"quota": {"quota_type": "reply", "remain": remain, "total": "8"}}

    def sent(self, user_id: str | None = None) -> list[JSON]:
        """The accepted `message` objects (to `user_id`; an anonymous chat's id is
        "anon:<anonymous_id>:<conversation_id>")."""
        return [m["message"] for m in self.messages if user_id in (None, m["user_id"])]

    # -- HTTP handlers ------------------------------------------------------------------------
    async def _send(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return _error(-201)
        self.requests.append((request.path, body))
        if self.rate_refusal():
            return _error(-32)
        token = request.headers.get("access_token", "")
        if token not in self.access_tokens or self.access_tokens[token] <= self.clock():
            return _error(-216)  # Zalo has no separate "expired" code for OA tokens
        reason = problem(body)
        if reason is not None:
            self.refused.append((body, reason))
            return _error(-201)
        recipient, message = body["recipient"], body["message"]
        user_id = recipient.get("user_id") or (
            f"anon:{recipient['anonymous_id']}:{recipient['conversation_id']}"
        )
        for i, (code, who) in enumerate(self._send_faults):
            if who in (None, user_id):
                del self._send_faults[i]
                return _error(code)
        if user_id in self._user_errors:
            return _error(self._user_errors[user_id])
        if self.cs_window_closed(user_id):
            return _error(-230)
        if self._quota.get(user_id, 1) <= 0:
            return _error(-218)
        text = message.get("text")
        if text is not None and not 0 < len(str(text)) <= 2000:
            return _error(-201)
        message_id = f"msg-out-{next(self._ids)}"
        self.messages.append(
            {
                "user_id": user_id,
                "message": message,
                "message_id": message_id,
                "t": time.monotonic(),
            }
        )
        data = {"message_id": message_id, "user_id": user_id, **self._quota_of(user_id)}
        return web.json_response({"data": data, "error": 0, "message": "Success"})

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.requests.append((request.path, dict(form)))
        self.refresh_calls += 1
        if self.refresh_delay:
            await asyncio.sleep(self.refresh_delay)
        if request.headers.get("secret_key") != self.app_secret_key:
            return _oauth_error(-14002, "Invalid secret key")
        if form.get("app_id") != self.app_id or form.get("grant_type") != "refresh_token":
            return _oauth_error(-14003, "Invalid parameter")
        if self._refresh_faults:
            fault = self._refresh_faults.pop(0)
            return _oauth_error(fault["error"], fault["reason"])
        token = str(form.get("refresh_token", ""))
        if token not in self.refresh_tokens:
            return _oauth_error(-14014, "Invalid refresh token")
        self.refresh_tokens.discard(token)  # single use
        self.used_refresh_tokens.add(token)
        access, refresh = self.issue_pair()
        return web.json_response(
            {"access_token": access, "refresh_token": refresh, "expires_in": str(TOKEN_LIFETIME)}
        )

    # -- inbound events (webhooks) ------------------------------------------------------------
    def event(
        self, event_name: str, user_id: str, message: JSON | None = None, **extra: Any
    ) -> JSON:
        """An OA webhook event as Zalo sends it (timestamp in ms, as a string)."""
        data: JSON = {
            "app_id": self.app_id,
            "user_id_by_app": numeric_id(f"{self.app_id}:{user_id}"),
            "event_name": event_name,
            "timestamp": str(int(self.clock() * 1000)),
        }
        if event_name in ("follow", "unfollow"):
            data["oa_id"] = self.oa_id
            data["source"] = "testing"
            data["follower"] = {"id": user_id}
        else:
            data["sender"] = {"id": user_id}
            data["recipient"] = {"id": self.oa_id}
        if message is not None:
            data["message"] = {"msg_id": f"msg-in-{next(self._ids)}", **message}
        data.update(extra)
        return data

    def oa_send_event(
        self, user_id: str, text: str, *, admin_id: str | None = None, msg_id: str | None = None
    ) -> JSON:
        """What Zalo posts when the OA sent `user_id` a text: from a person in the OA chat
        (`admin_id` set) or the echo of an API send (no admin_id; `msg_id` = its message_id)."""
        sender: JSON = {"id": self.oa_id}
        if admin_id is not None:
            sender["admin_id"] = admin_id
        return {
            "app_id": self.app_id,
            "oa_id": self.oa_id,
            "event_name": "oa_send_text",
            "timestamp": str(int(self.clock() * 1000)),
            "sender": sender,
            "recipient": {"id": user_id},
            "message": {"msg_id": msg_id or f"msg-oa-{next(self._ids)}", "text": text},
        }

    def text_event(self, user_id: str, text: str) -> JSON:
        return self.event("user_send_text", user_id, {"text": text})

    def click_event(self, user_id: str, payload: str) -> JSON:
        """A press on an `oa.query.hide` button: the payload comes back as the user's text."""
        return self.event("user_send_text", user_id, {"text": payload})

    def sign(self, raw: bytes, timestamp: str) -> str:
        data = self.app_id.encode() + raw + timestamp.encode() + self.oa_secret_key.encode()
        return hashlib.sha256(data).hexdigest()

    async def push_event(
        self,
        url: str,
        event: JSON,
        *,
        signature: str | None = "mac",
        timestamp: str | None = None,
        num_retry: int = 0,
    ) -> int:
        """POST the event to a webhook as Zalo does; return the HTTP status.

        signature: "mac" → "mac=<hex>" (default), "bare" → "<hex>", None → no header, any other
        string → sent as given. `timestamp` overrides the body's timestamp before signing.
        num_retry > 0: a redelivery (Zalo adds the `num_retry` header, the body is unchanged).
        """
        if timestamp is not None:
            event = {**event, "timestamp": timestamp}
        raw = json.dumps(event, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if num_retry:
            headers["num_retry"] = str(num_retry)
        digest = self.sign(raw, str(event.get("timestamp", "")))
        if signature == "mac":
            headers["X-ZEvent-Signature"] = f"mac={digest}"
        elif signature == "bare":
            headers["X-ZEvent-Signature"] = digest
        elif signature is not None:
            headers["X-ZEvent-Signature"] = signature
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.post(url, data=raw, headers=headers) as resp:
            await resp.read()
            return resp.status


def _error(code: int) -> web.Response:
    return web.json_response({"error": code, "message": ERRORS.get(code, "Unknown error")})


def _oauth_error(code: int, description: str) -> web.Response:
    return web.json_response(
        {
            "error_name": "Invalid parameter",
            "error_reason": description,
            "ref_doc": "https://developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new",
            "error_description": description,
            "error": code,
        }
    )
