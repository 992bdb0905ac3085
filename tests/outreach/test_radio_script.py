"""The loudspeaker script, on sentences quoted verbatim from the communication plans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.outreach.radio import expand_abbreviations, radio_script, read_url
from bot.settings import REPO_ROOT

PLANS = REPO_ROOT.parent / "shared" / "plans"
BINH_MINH = "2026-xa-binh-minh-kiem-soat-tthc.txt"
PHUOC_TAN = "2026-phuong-phuoc-tan-cchc.txt"
VP_TINH = "2025-vp-ubnd-tinh-dong-nai-kiem-soat-tthc.txt"
Y2026 = "hai nghìn không trăm hai mươi sáu"
Y2025 = "hai nghìn không trăm hai mươi lăm"

# (plan file, sentence as printed in the plan, what the announcer reads)
CASES = [
    (
        BINH_MINH,
        "Kế hoạch số 52/KH-UBND ngày 30/01/2026 Kế hoạch thông tin, tuyên truyền kiểm soát "
        "thủ tục hành chính",
        f"Kế hoạch số năm mươi hai của Ủy ban nhân dân ngày ba mươi tháng một năm {Y2026} "
        "Kế hoạch thông tin, tuyên truyền kiểm soát thủ tục hành chính",
    ),
    (
        BINH_MINH,
        "e) Hệ thống phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia và Tổng đài Dịch vụ "
        "công tỉnh Đồng Nai (0251) 1022 và cách thức phản ánh, kiến nghị về quy định, thủ tục "
        "hành chính.",
        "e) Hệ thống phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia và Tổng đài Dịch vụ "
        "công tỉnh Đồng Nai không hai năm một, một không hai hai và cách thức phản ánh, kiến "
        "nghị về quy định, thủ tục hành chính.",
    ),
    (
        BINH_MINH,
        "trên Cổng Dịch vụ công quốc gia tại địa chỉ <https://dichvucong.gov.vn> và Hệ thống "
        "thông tin giải quyết TTHC của các bộ, ngành Trung ương.",
        "trên Cổng Dịch vụ công quốc gia tại địa chỉ dịch vụ công chấm gov chấm vn và Hệ thống "
        "thông tin giải quyết thủ tục hành chính của các bộ, ngành Trung ương.",
    ),
    (
        BINH_MINH,
        "Nghị định số 118/2025/NĐ-CP của Chính phủ về thực hiện thủ tục hành chính theo cơ chế "
        "một cửa",
        f"Nghị định số một trăm mười tám năm {Y2025} của Chính phủ về thực hiện thủ tục hành "
        "chính theo cơ chế một cửa",
    ),
    (
        BINH_MINH,
        "qua đài truyền thanh, các ứng dụng di động, tin nhắn SMS, Tổng đài Dịch vụ công 1022...;",
        "qua đài truyền thanh, các ứng dụng di động, tin nhắn SMS, Tổng đài Dịch vụ công một "
        "không hai hai...;",
    ),
    (
        BINH_MINH,
        "hoàn thành chậm nhất **trong Quý I/2026**",
        f"hoàn thành chậm nhất trong Quý một năm {Y2026}",
    ),
    (
        BINH_MINH,
        "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        "Nghị quyết Đại hội đại biểu toàn quốc lần thứ mười bốn của Đảng",
    ),
    (
        PHUOC_TAN,
        "Thực hiện Kế hoạch số 51/KH-UBND ngày 30/01/2026 của Ủy ban nhân dân tỉnh Đồng Nai",
        # the issuer is named right after: not read twice
        f"Thực hiện Kế hoạch số năm mươi mốt ngày ba mươi tháng một năm {Y2026} của Ủy ban "
        "nhân dân tỉnh Đồng Nai",
    ),
    (
        PHUOC_TAN,
        "Thời gian ban hành Kế hoạch chậm nhất trước **ngày 17 tháng 02 năm 2026**.",
        f"Thời gian ban hành Kế hoạch chậm nhất trước ngày mười bảy tháng hai năm {Y2026}.",
    ),
    (
        PHUOC_TAN,
        "giai đoạn 2021 - 2030 theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ",
        "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm ba mươi theo "
        "Nghị quyết số bảy mươi sáu ngày mười lăm tháng bảy năm hai nghìn không trăm hai mươi "
        "mốt của Chính phủ",
    ),
    (
        VP_TINH,
        "- Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 98%.",
        "- Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu chín mươi tám phần trăm.",
    ),
    (
        VP_TINH,
        "Dịch vụ công trực tuyến tỉnh Đồng Nai tại địa chỉ <http://dichvucong.dongnai.gov.vn>.",
        "Dịch vụ công trực tuyến tỉnh Đồng Nai tại địa chỉ dịch vụ công chấm Đồng Nai chấm gov "
        "chấm vn.",
    ),
]


@pytest.mark.parametrize(("plan", "printed", "spoken"), CASES)
def test_plan_sentences_read_aloud(plan: str, printed: str, spoken: str) -> None:
    assert radio_script(printed) == spoken


@pytest.mark.parametrize(("plan", "printed", "spoken"), CASES)
def test_the_quoted_sentences_are_in_the_plans(plan: str, printed: str, spoken: str) -> None:
    path = PLANS / plan
    if not path.exists():
        pytest.skip(f"{path} not available")
    assert printed in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("plan", [BINH_MINH, PHUOC_TAN, VP_TINH])
def test_whole_plans_have_no_digit_abbreviation_or_raw_address_left(plan: str) -> None:
    path = PLANS / plan
    if not path.exists():
        pytest.skip(f"{path} not available")
    script = radio_script(path.read_text(encoding="utf-8"))
    assert not re.search(r"\d", script)
    assert "http" not in script and "://" not in script
    for abbreviation in ("UBND", "TTHC", "HĐND", "NĐ-CP", "QĐ", "BHXH", "DVC"):
        assert not re.search(rf"(?<!\w){abbreviation}(?!\w)", script), abbreviation


def test_abbreviations_are_whole_words_only() -> None:
    assert expand_abbreviations("CCCD, BHYT, BHXH, HĐND, MTTQ, CNTT, DVCTT, DVC, QĐ, KH") == (
        "căn cước công dân, bảo hiểm y tế, bảo hiểm xã hội, Hội đồng nhân dân, Mặt trận Tổ quốc, "
        "công nghệ thông tin, dịch vụ công trực tuyến, dịch vụ công, quyết định, kế hoạch"
    )
    assert expand_abbreviations("KHÔNG KHÍ, UBNDX") == "KHÔNG KHÍ, UBNDX"
    assert radio_script("theo NĐ-CP") == "theo nghị định của Chính phủ"


def test_times_phones_money_and_addresses() -> None:
    assert radio_script("Làm việc 7h00–11h30, chiều từ 13h30; hạn 14 giờ.") == (
        "Làm việc bảy giờ đến mười một giờ ba mươi phút, chiều từ mười ba giờ ba mươi phút; "
        "hạn mười bốn giờ."
    )
    assert radio_script("Gọi 0912345678.") == "Gọi không chín một hai, ba bốn năm, sáu bảy tám."
    assert radio_script("Lệ phí 1.500.000 đồng, giảm 2,5%.") == (
        "Lệ phí một triệu năm trăm nghìn đồng, giảm hai phẩy năm phần trăm."
    )
    assert read_url("https://zalo.me/1234") == "zalo chấm me gạch chéo một hai ba bốn"
    assert radio_script("Thông tư số 5/2025/TT-VPCP") == (
        f"Thông tư số năm năm {Y2025} của Văn phòng Chính phủ"
    )


def test_nothing_is_lost_from_ordinary_words(tmp_path: Path) -> None:
    text = "Bà con mang theo giấy tờ tùy thân khi đến Bộ phận Một cửa."
    assert radio_script(text) == text
