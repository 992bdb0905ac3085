"""Builders for synthetic .docx plans (python-docx), shared by the plan tests."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import docx


def png_bytes() -> bytes:
    """A valid 1x1 grey PNG, built by hand (a "scanned page" for tests)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def kpi_table_plan(path: Path) -> Path:
    """A commune plan in Word: header table, KPI table, Word bullets, no audience sections."""
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "UBND XÃ TÂN HÒA"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.cell(1, 0).text = "Số: 88/KH-UBND"
    header.cell(1, 1).text = "Tân Hòa, ngày 10 tháng 3 năm 2026"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Truyền thông về dịch vụ công trực tuyến năm 2026")
    document.add_paragraph(
        "Căn cứ Quyết định số 1588/QĐ-TTg ngày 17/12/2024 của Thủ tướng Chính phủ;"
    )
    document.add_paragraph("I. MỤC TIÊU")
    document.add_paragraph("Đưa dịch vụ công trực tuyến đến từng hộ gia đình.")
    document.add_paragraph("1. Chỉ tiêu cụ thể")
    rows = [
        ["STT", "Chỉ tiêu", "Chỉ tiêu năm 2026 (%)", "Đơn vị chủ trì", "Đơn vị phối hợp",
         "Thời hạn"],
        ["1", "Tỷ lệ hồ sơ trực tuyến toàn trình", "85", "Trung tâm Phục vụ hành chính công",
         "Văn phòng UBND xã", "31/12/2026"],
        ["2", "Tỷ lệ người dân hài lòng", "95-100%", "Văn phòng UBND xã", "Công an xã",
         "Quý IV/2026"],
        ["3", "Tỷ lệ hồ sơ được số hóa", "≥ 90%", "Trung tâm Phục vụ hành chính công", "",
         "Hằng tháng"],
    ]  # fmt: skip
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("II. NỘI DUNG TUYÊN TRUYỀN")
    document.add_paragraph(
        "Hướng dẫn đăng ký tài khoản trên Cổng Dịch vụ công quốc gia", style="List Bullet"
    )
    document.add_paragraph(
        "Thanh toán trực tuyến phí, lệ phí theo Thông tư số 01/2023/TT-VPCP",
        style="List Bullet",
    )
    document.add_paragraph("III. HÌNH THỨC")
    document.add_paragraph(
        'Phát trên đài truyền thanh xã; đăng trên fanpage Facebook "Xã Tân Hòa"; nhắn tin SMS.'
    )
    document.add_paragraph("IV. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph(
        "1. Công an xã: phối hợp hướng dẫn VNeID; báo cáo trước ngày 15/12/2026."
    )
    document.add_paragraph("2. Văn phòng UBND xã")
    document.add_paragraph("Tổng hợp kết quả, báo cáo định kỳ 6 tháng.", style="List Bullet")
    document.add_paragraph("Nơi nhận:")
    document.add_paragraph("- Lưu: VT.")
    document.save(str(path))
    return path


def image_only_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_picture(io.BytesIO(png_bytes()))
    document.save(str(path))
    return path


def empty_docx(path: Path) -> Path:
    docx.Document().save(str(path))
    return path
