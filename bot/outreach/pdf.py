"""The A4 poster as PDF (fpdf2), with the Be Vietnam Pro font shipped by a PyPI package.

The font files come from `fontpkg-be-vietnam-pro` (SIL Open Font License 1.1, installed as a
dependency); nothing is downloaded at run time. QR codes are drawn as vector rectangles from
segno's module matrix, so they stay sharp at any print size.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fpdf import FPDF

from bot.content.units import Unit
from bot.outreach import qr
from bot.outreach.links import UnitLinks, display_url

FONT = "BeVietnamPro"
RGB = tuple[int, int, int]
RED: RGB = (183, 28, 28)
PAGE_W, MARGIN = 210.0, 12.0


def font_file(style: str = "Regular") -> Path:
    root = resources.files("fontpkg_be_vietnam_pro") / "files" / f"BeVietnamPro-{style}.ttf"
    return Path(str(root))


def _draw_qr(pdf: FPDF, payload: str, x: float, y: float, size: float) -> None:
    rows = qr.matrix(payload)
    modules = len(rows) + 2 * qr.QUIET_ZONE
    cell = size / modules
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    offset = qr.QUIET_ZONE * cell
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            # a hair wider than the run, so neighbouring runs leave no white seam
            pdf.rect(
                x + offset + start * cell,
                y + offset + r * cell,
                (c - start) * cell,
                cell + 0.01,
                style="F",
            )


def _centered(
    pdf: FPDF, text: str, size: float, *, bold: bool = False, color: RGB = (0, 0, 0)
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.set_x(MARGIN + 6)
    pdf.multi_cell(PAGE_W - 2 * MARGIN - 12, size * 0.45, text, align="C")


def poster_pdf(unit: Unit, links: UnitLinks) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(font_file("Regular")))
    pdf.add_font(FONT, "B", str(font_file("Bold")))
    pdf.set_title(f"Áp phích mã QR — {unit.name}")
    pdf.set_creator("Loa Xã")
    pdf.add_page()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, 297 - 2 * MARGIN)
    pdf.set_y(MARGIN + 9)
    _centered(pdf, unit.name.upper(), 13, bold=True, color=RED)
    pdf.ln(2)
    _centered(pdf, "HỎI ĐÁP THỦ TỤC HÀNH CHÍNH", 26, bold=True)
    pdf.ln(2)
    _centered(
        pdf,
        f"Quét mã QR bằng điện thoại để hỏi trợ lý tự động của {unit.short_name}.\n"
        "Hỏi bằng tiếng Việt, gõ không dấu cũng được.",
        13.5,
    )
    pdf.ln(5)
    top = pdf.get_y()
    chat = links.chat
    if chat:
        size = 62.0 if len(chat) <= 2 else 52.0
        gap = 8.0
        total = len(chat) * size + (len(chat) - 1) * gap
        x = (PAGE_W - total) / 2
        for link in chat:
            _draw_qr(pdf, link.url, x, top, size)
            pdf.set_xy(x - 4, top + size + 1)
            pdf.set_font(FONT, "B", 16)
            pdf.set_text_color(0, 0, 0)
            pdf.cell(size + 8, 7, link.label, align="C")
            pdf.set_xy(x - 4, top + size + 8)
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(size + 8, 4, display_url(link.url), align="C")
            x += size + gap
        pdf.set_y(top + size + 20)
    else:
        _centered(pdf, "Xin gọi đường dây nóng bên dưới để được hướng dẫn.", 15)
        pdf.ln(8)
    y = pdf.get_y() + 4
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN + 10, y, PAGE_W - MARGIN - 10, y)
    pdf.set_xy(MARGIN + 10, y + 4)
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*RED)
    pdf.cell(80, 6, "ĐƯỜNG DÂY NÓNG")
    for hotline in unit.hotlines:
        pdf.set_xy(MARGIN + 10, pdf.get_y() + 6)
        pdf.set_font(FONT, "B", 24)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(80, 10, hotline.number)
        pdf.set_xy(MARGIN + 10, pdf.get_y() + 10)
        pdf.set_font(FONT, "", 10.5)
        pdf.multi_cell(80, 5, hotline.label)
    if unit.hours or unit.address:
        pdf.set_xy(PAGE_W / 2 + 4, y + 4)
        for heading, value in (("GIỜ LÀM VIỆC", unit.hours), ("ĐỊA CHỈ", unit.address)):
            if not value:
                continue
            pdf.set_x(PAGE_W / 2 + 4)
            pdf.set_font(FONT, "B", 12)
            pdf.set_text_color(*RED)
            pdf.cell(80, 6, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(PAGE_W / 2 + 4)
            pdf.set_font(FONT, "", 10.5)
            pdf.set_text_color(0, 0, 0)
            pdf.multi_cell(80, 5, value)
    portal_y = 297 - MARGIN - 52
    pdf.line(MARGIN + 10, portal_y, PAGE_W - MARGIN - 10, portal_y)
    x = MARGIN + 10
    width = (PAGE_W - 2 * MARGIN - 20) / max(1, len(links.portals))
    for link in links.portals:
        _draw_qr(pdf, link.url, x, portal_y + 4, 30)
        pdf.set_xy(x + 32, portal_y + 10)
        pdf.set_font(FONT, "B", 11)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(width - 34, 5, "Nộp hồ sơ trực tuyến")
        pdf.set_x(x + 32)
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(width - 34, 4.5, f"{link.label}:\n{display_url(link.url)}")
        x += width
    pdf.set_xy(MARGIN + 6, 297 - MARGIN - 11)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(60, 60, 60)
    pdf.multi_cell(
        PAGE_W - 2 * MARGIN - 12,
        4,
        "Trợ lý tự động chỉ hướng dẫn; hồ sơ được giải quyết tại Bộ phận Một cửa và trên "
        "Cổng Dịch vụ công.",
        align="C",
    )
    return bytes(pdf.output())
