"""The loudspeaker (đài truyền thanh) script: a campaign text as an announcer reads it aloud.

Abbreviations are expanded (UBND → Ủy ban nhân dân, TTHC → thủ tục hành chính …); legal
references, dates, times, phone numbers, percentages, web addresses and plain numbers are
written in words. Pure: text in, text out. The order of the passes matters (a legal reference
"118/2025/NĐ-CP" must be read before "2025" is taken for a year, a URL before its dots).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bot.outreach.numbers import (
    read_date,
    read_decimal,
    read_digits,
    read_month,
    read_number,
    read_phone,
    read_time,
    roman_to_int,
    split_phone,
)

# Longest first at match time; case-sensitive, whole words only.
ABBREVIATIONS: dict[str, str] = {
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "TTHC": "thủ tục hành chính",
    "CCHC": "cải cách hành chính",
    "DVCTT": "dịch vụ công trực tuyến",
    "DVC": "dịch vụ công",
    "TTPVHCC": "Trung tâm Phục vụ hành chính công",
    "PVHCC": "Phục vụ hành chính công",
    "HCC": "hành chính công",
    "CCCD": "căn cước công dân",
    "CMND": "chứng minh nhân dân",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "BHTN": "bảo hiểm thất nghiệp",
    "CNTT": "công nghệ thông tin",
    "CSDL": "cơ sở dữ liệu",
    "PAKN": "phản ánh, kiến nghị",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "CBCC": "cán bộ, công chức",
    "PCT": "Phó Chủ tịch",
    "NĐ-CP": "nghị định của Chính phủ",
    "KH-UBND": "kế hoạch của Ủy ban nhân dân",
    "NQ-CP": "nghị quyết của Chính phủ",
    "QĐ-TTg": "quyết định của Thủ tướng Chính phủ",
    "KT-XH": "kinh tế - xã hội",
    "VH-XH": "văn hóa - xã hội",
    "VHXH": "văn hóa - xã hội",
    "THPT": "trung học phổ thông",
    "THCS": "trung học cơ sở",
    "GPLX": "giấy phép lái xe",
    "SĐT": "số điện thoại",
    "BCĐ": "Ban Chỉ đạo",
    "TTg": "Thủ tướng Chính phủ",
    "KH": "kế hoạch",
    "QĐ": "quyết định",
    "NĐ": "nghị định",
    "NQ": "nghị quyết",
    "CP": "Chính phủ",
    "TP": "thành phố",
    "VP": "Văn phòng",
    "VNĐ": "đồng",
    "VND": "đồng",
}

DOC_TYPES = {
    "NĐ": "nghị định",
    "NQ": "nghị quyết",
    "QĐ": "quyết định",
    "KH": "kế hoạch",
    "TT": "thông tư",
    "CT": "chỉ thị",
    "CTr": "chương trình",
    "HD": "hướng dẫn",
    "TB": "thông báo",
    "CV": "công văn",
}
ISSUERS = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "VPCP": "Văn phòng Chính phủ",
    "TW": "Trung ương",
    "TU": "Tỉnh ủy",
    "ĐU": "Đảng ủy",
    "VP": "Văn phòng",
    "BNV": "Bộ Nội vụ",
    "BCA": "Bộ Công an",
    "BTC": "Bộ Tài chính",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "QH": "Quốc hội",
}
URL_WORDS = {
    "dichvucong": "dịch vụ công",
    "dongnai": "Đồng Nai",
    "chinhphu": "chính phủ",
    "baohiemxahoi": "bảo hiểm xã hội",
    "congan": "công an",
    "t": "tê",
}
_W = r"A-Za-zÀ-ỹĐđ0-9"  # letters (with Vietnamese ones) and digits: word characters here
_NOT_BEFORE = rf"(?<![{_W}])"
_NOT_AFTER = rf"(?![{_W}])"


def _sub(pattern: str, repl: Callable[[re.Match[str]], str], text: str, flags: int = 0) -> str:
    return re.sub(pattern, repl, text, flags=flags)


def read_url(url: str) -> str:
    """ "https://dichvucong.gov.vn" -> "dịch vụ công chấm gov chấm vn"."""
    bare = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I)
    bare = re.sub(r"^www\.", "", bare, flags=re.I).rstrip("/")
    host, _, path = bare.partition("/")

    def label(part: str) -> str:
        words = []
        for piece in re.split(r"(-|_)", part):
            if piece == "-":
                words.append("gạch ngang")
            elif piece == "_":
                words.append("gạch dưới")
            elif piece.isdigit():
                words.append(read_digits(piece))
            elif piece:
                words.append(URL_WORDS.get(piece.lower(), piece.lower()))
        return " ".join(words)

    spoken = " chấm ".join(label(p) for p in host.split(".") if p)
    for segment in (s for s in path.split("/") if s):
        segment = re.sub(r"[?#].*$", "", segment)
        if segment:
            spoken += " gạch chéo " + " chấm ".join(label(p) for p in segment.split(".") if p)
    return spoken


def read_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{read_url(local)} a còng {read_url(domain)}"


def _strip_markup(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)\*(\S[^*\n]*?)\*(?!\w)", r"\1", text)
    text = re.sub(r"\s*/\.\s*$", ".", text, flags=re.M)  # "…xử lý./." closing mark
    text = text.replace("v.v.", "vân vân").replace("…", "...")
    return text


def _legal_refs(text: str) -> str:
    pattern = (
        rf"{_NOT_BEFORE}(\d+(?:\.\d+)?)(?:/(\d{{4}}))?[-/]"
        r"([A-ZĐ][A-ZĐa-z]{0,3})[-/]([A-ZĐ][A-ZĐa-zđ]{0,5})" + _NOT_AFTER
    )

    def repl(m: re.Match[str]) -> str:
        number, year, kind, issuer = m.groups()
        if kind not in DOC_TYPES:
            return m.group(0)
        head = ".".join(read_number(int(p)) for p in number.split("."))
        head = head.replace(".", " chấm ")
        before = text[max(0, m.start() - 30) : m.start()].lower()
        if DOC_TYPES[kind] not in before:
            head = f"{DOC_TYPES[kind]} số {head}" if "số" not in before[-4:] else head
        if year:
            head += " năm " + read_number(int(year))
        name = ISSUERS.get(issuer, ABBREVIATIONS.get(issuer, issuer))
        after = re.split(r"[;\n]|\.\s", text[m.end() : m.end() + 120])[0].lower()
        if f"của {name.lower()}" not in after and f"của {issuer.lower()}" not in after:
            head += f" của {name}"
        return head

    return _sub(pattern, repl, text)


def _valid(day: int | None, month: int | None) -> bool:
    return (day is None or 1 <= day <= 31) and (month is None or 1 <= month <= 12)


def _dates(text: str) -> str:
    def full(m: re.Match[str]) -> str:
        d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        return read_date(d, mo, y) if _valid(d, mo) else m.group(0)

    text = _sub(
        rf"(?:\bngày\s+)?{_NOT_BEFORE}(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}){_NOT_AFTER}",
        full,
        text,
        flags=re.I,
    )

    def day_month(m: re.Match[str]) -> str:
        d, mo = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        return read_date(d, mo, year) if _valid(d, mo) else m.group(0)

    text = _sub(r"\bngày\s+(\d{1,2})[/-](\d{1,2})(?![/\d])()", day_month, text, flags=re.I)
    text = _sub(
        r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", day_month, text, re.I
    )

    def quarter(m: re.Match[str]) -> str:
        n = roman_to_int(m.group(2)) if not m.group(2).isdigit() else int(m.group(2))
        if n is None:
            return m.group(0)
        out = f"{m.group(1)} {read_number(n)}"
        return out + (" năm " + read_number(int(m.group(3))) if m.group(3) else "")

    text = _sub(r"\b(quý)\s+([IV]+|\d)(?:\s*/\s*(\d{4}))?" + _NOT_AFTER, quarter, text, re.I)

    def month_year(m: re.Match[str]) -> str:
        mo, y = int(m.group(1)), int(m.group(2))
        return read_date(None, mo, y) if _valid(None, mo) else m.group(0)

    text = _sub(r"\btháng\s+(\d{1,2})(?:\s*[/-]\s*|\s+năm\s+)(\d{4})\b", month_year, text, re.I)
    text = _sub(rf"{_NOT_BEFORE}(\d{{1,2}})/(\d{{4}})(?![/{_W}])", month_year, text)
    text = _sub(
        r"\btháng\s+(\d{1,2})" + _NOT_AFTER,
        lambda m: (
            "tháng " + read_month(int(m.group(1))) if _valid(None, int(m.group(1))) else m.group(0)
        ),
        text,
    )
    return _sub(
        rf"{_NOT_BEFORE}((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d){_NOT_AFTER}",
        lambda m: f"{read_number(int(m.group(1)))} đến {read_number(int(m.group(2)))}",
        text,
    )


def _roman_ordinals(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        n = roman_to_int(m.group(2))
        return f"{m.group(1)} {read_number(n)}" if n else m.group(0)

    return _sub(r"\b(thứ|khóa|khoá|lần)\s+([IVXLC]+)" + _NOT_AFTER, repl, text)


_TIME = r"(\d{1,2})\s*(?:h|giờ|:)\s*(\d{2})?(?:\s*phút)?"


def _times(text: str) -> str:
    def one(h: str, mi: str | None) -> str:
        return read_time(int(h), int(mi or 0))

    def valid(h: str, mi: str | None) -> bool:
        return int(h) <= 24 and int(mi or 0) < 60

    def rng(m: re.Match[str]) -> str:
        h1, m1, h2, m2 = m.groups()
        if not (valid(h1, m1) and valid(h2, m2)):
            return m.group(0)
        return f"{one(h1, m1)} đến {one(h2, m2)}"

    text = _sub(rf"{_NOT_BEFORE}{_TIME}\s*[-–]\s*{_TIME}{_NOT_AFTER}", rng, text)
    pattern = rf"{_NOT_BEFORE}(\d{{1,2}})\s*(?:h|:)\s*(\d{{2}})?(?:\s*phút)?{_NOT_AFTER}"
    return _sub(
        pattern,
        lambda m: one(m.group(1), m.group(2)) if valid(m.group(1), m.group(2)) else m.group(0),
        text,
    )


def _phones(text: str) -> str:
    def groups(m: re.Match[str]) -> str:
        raw = [g for g in re.split(r"[\s.()]+", m.group(0)) if g]
        if len(raw) == 1:
            raw = split_phone(raw[0])
        return read_phone(raw)

    text = _sub(r"\(0\d{2,3}\)[\s.]*\d{3,4}(?:[\s.]\d{3,4})*" + _NOT_AFTER, groups, text)
    text = _sub(rf"{_NOT_BEFORE}0\d{{2,3}}[\s.]\d{{3,4}}[\s.]\d{{3,4}}{_NOT_AFTER}", groups, text)
    text = _sub(rf"{_NOT_BEFORE}(?:0\d{{9,10}}|1[89]00[\s.]?\d{{4}}){_NOT_AFTER}", groups, text)

    def short(m: re.Match[str]) -> str:
        return m.group(1) + read_digits(m.group(2))

    keywords = r"tổng đài|đường dây nóng|hotline|điện thoại|gọi|số máy"
    return _sub(
        rf"((?:{keywords})(?:\s+[^\s\d,;.()]+){{0,6}}?\s+)(\d{{3,5}}){_NOT_AFTER}",
        short,
        text,
        flags=re.I,
    )


def _numbers(text: str) -> str:
    text = _sub(
        rf"{_NOT_BEFORE}(\d+(?:,\d+)?)\s*%",
        lambda m: read_decimal(m.group(1)) + " phần trăm",
        text,
    )
    text = _sub(
        rf"{_NOT_BEFORE}\d{{1,3}}(?:\.\d{{3}})+(?![.\d])",
        lambda m: read_number(int(m.group(0).replace(".", ""))),
        text,
    )
    text = _sub(rf"{_NOT_BEFORE}\d+,\d+{_NOT_AFTER}", lambda m: read_decimal(m.group(0)), text)
    text = _sub(
        rf"{_NOT_BEFORE}\d+(?:\.\d+)+(?![\d])",
        lambda m: " chấm ".join(read_number(int(p)) for p in m.group(0).split(".")),
        text,
    )
    return _sub(r"\d+", lambda m: read_number(int(m.group(0))), text)


def expand_abbreviations(text: str) -> str:
    keys = sorted(ABBREVIATIONS, key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in keys)
    return _sub(
        rf"{_NOT_BEFORE}({alternation}){_NOT_AFTER}", lambda m: ABBREVIATIONS[m.group(1)], text
    )


def radio_script(text: str) -> str:
    """The text as an announcer reads it: no abbreviation, no digit, no raw web address."""
    text = _strip_markup(text)
    text = _sub(r"https?://[^\s<>()\"]+", lambda m: _url_keep_punct(m.group(0)), text)
    text = _sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", lambda m: read_email(m.group(0)), text)
    text = _sub(
        r"(?<![\w@/.])(?:[a-z0-9-]+\.)+(?:vn|com|net|org|me)(?:/[^\s,;)]*)?(?![\w])",
        lambda m: _url_keep_punct(m.group(0)),
        text,
    )
    text = _legal_refs(text)
    text = _phones(text)
    text = _dates(text)
    text = _roman_ordinals(text)
    text = _times(text)
    text = _numbers(text)
    text = expand_abbreviations(text)
    text = text.replace("&", " và ")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def _url_keep_punct(url: str) -> str:
    trail = ""
    while url and url[-1] in ".,;:!?":
        trail = url[-1] + trail
        url = url[:-1]
    return read_url(url) + trail


def reading_seconds(script: str, syllables_per_minute: int = 170) -> int:
    """A rough reading time: Vietnamese is one syllable per written word."""
    words = len(re.findall(r"[^\s,.;:!?()\-–]+", script))
    return round(words * 60 / syllables_per_minute)
