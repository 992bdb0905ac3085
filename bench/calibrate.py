"""Fit the answer policy (faq/understand.Policy) on labelled data of our own, and print the
reliability table (confidence bucket -> share of first candidates that are right).

Usage (from the repository root)::

    .venv/bin/python bench/calibrate.py [--grid] [--near-miss tests/faq/near_miss_own.yaml]

Labelled data (never the evaluation sets of ../shared):
- ``tests/faq/heldout_own.yaml`` and ``tests/faq/regression.yaml`` (written by hand);
- leave-one-out paraphrases: each question of each FAQ entry, asked against an index built
  without that question, as typed and without diacritics (what the bot sees for a phrasing it
  has never stored);
- ``tests/faq/near_miss_own.yaml``: near-miss questions (a sibling variant, or nothing fits).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from faq import intent_cues as cues  # noqa: E402
from faq.intents import prepare  # noqa: E402
from faq.matcher import MatcherIndex  # noqa: E402
from faq.normalize import fold  # noqa: E402
from faq.understand import DEFAULT_POLICY, Policy, understand  # noqa: E402

Item = dict[str, Any]
BUCKETS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.01)


def own_items(paths: Iterable[Path]) -> list[Item]:
    items: list[Item] = []
    for path in paths:
        if path.exists():
            items += [dict(i, source=path.name) for i in yaml.safe_load(path.read_text("utf-8"))]
    return items


def loo_runs(faq: Any, lexicon: Any, limit: int | None = None) -> list[tuple[Item, Any]]:
    """(item, understanding) for each stored question asked of an index without it."""
    docs = [e.to_doc() for e in faq.content.entries]
    out: list[tuple[Item, Any]] = []
    for k, doc in enumerate(docs):
        if len(doc.questions) < 2:
            continue
        for j, q in enumerate(doc.questions[: limit or None]):
            rest = replace(doc, questions=doc.questions[:j] + doc.questions[j + 1 :])
            index = MatcherIndex.build([*docs[:k], rest, *docs[k + 1 :]], lexicon)
            for text in (q, fold(q)):
                item = {"q": text, "topic": doc.topic, "source": "loo"}
                out.append((item, understand(text, index, DEFAULT_POLICY, faq.listed)))
    return out


def right(item: Item, topic: str | None) -> bool:
    return topic is not None and (topic == item.get("topic") or topic in (item.get("also") or ()))


def table(runs: Sequence[tuple[Item, Any]]) -> None:
    print("confidence bucket | n in scope | first candidate right")
    for lo, hi in pairwise(BUCKETS):
        inb = [
            (i, u)
            for i, u in runs
            if i.get("topic") and u.match is not None and lo <= u.match.confidence < hi
        ]
        ok = sum(right(i, u.match.candidates[0].topic) for i, u in inb if u.match.candidates)
        share = f"{ok / len(inb):.2f}" if inb else "-"
        print(f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'} | {len(inb):4d} | {share}")


def table2d(runs: Sequence[tuple[Item, Any]]) -> None:
    """Share of right first candidates by confidence (rows) and lead over another topic."""
    from faq.understand import margin_of

    cb, mb = (0, 0.6, 0.7, 0.8, 0.85, 0.9, 1.01), (-1, 0.03, 0.06, 0.1, 0.15, 0.25, 2)
    print("conf \\ lead  " + "  ".join(f"<{m:<6}" for m in mb[1:]))
    rows = [
        (u.match.confidence, margin_of(u.match), right(i, u.match.candidates[0].topic))
        for i, u in runs
        if i.get("topic") and u.match is not None and u.match.candidates
    ]
    for a, b in pairwise(cb):
        cells = []
        for x, y in pairwise(mb):
            sel = [r for r in rows if a <= r[0] < b and x <= r[1] < y]
            cells.append(f"{sum(r[2] for r in sel)}/{len(sel)}")
        print(f"[{a:.2f},{min(b, 1):.2f}) " + "  ".join(f"{c:>7}" for c in cells))


def score(runs: Sequence[tuple[Item, Any]], policy: Policy, listed: set[str]) -> dict[str, float]:
    from faq.understand import decide

    n_in = answered = clarified = wrong = oos_honest = n_out = 0
    for item, u in runs:
        if u.match is None or u.decision == "route":
            continue
        prepared = prepare(str(item["q"]))
        oos_cue = bool(cues.OOS.search(prepared))
        national = bool(cues.OOS_NATIONAL.search(prepared))
        words = len(prepared.split())
        d = decide(
            u.match,
            policy,
            oos_cue=oos_cue,
            listed=frozenset(listed),
            words=words,
            no_clarify=national,
        )
        top = u.match.candidates[0].topic if u.match.candidates else None
        expected = item.get("topic")
        if d == "answer" and top in listed and not right(item, top):
            wrong += 1
        if expected is None:
            n_out += 1
            oos_honest += d == "fallback" or (d == "answer" and top not in listed)
            continue
        n_in += 1
        answered += d == "answer" and right(item, top)
        clarified += d == "clarify" and any(right(item, c.topic) for c in u.match.candidates[:3])
    n = n_in + n_out
    return {
        "answered_correct": answered / max(n_in, 1),
        "useful": (answered + clarified) / max(n_in, 1),
        "confident_wrong": wrong / max(n, 1),
        "oos_honest": oos_honest / max(n_out, 1),
    }


def grid(runs: Sequence[tuple[Item, Any]], listed: set[str]) -> None:
    rows = []
    for hi in (0.06, 0.08, 0.1):
        for mid in (0.12, 0.15, 0.2):
            for lo in (0.2, 0.25, 0.3, 1.0):
                for cc in (0.45, 0.5, 0.55, 0.6):
                    rules = ((0.85, hi), (0.8, mid), (0.7, lo))
                    p = replace(DEFAULT_POLICY, answer_rules=rules, clarify_conf=cc)
                    m = score(runs, p, listed)
                    ok = m["confident_wrong"] <= 0.01 and m["useful"] >= 0.95
                    rows.append((ok, m["answered_correct"] + m["oos_honest"] / 4, m, p))
    rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for ok, _, m, p in rows[:10]:
        print(
            f"{'ok ' if ok else 'bad'} answer {p.answer_rules} clarify>={p.clarify_conf}: "
            + ", ".join(f"{k} {v:.3f}" for k, v in m.items())
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--grid", action="store_true", help="search policy parameters")
    ap.add_argument("--no-loo", action="store_true", help="own sets only (fast)")
    args = ap.parse_args()
    content = load_content(ROOT / "content")
    faq = content.faq
    own = own_items(ROOT / "tests/faq" / n for n in (
        "heldout_own.yaml", "regression.yaml", "near_miss_own.yaml", "intents_own.yaml"
    ))  # fmt: skip
    own = [i for i in own if "intent" not in i or i["intent"] in ("faq", "oos")]
    runs = [(i, understand(str(i["q"]), faq.index, DEFAULT_POLICY, faq.listed)) for i in own]
    if not args.no_loo:
        runs += loo_runs(faq, faq.lexicon)
    print(
        f"{len(runs)} labelled messages ({sum(1 for i, _ in runs if not i.get('topic'))} "
        "out of scope)"
    )
    table(runs)
    table2d(runs)
    for name in [*sorted({str(i.get("source")) for i, _ in runs}), "all"]:
        part = [(i, u) for i, u in runs if name in ("all", i.get("source"))]
        m = score(part, DEFAULT_POLICY, faq.listed_topics)
        print(
            f"policy on {name} ({len(part)}): " + ", ".join(f"{k} {v:.3f}" for k, v in m.items())
        )
    if args.grid:
        grid(runs, faq.listed_topics)


if __name__ == "__main__":
    main()
