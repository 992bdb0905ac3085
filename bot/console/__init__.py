"""The staff console: a sub-app at /console/ with its own sessions, CSRF check and error pages.

`setup(app)` mounts it (called from bot.app.build_app). How to add a page: docs/console.md.
"""

from __future__ import annotations

import logging
import sys

from aiohttp import web
from aiohttp_session import session_middleware

from bot.console import (
    accounts,
    setup_link,
    views_areas,
    views_categories,
    views_freshness,
    views_questions,
    views_units_new,
    views_waiting,
)
from bot.console.keys import console_app_key
from bot.console.passwords import PasswordChecks, password_checks_key
from bot.console.render import STATIC, errors_middleware
from bot.console.security import ConsoleCookieStorage, csrf_middleware, session_key
from bot.console.views_audit import audit_page
from bot.console.views_auth import login_page, login_submit, logout, setup_page, setup_submit
from bot.console.views_campaigns import add_routes as add_campaign_routes
from bot.console.views_dashboard import stats_page
from bot.console.views_faq import add_routes as add_faq_routes
from bot.console.views_media import add_routes as add_media_routes
from bot.console.views_pages import (
    account_email,
    account_page,
    account_password,
    home,
    placeholder,
    poster_page,
)
from bot.console.views_pakn import detail as pakn_detail
from bot.console.views_pakn import queue as pakn_queue
from bot.console.views_pakn_actions import assign as pakn_assign
from bot.console.views_pakn_actions import category as pakn_category
from bot.console.views_pakn_actions import note as pakn_note
from bot.console.views_pakn_actions import reply as pakn_reply
from bot.console.views_pakn_actions import transition as pakn_transition
from bot.console.views_plan_import import plan_page, plan_upload
from bot.console.views_reach import add_routes as add_reach_routes
from bot.console.views_reports import export as reports_export
from bot.console.views_reports import reports_page
from bot.console.views_users import user_page, user_update, users_add, users_page
from bot.keys import services_key, sessionmaker_key, settings_key
from bot.settings import Settings

log = logging.getLogger(__name__)
PREFIX = "/console/"

# Pages other engineers will build: (route name, path, lowest role, title). Replace a line by
# registering your own handler under the same route name (the menu links by name).
PLACEHOLDERS: list[tuple[str, str, str, str]] = []


def build_console(settings: Settings) -> web.Application:
    storage = ConsoleCookieStorage(
        session_key(settings.console_secret), max_age=int(settings.console_session_hours * 3600)
    )
    # Order: the session is loaded first, so error pages can show the menu; CSRF innermost.
    console = web.Application(
        middlewares=[session_middleware(storage), errors_middleware, csrf_middleware]
    )
    console[password_checks_key] = PasswordChecks()
    r = console.router
    r.add_get("/", home, name="home")
    r.add_get("/login", login_page, name="login")
    r.add_post("/login", login_submit, name="login_submit")
    r.add_post("/logout", logout, name="logout")
    r.add_get("/setup/{token}", setup_page, name="setup")
    r.add_post("/setup/{token}", setup_submit, name="setup_submit")
    r.add_get("/account", account_page, name="account")
    r.add_post("/account", account_password, name="account_password")
    r.add_post("/account/email", account_email, name="account_email")
    r.add_get("/users/", users_page, name="users")
    r.add_post("/users/", users_add, name="users_add")
    views_units_new.add_routes(r)  # /units/new: a unit drafted from its plan (admins)
    r.add_get("/users/{user_id}/", user_page, name="user")
    r.add_post("/users/{user_id}/", user_update, name="user_update")
    r.add_get("/audit/", audit_page, name="audit")
    r.add_get(r"/poster/{unit:[a-z0-9]+(?:-[a-z0-9]+)*}", poster_page, name="poster_notes")
    add_faq_routes(r)  # /faq/…: unanswered questions, entries, versions, export
    views_freshness.add_routes(r)  # /faq/freshness: stale entries, ending facts, dead links
    views_freshness.setup(console)
    r.add_get("/stats/", stats_page, name="stats")
    r.add_get("/pakn/", pakn_queue, name="pakn")
    r.add_get(r"/pakn/{pakn_id:\d{1,18}}", pakn_detail, name="pakn_detail")
    r.add_post(r"/pakn/{pakn_id:\d{1,18}}/reply", pakn_reply, name="pakn_reply")
    r.add_post(r"/pakn/{pakn_id:\d{1,18}}/state", pakn_transition, name="pakn_transition")
    r.add_post(r"/pakn/{pakn_id:\d{1,18}}/note", pakn_note, name="pakn_note")
    r.add_post(r"/pakn/{pakn_id:\d{1,18}}/assign", pakn_assign, name="pakn_assign")
    add_media_routes(r)
    views_questions.add_routes(r)  # /questions/…: the inbox of questions handed to staff
    views_waiting.add_routes(r)  # /waiting.json (badges, notifications), /notices/read
    r.add_post(r"/pakn/{pakn_id:\d{1,18}}/category", pakn_category, name="pakn_category")
    views_areas.add_routes(r)  # /areas/…: a unit admin's ấp/khu phố list
    views_categories.add_routes(r)  # /categories/…: the PAKN categories the form offers
    r.add_get("/reports/", reports_page, name="reports")
    r.add_get("/reports/export", reports_export, name="reports_export")
    add_campaign_routes(r)  # /campaigns/…: list, drafts, actions, progress.json
    add_reach_routes(r)  # /campaigns/reach, /campaigns/{id}/reach: funnels and exports
    r.add_get("/campaigns/plan", plan_page, name="plan_import")
    r.add_post("/campaigns/plan", plan_upload, name="plan_import_submit")
    for name, path, role, title in PLACEHOLDERS:
        r.add_get(path, placeholder(role, title), name=name)  # type: ignore[arg-type]
    r.add_static("/static/", STATIC, name="static")
    return console


def setup(app: web.Application) -> web.Application:
    """Mount the console on `app` at /console/ and print the setup link on a fresh install."""
    console = build_console(app[settings_key])
    app.add_subapp(PREFIX, console)
    app[console_app_key] = console
    app.on_startup.append(_first_start)
    return console


def base_url(settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host  # noqa: S104
    return f"http://{host}:{settings.port}"


async def _first_start(app: web.Application) -> None:
    """No account yet: issue a one-time link (1 hour) that creates the first admin."""
    when = app[services_key].clock()
    async with app[sessionmaker_key].begin() as sess:
        if await accounts.count_users(sess):
            return
        token = await setup_link.issue(sess, when)
    link = f"{base_url(app[settings_key])}{PREFIX}setup/{token}"
    if not sys.stdout.isatty():  # a log collector: say where the link went (never the link)
        log.info("console: no account yet; a one-time setup link was printed to stdout")
    sys.stdout.write(
        "\nNo console account yet. Create the first admin within 1 hour at:\n"
        f"  {link}\n(or: loaxa user add NAME --role admin)\n\n"
    )
    sys.stdout.flush()


__all__ = ["build_console", "setup"]
