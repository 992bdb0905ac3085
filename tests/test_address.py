"""bot/address.py: old addresses typed in many forms → the new commune/ward and province, from
the pinned official mapping, in its worker process; the chat and `loaxa ask` answer with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.address import AddressBook, load_note, reply_for
from bot.content.errors import ContentError
from faq.address import old_address

CONTENT = Path(__file__).resolve().parents[1] / "content"


@pytest.fixture(scope="module")
def book() -> AddressBook:
    return AddressBook(load_note(CONTENT / "address.yaml"))


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("phường Bến Nghé, quận 1 giờ là phường gì", "Phường Sài Gòn, Thành phố Hồ Chí Minh"),
        ("phuong ben nghe quan 1 tp hcm gio la phuong gi", "Phường Sài Gòn, Thành phố Hồ Chí Minh"),
        ("P.Bến Nghé Q.1 giờ là phường nào vậy", "Phường Sài Gòn, Thành phố Hồ Chí Minh"),
        ("địa chỉ mới của xã Tân Phú, huyện Đồng Phú, Bình Phước", "Xã Đồng Phú, Tỉnh Đồng Nai"),
        ("xa tan phu, h. dong phu, binh phuoc nay thuoc xa nao", "Xã Đồng Phú, Tỉnh Đồng Nai"),
        ("phuong 1 quan 3 tphcm gio thuoc phuong nao", "Phường Bàn Cờ, Thành phố Hồ Chí Minh"),
        ("xã Bình Minh huyện Trảng Bom sau sáp nhập là xã gì", "Xã Bình Minh, Tỉnh Đồng Nai"),
    ],
)
async def test_old_addresses_convert(book: AddressBook, text: str, new: str) -> None:
    old = old_address(text)
    assert old is not None
    conversion = await book.convert(old)
    assert conversion is not None and conversion.kind == "ward"
    assert conversion.new == (new,)


async def test_a_split_commune_lists_every_new_one(book: AddressBook) -> None:
    conversion = await book.convert("xa xuan tam huyen xuan loc dong nai")
    assert conversion is not None and conversion.kind == "split"
    assert set(conversion.new) == {"Xã Xuân Đông, Tỉnh Đồng Nai", "Xã Xuân Hòa, Tỉnh Đồng Nai"}
    key, context = reply_for(conversion, book.note) or ("", {})
    assert key == "address.split" and "Xã Xuân Đông" in context["options"]


async def test_a_district_or_province_alone_asks_for_the_commune(book: AddressBook) -> None:
    district = await book.convert("huyen trang bom dong nai")
    assert district is not None and district.kind == "district"
    assert district.province == "Tỉnh Đồng Nai"
    province = await book.convert("tinh binh phuoc")
    assert province is not None and province.kind == "province"
    assert province.province == "Tỉnh Đồng Nai"


async def test_nothing_recognised_goes_the_usual_way(book: AddressBook) -> None:
    conversion = await book.convert("xa abcxyz qwerty")
    assert conversion is not None and conversion.kind == "unknown"
    assert reply_for(conversion, book.note) is None
    assert reply_for(None, book.note) == ("address.unavailable", {})


def test_the_note_needs_a_source_and_a_date(tmp_path: Path) -> None:
    bad = tmp_path / "address.yaml"
    bad.write_text("note: Giấy tờ cũ vẫn dùng được.\nsource: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_note(bad)
    text = str(caught.value)
    assert "address.yaml" in text and "'source'" in text and "'checked'" in text


def test_loaxa_ask_carries_the_conversion_in_reply() -> None:
    from bot.cli_faq import _result
    from bot.content.loader import load_content

    content = load_content(CONTENT)
    unit = content.units["xa-binh-minh"]
    result = _result(content, unit, "phường Bến Nghé, quận 1 giờ là phường gì")
    assert result["intent"] == "address" and result["decision"] == "route"
    assert "Phường Sài Gòn, Thành phố Hồ Chí Minh" in result["reply"]
    assert "không bắt buộc phải đổi" in result["reply"]
    plain = _result(content, unit, "làm lại căn cước ở đâu")
    assert plain["intent"] != "address"
