"""Sessions (encrypted signed cookies), CSRF tokens, the client's scheme and address.

The session cookie is encrypted and signed with Fernet (aiohttp-session's
EncryptedCookieStorage); its key is derived from CONSOLE_SECRET, or random per start. The cookie
is HttpOnly, SameSite=Lax, limited to /console/, and Secure whenever the request came over https
(X-Forwarded-Proto counts only with TRUST_PROXY=true).
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import warnings
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.web_exceptions import NotAppKeyWarning
from aiohttp_session import Session, get_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.keys import settings_key

# aiohttp-session stores the session under string request keys; aiohttp warns about that on
# every request. The warning concerns the library, not this code.
warnings.filterwarnings("ignore", category=NotAppKeyWarning, module="aiohttp_session")

COOKIE = "loaxa_console"
CSRF_FIELD = "_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class CsrfRejected(web.HTTPForbidden):
    """A form came without the session's CSRF token (or with another one)."""


def session_key(secret: str) -> bytes:
    """32 bytes for Fernet: derived from CONSOLE_SECRET, or random (sessions end on restart)."""
    if not secret:
        return os.urandom(32)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"loaxa console session")
    return hkdf.derive(secret.encode("utf-8"))


def is_https(request: web.Request) -> bool:
    if request.secure:
        return True
    if request.config_dict[settings_key].trust_proxy:
        proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return proto == "https"
    return False


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        parsed = ipaddress.ip_address(raw.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(parsed, "ipv4_mapped", None)  # ::ffff:127.0.0.1 on a dual-stack socket
    return mapped or parsed


# Where a proxy of ours may connect from without being listed in TRUSTED_PROXIES: loopback and
# the private networks (RFC 1918, IPv6 unique local).
LOCAL_NETWORKS = [
    ipaddress.ip_network(net)
    for net in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128",
                "fc00::/7")
]  # fmt: skip


def _proxy_networks(raw: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part]


def _in(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in net for net in networks)


def client_ip(request: web.Request) -> str:
    """The client's address. With TRUST_PROXY, and only when the request comes from a proxy
    (loopback, a private address or TRUSTED_PROXIES), the rightmost X-Forwarded-For hop that is
    not one of TRUSTED_PROXIES: the hop our own proxy appended. Hops further left were written
    by the client (or by proxies we do not know) and can be anything."""
    peer = request.remote or "?"
    settings = request.config_dict[settings_key]
    if not settings.trust_proxy:
        return peer
    trusted = _proxy_networks(settings.trusted_proxies)
    if not _in(peer, LOCAL_NETWORKS + trusted):
        return peer  # reached us directly, not through the proxy: its headers prove nothing
    forwarded = ",".join(request.headers.getall("X-Forwarded-For", []))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer


DEVICE_COOKIE = "loaxa_device"
DEVICE_DAYS = 180
_DEVICE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def device_token(request: web.Request) -> str | None:
    """This browser's device token (set at its first successful sign-in), if well-formed."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    return token if _DEVICE_TOKEN.match(token) else None


def set_device_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    """Remember this browser: its owner is not slowed down by strangers guessing passwords."""
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_DAYS * 24 * 3600,
        path="/console/",
        httponly=True,
        samesite="Lax",
        secure=is_https(request) or None,
    )


class ConsoleCookieStorage(EncryptedCookieStorage):
    """EncryptedCookieStorage whose cookie is Secure exactly when the request is https."""

    def __init__(self, key: bytes, max_age: int) -> None:
        super().__init__(
            key,
            cookie_name=COOKIE,
            max_age=max_age,
            path="/console/",
            httponly=True,
            samesite="Lax",
        )

    async def save_session(
        self, request: web.Request, response: web.StreamResponse, session: Session
    ) -> None:
        # save_session below is synchronous up to save_cookie: no other request runs between.
        self._cookie_params["secure"] = is_https(request) or None
        await super().save_session(request, response, session)


async def csrf_token(request: web.Request) -> str:
    """The session's CSRF token, created on first use; put it in every form as `_csrf`."""
    session = await get_session(request)
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every non-GET request must carry the session's token (form field or header)."""
    if request.method not in SAFE_METHODS:
        session = await get_session(request)
        expected = session.get("csrf")
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            value = (await request.post()).get(CSRF_FIELD, "")
            sent = value if isinstance(value, str) else ""
        if not (
            isinstance(expected, str)
            and sent
            and secrets.compare_digest(expected.encode(), sent.encode())
        ):
            raise CsrfRejected()
    return await handler(request)
