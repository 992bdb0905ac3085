from __future__ import annotations

import pytest

from faq.smalltalk import classify


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("xin chao", "greeting"),
        ("Xin chào!", "greeting"),
        ("chào bot", "greeting"),
        ("hi", "greeting"),
        ("Hello ad", "greeting"),
        ("alo", "greeting"),
        ("alo alo", "greeting"),
        ("bot ơi", "greeting"),
        ("cảm ơn", "thanks"),
        ("cam on nhieu", "thanks"),
        ("tks", "thanks"),
        ("ok cảm ơn", "thanks"),
        ("Cảm ơn bot nhiều nhé, mình hiểu rồi", "thanks"),
        ("thank you", "thanks"),
        ("tạm biệt", "bye"),
        ("bye bye", "bye"),
        ("bot giỏi quá", "praise"),
        ("ok", "ack"),
        ("dạ vâng", "ack"),
        ("hihi", "laugh"),
    ],
)
def test_small_talk(text: str, kind: str) -> None:
    assert classify(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "chào anh, cho hỏi làm căn cước ở đâu",
        "xin chào, đăng ký khai sinh cần gì",
        "cam on, cho hoi them ve tam tru",
        "hi, lam cccd mat bao lau",
        "làm giấy khai sinh ở đâu",
        "giá vàng hôm nay",
        "",
        "   ",
        "ạ",
        "😀",
        "chào " * 40,
    ],
)
def test_not_small_talk(text: str) -> None:
    assert classify(text) is None
