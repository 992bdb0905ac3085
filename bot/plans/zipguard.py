"""A .docx is a zip: check it before python-docx opens it, so that a zip bomb costs nothing.

`checked_docx(data)` refuses, with a Vietnamese PlanImportError and without expanding anything:
- more than MAX_MEMBERS members, or members that are encrypted or compressed with anything but
  deflate (bzip2 and lzma members cannot be expanded in bounded steps);
- a declared uncompressed size above MAX_UNCOMPRESSED, for the whole file;
- a member of at least RATIO_FROM bytes that expands more than MAX_RATIO times.

Then it expands every member itself, MAX_CHUNK bytes at a time, and stops at once when a
member yields more than it declared (a lying header) or the total passes MAX_UNCOMPRESSED.
It returns the same document rebuilt with stored (uncompressed) members, exactly the bytes that
were checked, so python-docx never expands anything: zipfile would expand a lying member whole
before cutting it to its declared size.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from .errors import PlanImportError

MAX_UNCOMPRESSED = 20 * 1024 * 1024  # all members together, expanded
MAX_RATIO = 100  # expanded size / compressed size, per member
RATIO_FROM = 1024 * 1024  # smaller members are not held to the ratio (the total still counts)
MAX_MEMBERS = 2000
MAX_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, name length, extra length
_MB = 1024 * 1024

_ADVICE = "Hãy mở tệp bằng Word và lưu lại thành .docx, hoặc dùng bản .txt của kế hoạch."


_VI_NUMBER = str.maketrans(",.", ".,")


def _mb(size: int) -> str:
    return f"{size / _MB:,.1f}".translate(_VI_NUMBER)


def _bomb(detail: str) -> PlanImportError:
    return PlanImportError(
        f"Tệp .docx bị từ chối: {detail} (tối đa {MAX_UNCOMPRESSED // _MB} MB khi giải nén, "
        f"nén không quá {MAX_RATIO} lần). Có thể là tệp hỏng hoặc cố ý gây quá tải. {_ADVICE}"
    )


def _broken(why: str) -> PlanImportError:
    return PlanImportError(f"Không đọc được tệp .docx: {why}. {_ADVICE}")


def checked_docx(data: bytes) -> bytes:
    """The document as a zip of stored members, or PlanImportError (see the module)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        why = f"tệp không phải định dạng Word .docx hợp lệ ({type(exc).__name__})"
        raise _broken(why) from exc
    _check_declared(infos)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        budget = MAX_UNCOMPRESSED
        for info in infos:
            content = _expand(data, info, budget)
            budget -= len(content)
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_STORED
            rebuilt.writestr(copy, content)
    return out.getvalue()


def _check_declared(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse on the central directory alone: nothing is expanded yet."""
    if len(infos) > MAX_MEMBERS:
        raise _bomb(f"có {len(infos)} thành phần, tối đa {MAX_MEMBERS}")
    if len({i.filename for i in infos}) != len(infos):
        raise _broken("có hai thành phần trùng tên")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise _bomb(f"nội dung bung ra {_mb(total)} MB")
    for info in infos:
        if info.flag_bits & 0x1:
            raise _broken("tệp có mật khẩu; hãy bỏ mật khẩu rồi lưu lại")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _broken(f"kiểu nén không hỗ trợ ({info.compress_type})")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_FROM and ratio > MAX_RATIO:
            times = f"{ratio:,.0f}".translate(_VI_NUMBER)
            raise _bomb(f"thành phần {info.filename!r} nén {times} lần")


def _raw(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The member's compressed bytes, found through its local header."""
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise _broken("tệp bị cắt cụt")
    signature, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise _broken("cấu trúc tệp nén hỏng")
    begin = start + _LOCAL_HEADER.size + name_len + extra_len
    raw = memoryview(data)[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise _broken("tệp bị cắt cụt")
    return raw


def _expand(data: bytes, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's content, expanded MAX_CHUNK at a time; stops as soon as it is too much."""
    raw = _raw(data, info)
    limit = min(info.file_size, budget)
    if info.compress_type == zipfile.ZIP_STORED:
        content = bytes(raw)
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        parts = bytearray()
        pos = 0
        try:
            while not inflater.eof:
                piece: bytes | memoryview = inflater.unconsumed_tail
                if not piece and pos < len(raw):
                    piece, pos = raw[pos : pos + MAX_CHUNK], pos + MAX_CHUNK
                expanded = inflater.decompress(piece, MAX_CHUNK)  # b"": what is still pending
                if not piece and not expanded:
                    raise _broken("dữ liệu nén bị cắt cụt")
                parts += expanded
                if len(parts) > limit:
                    break
        except zlib.error as exc:
            raise _broken("dữ liệu nén hỏng") from exc
        content = bytes(parts)
    if len(content) > info.file_size:
        raise _bomb(f"thành phần {info.filename!r} bung ra nhiều hơn kích thước khai báo")
    if len(content) > budget:
        raise _bomb("nội dung bung ra quá lớn")
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise _broken(f"thành phần {info.filename!r} bị hỏng (sai kích thước hoặc mã kiểm tra)")
    return content
