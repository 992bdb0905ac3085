"""Plans the importer has not seen: a Word plan with a KPI table, a Markdown plan with
headings and a pipe table, a CRLF/BOM text "CHƯƠNG TRÌNH" with a table of assignments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.plans import PlanImport, cli_main, import_plan
from tests.plans.docx_builders import kpi_table_plan

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def word_plan(tmp_path_factory: pytest.TempPathFactory) -> PlanImport:
    return import_plan(kpi_table_plan(tmp_path_factory.mktemp("docx") / "tan-hoa.docx"))


@pytest.fixture(scope="module")
def md_plan() -> PlanImport:
    return import_plan(FIXTURES / "xa-an-phu-chuyen-doi-so.md")


@pytest.fixture(scope="module")
def programme() -> PlanImport:
    return import_plan(FIXTURES / "chuong-trinh-phuong-long-binh.txt")


# ---- .docx with a KPI table and no audience sections ----------------------------------


def test_docx_header_from_layout_table(word_plan: PlanImport) -> None:
    assert word_plan.title == "Truyền thông về dịch vụ công trực tuyến năm 2026"
    assert word_plan.issuer == "UBND xã Tân Hòa"
    assert word_plan.year == 2026
    assert word_plan.number == "88/KH-UBND"
    assert word_plan.issued_date == "2026-03-10"


def test_docx_kpi_table(word_plan: PlanImport) -> None:
    kpis = [(k.indicator, k.target_percent, k.comparator, k.lead, k.partner)
            for k in word_plan.kpis]  # fmt: skip
    assert kpis == [
        ("Tỷ lệ hồ sơ trực tuyến toàn trình", 85, "exact", "Trung tâm Phục vụ hành chính công",
         "Văn phòng UBND xã"),
        ("Tỷ lệ người dân hài lòng", 95, "range", "Văn phòng UBND xã", "Công an xã"),
        ("Tỷ lệ hồ sơ được số hóa", 90, "min", "Trung tâm Phục vụ hành chính công", None),
    ]  # fmt: skip
    assert word_plan.kpis[1].target_range == (95, 100)
    assert word_plan.kpis[1].to_dict()["target_range"] == [95, 100]


def test_docx_deadlines_from_table_and_text(word_plan: PlanImport) -> None:
    dates = {d.text: (d.date, d.recurring, d.unit) for d in word_plan.deadlines}
    assert dates["Tỷ lệ hồ sơ trực tuyến toàn trình: 31/12/2026"][0] == "2026-12-31"
    assert dates["Tỷ lệ người dân hài lòng: Quý IV/2026"][0] == "2026-12-31"
    assert dates["Tỷ lệ hồ sơ được số hóa: Hằng tháng"] == (
        None, True, "Trung tâm Phục vụ hành chính công",
    )  # fmt: skip
    police = [d for d in word_plan.deadlines if d.unit == "Công an xã"]
    assert [d.date for d in police] == ["2026-12-15"]


def test_docx_bullets_become_one_shared_audience(word_plan: PlanImport) -> None:
    assert len(word_plan.audiences) == 1
    audience = word_plan.audiences[0]
    assert audience.name == "Tất cả đối tượng"
    assert [i.text for i in audience.items] == [
        "Hướng dẫn đăng ký tài khoản trên Cổng Dịch vụ công quốc gia",
        "Thanh toán trực tuyến phí, lệ phí theo Thông tư số 01/2023/TT-VPCP",
    ]
    assert [r.number for r in audience.items[1].legal_refs] == ["01/2023/TT-VPCP"]


def test_docx_tasks_channels_refs(word_plan: PlanImport) -> None:
    assert [(t.unit, t.duties) for t in word_plan.tasks] == [
        ("Công an xã", ["phối hợp hướng dẫn VNeID; báo cáo trước ngày 15/12/2026"]),
        ("Văn phòng UBND xã", ["Tổng hợp kết quả, báo cáo định kỳ 6 tháng"]),
    ]
    assert word_plan.channels == ["Đài truyền thanh", "Facebook", "SMS"]
    assert [(r.number, r.date) for r in word_plan.legal_refs] == [
        ("1588/QĐ-TTg", "2024-12-17"),
        ("01/2023/TT-VPCP", None),
    ]


# ---- Markdown with headings, bold, a pipe table and audience sections ---------------


def test_markdown_header(md_plan: PlanImport) -> None:
    assert md_plan.title == (
        "Truyền thông chuyển đổi số và dịch vụ công trực tuyến xã An Phú năm 2026"
    )
    assert md_plan.issuer == "UBND xã An Phú"
    assert (md_plan.number, md_plan.issued_date, md_plan.year) == (
        "45/KH-UBND", "2026-02-20", 2026,
    )  # fmt: skip


def test_markdown_audiences(md_plan: PlanImport) -> None:
    assert [a.name for a in md_plan.audiences] == [
        "Đoàn viên, thanh niên",
        "Hội viên phụ nữ và người cao tuổi",
    ]
    youth = md_plan.audiences[0].items
    assert [i.label for i in youth] == ["a", "b"]
    assert [r.number for r in youth[0].legal_refs] == ["59/2022/NĐ-CP"]
    assert md_plan.audiences[1].items[1].label == "đ"
    assert "**" not in md_plan.audiences[1].items[1].text


def test_markdown_kpis_text_range_and_table(md_plan: PlanImport) -> None:
    found = {k.indicator: k for k in md_plan.kpis}
    assert found["Tỷ lệ hồ sơ trực tuyến toàn trình"].target_percent == 80
    assert found["Tỷ lệ hồ sơ trực tuyến toàn trình"].comparator == "min"
    satisfaction = found["Mức độ hài lòng của người dân"]
    assert (satisfaction.target_percent, satisfaction.target_range) == (97, (97, 100))
    assert satisfaction.text == "Mức độ hài lòng của người dân đạt 97-100%"
    payment = found["Tỷ lệ thanh toán trực tuyến"]
    assert (payment.target_percent, payment.lead, payment.partner) == (
        60, "Trung tâm Phục vụ hành chính công", "Bưu điện xã",
    )  # fmt: skip
    assert found["Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"].lead == "Văn phòng HĐND và UBND xã"


def test_markdown_contacts_channels(md_plan: PlanImport) -> None:
    assert md_plan.to_dict()["contacts"] == [
        "1900.9068",
        "https://zalo.me/anphu",
        "anphu.dongnai.gov.vn",
        "0251.3822.123",
        "vanphong.anphu@dongnai.gov.vn",
    ]
    kinds = {c.value: c.type for c in md_plan.contacts}
    assert kinds["vanphong.anphu@dongnai.gov.vn"] == "email"
    assert kinds["1900.9068"] == "hotline"
    for channel in [
        "Zalo",
        "Đài truyền thanh",
        "Tờ rơi, tờ gấp",
        "Áp phích",
        "Tổng đài 1900.9068",
    ]:
        assert channel in md_plan.channels


def test_markdown_tasks_deadlines_refs(md_plan: PlanImport) -> None:
    units = [t.unit for t in md_plan.tasks]
    assert units[:3] == ["Văn hóa - Xã hội", "Công an xã", "Đoàn Thanh niên xã"]
    assert md_plan.tasks[1].duties == [
        "Hướng dẫn kích hoạt tài khoản định danh điện tử",
        "Báo cáo kết quả hằng tháng về UBND xã",
    ]
    deadlines = {(d.unit, d.date, d.recurring) for d in md_plan.deadlines}
    assert ("Văn hóa - Xã hội", "2026-06-30", False) in deadlines
    assert ("Công an xã", None, True) in deadlines
    assert ("Đoàn Thanh niên xã", "2026-09-30", False) in deadlines  # "trong tháng 9/2026"
    refs = {(r.type, r.number, r.date) for r in md_plan.legal_refs}
    assert ("Công văn", "1234/UBND-VP", "2026-03-05") in refs
    assert ("Công điện", "05/CĐ-UBND", "2026-01-02") in refs
    assert ("Luật", None, None) in {(t, n, d) for t, n, d in refs}
    assert any(r.text == "Luật Tiếp cận thông tin" for r in md_plan.legal_refs)


# ---- text "CHƯƠNG TRÌNH" with CRLF, BOM, "(1)" and "+" items, an assignment table ----


def test_programme_text_plan(programme: PlanImport) -> None:
    assert programme.title == "Tuyên truyền cải cách hành chính năm 2027"
    assert programme.issuer == "Ban Tuyên giáo và dân vận Đảng ủy phường Long Bình"
    assert programme.year == 2027
    assert [(k.indicator, k.target_percent) for k in programme.kpis] == [
        ("Cán bộ, công chức được tập huấn kỹ năng số", 95)
    ]
    assert [t.unit for t in programme.tasks] == [
        "Trung tâm Văn hóa - Thể thao",
        "Văn phòng Đảng ủy",
    ]
    assert programme.tasks[1].duties == [
        "Tổ chức hội nghị đối thoại với doanh nghiệp (phối hợp: Hội Doanh nhân trẻ) "
        "(thời gian: Quý II/2027)"
    ]
    assert [(d.date, d.recurring) for d in programme.deadlines] == [
        (None, True),
        ("2027-06-30", False),
    ]
    assert programme.audiences[0].items[0].text.startswith("Quy định mới về đăng ký")
    assert {r.text for r in programme.legal_refs} == {
        "Thông tư số 04/2020/TT-BTP",
        "Luật Căn cước năm 2023",
    }


def test_cli_json_for_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = kpi_table_plan(tmp_path / "ke-hoach.docx")
    assert cli_main(["--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["issuer"] == "UBND xã Tân Hòa"
    assert data["kpis"][0] == {
        "indicator": "Tỷ lệ hồ sơ trực tuyến toàn trình",
        "target_percent": 85,
        "lead": "Trung tâm Phục vụ hành chính công",
        "partner": "Văn phòng UBND xã",
        "text": data["kpis"][0]["text"],
        "comparator": "exact",
        "target_range": None,
    }


def test_docx_renamed_to_txt_is_read_as_word(tmp_path: Path) -> None:
    path = kpi_table_plan(tmp_path / "ke-hoach.docx")
    renamed = tmp_path / "ke-hoach.txt"
    renamed.write_bytes(path.read_bytes())
    assert import_plan(renamed).issuer == "UBND xã Tân Hòa"


# ---- Markdown with unnumbered headings only -------------------------------------------


def test_headings_only_markdown() -> None:
    plan = import_plan(FIXTURES / "cong-an-xa-phu-hoi-lua-dao.md")
    assert plan.title == "Truyền thông phòng, chống lừa đảo qua mạng năm 2026"
    assert plan.issuer == "Công an xã Phú Hội"  # from "Đơn vị: ..."
    assert [(a.name, len(a.items)) for a in plan.audiences] == [
        ("Người cao tuổi", 2),
        ("Học sinh, sinh viên", 1),
    ]
    [kpi] = plan.kpis
    assert (kpi.target_percent, kpi.comparator) == (30, "decrease")  # "Giảm 30%"
    assert plan.channels == ["Đài truyền thanh", "Zalo"]
    assert [t.unit for t in plan.tasks][:3] == [
        "Công an xã",
        "Đài truyền thanh xã",
        "Trường THCS Phú Hội",
    ]
    assert plan.to_dict()["contacts"] == ["0251 3 841 113", "113"]
    assert [(d.date, d.unit) for d in plan.deadlines] == [("2026-12-20", "Công an xã")]
