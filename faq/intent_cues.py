"""Cue phrases of faq/intents.py, on folded text (no diacritics, lower case, chat spellings
expanded by TEENCODE). Written from how people talk, never copied from evaluation sets.

Each pattern is matched against " words joined by spaces " so ``\\b`` bounds whole words.
"""

from __future__ import annotations

import re

__all__ = [
    "ABUSE",
    "ADMIN",
    "ASKS",
    "COMPLAINT",
    "CONTACT",
    "CONTACT_ASK",
    "CONTACT_HOURS",
    "CONTACT_SELF",
    "CONTACT_WHERE",
    "CONTACT_WHO",
    "GREETING",
    "HELP",
    "HELP_ANY",
    "NEWS",
    "OOS",
    "OOS_ACCENTED",
    "OOS_NATIONAL",
    "OPENING",
    "PRIVACY",
    "PRIVACY_FIRST",
    "PROCEDURE",
    "STATUS",
    "STOPPING",
    "SUBSCRIBE",
    "TESTING",
    "UNSUBSCRIBE",
    "WANT_NEWS",
]


def _re(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_PAKN_REF = (
    r"(?:phan anh|kien nghi|cai don|don (?:cua|toi|tui|em|minh)|pakn"
    r"|(?:vu|viec|chuyen) (?:toi|tui|em|minh|chau|bac|con) (?:da )?(?:bao|gui|trinh bao))"
)
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
    r"|\b(?:tra cuu|kiem tra|xem lai|theo doi|trang thai|tinh trang)\b.{0,20}"
    r"\b(?:phan anh|kien nghi|ma so|ma phan anh)\b"
    r"|\b(?:quen|mat|khong nho|xoa mat)\b.{0,10}\bma (?:so|phan anh|tra cuu)\b"
    rf"|(?<!muon )\b{_PAKN_REF}\b.{{0,80}}\b(?:sao roi|ra sao|the nao roi|toi dau|den dau"
    r"|chua thay (?:tra loi|hoi am|ai|gi)|co ai (?:xuong|den|toi|coi|xem)\b.{0,15}\bchua"
    r"|lau roi ma|lau qua|(?:giao|chuyen) cho (?:ai|bo phan|ben|noi)|bao gio (?:co )?(?:ket qua"
    r"|xong|tra loi)|buoc nao)"
    rf"|\b(?:da|co|toi|tui|em|minh) (?:da )?(?:gui|nop) (?:cai |mot )?{_PAKN_REF}\b.{{0,60}}"
    r"\b(?:chua|sao roi|ra sao|lau roi)\b"
)

COMPLAINT = _re(
    r"khieu nai", r"to cao", r"to giac", r"don kien(?! nghi)", r"khoi kien",
    r"kien (?:ra|len) toa",
    r"thua kien", r"(?:muon|di|se|phai|doi) thua (?:ong|ba|can bo|thang|con|no|ho|len)",
)

_MY_DATA = (
    r"(?:du lieu|thong tin|lich su (?:chat|tro chuyen|tin nhan)|tin nhan|sdt|so dien thoai"
    r"|dia chi)"
)
_MY_DATA_WIDE = (
    r"(?:thong tin|tin nhan|so dien thoai|sdt|so (?:cua )?(?:toi|tui|em|minh)|dia chi|d c"
    r"|ten (?:toi|tui|em)|chat|cuoc tro chuyen|du lieu|lich su)"
)
PRIVACY = re.compile(
    r"\b(?:du lieu|thong tin) (?:ca nhan )?(?:cua toi|cua minh|cua em|cua chau|cua tao)\b"
    r"|\bdu lieu ca nhan\b|\b(?:chinh sach bao mat|bao mat (?:du lieu|thong tin))\b"
    r"|\brut (?:lai )?(?:su )?dong y\b"
    r"|\b(?:xem|kiem tra|biet|tai ve|tai xuong|lay lai)\b.{0,30}\b(?:du lieu|thong tin)\b"
    rf"|\bxoa\b.{{0,25}}\b{_MY_DATA}\b"
    r"|\b(?:dang )?(?:luu|giu) (?:nhung |lai |cac )?(?:thong tin|du lieu)\b"
    r"|\bkhong muon\b.{0,60}\b(?:luu|luu lai|luu tru)\b"
    rf"|\b{_MY_DATA}\b.{{0,40}}\b(?:ai (?:xem|doc|biet)|co ai xem|lo ra|bi lo)\b"
    rf"|\b(?:luu|giu|chia se|de lo|bi lo|lo|phan tich|huan luyen|tai ve|xem lai|coi lai|sua lai"
    rf"|chinh lai|xoa)\b.{{0,40}}\b{_MY_DATA_WIDE}\b"
    rf"|\b{_MY_DATA_WIDE}\b.{{0,40}}\b(?:luu|giu|chia se|de lo|bi lo|ghi sai|xoa di|phan tich"
    r"|huan luyen|dem di|dua cho|ban cho)\b"
    r"|\b(?:ai|ben nao|ben thu ba)\b.{0,15}\b(?:doc|xem|biet)\b.{0,25}"
    r"\b(?:tin nhan|thong tin|so (?:cua )?(?:toi|tui|em|minh)|ten (?:toi|tui))\b"
    r"|\b(?:luu|biet|giu) (?:nhung )?(?:chi|gi) ve (?:toi|tui|em|minh)\b"
    r"|\bquyen rieng tu\b|\bbao mat\b.{0,30}\b(?:du lieu|thong tin)\b"
    r"|\b(?:xoa|don)\b.{0,25}\b(?:nhung gi|may cai|tat ca|het nhung|toan bo)\b.{0,25}"
    r"\b(?:nhan|noi|gui|chat|viet|hoi)\b"
    rf"|\b(?:ban|dua|chia se|cung cap|gui|lo|lot)\b.{{0,25}}(?:{_MY_DATA_WIDE}|cua nguoi dan)\b"
    r".{0,30}\b(?:cho|ra|toi) (?:ai|ben|nguoi|cong ty|ngoai)\b"
    r"|\b(?:bi )?(?:dua|ban|chia se|cung cap|lo) (?:cho|ra) (?:ai|ben khac|nguoi ngoai"
    r"|ben thu ba|nguoi khac|ngoai)\b"
    r"|\b(?:nhan|gui|noi|viet) (?:vo|vao|o|len) (?:day|bot|may)\b.{0,30}"
    r"\b(?:ai (?:doc|xem|biet)|co ai|bi lo|lo ra|luu|xoa)\b"
    r"|\b(?:du lieu|thong tin) nguoi dung\b"
    # "quên tôi đi", "quên số điện thoại tôi": asking to be forgotten
    r"|\bquen (?:het |luon |di )?(?:toi|tui|em|minh)(?: (?:di|luon|nhe|voi|nha|a|ha|giup|dum))* ?$"
    r"|\bquen (?:het |luon |di )?(?:so dien thoai|sdt|so|thong tin|du lieu) (?:cua )?"
    r"(?:toi|tui|em|minh)\b"
    r"|\b(?:huy|xoa|go) (?:bo |het |di )?(?:thong tin|du lieu) ca nhan\b"
    r"|\bxoa (?:het |moi |tat ca |toan bo )?(?:nhung gi|moi thu|tat ca|dau vet)\b.{0,20}"
    r"\b(?:lien quan|cua|ve) (?:den |toi )?(?:toi|tui|em|minh)\b|\bnghi dinh 13\b"
    r"|\bthu thap\b.{0,30}\b(?:du lieu|thong tin)\b"
    r"|\b(?:du lieu|thong tin) gi ve (?:toi|tui|em|minh)\b"
    rf"|\b{_MY_DATA_WIDE}\b.{{0,40}}\bco ai (?:coi|xem|doc) (?:duoc|dc)\b"
)
# Someone else reading my number or address: privacy, even about a petition I sent.
PRIVACY_FIRST = re.compile(
    r"\b(?:so dien thoai|dia chi|thong tin ca nhan|du lieu ca nhan)\b.{0,60}"
    r"\b(?:ai (?:xem|doc|biet)|co ai xem|bi lo|lo ra)\b"
)
PRIVACY_GUARD = _re(
    r"kho du lieu", r"vneid", r"dinh danh", r"dich vu cong", r"can cuoc", r"ho so"
)

_NEWS = (
    r"(?<!thong )(?:tin|tin tuc|tin nhan|thong bao|tbao|noti|ban tin|canh bao|lich hop|tin moi"
    r"|theo doi"
    r"|tin bao|lich (?:phat|kham|hop|tiem|cat|cup)\w*|tin (?:lu|bao|cua xa|cua phuong)"
    r"|lich (?:cat|cup) (?:dien|nuoc)|lich tiem|su kien|le hoi)"
)
_STOP = (
    r"(?:huy|dung|ngung|tat|bo|thoi|cat|khoi|bot|khong (?:muon|can)|het muon|thoi khoi"
    r"|dung co|nghi|xin nghi|cho nghi|bo ten)"
)
# A stop or negation word: an "unsubscribe" read from examples alone needs one ("gửi tin
# cho tôi …" shares its words with "bớt gửi tin cho tôi").
STOPPING = re.compile(rf"\b{_STOP}\b|\b(?:nua|spam|lam phien|ra khoi|thoi)\b")
UNSUBSCRIBE = re.compile(
    rf"\b{_STOP} (?:dang ky |nhan |gui |goi |cho |toi |tui |em |e |giup |gium |dum |cai ){{0,4}}"
    rf"(?:cac |nhung |may )?{_NEWS}\b"
    r"|\b(?:huy|dung|ngung|tat|thoi|nghi|khoi) (?:dang ky )?nhan\b"
    r"(?! (?:cha|me|con|nuoi|ket qua|ho so|tien|tro cap|luong|giay))"
    r"|\bhuy dang ky(?: nhan)?(?: tin| thong bao)?(?: giup| cho| di| voi| nhe)?\b"
    r"(?! (?:thuong|tam|ket|kinh|xe|khai|ho))"
    r"|\bkhong (?:muon |can )?nhan (?:tin|thong bao|them)?.{0,25}\bnua\b"
    r"|\b(?:dung|ngung|thoi|khoi|dung co) (?:nhan tin|nhan|gui|goi|nhan thong bao)\b.{0,30}\bnua\b"
    rf"|\b{_NEWS}\b.{{0,25}}\b(?:nua)\b.{{0,15}}\b(?:cat|tat|huy|bo|dung)\b"
    r"|\bbo theo doi\b|^ (?:/?stop|/?unsubscribe) $|\bunsub(?:s?cri\w*)?\b"
    r"|\bra khoi danh sach\b|\bdung han\b|\blam phien\b|\bspam\b"
    rf"|\b{_NEWS}\b.{{0,40}}\b(?:khong|chang) (?:can|muon|doc)\b.{{0,20}}"
    r"\b(?:nua|dau|bo|cat|huy)\b"
    rf"|\b(?:phien|nhieu qua|hoai|lien tuc|suot)\b.{{0,40}}\b(?:huy|cat|dung|tat|bo|thoi|ngung)\b"
    r"(?! (?:ho|khai|ket|thuong|tam|dang ky (?:ho|xe|ket|khai)))"
    rf"|\b(?:{_NEWS})\b.{{0,80}}\b(?:bot bot|bot di|bot lai|tat di|tat het|cat di|cat het"
    r"|dung lai|thoi dung|khoi gui|dung gui|dung nhan|ngung gui)\b"
)

NEWS = re.compile(rf"\b{_NEWS}\b|\b(?:su kien|le hoi|ngay hoi|van nghe|hop dan|hop to)\b")
WANT_NEWS = re.compile(
    r"\b(?:muon |xin |can |de |cho (?:toi|tui|em|minh|bac|chau) )"
    r"(?:duoc )?(?:theo doi|nhan|dang ky|biet het)\b(?! (?:cha|me|con|nuoi|ket qua|ho so|tien"
    r"|tro cap|luong|giay))"
    r"|\b(?:bat|mo) (?:giup |gium )?(?:cho )?(?:toi |tui |em )?(?:muc|chu de|kenh)\b"
    r"|\b(?:gui|nhan|bao)(?: thang| luon| ngay)? (?:vao|qua|ve) (?:zalo|dien thoai|may|so)"
    r"(?: cua)? (?:toi|tui|em|minh)\b"
    r"|\bdanh sach (?:tin|nhan tin)\b|\b(?:tin|muc) (?:toi|tui|em) (?:nhan|dang ky)\b"
)
SUBSCRIBE = re.compile(
    r"\b(?:dang ky|dk) nhan\b(?! (?:cha|me|con|nuoi|ket qua|kq|ho so|tien|tro cap|luong))"
    r"|\bnhan (?:tin tuc|thong bao moi|ban tin|tin canh bao|thong bao cua|tin cua|tin moi)\b"
    r"|\b(?:cho|muon|xin) (?:toi |em |minh |chau |bac )?(?:duoc )?nhan (?:tin|thong bao)\b"
    r"|\btheo doi (?:tin|thong bao|ban tin)\b"
    rf"|\b{_NEWS}\b.{{0,40}}\b(?:gui|nhan|bao|nhan tin) (?:cho|toi|em|minh|tui|chau)\b"
    r"|\b(?:nhan tin|gui tin|bao) (?:bao )?(?:cho )?(?:toi|tui|em|minh|chau) (?:hay|biet)\b"
    r"|\bduoc (?:bao|thong bao|nhan tin) khi\b|^ (?:/?subscribe) $"
    r"|\bdang ki nhan\b(?! (?:cha|me|con|nuoi|ket qua|kq|ho so|tien|tro cap|luong))"
    rf"|\b(?:bat|mo) (?:giup )?(?:cho )?(?:toi |em |minh )?(?:{_NEWS})\b"
    rf"|\b(?:muon|can) nhan (?:them )?(?:{_NEWS})\b"
    rf"|\bnhan (?:{_NEWS})\b.{{0,20}}\bthi (?:lam sao|the nao)"
    rf"|\b(?:{_NEWS})\b.{{0,40}}\b(?:bao|nhan|nhan tin|gui) (?:lien |ngay )?(?:cho|toi|tui|em)\b"
    rf"|\bthem (?:chu de|muc)\b.{{0,40}}\b(?:tin|nhan)\b"
    rf"|\b(?:muon|xin|cho|dang ky|lam sao de|cach nao de|de|duoc)\b.{{0,40}}"
    rf"(?<!xac )\b(?:nhan|nhan duoc|theo doi|biet truoc|duoc bao|bao truoc)\b.{{0,25}}\b{_NEWS}\b"
    rf"|\b{_NEWS}\b.{{0,50}}\b(?:gui|nhan|nhan tin|bao|thong bao)"
    r" (?:giup |gium |dum |qua |lai )?(?:cho |ve |qua )?(?:toi|tui|em|bac|chau|con|minh|me|ba"
    r"|ong|biet|hay|zalo|dien thoai)\b"
    r"|\bco (?:gi|chuyen gi|chuyen|tin gi|viec gi|thong bao gi|tin tuc gi|chuong trinh gi"
    r"|lich gi|dot gi|su kien gi)(?: moi)?\b.{0,40}"
    r"\b(?:gui|nhan tin|nhan|bao|thong bao)\b.{0,15}\b(?:cho|toi|tui|em|bac|chau|biet|hay)\b"
    r"|(?<!un)\bsub(?:s?cri\w*)?\b"
    r"|\bdang ky\b.{0,20}\b(?:nhan )?(?:tin tuc|thong bao|ban tin|tin moi)\b"
    rf"|\b(?:gui|nhan|bao)\b.{{0,15}}\bqua (?:zalo|day|dien thoai|tin nhan)\b.{{0,40}}\b{_NEWS}\b"
    rf"|\b{_NEWS}\b.{{0,40}}\b(?:gui|nhan|bao)\b.{{0,15}}\bqua (?:zalo|day|dien thoai|tin nhan)\b"
    # verb first: "gửi tin cho tôi về lịch …", "nhắn cho tôi mỗi khi xã có thông báo"
    r"|\b(?:gui|nhan tin|nhan|bao) (?:tin |thong bao )?(?:cho )?(?:toi|tui|em|minh|bac|chau)\b"
    rf".{{0,15}}\b(?:moi khi|moi lan|khi nao|ve (?:{_NEWS}|lich))"
    r"|\b(?:duoc |muon |xin )?cap nhat (?:tin|thong bao|ban tin)"
    rf"|\b(?:gui|nhan|bao)\b.{{0,10}}\b{_NEWS}\b.{{0,30}}"
    r"\b(?:ve|vao|qua) (?:so|may|dien thoai|zalo)"
    r" (?:nay|cua (?:toi|tui|em|minh))\b"
    r"|^ (?:muon |xin |cho )?(?:nhan|dang ky|dk) (?:tin|tin tuc|thong bao|ban tin)"
    r"(?: (?:xa|phuong|cua xa|cua phuong|voi|nhe|nha|a|ad))* $"
    r"|\b(?:phat|thong bao|bao|dang|co) (?:gi|chi|cai gi|tin gi)\b.{0,20}"
    r"\b(?:gui|nhan|nhan tin|chuyen)\b.{0,15}\b(?:qua day|vao day|ve day)\b"
    r"|\b(?:dang ky|dk|dang ki) theo doi\b(?! (?:ho so|ket qua|kq|don|phan anh|ma))"
)

CONTACT = re.compile(
    r"\b(?:noi chuyen|gap|trao doi) (?:truc tiep )?(?:voi )?(?:nguoi that|nhan vien|can bo)\b"
    r"|\b(?:goi lai|goi dien lai) (?:cho |giup )?(?:toi|tui|em|minh)\b"
    r"|\b(?:so dien th\w*|so may|hotline|duong day nong|tong dai|email|thu dien tu|dia chi"
    r"|tru so|gio lam viec|gio hanh chinh|lien he|lien lac|di duong nao|duong nao"
    r"|(?<!dang )nam o dau|o cho nao|nam gan|may gio (?:mo|dong|lam)"
    r"|lam viec (?:ngay|vao|thu|chu nhat|buoi|sang|chieu|cuoi tuan|gio|may)|buoi nao)\b"
    r"|\b(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat|cuoi tuan|ngay le|buoi (?:sang|chieu|trua|toi))"
    r"\b.{0,30}\b(?:lam viec|mo cua|co nguoi)\b"
)
# Hours and opening times: contact even without saying whose.
CONTACT_SELF = re.compile(
    r"\b(?:gio lam viec|gio mo cua|gio dong cua|lich lam viec|gio hanh chinh|lich tiep dan)\b"
    r"|\b(?:lam viec|mo cua|dong cua|nghi trua|tiep dan)\b.{0,20}\b(?:may gio|tu may|den may)\b"
    r"|\bmay gio\b.{0,20}\b(?:lam viec|mo cua|dong cua|nghi|bat dau (?:nhan|lam|tiep))\b"
    r"|\b(?:mot cua|uy ban|tru so|trung tam|bo phan)\b.{0,10}"
    r"\bnam (?:day|tang|phong|khu|o day) nao\b"
    r"|\b(?:thu [2-7]|thu bay|chu nhat|cuoi tuan|ngay le|buoi trua|trua)\b.{0,30}"
    r"\b(?:lam viec|mo cua|nghi|co nguoi|truc|co lam|con lam)\b"
    r"|\b(?:uy ban|tru so|trung tam|bo phan mot cua|mot cua)\b.{0,40}"
    r"\b(?:nam o|o) (?:dau|mo|cho nao|cho dau)\b"
    r"|^ (?:xa|phuong|uy ban|tru so)(?: xa| phuong)?(?: minh| nay| ta)? (?:nam |o |nam o )?"
    r"(?:o dau|dau|cho nao|cho dau)\b"
    r"|\bgio nghi trua\b|\bnghi trua\b.{0,20}\b(?:khong|may gio|tu may)\b"
)
# Office hours asked of the office itself ("thứ Bảy xã có làm việc không"), even when the
# message names the procedure the citizen comes for.
CONTACT_HOURS = re.compile(
    r"\b(?:xa|phuong|uy ban|tru so|mot cua|bo phan|can bo)\b.{0,30}"
    r"\b(?:co|con) (?:ai |nguoi |can bo )?(?:lam viec|mo cua|tiep dan|truc)\b"
    r"|\b(?:con ai|co ai|con nguoi) (?:lam viec|truc|tiep dan)\b"
)
# Where the office is, whom to call: contact.
CONTACT_WHERE = re.compile(
    r"\b(?:uy ban|ubnd|ub|tru so|van phong|mot cua|bo phan tiep nhan)\b.{0,40}"
    r"\b(?:o cho (?:mo|nao|dau)|o mo|re mo|re dau|duong mo|(?:o|con o|van o) cho cu"
    r"|chuyen (?:di|ve) (?:dau|mo)|nam dau)\b"
    r"|\b(?:dinh vi|google map|gg map|ban do)\b.{0,30}\b(?:uy ban|ubnd|ub|xa|phuong)\b"
    r"|\b(?:goi|hoi) (?:cho )?ai\b.{0,20}\b(?:o xa|o phuong|tren xa|uy ban)\b"
    r"|\b(?:ai truc|co ai truc|co so khac|xin so khac|so may ban|so ban)\b"
    r"|\b(?:t7|cn|thu 7)\b.{0,20}\b(?:lam viec|lm viec|mo cua)\b"
)
# Asking for a number or an address outright: contact, whatever the reason given after it.
CONTACT_ASK = re.compile(
    r"\b(?:lam sao|cach nao|bang cach nao|sao) (?:de )?(?:goi|lien lac|nhan tin|gap)"
    r" (?:duoc )?(?:cho |len |ve |toi |den |voi )?(?:xa|phuong|uy ban|ubnd|can bo|bo phan)\b"
    r"|\bso (?:nao|may|gi|dau)\b.{0,15}\bgoi (?:duoc )?(?:len|cho|ve|toi|den) "
    r"(?:xa|phuong|uy ban|ubnd|can bo)\b"
    r"|\bzalo (?:cua )?(?:can bo|xa|phuong|uy ban|ubnd|bo phan|mot cua)\b|\bso zalo\b"
    r"|\bgoi (?:cho )?ai\b(?: (?:a|vay|day|nhi|ha|z|v))* ?$"
    r"|\bdia chi\b.{0,30}\b(?:o dau|o cho nao|nam dau|nam o dau)\b"
    r"|\b(?:xin|cho (?:toi |em |minh |chau )?(?:xin|biet|hoi)|can|tim) (?:cai |lai )?"
    r"(?:so dien th\w*|so may|so hotline|so tong dai|so duong day nong|hotline|duong day nong"
    r"|email|dia chi)\b"
    r"|\b(?:xin|cho (?:toi |tui |em |minh |chau )?(?:xin )?)(?:cai |lai )?so\b.{0,20}"
    r"\b(?:goi|lien he|lien lac|cua (?:xa|phuong|uy ban))\b"
    r"|\b(?:lien he|lien lac|goi)\b.{0,20}\b(?:can bo|xa|phuong|uy ban)\b.{0,10}"
    r"\b(?:so nao|so may|qua so)\b"
    # "số đường dây nóng để phản ánh", "có số nào gọi hỏi …": the number is asked for
    r"|^ (?:so|xin so) (?:dien thoai|hotline|tong dai|duong day nong)(?: nao)? (?:de|dung de)\b"
    r"|\bco so (?:nao|dien thoai nao|hotline nao|tong dai nao)\b.{0,15}\b(?:goi|lien he|hoi)\b"
)
CONTACT_WHO = _re(
    r"uy ban", r"xa", r"phuong", r"mot cua", r"trung tam", r"bo phan", r"tiep nhan",
    r"hanh chinh cong", r"can bo", r"cong an", r"tong dai", r"hotline", r"duong day nong",
    r"ad", r"ben minh", r"chinh thuc", r"nguoi that", r"nhan vien",
)
# Named procedures: a question about one goes to the FAQ even when it says "ở đâu", "giờ nào".
PROCEDURE = _re(
    r"khai sinh", r"khai sanh", r"khai tu", r"ket hon", r"can cuoc", r"cccd", r"cmnd",
    r"thuong tru", r"tam tru", r"ho khau", r"so do", r"so hong", r"giay phep", r"ho chieu",
    r"bang lai", r"gplx", r"bhyt", r"bao hiem", r"chung thuc", r"cong chung", r"ly lich",
    r"vneid", r"dinh danh", r"tro cap", r"dang ky xe", r"bien so", r"kinh doanh", r"luu tru",
    r"doc than", r"hon nhan", r"trich luc", r"nghia vu quan su", r"giam ho", r"luong huu",
    r"buu dien", r"buu chinh", r"khai tu", r"mai tang",
)

# Words of public administration: an unknown procedure, not an unrelated question.
ADMIN = _re(
    r"thu tuc", r"ho so", r"giay (?:to|phep|chung nhan|xac nhan)", r"cap (?:lai|doi|moi)?",
    r"dang ky", r"le phi", r"xin (?:cap|giay)", r"chung nhan", r"visa", r"thi thuc",
    r"hai quan", r"xuat khau", r"nhap khau", r"khen thuong", r"huan chuong", r"bang khen",
    r"quoc tich", r"con nuoi", r"ly hon", r"doanh nghiep", r"cong ty", r"thue", r"ho chieu",
)

ABUSE = re.compile(
    r"\b(?:dm|dcm|dmm|đm|đcm|dit|đit|địt|du ma|đu ma|vcl|vkl|vl|clm|cl|cc|cut|cứt|oc cho|óc chó"
    r"|oc lon|óc lợn|cút|điên|khùng|đồ khùng|bị điên|tham nhũng|ăn tiền dân|vô học"
    r"|ngu(?! (?:lai|qua dem|nho|chung|tro|trua|o|ngon|say|dem|mot dem|may dem|\d))"  # ngủ
    r"|ngu ngốc|ngu ngoc|ngớ ngẩn|ngo ngan|đồ ngu|do ngu|vô dụng|vo dung"
    r"|ăn hại|an hai|quỷ sứ|quy su|khốn nạn|khon nan|mất dạy|mat day|láo|lao toet|chết tiệt"
    r"|chet tiet|mẹ mày|me may|thằng bot|thang bot|phí tiền thuế|phi tien thue"
    r"|bố láo|bo lao|đần|dan don|đần độn|rác rưởi|rac ruoi|ăn bám|an bam|ngu như bò"
    r"|ngu nhu bo|nhuw bò|dở tệ|dở ẹc|dở ợt|dở hơi|dở òm|vô tích sự|vo tich su|ăn tiền"
    r"|tụi bây|bọn bây|chúng mày|bọn mày|tụi mày|xàm|xàm xí|tào lao|vớ vẩn|nhảm nhí|cùi bắp"
    r"|phế vật|đồ bỏ|ngáo|hãm|ngu si|đồ điên|bố đời|sâu mọt|ăn bát vàng|ăn hại đái nát)\b"
    r"|\b[cđl][*]+[tn]\b"  # censored swear words: "c*t", "l*n"
)

GREETING = _re(
    r"xin chao", r"^ (?:da |con |em |chau |toi )?chao", r"hello",
    r"chao (?:cac |ca |may |tat ca |hai )?"
    r"(?:ban|ad|bot|em|anh|chi|co|chu|bac|moi nguoi|ca nha|dua)",
    r"he lo", r"helo", r"hi", r"alo", r"rat vui", r"lam quen", r"cam on", r"cam ơn",
    r"thank(?:s| you)?", r"tam biet", r"bye",
)
# "test", "thử": a message to see whether the bot answers (gibberish: "chưa hiểu" and the menu)
TESTING = re.compile(
    r"^ (?:test|testing|thu|thu thoi|thu nghiem|thu xem)(?: (?:test|thu|\d+|a|nhe|nha|bot))* $"
)
# "Chào xã, chúc …": a greeting that opens the message.
OPENING = re.compile(r"^ (?:da |con |em |chau |toi |xin )?chao\b")
# What the bot can do, asked anywhere in a message ("bạn có thể giúp tôi những việc gì").
HELP_ANY = re.compile(
    r"\b(?:khong|chua) biet (?:phai )?(?:hoi|bat dau|dung|lam) (?:gi|the nao|sao|tu dau|cai gi)"
    r"(?: (?:het|ca|nua|a|ha))* ?$"
    r"|\b(?:xem|coi) (?:co )?(?:nhung |cac )?(?:muc|chuc nang|dich vu) (?:gi|nao)\b"
    r"|(?<!uy )\b(?:ban|bot|em|may nay|tro ly|he thong|cai nay) (?:co the |lam on )?"
    r"(?:giup|lam|ho tro|tra loi) (?:duoc )?(?:cho )?(?:toi |tui |em |minh )?(?:duoc )?"
    r"(?:nhung )?(?:viec |cai |chuyen )?(?:gi|nhung gi)\b"
    r"|\b(?:hoi|tra cuu) (?:duoc )?nhung (?:gi|viec gi|cai gi)\b"
    r"|\b(?:huong dan|chi) (?:cho )?(?:toi|tui|em|bac|minh) (?:cach )?(?:dung|su dung|xai)\b"
)
# A question or a wish after the greeting: not small talk.
ASKS = re.compile(
    r"\b(?:cho hoi|xin hoi|muon hoi|hoi (?:ve|la|xem)|lam sao|the nao|o dau|bao nhieu|bao lau"
    r"|duoc khong|co phai|can gi|muon (?:lam|xin|dang ky|nop|gui|bao|biet)|xin (?:cap|giay)"
    r"|giup (?:toi|tui|em)|nho (?:xa|ad|ban))\b|(?:khong|chua|nao|gi) (?:a |vay |ad |nhi |ha )?$"
)
HELP = re.compile(
    r"^ (?:/help|help|/menu|/start|tro giup|huong dan su dung|bat dau|start|menu"
    r"|ban (?:lam duoc|giup duoc|biet) gi|bot (?:lam duoc|giup duoc) gi|ban la ai"
    r"|co the giup (?:gi|toi gi)|huong dan|can giup do|giup toi voi|giup voi)"
    r"(?: voi| nhe| ad| a)* $"
)

OOS = _re(
    r"gia vang", r"vang (?:mieng|nhan|9999|sjc|ta)", r"thoi tiet", r"du bao", r"nang nong",
    r"xo so", r"vietlott", r"jackpot", r"bong da", r"ngoai hang", r"ghi ban", r"world cup",
    r"cach (?:lam mon|nau|muoi|kho|chien|xao|lam banh|lam thit)", r"nau an", r"mon an",
    r"cong thuc nau", r"thit kho", r"bai toan", r"giai (?:bai|toan)", r"tim x",
    r"phuong trinh", r"tu vi", r"xem tuoi", r"phong thuy", r"lich am", r"am lich",
    r"ngay tot", r"chua (?:dau|ho|sot|mun|hoi)", r"uong thuoc", r"siro", r"thuoc gi",
    r"dau (?:da day|dau|bung|lung)", r"thu y", r"lai suat", r"chung khoan", r"co phieu",
    r"bitcoin", r"tien ao", r"nen mua", r"gia xang", r"ca si", r"bo phim", r"xem phim",
    r"choi game", r"doi tuyen", r"tran dau", r"da bong", r"ti so", r"sea games",
    r"nguoi yeu", r"crush", r"con cho .{0,20}bo an", r"may tinh bang",
    r"tieng anh", r"hoc gioi", r"hen ho", r"may gio roi", r"bay gio la may gio",
    r"tieu chay", r"sot cao", r"bi sot", r"non oi", r"cam cum", r"dau hong", r"ho khan",
    r"nen cho (?:be |con |chau |tre )?an gi", r"chon nganh", r"nganh (?:nao|hoc)",
    r"thi dai hoc", r"san thuong mai dien tu", r"shopee", r"lazada",
    r"tiktok shop", r"mua hang online", r"don hang", r"shop (?:khong|ko|ban|giao)", r"phim",
)

# Procedures of ministries, courts, tax and customs offices, schools, insurers: a commune
# chatbot points to the national portal for these instead of offering unrelated commune
# procedures (no clarify; a strong match is still answered).
OOS_NATIONAL = _re(
    r"quoc tich", r"hai quan", r"dang kiem", r"kiem dinh xe",
    r"phat nguoi", r"sung (?:san|hoi|ban)", r"giay phep lao dong", r"nguoi nuoc ngoai lam viec",
    r"thue (?:gia tri gia tang|gtgt|doanh nghiep|thu nhap doanh nghiep)", r"hoan thue",
    r"khen thuong", r"huan chuong", r"bang khen", r"danh hieu", r"tuyen sinh", r"diem chuan",
    r"xet tuyen", r"hoc bong", r"nhan hieu", r"so huu tri tue", r"ban quyen", r"bang sang che",
    r"chung chi hanh nghe", r"bao hiem (?:xe|o to|nhan tho)", r"doi no", r"khoi to",
    r"xuat khau", r"luong huu", r"nghi huu", r"che do om dau", r"nghi om",
    r"thuong binh", r"nguoi co cong", r"liet si", r"boi thuong", r"nha xuong",
    r"(?:cum|khu) cong nghiep", r"tiem chung", r"lich tiem", r"tru (?:het )?diem",
    r"phuc hoi diem", r"no luong", r"tranh chap lao dong", r"(?:xe may|o to) bat buoc",
    r"vi pham giao thong", r"nop phat", r"ho chieu (?:cong vu|ngoai giao)",
    r"giay phep kinh doanh (?:ruou|thuoc la|xang)", r"thue nhap khau", r"the tam tru",
    r"xuat nhap canh",
)

# A pension told as someone's state ("bà có lương hưu", "để về già có lương hưu"): not asked.
NATIONAL_BACKGROUND = re.compile(
    r"\b(?:co|khong co|chua co|dang (?:huong|lanh|linh|nhan)) luong huu\b"
    r"|\b(?:sau nay|ve gia|mai sau|khi gia|luc gia) (?:co |duoc )?(?:lanh |linh |huong |nhan )?"
    r"luong huu\b"
)

# Weather, on the accented text ("mưa" folds to "mua", to buy).
OOS_ACCENTED = re.compile(r"(?:^| )(?:mưa|nắng|nhiệt độ|độ ẩm|thời tiết|dự báo)(?: |$)")
