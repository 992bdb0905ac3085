"""`loaxa poster` and `loaxa outreach`: files written, notes on stderr, exit 1 when SMS cannot fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

SENTENCE = (
    "Hệ thống phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia và Tổng đài Dịch vụ công "
    "tỉnh Đồng Nai (0251) 1022 và cách thức phản ánh, kiến nghị về quy định, thủ tục hành chính."
)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("PUBLIC_URL", "ZALO_OA_ID", "TELEGRAM_BOT_USERNAME", "BINH_MINH_ZALO_OA_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEFAULT_UNIT", "xa-binh-minh")


def test_poster_html_and_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "p.html"
    assert main(["poster", "xa-binh-minh", "--out", str(html)]) == 0
    assert "Hỏi đáp thủ tục hành chính" in html.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "Chưa có mã QR Zalo" in err and "BINH_MINH_ZALO_OA_ID" in err
    pdf = tmp_path / "p.pdf"
    assert main(["poster", "xa-binh-minh", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["poster", "khong-co", "--out", str(html)]) == 2


def test_outreach_channels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tmp_path / "tin.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    assert main(["outreach", "radio", "--text", str(text)]) == 0
    out = capsys.readouterr().out
    assert "không hai năm một, một không hai hai" in out and "(0251)" not in out
    assert main(["outreach", "sms", "--json", "--text", str(text)]) == 0
    fit = json.loads(capsys.readouterr().out)
    assert [p[:4] for p in fit["parts"]] == ["1/2 ", "2/2 "]
    text.write_text(SENTENCE * 5, encoding="utf-8")
    assert main(["outreach", "sms", "--text", str(text)]) == 1  # said, not cut
    assert "KHÔNG VỪA SMS" in capsys.readouterr().out
    assert main(["outreach", "post", "--unit", "phuong-phuoc-tan", "--text", str(text)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("#PhuongPhuocTan")
    leaflet = tmp_path / "l.html"
    assert main(["outreach", "leaflet", "--text", str(text), "--out", str(leaflet)]) == 0
    assert "size: A5" in leaflet.read_text(encoding="utf-8")
