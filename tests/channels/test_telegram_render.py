"""Telegram keyboards: a primary button per row, compact ones packed several to a row."""

from __future__ import annotations

from bot.channels.telegram import TelegramChannel
from bot.core.messages import Button, Reply


def test_primary_buttons_one_per_row_then_compact_ones_packed() -> None:
    reply = Reply(
        "Trả lời",
        (
            Button.link("🌐 Làm trực tuyến", "https://dichvucong.gov.vn/x"),
            Button.call("📞 Gọi (0251) 1022", "02511022"),
            Button.reply("👍 Hữu ích", "ask:fb:1:up", compact=True),
            Button.reply("👎 Chưa đúng", "ask:fb:1:down", compact=True),
            Button.reply("🙋 Nhờ cán bộ trả lời", "ask:staff:1", compact=True),
            Button.reply("☰ Về menu chính", "menu", compact=True),
        ),
    )
    [text], keyboard = TelegramChannel.render(reply)
    assert keyboard is not None
    rows = [[key.text for key in row] for row in keyboard.inline_keyboard]
    assert rows[0] == ["🌐 Làm trực tuyến"]
    assert rows[1] == ["👍 Hữu ích", "👎 Chưa đúng"]
    assert sum(len(r) for r in rows[1:]) == 4 and len(rows) <= 4
    assert "📞 Gọi (0251) 1022" in text  # no call buttons on Telegram: the number is tappable


def test_five_rating_stars_share_one_row() -> None:
    stars = tuple(Button.reply(f"{n} ⭐", f"rate:PA-1:{n}", compact=True) for n in range(1, 6))
    _, keyboard = TelegramChannel.render(Reply("Chấm điểm", stars))
    assert keyboard is not None
    assert [len(row) for row in keyboard.inline_keyboard] == [5]
