"""Cue phrases of a petition's status asked (faq/intents.py), on folded text as in
faq/intent_cues.py, which re-exports them: the citizen refers to a petition already sent
("phản ánh của tôi", "kiến nghị tui gửi") and asks where it is or whether it was answered."""

from __future__ import annotations

import re

__all__ = ["STATUS"]

_PAKN_REF = (
    r"(?:phan anh|kien nghi|cai don|don (?:cua|toi|tui|em|minh)|pakn"
    r"|(?:vu|viec|chuyen) (?:toi|tui|em|minh|chau|bac|con) (?:da )?(?:bao|gui|trinh bao)"
    r"|gui (?:y kien|gop y)|y kien (?:cua )?(?:toi|tui|em|minh|chau) (?:da )?gui)"
)
_MINE = r"(?:cua )?(?:toi|tui|em|e|minh|chau|con|bac)"
_SENT = r"(?:da gui|gui|goi|nop|bua truoc|hom truoc|hom qua|tuan truoc|thang truoc|hom no)"
STATUS = re.compile(
    rf"\b{_PAKN_REF}\b.{{0,140}}"
    r"\b(?:toi dau|den dau|xu ly chua|xu ly xong chua|xu li chua|xong chua|tra loi chua"
    r"|co ket qua chua|da co ket qua|ket qua chua|ket qua the nao|tien do|tinh trang|trang thai"
    r"|tiep nhan chua|buoc nao|ra sao roi|the nao roi|duoc chuyen|chuyen cho (?:ai|bo phan)"
    r"|co ai (?:tiep nhan|coi|xem|doc)|ai (?:tiep nhan|coi|xem|doc) chua|da duoc xu ly"
    r"|dang duoc xu ly|giai quyet chua|duoc giai quyet)"
    rf"|\b{_PAKN_REF}\b.{{0,40}}\b{_SENT}\b.{{0,60}}\bchua\b"
    rf"|\b{_PAKN_REF} (?:cua )?(?:toi|tui|em|minh|chau)\b.{{0,60}}\bchua\b"
    r"|\b(?:tra cuu|kiem tra|xem lai|theo doi|trang thai|tinh trang|xem ket qua|coi ket qua)\b"
    r"(?! ho so).{0,20}"  # "tra cứu hồ sơ bằng mã số" is a file's progress (the FAQ)
    r"\b(?:phan anh|kien nghi|ma so|ma phan anh)\b"
    r"|\b(?:quen|mat|khong nho|xoa mat)\b.{0,10}\bma (?:so|phan anh|tra cuu)\b"
    r"|^ (?:tinh trang|trang thai|tien do) (?:cua )?don(?: (?:cua )?(?:toi|tui|em|minh))? $"
    r"|\b(?:tien do|tinh trang) (?:\w+ ){0,3}(?:phan anh|kien nghi|don)\b"
    rf"|(?<!muon )\b{_PAKN_REF}\b.{{0,80}}\b(?:sao roi|ra sao|the nao roi|toi dau|den dau"
    r"|chua thay (?:\w+ )?(?:tra loi|hoi am|phan hoi|ai|gi)"
    r"|chua nhan duoc (?:hoi am|tra loi|phan hoi)"
    r"|co ai ngo"
    r"|co ai (?:xuong|den|toi|coi|xem)\b.{0,15}\bchua"
    r"|lau roi ma|lau qua|(?:giao|chuyen) cho (?:ai|bo phan|ben|noi)|bao gio (?:co )?(?:ket qua"
    r"|xong|tra loi)|buoc nao)"
    rf"|\b(?:da|co|toi|tui|em|minh) (?:da )?(?:gui|nop) (?:cai |mot )?{_PAKN_REF}\b.{{0,60}}"
    r"\b(?:chua|sao roi|ra sao|lau roi)\b"
    # "kiến nghị tui gửi chừ ai đang giải quyết", "phản ánh của tôi đang ở bộ phận nào"
    rf"|\b{_PAKN_REF} {_MINE}(?: (?:da |vua )?(?:gui|nop))?\b.{{0,60}}"
    r"\b(?:ai (?:dang )?(?:giai quyet|xu ly|lo|phu trach|cam|giu)"
    r"|(?:dang )?(?:o|nam o|toi) (?:bo phan|phong|khau|cho|noi) nao|dang (?:o|nam o) dau"
    r"|(?:khong|hong|chang|chua) thay (?:ai )?(?:tra loi|hoi am|phan hoi|xu ly|giai quyet)"
    r"|(?:bao gio|bao lau|khi nao|may ngay)(?: nua)?(?: thi)?(?: moi)? (?:co |duoc )?"
    r"(?:ket qua|tra loi|phan hoi|hoi am|xu ly|giai quyet))\b"
)
