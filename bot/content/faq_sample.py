"""A sample unit for rendering FAQ answers at load time and in tests (the shape of
bot.content.units.Unit as templates see it)."""

from __future__ import annotations

from types import SimpleNamespace


def sample_unit(*, minimal: bool = False) -> SimpleNamespace:
    """A unit context with every attribute templates may use (the shape of bot.content.units).

    ``minimal=True`` sets every optional field to None, ``areas`` empty and keeps one hotline
    (units require one), so templates that do not guard optional fields fail validation.
    """
    return SimpleNamespace(
        key="binh-minh",
        name="UBND xã Bình Minh",
        short_name="xã Bình Minh",
        level="xa",
        province="Đồng Nai",
        hotline="(0251) 1022",
        hotline_tel="02511022",
        hotlines=_SAMPLE_HOTLINES[:1] if minimal else _SAMPLE_HOTLINES,
        portal="https://dichvucong.gov.vn",
        local_portal=None if minimal else "https://dichvucong.dongnai.gov.vn",
        address=None if minimal else _SAMPLE_ADDRESS,
        hours=None if minimal else "Thứ Hai – Thứ Sáu: 7h00–11h30, 13h00–17h00; sáng thứ Bảy",
        email=None if minimal else "motcua.binhminh@dongnai.gov.vn",
        areas=[] if minimal else ["ấp 1", "ấp 2", "ấp 3", "ấp Bình Lợi"],
    )


_SAMPLE_HOTLINES = [
    SimpleNamespace(label="Tổng đài dịch vụ công", number="(0251) 1022", tel="02511022"),
    SimpleNamespace(label="Bộ phận Một cửa xã", number="0251 3 888 999", tel="02513888999"),
]
_SAMPLE_ADDRESS = "Trung tâm Phục vụ hành chính công xã Bình Minh, số 1 đường Trần Hưng Đạo, ấp 3"
