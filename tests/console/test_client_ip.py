"""The client address behind a reverse proxy: the rightmost X-Forwarded-For hop that is not a
trusted proxy, and only for requests that came through the proxy (issue #15, item 1)."""

from __future__ import annotations

from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from multidict import CIMultiDict

from bot.console.security import client_ip
from bot.keys import settings_key
from bot.settings import Settings, SettingsError


def _ip(peer: str, forwarded: list[str], **settings: object) -> str:
    app = web.Application()
    app[settings_key] = Settings(**settings)  # type: ignore[arg-type]
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (peer, 40000) if name == "peername" else default
    )
    headers = CIMultiDict(("X-Forwarded-For", value) for value in forwarded)
    request = make_mocked_request("POST", "/console/login", headers=headers, app=app,
                                  transport=transport)  # fmt: skip
    return client_ip(request)


def test_without_trust_proxy_the_header_is_ignored() -> None:
    assert _ip("127.0.0.1", ["198.51.100.7"]) == "127.0.0.1"


def test_the_hop_our_proxy_appended_counts_not_what_the_client_wrote() -> None:
    # nginx $proxy_add_x_forwarded_for: "<what the client sent>, <the client's address>"
    assert _ip("127.0.0.1", ["1.2.3.4, 203.0.113.9"], trust_proxy=True) == "203.0.113.9"
    assert _ip("10.0.0.2", ["1.2.3.4", "203.0.113.9"], trust_proxy=True) == "203.0.113.9"
    assert _ip("127.0.0.1", [], trust_proxy=True) == "127.0.0.1"
    assert _ip("::ffff:127.0.0.1", ["203.0.113.9"], trust_proxy=True) == "203.0.113.9"


def test_a_direct_request_from_the_internet_cannot_choose_its_address() -> None:
    assert _ip("198.51.100.50", ["203.0.113.9"], trust_proxy=True) == "198.51.100.50"


def test_trusted_proxies_are_skipped_from_the_right() -> None:
    chain = ["1.2.3.4, 203.0.113.9, 192.0.2.10"]  # client, CDN edge 192.0.2.10, our proxy
    assert _ip("127.0.0.1", chain, trust_proxy=True) == "192.0.2.10"
    assert (
        _ip("127.0.0.1", chain, trust_proxy=True, trusted_proxies="192.0.2.0/24") == "203.0.113.9"
    )
    # a proxy on a public address forwards to us only when it is listed
    assert _ip("192.0.2.10", ["203.0.113.9"], trust_proxy=True) == "192.0.2.10"
    listed = _ip("192.0.2.10", ["203.0.113.9"], trust_proxy=True, trusted_proxies="192.0.2.10")
    assert listed == "203.0.113.9"


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        Settings.from_env({"TRUSTED_PROXIES": "10.0.0.0/8, proxy.example"})
    assert Settings.from_env({"TRUSTED_PROXIES": " 10.0.0.0/8 ,::1"}).trusted_proxies == (
        "10.0.0.0/8,::1"
    )
