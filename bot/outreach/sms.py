"""SMS fitting: GSM-7 without diacritics in 160 characters, or split and counted, never cut.

Vietnamese letters with diacritics are not in the GSM-7 alphabet, so one such letter makes the
whole message UCS-2: 70 characters for a single SMS, 67 per part of a concatenated one. The
unaccented form (diacritics stripped, đ → d) is GSM-7: 160 characters (153 per concatenated
part). When even that does not fit, the text is split into numbered messages ("1/2 …", "2/2 …")
up to `max_parts`; beyond that the result says it does not fit, and nothing is truncated.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # two septets each (escape + char)
SINGLE_GSM, PART_GSM = 160, 153
SINGLE_UCS2, PART_UCS2 = 70, 67
DEFAULT_MAX_PARTS = 3
_REPLACEMENTS = {
    "đ": "d",
    "Đ": "D",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "•": "-",
    "\u00a0": " ",
}


def strip_diacritics(text: str) -> str:
    """ "Ủy ban nhân dân xã Bình Minh" -> "Uy ban nhan dan xa Binh Minh" (đ → d)."""
    text = "".join(_REPLACEMENTS.get(c, c) for c in unicodedata.normalize("NFC", text))
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def septets(text: str) -> int:
    """Length in GSM-7 septets (extension characters count twice)."""
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def ucs2_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> tuple[str, int]:
    """("gsm7" | "ucs2", number of SMS segments) for sending `text` as it is."""
    if is_gsm7(text):
        n = septets(text)
        return "gsm7", 1 if n <= SINGLE_GSM else math.ceil(n / PART_GSM)
    n = ucs2_units(text)
    return "ucs2", 1 if n <= SINGLE_UCS2 else math.ceil(n / PART_UCS2)


@dataclass(frozen=True)
class SmsFit:
    text: str  # the unaccented GSM-7 text, whole (not cut)
    chars: int  # its length in septets
    fits: bool  # True: `parts` holds one message of at most 160 characters
    parts: list[str] = field(default_factory=list)  # what to send; empty when it cannot fit
    accented_segments: int = 0  # segments if sent with diacritics (UCS-2)
    gsm_segments: int = 0  # segments if sent unaccented as one concatenated message
    dropped: str = ""  # characters that GSM-7 has no way to write (removed)
    note: str = ""  # Vietnamese explanation for staff


def to_gsm7(text: str) -> tuple[str, str]:
    """(unaccented GSM-7 text with whitespace collapsed, characters that had to be removed)."""
    plain = strip_diacritics(text)
    dropped = "".join(sorted({c for c in plain if not (c in GSM7_BASIC or c in GSM7_EXTENDED)}))
    plain = "".join(c for c in plain if c not in dropped or c.isspace())
    return re.sub(r"\s+", " ", plain).strip(), dropped.strip()


def _split(words: list[str], budget: int) -> list[str] | None:
    parts: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if septets(candidate) <= budget:
            current = candidate
            continue
        if current:
            parts.append(current)
        while septets(word) > budget:  # a very long word (a URL): cut it, it is still whole
            parts.append(word[:budget])
            word = word[budget:]
        current = word
    if current:
        parts.append(current)
    return parts


def split_numbered(text: str, max_parts: int) -> list[str] | None:
    """ "1/3 …", "2/3 …" messages of at most 160 septets each; None if more than max_parts."""
    words = text.split(" ")
    for total in range(2, max_parts + 1):
        prefix = len(f"{total}/{total} ")
        parts = _split(words, SINGLE_GSM - prefix)
        if parts is not None and len(parts) <= total:
            n = len(parts)
            return [f"{i}/{n} {part}" for i, part in enumerate(parts, 1)]
    return None


def fit_sms(text: str, *, max_parts: int = DEFAULT_MAX_PARTS) -> SmsFit:
    """The SMS version of a campaign text: one 160-character message, numbered parts, or a
    clear "does not fit" (parts empty) — never silently cut."""
    plain, dropped = to_gsm7(text)
    accented = segments(re.sub(r"\s+", " ", text).strip())[1]
    n = septets(plain)
    parts: list[str] | None
    if n <= SINGLE_GSM:
        parts = [plain]
        note = (
            f"Vừa 1 tin SMS không dấu ({n}/{SINGLE_GSM} ký tự). Nếu gửi có dấu sẽ thành "
            f"{accented} tin (có dấu: {SINGLE_UCS2} ký tự/tin, {PART_UCS2} khi ghép)."
        )
    elif (parts := split_numbered(plain, max_parts)) is None:
        note = (
            f"KHÔNG VỪA SMS: {n} ký tự không dấu, cần hơn {max_parts} tin (mỗi tin tối đa "
            f"{SINGLE_GSM} ký tự). Hãy viết một bản tin ngắn riêng cho SMS; hệ thống không tự "
            "cắt bớt nội dung."
        )
    else:
        note = (
            f"Quá {SINGLE_GSM} ký tự ({n} ký tự không dấu): chia thành {len(parts)} tin đánh số "
            f"1/{len(parts)} … {len(parts)}/{len(parts)}. Gửi có dấu sẽ thành {accented} tin."
        )
    if dropped:
        note += f" Đã bỏ ký tự SMS không gửi được: {dropped}."
    return SmsFit(
        text=plain,
        chars=n,
        fits=n <= SINGLE_GSM,
        parts=parts or [],
        accented_segments=accented,
        gsm_segments=1 if n <= SINGLE_GSM else math.ceil(n / PART_GSM),
        dropped=dropped,
        note=note,
    )
