"""A small aiohttp client for the Zalo OA Open API v3 and the OA token endpoint (no SDK).

Endpoints (see docs/zalo-setup.md for the sources read):
- send a consultation ("cs") message: POST {api}/v3.0/oa/message/cs, JSON body
  {"recipient": {"user_id"}, "message": {...}}, token in the `access_token` HTTP header;
  answers HTTP 200 with {"error": 0, "data": {"message_id"}} or {"error": <negative>, "message"}.
- reply in an anonymous chat: the same endpoint with recipient {"conversation_id",
  "anonymous_id"} (Zalo's Java SDK: v3/SendFileAnonymousMessage.java posts it to
  /v3.0/oa/message/cs; its text and image examples still use the old /v2.0/oa/message, which
  integrations report as shut down — unverified without a real OA).
- refresh the OA token pair: POST {oauth}/v4/oa/access_token, form fields app_id,
  refresh_token, grant_type=refresh_token and the app secret in the `secret_key` header;
  answers {"access_token", "refresh_token", "expires_in"} or {"error", "error_description"}.

Webhook signature: X-ZEvent-Signature = sha256_hex(app_id + raw body + timestamp + OA secret
key), sent as "mac=<hex>" (some integrations see the bare hex); `timestamp` is the JSON field
of the body, in milliseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

import aiohttp

CS_PATH = "/v3.0/oa/message/cs"
TOKEN_PATH = "/v4/oa/access_token"  # noqa: S105 - a URL path, not a secret
# Promotion messages ("tin truyền thông"): broadcasts outside the consultation window, one per
# recipient and day, with their own quota (bot/channels/zalo_promotion.py).
PROMOTION_PATH = "/v3.0/oa/message/promotion"
# What the OA may still send: with {"user_id"}, that recipient's quotas and last interaction.
QUOTA_PATH = "/v3.0/oa/quota/message"

# Zalo OA error codes the adapter acts on (the rest are "failed").
RATE_LIMITED = frozenset({-32})
TOKEN_INVALID = frozenset({-216, -220})
# -230 "user has not interacted with the OA in the past 7 days" and -232 "user has not
# interacted with the OA, or the last interaction expired": Zalo's own window check, not a block.
WINDOW_CLOSED = frozenset({-230, -232})
# -211 "out of quota" (the OA's quota of this message type) and -218 "out of quota receive"
# (this recipient may receive no more now): held and sent later, like a closed window.
OA_QUOTA = frozenset({-211})
RECIPIENT_QUOTA = frozenset({-218})
UNREACHABLE = frozenset({-213, -227})
# -234: promotions may not be sent at this hour (22:00-06:00 Vietnam time); held until 06:00.
QUIET_HOURS = frozenset({-234})
# -244 "user restricts this message type": for promotions, a permanent skip of that recipient.
RESTRICTED = frozenset({-244})
# -244 means "user restricts this message type", not a block: that message fails ("failed"),
# the contact stays reachable for other messages.
SIGNATURE_PREFIXES = ("mac=", "sha256=")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ZaloError(Exception):
    """An error answer of the Zalo API (code < 0) or of the OAuth endpoint."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo error {code}: {message}")
        self.code = code
        self.message = message


class ZaloNetworkError(Exception):
    """Zalo could not be reached or answered something that is not its JSON."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: float  # seconds


def signature(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The hex SHA-256 Zalo puts in X-ZEvent-Signature (without the "mac=" prefix)."""
    data = app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    return hashlib.sha256(data).hexdigest()


def normalize_signature_header(value: str) -> str:
    """Accept "mac=<hex>", "sha256=<hex>" or the bare hex, any case, spaces around."""
    text = value.strip()
    for prefix in SIGNATURE_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    return text.lower()


def signature_matches(
    header: str, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str
) -> bool:
    given = normalize_signature_header(header)
    if not _HEX64.match(given):
        return False
    expected = signature(app_id, raw_body, timestamp, oa_secret_key)
    return hmac.compare_digest(given.encode(), expected.encode())


def timestamp_ms(value: Any) -> int | None:
    """The body's `timestamp` in milliseconds (a string or number; seconds are tolerated)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    if number <= 0:
        return None
    return number * 1000 if number < 100_000_000_000 else number


class ZaloOAClient:
    """HTTP calls to the OA Open API and the OAuth server; one session per client."""

    def __init__(
        self,
        api_url: str = "https://openapi.zalo.me",
        oauth_url: str = "https://oauth.zaloapp.com",
        timeout: float = 20.0,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.oauth_url = oauth_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with self._client().post(url, **kwargs) as resp:
                if resp.status >= 500:
                    raise ZaloNetworkError(f"HTTP {resp.status}")
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ZaloNetworkError(type(exc).__name__) from exc
        if not isinstance(data, dict):
            raise ZaloNetworkError("answer is not a JSON object")
        return data

    async def send_cs(self, access_token: str, user_id: str, message: dict[str, Any]) -> str:
        """Send one consultation message; return Zalo's message id. Raises ZaloError."""
        return (await self.send_cs_quota(access_token, user_id, message))[0]

    async def send_cs_quota(
        self, access_token: str, user_id: str, message: dict[str, Any]
    ) -> tuple[str, int | None]:
        """send_cs, also returning the `remain` of the answer's `quota` object (None if absent;
        Zalo said it stops sending it in 2026)."""
        return await self._send(CS_PATH, access_token, {"user_id": user_id}, message)

    async def send_anonymous(
        self, access_token: str, recipient: dict[str, str], message: dict[str, Any]
    ) -> tuple[str, int | None]:
        """Reply in an anonymous chat (recipient {conversation_id, anonymous_id})."""
        return await self._send(CS_PATH, access_token, recipient, message)

    async def _send(
        self, path: str, access_token: str, recipient: dict[str, str], message: dict[str, Any]
    ) -> tuple[str, int | None]:
        body = {"recipient": recipient, "message": message}
        data = await self._post(
            self.api_url + path,
            json=body,
            headers={"access_token": access_token, "Content-Type": "application/json"},
        )
        code = _int(data.get("error"), default=0)
        if code != 0:
            raise ZaloError(code, str(data.get("message") or ""))
        result = data.get("data") or {}
        if not isinstance(result, dict):
            return "", None
        return str(result.get("message_id") or ""), _remain(result.get("quota"))

    async def send_promotion(
        self, access_token: str, user_id: str, message: dict[str, Any]
    ) -> str:
        """Send one promotion message; return Zalo's message id. Raises ZaloError."""
        return (await self._send(PROMOTION_PATH, access_token, {"user_id": user_id}, message))[0]

    async def message_quota(self, access_token: str, user_id: str | None = None) -> dict[str, Any]:
        """The `data` of the quota answer (the OA's, and with `user_id` that recipient's)."""
        body = {"user_id": user_id} if user_id else {}
        data = await self._post(
            self.api_url + QUOTA_PATH,
            json=body,
            headers={"access_token": access_token, "Content-Type": "application/json"},
        )
        code = _int(data.get("error"), default=0)
        if code != 0:
            raise ZaloError(code, str(data.get("message") or ""))
        result = data.get("data")
        return result if isinstance(result, dict) else {}

    async def refresh(self, app_id: str, app_secret_key: str, refresh_token: str) -> TokenPair:
        """Exchange the (single-use) refresh token for a new pair. Raises ZaloError."""
        data = await self._post(
            self.oauth_url + TOKEN_PATH,
            data={"app_id": app_id, "refresh_token": refresh_token, "grant_type": "refresh_token"},
            headers={"secret_key": app_secret_key},
        )
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if not access or not refresh:
            code = _int(data.get("error"), default=-1)
            reason = data.get("error_description") or data.get("error_reason") or "no token"
            raise ZaloError(code, str(reason))
        return TokenPair(str(access), str(refresh), float(_int(data.get("expires_in"), 90000)))


def _remain(quota: Any) -> int | None:
    if not isinstance(quota, dict) or quota.get("remain") is None:
        return None
    value = _int(quota.get("remain"), default=-1)
    return value if value >= 0 else None


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
