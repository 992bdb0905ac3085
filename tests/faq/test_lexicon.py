from __future__ import annotations

import pytest

from faq.lexicon import CompiledLexicon, lexicon_from_mapping


def folds(lex: CompiledLexicon, text: str) -> str:
    return " ".join(t.fold for t in lex.expand_text(text, drop_stopwords=False))


def test_from_mapping_shapes() -> None:
    lex = lexicon_from_mapping(
        {"abbreviations": {"ko": "không", "hk": ["không", "hộ khẩu"]}, "stopwords": ["ạ", 1]}
    )
    assert lex.abbreviations == {"ko": "không", "hk": "không | hộ khẩu"}
    assert lex.synonyms == {}
    assert lex.stopwords == ("ạ", "1")
    assert lexicon_from_mapping(None).abbreviations == {}


@pytest.mark.parametrize(
    "bad",
    [
        ["ko"],
        {"abbrevs": {}},
        {"synonyms": ["a", "b"]},
        {"synonyms": {"x": ""}},
        {"stopwords": "ạ"},
    ],
)
def test_from_mapping_rejects_bad_shapes(bad: object) -> None:
    with pytest.raises(ValueError, match="lexicon"):
        lexicon_from_mapping(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ko dc", "khong duoc"),
        ("đc k", "duoc khong"),
        ("lam cccd o dau", "lam can cuoc o dau"),
        ("CMND", "can cuoc chung minh nhan dan"),  # the new card, and the old one's own words
        ("gplx", "giay phep lai xe"),
        ("bằng lái", "giay phep lai xe"),
        ("so do", "giay chung nhan quyen su dung dat"),
        ("sổ hồng", "giay chung nhan quyen su dung dat"),
        ("khai sanh", "khai sinh"),
        ("giấy độc thân", "giay xac nhan tinh trang hon nhan"),
        ("công chứng", "chung thuc"),
        ("chứng tử", "khai tu"),
        ("passport", "ho chieu"),
        ("nhập khẩu", "dang ki thuong tru"),
        ("đkkh", "dang ki ket hon"),
        ("chồng người Úc", "chong nguoi nuoc ngoai"),
        ("vo nguoi han quoc", "vo nguoi nuoc ngoai"),
        ("bằng khoán", "giay chung nhan quyen su dung dat"),
    ],
)
def test_expansion(compiled: CompiledLexicon, typed: str, expected: str) -> None:
    assert folds(compiled, typed) == expected


def test_folded_key_matches_unaccented_input(compiled: CompiledLexicon) -> None:
    assert folds(compiled, "ho khau") == folds(compiled, "hộ khẩu") == "thuong tru"


def test_accented_key_does_not_fire_on_other_marks(compiled: CompiledLexicon) -> None:
    assert folds(compiled, "cuối tháng") == "cuoi thang"  # "cưới" is a key, "cuối" is not
    assert folds(compiled, "cưới") == "ket hon"


def test_several_readings_are_all_kept(compiled: CompiledLexicon) -> None:
    assert folds(compiled, "hk") == "khong thuong tru"  # không | hộ khẩu -> thường trú


def test_only_with_marks_needs_the_marks() -> None:
    lex = CompiledLexicon(lexicon_from_mapping({"only_with_marks": {"mướn": "thuê", "dìa": "về"}}))
    assert folds(lex, "mướn nhà") == "thue nha"
    assert folds(lex, "dìa quê") == "ve que"
    assert folds(lex, "toi muon lam") == "toi muon lam"  # "muốn" typed without marks
    assert folds(lex, "dia chi") == "dia chi"  # "địa chỉ"
    assert folds(lex, "muốn") == "muon"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("toi muon lam cccd", "toi muon lam can cuoc"),
        ("dia chi xa o dau", "dia chi xa o dau"),
        ("mo cua may gio", "mo cua may gio"),
        ("vo chong", "vo chong"),
        ("kiem tra", "kiem tra"),
        ("de lam giay", "de lam giay"),
        ("mat so hong", "mat giay chung nhan quyen su dung dat"),
        ("dìa quê làm", "ve que lam"),
        ("có được hông", "co duoc khong"),
        ("nhiêu tiền", "bao nhieu tien"),
        ("nhieu nguoi", "nhieu nguoi"),  # "nhiều người"
        ("cuoi tuan co lam viec ko", "cuoi tuan co lam viec khong"),  # "cuối", not "cưới"
        ("cuoi vo", "ket hon vo"),
        ("cưới nhau được 1 năm", "vo chong duoc 1 nam"),  # a state, not the procedure
        ("tra qua momo", "tra qua vi dien tu"),
        ("ở nhờ nhà bạn", "luu tru nha ban"),
        ("nhà ở hẻm 45", "nha o hem 45"),  # an alley, not the chat "hem" (không)
        ("hem co", "khong co"),
        ("đc ko", "duoc khong"),
        ("bán xôi đầu hẻm", "kinh doanh dau hem"),
        ("lấy vợ cần giấy gì", "ket hon can giay gi"),  # the question of registering
        ("lấy chồng về đây 5 năm", "ve nha chong day 5 nam"),  # a past state
        ("ở nhà bố mẹ đẻ", "o nha bo me"),  # by birth, not "sinh"
        ("lấy chồng Trung Quốc", "ket hon voi nguoi nuoc ngoai"),
        ("giấy chứng minh bị mất", "can cuoc chung minh nhan dan bi mat"),  # the old card
        ("giấy chứng minh nơi cư trú", "giay chung minh noi cu tru"),  # a proof
        ("số đỏ bị mất", "giay chung nhan quyen su dung dat bi mat"),  # a slipped tone mark
        ("số điện thoại", "so dien thoai"),
        ("ba mất không để lại di chúc", "ba mat thua ke"),  # no will: shared by law
        ("muốn làm di chúc", "muon lam di chuc"),
        ("hộ kd của em", "ho kinh doanh cua em"),
        ("có rẻ hơn không", "co giam phi khong"),
        ("không rành máy tính", "khong biet may tinh"),
        ("đứng ra lo cho cháu", "giam ho cho chau"),
        ("đứng ra lo cho việc cưới", "dung ra lo cho viec ket hon"),  # not a child: no guardian
        ("lấy chồng tq", "ket hon voi nguoi nuoc ngoai"),  # chat spelling of Trung Quốc
        ("vô trang web nhà nước", "vao cong dich vu cong"),
        ("lập tài khoản", "tao tai khoan"),
        ("đói chết mất", "doi lam mat"),  # an intensifier, not a death
    ],
)
def test_regional_words_leave_unmarked_common_words_alone(
    compiled: CompiledLexicon, typed: str, expected: str
) -> None:
    assert folds(compiled, typed) == expected


def test_stopwords(compiled: CompiledLexicon) -> None:
    kept = [t.fold for t in compiled.expand_text("cho mình hỏi phản ánh ở đâu ạ")]
    assert kept == ["cho", "phan", "anh", "o", "dau"]  # "ánh" is not the pronoun "anh"
