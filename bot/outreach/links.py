"""Where a QR code sends a citizen: the unit's Zalo, Telegram, web chat and portals.

Every link is built here from settings, the environment and the unit file, so the poster, the
FAQ card, the leaflet and the CLI agree. A channel that is not configured gives no link and a
note (Vietnamese, for staff) saying what to set.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from bot.content.faq import FaqEntry
from bot.content.units import Unit
from bot.settings import Settings

ZALO_BASE = "https://zalo.me/"
TELEGRAM_BASE = "https://t.me/"
_ZALO_ID = re.compile(r"^[0-9A-Za-z._-]{3,64}$")
_TG_USER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


@dataclass(frozen=True)
class Link:
    key: str  # zalo | telegram | web | portal | local_portal | procedure | ask
    label: str  # shown under the code
    url: str


@dataclass(frozen=True)
class UnitLinks:
    chat: list[Link] = field(default_factory=list)  # Zalo, Telegram, web chat (configured ones)
    portals: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what is missing and how to add it

    def get(self, key: str) -> Link | None:
        return next((link for link in self.chat + self.portals if link.key == key), None)


def zalo_oa_id(unit: Unit, settings: Settings, environ: Mapping[str, str], default: str) -> str:
    prefix = unit.channels.zalo_env_prefix
    value = environ.get(f"{prefix}_OA_ID", "") if prefix else ""
    if not value and unit.key == default:
        value = settings.zalo_oa_id
    return value.strip()


def telegram_username_env(unit: Unit) -> str:
    token_env = unit.channels.telegram_token_env
    if not token_env:
        return ""
    return re.sub(r"_TOKEN$", "", token_env) + "_USERNAME"


def telegram_username(
    unit: Unit,
    settings: Settings,
    environ: Mapping[str, str],
    default: str,
    runtime: Mapping[str, str] | None = None,
) -> str:
    """The bot's username: the unit's variable, TELEGRAM_BOT_USERNAME, or getMe at runtime."""
    env_name = telegram_username_env(unit)
    value = environ.get(env_name, "") if env_name else ""
    if not value and unit.key == default:
        value = settings.telegram_bot_username
    if not value and runtime:
        value = runtime.get(unit.key, "")
    return value.strip().lstrip("@")


def base_url(settings: Settings) -> str:
    return settings.public_url.rstrip("/")


def web_chat_url(settings: Settings, unit: Unit, question: str | None = None) -> str | None:
    base = base_url(settings)
    if not base or not settings.web_chat_enabled:
        return None
    url = f"{base}/chat/{quote(unit.key)}/"
    if question:
        url += "?" + urlencode({"q": question})
    return url


def unit_links(
    unit: Unit,
    settings: Settings,
    environ: Mapping[str, str],
    *,
    default_unit: str,
    telegram_runtime: Mapping[str, str] | None = None,
) -> UnitLinks:
    chat: list[Link] = []
    notes: list[str] = []
    oa = zalo_oa_id(unit, settings, environ, default_unit)
    zalo_var = (
        f"{unit.channels.zalo_env_prefix}_OA_ID" if unit.channels.zalo_env_prefix else "ZALO_OA_ID"
    )
    if oa and _ZALO_ID.match(oa):
        chat.append(Link("zalo", "Zalo", ZALO_BASE + oa))
    else:
        notes.append(
            f"Chưa có mã QR Zalo: đơn vị chưa khai báo Zalo OA (đặt {zalo_var})."
            if not oa
            else f"Chưa có mã QR Zalo: {zalo_var} không hợp lệ."
        )
    user = telegram_username(unit, settings, environ, default_unit, telegram_runtime)
    tg_var = telegram_username_env(unit) or "TELEGRAM_BOT_USERNAME"
    if user and _TG_USER.match(user):
        chat.append(Link("telegram", "Telegram", TELEGRAM_BASE + user))
    else:
        notes.append(
            f"Chưa có mã QR Telegram: chưa biết tên bot (đặt {tg_var}, hoặc chạy bot với token)."
            if not user
            else f"Chưa có mã QR Telegram: tên bot {user!r} không hợp lệ."
        )
    web = web_chat_url(settings, unit)
    if web:
        chat.append(Link("web", "Trang web", web))
    elif not settings.web_chat_enabled:
        notes.append("Chưa có mã QR trang web: trò chuyện trên web đang tắt (WEB_CHAT).")
    else:
        notes.append("Chưa có mã QR trang web: chưa đặt địa chỉ công khai PUBLIC_URL.")
    portals = [Link("portal", "Cổng Dịch vụ công quốc gia", unit.portal)]
    if unit.local_portal:
        portals.append(
            Link("local_portal", f"Dịch vụ công tỉnh {unit.province}", unit.local_portal)
        )
    return UnitLinks(chat=chat, portals=portals, notes=notes)


def faq_links(
    entry: FaqEntry, unit: Unit, settings: Settings, links: UnitLinks
) -> tuple[list[Link], list[str]]:
    """The FAQ card's codes: the official online procedure and "ask the bot about it"."""
    out: list[Link] = []
    notes: list[str] = []
    if entry.url:
        out.append(Link("procedure", "Làm trực tuyến", entry.url))
    else:
        notes.append("Thủ tục này chưa có đường dẫn nộp trực tuyến: không in mã QR nộp hồ sơ.")
    ask = web_chat_url(settings, unit, entry.title)
    if ask:
        out.append(Link("ask", "Hỏi trợ lý", ask))
    elif links.chat:
        first = links.chat[0]
        out.append(Link("ask", f"Hỏi trợ lý ({first.label})", first.url))
    else:
        notes.append("Chưa có kênh hỏi đáp nào được cấu hình: không in mã QR hỏi trợ lý.")
    return out, notes


def display_url(url: str) -> str:
    """ "https://dichvucong.gov.vn/" -> "dichvucong.gov.vn" (for print under a code)."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
