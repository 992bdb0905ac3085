"""Blanking a person's name, phone number and address inside the texts a PAKN keeps."""

from __future__ import annotations

from bot.privacy import BLANK, Scrubber


def test_a_name_phone_and_address_are_blanked_however_written() -> None:
    scrub = Scrubber(["Trịnh Thị Mai Hoa"], ["+84912345678"], ["Số 12 đường Lê Lợi, ấp 3"])
    text = (
        "Tôi là TRỊNH THỊ  MAI HOA, ở số 12 đường Lê Lợi, ấp 3. Gọi 0912.345.678, "
        "+84 912 345 678 hoặc 912345678; số 09123456789 không phải của tôi."
    )
    assert scrub(text) == (
        f"Tôi là {BLANK}, ở {BLANK}. Gọi {BLANK}, {BLANK} hoặc {BLANK}; "
        "số 09123456789 không phải của tôi."
    )


def test_one_word_names_and_parts_of_words_stay() -> None:
    """A one-word name is also an ordinary word ("An" in "an toàn"): it is not blanked."""
    scrub = Scrubber(["An", "Văn An"], [], [])
    assert scrub("Ông Văn An nói: đường ở đây không an toàn.") == (
        f"Ông {BLANK} nói: đường ở đây không an toàn."
    )
    assert scrub("Văn Anh") == "Văn Anh"


def test_nothing_to_blank() -> None:
    scrub = Scrubber([None, ""], [None, "không có"], [None])
    assert scrub("Đèn đường hỏng.") == "Đèn đường hỏng."
    assert scrub(None) is None
