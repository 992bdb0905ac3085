"""AppKeys of the console (the sub-app is reachable from every console request)."""

from __future__ import annotations

from aiohttp import web

console_app_key = web.AppKey("console_app", web.Application)
