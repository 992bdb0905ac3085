"""Routes: QR posters and FAQ cards (public), campaign exports (console sign-in required).

    GET /poster/{unit}                      A4 poster, print-ready HTML
    GET /poster/{unit}.pdf                  the same poster as PDF
    GET /poster/{unit}/faq/{entry_id}       card of one FAQ entry (procedure + ask-the-bot codes)
    GET /console/outreach/{unit}/campaign/{id}/{channel}.{txt|html}
        channel: radio | post | sms | leaflet; an approved campaign only. The leaflet's QR
        codes and printed links go through the campaign's counted short links (/r/{token}).

The export routes live under /console/ so the console's session cookie (Path=/console/) reaches
them; they run behind the console's own middlewares and its `require` check.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Mapping

from aiohttp import web
from markupsafe import Markup

from bot.campaigns.links import ensure_links, find_urls, rewrite, short_url, trackable
from bot.campaigns.render import RenderError, render_template
from bot.console.auth import require
from bot.console.keys import console_app_key
from bot.content.units import Unit
from bot.db.models_campaigns import Campaign
from bot.keys import services_key, sessionmaker_key, settings_key, telegram_bots_key
from bot.outreach.links import UnitLinks, unit_links
from bot.outreach.poster import faq_card_html, poster_html
from bot.outreach.texts import (
    export_file,
    leaflet_codes,
    leaflet_html,
    render_exports,
    render_exports_html,
)

environ_key = web.AppKey("outreach_environ", dict[str, str])
EXPORT_PREFIX = "/console/outreach/"
APPROVED = ("scheduled", "sending", "paused", "sent")
_UNIT = "{unit:[a-z0-9]+(?:-[a-z0-9]+)*}"


def _unit(request: web.Request) -> Unit:
    unit = request.config_dict[services_key].units.get(request.match_info["unit"])
    if unit is None:
        raise web.HTTPNotFound(text="unknown unit")
    return unit


def _telegram_usernames(app: web.Application) -> dict[str, str]:
    """Usernames the running bots learnt from getMe (empty before they start)."""
    names: dict[str, str] = {}
    for unit, channel in (app.get(telegram_bots_key) or {}).items():
        with contextlib.suppress(Exception):  # PTB raises until the bot is initialised
            if channel.bot.username:
                names[unit] = channel.bot.username
    return names


def links_for(request: web.Request, unit: Unit) -> UnitLinks:
    app = request.config_dict
    services = app[services_key]
    stored = app.get(environ_key)
    env: Mapping[str, str] = os.environ if stored is None else stored
    return unit_links(
        unit,
        app[settings_key],
        env,
        default_unit=services.default_unit.key,
        telegram_runtime=_telegram_usernames(request.app),
    )


def _html(body: str) -> web.Response:
    return web.Response(text=body, content_type="text/html", charset="utf-8")


async def poster(request: web.Request) -> web.Response:
    unit = _unit(request)
    pdf_url = str(request.app.router["poster_pdf"].url_for(unit=unit.key))
    return _html(poster_html(unit, links_for(request, unit), pdf_url=pdf_url))


_PDF_LOCK = threading.Lock()  # one poster rendered at a time per process
_PDF_CACHE: dict[tuple[str, str], bytes] = {}  # (unit, its links) → the PDF
_PDF_CACHE_MAX = 64


def _poster_pdf_cached(unit: Unit, links: UnitLinks) -> bytes:
    """The poster of a unit only changes with its links: render it once, in a worker thread
    (a public URL must not make the server render PDFs on the event loop at will)."""
    from bot.outreach.pdf import poster_pdf  # fpdf costs ~20 MB: only load it when asked

    key = (unit.key, repr(links))
    with _PDF_LOCK:
        body = _PDF_CACHE.get(key)
        if body is None:
            body = poster_pdf(unit, links)
            if len(_PDF_CACHE) >= _PDF_CACHE_MAX:
                _PDF_CACHE.clear()
            _PDF_CACHE[key] = body
    return body


async def poster_pdf_view(request: web.Request) -> web.Response:
    unit = _unit(request)
    body = await asyncio.to_thread(_poster_pdf_cached, unit, links_for(request, unit))
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="poster-{unit.key}.pdf"'},
    )


async def faq_card(request: web.Request) -> web.Response:
    unit = _unit(request)
    entries = request.config_dict[services_key].faq.entries
    entry = entries.get(request.match_info["entry_id"])
    if entry is None:
        raise web.HTTPNotFound(text="unknown FAQ entry")
    links = links_for(request, unit)
    return _html(faq_card_html(entry, unit, request.config_dict[settings_key], links))


@require("volunteer", unit_from="unit")
async def campaign_export(request: web.Request) -> web.StreamResponse:
    unit = _unit(request)
    channel, ext = request.match_info["channel"], request.match_info["ext"]
    async with request.config_dict[sessionmaker_key]() as sess:
        campaign = await sess.get(Campaign, int(request.match_info["cid"]))
    if campaign is None or campaign.unit != unit.key:
        raise web.HTTPNotFound()
    if campaign.status not in APPROVED:
        raise web.HTTPConflict(
            text="Chiến dịch chưa được duyệt: chỉ xuất bản chiến dịch đã duyệt.",
            content_type="text/plain",
        )
    try:
        text = campaign.rendered or render_template(campaign.template, unit)
        if channel == "leaflet" and ext == "html":
            body, content_type = await _counted_leaflet(request, campaign, text, unit), "text/html"
        else:
            body, content_type = export_file(channel, ext, text, unit)
    except (RenderError, ValueError):
        raise web.HTTPNotFound() from None
    name = f"chien-dich-{campaign.id}-{channel}.{ext}"
    disposition = "attachment" if ext == "txt" else "inline"
    return web.Response(
        text=body,
        content_type=content_type,
        charset="utf-8",
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


async def _counted_leaflet(request: web.Request, campaign: Campaign, text: str, unit: Unit) -> str:
    """The printed leaflet of a campaign: its QR codes and printed links go through the
    campaign's short links (channel "poster"), so scans are counted in its reach. Without
    PUBLIC_URL the links stay as they are."""
    base = request.config_dict[settings_key].public_url
    urls = [*find_urls(text), *(code.url for code in leaflet_codes(unit))]
    urls = [url for url in urls if trackable(url, base)]
    if not urls:
        return leaflet_html(text, unit)
    now = request.config_dict[services_key].clock()
    async with request.config_dict[sessionmaker_key].begin() as sess:
        tokens = await ensure_links(sess, unit.key, campaign.id, "poster", urls, now)
    short = {url: short_url(base, token) for url, token in tokens.items()}
    return leaflet_html(rewrite(text, tokens, base), unit, short=short)


def export_url(unit: str, campaign_id: int, channel: str, ext: str) -> str:
    return f"{EXPORT_PREFIX}{unit}/campaign/{campaign_id}/{channel}.{ext}"


DOWNLOADS = (("radio", "txt"), ("post", "txt"), ("sms", "txt"), ("leaflet", "html"))


def exports_block(unit: Unit, campaign: Campaign) -> Markup | None:
    """The "Xuất bản" block of an approved campaign's console page (None before approval)."""
    if campaign.status not in APPROVED:
        return None
    try:
        text = campaign.rendered or render_template(campaign.template, unit)
    except RenderError:
        return None
    downloads = {
        f"{channel}.{ext}": export_url(unit.key, campaign.id, channel, ext)
        for channel, ext in DOWNLOADS
    }
    return render_exports_html(render_exports(text, unit), downloads)


def setup(app: web.Application, environ: Mapping[str, str] | None = None) -> None:
    """Add the poster routes; mount the export routes when the console is there (call after
    the console's setup)."""
    app[environ_key] = dict(os.environ if environ is None else environ)
    r = app.router
    r.add_get(f"/poster/{_UNIT}.pdf", poster_pdf_view, name="poster_pdf")
    r.add_get(f"/poster/{_UNIT}", poster, name="poster")
    r.add_get(f"/poster/{_UNIT}/faq/{{entry_id}}", faq_card, name="poster_faq")
    console = app.get(console_app_key)
    if console is None:
        return
    exports = web.Application(middlewares=list(console.middlewares))
    exports.router.add_get(
        f"/{_UNIT}/campaign/{{cid:[0-9]+}}/{{channel:[a-z]+}}.{{ext:txt|html}}",
        campaign_export,
        name="campaign_export",
    )
    app.add_subapp(EXPORT_PREFIX, exports)
