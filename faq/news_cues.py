"""Cue phrases of news wished or stopped (subscribe, unsubscribe), on folded text as in
faq/intent_cues.py, which re-exports them."""

from __future__ import annotations

import re

__all__ = ["NEWS", "STOPPING", "SUBSCRIBE", "UNSUBSCRIBE", "WANT_NEWS"]

_NEWS = (
    r"(?<!thong )(?:tin|tin tuc|tin nhan|thong bao|tbao|noti|ban tin|canh bao|lich hop|tin moi"
    r"|theo doi"
    r"|tin bao|lich (?:phat|kham|hop|tiem|cat|cup)\w*|tin (?:lu|bao|cua xa|cua phuong)"
    r"|lich (?:cat|cup|mat|ngung) (?:dien|nuoc)|lich tiem|lich thu gom|su kien|le hoi)"
)
_STOP = (
    r"(?:huy|dung|ngung|tat|bo|thoi|cat|khoi|bot|khong (?:muon|can)|het muon|thoi khoi"
    r"|dung co|nghi|xin nghi|cho nghi|bo ten)"
)
# A stop or negation word: an "unsubscribe" read from examples alone needs one ("gửi tin
# cho tôi …" shares its words with "bớt gửi tin cho tôi").
STOPPING = re.compile(rf"\b{_STOP}\b|\b(?:nua|spam|lam phien|ra khoi|thoi)\b")
UNSUBSCRIBE = re.compile(
    rf"\b(?!bot ){_STOP} "
    r"(?:dang k[iy] |nhan |gui |goi |cho |toi |tui |em |e |giup |gium |dum |cai ){0,4}"
    rf"(?:cac |nhung |may )?{_NEWS}\b"
    r"|\b(?:huy|dung|ngung|tat|thoi|nghi|khoi) (?:dang ky )?nhan\b"
    r"(?! (?:cha|me|con|nuoi|ket qua|ho so|tien|tro cap|luong|giay))"
    r"|\bhuy dang ky(?: nhan)?(?: tin| thong bao)?(?: giup| cho| di| voi| nhe)?\b"
    r"(?! (?:thuong|tam|ket|kinh|xe|khai|ho))"
    r"|\bkhong (?:muon |can )?nhan (?!duoc)(?:tin|thong bao|them)?.{0,25}\bnua\b"
    r"|\bkhoi (?:bao|gui|nhan tin)\b.{0,30}\bnua\b|\bthoat khoi (?:kenh|danh sach|nhom)\b"
    r"|\b(?:dung|ngung|thoi|khoi|dung co) (?:nhan tin|nhan|gui|goi|nhan thong bao)\b.{0,30}\bnua\b"
    rf"|\b{_NEWS}\b.{{0,25}}\b(?:nua)\b.{{0,15}}\b(?:cat|tat|huy|bo|dung)\b"
    r"|\bbo theo doi\b|^ (?:/?stop|/?unsubscribe) $|\bunsub(?:s?cri\w*)?\b"
    r"|\b(?:ra|rut|xoa|gach|out|bo)(?: ten)?(?: (?:toi|tui|em|minh|e))? khoi (?:danh sach|ds)\b"
    r"(?! (?:ho|can|tro|nguoi|huong|doi|cu tri|thi|xet))"  # "… danh sách hộ nghèo": the FAQ
    r"|\bdung han\b|\b(?:dang ky|dk) (?:nhan (?:tin|thong bao) )?nham\b"
    r"|\b(?:bo|go) (?:toi|tui|em|e|minh) ra\b|\bhuy (?:gium|giup|dum) (?:e|em|toi|tui)\b"
    r"|\broi khoi (?:danh sach|ds|kenh|nhom)\b|\bkhong theo doi (?:\w+ ){0,3}nua\b"
    r"|^ (?:ngung|huy|dung|bo) (?:dang ky|nhan tin|theo doi) $"
    r"|\b(?:khong|hong) (?:co )?dang ky\b.{0,20}\bgui (?:hoai|mai|hoai vay)\b"
    r"|\b(?:da|co) (?:dang ky|dk) nhan\b.{0,120}\b(?:khong can|khong muon|thoi|ngung|huy)\b"
    rf"|\b{_NEWS}\b.{{0,80}}\b(?:muon|xin|cho) (?:ngung|dung|thoi|huy)\b"
    r"(?! (?:kinh doanh|hoat dong|ban|hoc))"
    r"|\blam phien\b|\bspam\b"
    rf"|\b{_NEWS}\b.{{0,40}}\b(?:khong|chang) (?:can|muon|doc)\b.{{0,20}}"
    r"\b(?:nua|dau|bo(?! lo)|cat|huy)\b"
    rf"|\b(?:phien|nhieu qua|hoai|lien tuc|suot)\b.{{0,40}}\b(?:huy|cat|dung|tat|bo|thoi|ngung)\b"
    r"(?! (?:ho|khai|ket|thuong|tam|la|roi|that|dang ky (?:ho|xe|ket|khai)))"  # "đúng là"
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
    rf"|\b(?:muon|can) nhan (?:them )?(?:cac |nhung )?(?:{_NEWS})\b"
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
    r"|\b(?:duoc |muon |xin )?cap nhat (?:cac |nhung )?(?:tin|thong bao|ban tin)"
    r"|\bcho (?:toi|tui|em|me|bac|chau|minh|ong|ba) nhan (?:voi|nhe|nha|tin|thong bao)\b"
    r"|\bbao (?:\w+ ){0,2}(?:som|truoc) cho (?:toi|tui|em|minh|bac|chau)\b"
    r"|\bnhan bao (?:cho )?(?:toi|tui|em|minh|bac|chau)\b|\bduoc bao truoc (?:moi khi|khi)\b"
    rf"|\bduoc gui (?:\w+ )?{_NEWS}\b"
    r"|\b(?:bat|mo) (?:nhan|dang ky) (?:tin|thong bao)\b"
    rf"|\b{_NEWS}\b.{{0,50}}\b(?:dang ky|dk) lai\b"
    r"|\b(?:dang ky|dk) (?:nhan )?(?:tin|thong bao) lai\b"
    r"|\b(?:dang ky|them) (?:\w+ ){0,3}(?:muc|chu de) (?:tin|thong bao)\b"
    rf"|\b(?:gui|nhan|bao)\b.{{0,10}}\b{_NEWS}\b.{{0,30}}"
    r"\b(?:ve|vao|qua) (?:so|may|dien thoai|zalo)"
    r" (?:nay|cua (?:toi|tui|em|minh))\b"
    # "nhắn tin cho tôi" alone is "message me" (a result, a reply): only another news word
    rf"|\b(?:(?:gui|bao) (?:cac |nhung )?|nhan (?:cac |nhung )?(?!tin\b)){_NEWS}\b.{{0,25}}"
    r"\bcho (?:toi|tui|em|minh|bac|chau|con)\b"
    r"|^ (?:muon |xin |cho )?(?:nhan|dang ky|dk) (?:tin|tin tuc|thong bao|ban tin)"
    r"(?: (?:xa|phuong|cua xa|cua phuong|voi|nhe|nha|a|ad))* $"
    r"|\b(?:phat|thong bao|bao|dang|co) (?:gi|chi|cai gi|tin gi)\b.{0,20}"
    r"\b(?:gui|nhan|nhan tin|chuyen)\b.{0,15}\b(?:qua day|vao day|ve day)\b"
    r"|\b(?:dang ky|dk|dang ki) theo doi\b(?! (?:ho so|ket qua|kq|don|phan anh|ma))"
)
