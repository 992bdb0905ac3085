"""The three real plans in shared/plans/: values checked by reading each plan."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.plans import PlanImport, cli_main, import_plan
from bot.settings import REPO_ROOT

PLANS_DIR = (REPO_ROOT / ".." / "shared" / "plans").resolve()
VP = "2025-vp-ubnd-tinh-dong-nai-kiem-soat-tthc.txt"
PHUOC_TAN = "2026-phuong-phuoc-tan-cchc.txt"
BINH_MINH = "2026-xa-binh-minh-kiem-soat-tthc.txt"

pytestmark = pytest.mark.skipif(
    not PLANS_DIR.is_dir(), reason=f"real plans not available: {PLANS_DIR} is missing"
)


def _plan(name: str) -> PlanImport:
    path = PLANS_DIR / name
    if not path.is_file():
        pytest.skip(f"real plan not available: {path}")
    return import_plan(path)


@pytest.fixture(scope="module")
def vp() -> PlanImport:
    return _plan(VP)


@pytest.fixture(scope="module")
def phuoc_tan() -> PlanImport:
    return _plan(PHUOC_TAN)


@pytest.fixture(scope="module")
def binh_minh() -> PlanImport:
    return _plan(BINH_MINH)


def _ref(plan: PlanImport, number: str) -> dict[str, object]:
    refs = [r.to_dict() for r in plan.legal_refs if r.number == number]
    assert len(refs) == 1, f"{number}: {refs}"
    return refs[0]


def _item_texts(plan: PlanImport, audience: int) -> list[str]:
    return [i.text for i in plan.audiences[audience].items]


# ---- Văn phòng UBND tỉnh Đồng Nai, 2025 ------------------------------------------------


def test_vp_header(vp: PlanImport) -> None:
    assert vp.title == (
        "Thông tin, tuyên truyền kiểm soát thủ tục hành chính; cơ chế một cửa, một cửa liên "
        "thông của Văn phòng UBND tỉnh năm 2025"
    )
    assert vp.issuer == "Văn phòng UBND tỉnh Đồng Nai"
    assert vp.year == 2025
    assert vp.number == "777/KH-VP"
    assert vp.issued_date == "2025-03-12"
    assert [s["label"] for s in vp.sections] == ["I", "II", "III", "IV"]


def test_vp_audiences(vp: PlanImport) -> None:
    assert [a.name for a in vp.audiences] == ["Cán bộ, công chức", "Người dân và doanh nghiệp"]
    staff = _item_texts(vp, 0)
    assert len(staff) == 11  # a) with its 6 "-" lines, b), c), d), đ)
    assert staff[-1].startswith("Tuyên truyền, biểu dương những tập thể, cá nhân")
    citizens = vp.audiences[1].items
    assert len(citizens) == 6
    assert citizens[5].label == "e"
    assert "Tổng đài Dịch vụ công tỉnh Đồng Nai (0251) 1022" in citizens[5].text
    # forms ("Hình thức tuyên truyền") are kept apart from the content
    assert any("pa-no, băng-rôn" in f for f in vp.audiences[1].forms)
    # the item that lists decrees carries their refs, with dates from the text
    decrees = next(i for i in vp.audiences[0].items if i.text.startswith("Nghị định số 63/2010"))
    numbers = [r.number for r in decrees.legal_refs]
    assert numbers == [
        "63/2010/NĐ-CP", "92/2017/NĐ-CP", "61/2018/NĐ-CP", "107/2021/NĐ-CP",
        "45/2020/NĐ-CP", "42/2022/NĐ-CP",
    ]  # fmt: skip
    assert decrees.legal_refs[0].date == "2010-06-08"


def test_vp_kpis(vp: PlanImport) -> None:
    by_percent = {k.target_percent or 0.0: k for k in vp.kpis}
    assert sorted(by_percent) == [97, 98, 100]
    assert by_percent[98].indicator == "Tỷ lệ giải quyết hồ sơ đúng hạn"
    assert by_percent[98].comparator == "min"
    assert by_percent[98].lead is None and by_percent[98].partner is None
    assert by_percent[97].indicator.startswith("Phản ánh kiến nghị của người dân, tổ chức")
    assert by_percent[100].indicator.startswith("Thủ tục hành chính được công bố, công khai")


def test_vp_contacts_channels_deadlines(vp: PlanImport) -> None:
    contacts = vp.to_dict()["contacts"]
    assert contacts == [
        "https://dichvucong.gov.vn",
        "http://dichvucong.dongnai.gov.vn",
        "(0251) 1022",
        "1022",
    ]
    for channel in ["Cổng thông tin điện tử", "Tổng đài 1022", "Pano", "Băng rôn",
                    "Tờ rơi, tờ gấp", "Áp phích", "Hội nghị", "Video clip",
                    "Trang thông tin điện tử"]:  # fmt: skip
        assert channel in vp.channels
    assert "Zalo" not in vp.channels  # not named in this plan
    assert len(vp.deadlines) == 1
    assert vp.deadlines[0].text.startswith("Định kỳ 3 tháng, 6 tháng, 9 tháng")
    assert vp.deadlines[0].date is None and vp.deadlines[0].recurring
    assert vp.deadlines[0].unit == "Phòng Hành chính – Tổ chức"


def test_vp_tasks(vp: PlanImport) -> None:
    assert [t.unit for t in vp.tasks] == [
        "Phòng Hành chính – Tổ chức",
        "Trung tâm Phục vụ hành chính công",
        "Cổng Thông tin điện tử tỉnh",
        "Các Phòng, Ban, Trung tâm và Cổng Thông tin điện tử tỉnh",
    ]
    assert [len(t.duties) for t in vp.tasks] == [2, 1, 2, 1]
    assert vp.tasks[3].duties[0].endswith("theo Kế hoạch này")  # "./ *huay*" mark dropped


def test_vp_legal_refs(vp: PlanImport) -> None:
    assert len(vp.legal_refs) == 31
    assert _ref(vp, "47/KH-UBND") == {
        "type": "Kế hoạch",
        "number": "47/KH-UBND",
        "date": "2025-02-11",
        "text": "Kế hoạch số 47/KH-UBND ngày 11/02/2025",
        "context": _ref(vp, "47/KH-UBND")["context"],
    }
    assert _ref(vp, "404/KH-UBND")["date"] == "2024-12-30"  # "ngày 30 tháng 12 năm 2024"
    assert _ref(vp, "36-CT/TU")["type"] == "Chỉ thị"
    assert _ref(vp, "06/QĐ-TTg")["date"] is None  # cited without a date
    # "17-NQ/TW" and "17/NQ-TW ngày 01/8/2007" are the same resolution
    assert _ref(vp, "17-NQ/TW")["date"] == "2007-08-01"
    assert not any(r.number == "17/NQ-TW" for r in vp.legal_refs)
    assert not any(r.number == "777/KH-VP" for r in vp.legal_refs)  # the plan's own number


# ---- Phường Phước Tân, 2026 ------------------------------------------------------------


def test_phuoc_tan_header(phuoc_tan: PlanImport) -> None:
    assert (
        phuoc_tan.title == "Thông tin, tuyên truyền cải cách hành chính phường Phước Tân năm 2026"
    )
    assert phuoc_tan.issuer == "UBND phường Phước Tân"
    assert phuoc_tan.year == 2026
    assert phuoc_tan.number is None and phuoc_tan.issued_date is None  # draft: left blank
    assert any("Số kế hoạch để trống" in w for w in phuoc_tan.warnings)


def test_phuoc_tan_single_audience(phuoc_tan: PlanImport) -> None:
    assert len(phuoc_tan.audiences) == 1
    audience = phuoc_tan.audiences[0]
    assert audience.name == "Cán bộ, công chức, viên chức; người dân, doanh nghiệp"
    assert [i.label for i in audience.items] == list("abcdđeghikl")
    assert audience.items[5].text.startswith("Các kênh, địa chỉ tiếp nhận")
    assert [r.number for r in audience.items[1].legal_refs] == ["76/NQ-CP", "3183/QĐ-UBND"]
    assert any("không tách nội dung" in w for w in phuoc_tan.warnings)
    assert "Đoàn viên, thanh niên" in phuoc_tan.target_groups


def test_phuoc_tan_channels_contacts(phuoc_tan: PlanImport) -> None:
    for channel in ["Zalo", "Facebook", "YouTube", "Màn hình chờ", "Phát thanh", "SMS",
                    "Tổng đài 1022", "Trang thông tin điện tử", "Sân khấu hóa"]:  # fmt: skip
        assert channel in phuoc_tan.channels
    assert phuoc_tan.to_dict()["contacts"] == ["1022"]
    assert phuoc_tan.kpis == []


def test_phuoc_tan_tasks_and_deadlines(phuoc_tan: PlanImport) -> None:
    assert [t.unit for t in phuoc_tan.tasks] == [
        "Lãnh đạo các Phòng chuyên môn, Trung tâm Phục vụ Hành chính công",
        "Phòng Văn hoá – Xã hội",
        "Trung tâm Phục vụ Hành chính công",
        "UBMTTQVN (Phụ trách Thanh niên)",
    ]
    assert [len(t.duties) for t in phuoc_tan.tasks] == [7, 8, 2, 1]
    # the closing "Trên đây là Kế hoạch ..." is nobody's duty
    assert not any(d.startswith("Trên đây") for t in phuoc_tan.tasks for d in t.duties)
    dated = [d for d in phuoc_tan.deadlines if d.date]
    assert [(d.date, d.unit) for d in dated] == [
        ("2026-02-17", "Lãnh đạo các Phòng chuyên môn, Trung tâm Phục vụ Hành chính công")
    ]
    assert "chậm nhất trước ngày 17 tháng 02 năm 2026" in dated[0].text
    assert any(d.text.startswith("Định kỳ hàng quý") and d.recurring for d in phuoc_tan.deadlines)


def test_phuoc_tan_legal_refs(phuoc_tan: PlanImport) -> None:
    assert _ref(phuoc_tan, "12/KH-UBND")["date"] == "2026-01-14"
    assert _ref(phuoc_tan, "17/2021/NQ-HĐND")["date"] == "2021-12-08"
    assert any(r.type == "Luật" and r.text == "Luật Phổ biến, giáo dục pháp luật"
               for r in phuoc_tan.legal_refs)  # fmt: skip


# ---- Xã Bình Minh, 2026 ----------------------------------------------------------------


def test_binh_minh_header(binh_minh: PlanImport) -> None:
    assert binh_minh.title == (
        "Thông tin, tuyên truyền kiểm soát thủ tục hành chính; cơ chế một cửa, một cửa liên "
        "thông xã Bình Minh năm 2026"
    )
    assert binh_minh.issuer == "UBND xã Bình Minh"
    assert binh_minh.year == 2026


def test_binh_minh_audiences(binh_minh: PlanImport) -> None:
    names = [a.name for a in binh_minh.audiences]
    assert names == ["Cán bộ, công chức, viên chức", "Người dân và doanh nghiệp"]
    staff = binh_minh.audiences[0].items
    assert len(staff) == 16
    assert staff[-1].label == "e"
    assert staff[-1].text.startswith("Phê phán những hiện tượng tiêu cực")
    decrees = next(i for i in staff if i.text.startswith("Nghị định số 63/2010"))
    assert "118/2025/NĐ-CP" in [r.number for r in decrees.legal_refs]
    assert "Đoàn viên, thanh niên" in binh_minh.target_groups


def test_binh_minh_contacts_channels(binh_minh: PlanImport) -> None:
    contacts = binh_minh.to_dict()["contacts"]
    assert "(0251) 1022" in contacts
    assert "https://dichvucong.gov.vn" in contacts
    for channel in ["Zalo", "Facebook", "Đài truyền thanh", "Máy tra cứu", "Màn hình chờ", "SMS",
                    "Tổng đài 1022", "Tờ rơi, tờ gấp", "Pano", "Báo chí"]:  # fmt: skip
        assert channel in binh_minh.channels
    assert len(binh_minh.channels) == len(set(binh_minh.channels))


def test_binh_minh_tasks_and_deadlines(binh_minh: PlanImport) -> None:
    assert [(t.unit, len(t.duties)) for t in binh_minh.tasks] == [
        ("Trung tâm Phục vụ hành chính công", 6),
        ("Văn phòng UBND xã", 3),
        ("Phòng văn hóa- xã hội", 3),
        ("Trung tâm Dịch vụ tổng hợp", 2),
        ("Phòng kinh tế", 1),
        ("Đoàn Thanh niên xã", 2),
    ]
    assert binh_minh.tasks[4].duties[0].startswith("Hướng dẫn các phòng chuyên môn")
    quarter = [d for d in binh_minh.deadlines if d.date]
    assert [d.date for d in quarter] == ["2026-03-31"]  # "chậm nhất trong Quý I/2026"
    assert quarter[0].unit == "Trung tâm Phục vụ hành chính công"
    # the Thông tư "về chế độ báo cáo định kỳ" is a citation, not a deadline of this plan
    assert not any("Thông tư" in d.text for d in binh_minh.deadlines)


def test_binh_minh_legal_refs(binh_minh: PlanImport) -> None:
    assert len(binh_minh.legal_refs) == 31
    assert _ref(binh_minh, "118/2025/NĐ-CP")["date"] == "2025-06-09"  # first cited undated
    assert _ref(binh_minh, "57-NQ/TW")["date"] == "2024-12-22"
    assert _ref(binh_minh, "133/KH-UBND")["date"] == "2025-04-10"
    assert _ref(binh_minh, "228/KH-UBND")["date"] == "2025-12-25"
    assert _ref(binh_minh, "66.7/2025/NQ-CP")["type"] == "Nghị quyết"
    assert _ref(binh_minh, "02-CTr/TU")["type"] == "Chương trình hành động"
    # two different plans numbered 10/KH-UBND (tỉnh and xã) stay two documents
    tens = sorted(r.date or "" for r in binh_minh.legal_refs if r.number == "10/KH-UBND")
    assert tens == ["2026-01-08", "2026-01-23"]


@pytest.mark.parametrize("name", [VP, PHUOC_TAN, BINH_MINH])
def test_cli_json_matches_contract(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = PLANS_DIR / name
    assert cli_main([str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ["title", "issuer", "year", "audiences", "channels", "tasks", "kpis",
                "deadlines", "contacts", "legal_refs"]:  # fmt: skip
        assert key in data
    for audience in data["audiences"]:
        assert set(audience) >= {"name", "items"}
        for item in audience["items"]:
            assert set(item) >= {"text", "legal_refs"}
    for task in data["tasks"]:
        assert isinstance(task["unit"], str) and isinstance(task["duties"], list)
    for ref in data["legal_refs"]:
        assert set(ref) >= {"type", "number", "date", "text"}


def test_cli_summary_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main([str(PLANS_DIR / BINH_MINH)]) == 0
    out = capsys.readouterr().out
    assert "Kế hoạch: Thông tin, tuyên truyền kiểm soát thủ tục hành chính" in out
    assert "Cơ quan ban hành: UBND xã Bình Minh" in out
    assert "Phân công thực hiện (6 đơn vị)" in out
    assert "Nghị định 118/2025/NĐ-CP ngày 2025-06-09" in out


def test_real_plans_import_from_path_string() -> None:
    plan = import_plan(str(PLANS_DIR / VP))
    assert isinstance(plan, PlanImport)
    assert plan.source == VP


@pytest.mark.parametrize("name", [VP, PHUOC_TAN, BINH_MINH])
def test_same_plan_as_docx_and_markdown_gives_the_same_result(name: str, tmp_path: Path) -> None:
    """Word (one paragraph per line) and Markdown (## sections, **bold** items) copies of a
    real plan are read exactly like the text file."""
    import docx

    source = PLANS_DIR / name
    expected = import_plan(source).to_dict()
    lines = source.read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    for line in lines:
        if line.strip():
            document.add_paragraph(line.replace("**", ""))
    word = tmp_path / "plan.docx"
    document.save(str(word))
    markdown = tmp_path / "plan.md"
    md_lines = []
    for line in lines:
        text = line.strip()
        if re.match(r"^[IVX]+\. ", text):
            text = f"## {text}"
        elif re.match(r"^\d+\.(\d+\.?)? ", text):
            text = f"**{text}**"
        md_lines.append(text)
    markdown.write_text("\n".join(md_lines), encoding="utf-8")
    for copy in (word, markdown):
        got = import_plan(copy).to_dict()
        for key in expected:
            if key != "source":
                assert got[key] == expected[key], (copy.suffix, key)
