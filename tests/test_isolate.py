"""bot.isolate: a function run in a child process, with its limits and its exceptions."""

from __future__ import annotations

import pytest

from bot.isolate import LimitExceeded, run_limited
from bot.plans import PlanImportError
from tests.plans import hostile_jobs


def test_the_child_has_no_secrets_and_its_exceptions_come_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:secret-token")
    env = run_limited(hostile_jobs.environment, (), seconds=60, memory_mb=256)
    assert "TELEGRAM_BOT_TOKEN" not in env and "secret-token" not in str(env)
    with pytest.raises(PlanImportError, match="Tệp trống"):
        run_limited(hostile_jobs.refuse, (), seconds=60, memory_mb=256)


def test_time_and_memory_limits_stop_the_child() -> None:
    with pytest.raises(LimitExceeded) as slow:
        run_limited(hostile_jobs.spin_forever, (), seconds=1, memory_mb=256)
    assert slow.value.kind == "time"
    with pytest.raises(LimitExceeded) as big:
        run_limited(hostile_jobs.fill_the_memory, (), seconds=60, memory_mb=128)
    assert big.value.kind == "memory"


def test_a_failed_allocation_reported_as_system_error_counts_as_memory() -> None:
    with pytest.raises(LimitExceeded) as odd:
        run_limited(hostile_jobs.fail_an_allocation_oddly, (), seconds=60, memory_mb=256)
    assert odd.value.kind == "memory"
