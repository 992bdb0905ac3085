"""Console fixtures: an app with a settable clock per test, and a client for it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from bot.app import build_app
from bot.core.services import Services
from bot.settings import Settings
from tests.console.helpers import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def console_services(services_cached: Services, settings: Settings, clock: Clock) -> Services:
    # A copy: the cached Services is shared by the whole session, the clock is per test.
    return dataclasses.replace(services_cached, settings=settings, clock=clock)


@pytest.fixture
def make_client(
    aiohttp_client: Any, settings: Settings, console_services: Services
) -> Callable[..., Any]:
    async def make(**overrides: Any) -> Any:
        s = dataclasses.replace(settings, **overrides) if overrides else settings
        console_services.settings = s
        app = build_app(s, services=console_services, environ={})
        return await aiohttp_client(app)

    return make


@pytest.fixture
async def client(make_client: Callable[..., Any]) -> Any:
    return await make_client()
