"""A province's FAQ edits reach its communes; a commune's own edit wins; others are untouched."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.content.faq import load_faq_dir
from bot.faq_service import FaqLayer, FaqService, load_lexicon
from bot.settings import REPO_ROOT

CONTENT = REPO_ROOT / "content"
PARENTS = {
    "tinh-dong-nai": None,
    "xa-binh-minh": "tinh-dong-nai",
    "phuong-phuoc-tan": "tinh-dong-nai",
}


def raw_entry(entry_id: str) -> dict:  # type: ignore[type-arg]
    for path in sorted(Path(CONTENT / "faq").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get("entries", []):
            if entry["id"] == entry_id:
                return dict(entry)
    raise AssertionError(entry_id)


def test_province_edits_are_inherited_and_commune_edits_override() -> None:
    base = load_faq_dir(CONTENT / "faq", CONTENT / "topics.yaml")
    lexicon = load_lexicon(CONTENT / "lexicon.yaml")
    entry_id = "khai-sinh-dung-han"
    original = base.by_id()[entry_id].title
    province = {**raw_entry(entry_id), "title": "Khai sinh (hướng dẫn của tỉnh)"}
    commune = {**raw_entry(entry_id), "title": "Khai sinh tại xã Bình Minh"}
    service = FaqService.build(
        base,
        lexicon,
        [
            FaqLayer(entry_id, "tinh-dong-nai", province, 1),
            FaqLayer(entry_id, "xa-binh-minh", commune, 1),
        ],
        parents=PARENTS,
    )
    assert service.layer_errors == []
    assert service.title(entry_id, "phuong-phuoc-tan") == "Khai sinh (hướng dẫn của tỉnh)"
    assert service.title(entry_id, "xa-binh-minh") == "Khai sinh tại xã Bình Minh"
    assert service.title(entry_id, "tinh-dong-nai") == "Khai sinh (hướng dẫn của tỉnh)"
    assert service.title(entry_id) == original  # units outside the family see the files
    # The inheritance survives a reload with new layers (as after a console edit).
    reloaded = service.with_layers(service.layers)
    assert reloaded.title(entry_id, "phuong-phuoc-tan") == "Khai sinh (hướng dẫn của tỉnh)"
    # Matching for the commune uses its own index.
    match = service.match("đăng ký khai sinh cho con mới sinh", "phuong-phuoc-tan")
    assert match.candidates and match.candidates[0].entry == entry_id
