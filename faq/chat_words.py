"""How citizens type in chat, for the intent cues (pure): chat spellings ("ko", "dc", "mún"),
regional words ("mô", "mần răng", "hổng") and the two commonest slips of a phone keyboard, a
doubled letter ("nhậnn", "hủyy"), a dropped "n" ("đừg", "thôg") and a Telex tone key left
unconverted ("huyr"). The FAQ matcher has
its own, larger lexicon and speller; these only decide which cue fires.
"""

from __future__ import annotations

from functools import lru_cache

from faq.normalize import fold, is_syllable

__all__ = ["TEENCODE", "TEENCODE_MARKED", "chat_word", "repair"]

# Unaccented chat spellings -> folded words.
TEENCODE = {
    **dict.fromkeys(("ko", "k", "kh", "khg", "kg", "hok", "hem", "khum", "hk"), "khong"),
    **dict.fromkeys(("dc", "dx", "duoc"), "duoc"),
    **dict.fromkeys(("dk", "dky", "dki"), "dang ky"),
    **dict.fromkeys(("j", "ji"), "gi"),
    **dict.fromkeys(("e", "em"), "em"),
    **dict.fromkeys(("t", "tui", "toi", "tao"), "toi"),
    **dict.fromkeys(("mk", "mik", "mjk", "minh", "mih"), "minh"),
    **dict.fromkeys(("v", "z", "vay"), "vay"),
    **dict.fromkeys(("r", "oy", "roi"), "roi"),
    **dict.fromkeys(("sdt", "sdth"), "so dien thoai"),
    **dict.fromkeys(("dt", "dthoai"), "dien thoai"),
    **dict.fromkeys(("ubnd", "ubndx", "ub"), "uy ban"),
    **dict.fromkeys(("mn", "mng"), "moi nguoi"),
    **dict.fromkeys(("admin", "ad", "ads"), "ad"),
    **dict.fromkeys(("tks", "thks", "thanks", "thank", "thankyou", "camon"), "cam on"),
    **dict.fromkeys(("ok", "oke", "okie", "oki", "okela", "okay"), "ok"),
    **dict.fromkeys(("ib", "inbox", "nt"), "nhan tin"),
    **dict.fromkeys(("noti", "notif", "notification", "tbao"), "thong bao"),
    **dict.fromkeys(("qd", "qdinh"), "quyet dinh"),
    "vs": "voi",
    "ntn": "nhu the nao",
    "lm": "lam",
    "ng": "nguoi",
    "bn": "bao nhieu",
    "tk": "tai khoan",
    "hs": "ho so",
    "pakn": "phan anh kien nghi",
    "nx": "nua",
    "thui": "thoi",
    "ik": "di",
    "dj": "di",
    "hnay": "hom nay",
    "bh": "bao gio",
    "ck": "chong",
    "vk": "vo",
    "nhiu": "nhieu",
    "kq": "ket qua",
    "mail": "email",
    "cb": "can bo",
    "tt": "thong tin",
    "data": "du lieu",
    "check": "kiem tra",
    "h": "gio",
    "mun": "muon",
    "wa": "qua",
    "hum": "hom",
    "ni": "nay",
}
# Accented spellings (checked on the typed form: "hông" is "không", "hỏng" is not), with
# the regional words of the Centre and the South.
TEENCODE_MARKED = {
    "hông": "khong",
    "hổng": "khong",
    "đc": "duoc",
    "đk": "dang ky",
    "đky": "dang ky",
    "đt": "dien thoai",
    "sđt": "so dien thoai",
    "mún": "muon",
    "qđ": "quyet dinh",
    "mô": "dau",
    "mần": "lam",
    "răng": "sao",
    "rứa": "vay",
    "ni": "nay",
    "tê": "kia",
    "chừ": "bay gio",
    "lẹ": "nhanh",
    "bả": "ba ay",
    "ổng": "ong ay",
}


@lru_cache(maxsize=8192)  # chat vocabulary is small; a long message repeats its words
def repair(word: str) -> str:
    """A slip of the keyboard undone when the word is not a syllable and the fix is one:
    "nhậnn" -> "nhận", "hủyy" -> "hủy", "đừg" -> "đừng", "thôg" -> "thông", "mìh" -> "mình"."""
    folded = fold(word)
    if not folded.isalpha() or len(folded) < 2 or is_syllable(folded):
        return word
    for i in range(len(folded) - 1, 0, -1):  # a doubled letter: "nhậnn", "sácch"
        if folded[i] == folded[i - 1]:
            fixed = word[:i] + word[i + 1 :]
            if is_syllable(fold(fixed)):
                return fixed
    if folded[-1] in "sfrxj" and is_syllable(folded[:-1]):  # a Telex tone key left: "huyr"
        return word[:-1]
    if folded[-1] in "gh" and folded[-2] not in "ncg":  # "n" of "ng"/"nh" dropped
        fixed = word[:-1] + "n" + word[-1]
        return fixed if is_syllable(fold(fixed)) else word
    return word


@lru_cache(maxsize=8192)
def chat_word(word: str) -> str:
    """One canonical (lower-case, accented) word -> folded words the cues read."""
    word = repair(word)
    folded = fold(word)
    if folded == word:
        return TEENCODE.get(word, word)
    return TEENCODE_MARKED.get(word, folded)
