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
    key = settings.default_unit or sorted(content.units)[0]
    if key not in content.units:
        raise SystemExit(f"unknown unit {key!r}; known: {', '.join(sorted(content.units))}")
    return content, content.units[key]


def _result(content: Any, unit: Any, text: str) -> dict[str, Any]:
    match = content.faq.match(text, unit.key)
    best = match.best if match.decision == "answer" else None
    return {
        "decision": match.decision,
        "topic": best.topic if best else None,
        "entry": best.entry if best else None,
        "confidence": round(float(match.confidence), 4),
        "candidates": [
            {"entry": c.entry, "topic": c.topic, "score": round(float(c.score), 4)}
            for c in match.candidates[:5]
        ],
        "reply": content.faq.reply_text(match, unit, content.messages),
    }


def cmd_ask(args: argparse.Namespace) -> int:
    content, unit = _load(args)
    texts = sys.stdin.read().splitlines() if args.text == "-" else [args.text]
    for text in texts:
        result = _result(content, unit, text)
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print(f"[{result['decision']} {result['confidence']:.2f}] {result['reply']}")
            for c in result["candidates"]:
                print(f"   {c['score']:.3f}  {c['entry']}  ({c['topic']})")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from faq.evaluate import compute_metrics

    content, unit = _load(args)
    items: list[dict[str, Any]] = []
    for path in args.files:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, list):
            print(f"{path}: expected a YAML list of items with q and topic", file=sys.stderr)
            return 2
        items.extend(data)
    matches, latencies = [], []
    for item in items:
        start = time.perf_counter()
        matches.append(content.faq.match(str(item.get("q", "")), unit.key))
        latencies.append((time.perf_counter() - start) * 1e6)
    metrics = compute_metrics(items, matches, latencies, content.faq.listed_topics)
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        for key, value in metrics.items():
            print(f"{key:>18}: {value}")
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
    ev.set_defaults(func=cmd_eval)
