"""Is this message asking what an old address has become since the 2025 reorganisation?

Pure: it only decides whether to try a conversion and which part of the text is the address;
the conversion itself (the official 63 → 34 mapping) lives in bot/address.py.

    "phuong ben nghe quan 1 gio la phuong gi"  → "phuong ben nghe quan 1"
    "địa chỉ mới của xã Tân Phú, huyện Đồng Phú" → "xa tan phu, huyen dong phu"
    "sáp nhập rồi giấy tờ cũ có phải đổi không" → None (no place named: an FAQ question)
"""

from __future__ import annotations

import re
import unicodedata

from faq.normalize import fold

MAX_CHARS = 160  # an address question is short; a long story goes to the FAQ path

_END = r"(?![a-z0-9])"
# Words that follow a level word without naming a place ("ở xã có …", "huyện cũ", "xã tôi").
_NOT_A_NAME = (
    r"(?:toi|tui|em|minh|nha|co|cua|la|nay|do|kia|ben|cu|moi|minh|mot|khac|thi|va|voi|o|da|dang"
    r"|se|roi|gi|nao|gan|xa|het|nua|ma|ko|khong|hay|nhu|the|de|duoc|ve|len|ra|vao|cho|lam|hoi)"
)
# A level word followed by a name: "xa tan phu", "quan 1", "q.1", "h. dong phu", "tp hcm".
_LEVEL = (
    r"(?:(?:xa|phuong|thi tran|thi xa|quan|huyen|tinh|thanh pho|ap|khu pho)" + _END
    + r"|(?:p|q|h|tp|tx|tt)(?:\.|" + _END + r"))"
)
_PLACE = re.compile(
    r"(?<![a-z0-9])" + _LEVEL + r"\s*(?!" + _NOT_A_NAME + _END + r")[a-z0-9]", re.IGNORECASE
)
_OLD_LEVEL = re.compile(
    r"(?<![a-z])(?:quan|huyen|thi xa|q\.|h\.)\s*(?!" + _NOT_A_NAME + _END + r")[a-z0-9]"
)

# How people ask for the new name ("giờ là phường gì", "nay thuộc xã nào", "địa chỉ mới").
_ASK = re.compile(
    r"(?<![a-z])(?:"
    r"dia chi moi|ten moi|ten goi moi"
    r"|(?:bay gio|gio|hien nay|nay|hien tai|bay h)\s*(?:la|thuoc|doi thanh|thanh|ten la|goi la)"
    r"\s*(?:xa|phuong|tinh|thanh pho|dac khu|gi|nao|o dau|dau)"
    r"|(?:bay gio|gio|hien nay|nay|hien tai|bay h)\s*thuoc"
    r"|sau (?:khi )?sap nhap (?:la|thuoc|thanh|ten)|sap nhap (?:thanh|vao)|doi ten thanh"
    r"|doi thanh (?:xa|phuong|gi)"
    r"|thuoc (?:xa|phuong|tinh|thanh pho|dac khu) nao|la (?:xa|phuong|tinh|thanh pho) (?:nao|gi)"
    r"|ghi (?:dia chi )?(?:the nao|sao|ntn|nhu the nao)|viet (?:dia chi )?(?:the nao|sao|ntn)"
    r")" + _END
)
# Words around the address that the parser need not see.
_NOISE = re.compile(
    r"(?<![a-z])(?:cho (?:toi|tui|em|chau|minh) hoi|xin hoi|hoi chut|cho hoi"
    r"|(?:dia chi|dc) (?:cu|moi)"
    r"|dia chi|cua (?:toi|tui|em|minh|nha)|nha (?:toi|tui|em|minh) o|toi o|tui o|em o|o|cu|cua"
    r"|ad oi|admin oi|a oi|ah|a|ak|vay|z|nhi|nhe|ha|khong|ko|k|hok|hong|roi|sau sap nhap"
    r"|truoc day"
    r"|ngay xua|hoi truoc|truoc kia|truoc|gio|bay gio|nay|hien nay)(?![a-z])"
)


def old_address(text: str) -> str | None:
    """The address part of a question about an old address's new name, or None."""
    if not text or len(text) > MAX_CHARS:
        return None
    folded = fold(unicodedata.normalize("NFC", text).lower())
    ask = _ASK.search(folded)
    if ask is None:
        return None
    before, after = folded[: ask.start()], folded[ask.end() :]
    if "tinh" in ask.group(0) and not _PLACE.search(before):
        # "Bình Phước giờ là tỉnh nào": an old province's name, nothing else.
        name = _clean(before)
        return f"tinh {name}" if name and len(name.split()) <= 4 else None
    # A named place before or after the question, or an old level (district) anywhere: "huyện"
    # and "quận" no longer exist, so naming one is naming an old address.
    if not (_PLACE.search(before) or _PLACE.search(after) or _OLD_LEVEL.search(folded)):
        return None
    # "xã Tân Phú … giờ là xã gì": the address is before the question; "địa chỉ mới của xã …":
    # after it. Keep whichever side names a place, cut at the first "?".
    side = before if _PLACE.search(before) else after
    side = _clean(side.split("?")[0])
    return side if _PLACE.search(side) else None


def _clean(side: str) -> str:
    side = _NOISE.sub(" ", side)
    side = re.sub(r"\b(?:la|thuoc|gi|nao|moi|the|sao)\s*$", " ", side)
    side = re.sub(r"[^a-z0-9,.\s]", " ", side)
    return re.sub(r"\s+", " ", side).strip(" ,.")
