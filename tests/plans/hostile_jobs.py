"""Plan readers that misbehave, run by tests in the limited child process (bot.isolate).

They take the arguments of bot.campaigns.calendar.read_plan_calendar (the plan's path first).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bot.plans import PlanImportError


def wait_for_go(path: Path, *_: Any) -> Any:
    """The uploaded file names a flag file: say we started, then wait until the flag exists."""
    flag = Path(path.read_text().strip())
    flag.with_suffix(".started").touch()
    for _ in range(6000):
        if flag.exists():
            break
        time.sleep(0.01)
    raise PlanImportError("Tệp trống.")


def spin_forever(*_: Any) -> Any:
    while True:
        pass


def fill_the_memory(*_: Any) -> Any:
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))


def environment(*_: Any) -> dict[str, str]:
    return dict(os.environ)


def refuse(*_: Any) -> Any:
    raise PlanImportError("Tệp trống.")


def fail_an_allocation_oddly(*_: Any) -> Any:
    """What CPython sometimes raises when an import hits RLIMIT_AS."""
    raise SystemError("error return without exception set")
