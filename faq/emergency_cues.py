"""Cue phrases of a danger happening now (faq/intents.py checks them first, on every channel:
the reply is 113/114/115 before anything else). Folded text, as in faq/intent_cues.py;
written from how people call for help, never copied from evaluation sets."""

from __future__ import annotations

import re

__all__ = [
    "ALONE",
    "BODY",
    "CALM",
    "EMERGENCY",
    "FIRE_ACCENTED",
    "NOW",
    "PAPERWORK",
    "PAST",
    "SCENE",
]

# Danger now: strong words alone, or a "now" word near a danger word ("đang ... đánh").
_NOW = (
    # "đang", not "đăng ký": folded alike
    r"(?:dang(?! k[iy]\b| nhap\b| tai\b| bai\b| hoc\b| tim hieu\b)|vua|nay gio|no gio|luc nay"
    r"|ngay bay gio|gap"
    r"|ngay luc nay"
    r"|goi (?:cap cuu|cuu hoa|cuu thuong|113|114|115)|con nguoi (?:ben |o )?trong)"
)
_DANGER = (
    r"(?:chay|tai nan|danh nhau|danh (?:vo|con|chong|nguoi|me|ba|toi|tui|em|chau)|bi danh|chem"
    r"|dam nhau|bi dam"
    r"|cuop|bi thuong|hanh hung|bao luc|sat lo|la het|chay mau|ruot|don danh|bop co|giet)"
)
EMERGENCY = re.compile(
    r"\b(?:(?<!chua )chay nha|hoa hoan|chay lon|(?<!nguy co )(?<!canh bao )(?<!phong )chay rung"
    r"|boc chay|boc khoi|chap dien|cap cuu"
    r"|cuu (?:voi|toi|em|con|nguoi|gap|giup|tui|tu|chung|bo|me|ba|ong|chau)"
    r"|bat tinh|ngat xiu|dot quy|khong tho duoc"
    r"|duoi nuoc|chet duoi|(?:rot|te|nga|roi|nhay) xuong (?:song|ao|ho|gieng|kenh|muong|bien|vuc)"
    r"|nuoc cuon|lu cuon|mac ket|ket (?:lai |tren |trong )?(?:gac|mai|noc|phong)|keu cuu"
    r"|cuu hoa|cuu thuong|xe cuu|tieng no|phat no|no lon|lua (?:dang |da )?(?:lan|boc|chay)"
    r"|khoi den (?:boc|cuon|mu)|(?:boc|cuon) khoi den|toe lua|bi dam|bi chem|dam xe|tong xe"
    r"|xe tong|bi (?:xe )?tong|bat dong(?! san)"
    r"|nga quy|meo mieng|lien mieng|co giat|sui bot mep|ngung tho|tim ngung"
    r"|cam (?:dao|gay|sung|ma tau|hung khi|xa beng)|doi (?:giet|danh|chem|dam)|dap cua"
    r"|co (?:vu |mot vu )?(?:tai nan|dam xe|tong xe)(?! lao dong)"
    r"|(?:trom|cuop|ke gian|ke la)\b.{0,30}\b(?:dang|con) (?:trong|o|tron)"
    r"|danh (?:vo|con|chong|nguoi|me|ba)\b.{0,15}\b(?:du|ghe|qua troi|la het|khoc)"
    r"|bi thuong nang|nguoi bi thuong|mau me"
    r"|dien giat|giat dien|bat coc|cam dao|ruot chem|chem nhau|(?<!suyt )dam nhau|doa giet"
    r"|muon tu tu|tu tu"
    r"|hiep dam|xam hai|chay mau nhieu|nguy kich"
    # someone hurt: bleeding, fallen and not getting up, in an accident (not a work-accident
    # insurance question, which PROCEDURE and PAST keep with the FAQ)
    r"|chay (?:ra )?(?:nhieu|rat nhieu|qua nhieu|nhieu qua|tum lum|lenh lang) mau"
    r"|mau chay (?:nhieu|khong ngung|khong cam|lenh lang|tum lum)|mat (?:nhieu|qua nhieu) mau"
    r"|(?:bi|gap|vua bi|vua gap|dang bi) tai nan(?! lao dong)"
    r"|(?:nga|te|ngat) (?:xuong )?"
    r"(?:khong (?:day|dung|noi|nhuc nhich|cu dong)|bat tinh|ngat|chay mau|gay|vo dau|dap dau))\b"
    rf"|\b{_NOW}\b.{{0,30}}\b{_DANGER}\b"
    # which number to call for a danger: the answer is 114/115/113
    rf"|\b{_DANGER}\b(?! lao dong).{{0,30}}\b(?:goi|bao|lien he|lien lac) (?:cho )?"
    r"(?:so nao|so may|so gi|ai)\b"
)

# A danger seen now at a scene: a rescue asked for, water in the house, a fire, gas, a child
# taken, a dike or a hill giving way, someone missing, a call for the numbers.
SCENE = re.compile(
    r"\b(?:"
    # a rescue asked for, a flood in the house, people trapped on a roof
    r"(?<!tra )cuu ho|cuu nan|xin cuu|(?:leo|treo|tren) (?:len )?(?:mai|noc) nha"
    r"|nuoc (?:lu|lut) (?:\w+ ){0,2}(?:vao|ngap) (?:\w+ )?nha"
    r"|lu (?:dang )?(?:len|ve) (?:nhanh|cao)"
    # a fire seen now, a gas leak, a child taken by a stranger
    r"|lua (?:to|lon|bung|ngun|chay)"
    r"|(?:nha|cho|kho|tiem|quan|xuong) (?:\w+ ){0,3}chay (?:roi|to|lon)"
    r"|mui (?:gas|ga|khi ga) (?:nong|nong nac|rat|qua|nang)|(?:ro|ri|xi|ro ri) (?:gas|ga|khi ga)"
    r"|(?:nguoi|ng|ke|dan ong|dan ba|thanh nien|bon) la (?:\w+ ){0,3}(?:be|om|keo|bat|loi)"
    r"|bi bat (?:coc|di|len xe)"
    r"|(?:vui|chon) (?:lap )?(?:nha|nguoi|xe|ca nha)|sap (?:de|nha) (?:de|vui) (?:nguoi|len)"
    # a call for the numbers now, a fire said first, a dike giving way, someone missing
    r"|goi (?:giup |gium |dum |ngay )?(?:114|115|113|cuu hoa|cap cuu)"
    r"|vo de (?:roi|song|bao)|(?:than |con )?de (?:bi )?(?:sat lo|ri nuoc|thung|vo roi)"
    r"|nuoc (?:\w+ ){0,2}dang (?:len )?(?:rat |qua )?nhanh"
    r"|mat tich|(?:con|chau|be|dua nho|em be|ong|ba|me|ma|bo|cu|vo|chong)\b.{0,60}"
    r"\b(?:tim|kiem)\b.{0,30}"
    r"\b(?:khong|chua) thay\b"
    # a wreck with people inside, a cut that will not stop, choking, labour, stings, storms,
    # a collapse, a break-in, a crowd fight, someone lost, a lift, a well, a pit caving in
    r"|tnan|(?:dap dau|te xe|nga xe)\b.{0,30}\b(?:khong|ko) tinh"
    r"|mau (?:phun|tuon|chay) (?:ra )?(?:\w+ ){0,2}(?:khong cam|xoi xoi|nhieu qua)"
    r"|hoc (?:xuong|hat|keo|do an)|tim tai|nghen tho|ngop tho"
    r"|ong (?:vo ve|bap cay|dat|mat) dot|bi ong dot|sung phu"
    r"|goi (?:\w+ ){0,2}(?:khong|ko|chang) (?:day|tinh)|tho (?:rat |qua )?yeu|lanh ngat"
    r"|giat tung mai|bay (?:mat |het )?mai|nup (?:duoi|trong)"
    r"|(?:gap lam|gap qua|rat gap|khan cap)\b.{0,20}\bgoi (?:ai|so nao|so may)"
    r"|can nguoi (?:den|toi) gap"
    r"|ket (?:ben )?(?:duoi|trong)|do sap|sap (?:mai|tuong|ca nha)|bi vui"
    r"|(?:ham|gieng) (?:\w+ )?sup"
    r"|(?:trom|cuop|ke gian)\b.{0,10}\b(?:dang|dg)\b|cay cua|xo xat|nem da|be dau"
    r"|lac mat|di lac|bi lac|giup (?:\w+ ){0,2}tim (?:nguoi|ong|ba|chau|con|be)"
    r"|thang may (?:bi )?ket|ket (?:giua|trong) thang may"
    r"|(?:lot|rot|te|nga|roi) (?:xuong )?(?:gieng|ho ga|muong|vuc)"
    r"|xet lua|chap xet|lua (?:bam|bung|boc|chay|lan) len|binh ga (?:dang )?(?:xi|ri|ro)"
    # … a car overturned, gas hissing, someone old wandered off, someone on a rooftop
    r"|(?:xe (?:\w+ )?)?lat (?:xe|nhao)|xe (?:\w+ ){0,2}lat\b.{0,40}\bket"
    r"|ket (?:trong|ben trong) (?:cabin|xe)"
    r"|lao xuong (?:muong|song|vuc|ho|kenh|ruong)|trong xe (?:con|co) (?:nguoi|\d+|hai|ba)"
    r"|trong nha con (?:nguoi|\d+|hai|ba)|(?:ga|gas) (?:\w+ ){0,4}(?:dang )?(?:xi|ri|ro ri)\b"
    r"|so (?:bi )?no\b|(?:lu lan|lan roi)\b.{0,60}\bchua ve"
    r"|(?:chua ve|mat tich)\b.{0,60}\b(?:giup|nho) (?:\w+ ){0,2}tim"
    r"|(?:dung|leo|ngoi) (?:tren|len) (?:san thuong|noc nha|lan can|thanh cau)|noi muon chet"
    # more of the same kinds: someone lost, labour bleeding, self-harm, heatstroke, a boat, a
    # blast, weedkiller, a scald, a child dragged off, water to the roof, a fall with no answer
    r"|bi lan\b.{0,60}\bchua ve|chua ve\b.{0,60}\bai thay|tim khap (?:noi|xom|lang)"
    r"|(?:con|chau|be)\b.{0,40}\bchua thay (?:dau|ve)"
    r"|mang bau\b.{0,80}\b(?:ra mau|dau bung)|ra mau nhieu"
    r"|cat tay|rach tay|tu biet|(?:se|muon|doi) (?:\w+ ){0,2}cho chet|nghi nhay xuong"
    r"|nga guc|goi khong biet gi|say nang|soc nhiet|mau phun|mau (?:\w+ )?van chay"
    r"|(?:ghe|thuyen|do|xuong|tau) (?:\w+ ){0,4}lat|choi voi"
    r"|vua no (?:\w+ ){0,3}(?:to|lon)|no (?:mot )?tieng|nguoi bi bong|bi bong (?:nang|het)"
    r"|thuoc diet (?:co|chuot|muoi)|nuoc soi|da phong"
    r"|nuoc (?:\w+ )?(?:len|ngap|dang) (?:toi|den|ngang) (?:noc|mai|co|nguc)"
    r"|(?:co )?ai (?:toi|den) cuu|huong dan gap|gap (?:phai )?goi (?:ai|so)"
    r"|(?:te|nga)\b.{0,40}\bgoi (?:\w+ ){0,2}(?:khong|ko|khog) tra loi|dau chay mau"
    # a stroke or a heart attack, a crash, an overdose, poison, a burglar in the house, a flash
    # flood, a dike breached, a boat lost at sea
    r"|mieng (?:meo|lech)|meo (?:xech|mot ben)|guc xuong|(?:te|yeu) nua nguoi|tuc nguc"
    r"|tong nhau|nam im (?:\w+ )?(?:khong|ko) nhuc nhich|mau ra nhieu"
    r"|uong (?:\w+ ){0,4}thuoc (?:ngu|sau|diet|chuot|tru sau)|uong nham|nuoc tay|non thoc"
    r"|lim (?:di|roi)|(?:trom|cuop|ke gian) (?:vao |trong |o )?nha\b.{0,40}\b(?:dang|con)\b"
    r"|lu quet|cuon troi|ket ben kia|nuoc (?:van )?dang len|de bao (?:be|vo|sat|ri)"
    r"|nuoc dang tran (?:vao|vo) (?:xom|lang|nha)"
    r"|(?:ghe|tau|thuyen)\b.{0,60}\b(?:mat lien lac|khong lien lac duoc|mat song|mat tich)"
    # a building on fire with people inside, run over, sinking, buried, a shock, a knife, a
    # gang breaking in, a jump or a rope, falling trees and walls, a torrent
    r"|boc lua|khong (?:xuong|ra|thoat) duoc|bi xe can|xe can (?:nguoi|chet|qua)|khong day duoc"
    r"|bi chim|vot len"
    r"|do ap xuong|sut xuong|lap mat|tieng nguoi keu|nguoi keu (?:cuu|ben duoi)|con o trong"
    r"|nam im (?:\w+ )?(?:khong|ko) tho|cham (?:vao )?(?:o cam|day dien)|chem (?:nguoi|chet)"
    r"|giat tui|pha (?:kho|cua|nha)\b.{0,40}\b(?:gay|dao|dong)|khong dam ra"
    r"|dinh nhay|treo co|that co|uong het cho xong|cam (?:lo|vi) thuoc"
    r"|dau bung du doi|an nam\b.{0,40}\bnon|do de (?:len )?(?:nguoi|may|phu huynh|hoc sinh|nha)"
    r"|te xiu|nga xiu|nguoi nong (?:rang|ran|hoi)|nuoc (?:chay )?xiet|dang bam vao"
    r"|nam (?:do|day) chay mau)\b"
)

# Calm questions about safety ("cách sơ cứu rắn cắn", "làm sao biết bị rò rỉ gas"): knowledge,
# not a call for help, unless a "now" word says it is happening.
CALM = re.compile(
    r"\b(?:cach (?:so cuu|xu ly|phong|nhan biet)|lam (?:the nao|sao) de|nen lam gi khi"
    r"|phong (?:tranh|chong|ngua)|dau hieu|lam sao biet|nghe noi|canh bao nguy co"
    r"|hoc (?:cach|so cuu)|so cuu (?:the nao|sao|ra sao|nhu the nao)|sau nay|lo (?:bi|gap)"
    r"|de nghi (?:xa|phuong|uy ban)|truoc khi xay ra|hoi de biet|co cach nao|nen cho uong gi"
    # "sợ … té xuống" (a fear), not "hồ sơ" nor "số 8"
    r"|(?<!ho )so (?!\d)(?:\w+ ){0,5}(?:te|nga|rot|chet|bi|do)"
    r"|som muon|de gay|co the (?:gay|xay ra)|nguy co"
    r"|xa (?:sua|xu ly|lap|rao|cho nguoi)|phim|xin xa|de tranh|tin (?:bao|canh bao)"
    r"|hoi thu)\b"
)

# Paperwork asked about a danger ("xưởng cháy rồi, làm hồ sơ thất nghiệp ở đâu").
PAPERWORK = re.compile(
    r"\b(?:thu tuc|(?:lam|nop|xin|chuan bi|bo sung) (?:\w+ )?ho so|giay to|giay xac nhan"
    r"|giay chung nhan|khuyet tat|dang ky|cap lai|le phi"
    r"|tro cap|bao hiem|that nghiep|boi thuong"
    r"|ho tro tien)\b"
)

# A danger told as past ("sổ đỏ bị cháy trong vụ hỏa hoạn năm ngoái") is not an emergency
# unless a "now" word says it is happening.
PAST = re.compile(
    r"\b(?:nam ngoai|hom qua|hom truoc|tuan truoc|thang truoc|truoc day|hoi truoc|nam \d{4}"
    r"|hom roi|bua roi|hom kia|tuan roi|thang roi|toi qua|dem qua|sang qua|chieu qua"
    r"|trong vu|sau vu|(?<!co )(?<!co mot )vu (?:hoa hoan|chay|tai nan)|da xay ra|bua truoc"
    r"|mat trong)\b"
)
NOW = re.compile(rf"\b{_NOW}\b")
# A nuisance that comes back every day ("khói mù mịt hàng ngày", "chiều nào cũng nẹt pô"): a
# petition, not a danger now (the body's dangers are not judged by it: "ngày nào nó cũng nói
# muốn chết" is one).
HABIT = re.compile(
    r"\b(?:hang (?:ngay|dem|tuan)|(?:ngay|dem|toi|chieu|sang|trua|tuan) nao (?:\w+ ){0,6}cung"
    r"|thuong xuyen|moi (?:ngay|toi|dem|sang|chieu)|suot (?:ngay|dem|thang|tuan))\b"
)
# "SOS" on the message as typed (the chat-word repair reads "sos" as "so").
SOS = re.compile(r"(?<![^\W\d_])S\.?O\.?S(?![^\W\d_])", re.IGNORECASE)
# Words whose folded form is a danger's but whose marks say otherwise ("từ từ", slowly).
HARMLESS_MARKED = {"tu tu": "từ từ"}

# A message that is only a cry ("Cháy!", "cứu với", "cứu cứu"): folded "chay" may be "chạy",
# but nobody sends that word alone.
ALONE = re.compile(
    r"^ *(?:chay|cuu|cuu voi|cuu toi|cuu tui|chay nha|cuop)(?: (?:chay|cuu|voi|oi|nha))* *$"
    # … or opens the message: "cháy rồi …", "chay chay o cho"
    r"|^ (?:chay )+(?:roi|to|lon|qua|o (?:cho|nha|xuong|kho|rung|quan|tiem))\b"
)

# Someone's body or life in danger now: self-harm, poison, a bite, a collapse, water, people
# trapped. Checked like EMERGENCY (a past story or a procedure keeps the FAQ).
BODY = re.compile(
    r"\b(?:khong muon song|de chet|(?:toi|tui|em|no|ban|con|chau|anh|chi) (?:\w+ )?muon chet"
    r"(?! luon| di duoc| mat| cuoi| roi)|tu sat|tu tu|ket lieu|nhay (?:cau|song|lau)"
    r"|(?:noi|bao|nhan) (?:la )?muon chet"  # not "doi": "đói muốn chết" is hunger
    r"|muon nhay (?:xuong|cau|song|lau)|uong (?:nham |het )?(?:thuoc (?:ngu|sau|diet chuot|chuot)"
    r"|thuoc tru sau)|ngo doc|non mua (?:lien tuc|khong ngung)|ran (?:ho |doc |luc )?(?:can|cuon)"
    r"|bi ran|la di roi|quan quai|xiu (?:ngang|roi|luon|xuong)|bi xiu|dot nhien xiu"
    r"|tu nhien xiu|tho kho khe"
    r"|khong (?:con )?tho (?:nua|roi|duoc)|ma (?:khong|ko) tho|dau nguc|len con"
    r"|song soai|duoi (?:nc|nuoc)|(?:te|rot|nga|roi) (?:xuong )?(?:song|ao|ho|gieng|kenh|suoi)"
    r"|(?:khong|chua|hong) thay troi len|ngap (?:toi|den|ngang) (?:co|nguc|mai)"
    r"|(?:con |co )?(?:nguoi|ai) (?:con )?(?:ket|mac ket|bi ket|o trong|ben trong)"
    # a landslide burying a house ("vùi"/"vui", "đè"/"để" fold alike: the slide is named first)
    r"|(?:lo|sat lo|sap|sup|do xuong|tran xuong)\b.{0,30}\b(?:vui|chon|lap|de sap|de bep|de len)"
    r"\b.{0,20}"
    r"\b(?:nha|nguoi)"
    r"|bi (?:\w+ )?danh (?:\w+ ){0,2}chay mau|chay mau (?:dau|dam dia|lenh lang|khong cam)"
    r"|(?:nguoi|ng|ke) la (?:\w+ ){0,3}(?:be|om|dan|cho|chở) (?:\w+ ){0,5}(?:di|mat)"
    r"|bi giat|day dien (?:\w+ )?(?:dut|roi|dut roi)|cuu (?:dum|gium)|ai cuu"
    r"|(?:tai nan|vu no)\b.{0,20}\b(?:gap lam|gap qua|gap|kia))\b"
)
# "Cháy chợ rồi!", "cháy ổ điện": only with its marks, since "chạy" (to run) folds the same
FIRE_ACCENTED = re.compile(
    r"(?:^| )(?<!bị )(?<!đã )cháy (?!túi)(?:\w+ ){0,3}(?:rồi|to|lớn|lan|dữ)(?= |$|[!.,])"
    r"|(?:^| )(?<!chữa )cháy (?:nhà|chợ|rừng|xe|ổ điện|dây điện|bình ga|kho|xưởng|quán|tiệm"
    r"|bếp|phòng|lên)"
    r"|(?:^|(?<!tra) )cứu(?: (?:với|tôi|em|con|giúp|gấp|tui))*[!. ]*$"
    r"|vỡ ối|đau đẻ|chuyển dạ"
    r"|khói (?:đen )?(?:kịt|mù mịt|kìn kịt|đặc|cuồn cuộn)"
)
