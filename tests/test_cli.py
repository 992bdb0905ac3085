"""The command line as a newcomer meets it: missing files, help, pipes (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import REPO_ROOT

MISSING = "no-such-folder/eval-dev.yaml"


@pytest.mark.parametrize(
    "argv",
    [
        ["eval", MISSING, "--json"],
        ["eval", "tests/faq/heldout_own.yaml", MISSING],
        ["plan", "import", MISSING],
        ["plan", "import", MISSING, "--json"],
        ["plan", "calendar", MISSING, "--unit", "xa-binh-minh"],
        ["outreach", "radio", "--text", MISSING],
        ["restore", MISSING, "--yes"],
    ],
)
def test_a_missing_file_is_one_clear_line_and_status_2(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"loaxa: file not found: {MISSING}\n"


def test_an_output_folder_that_does_not_exist_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    target = tmp_path / "missing" / "report.csv"
    argv = ["report", "period", "--unit", "xa-binh-minh", "--period", "2026-Q1"]
    assert main([*argv, "--format", "csv", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(target) in err and "Traceback" not in err


def test_plan_import_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["plan", "import", "-h"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "usage: loaxa plan import" in out and "--json" in out


def test_plan_import_reads_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "ke-hoach.md"
    plan.write_text(
        "# KẾ HOẠCH Thông tin, tuyên truyền cải cách hành chính năm 2026\n\n"
        "1. Đối với người dân, doanh nghiệp\n- Hướng dẫn nộp hồ sơ trực tuyến.\n",
        encoding="utf-8",
    )
    assert main(["plan", "import", str(plan), "--json"]) == 0
    assert '"audiences"' in capsys.readouterr().out


def test_a_closed_pipe_ends_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "0"}
    questions = "lam lai can cuoc o dau\n" * 400
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO_ROOT,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(questions.encode())
    proc.stdin.close()
    assert proc.stdout.readline()  # `| head -1`: read one line, then leave
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert proc.returncode == 1
