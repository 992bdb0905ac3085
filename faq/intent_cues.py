"""Cue phrases of faq/intents.py, on folded text (no diacritics, lower case, chat spellings
expanded by TEENCODE). Written from how people talk, never copied from evaluation sets.

Each pattern is matched against " words joined by spaces " so ``\\b`` bounds whole words.
"""

from __future__ import annotations

import re

from faq.news_cues import NEWS, STOPPING, SUBSCRIBE, UNSUBSCRIBE, WANT_NEWS
from faq.status_cues import STATUS

__all__ = [
    "ABUSE",
    "ADMIN",
    "ASKS",
    "AT_BOT",
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
    "OTHER_ORG",
    "OWN_OFFICE",
    "PRIVACY",
    "PRIVACY_FIRST",
    "PROCEDURE",
    "STATUS",
    "STOPPING",
    "SUBSCRIBE",
    "TESTING",
    "UNSUBSCRIBE",
    "WANT_NEWS",
    "WELL_WISH",
]


def _re(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


COMPLAINT = _re(
    r"khieu nai", r"to cao", r"to giac", r"don kien(?! nghi)", r"khoi kien",
    r"kien (?:ra|len) toa", r"khong phuc", r"xem xet lai quyet dinh", r"khieu lai",
    r"(?:muon|se|di|dung don) to (?:ong|ba|can bo|chu tich|truong|pho)", r"khong khach quan",
    r"yeu cau (?:xem xet|giai quyet) lai",
    r"khong (?:dong y|chap nhan|dong tinh|dong thuan) (?:voi )?(?:cai )?quyet dinh",
    r"thua kien", r"(?:muon|di|se|phai|doi) thua (?:ong|ba|can bo|thang|con|no|ho|len)",
)

_MY_DATA = (
    r"(?:du lieu|thong tin|lich su (?:chat|tro chuyen|tin nhan)|tin nhan|sdt|so dien thoai"
    r"|dia chi|info)"
)
_MY_DATA_WIDE = (
    r"(?:thong tin|tin nhan|so dien thoai|sdt|so (?:cua )?(?:toi|tui|em|minh)|dia chi|d c"
    r"|ten (?:toi|tui|em)|chat|cuoc tro chuyen|du lieu|lich su)"
)
PRIVACY = re.compile(
    r"\b(?:du lieu|thong tin) (?:ca nh\w+ )?(?:cua toi|cua minh|cua em|cua chau|cua tao|cua tui)\b"
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
    r"|\b(?:luu|biet|giu|co) (?:nhung )?(?:chi|gi) ve (?:toi|tui|em|minh)\b"
    r"|\b(?:du lieu|dl) ca nhan\b|\bxoa tai khoan (?:cua )?(?:toi|tui|em|minh)\b"
    r"|\b(?:ghi lai|luu lai|luu)\b.{0,20}\b(?:tin|nhung gi|moi thu)\b.{0,15}"
    r"\b(?:nhan|gui|viet|go|khai)\b"
    r"|\bai (?:co quyen )?(?:doc|xem|coi)\b.{0,30}\b(?:nhan|gui|viet)\b"
    r"|\b(?:coi|xem) lai\b.{0,30}\b(?:khai|nhan|gui)\b.{0,10}\b(?:bot|o day)\b"
    r"|\b(?:dung|khong) luu\b.{0,20}\b(?:ten|so|dia chi|thong tin)\b|\bai giu\b"
    r"|\bnguoi ngoai (?:co )?(?:doc|xem|biet)\b"
    r"|\b(?:tin|nhan|gui)\b.{0,30}\b(?:bi )?luu lai (?:khong|ko|k|hong)\b"
    r"|\bso la (?:goi|nhan)\b"
    r"|\b(?:hinh|anh) (?:\w+ ){0,3}(?:gui|nhan)\b.{0,30}\bxoa\b"
    r"|\bai (?:\w+ ){0,3}(?:duoc )?doc (?:cac |nhung )?tin\b"
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
    r"|\b(?:huy|xoa|go) (?:bo |het |di )?(?:thong tin|du lieu) ca nhan\b|\bxoa sach\b"
    r"|\b(?:ghi nhan|luu|ghi lai|biet) (?:\w+ ){0,2}ve (?:toi|tui|em|minh)\b"
    r"|\bkhong muon (?:de lai|luu|cung cap) (?:thong tin|du lieu)\b"
    r"|\b(?:giu|luu) (?:lai )?(?:lam|de lam|de) (?:chi|gi)\b"
    r"|\bxoa (?:het |moi |tat ca |toan bo )?(?:nhung gi|moi thu|tat ca|dau vet)\b.{0,20}"
    r"\b(?:lien quan|cua|ve) (?:den |toi )?(?:toi|tui|em|minh)\b|\bnghi dinh 13\b"
    r"|\bthu thap\b.{0,30}\b(?:du lieu|thong tin)\b"
    r"|\b(?:du lieu|thong tin) gi ve (?:toi|tui|em|minh)\b"
    rf"|\b{_MY_DATA_WIDE}\b.{{0,40}}\bco ai (?:coi|xem|doc) (?:duoc|dc)\b"
    # who reads what I typed here ("tin tui nhắn ở đây ai coi được", "cán bộ có đọc được không")
    r"|\b(?:tin|tin nhan|luu)\b.{0,40}\b(?:ai|can bo|nguoi ta|xa)\b.{0,10}"
    r"\b(?:doc|xem|coi) (?:duoc|dc)\b"
    r"|\b(?:sua|xoa|chinh)\b.{0,30}\b(?:trong|tren) (?:he thong|bot|chatbot|kenh) (?:nay|ni)\b"
)
# Someone else reading my number or address: privacy, even about a petition I sent.
PRIVACY_FIRST = re.compile(
    r"\b(?:so dien thoai|dia chi|thong tin|du lieu)\b.{0,60}"
    r"\b(?:ai (?:xem|doc|biet)|co ai (?:xem|doc|coi)|bi lo|lo ra|dua len mang)\b"
    # something typed here by mistake, to be erased ("nhắn nhầm số căn cước, xóa giúp")
    r"|\b(?:nhan|gui|go) nham\b.{0,60}\bxoa\b"
    r"|\bxoa (?:giup |gium |dum )?(?:\w+ )?(?:tin|tin nhan) (?:do|nay|vua|nham)\b"
    r"|\bxoa\b.{0,40}\b(?:tren|trong) (?:he thong|kenh|bot) (?:nay|ni)\b"
    r"|\b(?:ho so nguoi dung|xoa vinh vien)\b"
    r"|\blo (?:gui|nhan|dang|go)\b.{0,60}\bxoa\b"
    r"|\b(?:gui|nhan|khai) (?:\w+ ){0,3}(?:vao|vo|len|o) day\b.{0,30}"
    r"\b(?:go|xoa|bo) (?:di|giup|gium)?"
    r"|\b(?:nhap|khai|gui|nhan)\b.{0,30}\bco (?:luu|giu) (?:lai )?(?:khong|ko|hong)\b"
)
PRIVACY_GUARD = _re(
    r"kho (?:du lieu|dl)", r"vneid", r"dinh danh", r"dich vu cong", r"can cuoc", r"ho so"
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
    r"|\b(?:mot cua|uy ban|tru so|trung tam|bo phan|xa|phuong)\b.{0,10}"
    r"\bnam (?:o )?(?:(?:day|tang|phong|khu)(?: nha)? nao|cho (?:dau|mo|nao))\b"
    r"|\bnghi le\b|\ble \S+ (?:\w+ ){0,2}nghi\b|\bbao gio lam (?:viec )?lai\b"
    r"|\bmuon gap (?:truc tiep )?(?:chu tich|lanh dao|can bo)\b"
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
    r"|\b(?:ngoi|lam viec) o (?:dau|mo|cho nao|phong nao)\b|\bchi duong\b"
    r"|\bdia chi (?:gui thu|buu dien|nhan thu)\b|\blam (?:viec )?ngoai gio\b"
    r"|\b(?:thu may|ngay nao|hom nao|luc nao|khi nao)\b.{0,30}\btiep (?:dan|cong dan)\b"
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
    r"|\b(?:xin|cho xin) (?:cai )?so (?:di dong|rieng|ca nhan|khac)\b"
    r"|\b(?:cho|xin) (?:toi |tui |em |minh )?(?:xin )?(?:cai )?so (?:dien thoai )?cua "
    r"(?:\w+ ){0,2}"
    r"(?:can bo|chu|co|anh|chi|bac)\b"
    r"|^ (?:so dien thoai|sdt|so dt|hotline|so hotline|dia chi)"
    r"(?: (?:xa|phuong|uy ban|ubnd|a|ad))* $"
    # "… thì gọi ai?" (not a portal error: the FAQ answers that one)
    r"|^(?!.*\b(?:loi|dang nhap|tai khoan|dich vu cong|vneid)\b).*\bgoi (?:cho )?ai\b"
    r"(?: (?:a|vay|day|nhi|ha|z|v))* ?$"
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
# Another organisation's number, address or hours ("tổng đài Mobifone", "nhà thuốc mấy giờ
# đóng cửa"): outside the remit, not the unit's contact details, unless the unit's office is
# named too.
OTHER_ORG = _re(
    r"viettel", r"vnpt", r"mobifone", r"mobi", r"vinaphone", r"vietnamobile", r"fpt", r"evn",
    r"dien luc", r"cap nuoc", r"ngan hang", r"agribank", r"vietcombank", r"sieu thi", r"co ?op",
    r"benh vien", r"phong kham", r"nha thuoc", r"quan (?:an|pho|com|nhau|cafe|ca phe)",
    r"nha hang", r"cua hang", r"shop", r"rap phim", r"grab", r"be", r"xanh sm", r"nha xe",
    r"hang bay", r"cong ty", r"truong (?:hoc|mam non|tieu hoc|thcs|thpt|cap)",
)
OWN_OFFICE = _re(
    r"uy ban", r"ubnd", r"mot cua", r"trung tam (?:phuc vu )?hanh chinh", r"bo phan",
    r"tru so", r"can bo", r"(?:so|dia chi|gio|zalo|hotline) (?:\w+ ){0,2}(?:cua )?(?:xa|phuong)",
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
    r"|phế vật|đồ bỏ|ngáo|hãm|ngu si|đồ điên|bố đời|sâu mọt|ăn bát vàng|ăn hại đái nát"
    r"|đồ phế thải|bot rác|đồ rác|khốn n\w+|do cho chet|như shit|nhu shit|shit|câm mồm"
    r"|câm miệng|im mồm|chó má|đồ chó|đầu óc có vấn đề|thằng nào (?:làm|lập) ra|đi chết đi"
    r"|vo hoc|súc vật|suc vat|cái thá|cai tha)\b"
    r"|\b[cđl][*]+[tn]\b"  # censored swear words: "c*t", "l*n"
)

# Spoken to the bot or its staff (accented text): an insult there is abuse, not a petition.
AT_BOT = re.compile(
    r"(?:^| )(?:bot|chatbot|mày|mi|tao|chúng mày|tụi mày|bọn mày|các người)(?= |$)"
)

GREETING = _re(
    r"xin chao", r"hello",
    r"chao (?:cac |ca |may |tat ca |hai )?"
    r"(?:ban|ad|bot|em|anh|chi|co|chu|bac|moi nguoi|ca nha|dua)",
    r"he lo", r"helo", r"hi", r"alo", r"rat vui", r"lam quen", r"cam on", r"cam ơn",
    r"thank(?:s| you)?", r"tam biet", r"bye", r"chao (?:nha|nhe|nghen|nhen|nghe)", r"bb",
    r"bai bai", r"hen gap lai",
)
# Wishes with nothing asked ("Chúc cán bộ xã năm mới an khang"): small talk, the menu follows.
WELL_WISH = re.compile(
    r"\bchuc (?:\w+ ){0,8}(?:an khang|thinh vuong|suc khoe|manh khoe|vui ve|may man|thanh cong"
    r"|cong tac tot|nam moi|ngay tot lanh|binh an|tet)\b"
)
# "test", "thử": a message to see whether the bot answers (gibberish: "chưa hiểu" and the menu)
TESTING = re.compile(
    r"^ (?:test|testing|thu|thu thoi|thu nghiem|thu xem)(?: (?:test|thu|\d+|a|nhe|nha|bot))* $"
)
# "Chào xã, chúc …": a greeting that opens the message (an anchored "^" cannot sit inside _re's
# leading \b, so it has its own pattern).
OPENING = re.compile(r"^ (?:da |con |em |chau |toi |xin )?chao\b")
# What the bot can do, asked anywhere in a message ("bạn có thể giúp tôi những việc gì").
HELP_ANY = re.compile(
    r"\b(?:khong|chua) biet (?:phai )?(?:hoi|bat dau|dung|lam) (?:gi|the nao|sao|tu dau|cai gi)"
    r"(?: (?:het|ca|nua|a|ha))* ?$"
    r"|\b(?:xem|coi|co) (?:co )?(?:nhung |cac )?(?:muc|chuc nang|dich vu) (?:gi|nao)\b"
    r"|\b(?:chua|khong) biet (?:dung|su dung|xai) (?:cai nay |cai ni )?(?:the nao|sao|ra sao)\b"
    r"|\b(?:kenh|bot|trang|ung dung|cai) (?:nay|ni) (?:dung )?(?:de )?(?:lam )?(?:gi|chi)\b"
    r"|\bgioi thieu\b.{0,20}\b(?:kenh|bot|chuc nang|cach dung)\b"
    r"|(?<!uy )\b(?:ban|bot|em|con|chau|ad|may nay|tro ly|he thong|cai nay) (?:nay |ni )?"
    r"(?:co the |lam on )?"
    r"(?:giup|lam|ho tro|tra loi) (?:duoc )?(?:cho )?(?:toi |tui |em |minh )?(?:duoc )?"
    r"(?:nhung )?(?:viec |cai |chuyen )?(?:gi|nhung gi)\b"
    r"|\b(?:hoi|tra cuu) (?:duoc )?nhung (?:gi|viec gi|cai gi)\b"
    r"|\b(?:hoi|tra cuu) duoc (?:gi|viec gi|cai gi)\b"
    r"|\b(?:danh muc|danh sach|xem (?:cac )?) ?(?:chuc nang|dich vu cua bot)\b"
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
    r"thi dai hoc", r"iphone", r"ip \d+", r"samsung", r"piano", r"guitar", r"hoc dan",
    r"mua dan", r"khach san", r"lich trinh", r"san thuong mai dien tu",
    r"shopee", r"lazada", r"(?:dien thoai|dt) (?:bi )?(?:do|treo|lag|sap nguon|dung)", r"hoc them",
    r"thi vao lop", r"tra gop", r"reset", r"(?:mua|ban) (?:dien thoai|dt) (?:cu|tra gop)",
    r"(?:ban|mua) (?:dien thoai|dt) (?:cu|o dau)", r"da (?:may h|may gio|luc may)",
    r"chet cuoi", r"chuyen cuoi", r"so cuu", r"thuyet trinh", r"ky nang song", r"phong bi",
    r"(?:quan|cho) (?:\w+ ){0,3}ngon", r"pin trau", r"cho trai", r"bai phat bieu",
    r"doi nha (?:thua|thang|da)",
    r"thu mon", r"doi bong", r"(?<!bien )dong dat", r"ket xe",
    r"tiktok shop", r"mua hang online", r"don hang", r"shop (?:khong|ko|ban|giao)",
    r"(?<!ban )phim",
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
    r"(?:gia han|het han|sap het han) (?:visa|thi thuc)",
    r"(?:visa|thi thuc) (?:\w+ ){0,3}(?:sap )?het han",
    r"xuat nhap canh",
)

# A pension told as someone's state ("bà có lương hưu", "để về già có lương hưu"): not asked.
NATIONAL_BACKGROUND = re.compile(
    r"\b(?:co|khong(?: co)?|chua(?: co)?|dang (?:huong|lanh|linh|nhan)) luong huu\b"
    r"|\b(?:gan|canh|ben|sat|quanh) khu cong nghiep\b"  # where someone lives
    r"|\b(?:sau nay|ve gia|mai sau|khi gia|luc gia) (?:co |duoc )?(?:lanh |linh |huong |nhan )?"
    r"luong huu\b"
)

# Weather, on the accented text ("mưa" folds to "mua", to buy).
# "đề thi" too: "mới đẻ thì" folds alike.
OOS_ACCENTED = re.compile(r"(?:^| )(?:mưa|nắng|nhiệt độ|độ ẩm|thời tiết|dự báo|đề thi)(?: |$)")
