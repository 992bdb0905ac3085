"""`loaxa ask` and `loaxa eval`: exactly the FAQ path the chat uses (see CONTRACTS.md)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings


def _load(args: argparse.Namespace) -> tuple[Any, Any]:
    from bot.content.loader import load_content

    overrides = {"default_unit": args.unit} if args.unit else {}
    settings = Settings.from_env(**overrides)
    content = load_content(settings.content_dir)
    layers = _layers(settings)
    if layers:  # staff edits from the console win over the files (bot/faq_edits.py)
        content.faq = content.faq.with_layers(layers)
    key = settings.default_unit or sorted(content.units)[0]
    if key not in content.units:
        raise SystemExit(f"unknown unit {key!r}; known: {', '.join(sorted(content.units))}")
    return content, content.units[key]


def _layers(settings: Settings) -> list[Any]:
    """The console's FAQ edits in the database at DATABASE_URL (none if it does not exist)."""
    from bot.faq_reload import read_layers_sync

    try:
        return read_layers_sync(settings.resolved_database_url)
    except Exception as exc:  # an unreachable database: answer from the files, say so
        print(f"warning: FAQ edits not read from the database: {exc}", file=sys.stderr)
        return []


def _result(content: Any, unit: Any, text: str) -> dict[str, Any]:
    from bot.replies import reply_text

    understood = content.faq.understand(text, unit.key)
    best = understood.answered
    address = _address_reply(content, unit, text)
    if address is not None:  # the chat's address lookup (handlers/ask.py) comes first
        best = None
    return {
        "intent": "address" if address else understood.intent,
        "decision": "route" if address else understood.decision,
        "topic": best.topic if best else None,
        "entry": best.entry if best else None,
        "confidence": round(float(understood.confidence), 4),
        "candidates": [
            {"entry": c.entry, "topic": c.topic, "score": round(float(c.score), 4)}
            for c in understood.candidates[:5]
        ],
        "code": understood.code,
        "reply": address or reply_text(understood, text, unit, content.faq, content.messages),
    }


def _address_reply(content: Any, unit: Any, text: str) -> str | None:
    """What the chat says to "phường Bến Nghé, quận 1 giờ là phường gì" (handlers/ask.py)."""
    import asyncio

    from bot.address import AddressBook, reply_for
    from faq.address import old_address

    old = old_address(text)
    if old is None or content.address is None:
        return None
    book = AddressBook(content.address)
    reply = reply_for(asyncio.run(book.convert(old)), book.note)
    if reply is None:
        return None
    key, context = reply
    return str(content.messages.render(key, unit=unit, **context))


def cmd_ask(args: argparse.Namespace) -> int:
    content, unit = _load(args)
    texts = sys.stdin.read().splitlines() if args.text == "-" else [args.text]
    for text in texts:
        result = _result(content, unit, text)
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            head = f"{result['intent']} {result['decision']} {result['confidence']:.2f}"
            print(f"[{head}] {result['reply']}")
            for c in result["candidates"]:
                print(f"   {c['score']:.3f}  {c['entry']}  ({c['topic']})")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from faq.evaluate import compute_metrics, intent_metrics, percentile

    content, unit = _load(args)
    items: list[dict[str, Any]] = []
    for path in args.files:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            return 2
        if not isinstance(data, list):
            print(f"{path}: expected a YAML list of items with q and topic", file=sys.stderr)
            return 2
        items.extend(data)
    items = [i for i in items if isinstance(i, dict)]
    results, latencies = [], []
    for item in items:
        start = time.perf_counter()
        results.append(content.faq.understand(str(item.get("q") or ""), unit.key))
        latencies.append((time.perf_counter() - start) * 1e6)
    # FAQ metrics on FAQ items (and out-of-scope ones); intent metrics on labelled intents.
    faq_pairs = [
        (i, r, t)
        for i, r, t in zip(items, results, latencies, strict=True)
        if i.get("intent") in (None, "faq", "oos")
    ]
    metrics = compute_metrics(
        [p[0] for p in faq_pairs],
        [p[1] for p in faq_pairs],
        [p[2] for p in faq_pairs] or latencies,
        content.faq.listed_topics,
    )
    metrics["latency_p50_us"] = round(percentile(latencies, 50), 1)
    metrics["latency_p99_us"] = round(percentile(latencies, 99), 1)
    if any("intent" in i for i in items):
        metrics.update(intent_metrics(items, results, content.faq.listed_topics))
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        for key, value in metrics.items():
            print(f"{key:>18}: {value}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write content/faq with the console's edits applied, for a maintainer to commit."""
    from bot.faq_edits import edited_entries, export_dir

    content, _ = _load(args)
    settings = Settings.from_env()
    unit = args.unit or None
    if unit and unit not in content.units:
        raise SystemExit(f"unknown unit {unit!r}; known: {', '.join(sorted(content.units))}")
    written = export_dir(content.faq, settings.content_dir / "faq", Path(args.out), unit)
    edited = len(edited_entries(content.faq, unit))
    print(f"{len(written)} file(s) written to {args.out}; {edited} entr(y/ies) from the console.")
    for line in content.faq.layer_errors:
        print(f"  skipped (invalid now): {line}", file=sys.stderr)
    return 0


def add_commands(sub: Any) -> None:
    ask = sub.add_parser("ask", help="put one message through the FAQ (or - for stdin lines)")
    ask.add_argument("text")
    ask.add_argument("--unit")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=cmd_ask)
    ev = sub.add_parser("eval", help="evaluate the FAQ on YAML files of {q, topic}")
    ev.add_argument("files", nargs="+")
    ev.add_argument("--unit")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_eval, inputs=("files",))
    faq = sub.add_parser("faq", help="FAQ tools")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    ex = faq_sub.add_parser("export", help="write content/faq with the console's edits applied")
    ex.add_argument("--out", required=True, help="directory to write the YAML files to")
    ex.add_argument("--unit", help="also apply this unit's own versions")
    ex.set_defaults(func=cmd_export)
