"""`loaxa user …` end to end on a temporary SQLite database."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.console import accounts
from bot.db.engine import make_engine, make_sessionmaker


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def _account(data_dir: Path, name: str) -> accounts.Account | None:
    async def go() -> accounts.Account | None:
        engine = make_engine(f"sqlite+aiosqlite:///{data_dir / 'loaxa.db'}")
        try:
            async with make_sessionmaker(engine)() as sess:
                return await accounts.get_account_by_name(sess, name)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_user_add_list_passwd_disable(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "user",
        "add",
        "lan",
        "--role",
        "staff",
        "--unit",
        "xa-binh-minh",
        "--name",
        "Nguyễn Thị Lan",
        "--password-stdin",
    ]
    assert _run(monkeypatch, argv, "mat-khau-rat-dai-1\n") == 0
    assert "Đã tạo tài khoản lan" in capsys.readouterr().out
    lan = _account(data_dir, "lan")
    assert lan is not None and lan.units == {"xa-binh-minh"} and lan.role == "staff"

    assert _run(monkeypatch, ["user", "list"]) == 0
    assert "lan\tstaff\txa-binh-minh\tđang dùng\tNguyễn Thị Lan" in capsys.readouterr().out

    assert _run(monkeypatch, ["user", "passwd", "lan", "--password-stdin"], "ngan\n") == 1
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    assert (
        _run(monkeypatch, ["user", "passwd", "lan", "--password-stdin"], "mot-mat-khau-moi\n") == 0
    )
    after = _account(data_dir, "lan")
    assert after is not None and after.session_epoch == lan.session_epoch + 1

    assert _run(monkeypatch, ["user", "disable", "lan"]) == 0
    disabled = _account(data_dir, "lan")
    assert disabled is not None and not disabled.active


def test_user_add_refuses_unknown_units_and_missing_users(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["user", "add", "lan", "--role", "staff", "--unit", "xa-khong-co", "--password-stdin"]
    assert _run(monkeypatch, argv, "mat-khau-rat-dai-1\n") == 1
    assert "Không có đơn vị: xa-khong-co" in capsys.readouterr().err
    assert _run(monkeypatch, ["user", "disable", "ai-do"]) == 1
    assert "Không có tài khoản ai-do" in capsys.readouterr().err
