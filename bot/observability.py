"""Logs without personal data, and Prometheus metrics at /metrics.

Counters live in a registry per application (tests build many apps in one process); gauges that
describe the database (queue depths, PAKN by state) are read at scrape time, so they are right
whichever process serves the scrape.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)
from sqlalchemy import func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import FaqQuery, InboxItem, Message

if TYPE_CHECKING:
    from bot.settings import Settings

# Phone numbers and e-mail addresses are masked in every log line, whatever logged them.
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Bot tokens in API URLs (Telegram and the Zalo Bot Platform: .../bot<TOKEN>/method), and
# anything shaped like a Telegram token, even when it was not registered below.
_BOT_URL_TOKEN = re.compile(r"/bot[^/\s\"']{8,}(?=/)")
_TELEGRAM_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}")
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|_KEY$", re.IGNORECASE)
_MIN_SECRET = 6  # shorter values would mask ordinary words
_secrets: set[str] = set()
# Libraries whose chatty levels log what must not be logged: httpx/httpcore log every request
# URL at INFO (Telegram's contains the token); python-telegram-bot logs request parameters and
# answers (message texts) at DEBUG.
QUIET_LOGGERS = {
    "httpx": "WARNING",
    "httpcore": "WARNING",
    "telegram": "INFO",
    "aiosqlite": "INFO",  # every statement with its parameters at DEBUG
    "alembic": "WARNING",  # ~15 lines per start on a new database
}
# Requests a page repeats every few seconds (the web chat's poll, a campaign's progress): an
# access-log line each would drown the rest. Logged when they fail, or at DEBUG.
POLLS = re.compile(r"^/chat/api/(?:[a-z0-9-]+/)?messages$|^/console/campaigns/\d+/progress\.json$")
# Citizens opening a campaign's short link (bot/web/redirect.py): their address is not logged
# and neither is the token (it would tie a visit to a campaign and channel in the log).
SHORT_LINK = "/r/"


def register_secrets(values: Iterable[str]) -> None:
    """Mask these values (tokens, keys, passwords) in every log line from now on."""
    for value in values:
        value = (value or "").strip()
        if len(value) >= _MIN_SECRET:
            _secrets.add(value)


def secret_values(settings: Settings, environ: Mapping[str, str]) -> list[str]:
    """The secrets of a deployment: secret settings, and every environment variable named like a
    token, secret, key or password (per-unit credentials are read from such variables)."""
    from sqlalchemy.engine import make_url

    from bot.settings import SETTINGS

    values = [
        str(getattr(settings, spec.name.lower(), "") or "")
        for spec in SETTINGS
        if spec.secret and spec.name != "DATABASE_URL"
    ]
    if settings.database_url:
        try:
            values.append(make_url(settings.database_url).password or "")
        except Exception:  # a malformed URL fails elsewhere, loudly
            values.append(settings.database_url)
    values.extend(value for name, value in environ.items() if _SECRET_NAME.search(name))
    return values


def scrub(message: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in message:
            message = message.replace(secret, "<secret>")
    message = _TELEGRAM_TOKEN.sub("<secret>", _BOT_URL_TOKEN.sub("/bot<secret>", message))
    return _EMAIL.sub("<email>", _PHONE.sub("<phone>", message))


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        return True


class TextFormatter(logging.Formatter):
    """The plain format; tracebacks are scrubbed too (exception texts carry URLs and values)."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    FIELDS = ("unit", "channel", "kind", "outcome", "event")

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        for key in self.FIELDS:
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["exc"] = scrub(self.formatException(record.exc_info))
        if record.stack_info:
            data["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(data, ensure_ascii=False)


def configure_logging(level: str, fmt: str, masked: Iterable[str] = ()) -> None:
    """One handler on the root logger: scrubbed lines, chatty libraries capped (QUIET_LOGGERS).
    `masked`: secrets to mask besides those build_app registers."""
    register_secrets(masked)
    handler = logging.StreamHandler()
    handler.addFilter(ScrubFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name, floor in QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.getLevelName(floor), root.level))


def masked_address(remote: str | None) -> str:
    """A client address with its last part zeroed (IPv4 /24, IPv6 /48): enough to see that
    requests come from one network, not enough to name a citizen's connection."""
    try:
        ip = ipaddress.ip_address(remote or "")
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


class AccessLog(AbstractAccessLogger):
    """Access log lines without query strings (console searches carry citizens' names and
    phone numbers, `?q=…`) and with masked client addresses."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        poll = response.status < 400 and POLLS.match(request.path) is not None
        short = request.path.startswith(SHORT_LINK)
        self.logger.log(
            logging.DEBUG if poll else logging.INFO,
            '%s "%s %s" %s %s %.3fs',
            "-" if short else masked_address(request.remote),
            request.method,
            SHORT_LINK + "…" if short else request.path,
            response.status,
            response.body_length,
            time,
        )

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages_in = Counter(
            "loaxa_messages_in",
            "Inbound messages processed",
            ["unit", "channel", "kind"],
            registry=r,
        )
        self.messages_out = Counter(
            "loaxa_messages_out",
            "Outbound send attempts",
            ["unit", "channel", "outcome"],
            registry=r,
        )
        self.webhook_rejected = Counter(
            "loaxa_webhook_rejected", "Webhook calls rejected", ["channel", "reason"], registry=r
        )
        self.errors = Counter("loaxa_errors", "Errors by place", ["where"], registry=r)
        self.outbox_depth = Gauge(
            "loaxa_outbox_pending", "Replies waiting to be sent", ["channel"], registry=r
        )
        self.inbox_pending = Gauge(
            "loaxa_inbox_pending", "Stored updates not yet processed", registry=r
        )
        self.faq_decisions = Gauge(
            "loaxa_faq_decisions_24h", "FAQ decisions in the last 24 hours",
            ["unit", "decision"], registry=r,
        )  # fmt: skip
        self.pakn_by_state = Gauge(
            "loaxa_pakn", "PAKN records by state", ["unit", "state"], registry=r
        )
        self.pakn_overdue = Gauge(
            "loaxa_pakn_overdue", "Open PAKN past their due time", ["unit"], registry=r
        )

    async def refresh_db_gauges(
        self, sessionmaker: async_sessionmaker[AsyncSession], now: dt.datetime
    ) -> None:
        async with sessionmaker() as sess:
            self.outbox_depth.clear()
            rows = await sess.execute(
                select(Message.channel, func.count())
                .where(Message.direction == "out", Message.status == "pending")
                .group_by(Message.channel)
            )
            for channel, count in rows.all():
                self.outbox_depth.labels(channel).set(count)
            pending = await sess.execute(
                select(func.count()).select_from(InboxItem).where(InboxItem.processed_at.is_(None))
            )
            self.inbox_pending.set(pending.scalar_one())
            self.faq_decisions.clear()
            decisions = await sess.execute(
                select(FaqQuery.unit, FaqQuery.decision, func.count())
                .where(FaqQuery.created_at >= now - dt.timedelta(days=1))
                .group_by(FaqQuery.unit, FaqQuery.decision)
            )
            for unit, decision, count in decisions.all():
                self.faq_decisions.labels(unit, decision).set(count)
            await self._pakn_gauges(sess, now)

    async def _pakn_gauges(self, sess: AsyncSession, now: dt.datetime) -> None:
        conn = await sess.connection()
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        if "pakn" not in tables:
            return
        self.pakn_by_state.clear()
        rows = await sess.execute(
            text("SELECT unit, state, COUNT(*) FROM pakn GROUP BY unit, state")
        )
        for unit, state, count in rows.all():
            self.pakn_by_state.labels(unit, state).set(count)
        self.pakn_overdue.clear()
        overdue = await sess.execute(
            text(
                "SELECT unit, COUNT(*) FROM pakn WHERE due_at < :now "
                "AND state NOT IN ('answered', 'closed', 'rejected') GROUP BY unit"
            ),
            {"now": now},
        )
        for unit, count in overdue.all():
            self.pakn_overdue.labels(unit).set(count)

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))


metrics_key = web.AppKey("metrics", Metrics)
