"""The plan's identity: title, issuer, year, number, place and date of issue."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textutil import find_dates, strip_end

_ADMIN = r"(?:xã|phường|thị trấn|thị xã|tỉnh|huyện|quận|thành phố|ấp|thôn|khu phố)"
_ADMIN_WORDS = {
    "xã",
    "phường",
    "thị",
    "trấn",
    "tỉnh",
    "huyện",
    "quận",
    "thành",
    "phố",
    "ấp",
    "thôn",
    "khu",
}
_UNIT_WORDS = {
    "sở",
    "phòng",
    "ban",
    "trung",
    "tâm",
    "hội",
    "đoàn",
    "công",
    "an",
    "văn",
    "ủy",
    "đảng",
    "mặt",
    "trận",
    "đồng",
    "chi",
    "cục",
    "đài",
    "trường",
    "tổ",
}
_ACRONYMS = {
    "UBND",
    "HĐND",
    "MTTQ",
    "MTTQVN",
    "VN",
    "TP",
    "TTHC",
    "CCHC",
    "VHXH",
    "VP",
    "TW",
    "TU",
    "HU",
    "ĐU",
    "PVHCC",
    "KT-XH",
    "UBMTTQ",
    "UBMTTQVN",
}
_ORG_START = re.compile(
    r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|VĂN PHÒNG|SỞ|PHÒNG|BAN|"
    r"TRUNG TÂM|ĐẢNG ỦY|ĐẢNG UỶ|ĐOÀN|HỘI|CÔNG AN|MẶT TRẬN|ỦY BAN MTTQ"
)
_UNIT_LABEL = re.compile(
    r"^(?:Đơn vị|Cơ quan)(?: ban hành| chủ trì| thực hiện)?\s*:\s*(?P<org>.{3,80})$", re.IGNORECASE
)
_PLACE_LINE = re.compile(r"^(?P<place>[^,\d:]{2,40}),\s*ngày\b")
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(?P<num>\S*)")
_SKIP_HEADER = re.compile(r"^(?:CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐỘC LẬP|[-_=*\s]+$)")
_ISSUER_SENTENCE = re.compile(
    r"(?:Chủ tịch\s+)?(?P<org>(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Văn phòng|Sở|Phòng|Ban|"
    r"Trung tâm|Đảng ủy|Đoàn|Hội|Công an)(?:\s+[^\s,;:]+){0,6}?)\s+"
    r"(?:xây dựng|ban hành|triển khai)\s+(?:[Kk]ế hoạch)"
)
_OF_ORG = re.compile(
    r"\bcủa\s+(?P<org>(?:Ủy ban nhân dân|UBND|Văn phòng|Sở|Phòng|Ban|Trung tâm|Đảng ủy|"
    r"Đoàn|Hội|Công an)(?:\s+[^\s,;:]+){0,6}?)(?=\s+năm\s+\d{4}|[.;,]|$)"
)
_PLACE_IN = re.compile(
    rf"\b(?P<admin>{_ADMIN})\s+(?P<name>[^\s,;.()]+(?:\s+[^\s,;.()]+)*)", re.IGNORECASE
)
_NOT_NAME = {
    "năm",
    "giai",
    "về",
    "của",
    "và",
    "trên",
    "tại",
    "theo",
    "kế",
    "quyết",
    "nghị",
    "thông",
    "chỉ",
    "công",
    "chương",
    "trung",
    "phòng",
    "văn",
    "ban",
    "tổ",
    "đề",
    "hội",
    "ủy",
    "uỷ",
    "đợt",
    "lần",
    "nhiệm",
    "xây",
    "thực",
    "triển",
}


def place_names(text: str) -> list[tuple[str, str]]:
    """("xã", "Bình Minh") for each "xã Bình Minh" (the name: capitalised words)."""
    out: list[tuple[str, str]] = []
    for m in _PLACE_IN.finditer(text):
        words: list[str] = []
        for word in m.group("name").split():
            if not word[:1].isupper() or word in _ACRONYMS or word.lower() in _NOT_NAME:
                break
            words.append(word if not word.isupper() else word[:1] + word[1:].lower())
        if words:
            out.append((m.group("admin").lower(), " ".join(words)))
    return out


@dataclass
class Header:
    title: str
    issuer: str | None
    year: int | None
    number: str | None
    place: str | None
    issued_date: str | None


_UNIT_TYPES = (
    "ủy ban nhân dân",
    "uỷ ban nhân dân",
    "hội đồng nhân dân",
    "ban chỉ huy",
    "trung tâm",
    "văn phòng",
    "công an",
    "ủy ban",
    "uỷ ban",
    "mặt trận",
    "hội đồng",
    "chi cục",
    "đảng ủy",
    "đảng uỷ",
    "chi nhánh",
    "bộ phận",
    "sở",
    "phòng",
    "ban",
    "hội",
    "đoàn",
    "đài",
    "trạm",
    "trường",
    "tổ",
    "cổng",
)


def _proper_case(text: str) -> str:
    """ "VĂN PHÒNG UBND TỈNH ĐỒNG NAI" -> "Văn phòng UBND tỉnh Đồng Nai"."""
    if any(c.isalpha() and c.islower() for c in text):
        return text
    words = text.split()
    lows = [w.lower() for w in words]
    out: list[str] = []
    mode = "name-start"
    joined = " ".join(lows)
    skip = 0
    for unit_type in _UNIT_TYPES:
        if joined == unit_type or joined.startswith(unit_type + " "):
            skip = len(unit_type.split())
            break
    for index, (word, low) in enumerate(zip(words, lows, strict=True)):
        following = lows[index + 1] if index + 1 < len(lows) else ""
        cap = low[:1].upper() + low[1:]
        if word in _ACRONYMS:
            out.append(word)
        elif index < skip:
            out.append(cap if index == 0 else low)
        elif low in _ADMIN_WORDS and mode != "place" and following != "hội":
            out.append(cap if index == 0 else low)
            mode = "admin"
        elif mode in {"admin", "place"}:
            out.append(cap)
            mode = "place"
        elif mode == "name-start" and low not in {"-", "–", "và"}:
            out.append(cap)
            mode = "name"
        elif index > 0 and lows[index - 1] in {"-", "–"}:
            out.append(cap)  # "Văn hóa - Xã hội"
        else:
            out.append(low)
    return " ".join(out)


def _short(org: str) -> str:
    org = re.sub(r"\b(?:Ủy|Uỷ|ỦY|UỶ) (?:ban|BAN) (?:nhân|NHÂN) (?:dân|DÂN)\b", "UBND", org)
    return re.sub(r"\s+", " ", org).strip(" ,.;:")


def _issuer_from_header(lines: list[str]) -> str | None:
    org_lines = [
        ln
        for ln in lines
        if not (_PLACE_LINE.match(ln) or _NUMBER_LINE.match(ln) or _SKIP_HEADER.match(ln))
        and _ORG_START.match(ln.upper())
        and sum(c.isupper() for c in ln) >= sum(c.islower() for c in ln)
    ]
    if not org_lines:
        return None
    joined = " ".join(org_lines)
    starts = [m.start() for m in _ORG_START.finditer(joined)]
    ends = [*starts[1:], len(joined)]
    segments = [joined[s:e].strip() for s, e in zip(starts, ends, strict=True)]
    segments = [s for s in segments if s]
    merged: list[str] = []
    for seg in segments:
        if merged and re.match(r"^(?:UBND|ỦY BAN NHÂN DÂN)$", merged[-1]):
            merged[-1] = f"{merged[-1]} {seg}"
        else:
            merged.append(seg)
    if not merged:
        return None
    merged = [_proper_case(_short(seg.replace("HỘI ĐỒNG NHÂN DÂN", "HĐND"))) for seg in merged]
    issuer = merged[-1] if len(merged) == 1 else f"{merged[-1]} {merged[-2]}"
    return _short(issuer)


def _complete(issuer: str, title: str, place: str | None, others: list[str]) -> str:
    """ "UBND xã" -> "UBND xã Bình Minh": the name from the title, else the place line
    ("Bình Minh, ngày ..."), else the closing or the preamble."""
    m = re.search(rf"\b({_ADMIN})$", issuer)
    if not m:
        return issuer
    admin = m.group(1)
    names = [name for found, name in place_names(title) if found == admin]
    if not names and place:
        names = [place]
    for text in others:
        names += [name for found, name in place_names(text) if found == admin]
    return f"{issuer} {names[0]}" if names else issuer


def read_header(
    header: list[str], title: str | None, preamble: list[str], closing: list[str]
) -> Header:
    number = place = issued = None
    year: int | None = None
    for line in header:
        m = _NUMBER_LINE.match(line)
        if m and number is None:
            raw = m.group("num").strip()
            number = raw if re.match(r"^\d", raw) else None
        m = _PLACE_LINE.match(line)
        if m and place is None:
            place = m.group("place").strip()
            dates = [d for d in find_dates(line) if d.kind == "day"]
            issued = dates[0].iso if dates else None
            ym = re.search(r"(?i)năm\s+((?:19|20)\d{2})", line)
            if ym:
                year = int(ym.group(1))
    title = (title or "").strip()
    ty = re.findall(r"(?i)năm\s+((?:19|20)\d{2})", title)
    if ty:
        year = int(ty[-1])
    elif year is None and number:
        ny = re.search(r"/((?:19|20)\d{2})/", number)
        year = int(ny.group(1)) if ny else None
    if year is None:
        for text in preamble:
            py = re.search(r"(?i)năm\s+((?:19|20)\d{2})", text)
            if py:
                year = int(py.group(1))
                break
    issuer = _issuer_from_header(header)
    for line in [*header, *preamble[:3]]:
        m = _UNIT_LABEL.match(line)
        if issuer is None and m:
            issuer = _short(strip_end(m.group("org")))
    if issuer is None:
        for text in [*preamble[::-1], title, *closing]:
            m = _ISSUER_SENTENCE.search(text) or _OF_ORG.search(text)
            if m:
                issuer = _short(m.group("org"))
                break
    if issuer is None and title:
        for admin, name in place_names(title):
            if admin in {"xã", "phường", "thị trấn"}:
                issuer = f"UBND {admin} {name}"
                break
    if issuer:
        issuer = _complete(issuer, title, place, [*closing, *preamble])
    return Header(title, issuer, year, number, place, issued)
