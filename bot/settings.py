"""Settings from the environment (declared in settings_spec.py). Secrets come only from there.

`.env.example` and the README table are checked against `SETTINGS` by a test.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bot.settings_spec import REPO_ROOT, SETTINGS, SettingsError, Spec

__all__ = ["REPO_ROOT", "SETTINGS", "Settings", "SettingsError", "Spec", "setting_names"]


_SPEC_BY_NAME = {spec.name: spec for spec in SETTINGS}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""
    content_dir: Path = REPO_ROOT / "content"
    default_unit: str = ""
    web_chat: str = "auto"
    web_chat_kiosk: bool = False
    kiosk_idle_seconds: int = 120
    zalo_oa_id: str = ""
    telegram_bot_username: str = ""
    telegram_bot_token: str = field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_mode: str = "polling"
    telegram_webhook_secret: str = field(default="", repr=False)
    telegram_staff_chat_id: str = ""
    zalo_app_id: str = ""
    zalo_oa_secret_key: str = field(default="", repr=False)
    zalo_app_secret_key: str = field(default="", repr=False)
    zalo_access_token: str = field(default="", repr=False)
    zalo_refresh_token: str = field(default="", repr=False)
    zalo_api_url: str = "https://openapi.zalo.me"
    zalo_oauth_url: str = "https://oauth.zaloapp.com"
    zalo_cs_window_days: float = 7.0
    zalo_quota_retry_minutes: float = 360.0
    zalo_human_pause_minutes: float = 30.0
    zalo_webhook_max_age_seconds: float = 10800.0
    zalo_bot_token: str = field(default="", repr=False)
    zalo_bot_api_url: str = "https://bot-api.zaloplatforms.com/bot"
    zalo_bot_webhook_secret: str = field(default="", repr=False)
    zalo_bot_mode: str = "polling"
    console_secret: str = field(default="", repr=False)
    console_session_hours: float = 12.0
    question_answer_days: int = 2
    console_poll_seconds: int = 60
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_tls: str = "starttls"
    smtp_from: str = ""
    digest_hour: int = 7
    trust_proxy: bool = False
    trusted_proxies: str = ""
    plan_import_seconds: float = 60.0
    plan_import_memory_mb: int = 1024
    timezone: str = "Asia/Ho_Chi_Minh"
    metrics_token: str = field(default="", repr=False)
    log_level: str = "info"
    log_format: str = "text"
    send_retry_max_seconds: float = 300.0
    pipeline_concurrency: int = 16
    run_workers: bool = True
    campaign_telegram_rate: float = 30.0
    campaign_per_chat_interval: float = 1.0
    campaign_zalo_rate: float = 10.0
    campaign_concurrency: int = 8
    campaign_quiet_hours: str = "22:00-06:00"
    campaign_resend_inflight: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems: list[str] = []
        for spec in SETTINGS:
            raw = env.get(spec.name)
            if raw is None or raw == "":
                value = spec.default
            else:
                try:
                    value = spec.parse(raw)
                except ValueError as exc:
                    shown = "(hidden)" if spec.secret else repr(raw)
                    problems.append(f"{spec.name}={shown}: {exc}. {spec.help}")
                    continue
            values[spec.name.lower()] = value
        if problems:
            raise SettingsError("Invalid settings:\n  " + "\n  ".join(problems))
        values.update(overrides)
        values["data_dir"] = Path(values["data_dir"])
        values["content_dir"] = Path(values["content_dir"])
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """Cross-field rules; raise one SettingsError naming the settings involved."""
        problems: list[str] = []
        if self.telegram_bot_token and self.telegram_mode == "webhook":
            if not self.telegram_webhook_secret:
                problems.append(
                    "TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET (any long random string)."
                )
            if not self.public_url.startswith("https://"):
                problems.append("TELEGRAM_MODE=webhook needs PUBLIC_URL=https://your.domain.")
        if self.telegram_webhook_secret and len(self.telegram_webhook_secret) < 16:
            problems.append("TELEGRAM_WEBHOOK_SECRET must be at least 16 characters.")
        if self.zalo_bot_token and self.zalo_bot_mode == "webhook":
            if not 8 <= len(self.zalo_bot_webhook_secret) <= 256:
                problems.append(
                    "ZALO_BOT_MODE=webhook needs ZALO_BOT_WEBHOOK_SECRET (8-256 chars)"
                )
            if not self.public_url.startswith("https://"):
                problems.append("ZALO_BOT_MODE=webhook needs PUBLIC_URL=https://your.domain.")
        if problems:
            raise SettingsError("Invalid settings:\n  " + "\n  ".join(problems))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'loaxa.db').resolve()}"

    @property
    def web_chat_enabled(self) -> bool:
        if self.web_chat == "auto":
            return not (self.telegram_bot_token or self.zalo_app_id or self.zalo_bot_token)
        return self.web_chat == "on"


def setting_names() -> list[str]:
    return [spec.name for spec in SETTINGS]


def _check_fields_match() -> None:
    # Guard against a setting declared in SETTINGS but not on the dataclass (or the reverse).
    declared = {spec.name.lower() for spec in SETTINGS}
    attrs = {f.name for f in fields(Settings)}
    if declared != attrs:
        raise RuntimeError(f"SETTINGS and Settings differ: {sorted(declared ^ attrs)}")


_check_fields_match()
