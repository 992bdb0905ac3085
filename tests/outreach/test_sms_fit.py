"""SMS: unaccented GSM-7 within 160 characters, numbered parts, or a clear "does not fit"."""

from __future__ import annotations

from bot.outreach.sms import (
    fit_sms,
    is_gsm7,
    segments,
    septets,
    split_numbered,
    strip_diacritics,
)

PLAN_SENTENCE = (  # xã Bình Minh 2026 plan, II.2.1.e
    "Hệ thống phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia và Tổng đài Dịch vụ công "
    "tỉnh Đồng Nai (0251) 1022 và cách thức phản ánh, kiến nghị về quy định, thủ tục hành chính."
)


def test_diacritics_force_ucs2_and_the_unaccented_form_is_gsm7() -> None:
    text = "Đường dây nóng Tổng đài Dịch vụ công (0251) 1022"
    assert not is_gsm7(text)
    assert segments(text) == ("ucs2", 1)  # 48 characters <= 70
    plain = strip_diacritics(text)
    assert plain == "Duong day nong Tong dai Dich vu cong (0251) 1022"
    assert is_gsm7(plain)
    assert segments("ồ" * 71) == ("ucs2", 2)  # 67 per concatenated part
    assert segments("ồ" * 134) == ("ucs2", 2)
    assert segments("ồ" * 135) == ("ucs2", 3)
    assert septets("[x]") == 5  # extension characters take two septets


def test_a_short_text_fits_one_unaccented_sms() -> None:
    fit = fit_sms(
        "Xã Bình Minh: nộp hồ sơ trực tuyến tại https://dichvucong.gov.vn. Gọi (0251) 1022."
    )
    assert fit.fits
    assert fit.parts == [
        "Xa Binh Minh: nop ho so truc tuyen tai https://dichvucong.gov.vn. Goi (0251) 1022."
    ]
    assert len(fit.parts[0]) <= 160
    assert fit.accented_segments == 2  # with diacritics it would cost two UCS-2 messages
    assert "1 tin" in fit.note


def test_a_plan_sentence_is_split_with_a_count_and_nothing_is_lost() -> None:
    fit = fit_sms(PLAN_SENTENCE)
    assert not fit.fits
    assert fit.chars > 160
    assert [p[:4] for p in fit.parts] == ["1/2 ", "2/2 "]
    assert all(septets(p) <= 160 and is_gsm7(p) for p in fit.parts)
    rejoined = " ".join(p[4:] for p in fit.parts)
    assert rejoined == strip_diacritics(PLAN_SENTENCE)
    assert "chia thành 2 tin" in fit.note


def test_too_long_says_it_cannot_fit_instead_of_truncating() -> None:
    long_text = " ".join([PLAN_SENTENCE] * 4)
    fit = fit_sms(long_text)
    assert not fit.fits
    assert fit.parts == []
    assert fit.note.startswith("KHÔNG VỪA SMS")
    assert "không tự cắt" in fit.note
    assert fit.text == strip_diacritics(long_text)  # the whole text is still there
    assert fit_sms(long_text, max_parts=9).parts  # with more parts allowed it splits


def test_characters_gsm7_cannot_write_are_reported() -> None:
    fit = fit_sms("Chúc mừng năm mới 🎉 – “Tết” …")
    assert fit.parts == ['Chuc mung nam moi - "Tet" ...']
    assert fit.dropped == "🎉"
    assert "🎉" in fit.note


def test_split_numbered_never_exceeds_160_with_a_long_url() -> None:
    text = "Xem https://dichvucong.gov.vn/" + "a" * 200 + " ngay"
    parts = split_numbered(text, 3)
    assert parts is not None
    assert all(septets(p) <= 160 for p in parts)
    assert "".join(p.split(" ", 1)[1].replace(" ", "") for p in parts) == text.replace(" ", "")
