"""`loaxa unit new --from-plan`: a unit profile with only the facts its plan states, checked
against the official list of current units (name, province, code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.content.units import load_units

PLANS = Path(__file__).resolve().parents[2].parent / "shared" / "plans"

HUE_PLAN = """ỦY BAN NHÂN DÂN
PHƯỜNG HƯƠNG AN

Số: 15/KH-UBND

Hương An, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
Thông tin, tuyên truyền cải cách hành chính phường Hương An năm 2026

Thực hiện Kế hoạch số 20/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân thành phố Huế về công tác
cải cách hành chính năm 2026, UBND phường Hương An ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của người dân về dịch vụ công trực tuyến.

II. NỘI DUNG VÀ HÌNH THỨC
1. Hướng dẫn người dân nộp hồ sơ trên Cổng Dịch vụ công quốc gia https://dichvucong.gov.vn.
2. Công khai đường dây nóng của UBND phường Hương An: 0234 3123 456 để tiếp nhận phản ánh.

III. TỔ CHỨC THỰC HIỆN
1. Văn phòng HĐND và UBND phường chủ trì thực hiện kế hoạch này.
"""


def _draft(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["unit", "new", "--from-plan", str(path), "--key", "x-test", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_ward_of_hue_gets_its_own_facts_and_nothing_of_dong_nai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "hue.txt"
    plan.write_text(HUE_PLAN, encoding="utf-8")
    draft = _draft(plan, capsys)
    assert draft["name"] == "UBND phường Hương An"
    assert draft["short_name"] == "phường Hương An" and draft["level"] == "phuong"
    assert draft["province"] == "Huế"
    assert draft["code"] == "19804"
    assert [h["number"] for h in draft["hotlines"]] == ["0234 3123 456"]
    assert "1022" not in json.dumps(draft) and "Đồng Nai" not in json.dumps(draft)
    assert draft["portal"] == "https://dichvucong.gov.vn"
    assert draft["address"] is None and draft["hours"] is None and draft["areas"] == []


@pytest.mark.skipif(not PLANS.is_dir(), reason="the shared plans are not next to this clone")
@pytest.mark.parametrize(
    ("plan", "name", "level", "code", "number"),
    [
        ("2026-xa-binh-minh-kiem-soat-tthc.txt", "UBND xã Bình Minh", "xa", "26278", "(0251) 1022"),
        ("2026-phuong-phuoc-tan-cchc.txt", "UBND phường Phước Tân", "phuong", "26377", "1022"),
        (
            "2025-vp-ubnd-tinh-dong-nai-kiem-soat-tthc.txt",
            "Văn phòng UBND tỉnh Đồng Nai",
            "tinh",
            "75",
            "(0251) 1022",
        ),
    ],
)
def test_the_three_plans(
    capsys: pytest.CaptureFixture[str], plan: str, name: str, level: str, code: str, number: str
) -> None:
    draft = _draft(PLANS / plan, capsys)
    assert (draft["name"], draft["level"], draft["code"]) == (name, level, code)
    assert draft["province"] == "Đồng Nai"
    assert [h["number"] for h in draft["hotlines"]] == [number]
    assert draft["local_portal"] is None  # the 2025 plan names a provincial portal now closed


def test_without_json_it_writes_a_loadable_unit_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    (content / "units").mkdir(parents=True)
    monkeypatch.setenv("CONTENT_DIR", str(content))
    plan = tmp_path / "hue.txt"
    plan.write_text(HUE_PLAN, encoding="utf-8")
    args = ["unit", "new", "--from-plan", str(plan), "--key", "phuong-huong-an"]
    assert main(args) == 0
    written = content / "units" / "phuong-huong-an.yaml"
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["code"] == "19804"
    unit = load_units(content / "units")["phuong-huong-an"]
    assert unit.hotline == "0234 3123 456" and unit.code == "19804"
    assert main(args) == 1  # never overwritten
    assert "not overwritten" in capsys.readouterr().err


def test_bad_input_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["unit", "new", "--from-plan", str(tmp_path / "none.txt"), "--key", "a"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["unit", "new", "--from-plan", str(tmp_path), "--key", "Bad Key"]) == 2
