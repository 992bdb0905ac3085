"""Intents recognised by the kind of message (word classes), not by one phrasing: chat slips,
regional words, news wished or stopped, my data, office hours, dangers, local problems; and
procedure questions that share their words stay with the FAQ. Phrasings are our own, never
items of an evaluation set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq_service import FaqService
from faq.chat_words import repair
from faq.intents import prepare

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("nhậnn", "nhận"), ("hủyy", "hủy"), ("đừg", "đừng"), ("mìh", "mình"), ("sácch", "sách"),
     ("huyr", "huy"), ("quá", "quá"), ("ngu", "ngu")],
)  # fmt: skip
def test_keyboard_slips_are_undone(typed: str, meant: str) -> None:
    assert repair(typed) == meant


def test_regional_words_are_read() -> None:
    assert prepare("ủy ban ở mô, mần răng đi tới") == " uy ban o dau lam sao di toi "


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # news wished, in any order
        ("có lịch phát gạo thì nhắn cho bác biết với", "subscribe"),
        ("mình muốn theo dõi các sự kiện văn nghệ của phường", "subscribe"),
        ("tin cúp điện gửi thẳng vào zalo của tôi nha", "subscribe"),
        # news stopped
        ("tin nhắn gì mà phiền quá, hủy giùm tôi", "unsubscribe"),
        ("cho tui nghỉ nhận thông báo nha", "unsubscribe"),
        ("tôi muốnn hủyy nhận tin", "unsubscribe"),
        # my data
        ("thông tin của dân có bị bán cho bên nào không", "privacy"),
        ("mấy cái tôi nhắn vô đây có ai đọc không", "privacy"),
        ("quyền riêng tư của người dùng", "privacy"),
        # the office itself
        ("cho tui cái số để gọi lên xã", "contact"),
        ("xã mình ở đâu vậy", "contact"),
        ("đi làm căn cước mà chiều thứ bảy xã có làm việc không", "contact"),
        # dangers, now
        ("có người bị xe tông nằm giữa đường kìa", "emergency"),
        ("thằng nhỏ té xuống ao rồi, cứu tụi tui", "emergency"),
        ("có tiếng nổ lớn, khói đen bốc lên ở dãy trọ", "emergency"),
        # local problems
        ("ống nước đầu xóm bị bể mấy hôm nay", "pakn"),
        ("đèn đường tắt", "pakn"),
        ("mặt đường trước cổng chợ lún sâu, xe té hoài", "pakn"),
        # my petition, how it goes
        ("cái phản ánh về ổ gà của tôi sao rồi", "status"),
        ("tôi muốn thưa ông trưởng thôn vì ăn chặn tiền", "complaint"),
        # small talk
        ("chào các anh chị", "greeting"),
        ("bạn có thể giúp tôi những việc gì", "greeting"),
        ("Cảm ơn mọi người nhiều, nhờ chỉ dẫn mà tôi làm xong rồi. Chúc sức khỏe.", "greeting"),
        ("Chào xã, chúc cán bộ làm việc vui vẻ", "greeting"),  # a greeting that asks nothing
        ("lần đầu dùng, không biết hỏi gì, cho xem có những mục nào", "greeting"),
        # news wished or stopped, said briefly or misspelt
        ("nhận tin", "subscribe"),
        ("loa phường phát gì thì nhắn qua đây cho bác", "subscribe"),
        ("có lịch gì như phát gạo, tiêm phòng thì nhắn cho tui hay nghen", "subscribe"),
        ("subcribe tin phuong", "subscribe"),
        ("xin ngừng gửi các thông báo vào số này", "unsubscribe"),
        ("lỡ bấm đăng ký, hủy giùm em cái nhận bản tin", "unsubscribe"),
        # my data: a bare withdrawal, every trace, who can read it
        ("rút đồng ý", "privacy"),
        ("xóa hết mọi thứ liên quan đến tôi trên hệ thống", "privacy"),
        ("mấy cái tin nhắn tui gửi có ai coi được không", "privacy"),
        ("bot thu thập thông tin gì của người dân", "privacy"),
        # the office: how to call or message it
        ("làm sao gọi được cho ủy ban", "contact"),
        ("cho xin zalo của cán bộ địa chính", "contact"),
        ("muốn hỏi chuyện đất đai thì gọi ai", "contact"),
        ("một cửa nằm dãy nào, mấy giờ bắt đầu nhận hồ sơ", "contact"),
        # a petition: a suggestion, a nuisance that keeps people awake
        ("tôi có ý kiến: xã nên làm thêm mái che ở chợ", "pakn"),
        ("nhà bên hát karaoke tới khuya ồn quá không ngủ được", "pakn"),
        ("cái vụ tôi báo đèn đường hôm trước giờ sao rồi", "status"),
        ("bot dở tệ", "abuse"),
        ("trả lời toàn câu vô nghĩa, bot gì mà ngu thế", "abuse"),  # "câu vô" is no bridge
        ("test test 1 2 3", "gibberish"),
        ("làm sao để bot gửi tin tức cho tôi", "subscribe"),  # "bot", not "bớt"
        ("cho tôi rút tên khỏi danh sách nhận tin", "unsubscribe"),
        ("bỏ đăng kí nhận tin giùm tôi", "unsubscribe"),
        ("tin tôi nhắn ở đây cán bộ có đọc được không", "privacy"),
        ("xóa hết info của mình đi", "privacy"),
        ("kênh này dùng để làm gì vậy", "greeting"),
        ("thôi tui đi nghen, chào nha", "greeting"),
        ("cho xin số di động của cán bộ chính sách", "contact"),
        ("tình trạng đơn", "status"),
        ("hỏi hoài không được, bọn mày đúng là đồ phế thải", "abuse"),  # at the bot: not waste
        ("im mồm đi", "abuse"),
        ("đồ chết tiệt, bot ngu như bò", "abuse"),  # not the death-registration entry
        ("đề nghị kiểm tra nước máy đục ngầu mấy hôm nay", "pakn"),
        ("lâu nay không nhận được tin nữa, cho tôi đăng ký lại", "subscribe"),
        ("có tin bão thì báo trước cho tui nha", "subscribe"),
        ("nhắn lịch thu gom rác cho tôi với", "subscribe"),
        ("từ mai khỏi báo lịch họp cho tôi nữa", "unsubscribe"),
        ("thoát khỏi kênh nhận tin", "unsubscribe"),
        ("xem dl cá nhân", "privacy"),
        ("nhắn nhầm số tài khoản lên đây, xóa giúp tin đó", "privacy"),
        ("thông tin tôi khai khi gửi phản ánh có ai xem được không", "privacy"),
        ("ủy ban xã nằm chỗ nào vậy", "contact"),
        ("lễ 2/9 xã nghỉ mấy ngày", "contact"),
        ("tôi muốn gặp trực tiếp chủ tịch xã", "contact"),
        ("máy này có ghi lại hết tin tui nhắn không", "privacy"),
        ("lỡ gửi ảnh giấy tờ vào đây, xóa giùm", "privacy"),
        ("đừng lưu tên thật của tôi", "privacy"),
        ("tui không có đăng ký mà gửi hoài, gỡ tui ra", "unsubscribe"),
        ("tôi muốn rời khỏi danh sách nhận tin", "unsubscribe"),
        ("có đợt phát gạo thì nhắn báo tui một tiếng", "subscribe"),
        ("ban phòng chống thiên tai ngồi ở đâu", "contact"),
        ("thứ mấy thì chủ tịch tiếp dân", "contact"),
        ("có những mục nào để chọn", "greeting"),
        ("kiến nghị của tui có ai ngó tới chưa", "status"),
        ("xem tiến độ xử lý phản ánh", "status"),
        ("muốn phản ánh cán bộ hẹn trả kết quả trễ, gửi ý kiến ở đâu", "pakn"),  # not status
        ("nước máy đục ngầu mấy hôm nay, cả khu đều bị", "pakn"),
        ("quyết định xử phạt là sai, tôi không phục", "complaint"),
        ("tôi muốn tố ông phó chủ tịch nhận tiền", "complaint"),
        ("quyết định của xã không khách quan, yêu cầu xem xét lại", "complaint"),
        ("mi ngu rứa, đi chết đi", "abuse"),
        ("đồ súc vật", "abuse"),
        ("tin em nhắn có bị lưu lại không, xóa hết giùm", "privacy"),
        ("ai trong ủy ban được đọc tin tôi gửi", "privacy"),
        ("xóa vĩnh viễn hồ sơ người dùng của tôi", "privacy"),
        ("vô dụg thật", "abuse"),
        ("đồ vô tích sự", "abuse"),
        # A danger's scene that comes back every night: a petition about a hazard.
        ("tối nào mấy thanh niên cũng đua xe, bà con sợ không dám ra đường", "pakn"),
        # A petition already sent, and where it is now
        ("kiến nghị bà gửi hôm rồi giờ ai đang giải quyết vậy con", "status"),
        ("phản ánh của em đang nằm ở phòng nào ạ", "status"),
        ("ý kiến tôi gửi về cái cống bể có ai coi chưa", "status"),
        ("phản ánh của tui bao giờ mới có kết quả", "status"),
        ("phản ánh của tôi về việc cán bộ không nghe máy", "pakn"),  # its content, not status
        ("tôi không đồng ý với quyết định thu hồi đất của xã", "complaint"),
        # A feature the model is sure of, though a procedure is named
        ("có đợt làm căn cước lưu động ở nhà văn hóa thì báo giùm tui một tiếng", "subscribe"),
    ],
)
def test_kinds_of_message(service: FaqService, text: str, intent: str) -> None:
    u = service.understand(text)
    assert (u.intent, u.decision) == (intent, "route")


@pytest.mark.parametrize(
    "text",
    [
        "nhà tôi bị ngập có được miễn thuế không",  # a problem as the reason to ask
        "khai tử cho người chết đuối cần giấy tờ gì",  # a danger inside a procedure
        "tôi không muốn nhận lương hưu qua bưu điện nữa",
        "bộ phận một cửa ở ủy ban làm những việc gì",  # "ủy ban", not "bạn"
        "xin giấy xác nhận thông tin cư trú ở đâu",  # "xác nhận thông tin" is not news
        "đất bị sạt lở thì có được hỗ trợ không",
        "hết nghèo thì có bị gạch tên khỏi danh sách hộ nghèo không",  # not the news list
        "vneid báo lỗi đăng nhập thì gọi ai",  # the portal's help, in the FAQ
        "tra cứu hồ sơ đất bằng mã số biên nhận",  # a file's progress, not a petition's
        "bố tôi dùng điện thoại bàn phím, làm định danh điện tử được không",  # "bàn phím"
        "hộ chiếu còn visa Mỹ, làm cuốn mới thì visa có bị hủy không",  # a passport question
        "mở quán cà phê nhỏ thì đăng ký hộ kinh doanh ở đâu",  # a café to register
        "đăng ký biến động đất đai khi tách thửa",  # "biến động đất", no earthquake
        "lưu giấy tờ vào kho dl cá nhân trên dvc thế nào",
        "cưới ở nước ngoài rồi, về quê có phải đăng ký lại không",  # not the news
        "con đủ tuổi đi bộ đội, nhà neo người có được hoãn không",  # "bộ đội, nhà"
        "giấy tờ đã nộp lần trước có lưu lại không, lần sau khỏi nộp lại",  # reuse of data
        # office words told as background in a long story, while the question is a procedure
        "Tôi đi làm giờ hành chính, sáng tối mới rảnh nên khó ra xã. Nghe nói giờ làm giấy tờ "
        "được trên mạng. Cho hỏi đăng ký tạm trú qua mạng thì làm sao?",
        "Xã tôi mới sáp nhập, trụ sở cũ đóng cửa rồi. Tôi đang cần làm lại giấy khai sinh cho "
        "con bị mất. Làm lại giấy khai sinh cần mang theo gì?",
        "Tôi nộp hồ sơ cấp đổi sổ đỏ được ba tuần rồi mà chưa thấy ai báo gì. Tôi muốn tự xem "
        "hồ sơ của mình đang nằm ở đâu thì xem thế nào?",  # where the file is: tracking
    ],
)
def test_procedure_questions_sharing_the_words_stay_with_the_faq(
    service: FaqService, text: str
) -> None:
    assert service.understand(text).intent in ("faq", "oos")


@pytest.mark.parametrize(
    "text",
    [
        "bé nhà tôi sốt cao với tiêu chảy thì nên cho ăn gì",  # a health question
        "mua đồ trên shopee bị giao thiếu, shop không trả lời thì làm sao",  # a shop dispute
        "xe đạp điện mua ở Nhật gửi về thì đóng thuế nhập khẩu bao nhiêu",  # customs
        "người nước ngoài gia hạn thẻ tạm trú ở đâu",  # immigration
        "tối nay rạp có chiếu phim gì",
        "mua iphone cũ ở đâu rẻ",
        "cho con học đàn piano thì mua đàn nào",
        "điện thoại đứng hoài, có nên reset máy không",  # a device
        "mua điện thoại trả góp ở đâu uy tín",
        "tối nay đội tuyển đá mấy giờ",
        "visa của anh bạn người Đức sắp hết hạn thì gia hạn ở đâu",  # immigration
        "đói chết mất, gần ủy ban có quán nào ngon",  # "chết" as an intensifier
        "đề thi toán khó muốn xỉu, chết chắc rồi",
        "kẹt xe chết đi được",
        "có động đất thì nên trốn ở đâu",
        "bot biết kể chuyện cười không",
        "chỉ em cách sơ cứu người bị điện giật để thuyết trình",
        "điện thoại nào pin trâu mà rẻ",
        "viết giúp tôi bài phát biểu đám cưới",
    ],
)
def test_outside_the_remit_is_said_honestly(service: FaqService, text: str) -> None:
    u = service.understand(text)
    listed = service.listed
    assert u.decision in ("fallback", "route") or (
        u.decision == "answer" and u.candidates[0].topic not in listed
    ), (u.intent, u.decision, [c.topic for c in u.candidates])


def test_small_talk_is_never_answered_by_an_entry_a_typo_matched(service: FaqService) -> None:
    u = service.understand("helo ad ơi")  # "helo" repaired towards an entry's word
    assert (u.intent, u.decision) == ("greeting", "route")
