"""Zip bombs (issue #15): a small .docx that expands to far more than a plan is refused with a
clear Vietnamese message, quickly and without being expanded, by the importer and by
`loaxa plan import`; an honest .docx still imports."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import docx
import pytest

from bot.plans import PlanImportError, cli_main, import_plan
from bot.plans.zipguard import MAX_UNCOMPRESSED, checked_docx
from tests.plans.docx_builders import bomb_docx, kpi_table_plan

MB = 1024 * 1024
REFUSED = "Tệp .docx bị từ chối:"
BOMBS = {
    "declared_huge": {"actual": 64 * MB},  # honest headers: 64 MB
    "ratio": {"actual": 5 * MB},  # under the total, but a thousand times compressed
    "lying_header": {"actual": 64 * MB, "declared": 1000},  # claims 1 KB, expands to 64 MB
}


@pytest.fixture(scope="module", params=sorted(BOMBS))
def bomb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / f"{request.param}.docx"
    return bomb_docx(path, **BOMBS[request.param])


def test_a_zip_bomb_is_refused_quickly_without_being_expanded(bomb: Path) -> None:
    assert bomb.stat().st_size < 200 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(PlanImportError) as refused:
            import_plan(bomb)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(refused.value)
    assert message.startswith(REFUSED), message
    assert "tối đa 20 MB khi giải nén" in message and "cố ý gây quá tải" in message
    assert peak < 4 * MB, f"{peak / MB:.1f} MB allocated: the member was expanded"
    assert elapsed < 2.0


def test_the_cli_says_why_and_exits_1(bomb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main([str(bomb)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"Lỗi: {REFUSED}") and "20 MB" in captured.err


def test_an_honest_docx_still_imports_with_the_same_text(tmp_path: Path) -> None:
    path = kpi_table_plan(tmp_path / "ke-hoach.docx")
    plan = import_plan(path)
    assert plan.year == 2026 and len(plan.kpis) == 3
    checked = checked_docx(path.read_bytes())
    original = [p.text for p in docx.Document(str(path)).paragraphs]
    assert [p.text for p in docx.Document(io.BytesIO(checked)).paragraphs] == original
    assert len(checked) < MAX_UNCOMPRESSED
