"""`loaxa poster` and `loaxa outreach`: the same outputs as the routes, from the command line.

loaxa poster xa-binh-minh --out poster.html        (or .pdf; --faq ENTRY_ID for a card)
loaxa outreach radio --unit xa-binh-minh --text tin.txt   (radio | sms | post | leaflet | all)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.units import Unit, load_units
from bot.settings import Settings, SettingsError


def _err(message: object) -> None:
    sys.stderr.write(f"{message}\n")


CHOICES = ("radio", "sms", "post", "leaflet", "all")


def _units(settings: Settings) -> dict[str, Unit]:
    return load_units(settings.content_dir / "units")


def _default_key(settings: Settings, units: dict[str, Unit]) -> str:
    return settings.default_unit or sorted(units)[0]


def _write(out: str | None, data: str | bytes) -> None:
    if out in (None, "-"):
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    path = Path(str(out))
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    _err(f"Written: {path}")


def cmd_poster(args: argparse.Namespace) -> int:
    from bot.content.faq import load_faq_dir
    from bot.outreach.links import unit_links
    from bot.outreach.pdf import poster_pdf
    from bot.outreach.poster import faq_card_html, poster_html, staff_notes

    try:
        settings = Settings.from_env()
        units = _units(settings)
    except (SettingsError, ContentError) as exc:
        _err(exc)
        return 2
    unit = units.get(args.unit)
    if unit is None:
        _err(f"Unknown unit {args.unit!r}; units: {', '.join(sorted(units))}")
        return 2
    links = unit_links(unit, settings, os.environ, default_unit=_default_key(settings, units))
    out = args.out or f"poster-{unit.key}.html"
    data: str | bytes
    if args.faq:
        faq = load_faq_dir(settings.content_dir / "faq", settings.content_dir / "topics.yaml")
        entry = faq.by_id().get(args.faq)
        if entry is None:
            _err(f"Unknown FAQ entry {args.faq!r}")
            return 2
        data = faq_card_html(entry, unit, settings, links)
    elif out.endswith(".pdf"):
        data = poster_pdf(unit, links)
    else:
        data = poster_html(unit, links)
    for note in staff_notes(unit, links):
        _err(f"Note: {note}")
    _write(out, data)
    return 0


def cmd_outreach(args: argparse.Namespace) -> int:
    from bot.outreach.texts import leaflet_html, radio_txt, render_exports, sms_txt, web_post

    try:
        settings = Settings.from_env()
        units = _units(settings)
    except (SettingsError, ContentError) as exc:
        _err(exc)
        return 2
    key = args.unit or _default_key(settings, units)
    unit = units.get(key)
    if unit is None:
        _err(f"Unknown unit {key!r}; units: {', '.join(sorted(units))}")
        return 2
    text = sys.stdin.read() if args.text == "-" else Path(args.text).read_text(encoding="utf-8")
    if args.channel == "all":
        _write(args.out, json.dumps(render_exports(text, unit), ensure_ascii=False, indent=2))
        return 0
    if args.channel == "sms":
        from bot.outreach.sms import fit_sms

        if args.json:
            fit = dataclasses.asdict(fit_sms(text))
            _write(args.out, json.dumps(fit, ensure_ascii=False, indent=2) + "\n")
            return 0 if fit["parts"] else 1
        _write(args.out, sms_txt(text))
        return 0 if fit_sms(text).parts else 1  # exit 1: it cannot fit
    body = {
        "radio": lambda: radio_txt(text, unit),
        "post": lambda: web_post(text, unit),
        "leaflet": lambda: leaflet_html(text, unit),
    }[args.channel]()
    _write(args.out, body)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    poster = sub.add_parser("poster", help="print-ready QR poster of a unit (HTML or PDF)")
    poster.add_argument("unit", help="unit key, e.g. xa-binh-minh")
    poster.add_argument(
        "--out", help="FILE.html or FILE.pdf (default poster-UNIT.html; - for stdout)"
    )
    poster.add_argument("--faq", metavar="ENTRY_ID", help="the card of one FAQ entry instead")
    poster.set_defaults(func=cmd_poster)
    outreach = sub.add_parser("outreach", help="a campaign text for radio, SMS, web post, leaflet")
    outreach.add_argument("channel", choices=CHOICES)
    outreach.add_argument("--unit", help="unit key (default: DEFAULT_UNIT or the first unit)")
    outreach.add_argument(
        "--text", required=True, help="file with the approved text (- for stdin)"
    )
    outreach.add_argument("--out", help="write to FILE instead of stdout")
    outreach.add_argument("--json", action="store_true", help="sms: the fitting as JSON")
    outreach.set_defaults(func=cmd_outreach, inputs=("text",))
