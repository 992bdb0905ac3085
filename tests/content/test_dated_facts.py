"""Dated facts (a fee waiver that ends): stated only while they hold; `loaxa content check`
warns 30 days before the end and fails after it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.errors import ContentError
from bot.content.faq import dated_problems, load_faq_dir, render_answer, sample_unit
from tests.content.test_faq_content import TOPICS, _entry, _write

REPO = Path(__file__).resolve().parents[2]
WAIVER = "Từ 15/8/2026 đến 28/02/2027, người có tài khoản VNeID mức 2 được miễn lệ phí."
DATED = f"""    dated:
      - text: "{WAIVER}"
        valid_from: 2026-08-15
        valid_until: 2027-02-28
        source: "Thông tư 117/2026/TT-BTC, Điều 1 khoản 3"
"""


def _with_dated(tmp_path: Path, dated: str = DATED) -> Path:
    body = "entries:\n" + _entry().replace("    level:", dated + "    level:", 1)
    return _write(tmp_path, {"a.yaml": body})


def test_a_dated_fact_is_said_only_while_it_holds(tmp_path: Path) -> None:
    entry = load_faq_dir(_with_dated(tmp_path), TOPICS).entries[0]
    unit = sample_unit()
    assert WAIVER not in render_answer(entry, unit, dt.date(2026, 8, 14))
    assert WAIVER in render_answer(entry, unit, dt.date(2026, 8, 15))
    assert WAIVER in render_answer(entry, unit, dt.date(2027, 2, 28))
    assert WAIVER not in render_answer(entry, unit, dt.date(2027, 3, 1))


def test_the_check_warns_a_month_before_and_fails_after(tmp_path: Path) -> None:
    entries = load_faq_dir(_with_dated(tmp_path), TOPICS).entries
    assert dated_problems(entries, dt.date(2026, 12, 3)) == ([], [])
    warnings, errors = dated_problems(entries, dt.date(2027, 2, 1))
    assert errors == [] and len(warnings) == 1 and "dated[0].valid_until" in warnings[0]
    warnings, errors = dated_problems(entries, dt.date(2027, 3, 1))
    assert warnings == [] and len(errors) == 1
    assert "khai-sinh-thu" in errors[0] and "ended on 2027-02-28" in errors[0]


@pytest.mark.parametrize(
    ("dated", "field"),
    [
        ('    dated:\n      - text: "Miễn phí."\n        source: "TT 1"\n', "dated[0].valid_until"),
        (
            '    dated:\n      - text: "Miễn phí."\n        valid_until: 2027-02-28\n',
            "dated[0].source",
        ),
        (
            '    dated:\n      - text: "x"\n        valid_from: 2027-03-01\n'
            '        valid_until: 2027-02-28\n        source: "TT 1"\n',
            "dated[0].valid_from",
        ),
    ],
)
def test_a_bad_dated_fact_names_the_field(tmp_path: Path, dated: str, field: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_faq_dir(_with_dated(tmp_path, dated), TOPICS)
    assert any(field in line and "a.yaml" in line for line in caught.value.errors)


def test_content_check_fails_on_an_expired_fact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    monkeypatch.setenv("CONTENT_DIR", str(content))
    monkeypatch.setattr("bot.content.faq.local_today", lambda: dt.date(2027, 2, 10))
    assert main(["content", "check"]) == 0
    assert "warning:" in capsys.readouterr().err
    monkeypatch.setattr("bot.content.faq.local_today", lambda: dt.date(2027, 3, 1))
    assert main(["content", "check"]) == 1
    assert "ended on 2027-02-28" in capsys.readouterr().err


def test_real_content_states_no_expired_fact() -> None:
    entries = load_faq_dir(REPO / "content" / "faq", TOPICS).entries
    assert any(entry.dated for entry in entries)
    _, errors = dated_problems(entries, dt.date.today())
    assert errors == []
