"""faq/address.py: which messages ask what an old address has become, and which part is it."""

from __future__ import annotations

import pytest

from faq.address import old_address


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("phường Bến Nghé, quận 1 giờ là phường gì", "phuong ben nghe, quan 1"),
        ("phuong ben nghe quan 1 gio la phuong gi", "phuong ben nghe quan 1"),
        ("P.Bến Nghé Q.1 giờ là phường nào vậy", "p.ben nghe q.1"),
        (
            "địa chỉ mới của xã Tân Phú, huyện Đồng Phú, Bình Phước",
            "xa tan phu, huyen dong phu, binh phuoc",
        ),
        ("xa tan phu h dong phu binh phuoc nay thuoc xa nao", "xa tan phu h dong phu binh phuoc"),
        (
            "cho hỏi xã Bình Minh huyện Trảng Bom sau sáp nhập là xã gì ạ",
            "xa binh minh huyen trang bom",
        ),
        ("phuong 1 quan 3 tphcm gio thuoc phuong nao", "phuong 1 quan 3 tphcm"),
        ("địa chỉ cũ phường Tân Định quận 1 đổi thành gì", "phuong tan dinh quan 1"),
        ("huyện Trảng Bom bây giờ thuộc đâu", "huyen trang bom"),
        ("Bình Phước giờ là tỉnh nào", "tinh binh phuoc"),
    ],
)
def test_an_old_address_question_gives_the_address(text: str, address: str) -> None:
    assert old_address(text) == address


@pytest.mark.parametrize(
    "text",
    [
        "Sáp nhập rồi thì giấy tờ cũ có phải đổi lại không?",
        "xã tôi mới sáp nhập, làm khai sinh ở đâu",
        "Giờ làm giấy tờ ở huyện, giờ hết huyện rồi thì nộp ở mô?",
        "Cho tôi hỏi điều kiện hưởng bảo hiểm xã hội một lần hiện nay là gì ạ?",
        "Xin cho biết địa chỉ và giờ làm việc của Trung tâm Phục vụ hành chính công xã ạ.",
        "Đất nhà em sau khi sáp nhập xã có phải đi đổi sổ đỏ không ạ?",
        "Hộ khẩu giấy bị thu rồi thì giờ lấy gì chứng minh chỗ ở ạ?",
        "làm lại cccd ở đâu",
        "",
        "phường Bến Nghé giờ là phường gì " + "rất dài " * 40,
    ],
)
def test_other_questions_are_not_address_lookups(text: str) -> None:
    assert old_address(text) is None
