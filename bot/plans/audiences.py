"""Audiences: the content to communicate per target group ("Đối với cán bộ, công chức",
"Đối với người dân và doanh nghiệp" ...), or one shared group when the plan does not
separate them. Also the target groups mentioned anywhere ("đoàn viên, thanh niên").
"""

from __future__ import annotations

import re

from .legal import RefIndex
from .model import Audience, AudienceItem
from .structure import BULLETS, Node
from .textutil import split_sentences, strip_end

_FOR = re.compile(
    r"^(?:Đối với|Nhóm đối tượng(?: là)?|Đối tượng(?: là)?\s*:)\s+(?P<name>.+)$", re.IGNORECASE
)
_GROUP_HEAD = re.compile(
    r"^(?:Cán bộ|Công chức|Người dân|Nhân dân|Doanh nghiệp|Đoàn viên|Thanh niên|Học sinh|"
    r"Hội viên|Người lao động|Phụ nữ|Người cao tuổi|Đảng viên|Cộng đồng|Hộ kinh doanh|"
    r"Nông dân|Cựu chiến binh|Thiếu niên|Trẻ em)\b",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"^nội dung\b", re.IGNORECASE)
_FORMS = re.compile(r"^(?:hình thức|phương thức|phương pháp)\b", re.IGNORECASE)
_NOT_CONTENT = re.compile(
    r"^(?:hình thức|phương thức|phương pháp|đối tượng|kinh phí|thời gian|mục (?:đích|tiêu))\b",
    re.IGNORECASE,
)
_WHO = re.compile(r"^đối tượng\b", re.IGNORECASE)
_PURPOSE = re.compile(r"mục (?:đích|tiêu)|yêu cầu|kinh phí|tổ chức thực hiện", re.IGNORECASE)

GROUPS: list[tuple[str, re.Pattern[str]]] = [
    (
        "Cán bộ, công chức, viên chức",
        re.compile(
            r"cán bộ,?\s*(?:quản lý,?\s*)?(?:công chức|CCVC)|công chức,?\s*viên chức"
            r"|\bCBCCVC\b|\bCBCC\b",
            re.IGNORECASE,
        ),
    ),
    (
        "Người dân, doanh nghiệp",
        re.compile(
            r"(?:người dân|nhân dân)(?:,|\s+và)\s*(?:tổ chức,?\s*(?:và\s*)?)?"
            r"doanh nghiệp",
            re.IGNORECASE,
        ),
    ),
    (
        "Đoàn viên, thanh niên",
        re.compile(r"đoàn viên,?\s*thanh niên|\bthanh niên\b", re.IGNORECASE),
    ),
    ("Học sinh, sinh viên", re.compile(r"học sinh|sinh viên", re.IGNORECASE)),
    ("Hội viên các hội, đoàn thể", re.compile(r"hội viên", re.IGNORECASE)),
    ("Người lao động", re.compile(r"người lao động", re.IGNORECASE)),
    ("Người cao tuổi", re.compile(r"người cao tuổi", re.IGNORECASE)),
    ("Phụ nữ", re.compile(r"phụ nữ", re.IGNORECASE)),
    ("Đảng viên", re.compile(r"đảng viên", re.IGNORECASE)),
    ("Người dân", re.compile(r"người dân|nhân dân", re.IGNORECASE)),
    ("Doanh nghiệp", re.compile(r"doanh nghiệp|hộ kinh doanh", re.IGNORECASE)),
]
_WHO_PHRASE = re.compile(r"đối với|đối tượng", re.IGNORECASE)


def groups_in(text: str) -> list[str]:
    """Target groups named in a phrase, most specific first, without overlaps."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in GROUPS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), name))
    out: list[str] = []
    for _pos, name in sorted(found):
        if name not in out:
            out.append(name)
    return out


def target_groups(texts: list[str]) -> list[str]:
    """Groups named after "đối với" / "đối tượng" anywhere in the plan."""
    out: list[str] = []
    for text in texts:
        for clause in split_sentences(text):
            for m in _WHO_PHRASE.finditer(clause):
                for name in groups_in(clause[m.end() :]):
                    if name not in out:
                        out.append(name)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _items(node: Node, refs: RefIndex, skip: re.Pattern[str] | None) -> list[AudienceItem]:
    items: list[AudienceItem] = []

    def collect(parent: Node, prefix: str) -> None:
        bullet = 0
        for child in parent.children:
            if child.kind in {"table", "closing"}:
                continue
            if skip is not None and child.children and skip.match(child.text):
                continue
            if child.kind in BULLETS or child.kind == "para" or not child.label:
                bullet += 1
                label = f"{prefix}-{bullet}" if prefix else str(bullet)
            else:
                label = child.label
            if child.text:
                items.append(AudienceItem(child.text, refs.add_text(child.text), label))
            collect(child, label)

    collect(node, "")
    return items


def _forms(node: Node) -> list[str]:
    out: list[str] = []
    for child in node.children:
        if _FORMS.match(child.text) and child.children:
            out.extend(n.text for n in child.walk() if n.text)
    return out


def _audience(node: Node, name: str, refs: RefIndex, description: str = "") -> Audience:
    content = next((c for c in node.children if _CONTENT.match(c.text) and c.children), None)
    items = _items(content, refs, None) if content else _items(node, refs, _NOT_CONTENT)
    return Audience(name=name, items=items, forms=_forms(node), description=description)


def _group_nodes(root: Node, excluded: set[int]) -> list[tuple[Node, str]]:
    found: list[tuple[Node, str]] = []
    inside: set[int] = set()

    def visit(node: Node, parent_text: str) -> None:
        for child in node.children:
            if id(child) in excluded or child.kind in {"para", "table", "closing"}:
                continue
            name = None
            m = _FOR.match(child.text)
            if m and child.children and len(m.group("name").split()) <= 20:
                name = strip_end(m.group("name"))
            elif (
                child.children
                and _GROUP_HEAD.match(child.text)
                and len(child.text.split()) <= 12
                and re.search(r"(?i)đối tượng|nội dung", parent_text)
            ):
                name = strip_end(child.text)
            if name and id(child) not in inside:
                found.append((child, _cap(name)))
                inside.update(id(n) for n in child.walk())
                continue
            visit(child, child.text)

    visit(root, "")
    return found


def find_audiences(root: Node, refs: RefIndex, excluded: set[int]) -> tuple[list[Audience], bool]:
    """(audiences, separated): separated is False when one shared group was made."""
    groups = _group_nodes(root, excluded)
    if groups:
        return [_audience(node, name, refs) for node, name in groups], True
    nodes = [n for n in root.walk() if id(n) not in excluded]
    purpose: set[int] = set()
    for top in root.children:
        if _PURPOSE.search(top.text) and not re.search(r"(?i)nội dung", top.text):
            purpose.update(id(n) for n in top.walk())
    content = next(
        (n for n in nodes if id(n) not in purpose and _CONTENT.match(n.text) and n.children),
        None,
    )
    if content is None:
        return [], False
    who = next(
        (
            n
            for n in nodes
            if _WHO.match(n.text)
            and id(n) not in purpose
            and n is not content
            and all(d is not content for d in n.walk())
        ),
        None,
    )
    description = ""
    if who is not None:
        parts = [who.text.split(":", 1)[1] if ":" in who.text else ""]
        parts += [n.text for n in who.walk() if n.text]
        description = strip_end(" ".join(p for p in parts if p.strip()))
    names = groups_in(description) if description else []
    name = "; ".join(names) if names else "Tất cả đối tượng"
    audience = Audience(
        name=_cap(name.lower()),
        items=_items(content, refs, _NOT_CONTENT),
        forms=[],
        description=description,
    )
    parent = next((n for n in nodes if any(c is content for c in n.children)), root)
    audience.forms = _forms(parent)
    return [audience], False
