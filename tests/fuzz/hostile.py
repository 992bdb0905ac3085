"""Hostile values for the fuzz suite: texts, callback payloads, ids and JSON junk (pure).

Every function takes a `random.Random`, so one seed replays a whole run.
"""

from __future__ import annotations

import random
from typing import Any

TEXTS = [
    "xin chào",
    "Cho tôi hỏi thủ tục đăng ký khai sinh cần giấy tờ gì?",
    "cho toi hoi thu tuc dang ky khai sinh",  # no diacritics
    "ko bik lm giay to j, a oi giup e vs",  # teencode
    "đường làng bị ngập, đèn đường hỏng mấy hôm nay rồi",
    "Cháy nhà! cứu với",
    "menu",
    "/start",
    "/start payload-from-a-link",
    "hủy",
    "dừng nhận tin",
    "tra cứu hồ sơ PA-2026-000123",
    "xóa dữ liệu của tôi",
    "0912345678",
    "1",
    "99",
    "'; DROP TABLE contacts; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% for x in range(10**9) %}{% endfor %}",
    "${jndi:ldap://x/a}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "\u202eolleh\u202c \u200f\u200e",  # RTL override, marks
    "a\u200bb\u200cc\u200dd\ufeff",  # zero-width characters
    "👍🏽👨‍👩‍👧‍👦🇻🇳",
    "\x00\x01\x02 NUL và điều khiển\x1b[31m",
    "\ud83d lone surrogate \udc00",
    "tiếng Việt tổ hợp: ti\u0302\u0301ng Vie\u0323\u0302t",  # NFD
    "\r\n\r\n\t",
    "   ",
    "",
    "A" * 4096,
    "ă" * 4001,
    "🙂" * 2100,
]
PAYLOADS = [
    "menu",
    "pakn:cat:{n}",
    "pakn:cat:xay-dung",
    "pakn:area:{n}",
    "pakn:edit:{w}",
    "pakn:send:{w}",
    "pakn:ok",
    "sub:t:{w}",
    "sub:a:{n}:{n}",
    "sub:areas:{n}",
    "ask:a:{w}",
    "ask:e:{w}:{n}",
    "ask:staff:{n}",
    "ask:fb:{n}:{n}",
    "ask:l:{w}:{n}",
    "ask:none:{n}",
    "rate:{w}:{n}",
    "rate:skip",
    "status:c:{w}",
    "staff:take:{n}",
    "staff:done:{n}",
    "privacy:delete",
    "privacy:confirm",
    "~{n}",
    "{w}:{w}:{w}",
    ":::::",
    "unknown:{n}",
]
NUMBERS = [
    "0",
    "1",
    "-1",
    "7",
    "999",
    "2147483648",
    "9223372036854775808",
    "1" * 40,
    "9" * 5000,
    "²",
    "٣",
    "1e9",
    "0x10",
    " 1",
    "",
]
IDS: list[Any] = [
    -1,
    0,
    2**31,
    2**63,
    2**64 + 1,
    10**30,
    "7001",
    "abc",
    "",
    None,
    True,
    1.5,
    [],
    {},
    "x" * 300,
]
JUNK: list[Any] = [None, True, 0, -1, 1.5, 10**40, "", "x", [], {}, [1, [2]], {"a": {"b": 1}}]


def text(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.6:
        return rng.choice(TEXTS)
    if choice < 0.8:  # a mix of two hostile texts
        return (rng.choice(TEXTS) + " " + rng.choice(TEXTS))[:5000]
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạ0123456789 \n\t!?.,:;'\"<>{}[]%$#@"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300)))


def word(rng: random.Random) -> str:
    return rng.choice(
        ["x", "xay-dung", "khai-sinh", "PA-1", "ấp-1", "", "a" * 200, "\u202e", "🙂"]
    )


def payload(rng: random.Random) -> str:
    template = rng.choice(PAYLOADS)
    while "{n}" in template or "{w}" in template:
        if "{n}" in template:
            template = template.replace("{n}", rng.choice(NUMBERS), 1)
        else:
            template = template.replace("{w}", word(rng), 1)
    return template


def junk(rng: random.Random) -> Any:
    return rng.choice(JUNK)


def any_id(rng: random.Random) -> Any:
    return rng.choice(IDS)


def mangle(rng: random.Random, value: dict[str, Any]) -> dict[str, Any]:
    """The same update with one field, at any depth, removed or replaced by a wrong type."""
    paths: list[tuple[dict[str, Any], str]] = []

    def walk(node: dict[str, Any]) -> None:
        for key, item in node.items():
            paths.append((node, key))
            if isinstance(item, dict):
                walk(item)

    walk(value)
    for _ in range(rng.randint(1, 3)):
        node, key = rng.choice(paths)
        if rng.random() < 0.3:
            node.pop(key, None)
        else:
            node[key] = rng.choice([*JUNK, *IDS])
    return value


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def raw_junk(rng: random.Random) -> tuple[bytes, str]:
    """A body that is not a proper JSON object, and its content type."""
    bodies: list[tuple[bytes, str]] = [
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b"\xff\xfe\xfa invalid utf-8 \xc3\x28", "application/json"),
        (b'{"update_id": 1, "x": "\xc3\x28"}', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"null", "application/json"),
        (b'"a string"', "application/json"),
        (b"12", "application/json"),
        (nested(rng.choice([50, 1000, 100_000])).encode(), "application/json"),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, "application/json"),
        (b'{"update_id": NaN}', "application/json"),
        (b'{"update_id": 1, "message": {"message_id": Infinity}}', "application/json"),
        (b'{"update_id": 1, "x": -Infinity}', "application/json"),
        (b'{"update_id": 1e400}', "application/json"),
        (b'{"update_id": 1' + b"0" * 5000 + b"}", "application/json"),
        (b"update_id=1&text=hi", "application/x-www-form-urlencoded"),
        (b'{"update_id": 1}', "text/plain"),
        (b"<xml>1</xml>", "application/xml"),
        (b'{"a": "' + b"x" * 70_000 + b'"}', "application/json"),
        (b'{"a": "' + b"x" * 1_200_000 + b'"}', "application/json"),
        (b'{"a": 1, "a": 2}', "application/json"),
    ]
    return rng.choice(bodies)
