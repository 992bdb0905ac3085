"""The declaration of every setting: name, parser, default, help, and whether it is a secret.

`bot/settings.py` builds `Settings` from these; `.env.example` and the README table are
checked against `SETTINGS` by a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(Exception):
    """A missing or malformed setting; the message says which and what to do."""


@dataclass(frozen=True)
class Spec:
    name: str
    parse: Callable[[str], Any]
    default: Any
    help: str
    secret: bool = False


def _bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true/false")


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 65535:
        raise ValueError("expected a port number 0-65535")
    return value


def _choice(*options: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError(f"expected one of: {', '.join(options)}")
        return value

    return parse


def _positive_float(raw: str) -> float:
    value = float(raw)
    if value <= 0:
        raise ValueError("expected a positive number")
    return value


def _hour(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 23:
        raise ValueError("expected an hour 0-23")
    return value


def _str(raw: str) -> str:
    return raw.strip()


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a positive whole number")
    return value


def _networks(raw: str) -> str:
    import ipaddress

    for part in raw.split(","):
        if part.strip():
            try:
                ipaddress.ip_network(part.strip(), strict=False)
            except ValueError:
                raise ValueError(f"{part.strip()!r}: expected an address or network") from None
    return ",".join(part.strip() for part in raw.split(",") if part.strip())


def _quiet_hours(raw: str) -> str:
    from bot.campaigns.topics import parse_quiet_hours

    parse_quiet_hours(raw)  # raises ValueError with what is expected
    return raw.strip()


SETTINGS: tuple[Spec, ...] = (
    Spec("DATA_DIR", _str, "data", "Directory for the SQLite file, uploads and backups."),
    Spec(
        "DATABASE_URL",
        _str,
        "",
        "SQLAlchemy URL. Empty: SQLite file DATA_DIR/loaxa.db. PostgreSQL: "
        "postgresql+asyncpg://user@host/db.",
        secret=True,
    ),
    Spec("HOST", _str, "127.0.0.1", "Address the HTTP server listens on."),
    Spec("PORT", _port, 8080, "HTTP port (also `loaxa run --port`)."),
    Spec(
        "PUBLIC_URL",
        _str,
        "",
        "External https URL of this server (for webhooks and links); empty for local use.",
    ),
    Spec("CONTENT_DIR", _str, str(REPO_ROOT / "content"), "Directory with units, FAQ, templates."),
    Spec(
        "DEFAULT_UNIT",
        _str,
        "",
        "Unit used when only one is meant (empty: the first); /chat/ opens its chat, else "
        "lists the units.",
    ),
    Spec(
        "WEB_CHAT",
        _choice("auto", "on", "off"),
        "auto",
        "Local web chat at /chat/: auto = on when no channel token is set.",
    ),
    Spec(
        "WEB_CHAT_KIOSK",
        _bool,
        False,
        "Every /chat/ page in kiosk mode (large text, resets after inactivity); else only "
        "/chat/?kiosk=1.",
    ),
    Spec(
        "KIOSK_IDLE_SECONDS",
        _positive_int,
        120,
        "Kiosk: seconds without a touch before the screen is cleared and a new session starts.",
    ),
    Spec(
        "ZALO_OA_ID",
        _str,
        "",
        "Zalo Official Account id of the default unit, for the poster's https://zalo.me/<id> QR.",
    ),
    Spec(
        "TELEGRAM_BOT_USERNAME",
        _str,
        "",
        "Telegram bot username of the default unit (without @) for the poster's t.me QR; "
        "empty: asked from Telegram (getMe) when the bot runs.",
    ),
    Spec("TELEGRAM_BOT_TOKEN", _str, "", "Telegram bot token of the default unit.", secret=True),
    Spec(
        "TELEGRAM_API_URL",
        _str,
        "https://api.telegram.org/bot",
        "Bot API base URL in python-telegram-bot's base_url form.",
    ),
    Spec(
        "TELEGRAM_MODE",
        _choice("webhook", "polling"),
        "polling",
        "webhook (needs PUBLIC_URL) or polling (local use).",
    ),
    Spec(
        "TELEGRAM_WEBHOOK_SECRET",
        _str,
        "",
        "Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (required for webhook mode).",
        secret=True,
    ),
    Spec("ZALO_APP_ID", _str, "", "Zalo app id (developers.zalo.me) of the default unit's OA."),
    Spec(
        "ZALO_OA_SECRET_KEY",
        _str,
        "",
        "OA secret key of the app (signs webhook calls: X-ZEvent-Signature).",
        secret=True,
    ),
    Spec(
        "ZALO_APP_SECRET_KEY",
        _str,
        "",
        "App secret key (the secret_key header of the token refresh).",
        secret=True,
    ),
    Spec(
        "ZALO_ACCESS_TOKEN",
        _str,
        "",
        "Initial OA access token; only seeds the database (tokens are refreshed there).",
        secret=True,
    ),
    Spec(
        "ZALO_REFRESH_TOKEN",
        _str,
        "",
        "Initial OA refresh token (single use); only seeds the database.",
        secret=True,
    ),
    Spec("ZALO_API_URL", _str, "https://openapi.zalo.me", "Zalo OA Open API base URL."),
    Spec("ZALO_OAUTH_URL", _str, "https://oauth.zaloapp.com", "Zalo OAuth base URL (tokens)."),
    Spec(
        "ZALO_CS_WINDOW_DAYS",
        _positive_float,
        7.0,
        "Days after a citizen's last message in which the OA may send consultation replies.",
    ),
    Spec(
        "ZALO_QUOTA_RETRY_MINUTES",
        _positive_float,
        360.0,
        "Minutes a Zalo OA reply refused for quota (-211 OA out of quota, -218 citizen out of "
        "quota receive) is held before the next try; staff are alerted once.",
    ),
    Spec(
        "ZALO_HUMAN_PAUSE_MINUTES",
        _positive_float,
        30.0,
        "Minutes the bot stays silent for a citizen after staff answered them in the Zalo OA "
        "chat (their messages are still logged; emergencies still get the 113/114/115 reply).",
    ),
    Spec(
        "ZALO_WEBHOOK_MAX_AGE_SECONDS",
        _positive_float,
        10800.0,
        "Oldest accepted webhook timestamp (replay guard; Zalo's last retry comes about 2 h"
        " 20 min after the first attempt).",
    ),
    Spec("ZALO_BOT_TOKEN", _str, "", "Zalo Bot Platform token of the default unit.", secret=True),
    Spec(
        "ZALO_BOT_API_URL",
        _str,
        "https://bot-api.zaloplatforms.com/bot",
        "Zalo Bot API base URL; the token and /method are appended.",
    ),
    Spec(
        "ZALO_BOT_WEBHOOK_SECRET",
        _str,
        "",
        "Secret Zalo Bot sends in X-Bot-Api-Secret-Token (8-256 characters).",
        secret=True,
    ),
    Spec(
        "ZALO_BOT_MODE",
        _choice("webhook", "polling"),
        "polling",
        "webhook (needs PUBLIC_URL) or polling (getUpdates, local use).",
    ),
    Spec(
        "TELEGRAM_STAFF_CHAT_ID",
        _str,
        "",
        "Chat id of the default unit's staff group (e.g. -1001234567890): new PAKN are posted "
        "there; staff take, forward, reject or answer them by replying.",
    ),
    Spec(
        "CONSOLE_SECRET",
        _str,
        "",
        "Key for signing console sessions; empty: a random key per start (sessions end on "
        "restart).",
        secret=True,
    ),
    Spec(
        "CONSOLE_SESSION_HOURS",
        _positive_float,
        12.0,
        "Hours a console sign-in lasts; then staff sign in again.",
    ),
    Spec(
        "QUESTION_ANSWER_DAYS",
        _positive_int,
        2,
        "Working days staff have to answer a question a citizen handed to them (console inbox).",
    ),
    Spec(
        "CONSOLE_POLL_SECONDS",
        _positive_int,
        60,
        "Seconds between two checks of the console's waiting counts (badges, notifications).",
    ),
    Spec("SMTP_HOST", _str, "", "SMTP server for the daily digest; empty: no e-mail is sent."),
    Spec("SMTP_PORT", _port, 587, "SMTP port (587 STARTTLS, 465 TLS, 25 plain)."),
    Spec("SMTP_USER", _str, "", "SMTP user name; empty: no login."),
    Spec("SMTP_PASSWORD", _str, "", "SMTP password.", secret=True),
    Spec("SMTP_TLS", _choice("starttls", "tls", "off"), "starttls", "starttls, tls or off."),
    Spec("SMTP_FROM", _str, "", "Sender address of the console's e-mails (e.g. loaxa@xa.gov.vn)."),
    Spec(
        "DIGEST_HOUR",
        _hour,
        7,
        "Local hour (0-23) of the daily e-mail digest of what waits for staff.",
    ),
    Spec(
        "TRUST_PROXY",
        _bool,
        False,
        "Behind a TLS proxy: trust its X-Forwarded-Proto and X-Forwarded-For headers (secure "
        "cookies, client address for sign-in throttling). Off when the bot faces the internet.",
    ),
    Spec(
        "TRUSTED_PROXIES",
        _networks,
        "",
        "With TRUST_PROXY: addresses or networks (comma-separated) of proxies in front of the "
        "bot that are not on loopback or a private network, or that forward to another proxy "
        "(e.g. a CDN); empty: one proxy on this machine or the private network.",
    ),
    Spec(
        "PLAN_IMPORT_SECONDS",
        _positive_float,
        60.0,
        "Longest time reading one uploaded plan may take (a separate process, stopped after).",
    ),
    Spec(
        "PLAN_IMPORT_MEMORY_MB",
        _positive_int,
        1024,
        "Most memory (address space) reading one uploaded plan may use.",
    ),
    Spec("TIMEZONE", _str, "Asia/Ho_Chi_Minh", "Local time zone of the units."),
    Spec(
        "METRICS_TOKEN",
        _str,
        "",
        "Bearer token Prometheus sends to read /metrics; empty: /metrics answers only direct "
        "requests from this machine (loopback, not through a proxy).",
        secret=True,
    ),
    Spec("LOG_LEVEL", _choice("debug", "info", "warning", "error"), "info", "Log verbosity."),
    Spec("LOG_FORMAT", _choice("text", "json"), "text", "text for people, json for collectors."),
    Spec(
        "RUN_WORKERS",
        _bool,
        True,
        "Run background workers (replies, broadcasts, deadlines) in this process. Web-only "
        "processes of a larger deployment set false and run `loaxa worker` separately.",
    ),
    Spec(
        "SEND_RETRY_MAX_SECONDS",
        _positive_float,
        300.0,
        "Longest pause between retries of an undelivered reply.",
    ),
    Spec(
        "PIPELINE_CONCURRENCY",
        _positive_int,
        16,
        "How many conversations one process handles at the same time.",
    ),
    Spec(
        "CAMPAIGN_TELEGRAM_RATE",
        _positive_float,
        30.0,
        "Broadcast messages per second per Telegram bot (Telegram allows about 30).",
    ),
    Spec(
        "CAMPAIGN_PER_CHAT_INTERVAL",
        _positive_float,
        1.0,
        "Seconds between two broadcast messages to the same chat (Telegram: about 1).",
    ),
    Spec(
        "CAMPAIGN_ZALO_RATE",
        _positive_float,
        10.0,
        "Broadcast messages per second per Zalo OA or Zalo bot.",
    ),
    Spec(
        "CAMPAIGN_CONCURRENCY",
        _positive_int,
        8,
        "Broadcast API calls in flight at once per channel (the rate above still applies).",
    ),
    Spec(
        "CAMPAIGN_QUIET_HOURS",
        _quiet_hours,
        "22:00-06:00",
        "Local hours without broadcasts (HH:MM-HH:MM, or off); content/subscriptions.yaml "
        "may set other hours per unit. Emergency broadcasts ignore them.",
    ),
    Spec(
        "CAMPAIGN_RESEND_INFLIGHT",
        _bool,
        True,
        "After a crash, resend the broadcast messages that were in flight (true: nobody "
        "misses one, a few may get it twice; false: nobody gets one twice, a few may miss it).",
    ),
)
