"""One campaign text → web/Facebook post, leaflet, the console's "Xuất bản" block, downloads."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from bot.content.units import Hotline, Unit
from bot.outreach.texts import (
    export_file,
    hashtag,
    leaflet_html,
    render_exports,
    render_exports_html,
    web_post,
)

UNIT = Unit(
    key="xa-binh-minh",
    name="UBND xã Bình Minh",
    short_name="xã Bình Minh",
    level="xa",
    province="Đồng Nai",
    hotlines=(Hotline("Tổng đài Dịch vụ công tỉnh Đồng Nai", "(0251) 1022", "02511022"),),
)
CAMPAIGN = (
    "Nộp hồ sơ trực tuyến, không phải xếp hàng\n\n"
    "UBND xã Bình Minh khuyến khích bà con nộp hồ sơ thủ tục hành chính trên Cổng Dịch vụ công "
    "quốc gia tại địa chỉ <https://dichvucong.gov.vn>. Kế hoạch số 52/KH-UBND ngày 30/01/2026 "
    "đặt mục tiêu tăng giao dịch dịch vụ công trực tuyến và thanh toán trực tuyến. "
    "Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 98%. Cán bộ Bộ phận Một cửa sẵn sàng "
    "hướng dẫn bà con từng bước, kể cả cách tạo tài khoản định danh điện tử."
)


def test_hashtag_of_a_unit() -> None:
    assert hashtag("xã Bình Minh") == "#XaBinhMinh"
    assert hashtag("phường Phước Tân") == "#PhuongPhuocTan"


def test_web_post_title_paragraphs_links_and_hashtags() -> None:
    post = web_post(CAMPAIGN, UNIT)
    lines = post.splitlines()
    assert lines[0] == "NỘP HỒ SƠ TRỰC TUYẾN, KHÔNG PHẢI XẾP HÀNG"
    assert lines[1] == ""
    assert "https://dichvucong.gov.vn" in post and "<https" not in post  # link kept, bare
    paragraphs = [p for p in post.split("\n\n")[1:-1]]
    assert len(paragraphs) >= 3  # the long block is cut into short paragraphs
    assert all(len(p) <= 320 for p in paragraphs)
    assert "Thông tin liên hệ: Tổng đài Dịch vụ công tỉnh Đồng Nai (0251) 1022." in post
    assert lines[-1] == "#DichVuCong #ThuTucHanhChinh #XaBinhMinh"


def test_web_post_without_a_title_line_uses_the_unit() -> None:
    post = web_post("Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 98%.", UNIT)
    assert post.startswith("UBND XÃ BÌNH MINH THÔNG BÁO\n\nTỷ lệ giải quyết hồ sơ")


def test_leaflet_is_a5_with_the_portal_code() -> None:
    html = leaflet_html(CAMPAIGN, UNIT)
    assert "size: A5" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h1 and soup.h1.get_text() == "Nộp hồ sơ trực tuyến, không phải xếp hàng"
    assert [s["data-qr"] for s in soup.find_all("svg")] == ["https://dichvucong.gov.vn"]
    assert "(0251) 1022" in soup.get_text()


def test_render_exports_feeds_every_channel_from_one_text() -> None:
    exports = render_exports(CAMPAIGN, UNIT)
    assert set(exports) == {"radio", "post", "sms", "leaflet"}
    assert (
        "ngày ba mươi tháng một năm hai nghìn không trăm hai mươi sáu" in exports["radio"]["text"]
    )
    assert "chín mươi tám phần trăm" in exports["radio"]["text"]
    assert exports["radio"]["seconds"] > 0
    assert exports["sms"]["fits"] is False  # too long for one SMS: split and counted
    assert [p[:4] for p in exports["sms"]["parts"]] == ["1/3 ", "2/3 ", "3/3 "]
    assert "chia thành 3 tin" in exports["sms"]["note"]
    block = BeautifulSoup(
        render_exports_html(exports, {"radio.txt": "/x/radio.txt"}), "html.parser"
    )
    assert block.find(id="xuat-ban")
    assert block.find("a", href="/x/radio.txt")
    assert "chia thành 3 tin" in block.get_text()
    assert len(block.select("pre.export-sms")) == 3


def test_partial_escapes_campaign_text() -> None:
    exports = render_exports("<script>alert(1)</script> tin ngắn", UNIT)
    html = str(render_exports_html(exports))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_export_files() -> None:
    body, kind = export_file("radio", "txt", CAMPAIGN, UNIT)
    assert kind == "text/plain" and body.startswith("BẢN ĐỌC TRÊN ĐÀI TRUYỀN THANH — UBND xã")
    assert "UBND" not in body.split("\n", 2)[2]
    body, kind = export_file("sms", "txt", "Gọi (0251) 1022.", UNIT)
    assert body.splitlines()[-1] == "Goi (0251) 1022."
    body, kind = export_file("leaflet", "html", CAMPAIGN, UNIT)
    assert kind == "text/html" and "size: A5" in body
    with pytest.raises(ValueError):
        export_file("leaflet", "txt", CAMPAIGN, UNIT)
    with pytest.raises(ValueError):
        export_file("tv", "txt", CAMPAIGN, UNIT)
