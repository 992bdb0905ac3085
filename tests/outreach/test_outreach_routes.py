"""Routes: the poster (HTML, PDF), FAQ cards, and campaign downloads behind the console sign-in."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from bs4 import BeautifulSoup

from bot.app import build_app
from bot.core.services import Services
from bot.db.models_campaigns import Campaign
from bot.keys import services_key, sessionmaker_key
from bot.outreach.links import unit_links
from bot.outreach.poster import staff_notes
from bot.settings import Settings
from tests.console.helpers import signed_in

UNIT = "xa-binh-minh"
ENV = {"BINH_MINH_ZALO_OA_ID": "1234567890123", "BINH_MINH_TELEGRAM_BOT_USERNAME": "bm_bot"}
TEMPLATE = (
    "Tổng đài {{ unit.hotline }}\n\nBà con tra cứu TTHC tại <https://dichvucong.gov.vn> "
    "từ ngày 30/01/2026."
)


async def _client(
    aiohttp_client: Any, settings: Settings, services: Services, env: dict[str, str], **kw: Any
) -> Any:
    s = dataclasses.replace(settings, public_url="https://bot.example.vn", **kw)
    app = build_app(s, services=dataclasses.replace(services, settings=s), environ=env)
    return await aiohttp_client(app)


@pytest.fixture
async def client(aiohttp_client: Any, settings: Settings, services: Services) -> Any:
    return await _client(aiohttp_client, settings, services, ENV)


def codes(html: str) -> list[str]:
    return [str(svg["data-qr"]) for svg in BeautifulSoup(html, "html.parser").find_all("svg")]


async def test_poster_has_every_configured_code_hotline_and_portal(client: Any) -> None:
    resp = await client.get(f"/poster/{UNIT}")
    assert resp.status == 200 and resp.content_type == "text/html"
    html = await resp.text()
    assert codes(html) == [
        "https://zalo.me/1234567890123",
        "https://t.me/bm_bot",
        "https://bot.example.vn/chat/xa-binh-minh/",
        "https://dichvucong.gov.vn",
    ]
    assert "size: A4" in html
    soup = BeautifulSoup(html, "html.parser")
    assert "(0251) 1022" in soup.select_one(".hotline").get_text()  # type: ignore[union-attr]
    assert soup.select(".notes") == []  # a public page: staff notes are in the console
    assert soup.find("a", href=f"/poster/{UNIT}.pdf")


async def test_a_unit_without_zalo_gets_no_zalo_code_and_a_note(
    aiohttp_client: Any, settings: Settings, services: Services
) -> None:
    client = await _client(aiohttp_client, settings, services, {})
    html = await (await client.get("/poster/phuong-phuoc-tan")).text()
    assert not any("zalo.me" in c or "t.me" in c for c in codes(html))
    assert "https://bot.example.vn/chat/phuong-phuoc-tan/" in codes(html)
    assert "PHUOC_TAN_ZALO_OA_ID" not in html and "Chưa có mã QR" not in html
    unit = services.units["phuong-phuoc-tan"]
    links = unit_links(unit, settings, {}, default_unit=UNIT)
    text = " ".join(staff_notes(unit, links))  # shown in the console (/console/poster/…)
    assert "Chưa có mã QR Zalo" in text and "PHUOC_TAN_ZALO_OA_ID" in text
    assert "Chưa có mã QR Telegram" in text


async def test_poster_pdf_and_unknown_unit(client: Any) -> None:
    resp = await client.get(f"/poster/{UNIT}.pdf")
    assert resp.status == 200 and resp.content_type == "application/pdf"
    body = await resp.read()
    assert body.startswith(b"%PDF") and b"BeVietnamPro" in body
    assert (await client.get("/poster/khong-co.pdf")).status == 404
    assert (await client.get("/poster/khong-co")).status == 404


async def test_faq_cards_with_and_without_an_online_procedure(client: Any) -> None:
    entries = list(client.app[services_key].faq.entries.values())
    online = next(e for e in entries if e.url)
    offline = next(e for e in entries if not e.url)
    html = await (await client.get(f"/poster/{UNIT}/faq/{online.id}")).text()
    found = codes(html)
    assert found[0] == online.url
    assert found[1].startswith("https://bot.example.vn/chat/xa-binh-minh/?q=")
    html = await (await client.get(f"/poster/{UNIT}/faq/{offline.id}")).text()
    assert len(codes(html)) == 1 and codes(html)[0].startswith("https://bot.example.vn/chat/")
    assert "chưa có đường dẫn nộp trực tuyến" in html.lower()
    assert (await client.get(f"/poster/{UNIT}/faq/khong-co")).status == 404


async def _campaign(client: Any, status: str, unit: str = UNIT) -> int:
    now = client.app[services_key].clock()
    async with client.app[sessionmaker_key].begin() as sess:
        row = Campaign(
            unit=unit,
            title="Dịch vụ công",
            template=TEMPLATE,
            topics=["dich_vu_cong"],
            status=status,
            author="lan",
            created_at=now,
            updated_at=now,
        )
        sess.add(row)
        await sess.flush()
        return row.id


async def test_campaign_exports_need_a_console_sign_in(client: Any) -> None:
    cid = await _campaign(client, "scheduled")
    url = f"/console/outreach/{UNIT}/campaign/{cid}/radio.txt"
    resp = await client.get(url, allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"].startswith("/console/login?next=")
    await signed_in(client, "lan", "volunteer")
    resp = await client.get(url)
    assert resp.status == 200 and resp.content_type == "text/plain"
    body = await resp.text()
    assert "không hai năm một, một không hai hai" in body  # rendered with the unit's hotline
    assert "dịch vụ công chấm gov chấm vn" in body and "thủ tục hành chính" in body
    assert "attachment" in resp.headers["Content-Disposition"]
    for channel, ext, kind in (
        ("sms", "txt", "text/plain"),
        ("post", "txt", "text/plain"),
        ("post", "html", "text/html"),
        ("leaflet", "html", "text/html"),
    ):
        resp = await client.get(f"/console/outreach/{UNIT}/campaign/{cid}/{channel}.{ext}")
        assert (resp.status, resp.content_type) == (200, kind), channel
    bad = f"/console/outreach/{UNIT}/campaign/{cid}/leaflet.txt"
    assert (await client.get(bad)).status == 404


async def test_exports_refuse_drafts_other_units_and_unknown_ids(client: Any) -> None:
    await signed_in(client, "lan", "staff")
    draft = await _campaign(client, "draft")
    resp = await client.get(f"/console/outreach/{UNIT}/campaign/{draft}/radio.txt")
    assert resp.status == 409
    other = await _campaign(client, "sent", unit="phuong-phuoc-tan")
    # outside the account's units: not found (existence is not revealed)
    resp = await client.get(f"/console/outreach/phuong-phuoc-tan/campaign/{other}/radio.txt")
    assert resp.status == 404
    # a campaign id of another unit under this unit's path
    resp = await client.get(f"/console/outreach/{UNIT}/campaign/{other}/radio.txt")
    assert resp.status == 404
    assert (await client.get(f"/console/outreach/{UNIT}/campaign/999/radio.txt")).status == 404


async def test_the_public_poster_pdf_is_rendered_once_off_the_loop(
    client: Any, monkeypatch: Any
) -> None:
    """A public URL must not make the server render a PDF per request: the second request is
    served from the cache, and the rendering runs in a worker thread."""
    import threading

    import bot.outreach.pdf as pdf
    import bot.outreach.web as outreach_web

    calls: list[str] = []
    real = pdf.poster_pdf

    def counting(unit: Any, links: Any) -> bytes:
        calls.append(threading.current_thread().name)
        return real(unit, links)

    monkeypatch.setattr(pdf, "poster_pdf", counting)
    monkeypatch.setattr(outreach_web, "_PDF_CACHE", {})
    first = await (await client.get(f"/poster/{UNIT}.pdf")).read()
    second = await (await client.get(f"/poster/{UNIT}.pdf")).read()
    assert first == second and first.startswith(b"%PDF")
    assert len(calls) == 1 and calls[0] != threading.main_thread().name
