"""Benchmark of the FAQ matcher against two baselines (prints numbers, asserts nothing).

Usage (from the repository root)::

    .venv/bin/python bench/faq.py [--eval PATH] [--with-fixture] [--size 2000]

- Content: content/faq/*.yaml via bot.content.faq.load_faq_dir (falls back to a minimal reader
  while the content does not validate); lexicon: content/lexicon.yaml.
- ``--with-fixture`` adds the test fixture's entries (tests/faq/fixture_faq.yaml) for listed
  topics that the content does not cover yet (development only).
- Methods, all on the same entries, in one process:
  * ``ours``: faq.matcher.MatcherIndex (decision from its thresholds);
  * ``wratio_raw``: ``rapidfuzz.process.extractOne(q, titles+questions, scorer=WRatio)`` on raw
    text (processor=None); decision: answer when score >= 90, clarify when >= 60, else fallback;
  * ``bm25_raw``: bm25s over lower-cased raw text (no folding, no lexicon), entries as documents;
    decision: answer when top1 >= 1.5 x top2, clarify when any hit, else fallback.
- Then the latency again with the content inflated to ``--size`` entries (synthetic entries made
  by recombining syllables of real titles and questions).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.faq_service import TOPIC_MODEL, load_intent_examples, load_intent_model  # noqa: E402
from faq.evaluate import compute_metrics  # noqa: E402
from faq.intent_index import build_intent_index  # noqa: E402
from faq.lexicon import lexicon_from_mapping  # noqa: E402
from faq.matcher import MatcherIndex  # noqa: E402
from faq.types import Candidate, Decision, FaqDoc, Match  # noqa: E402
from faq.understand import understand  # noqa: E402

Matcher = Callable[[str], Any]
KEYS = ("top1", "top3", "answered_correct", "clarify_hit", "useful", "confident_wrong")
KEYS_ALL = (*KEYS, "oos_rejected", "oos_honest", "latency_p50_us", "latency_p99_us")


def _doc(raw: dict[str, Any]) -> FaqDoc:
    return FaqDoc(
        id=str(raw["id"]),
        topic=str(raw["topic"]),
        title=str(raw["title"]),
        questions=tuple(str(q) for q in raw.get("questions") or ()),
        keywords=tuple(str(k) for k in raw.get("keywords") or ()),
    )


def load_docs(with_fixture: bool) -> tuple[list[FaqDoc], set[str]]:
    shared_topics = yaml.safe_load((ROOT.parent / "shared/faq/topics.yaml").read_text("utf-8"))
    listed = {k for group in shared_topics.values() for k in group}
    docs: list[FaqDoc]
    try:
        from bot.content.faq import load_faq_dir

        content = load_faq_dir(ROOT / "content/faq", ROOT / "content/topics.yaml")
        docs = [e.to_doc() for e in content.entries]
        print(f"content: {len(docs)} entries via bot.content.faq.load_faq_dir")
    except Exception as exc:  # content in progress: read it minimally
        print(f"content: loader failed ({str(exc)[:120]}...); minimal reader")
        docs = []
        for path in sorted((ROOT / "content/faq").glob("*.yaml")):
            data = yaml.safe_load(path.read_text("utf-8")) or {}
            docs.extend(_doc(e) for e in data.get("entries") or [])
    if with_fixture:
        covered = {d.topic for d in docs}
        fx = yaml.safe_load((ROOT / "tests/faq/fixture_faq.yaml").read_text("utf-8"))
        extra = [_doc(e) for e in fx["entries"] if e["topic"] in listed - covered]
        print(f"fixture: +{len(extra)} entries for uncovered topics")
        docs += extra
    missing = sorted(listed - {d.topic for d in docs})
    if missing:
        print(f"listed topics without an entry ({len(missing)}): {', '.join(missing)}")
    return docs, listed


def wratio_matcher(docs: Sequence[FaqDoc]) -> Matcher:
    choices: list[str] = []
    owner: list[FaqDoc] = []
    for d in docs:
        for text in (d.title, *d.questions):
            choices.append(text)
            owner.append(d)

    def match(q: str) -> Match:
        hit = process.extractOne(q, choices, scorer=fuzz.WRatio)
        if hit is None:
            return Match("fallback", 0.0)
        score = hit[1] / 100.0
        d = owner[hit[2]]
        decision: Decision = (
            "answer" if score >= 0.9 else "clarify" if score >= 0.6 else "fallback"
        )
        return Match(decision, score, (Candidate(d.id, d.topic, score),))

    return match


def bm25_matcher(docs: Sequence[FaqDoc]) -> Matcher:
    corpus = [" ".join((d.title, *d.questions, *d.keywords)).lower() for d in docs]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords=None, show_progress=False), show_progress=False
    )
    k = min(5, len(docs))

    def match(q: str) -> Match:
        qt = bm25s.tokenize([q.lower()], stopwords=None, show_progress=False)
        if not qt.vocab:
            return Match("fallback", 0.0)
        ids, scores = retriever.retrieve(qt, k=k, show_progress=False, n_threads=1)
        pairs = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]
        if not pairs:
            return Match("fallback", 0.0)
        top = pairs[0][1]
        cands = tuple(Candidate(docs[i].id, docs[i].topic, round(s / top, 4)) for i, s in pairs)
        second = pairs[1][1] if len(pairs) > 1 else 0.0
        decision: Decision = "answer" if top >= 1.5 * second else "clarify"
        return Match(decision, 1.0, cands)

    return match


_MODEL = load_intent_model()
_TOPICS = load_intent_model(TOPIC_MODEL)


def understanding(index: MatcherIndex, listed: set[str]) -> Matcher:
    """The whole path the chat takes: cue rules, the FAQ and the answer policy, the phrasings
    of content/intents.yaml and the learned intent and topic models (as bot/faq_service.py
    does)."""
    frozen = frozenset(listed)
    examples = load_intent_examples(ROOT / "content" / "intents.yaml")
    intents = build_intent_index(examples, index.lex)
    return lambda q: understand(
        q, index, listed=frozen, intents=intents, model=_MODEL, topics=_TOPICS
    )


def run(matcher: Matcher, items: Sequence[dict[str, Any]], listed: set[str]) -> dict[str, Any]:
    matches: list[Any] = []
    lat: list[float] = []
    for it in items:
        t0 = time.perf_counter()
        m = matcher(str(it["q"]))
        lat.append((time.perf_counter() - t0) * 1e6)
        matches.append(m)
    return compute_metrics(items, matches, lat, listed)


def fmt(v: Any) -> str:
    if v is None:
        return "   -  "
    if isinstance(v, float) and v <= 1.0:
        return f"{v:6.3f}"
    return f"{v:6.0f}" if isinstance(v, float) else f"{v:6}"


def print_table(results: dict[str, dict[str, Any]]) -> None:
    names = list(results)
    print(f"{'metric':<18}" + "".join(f"{n:>14}" for n in names))
    for key in KEYS_ALL:
        print(f"{key:<18}" + "".join(f"{fmt(results[n][key]):>14}" for n in names))
    styles = sorted({s for r in results.values() for s in r["by_style"]})
    for s in styles:
        for key in ("useful", "top3", "answered_correct", "confident_wrong", "oos_rejected"):
            vals = [results[n]["by_style"].get(s, {}).get(key) for n in names]
            if all(v is None for v in vals):
                continue
            print(f"style {s} {key:<10}" + "".join(f"{fmt(v):>14}" for v in vals))


def inflate(docs: Sequence[FaqDoc], size: int, seed: int = 7) -> list[FaqDoc]:
    rng = random.Random(seed)
    sylls = [w for d in docs for t in (d.title, *d.questions) for w in t.split()]
    out = list(docs)
    i = 0
    while len(out) < size:

        def phrase(lo: int, hi: int) -> str:
            return " ".join(rng.choice(sylls) for _ in range(rng.randint(lo, hi)))

        out.append(
            FaqDoc(
                id=f"synthetic-{i}",
                topic=f"synthetic_{i % 97}",
                title=phrase(4, 9),
                questions=tuple(phrase(5, 12) for _ in range(rng.randint(4, 8))),
                keywords=tuple(phrase(1, 3) for _ in range(rng.randint(0, 4))),
            )
        )
        i += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", default=str(ROOT.parent / "shared/faq/eval-dev.yaml"))
    ap.add_argument("--with-fixture", action="store_true")
    ap.add_argument("--size", type=int, default=2000)
    args = ap.parse_args()
    items = yaml.safe_load(Path(args.eval).read_text("utf-8"))
    docs, listed = load_docs(args.with_fixture)
    lexicon = lexicon_from_mapping(
        yaml.safe_load((ROOT / "content/lexicon.yaml").read_text("utf-8"))
    )
    t0 = time.perf_counter()
    index = MatcherIndex.build(docs, lexicon)
    print(f"index build: {len(docs)} entries in {(time.perf_counter() - t0) * 1000:.0f} ms")
    print(f"\n== {args.eval}: {len(items)} items ==")
    results = {
        "ours": run(understanding(index, listed), items, listed),
        "wratio_raw": run(wratio_matcher(docs), items, listed),
        "bm25_raw": run(bm25_matcher(docs), items, listed),
    }
    print_table(results)

    reg_path = ROOT / "tests/faq/regression.yaml"
    reg = yaml.safe_load(reg_path.read_text("utf-8"))
    print(f"\n== own regression set {reg_path.relative_to(ROOT)}: {len(reg)} items ==")
    print_table({"ours": run(understanding(index, listed), reg, listed)})

    big = inflate(docs, args.size)
    t0 = time.perf_counter()
    big_index = MatcherIndex.build(big, lexicon)
    print(f"\n== inflated to {len(big)} entries (build {(time.perf_counter() - t0):.2f} s) ==")
    big_results = {
        "ours": run(understanding(big_index, listed), items, listed),
        "bm25_raw": run(bm25_matcher(big), items, listed),
    }
    sample = items[:: max(1, len(items) // 60)]  # WRatio is slow at this size: a sample
    big_results["wratio_raw(sample)"] = run(wratio_matcher(big), sample, listed)
    print_table(big_results)
    lat = np.array([big_results["ours"]["latency_p50_us"], big_results["ours"]["latency_p99_us"]])
    print(f"\nours at {len(big)} entries: p50 {lat[0]:.0f} us, p99 {lat[1]:.0f} us (one core)")
    # Latency of the whole understanding path on every kind of message, incl. long ones.
    mixed = [*items, *reg, *({"q": str(i["q"]), "topic": None} for i in _intent_items())]
    big_mixed = run(understanding(big_index, listed), mixed, listed)
    print(
        f"understanding path, {len(mixed)} mixed messages at {len(big)} entries: "
        f"p50 {big_mixed['latency_p50_us']:.0f} us, p99 {big_mixed['latency_p99_us']:.0f} us"
    )


def _intent_items() -> list[dict[str, Any]]:
    path = ROOT.parent / "shared/faq/eval-intents-dev.yaml"
    return list(yaml.safe_load(path.read_text("utf-8"))) if path.exists() else []


if __name__ == "__main__":
    main()
