"""The extractors one by one, on short texts."""

from __future__ import annotations

import pytest

from bot.plans.contacts import find_channels, find_contacts
from bot.plans.header import _proper_case
from bot.plans.kpis import kpis_from_table, kpis_from_text
from bot.plans.legal import RefIndex, find_citations
from bot.plans.reader import Para, text_blocks
from bot.plans.schedule import deadlines_from_text
from bot.plans.structure import marker, mend
from bot.plans.textutil import clean_inline, find_dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ngày 10/4/2025", "2025-04-10"),
        ("ngày 25 tháng 12 năm 2025", "2025-12-25"),
        ("trước 31.12.2026", "2026-12-31"),
        ("trong Quý I/2026", "2026-03-31"),
        ("trong quý 3 năm 2026", "2026-09-30"),
        ("trước Quý III/2026", "2026-06-30"),
        ("trong tháng 2/2028", "2028-02-29"),
        ("trước tháng 1/2027", "2026-12-31"),
        ("ngày 31/02/2026", None),  # no such day: found, but no ISO date
    ],
)
def test_find_dates(text: str, iso: str | None) -> None:
    dates = find_dates(text)
    assert len(dates) == 1
    assert dates[0].iso == iso


def test_no_dates_in_numbers() -> None:
    assert find_dates("Nghị định số 118/2025/NĐ-CP; hotline 1900.9068; 0251.3822.123") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nghị định số 118/2025/NĐ-CP", ("Nghị định", "118/2025/NĐ-CP", None)),
        ("Nghị quyết số 57-NQ/TW ngày 22/12/2024", ("Nghị quyết", "57-NQ/TW", "2024-12-22")),
        ("Kế hoạch 133/KH-UBND ngày 10/4/2025", ("Kế hoạch", "133/KH-UBND", "2025-04-10")),
        ("Kế hoạch số 228/KH-UBND ngày 25 tháng 12 năm 2025",
         ("Kế hoạch", "228/KH-UBND", "2025-12-25")),
        ("Chỉ thị số 36-CT/TU ngày 06/8/2024", ("Chỉ thị", "36-CT/TU", "2024-08-06")),
        ("Thông tư số 5/2025/TT-VPCP", ("Thông tư", "5/2025/TT-VPCP", None)),
        ("Công điện số 05/CĐ-TTg ngày 3/1/2026", ("Công điện", "05/CĐ-TTg", "2026-01-03")),
        ("Quyết định số 06/QĐ-TTg", ("Quyết định", "06/QĐ-TTg", None)),
        ("Luật số 14/2012/QH13", ("Luật", "14/2012/QH13", None)),
        ("theo 61/2018/NĐ-CP ngày 23/4/2018", ("Nghị định", "61/2018/NĐ-CP", "2018-04-23")),
    ],
)  # fmt: skip
def test_citation(text: str, expected: tuple[str, str, str | None]) -> None:
    citations = find_citations(text)
    assert len(citations) == 1
    ref = citations[0].ref
    assert (ref.type, ref.number, ref.date) == expected


def test_citation_lists_and_dedup() -> None:
    index = RefIndex()
    refs = index.add_text(
        "Nghị quyết số 01/NQ-CP, 02/NQ-CP và 03/NQ-CP; Nghị quyết số 17-NQ/TW; "
        "Nghị quyết số 17/NQ-TW ngày 01/8/2007; Luật Phổ biến, giáo dục pháp luật."
    )
    assert [r.number for r in refs] == ["01/NQ-CP", "02/NQ-CP", "03/NQ-CP", "17-NQ/TW", None]
    assert refs[3].date == "2007-08-01"
    assert refs[4].text == "Luật Phổ biến, giáo dục pháp luật"
    # later mentions reuse the same objects
    again = index.add_text("theo Nghị quyết 17-NQ/TW")
    assert again[0] is refs[3]


def test_no_citation_without_number() -> None:
    assert find_citations("các nghị quyết, chỉ thị của Chính phủ; Kế hoạch này; số 12") == []


def test_contacts() -> None:
    contacts = find_contacts(
        [
            "Tổng đài Dịch vụ công tỉnh Đồng Nai (0251) 1022; gọi Tổng đài 1022.",
            "Đường dây nóng 0912 345 678, hotline 1900.9068, hộp thư hcc@dongnai.gov.vn,",
            "trang <https://dichvucong.gov.vn> và http://dichvucong.dongnai.gov.vn.",
            "Năm 2026, Nghị định 118/2025/NĐ-CP ngày 09/6/2025.",
        ]
    )
    assert [(c.type, c.value) for c in contacts] == [
        ("phone", "(0251) 1022"),
        ("hotline", "1022"),
        ("phone", "0912 345 678"),
        ("hotline", "1900.9068"),
        ("email", "hcc@dongnai.gov.vn"),
        ("web", "https://dichvucong.gov.vn"),
        ("web", "http://dichvucong.dongnai.gov.vn"),
    ]


def test_channels_are_normalised_and_deduplicated() -> None:
    channels = find_channels(
        [
            "Đăng trên Zalo, zalo OA, fanpage Facebook; phát trên loa truyền thanh;",
            "in tờ rơi, tờ gấp, pa-no, băng-rôn, áp-phích; tin nhắn SMS; Tổng đài 1022.",
            "Nghị quyết Hội nghị Trung ương 7; Hội nghị lần thứ 5",
        ]
    )
    assert channels == [
        "Zalo", "Facebook", "Đài truyền thanh", "Tờ rơi, tờ gấp", "Pano", "Băng rôn",
        "Áp phích", "SMS", "Tổng đài 1022",
    ]  # fmt: skip


def test_kpis_from_text() -> None:
    kpis = kpis_from_text(
        "Tỷ lệ hồ sơ trực tuyến đạt 80%, tỷ lệ thanh toán trực tuyến đạt từ 50% trở lên; "
        "Văn phòng chủ trì, phối hợp với Công an xã bảo đảm 100% hồ sơ được số hóa."
    )
    assert [(k.indicator, k.target_percent, k.comparator) for k in kpis] == [
        ("Tỷ lệ hồ sơ trực tuyến", 80, "exact"),
        ("Tỷ lệ thanh toán trực tuyến", 50, "min"),
        ("Hồ sơ được số hóa", 100, "exact"),
    ]
    assert (kpis[2].lead, kpis[2].partner) == ("Văn phòng", "Công an xã")
    assert kpis_from_text("Giai đoạn 2021- 2030, không có chỉ tiêu.") == []


def test_kpi_range_keeps_lower_bound_and_text() -> None:
    [kpi] = kpis_from_text("Mức độ hài lòng đạt 97 - 100%.")
    assert (kpi.target_percent, kpi.target_range, kpi.comparator) == (97, (97, 100), "range")
    assert kpi.to_dict()["target_range"] == [97, 100]


def test_kpis_from_table_picks_the_percent_column() -> None:
    rows = [
        ["TT", "Chỉ tiêu", "Kết quả", "Chủ trì", "Phối hợp"],
        ["1", "Tỷ lệ hồ sơ đúng hạn", "98,5%", "Bộ phận một cửa", "Các phòng"],
        ["", "Nhóm chỉ tiêu khác", "", "", ""],
    ]
    [kpi] = kpis_from_table(rows)
    assert (kpi.indicator, kpi.target_percent, kpi.lead, kpi.partner) == (
        "Tỷ lệ hồ sơ đúng hạn", 98.5, "Bộ phận một cửa", "Các phòng",
    )  # fmt: skip


def test_deadlines() -> None:
    found = deadlines_from_text(
        "Thực hiện theo Kế hoạch số 47/KH-UBND ngày 11/02/2025. Hoàn thành trước ngày "
        "15/12/2026. Báo cáo kết quả hằng quý. Bố trí dự toán ngân sách hàng năm."
    )
    assert [(d.text, d.date, d.recurring) for d in found] == [
        ("Hoàn thành trước ngày 15/12/2026", "2026-12-15", False),
        ("Báo cáo kết quả hằng quý", None, True),
    ]


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("I. MỤC ĐÍCH", "roman", "I"),
        ("IV. TỔ CHỨC THỰC HIỆN:", "roman", "IV"),
        ("1. Mục đích", "arabic", "1"),
        ("1.1. Nội dung tuyên truyền", "arabic2", "1.1"),
        ("1.2 Hình thức tuyên truyền", "arabic2", "1.2"),
        ("đ) Tuyên truyền", "letter", "đ"),
        ("- Tăng cường", "dash", "-"),
        ("+ Quy định", "plus", "+"),
        ("(2) Người dân", "paren-arabic", "2"),
        ("A. NỘI DUNG", "upper-letter", "A"),
    ],
)
def test_markers(text: str, kind: str, label: str) -> None:
    found = marker(text)
    assert found is not None and found[:2] == (kind, label)


@pytest.mark.parametrize("text", ["100% thủ tục", "2026 là năm", "1022 là số", "Văn bản"])
def test_not_markers(text: str) -> None:
    assert marker(text) is None


def test_mend_joins_broken_sentences_only() -> None:
    blocks = text_blocks(
        "Kế hoạch số 51-KH/TU\n\nngày 21/02/2008 của Tỉnh ủy.\n\nĐề án\n\n“Tuyên truyền”.\n\n"
        "KẾ HOẠCH\n\nThông tin năm 2026\n\n- Một;\n- Hai.\n"
    )
    texts = [b.text for b in mend(blocks, soft_wrap=True) if isinstance(b, Para)]
    assert texts == [
        "Kế hoạch số 51-KH/TU ngày 21/02/2008 của Tỉnh ủy.",
        "Đề án “Tuyên truyền”.",
        "KẾ HOẠCH",
        "Thông tin năm 2026",
        "- Một;",
        "- Hai.",
    ]


def test_markdown_cleaning() -> None:
    assert clean_inline("**KT. CHỦ TỊCH** và *PAR Index* <https://a.gov.vn>") == (
        "KT. CHỦ TỊCH và PAR Index https://a.gov.vn"
    )
    assert clean_inline("[Cổng](https://dichvucong.gov.vn) \\- mục") == (
        "Cổng (https://dichvucong.gov.vn) - mục"
    )


@pytest.mark.parametrize(
    ("raw", "proper"),
    [
        ("ỦY BAN NHÂN DÂN XÃ BÌNH MINH", "Ủy ban nhân dân xã Bình Minh"),
        ("VĂN PHÒNG UBND TỈNH ĐỒNG NAI", "Văn phòng UBND tỉnh Đồng Nai"),
        ("PHÒNG VĂN HÓA - XÃ HỘI", "Phòng Văn hóa - Xã hội"),
        ("TRUNG TÂM VĂN HÓA - THỂ THAO", "Trung tâm Văn hóa - Thể thao"),
        ("UBND Xã đã đúng", "UBND Xã đã đúng"),  # mixed case is left alone
    ],
)
def test_proper_case(raw: str, proper: str) -> None:
    assert _proper_case(raw) == proper
