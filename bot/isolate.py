"""Run one function in a separate process, with a time and a memory limit.

    result = run_limited(read_plan_calendar, (path, ...), seconds=60, memory_mb=1024)

For work on untrusted input that could take forever or fill the memory (reading an uploaded
document). The child is a fresh Python (`python -m bot.isolate`) without the parent's
environment (no tokens or secrets). It gets the function and its arguments by pickle on stdin,
imports what they need, then limits itself: RLIMIT_AS to what it uses so far plus memory_mb,
and RLIMIT_CPU to the time limit plus a margin (in case the parent dies). It writes the result,
or the exception, pickled on stdout. Past `seconds` the parent kills it. Blocking: call it from
a worker thread (asyncio.to_thread).
"""

from __future__ import annotations

import math
import os
import pickle
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
_MB = 1024 * 1024


class LimitExceeded(Exception):
    """The child ran out of time ("time") or memory ("memory") and was stopped."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class ChildFailed(Exception):
    """The child crashed, or raised an exception that cannot be sent back (its type's name)."""


def run_limited(
    func: Callable[..., Any], args: tuple[Any, ...], *, seconds: float, memory_mb: int
) -> Any:
    """func(*args) in a child process; its exceptions are raised again here."""
    payload = pickle.dumps((func, args))
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO_ROOT), "LC_ALL": "C.UTF-8"}
    command = [sys.executable, "-m", "bot.isolate", str(memory_mb), str(math.ceil(seconds) + 2)]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            input=payload,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a traceback may quote the document
            timeout=seconds,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise LimitExceeded("time") from None
    if done.returncode != 0 or not done.stdout:
        if done.returncode in (-9, -24):  # SIGKILL (out of memory), SIGXCPU (RLIMIT_CPU)
            raise LimitExceeded("memory" if done.returncode == -9 else "time")
        raise ChildFailed(f"exit status {done.returncode}")
    status, value = pickle.loads(done.stdout)  # noqa: S301 - written by our own child
    if status == "ok":
        return value
    if status == "memory":
        raise LimitExceeded("memory")
    if status == "raise":
        raise value
    raise ChildFailed(str(value))


def _current_address_space() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _child(memory_mb: int, cpu_seconds: int) -> None:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the result
    func, args = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from our parent
    limit = _current_address_space() + memory_mb * _MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except (MemoryError, SystemError):
        # Under RLIMIT_AS CPython sometimes reports a failed allocation (an import, say) as
        # SystemError "error return without exception set" instead of MemoryError.
        result = ("memory", None)
    except Exception as exc:
        result = ("raise", exc)
    try:
        data = pickle.dumps(result)
    except Exception:
        data = pickle.dumps(("failed", type(result[1]).__name__))
    out.write(data)
    out.flush()


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]))
