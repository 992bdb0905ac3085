from __future__ import annotations

import re

import pytest

from bot.settings import REPO_ROOT, SETTINGS, Settings, SettingsError


def test_defaults_run_on_sqlite_with_web_chat() -> None:
    s = Settings.from_env({})
    assert s.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert s.resolved_database_url.endswith("data/loaxa.db")
    assert s.web_chat_enabled
    assert s.port == 8080


def test_malformed_settings_stop_with_one_message_naming_each() -> None:
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"PORT": "eighty", "TELEGRAM_MODE": "carrier-pigeon"})
    text = str(err.value)
    assert "PORT='eighty'" in text and "TELEGRAM_MODE" in text


def test_secret_values_are_never_echoed() -> None:
    with pytest.raises(SettingsError) as err:
        Settings.from_env(
            {"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_MODE": "webhook", "PUBLIC_URL": "http://x"}
        )
    assert "123:abc" not in str(err.value)
    assert "TELEGRAM_WEBHOOK_SECRET" in str(err.value) and "PUBLIC_URL" in str(err.value)
    assert "123:abc" not in repr(Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:abc"}))


def test_web_chat_turns_off_when_a_token_is_set() -> None:
    assert not Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}).web_chat_enabled
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "WEB_CHAT": "on"}).web_chat_enabled


def test_every_setting_is_documented_in_env_example_and_readme() -> None:
    env_example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for spec in SETTINGS:
        assert re.search(rf"^{spec.name}=", env_example, re.M), f"{spec.name} not in .env.example"
        assert f"`{spec.name}`" in readme, f"{spec.name} not in the README table"
