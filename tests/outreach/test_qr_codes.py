"""QR payloads: what each code opens, decoded back from the image when zxing-cpp is there."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest

from bot.content.units import ChannelConfig, Hotline, Unit
from bot.outreach import qr
from bot.outreach.links import faq_links, unit_links
from bot.settings import Settings

UNIT = Unit(
    key="xa-binh-minh",
    name="UBND xã Bình Minh",
    short_name="xã Bình Minh",
    level="xa",
    province="Đồng Nai",
    hotlines=(Hotline("Tổng đài Dịch vụ công tỉnh Đồng Nai", "(0251) 1022", "02511022"),),
    channels=ChannelConfig(
        telegram_token_env="BINH_MINH_TELEGRAM_BOT_TOKEN", zalo_env_prefix="BINH_MINH_ZALO"
    ),
)
PUBLIC = Settings(public_url="https://bot.example.vn/", web_chat="on")


def decode(payload: str) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    return [r.text for r in zxingcpp.read_barcodes(image.open(io.BytesIO(qr.png(payload))))]


@pytest.mark.parametrize(
    "payload",
    [
        "https://zalo.me/1234567890123",
        "https://t.me/binhminh_bot",
        "https://bot.example.vn/chat/xa-binh-minh/?q=%C4%90%C4%83ng+k%C3%BD+khai+sinh",
        "https://dichvucong.gov.vn",
    ],
)
def test_codes_decode_back_to_their_payload(payload: str) -> None:
    assert decode(payload) == [payload]


def test_svg_is_inline_scalable_and_carries_the_payload() -> None:
    svg = str(qr.svg("https://t.me/binhminh_bot"))
    assert svg.startswith("<svg ") and "viewBox" in svg and "width=" not in svg.split(">")[0]
    assert 'data-qr="https://t.me/binhminh_bot"' in svg
    size = len(qr.matrix("https://t.me/binhminh_bot"))
    assert re.search(rf'viewBox="0 0 {size + 8} {size + 8}"', svg)


def test_links_from_unit_variables_settings_and_runtime() -> None:
    env = {"BINH_MINH_ZALO_OA_ID": "1234567890123", "BINH_MINH_TELEGRAM_BOT_USERNAME": "@bm_bot"}
    links = unit_links(UNIT, PUBLIC, env, default_unit="other")
    assert [(link.key, link.url) for link in links.chat] == [
        ("zalo", "https://zalo.me/1234567890123"),
        ("telegram", "https://t.me/bm_bot"),
        ("web", "https://bot.example.vn/chat/xa-binh-minh/"),
    ]
    assert [link.url for link in links.portals] == ["https://dichvucong.gov.vn"]
    assert links.notes == []
    # the default unit: the plain settings; Telegram's getMe answer when nothing is set
    settings = dataclasses.replace(PUBLIC, zalo_oa_id="999888777")
    links = unit_links(
        UNIT, settings, {}, default_unit=UNIT.key, telegram_runtime={UNIT.key: "from_getme_bot"}
    )
    assert links.get("zalo") and links.get("zalo").url == "https://zalo.me/999888777"  # type: ignore[union-attr]
    assert links.get("telegram").url == "https://t.me/from_getme_bot"  # type: ignore[union-attr]


def test_a_unit_without_channels_gets_notes_not_codes() -> None:
    links = unit_links(UNIT, Settings(web_chat="on"), {}, default_unit=UNIT.key)
    assert links.chat == []
    assert len(links.notes) == 3
    assert any("Zalo" in n and "BINH_MINH_ZALO_OA_ID" in n for n in links.notes)
    assert any("Telegram" in n for n in links.notes)
    assert any("PUBLIC_URL" in n for n in links.notes)
    off = unit_links(UNIT, dataclasses.replace(PUBLIC, web_chat="off"), {}, default_unit="x")
    assert off.get("web") is None and any("WEB_CHAT" in n for n in off.notes)


def test_faq_codes_procedure_and_ask(services_cached) -> None:  # type: ignore[no-untyped-def]
    entries = list(services_cached.faq.entries.values())
    online = next(e for e in entries if e.url)
    offline = next(e for e in entries if not e.url)
    links = unit_links(UNIT, PUBLIC, {}, default_unit=UNIT.key)
    codes, notes = faq_links(online, UNIT, PUBLIC, links)
    assert [c.key for c in codes] == ["procedure", "ask"]
    assert codes[0].url == online.url
    assert codes[1].url.startswith("https://bot.example.vn/chat/xa-binh-minh/?q=")
    assert decode(codes[1].url) == [codes[1].url]
    assert notes == []
    codes, notes = faq_links(offline, UNIT, PUBLIC, links)
    assert [c.key for c in codes] == ["ask"]
    assert notes and "trực tuyến" in notes[0]
