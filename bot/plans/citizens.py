"""Which items of a plan are meant for citizens (and so may become broadcast drafts).

A plan lists what to communicate per audience. Items for officials ("Các quy định về … đạo đức
của cán bộ, công chức"), doctrine ("Các quan điểm, chủ trương của Đảng …") and internal work
("Tình hình triển khai, kết quả đạt được …", "biểu dương các mô hình …") are not messages for
citizens, even when the plan puts them under one audience with "người dân, doanh nghiệp".

- An audience of citizens only ("Người dân và doanh nghiệp", "Đoàn viên, thanh niên", "Hội viên
  phụ nữ"): every item except doctrine; the plan's authors chose them for citizens.
- An audience for officials only: none.
- A mixed audience, or none named: an item whose topic (its first sentence) is not doctrine,
  duties of officials or internal work, and that speaks of a public service (procedures, online
  services, feedback channels, land prices …) or of citizens themselves.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textutil import split_sentences

CITIZENS = re.compile(
    r"người dân|nhân dân|công dân|doanh nghiệp|tổ chức,? cá nhân|cá nhân,? tổ chức|hộ kinh doanh"
    r"|hộ gia đình|đoàn viên|thanh niên|hội viên|phụ nữ|người cao tuổi|học sinh|sinh viên"
    r"|nông dân|người lao động|cựu chiến binh"
)  # groups of the population (a union's members are citizens too)
OFFICIALS = re.compile(r"cán bộ|công chức|viên chức|đảng viên|\bcbcc")
DOCTRINE = re.compile(
    r"quan điểm|đường lối|chủ trương(?:,? chính sách)? của đảng|cấp ủy|cấp uỷ"
    r"|nghị quyết đại hội|ban chấp hành trung ương"
)
OFFICIAL_DUTIES = re.compile(
    r"đạo đức của cán bộ|thực thi công vụ|kỷ luật,? kỷ cương|quy tắc ứng xử"
    r"|(?:quyền|nghĩa vụ),? .{0,40}(?:của )?cán bộ"
)
INTERNAL = re.compile(
    r"tình hình triển khai|kết quả đạt được|tồn tại,? hạn chế|biểu dương|điển hình|tấm gương"
    r"|theo chỉ đạo|mục tiêu,? nội dung trọng tâm|giải pháp nâng cao|cải cách thể chế"
    r"|tổ chức bộ máy|chương trình tổng thể"
)
PUBLIC_SERVICE = re.compile(
    r"thủ tục hành chính|\btthc\b|dịch vụ công|tra cứu|hướng dẫn|phản ánh|kiến nghị"
    r"|đường dây nóng|tổng đài|giá đất|quy hoạch|an sinh|một cửa|bưu chính công ích"
)


@dataclass(frozen=True)
class Verdict:
    for_citizens: bool
    reason: str  # why not (Vietnamese, for staff); "" when it is for citizens


def audience_kind(name: str) -> str:
    """ "citizens", "officials", "mixed" or "other" for an audience's name."""
    low = name.casefold()
    citizens, officials = bool(CITIZENS.search(low)), bool(OFFICIALS.search(low))
    if citizens and officials:
        return "mixed"
    if citizens:
        return "citizens"
    return "officials" if officials else "other"


def classify(audience: str, text: str) -> Verdict:
    """Whether an item of `audience` (its name in the plan) is a message for citizens."""
    low = text.casefold()
    sentences = split_sentences(low)
    topic = sentences[0] if sentences else low
    kind = audience_kind(audience)
    if DOCTRINE.search(topic):
        return Verdict(False, "quan điểm, chủ trương, không phải tin cho người dân")
    if kind == "citizens":
        return Verdict(True, "")
    if kind == "officials":
        return Verdict(False, "dành cho cán bộ, công chức")
    if OFFICIAL_DUTIES.search(topic):
        return Verdict(False, "dành cho cán bộ, công chức")
    if INTERNAL.search(topic):
        return Verdict(False, "công tác nội bộ, không phải tin cho người dân")
    if PUBLIC_SERVICE.search(low) or CITIZENS.search(low):
        return Verdict(True, "")
    return Verdict(False, "không nói tới dịch vụ hay quyền lợi của người dân")
