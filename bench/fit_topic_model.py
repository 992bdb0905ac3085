"""Fit faq/topic_model.py's model (which FAQ topic a message is about) and write it.

Usage (from the repository root; about a minute)::

    .venv/bin/python bench/fit_topic_model.py            # cross-validated report only
    .venv/bin/python bench/fit_topic_model.py --write    # also write faq/models/topics.json.gz

Training data: every stored question of content/faq (labelled with its entry's topic) and the
FAQ messages of our own labelled sets (TRAIN_SETS: bench/data and tests/faq), those outside
the remit as a class of their own (NONE). The sets
of HELD_OUT are never trained on; ../shared evaluation sets are never read. The report splits
the labelled messages in five, fits on four parts and the FAQ's questions, and shows for the
fifth what the understanding path's clarify would become at each threshold of TOPIC_P: answers
right and wrong (the table in docs/faq.md).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fit_intent_model import fit, write  # noqa: E402

from bot.faq_service import FaqService  # noqa: E402
from faq import topic_model  # noqa: E402
from faq.intent_model import IntentModel  # noqa: E402

HELD_OUT = frozenset(
    {
        "faq_styles_final3",
        "faq_styles_final4",
        "intents_final10",
        "intents_final12",
        "intents_final14",
        "intents_final16",
        "heldout_blind",
    }
)
TRAIN_SETS = (
    *sorted(p for p in (ROOT / "bench/data").glob("*.yaml") if p.stem not in HELD_OUT),
    ROOT / "tests/faq/heldout_own.yaml",
    ROOT / "tests/faq/regression.yaml",
    ROOT / "tests/faq/near_miss_own.yaml",
)
OUT = ROOT / "faq" / "models" / "topics.json.gz"
FOLDS = 5
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)

Item = tuple[str, frozenset[str]]  # message, topics that are right for it
# Outside the remit: a class of its own, so that the model is not sure of a topic for "trường
# mầm non mấy giờ đón trẻ" only because "trẻ" is a word of the identity card for children.
NONE = "_none"


def labelled(path: Path) -> list[Item]:
    """In-scope FAQ messages with their topics, and out-of-scope ones as NONE."""
    out = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        if not isinstance(item, dict) or not item.get("q"):
            continue
        intent = item.get("intent") or ("faq" if item.get("topic") else "oos")
        if intent == "oos":
            out.append((str(item["q"]), frozenset({NONE})))
        elif intent == "faq" and item.get("topic"):
            out.append((str(item["q"]), frozenset({item["topic"], *(item.get("also") or ())})))
    return out


def questions(service: FaqService) -> list[tuple[str, str]]:
    return [(q, e.topic) for e in service.content.entries for q in e.to_doc().questions]


def cross_validated(service: FaqService, items: list[Item]) -> None:
    """What the clarify decisions of each held fold become with a model fitted without it."""
    rows: list[tuple[float, bool, bool]] = []  # the picked topic's p, right, was it first
    clarified = right_first = 0
    vetoes: list[tuple[float, float, bool]] = []  # answers: p of another topic, of its, right
    base = questions(service)
    for k in range(FOLDS):
        test = items[k::FOLDS]
        train = [x for i, x in enumerate(items) if i % FOLDS != k]
        model = IntentModel.from_dict(fit(base + [(q, min(ts)) for q, ts in train]))
        for q, topics in test:
            u = service.understand(q)
            if u.decision == "answer" and u.match is not None and not u.match.exact:
                if u.candidates[0].topic not in service.listed:  # an out-of-remit entry
                    continue
                probs = model.probabilities(q)
                answered = u.candidates[0].topic
                other = max((t for t in probs if t != answered), key=probs.__getitem__)
                vetoes.append((probs[other], probs.get(answered, 0.0), answered in topics))
            if u.decision != "clarify":
                continue
            clarified += 1
            right_first += u.candidates[0].topic in topics
            probs = model.probabilities(q)
            picked = topic_model.pick(probs, u.candidates, threshold=0.0, agree=0.0)
            if picked is not None:
                first = picked[0] is u.candidates[0]
                rows.append((probs[picked[0].topic], picked[0].topic in topics, first))
    print(f"{len(items)} labelled messages, {FOLDS}-fold: the rules clarify {clarified} "
          f"({right_first} with the right topic first)")  # fmt: skip
    for t in THRESHOLDS:
        for first, what in ((True, "the first candidate"), (False, "another offered one")):
            chosen = [ok for p, ok, f in rows if p >= t and f == first]
            print(f"  TOPIC_P {t:.1f}, {what}: answered {len(chosen)}, right {sum(chosen)}, "
                  f"wrong {len(chosen) - sum(chosen)}")  # fmt: skip
    print(
        f"  the rules answer {len(vetoes)} (not an exact phrase), "
        f"{sum(not ok for *_, ok in vetoes)} wrong; another topic sure, its own not:"
    )
    for t in THRESHOLDS:
        for own in (0.01, 0.05):
            hit = [ok for other, mine, ok in vetoes if other >= t and mine < own]
            print(f"    other >= {t:.1f}, own < {own}: {len(hit)} answers, "
                  f"{len(hit) - sum(hit)} of them wrong")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    service = FaqService.load(ROOT / "content")
    service.topic_model = None  # the rules' own decisions
    items = [x for path in TRAIN_SETS for x in labelled(path)]
    random.Random(1).shuffle(items)
    cross_validated(service, items)
    data = questions(service) + [(q, min(ts)) for q, ts in items]
    stored: dict[str, Any] = fit(data)
    print(f"fitted on {len(data)} messages, {len(stored['classes'])} topics, "
          f"{len(stored['features'])} features")  # fmt: skip
    if args.write:
        write(stored, OUT)


if __name__ == "__main__":
    main()
