"""Reading a plan file (.txt, .md, .docx) into paragraphs and tables.

Every failure is a PlanImportError with a Vietnamese message; nothing is returned
half-read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PlanImportError
from .textutil import clean_inline, nfc
from .zipguard import checked_docx

MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUPPORTED = ", ".join([".txt", ".md", ".docx"])

_IMAGE_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
    b"RIFF",
)
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".heic"}
_SCANNED = "Tệp là ảnh quét, không có chữ: hãy dùng bản .docx hoặc .txt của kế hoạch."
_PDF = "Tệp .pdf không được hỗ trợ (thường là bản quét): hãy dùng bản .docx hoặc .txt."
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Para:
    """One paragraph. `heading` is a Markdown/Word heading level (0: not a heading)."""

    text: str
    heading: int = 0
    list_item: bool = False


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)


Block = Para | Table


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_blocks(path: Path) -> tuple[list[Block], str]:
    """The paragraphs and tables of the file, and its format ("txt", "md" or "docx")."""
    if not path.exists():
        raise PlanImportError(f"Không tìm thấy tệp: {path}")
    if path.is_dir():
        raise PlanImportError(f"Đây là thư mục, không phải tệp: {path}")
    suffix = path.suffix.casefold()
    if suffix == ".doc":
        raise PlanImportError(
            "Định dạng .doc (Word cũ) không được hỗ trợ: hãy mở bằng Word, lưu lại thành "
            ".docx, hoặc dùng bản .txt."
        )
    if suffix == ".pdf":
        raise PlanImportError(_PDF)
    if suffix in _IMAGE_SUFFIXES:
        raise PlanImportError(_SCANNED)
    if suffix != ".docx" and suffix not in TEXT_SUFFIXES:
        shown = suffix or "(không có đuôi)"
        raise PlanImportError(f"Định dạng {shown} không được hỗ trợ: chỉ nhận tệp {SUPPORTED}.")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PlanImportError(
                f"Tệp quá lớn ({_size_text(size)} MB; tối đa {MAX_BYTES // (1024 * 1024)} MB)."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise PlanImportError(f"Không đọc được tệp: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:  # grew while we looked
        raise PlanImportError(
            f"Tệp quá lớn ({_size_text(len(data))} MB; tối đa {MAX_BYTES // (1024 * 1024)} MB)."
        )
    if not data.strip():
        raise PlanImportError("Tệp trống.")
    _refuse_images_and_pdf(data)
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        return _docx_blocks(data), "docx"
    text = _decode(data)
    if not text.strip():
        raise PlanImportError("Tệp trống.")
    return text_blocks(text), "md" if suffix in {".md", ".markdown"} else "txt"


def _refuse_images_and_pdf(data: bytes) -> None:
    head = data[:16]
    if head.startswith(b"%PDF"):
        raise PlanImportError(_PDF)
    if head.startswith(_IMAGE_MAGIC) and (not head.startswith(b"RIFF") or data[8:12] == b"WEBP"):
        raise PlanImportError(_SCANNED)
    if head.startswith(_OLE_MAGIC):
        raise PlanImportError(
            "Không đọc được tệp .docx: đây là tệp Word cũ (.doc); hãy lưu lại thành .docx."
        )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return nfc(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise PlanImportError("Không đọc được tệp văn bản (UTF-16 hỏng).") from exc
    if b"\x00" in data[:4096]:
        raise PlanImportError(
            "Tệp không phải văn bản (có dữ liệu nhị phân): hãy dùng bản .docx hoặc .txt."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise PlanImportError(
                "Không đọc được tệp văn bản: mã hóa không phải UTF-8; hãy lưu lại với "
                "mã hóa UTF-8."
            ) from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 200):
        raise PlanImportError(
            "Tệp không phải văn bản (có dữ liệu nhị phân): hãy dùng bản .docx hoặc .txt."
        )
    return nfc(text)


# ---- plain text and Markdown -----------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PIPE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HR = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner.removeprefix("|").removesuffix("|")
    return [clean_inline(c) for c in re.split(r"(?<!\\)\|", inner)]


def text_blocks(text: str) -> list[Block]:
    """Paragraphs of a .txt/.md text: one per line, Markdown headings and pipe tables kept.

    Joining of lines broken in the middle of a sentence is done later (structure).
    """
    blocks: list[Block] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip()
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            rows: list[list[str]] = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                row_line = lines[i].strip()
                if not _PIPE_SEP.match(row_line):
                    rows.append(_pipe_cells(row_line))
                i += 1
            blocks.append(Table(rows))
            continue
        i += 1
        if not stripped or _HR.match(stripped) or stripped.startswith("```"):
            blocks.append(Para(""))
            continue
        heading = 0
        m = _MD_HEADING.match(stripped)
        if m:
            heading = len(m.group(1))
            stripped = m.group(2)
        stripped = stripped.lstrip(">").strip()
        blocks.append(Para(clean_inline(stripped), heading=heading))
    return blocks


# ---- .docx ---------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LAYOUT_WORDS = ("cộng hòa xã hội", "cộng hoà xã hội", "độc lập - tự do", "nơi nhận")


def _docx_blocks(data: bytes) -> list[Block]:
    data = checked_docx(data)  # a zip bomb is refused before python-docx expands anything
    try:
        import docx  # python-docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph as DocxParagraph

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        blocks: list[Block] = []
        _walk(body, document, blocks, DocxParagraph, DocxTable)
        drawings = len(body.findall(f".//{_W}drawing")) + len(body.findall(f".//{_W}pict"))
    except PlanImportError:
        raise
    except (zipfile.BadZipFile, KeyError) as exc:
        raise PlanImportError(
            "Không đọc được tệp .docx: tệp không phải định dạng Word .docx hợp lệ "
            f"({type(exc).__name__})."
        ) from exc
    except Exception as exc:  # python-docx/lxml raise many kinds for damaged files
        raise PlanImportError(f"Không đọc được tệp .docx: {exc}") from exc
    has_text = any(
        (isinstance(b, Para) and b.text.strip()) or (isinstance(b, Table) and b.rows)
        for b in blocks
    )
    if not has_text:
        if drawings:
            raise PlanImportError(_SCANNED)
        raise PlanImportError("Tệp trống.")
    return blocks


def _walk(element: Any, parent: Any, out: list[Block], para_cls: Any, table_cls: Any) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            _add_paragraph(para_cls(child, parent), out)
        elif tag == f"{_W}tbl":
            _add_table(table_cls(child, parent), out)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _walk(content, parent, out, para_cls, table_cls)


def _add_paragraph(paragraph: Any, out: list[Block]) -> None:
    style = ""
    try:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError):
        style = ""
    heading = 0
    m = re.match(r"(?i)heading\s*(\d)", style)
    if m:
        heading = int(m.group(1))
    elif style.casefold() == "title":
        heading = 1
    ppr = paragraph._p.pPr
    list_item = style.casefold().startswith("list") or (ppr is not None and ppr.numPr is not None)
    lines = nfc(paragraph.text).split("\n")
    if not any(line.strip() for line in lines):
        out.append(Para(""))
        return
    for line in lines:
        if line.strip():
            out.append(Para(clean_inline(line), heading=heading, list_item=list_item))


def _cell_rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:
                continue
            seen.add(key)
            cells.append(nfc(cell.text).strip())
        rows.append(cells)
    return rows


def _add_table(table: Any, out: list[Block]) -> None:
    rows = _cell_rows(table)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    joined = " ".join(" ".join(r) for r in rows).casefold()
    ncols = max(len(r) for r in rows)
    if len(rows) == 1 or ncols == 1 or any(w in joined for w in _LAYOUT_WORDS):
        # A layout table (header, signature): read its cells as paragraphs.
        for row in rows:
            for cell in row:
                for line in cell.split("\n"):
                    if line.strip():
                        out.append(Para(clean_inline(line)))
                out.append(Para(""))
        return
    out.append(Table([[clean_inline(c.replace("\n", " ")) for c in r] for r in rows]))
