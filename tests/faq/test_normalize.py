from __future__ import annotations

import unicodedata

import pytest

from faq.normalize import (
    MAX_INPUT_CHARS,
    canonical,
    fold,
    is_syllable,
    question_clause,
    tokens,
)


def forms(text: str) -> list[tuple[str, str]]:
    return [(t.acc, t.fold) for t in tokens(text)]


def test_nfd_equals_nfc() -> None:
    text = "Đăng ký thường trú cho con ở Ủy ban nhân dân"
    assert forms(unicodedata.normalize("NFD", text)) == forms(text)


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("Uỷ ban", "Ủy ban"), ("khoẻ", "khỏe"), ("qúy", "quý")],
)
def test_tone_placement_is_irrelevant(old: str, new: str) -> None:
    assert forms(old) == forms(new)


def test_closed_syllables_keep_their_tone() -> None:
    assert [t.acc for t in tokens("hoàn huỳnh suýt")] == ["hoan2", "huynh2", "suyt1"]


def test_eth_lookalike_is_d_with_stroke() -> None:
    assert forms("Ðăng ký") == forms("Đăng ký")
    assert fold(canonical("Ðảm bảo")) == "dam bao"


def test_fullwidth_and_case() -> None:
    assert forms("ｃｃｃｄ") == forms("CCCD") == [("cccd", "cccd")]


def test_fold_removes_marks_and_d() -> None:
    assert fold("Đăng ký khai sinh") == "Dang ky khai sinh"
    assert [t.fold for t in tokens("ĐĂNG KÝ Hộ Khẩu!!!")] == ["dang", "ki", "ho", "khau"]


def test_i_y_variants_after_consonant() -> None:
    assert forms("lý lịch, đăng ký, mỹ") == forms("lí lịch, đăng kí, mĩ")
    assert tokens("quy")[0].fold == "quy"  # not after a consonant cluster


def test_marked_flag() -> None:
    toks = tokens("ho khẩu dc")
    assert [t.marked for t in toks] == [False, True, False]


def test_punctuation_and_elongation() -> None:
    assert canonical("Khônggg!!! được... ạ???") == "không được ạ"
    assert canonical("cccd") == "cccd"  # not an elongation


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "???", "\u0300\u0301"])
def test_empty_results(text: str) -> None:
    assert tokens(text) == []


def test_long_input_is_windowed_head_and_tail() -> None:
    text = "mở đầu " + "lan man " * 2000 + "câu hỏi cuối"
    out = canonical(text)
    assert len(out) <= MAX_INPUT_CHARS + 1
    assert out.startswith("mở đầu") and out.endswith("câu hỏi cuối")


def test_syllable_shape() -> None:
    assert is_syllable("thuong") and is_syllable("nghieng") and is_syllable("vang")
    assert not is_syllable("thiong") and not is_syllable("cccd") and not is_syllable("lamgiay")


def test_question_clause_is_the_last_question_sentence() -> None:
    text = (
        "Nhà tôi ở xa trung tâm, đi lại mất cả buổi. Hôm trước trời mưa to, đường lầy lội. "
        "Cho tôi hỏi muốn đổi giấy phép lái xe đã hết hạn thì làm ở đâu?"
    )
    clause = question_clause(text)
    assert clause is not None
    assert clause.endswith("làm ở đâu?")
    assert "Nhà tôi ở xa" not in clause


def test_question_clause_prefers_a_question_mark_over_a_closing_thanks() -> None:
    text = "Tôi mất bằng lái xe máy rồi, giờ xin cấp lại ở đâu, có phải thi lại không? Cảm ơn ạ."
    clause = question_clause(text)
    assert clause is not None and "cấp lại" in clause and "Cảm ơn" not in clause


def test_question_clause_joins_a_short_question_to_the_sentence_before() -> None:
    text = "Bố tôi mất tuần trước ở nhà. Gia đình tôi muốn làm giấy khai tử cho ông. Làm ở đâu?"
    assert question_clause(text) == "Gia đình tôi muốn làm giấy khai tử cho ông. Làm ở đâu?"


def test_question_clause_uses_question_words_without_a_question_mark() -> None:
    text = "Con tôi mới sinh được hai tuần. Giờ làm giấy khai sinh cho cháu thế nào"
    assert (
        question_clause(text)
        == "Con tôi mới sinh được hai tuần. Giờ làm giấy khai sinh cho cháu thế nào"
    )


@pytest.mark.parametrize("text", ["đăng ký tạm trú ở đâu?", "Trời mưa to. Đường trơn lắm."])
def test_question_clause_none_for_one_sentence_or_no_question(text: str) -> None:
    assert question_clause(text) is None
