"""From paragraphs to a plan outline: header, title, preamble, a tree of sections, trailer.

Enumeration styles differ between plans (I./II., 1./1.1., a)/b)/đ), "-", "+", Markdown
headings, Word list paragraphs). The tree does not assume a fixed order of styles: a
style already open on the path closes everything below it (a sibling); a new style opens
a child. Plain paragraphs are leaves under the current node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .reader import Block, Para, Table
from .textutil import starts_lower

_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "part",
        re.compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+([IVXLC]+|\d+|thứ\s+\w+)\s*[.:–-]?\s*"),
    ),
    ("roman", re.compile(r"^(X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3})\s*[.):–-]\s*(?=\S)")),
    ("arabic*", re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)(\.?)(?:\s+|$)")),
    ("arabic", re.compile(r"^(\d{1,2})\s*\.\s*(?=[^\d\s])")),
    ("arabic)", re.compile(r"^(\d{1,2})\s*\)\s*(?=\S)")),
    ("paren-arabic", re.compile(r"^\((\d{1,2})\)\s*(?=\S)")),
    ("letter", re.compile(r"^([a-zđ])\s*\)\s*(?=\S)")),
    ("letter", re.compile(r"^([a-zđ])\.\s+(?=\S)")),
    ("paren-letter", re.compile(r"^\(([a-zđ])\)\s*(?=\S)")),
    ("upper-letter", re.compile(r"^([A-ZĐ])\s*[.)]\s+(?=\S)")),
    ("dash", re.compile(r"^([-–—−])(?!-)\s*(?=\S)")),
    ("plus", re.compile(r"^(\+)\s*(?=\S)")),
    ("dot", re.compile(r"^([•·●○◦▪■□♦❖✓➢➤►*])\s*(?=\S)")),
]
BULLETS = {"dash", "plus", "dot", "list"}
SECTION_KINDS = {"part", "roman", "upper-letter"}

_TERMINAL = tuple(".:;!?…")
_HEADERISH = re.compile(
    r"^(?:Số\s*:|Căn cứ|Thực hiện|KẾ HOẠCH|CHƯƠNG TRÌNH|PHƯƠNG ÁN|CỘNG HÒA|CỘNG HOÀ|Độc lập|"
    r"Nơi nhận|[^,\d]{2,40},\s*ngày\b)",
)
_TITLE = re.compile(
    r"^(?:KẾ HOẠCH|Kế hoạch|CHƯƠNG TRÌNH|Chương trình|PHƯƠNG ÁN|Phương án)\b\s*[:.–-]?\s*(.*)$"
)
_TRAILER = re.compile(
    r"^(?:Nơi nhận\s*:?|(?:KT|TM|TL|TUQ|Q)\s*\.\s*[A-ZĐỦ]|"
    r"(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|CHÁNH VĂN PHÒNG|GIÁM ĐỐC|TRƯỞNG BAN|BÍ THƯ)\s*$)",
)
_CLOSING = re.compile(
    r"^(?:Trên đây là|Trong quá trình (?:tổ chức )?(?:triển khai )?thực hiện|"
    r"(?:Chủ tịch|Ủy ban|UBND|Thủ trưởng|Văn phòng)[^.]{0,80}\b(?:yêu cầu|đề nghị)\b)",
    re.IGNORECASE,
)


def marker(text: str) -> tuple[str, str, str] | None:
    """(kind, label, rest) when the paragraph starts with an enumeration mark."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end() :].strip()
        label = m.group(1)
        if kind == "arabic*":
            if not rest or rest[0].isdigit() or not (rest[0].isupper() or m.group(2)):
                continue
            kind = f"arabic{label.count('.') + 1}"
        if kind in {"roman", "upper-letter", "part"} and rest[:1].islower():
            continue
        if not rest:
            continue
        return kind, label, rest
    return None


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def mend(blocks: list[Block], soft_wrap: bool) -> list[Block]:
    """Join paragraphs broken in the middle of a sentence (page breaks, soft wraps)."""
    out: list[Block] = []
    blank = True
    for block in blocks:
        if isinstance(block, Table):
            out.append(block)
            blank = True
            continue
        text = block.text.strip()
        if not text:
            blank = True
            continue
        prev = out[-1] if out and isinstance(out[-1], Para) else None
        if prev is not None and _can_join(prev, block, text, blank, soft_wrap):
            prev.text = f"{prev.text} {text}"
        else:
            out.append(Para(text, block.heading, block.list_item))
        blank = False
    return out


def _can_join(prev: Para, nxt: Para, text: str, blank: bool, soft_wrap: bool) -> bool:
    if prev.heading or nxt.heading or nxt.list_item or marker(text) is not None:
        return False
    if prev.text.endswith(_TERMINAL) or _TRAILER.match(text) or _HEADERISH.match(text):
        return False
    if _TITLE.match(prev.text) and _is_caps(prev.text.split()[0]):
        return False
    if starts_lower(text) or text[0] in '“"':
        return True
    return soft_wrap and not blank and _is_caps(prev.text) == _is_caps(text)


@dataclass
class Node:
    kind: str  # "root", "para", "table", "closing", "h1".., or a marker kind
    label: str = ""
    text: str = ""
    heading: bool = False
    table: Table | None = None
    children: list[Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        """This node's descendants, depth first, in document order (self excluded)."""
        out: list[Node] = []
        for child in self.children:
            out.append(child)
            out.extend(child.walk())
        return out

    def full_text(self) -> str:
        return " ".join(n.text for n in [self, *self.walk()] if n.text)


@dataclass
class Outline:
    header: list[str]
    title: str | None
    preamble: list[str]
    root: Node
    trailer: list[str]
    tables: list[Table]
    section_count: int  # top-level sections (I., II., ... or headings)
    title_found: bool  # a "KẾ HOẠCH" title line was found


def _title_at(paras: list[Block]) -> tuple[int, int, str] | None:
    """(index of the KẾ HOẠCH line, index of the last title line, title text)."""
    for i, block in enumerate(paras[:60]):
        if not isinstance(block, Para):
            continue
        m = _TITLE.match(block.text)
        if not m:
            continue
        first = block.text.split()[0]
        if not (_is_caps(first) or block.heading):
            continue
        rest = m.group(1).strip()
        if rest:
            return i, i, rest[0].upper() + rest[1:]
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if isinstance(nxt, Para) and marker(nxt.text) is None and not _HEADERISH.match(nxt.text):
            return i, i + 1, nxt.text
        return i, i, ""
    return None


def _kind_of(block: Para) -> tuple[str, str, str]:
    found = marker(block.text)
    if found:
        return found
    if block.heading:
        return f"h{block.heading}", "", block.text
    if block.list_item:
        return "list", "", block.text
    return "para", "", block.text


def outline(blocks: list[Block], soft_wrap: bool) -> Outline:
    items = mend(blocks, soft_wrap)
    found = _title_at(items)
    title: str | None
    if found:
        head_end, title_end, title = found
        start = title_end + 1
    else:
        first = next(
            (
                i
                for i, b in enumerate(items)
                if isinstance(b, Para) and (marker(b.text) or ("", "", ""))[0] in SECTION_KINDS
            ),
            len(items),
        )
        head_end = start = first
        heads = [b for b in items[:first] if isinstance(b, Para) and b.heading]
        title = heads[0].text if heads else None
    header = [b.text for b in items[:head_end] if isinstance(b, Para)]
    preamble: list[str] = []
    while start < len(items):
        block = items[start]
        if not isinstance(block, Para) or block.heading:
            break
        kind = _kind_of(block)[0]
        if kind not in BULLETS and kind != "para":
            break
        if _TRAILER.match(block.text):
            break
        preamble.append(block.text)
        start += 1
    root, trailer, tables = _build_tree(items[start:])
    count = sum(1 for n in root.children if n.kind in SECTION_KINDS or n.kind.startswith("h"))
    return Outline(header, title, preamble, root, trailer, tables, count, found is not None)


def _build_tree(items: list[Block]) -> tuple[Node, list[str], list[Table]]:
    root = Node("root")
    stack: list[Node] = [root]
    trailer: list[str] = []
    tables: list[Table] = []
    for pos, block in enumerate(items):
        if isinstance(block, Table):
            tables.append(block)
            stack[-1].children.append(Node("table", table=block))
            continue
        if _TRAILER.match(block.text):
            trailer = [b.text for b in items[pos:] if isinstance(b, Para)]
            break
        kind, label, text = _kind_of(block)
        if kind == "para":
            if _CLOSING.match(text):
                del stack[1:]
                root.children.append(Node("closing", text=text))
            else:
                stack[-1].children.append(Node("para", text=text))
            continue
        node = Node(kind, label, text, heading=block.heading > 0)
        open_kinds = [n.kind for n in stack]
        if kind in open_kinds:
            del stack[open_kinds.index(kind) :]
        elif kind.startswith("h") and kind[1:].isdigit():
            # a Markdown/Word heading closes everything below a heading of the same or
            # a higher level
            level = int(kind[1:])
            for i, n in enumerate(stack):
                if n.kind.startswith("h") and n.kind[1:].isdigit() and int(n.kind[1:]) >= level:
                    del stack[i:]
                    break
        elif kind in SECTION_KINDS:
            del stack[1:]
        stack[-1].children.append(node)
        stack.append(node)
    return root, trailer, tables
