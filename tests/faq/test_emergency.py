"""Dangers happening now (faq/emergency_cues.py): every channel answers them with 113/114/115
first. Phrasings of our own: how people call for help, and procedure questions that share the
words."""

from __future__ import annotations

import pytest

from faq.intents import classify


@pytest.mark.parametrize(
    "text",
    [
        "Cháy!",
        "cứu với",
        "cuu cuu",
        "kho hàng đầu xóm cháy rồi, gọi ai bây giờ",  # a fire seen now
        "lửa to quá, khói mù mịt",
        "nước lụt tràn vào nhà, mẹ con tôi leo lên nóc nhà rồi",  # a flood, people trapped
        "xin cứu hộ gấp ở xóm Bãi",
        "bếp nhà hàng xóm bị xì gas, ngửi thấy nồng lắm",  # a gas leak
        "mùi gas nồng nặc trong phòng trọ bên cạnh",
        "một người lạ vừa bắt thằng bé nhà bên đi",  # a child taken
        "có vụ tai nạn trước cổng chợ, gọi cấp cứu giùm",  # "có vụ …" is now, not past
        "nước sông dâng rất nhanh, con đê bị rỉ nước rồi",  # a dike giving way
        "thằng bé nhà tôi đi chơi từ trưa, cả nhà tìm khắp nơi không thấy",  # a child missing
        "chồng đang đánh tôi, giúp tôi với",
        "bạn tôi nhắn sẽ uống thuốc ngủ để chết",  # self-harm
        "con bé nói không muốn sống nữa rồi bỏ đi",
        "ông nội bị rắn cắn ở ruộng, chân sưng to",  # a bite
        "cả nhà ăn nấm bị ngộ độc, nôn mửa liên tục",  # poison
        "mẹ tôi tự nhiên xỉu ngang, gọi không trả lời",  # a collapse
        "bố đang lên cơn đau ngực, mặt tái",
        "thằng nhỏ té sông chưa thấy trồi lên",  # water
        "nước ngập tới cổ rồi, bà tôi không đi được",
        "lở núi vùi hai căn nhà, có người còn kẹt bên trong",  # trapped
        "Cháy xưởng rồi!",
        "Tai nạn, gấp lắm!",
        "xe khách lật ở đèo, tài xế kẹt trong cabin",  # a wreck with people inside
        "con nuốt hóc cái kẹo, mặt tím tái rồi",  # choking
        "vợ tôi chuyển dạ mà không có xe đi trạm",  # labour
        "bị ong vò vẽ đốt cả chục nốt, sưng phù",
        "gọi mãi không dậy, người lạnh ngắt",
        "bão giật tung mái, cả nhà đang núp dưới gầm giường",
        "nhà ông Tư đổ sập, ông còn kẹt bên dưới, cần người đến gấp",
        "có trộm đang cạy cửa nhà bên",
        "ông nội lú lẫn đi từ sáng chưa về, nhờ xã giúp tìm",
        "bình gas nhà bên đang xì, sợ nổ",
        "bạn em đứng trên sân thượng nói muốn chết",
        "chay chay o cho",  # a cry that opens the message
        "mẹ tôi bị lẫn, đi từ sáng chưa về, ai thấy báo giúp",
        "chị tôi mang bầu tháng chín, đau bụng rồi ra máu nhiều",
        "nó nhắn từ biệt rồi tắt máy, bảo cắt tay",
        "ông ngã gục ngoài ruộng, gọi không biết gì",
        "ghe chở khách bị lật giữa sông, có người đang chới với",
        "bé làm đổ nồi nước sôi lên người, da phồng hết",
        "có người lạ kéo một đứa bé lên xe",
        "nước lên tới nóc rồi, có ai tới cứu không",
        "ông tự nhiên gục xuống, miệng méo một bên",  # a stroke
        "hai xe máy tông nhau, một người nằm im không nhúc nhích",
        "nó vừa uống hết cả vỉ thuốc ngủ",
        "cả nhà nôn thốc nôn tháo, thằng út lịm đi rồi",
        "có trộm trong nhà, nó đang lục đồ dưới nhà",
        "lũ quét cuốn trôi cầu, mấy người kẹt bên kia suối",
        "đê bao bể rồi, nước đang tràn vô xóm",
        "một người đàn ông lạ bế bé hàng xóm lên xe chở đi",
        "ghe ra khơi từ khuya, sóng to mà mất liên lạc",
        "khu trọ đang bốc lửa, cầu thang đầy khói không xuống được",
        "hai học sinh bị xe cán trước cổng trường, không dậy được",
        "thằng nhỏ tắm sông bị chìm, chưa vớt lên được",
        "đồi sau nhà sụt xuống lấp mất nhà ông Tám, ông còn ở trong",
        "bé chạm vào ổ cắm, giờ nằm im không thở",
        "Cướp! Nó giật túi rồi chém người",
        "có cô gái trèo ra lan can cầu định nhảy xuống",
        "nó nói sẽ treo cổ, khóa cửa trong buồng",
        "cây đổ đè người ở cổng chợ",
        "nước chảy xiết cuốn người qua cầu tràn, người đang bám vào bụi cây",
        "gọi giùm xe cấp cứu tới số 8 ngõ 14, có người bị đột quỵ",  # "số 8" is no fear
        "SOS!!",
        "s.o.s ở bến đò",
        "con bé nhắn là muốn chết cho xong, giờ gọi không bắt máy",  # said, not a figure
        "ngày nào thằng nhỏ cũng bảo muốn chết",  # every day, and still the body
    ],
)
def test_a_danger_now_is_an_emergency(text: str) -> None:
    assert classify(text).intent == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "tra cứu hồ sơ bằng mã biên nhận ở đâu",  # "tra cứu hồ sơ" is not "cứu hộ"
        "tra cuu ho so o dau",
        "sổ đỏ bị cháy trong vụ hỏa hoạn năm ngoái làm lại thế nào",  # past
        "giấy tờ bị cháy hết rồi làm lại ở đâu",
        "lũ năm ngoái cuốn mất giấy khai sinh, xin lại thế nào",
        "hôm qua có vụ tai nạn ở ngã tư, đề nghị xã lắp đèn",
        "cống bị tắc, mưa xuống là nước tràn vào nhà dân",  # a drain to fix: a petition
        "tui chưa vợ, để đi cưới thì xin giấy độc thân ở đâu",  # "vợ để" is not "vỡ đê"
        # past, even with "đăng ký" (folded like "đang", now)
        "năm ngoái lũ lên nhanh quá, năm nay tôi muốn đăng ký nhận cảnh báo",
        "muốn chuyển đất vườn lên đất ở để cất nhà",  # "để" is not "đè"
        "xưởng gần nhà xả khói đen suốt đêm, dân khó thở",  # a petition
        "xe chạy suốt nên càng ngày đường càng hư",  # "chạy", not "cháy"
        "cách sơ cứu khi bị bỏng nhẹ ở nhà",
        "xưởng cháy rồi đóng cửa luôn, tôi làm hồ sơ thất nghiệp ở đâu",  # paperwork
        "karaoke hát tới khuya ồn muốn chết, xã nhắc giùm",  # a figure of speech
        "bình chữa cháy ở nhà văn hóa hết hạn rồi",
        "khúc cua khuất tầm nhìn, xe hay suýt đâm nhau",
        "xã có gửi cảnh báo nguy cơ cháy rừng không",
        "tháng này cháy túi rồi",
        "mã hồ sơ ở đâu để tra cứu tình trạng",  # "đâu để" is not "đau đẻ"
        "chuyện đã giải quyết xong, cảm ơn xã",
        "đường bê tông mới làm đã nứt toác",
        "cách sơ cứu người bị rắn cắn",
        "nhà bị lũ cuốn sạch tài sản, có được xét hộ cận nghèo không",  # an entitlement
        "ổ gà giữa đường, tối qua có ông té gãy tay, xã sửa giùm",  # past, a request
        "đua xe nẹt pô hoài, sớm muộn gì cũng có tai nạn",  # a fear
        "phim có cảnh cháy rừng quay ở đâu",
        "ba bị tai biến liệt nửa người, xin giấy xác nhận khuyết tật",  # paperwork
        "xin xã làm lan can quanh ao để tránh đuối nước",  # a request
        "có tin báo cháy rừng thì gửi cho em theo dõi",  # a subscription
        "em đang học kỹ năng sống, hỏi thử cách sơ cứu người bị điện giật",
        "cây bàng mục gốc, sợ mùa bão tới đổ đè người",  # a fear
        "con đường dô ấp lầy lội quá, xã coi làm lại",  # "dô ấp", not "đổ ập"
        "hồ sơ bị trễ hẹn thì hỏi ai",  # "sơ bị" is no fear
        "muốn theo dõi thông báo của phường thì bấm vô đâu",  # "vô đâu" is not "vỡ đầu"
        "lỡ sau này bị rắn cắn thì sơ cứu thế nào",
        "cần gặp cán bộ tư pháp, gọi số nào",  # "gặp", not "gấp"
        "vợ sinh con trên xe cấp cứu hôm rồi, khai sinh ghi nơi sinh sao",  # "cấp cứu" past
        "ao bỏ hoang không rào, sợ trẻ con té xuống chết đuối, xã rào giùm",  # a hazard
        "dây điện võng thấp, mưa là tóe lửa, đề nghị xã báo điện lực",
        "công ty nước ngoài yêu cầu hồ sơ, nước tôi có cấp bản dịch không",  # "nước tôi có"
        "cháu chỉ từ từ cho bà cách tra hồ sơ nhé",  # "từ từ" with its marks
        "xưởng gỗ đầu ngõ đốt củi, khói mù mịt hàng ngày",  # a daily nuisance: a petition
        "tối nào mấy thanh niên cũng đua xe, bà con sợ không dám ra đường",
        "đói muốn chết, quanh xã có quán phở nào",  # hunger as a figure
        "tôi mệt muốn chết luôn vì đi lại mấy lần chưa xong hồ sơ",  # tired as a figure
        "Làng trẻ em SOS ở tỉnh mình nằm đâu vậy",  # a place named SOS
        # Words of two sentences are no phrase: "tự phát. Nó" is not "phát nổ"
        "Tôi báo chuyện bãi rác tự phát. Nó nằm sau chợ, xã dọn giúp",
    ],
)
def test_a_procedure_or_a_past_danger_is_not(text: str) -> None:
    assert classify(text).intent != "emergency"


def test_a_danger_told_over_two_sentences_is_still_one() -> None:
    assert classify("Có người bị thương. Máu chảy nhiều lắm!").intent == "emergency"
    assert classify("Ngoài ngõ có tai nạn. Cứu với").intent == "emergency"
