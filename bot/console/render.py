"""Templates (Jinja2, autoescaped), the navigation, `render`, and the error-page middleware."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot import formatting
from bot.console.accounts import Account
from bot.console.auth import USER, load_user
from bot.console.keys import console_app_key
from bot.console.security import CsrfRejected, Handler, csrf_token
from bot.core.actors import RANK, Role
from bot.keys import services_key, settings_key

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class NavItem:
    route: str  # route name in the console sub-app
    label: str
    role: Role  # the lowest role that sees it


# The menu, in order. A new page adds (or takes over) one line here.
NAV: list[NavItem] = [
    NavItem("home", "Trang chủ", "volunteer"),
    NavItem("pakn", "Phản ánh", "staff"),
    NavItem("questions", "Câu hỏi chờ trả lời", "staff"),
    NavItem("faq", "Câu hỏi chưa trả lời", "staff"),
    NavItem("campaigns", "Chiến dịch", "volunteer"),
    NavItem("stats", "Thống kê", "volunteer"),
    NavItem("reports", "Báo cáo", "staff"),
    NavItem("audit", "Nhật ký", "staff"),
    NavItem("users", "Tài khoản", "admin"),
    NavItem("areas", "Ấp/khu phố", "admin"),
    NavItem("categories", "Lĩnh vực", "admin"),
]


def make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return formatting.install(env)


_ENV = make_env()


def nav_for(user: Account | None) -> list[NavItem]:
    if user is None:
        return []
    return [item for item in NAV if RANK[user.role] >= RANK[item.role]]


def url(request: web.Request, name: str, **parts: str) -> str:
    return str(request.config_dict[console_app_key].router[name].url_for(**parts))


async def render(
    request: web.Request, template: str, *, status: int = 200, **ctx: Any
) -> web.Response:
    """Render a template with what every page needs: user, csrf_token, nav, url(), units."""
    user = request.get(USER)
    services = request.config_dict[services_key]
    badges = await _badges(request, user)
    html = _ENV.get_template(template).render(
        badges=badges,
        poll_seconds=request.config_dict[settings_key].console_poll_seconds,
        user=user,
        csrf_token=await csrf_token(request),
        nav=nav_for(user),
        current_path=request.path,
        url=lambda name, **parts: url(request, name, **parts),
        unit_names={key: unit.short_name for key, unit in services.units.items()},
        tz=request.config_dict[settings_key].timezone,
        **ctx,
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


async def _badges(request: web.Request, user: Account | None) -> dict[str, int]:
    """The menu's counts of what waits (bot/console/waiting.py); none if they cannot be read."""
    if user is None:
        return {}
    from bot.console import waiting
    from bot.keys import sessionmaker_key

    services = request.config_dict[services_key]
    units = [key for key in sorted(services.units) if user.actor.can_see(key)]
    try:
        async with request.config_dict[sessionmaker_key]() as sess:
            counts = await waiting.count(
                sess, services, user.role, user.username, units, services.clock()
            )
    except Exception:  # a broken database must not hide the page (or its error page)
        log.warning("console: could not count what waits", exc_info=True)
        return {}
    return counts.badges()


ERRORS = {
    403: ("Không có quyền", "Tài khoản của bạn không được dùng trang này."),
    404: ("Không tìm thấy", "Trang này không có, hoặc bạn không có quyền xem."),
    405: ("Không hợp lệ", "Thao tác này không được hỗ trợ."),
    500: ("Có lỗi", "Hệ thống gặp lỗi. Vui lòng thử lại sau ít phút."),
}
CSRF_MESSAGE = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại."


async def error_page(request: web.Request, status: int, message: str = "") -> web.Response:
    title, default = ERRORS.get(status, ERRORS[500] if status >= 500 else ERRORS[404])
    try:
        await load_user(request)  # the nav is shown when the session is valid
    except Exception:  # a broken database must not hide the error page
        log.warning("console: could not load the user for an error page", exc_info=True)
    return await render(
        request, "error.html", status=status, title=title, message=message or default
    )


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """403/404/405/5xx as Vietnamese pages; security headers on every console response."""
    try:
        response = await handler(request)
    except CsrfRejected:
        response = await error_page(request, 403, CSRF_MESSAGE)
    except web.HTTPException as exc:
        if exc.status not in ERRORS and exc.status < 500:
            exc.headers.update(SECURITY_HEADERS)
            raise
        response = await error_page(request, exc.status)
    except Exception:
        log.exception("console: unhandled error on %s %s", request.method, request.path)
        response = await error_page(request, 500)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
