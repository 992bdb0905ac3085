"""`loaxa run` with SQL and aiosqlite counters, for bench/hotpath_compare.py only.

Counts, in this process only (product code unchanged): statements sent to the driver
(SQLAlchemy `before_cursor_execute`), BEGIN / COMMIT / ROLLBACK (events and literal
statements), and calls of aiosqlite's `Connection._execute`: each is one hand-off to the
database thread and one wake-up of the event loop (a "thread hop"). On SIGUSR1 the counts are
written as JSON to the path in BENCH_COUNTERS.

Usage: python bench/_counted_run.py PORT|worker  (environment as for `loaxa run` / `worker`)
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTS: Counter[str] = Counter()
# BENCH_SQL_LOG=path: every statement's first 160 characters, to see what one update sends.
_SQL_LOG_PATH = os.environ.get("BENCH_SQL_LOG")
SQL_LOG = open(_SQL_LOG_PATH, "a", buffering=1) if _SQL_LOG_PATH else None  # noqa: SIM115


def install() -> None:
    import aiosqlite.core
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "before_cursor_execute")
    def _statement(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        COUNTS["statements"] += 1
        if SQL_LOG is not None:
            SQL_LOG.write(" ".join(statement.split())[:160] + "\n")
        head = statement.lstrip()[:8].upper()
        for word in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOIN", "RELEASE"):
            if head.startswith(word):
                COUNTS[f"stmt_{word.lower()}"] += 1

    for name in ("begin", "commit", "rollback"):
        event.listen(Engine, name, lambda *_a, _n=name: COUNTS.update([f"ev_{_n}"]))

    original = aiosqlite.core.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        COUNTS["hops"] += 1
        if os.environ.get("BENCH_HOP_NAMES"):
            COUNTS["hop:" + getattr(fn, "__name__", "?")] += 1
        return await original(self, fn, *args, **kwargs)

    aiosqlite.core.Connection._execute = counted  # type: ignore[method-assign]

    # The pipeline's write gate: microseconds held (summed over its slots) and times taken.
    import time

    from bot.core.intake import PriorityLock

    acquire, release = PriorityLock.acquire, PriorityLock.release
    taken: list[float] = []

    async def timed_acquire(self: Any, priority: int = 0) -> None:
        await acquire(self, priority)
        taken.append(time.perf_counter())

    def timed_release(self: Any) -> None:
        if taken:
            COUNTS["gate_us"] += int(1e6 * (time.perf_counter() - taken.pop()))
            COUNTS["gate_taken"] += 1
        release(self)

    PriorityLock.acquire = timed_acquire  # type: ignore[method-assign]
    PriorityLock.release = timed_release  # type: ignore[method-assign]

    def dump(*_: Any) -> None:
        Path(os.environ["BENCH_COUNTERS"]).write_text(json.dumps(dict(COUNTS)))

    signal.signal(signal.SIGUSR1, dump)


if __name__ == "__main__":
    install()
    from bot.cli import main

    command = ["worker"] if sys.argv[1] == "worker" else ["run", "--port", sys.argv[1]]
    sys.exit(main(command))
