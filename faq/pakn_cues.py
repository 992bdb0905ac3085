"""Cue phrases of a petition (PAKN), on folded text (faq/intents.py; the same conventions as
faq/intent_cues.py). A local problem is a thing of the commune (a road, a culvert, a street
light, a bridge …) with a defect, or a nuisance (rubbish, smoke, noise, stray cattle …);
it becomes a petition with a request, a damage, a place or a second problem.
"""

from __future__ import annotations

import re

__all__ = [
    "BROKEN",
    "CATEGORY_CUES",
    "DAMAGE",
    "ENTITLEMENT",
    "PAKN_HOWTO",
    "PAKN_SAID",
    "PLACE",
    "PROBLEM",
    "REQUEST",
]


def _re(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


PAKN_HOWTO = re.compile(
    r"\b(?:phan anh|kien nghi)\b.{0,30}\b(?:thoi han|bao lau|mat bao lau|bao nhieu ngay"
    r"|may ngay|co mat phi|mat phi|le phi)\b"
)
# A question about what the citizen is entitled to ("nhà bị ngập có được miễn thuế không"):
# the problem is the reason for asking, not a report.
ENTITLEMENT = re.compile(
    r"\b(?:co )?duoc (?:mien|giam|ho tro|boi thuong|den bu|cap|huong|nhan|vay|xet)\b"
)
PAKN_SAID = re.compile(
    r"\b(?:phan anh|kien nghi|gop y|de xuat|phan nan|co (?:mot |vai )?y kien)\b"
    # a suggestion: "xã nên lắp thêm …"
    r"|\b(?:xa|phuong|uy ban|chinh quyen|thon|ap) nen (?:lam|lap|xay|sua|bo tri|them|tang|mo"
    r"|co|cho|to chuc|trong|don|nang cap|lap dat)\b"
    r"|\b(?:de nghi|nho|mong|yeu cau|xin|chuyen len|bao len)"
    r" (?:xa|phuong|uy ban|chinh quyen|cong an|dia phuong|thon|ap|to dan pho|cac bac|cac chu"
    r"|cac anh|ban quan ly|ad chuyen)\b"
    r"|\b(?:xa|phuong|uy ban|chinh quyen) (?:xuong|cho nguoi|xu ly|coi|kiem tra|giai quyet"
    r"|can thiep|nhac nho|sua|lap|don)\b"
    r"|\b(?:muon|xin|can) bao (?:viec|chuyen|ve|tinh trang)\b"
    r"|(?<!giay )(?<!don )(?<!mau )(?<!to )\bde nghi (?:dieu chinh|kiem tra|sua|xem xet|xu ly"
    r"|khac phuc|lap|bo tri|rao|thay|cho nguoi)\b"
)
# Things of the commune and what goes wrong with them ("cống" and "công" fold alike: a
# culvert only with its defect or its kind).
_THING = (
    r"(?:mat duong|con duong|doan duong|duong (?:lien thon|lien xa|lang|be tong|dat|vao|ra|di)"
    r"|ong nuoc|duong ong|cot dien|day dien|tram bien ap|bong den|den duong|cau khi|cau tre"
    r"|cau go|via he|le duong|bo ke|bo kenh|muong|kenh|ho ga|cong thoat nuoc|cong ranh"
    r"|nap cong|san choi|nha van hoa|bien bao|tuong rao|loa phat thanh)"
)
# Short, ambiguous words ("đèn"/"đến", "cầu"/"câu", "cống"/"công"): only right before the defect.
_THING_SHORT = r"(?:duong|hem|ngo|den|cau|ranh|kenh|muong|cong bi)"
_DEFECT = (
    r"(?:hu|hong|be|vo|nut|nut toac|lun|sut|sut lun|sat lo|tac|nghet|ngap|nghieng|sap do"
    r"|bi do|nga do|gay|sap|dut|muc|tat|chap chon|ro ri|tran|o ga|xuong cap|bong troc|lay loi"
    r"|lung lay|toe lua)"
)
_NUISANCE = (
    r"ngap(?: nuoc| ung)?", r"o ga", r"den duong", r"rac(?: thai)?", r"bai rac", r"mui hoi",
    r"boc mui", r"hoi thoi", r"xa thai", r"nuoc thai", r"nuoc den", r"on ao", r"karaoke",
    r"loa keo", r"tieng on", r"on (?:qua|lam|that|ghe|khong chiu)",
    r"nhac (?:xap xinh|to|om soi|am i)", r"mo nhac", r"bui mu",
    r"bui bam", r"khoi (?:bay|den|mu|khet|bui)", r"dot (?:rac|nhua|rom)", r"lan chiem",
    r"lan ra", r"chiem (?:via he|long duong|loi di|dat|het)", r"xay (?:dung )?trai phep",
    r"(?:cho|bo|trau|heo|lon|ga|vit) tha rong", r"tha rong", r"cho can",
    r"cong (?:vo|bi vo|bi tac|nghet|bi nghet|bi hu)", r"nap cong", r"mat nap",
    r"cay (?:do|nghieng|sap do|gay|muc)", r"gay canh", r"cau (?:yeu|sap|muc|hu|go)",
    r"cay\b.{0,40}\b(?:do|nghieng|gay|muc|sap)", r"sut lun", r"sat lo", r"dua xe", r"no po",
    r"tu tap", r"mat trat tu", r"mat an ninh", r"day dien", r"mat dien", r"cup dien",
    r"cup nuoc", r"mat nuoc", r"o nhiem", r"trai (?:heo|lon|ga|vit)", r"thai do", r"quat nat",
    r"gay kho", r"nhung nhieu", r"hach sach", r"doi tien", r"cham tre", r"tre hen", r"qua han",
    r"nguy hiem", r"lo (?:chan|rac)", r"nuoc ban", r"tran (?:len|ra) (?:duong|dg|ngo|hem)",
    r"duc ngau", r"keu u u", r"lach tach", r"khong (?:co )?rao", r"loa (?:\w+ ){0,3}(?:to|on)",
    r"hen lan hen lua", r"hen lay hen de",
    r"via he", r"lan duong", r"do (?:tram|trom|bay|phe thai)",
    r"phe thai", r"xa ban", r"chat dong", r"muoi (?:nhieu|qua|bay)", r"mat ve sinh",
    r"xe (?:tai|ben|cho cat|cho dat) .{0,30}\b(?:chay|phong|qua toc do|lam hu)",
    r"qua toc do", r"chay au", r"nhau nhet", r"cat dien", r"hen (?:toi hen lui|nhieu lan)",
    r"khong (?:ai|thay ai) (?:don|lay|thu gom|sua|quan ly)",
)
# A thing of the commune broken ("đèn đường tắt"): a report by itself.
BROKEN = re.compile(
    rf"\b{_THING}\b.{{0,30}}\b(?:bi |da |lai )?{_DEFECT}\b"
    rf"|(?<!yeu )(?<!cong )\b{_THING_SHORT} (?:bi |da |lai )?{_DEFECT}\b"
    r"(?! (?:nghia|dung|ich|ly|duyen|van|hoc|tu))"  # "câu vô nghĩa", "đèn vô dụng" are words
)
PROBLEM = re.compile(r"\b(?:" + "|".join(_NUISANCE) + r")\b|" + BROKEN.pattern)
DAMAGE = _re(
    r"bi (?:hong|hu|vo|be|gay|mat|tac|sap|do|nut|lun|ngap|chay|dut|tat|nghieng|lo)",
    r"(?:hong|hu|vo|be) (?:roi|lau|het)", r"nut toac", r"sap do",
    r"khong (?:sang|chay|hoat dong)",
    r"(?:khong|chua) (?:ai|ai den|thay ai|co ai) (?:sua|xu ly|don|lam|man|quan tam|toi|den|lay"
    r"|thu gom|quan ly)",
    r"(?:tat|hu|hong|ngap|tac|vo|gay|nghieng|sut|lun)\b.{0,20}\b(?:may|nhieu|ca|mot|hai|ba)"
    r" (?:ngay|tuan|thang|nam|bua|hom)",
    r"so .{0,30}\b(?:do|nga|te|trung|nguy hiem|tai nan)", r"(?:te|nga) (?:xe|may vu|nhieu)",
    r"noi (?:hoai|mai|may lan) (?:khong|ma khong) nghe", r"kho tho", r"ho suot",
    r"ca (?:khu|xom|thon|ap) (?:deu )?bi",
    r"(?:khong|chang) (?:ngu|nghi ngoi|hoc) (?:duoc|noi)", r"mat ngu",
)
# A problem at a named place of the commune is a report, not a question.
PLACE = _re(
    r"hem", r"ngo", r"ngach", r"kiet", r"thon", r"ap", r"xom", r"khu pho", r"to dan pho",
    r"to \d+", r"truoc (?:cho|truong|cong|nha|uy ban)", r"dau (?:hem|ngo|xom|duong)",
    r"cuoi (?:hem|ngo|xom)", r"khu dan cu", r"nha van hoa", r"khu (?:tro|nha|em|toi)",
)
REQUEST = _re(
    r"xu ly", r"sua(?: chua| giup| gium| lai)?", r"kiem tra", r"coi (?:giup|gium|lai|sua|lam)",
    r"xem (?:xet|lai)", r"giai quyet", r"can thiep", r"nhac nho", r"cho nguoi", r"xuong",
    r"de nghi", r"mong", r"nho", r"yeu cau", r"khac phuc", r"don dep", r"va lai",
    r"chat tia", r"day lai", r"lap (?:dat|them|lai)", r"thay (?:moi|bong)", r"dep",
    r"bao (?:xa|phuong|len)", r"xin (?:xa|phuong)", r"gium", r"dum", r"lam lai",
    r"ai (?:quan ly|xu ly|chiu trach nhiem)", r"vot", r"nao vet", r"chinh (?:nho|lai)",
    r"(?:can|nen) lap", r"guong cau loi",
)

# PAKN category guesses (keys of bot/pakn/deadlines.CATEGORIES), first hit wins; a unit that
# does not offer the guessed key gets "khac" (handlers/pakn.py).
CATEGORY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("thai_do_can_bo", _re(
        r"thai do", r"quat nat", r"gay kho", r"nhung nhieu", r"hach sach", r"doi tien",
        r"thieu ton trong", r"cua quyen", r"vong vo", r"an chan",
    )),
    ("thu_tuc_hanh_chinh", _re(
        r"ho so", r"thu tuc", r"phieu hen", r"tre hen", r"qua han", r"giay to", r"mot cua",
    )),
    ("moi_truong", _re(
        r"rac(?: thai)?", r"bai rac", r"mui hoi", r"boc mui", r"hoi thoi", r"xa thai",
        r"nuoc thai", r"o nhiem", r"ngap(?: nuoc| ung)?", r"cong (?:vo|bi vo|bi tac|nghet)",
        r"dot (?:rac|nhua|rom)", r"khoi (?:bay|den|mu|khet|bui)", r"bui mu", r"bui bam",
        r"phe thai", r"trai (?:heo|lon|ga|vit)", r"muoi (?:nhieu|qua|bay)", r"mat ve sinh",
    )),
    ("trat_tu", _re(
        r"on ao", r"karaoke", r"loa keo", r"tieng on", r"nhac (?:xap xinh|to|om soi|am i)",
        r"mo nhac", r"dua xe", r"no po", r"tu tap", r"mat trat tu", r"mat an ninh", r"nhau nhet",
        r"tha rong", r"cho can", r"chiem (?:via he|long duong|loi di)", r"lan chiem",
    )),
    ("dat_dai", _re(
        r"xay (?:dung )?trai phep", r"lan dat", r"chiem dat", r"tranh chap dat", r"ranh dat",
        r"so do", r"giay phep xay dung", r"xay dung", r"dat dai",
    )),
    ("ha_tang", _re(
        r"den duong", r"duong (?:hu|hong|xau|lo|sut)", r"o ga", r"cau (?:yeu|sap|muc|hu|go)",
        r"day dien", r"mat dien", r"cup dien", r"cup nuoc", r"mat nuoc", r"cay (?:do|nghieng)",
        r"via he", r"bien bao", r"den giao thong", r"chieu sang", r"nap cong", r"mat nap",
        r"sut lun", r"sat lo",
    )),
)  # fmt: skip
