"""Builders for synthetic .docx plans (python-docx), shared by the plan tests."""

from __future__ import annotations

import io
import struct
import zipfile
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


def bomb_docx(path: Path, actual: int, declared: int | None = None) -> Path:
    """A real plan (`kpi_table_plan`) whose word/document.xml is replaced by `actual` bytes of
    spaces, deflated to about a thousandth. With `declared`, the zip's headers claim that size
    instead, with the CRC of the first `declared` bytes, as a forger would write them."""
    base = io.BytesIO(kpi_table_plan(path).read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = b" " * (1024 * 1024)
    raw = b"".join(deflater.compress(chunk[: min(len(chunk), actual - done)])
                   for done in range(0, actual, len(chunk))) + deflater.flush()  # fmt: skip
    data = bytearray(out.getvalue())
    cd_start = data.index(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", data, cd_start + 16)[0]
    size = actual if declared is None else declared
    crc = zlib.crc32(b" " * size)
    name = b"word/document.xml"
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), size, len(name), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(raw), size,
        len(name), 0, 0, 0, 0, 0, cd_offset,
    )  # fmt: skip
    entries, count = struct.unpack_from("<HH", data, cd_start + 8)
    cd_size = struct.unpack_from("<I", data, cd_start + 12)[0]
    directory = bytes(data[cd_offset:cd_start]) + central + name
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, entries + 1, count + 1, cd_size + len(central)
        + len(name), cd_offset + len(local) + len(name) + len(raw), 0,
    )  # fmt: skip
    path.write_bytes(bytes(data[:cd_offset]) + local + name + raw + directory + end)
    return path
