"""The event loop of `loaxa run` and `loaxa worker` (bot/event_loop.py, EVENT_LOOP)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.event_loop import new_event_loop

ROOT = Path(__file__).resolve().parent.parent


def _kind(loop: asyncio.AbstractEventLoop) -> str:
    try:
        return type(loop).__module__.split(".")[0]
    finally:
        loop.close()


def test_uvloop_by_default_asyncio_when_asked() -> None:
    pytest.importorskip("uvloop")
    assert _kind(new_event_loop()) == "uvloop"
    assert _kind(new_event_loop("asyncio")) == "asyncio"


def test_asyncio_where_uvloop_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import fails, as on Windows
    assert _kind(new_event_loop("uvloop")) == "asyncio"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.timeout(120)
@pytest.mark.parametrize("kind", ["uvloop", "asyncio"])
def test_loaxa_run_serves_and_stops_on_either_loop(tmp_path: Path, kind: str) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "ZALO"))}
    env.update(
        EVENT_LOOP=kind, DATA_DIR=str(tmp_path), PORT=str(port), HOST="127.0.0.1",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'loaxa.db'}",
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        body = b""
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read()
                break
            except OSError:
                time.sleep(0.2)
        assert b"ok" in body.lower()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/chat/", timeout=5) as r:
            assert r.status == 200
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    assert server.returncode == 0, err.decode(errors="replace")[-2000:]
    assert b"Traceback" not in err
