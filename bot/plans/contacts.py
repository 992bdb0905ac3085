"""Contacts (hotlines, phone numbers, e-mail and web addresses) and channels (the named
forms of communication: Zalo, Facebook, đài truyền thanh, tờ rơi, SMS, Tổng đài 1022 ...).
"""

from __future__ import annotations

import re

from .model import Contact
from .textutil import split_sentences

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"'“”,;]+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"(?<![@\w./-])(?:[a-z0-9-]+\.)+(?:gov\.vn|com\.vn|org\.vn|edu\.vn|vn|com|org|net)"
    r"(?:/[^\s<>()\"'“”,;]*)?(?![\w@-])",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}\b", re.IGNORECASE)
_PHONES: list[tuple[str, re.Pattern[str]]] = [
    # (0251) 1022, (0251) 3822 123, (028) 3823 4567
    ("phone", re.compile(r"\(0\d{2,3}\)\s*\d(?:[ .-]?\d){2,7}(?!\d)")),
    # 1900.9068, 1800 1234, 1900 96 96 28
    ("hotline", re.compile(r"(?<![\d/])1[89]00(?:[ .-]?\d){4,6}(?![\d/])")),
    # 0251.3822.123, 0912 345 678, +84 912 345 678
    ("phone", re.compile(r"(?<![\d/.])(?:\+84|0)\s?\d{2,3}(?:[ .-]?\d){6,8}(?![\d/])")),
]
_SHORT_CODE = re.compile(
    r"(?:tổng đài|đường dây nóng|hotline|số điện thoại|điện thoại|gọi(?: số)?)"
    r"[^.;:\n\d]{0,45}?(?<![\d(])(\d{3,4})(?!\d|[./-]\d|\))",
    re.IGNORECASE,
)


def _trim_url(url: str) -> str:
    return url.rstrip(".,;:!?)]>'\"")


def _context(text: str, start: int) -> str:
    for sentence in split_sentences(text):
        pos = text.find(sentence)
        if pos <= start < pos + len(sentence):
            return sentence if len(sentence) <= 200 else sentence[:200].rstrip() + "…"
    return ""


def find_contacts(texts: list[str]) -> list[Contact]:
    """Contacts in order of first appearance, each value once."""
    out: list[Contact] = []
    seen: set[str] = set()

    def add(kind: str, value: str, text: str, start: int) -> None:
        key = re.sub(r"[\s.()-]", "", value.casefold())
        if kind == "web":
            key = re.sub(r"^https?://(www\.)?|^www\.|/$", "", value.casefold())
        if key in seen:
            return
        seen.add(key)
        out.append(Contact(kind, value, _context(text, start)))

    for text in texts:
        found: list[tuple[int, int, str, str]] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int, spans: list[tuple[int, int]] = taken) -> bool:
            return not any(s < te and ts < e for ts, te in spans)

        for m in _EMAIL.finditer(text):
            found.append((m.start(), m.end(), "email", m.group(0)))
            taken.append((m.start(), m.end()))
        for m in _URL.finditer(text):
            if free(m.start(), m.end()):
                found.append((m.start(), m.end(), "web", _trim_url(m.group(0))))
                taken.append((m.start(), m.end()))
        for m in _BARE_DOMAIN.finditer(text):
            if free(m.start(), m.end()) and "." in m.group(0).strip("."):
                found.append((m.start(), m.end(), "web", _trim_url(m.group(0))))
                taken.append((m.start(), m.end()))
        for kind, pattern in _PHONES:
            for m in pattern.finditer(text):
                value = m.group(0).strip()
                if free(m.start(), m.end()):
                    found.append((m.start(), m.end(), kind, value))
                    taken.append((m.start(), m.end()))
        for m in _SHORT_CODE.finditer(text):
            if free(m.start(1), m.end(1)):
                found.append((m.start(1), m.end(1), "hotline", m.group(1)))
                taken.append((m.start(1), m.end(1)))
        for start, _end, kind, value in sorted(found):
            add(kind, value, text, start)
    return out


# ---- channels --------------------------------------------------------------------------

CHANNELS: list[tuple[str, str]] = [
    ("Zalo", r"\bzalo\b"),
    ("Facebook", r"\bfacebook\b|\bfanpage\b"),
    ("YouTube", r"\byoutube\b"),
    ("TikTok", r"\btiktok\b"),
    ("Telegram", r"\btelegram\b"),
    ("Mạng xã hội", r"mạng xã hội"),
    ("Cổng thông tin điện tử", r"cổng thông tin điện tử|cổng ttđt"),
    ("Trang thông tin điện tử", r"trang thông tin\b|trang ttđt|\bwebsite\b"),
    ("Đài truyền thanh", r"truyền thanh|hệ thống loa|cụm loa|\bloa (?:phát thanh|di động)"),
    ("Phát thanh", r"(?<!loa )phát thanh"),
    ("Truyền hình", r"truyền hình"),
    ("Báo chí", r"báo chí|\bbáo(?=,| in\b| điện tử| giấy)"),
    ("Tạp chí", r"tạp chí"),
    ("Video clip", r"\bvideo\b|\bclip\b"),
    ("Phóng sự", r"phóng sự"),
    ("Tờ rơi, tờ gấp", r"tờ rơi|tờ gấp|tờ xếp|tờ bướm"),
    ("Sổ tay", r"sổ tay"),
    ("Tài liệu hướng dẫn", r"tài liệu (?:hướng dẫn|tuyên truyền)"),
    ("Pano", r"\bpa[- ]?n[oô]\b"),
    ("Băng rôn", r"băng[- ]?rôn"),
    ("Áp phích", r"áp[- ]?phích"),
    ("Khẩu hiệu", r"khẩu hiệu"),
    ("Tranh cổ động", r"tranh cổ động"),
    ("Tuyên truyền lưu động", r"tuyên truyền lưu động|xe (?:tuyên truyền|loa)"),
    ("Tuyên truyền trực quan", r"cổ động trực quan|tuyên truyền trực quan"),
    ("Sân khấu hóa", r"sân khấu hó?o?a"),
    ("SMS", r"\bsms\b|tin nhắn"),
    ("Ứng dụng di động", r"ứng dụng (?:di động|điện thoại|trên điện thoại)|\bapp\b"),
    ("Màn hình chờ", r"màn hình (?:chờ|điện tử|led|tivi)"),
    ("Máy tra cứu", r"máy tra cứu|ki-?ốt|kiosk"),
    ("Niêm yết công khai", r"niêm yết"),
    ("Hội nghị", r"hội nghị(?!\s+(?:lần|trung ương|ban chấp hành|thứ))"),
    ("Tập huấn", r"tập huấn"),
    ("Lớp đào tạo, bồi dưỡng", r"lớp (?:đào tạo|bồi dưỡng)"),
    ("Đối thoại", r"đối thoại"),
    ("Tọa đàm", r"tọa đàm|toạ đàm"),
    ("Cuộc thi", r"cuộc thi|hội thi"),
    ("Tổ công nghệ số cộng đồng", r"tổ công nghệ số cộng đồng"),
    ("Họp tổ dân phố, khu phố, ấp", r"họp (?:tổ dân phố|khu phố|ấp|thôn|dân)"),
]
_CHANNEL_RES = [(name, re.compile(pat, re.IGNORECASE)) for name, pat in CHANNELS]
_HOTLINE = re.compile(r"tổng đài[^;\n]{0,60}", re.IGNORECASE)
_HOTLINE_NUM = re.compile(r"(?<![\d(])(1[89]00(?:[ .]?\d){4,6}|1\d{2,3})(?![\d)])")


def find_channels(texts: list[str]) -> list[str]:
    """Normalised channel names in order of first appearance, each once."""
    hits: list[tuple[int, int, str]] = []
    for t_index, text in enumerate(texts):
        for name, pattern in _CHANNEL_RES:
            m = pattern.search(text)
            if m:
                hits.append((t_index, m.start(), name))
        for m in _HOTLINE.finditer(text):
            num = _HOTLINE_NUM.search(m.group(0))
            name = f"Tổng đài {num.group(1)}" if num else "Tổng đài"
            hits.append((t_index, m.start(), name))
    out: list[str] = []
    for _t, _s, name in sorted(hits):
        if name not in out:
            out.append(name)
    if any(n.startswith("Tổng đài ") for n in out) and "Tổng đài" in out:
        out.remove("Tổng đài")
    return out
