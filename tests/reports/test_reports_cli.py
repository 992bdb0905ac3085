"""`loaxa report pakn|period` end to end on a temporary SQLite database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from bot.core.services import Services
from bot.db.engine import make_engine, make_sessionmaker, migrate
from tests.reports.helpers import UNIT, submit
from tests.reports.test_reports_builders import at


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path


def _seed(data_dir: Path, services: Services) -> str:
    async def go() -> str:
        engine = make_engine(f"sqlite+aiosqlite:///{data_dir / 'loaxa.db'}")
        try:
            await migrate(engine)
            async with make_sessionmaker(engine).begin() as sess:
                pakn = await submit(sess, services, when=at(2, 10))
                return pakn.code
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_register_and_period_report_files(
    data_dir: Path, services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _seed(data_dir, services)
    out = data_dir / "so.xlsx"
    argv = ["report", "pakn", "--unit", UNIT, "--period", "2026-Q1", "--format", "xlsx"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "1 rows" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out).active
    assert ws["B6"].value == code and ws["D6"].value == "Nguyễn Văn Bình"
    html = data_dir / "bc.html"
    argv = ["report", "period", "--unit", UNIT, "--period", "2026-H1", "--format", "html"]
    assert main([*argv, "--out", str(html), "--author", "Lê Văn Tâm"]) == 0
    text = html.read_text(encoding="utf-8")
    assert "6 tháng đầu năm 2026" in text and "Lê Văn Tâm" in text
    csv_out = data_dir / "bc.csv"
    argv = ["report", "period", "--unit", UNIT, "--period", "2025", "--format", "csv"]
    assert main([*argv, "--out", str(csv_out)]) == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_bad_period_and_unit(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "pakn", "--unit", UNIT, "--period", "2026-Q9"]) == 2
    assert "Kỳ báo cáo không hợp lệ" in capsys.readouterr().err
    assert main(["report", "pakn", "--unit", "xa-khong-co", "--period", "2026"]) == 2
    assert "unknown unit" in capsys.readouterr().err
