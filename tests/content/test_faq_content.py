"""FAQ content loads and renders; broken content fails loudly, naming file, entry and field."""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.content.errors import ContentError
from bot.content.faq import (
    MAX_ANSWER_CHARS,
    FaqContent,
    load_faq_dir,
    render_answer,
    sample_unit,
    validate_faq_dir,
)
from faq.types import FaqDoc

REPO = Path(__file__).resolve().parents[2]
FAQ_DIR = REPO / "content" / "faq"
TOPICS = REPO / "content" / "topics.yaml"
SHARED_TOPICS = REPO.parent / "shared" / "faq" / "topics.yaml"


@pytest.fixture(scope="module")
def content() -> FaqContent:
    return load_faq_dir(FAQ_DIR, TOPICS)


def test_real_content_loads_without_errors(content: FaqContent) -> None:
    assert validate_faq_dir(FAQ_DIR, TOPICS) == []
    assert len(content.entries) >= 60
    assert len(content.listed_topics) == 53


def test_every_listed_topic_has_an_entry(content: FaqContent) -> None:
    covered = {e.topic for e in content.entries}
    assert content.listed_topics - covered == set()


def test_out_of_remit_topics_are_unlisted_and_covered(content: FaqContent) -> None:
    unlisted = {k for k, t in content.topics.items() if not t.listed}
    assert unlisted
    assert all(k.startswith("ngoai_pham_vi_") for k in unlisted)
    assert unlisted <= {e.topic for e in content.entries}


@pytest.mark.skipif(not SHARED_TOPICS.exists(), reason="shared topic list not present")
def test_listed_topics_match_the_shared_list(content: FaqContent) -> None:
    shared = yaml.safe_load(SHARED_TOPICS.read_text(encoding="utf-8"))
    expected = {
        key: (group, title) for group, items in shared.items() for key, title in items.items()
    }
    ours = {k: (t.group, t.title) for k, t in content.topics.items() if t.listed}
    assert ours == expected


@pytest.mark.parametrize("minimal", [False, True], ids=["full-unit", "optional-fields-none"])
def test_every_answer_renders_for_a_sample_unit(content: FaqContent, minimal: bool) -> None:
    unit = sample_unit(minimal=minimal)
    for entry in content.entries:
        text = render_answer(entry, unit)
        assert text, entry.id
        assert len(text) <= MAX_ANSWER_CHARS, entry.id
        assert "{{" not in text and "{%" not in text, entry.id
        assert "None" not in text, entry.id
        assert unicodedata.is_normalized("NFC", text), entry.id


def test_render_accepts_a_mapping(content: FaqContent) -> None:
    entry = content.by_id()["khai-sinh-dung-han"]
    unit = vars(sample_unit())
    assert "(0251) 1022" in render_answer(entry, unit)


def test_entries_are_typed_and_convert_to_docs(content: FaqContent) -> None:
    entry = content.by_id()["khai-sinh-dung-han"]
    assert isinstance(entry.checked, dt.date)
    assert isinstance(entry.source, tuple) and entry.source
    assert entry.procedure_code == "1.001193"
    doc = entry.to_doc()
    assert isinstance(doc, FaqDoc)
    assert (doc.id, doc.topic, doc.questions) == (entry.id, entry.topic, entry.questions)


# ----------------------------------------------------------------------------- broken content

GOOD_ENTRY = """\
  - id: {id}
    topic: {topic}
    title: Đăng ký khai sinh
    questions:
      - Câu hỏi một {id}
      - Câu hỏi hai {id}
      - Câu hỏi ba {id}
      - Câu hỏi bốn {id}
    answer: |
      {answer}
    level: UBND cấp xã
    url: {url}
    source:
{source}
    checked: 2026-01-02
"""


def _entry(
    entry_id: str = "khai-sinh-thu",
    *,
    topic: str = "khai_sinh",
    answer: str = "Gọi {{ unit.hotline }}.",
    url: str = "https://dichvucong.gov.vn",
    source: str = '      - "Luật Hộ tịch 2014, Điều 16"',
) -> str:
    return GOOD_ENTRY.format(id=entry_id, topic=topic, answer=answer, url=url, source=source)


def _write(tmp_path: Path, files: dict[str, str]) -> Path:
    faq_dir = tmp_path / "faq"
    faq_dir.mkdir()
    for name, body in files.items():
        (faq_dir / name).write_text(body, encoding="utf-8")
    return faq_dir


def _errors(tmp_path: Path, files: dict[str, str]) -> list[str]:
    faq_dir = _write(tmp_path, files)
    with pytest.raises(ContentError) as info:
        load_faq_dir(faq_dir, TOPICS)
    return info.value.errors


def test_a_valid_tmp_entry_loads(tmp_path: Path) -> None:
    faq_dir = _write(tmp_path, {"a.yaml": "entries:\n" + _entry()})
    content = load_faq_dir(faq_dir, TOPICS)
    assert [e.id for e in content.entries] == ["khai-sinh-thu"]


def test_missing_source_names_file_entry_and_field(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"ho_tich.yaml": "entries:\n" + _entry(source="      []")})
    assert any("ho_tich.yaml: entries[0] (khai-sinh-thu).source: missing" in e for e in errors), (
        errors
    )


def test_unknown_topic(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"a.yaml": "entries:\n" + _entry(topic="khai_sinh_x")})
    assert any("a.yaml: entries[0] (khai-sinh-thu).topic: unknown topic" in e for e in errors)


def test_broken_template_syntax(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"a.yaml": "entries:\n" + _entry(answer="Gọi {{ unit.hotline ")})
    assert any(
        "a.yaml: entries[0] (khai-sinh-thu).answer: template syntax error" in e for e in errors
    ), errors


def test_unguarded_optional_field_fails_to_render(tmp_path: Path) -> None:
    answer = "Địa chỉ: {{ unit.address.upper() }}"
    errors = _errors(tmp_path, {"a.yaml": "entries:\n" + _entry(answer=answer)})
    assert any(
        "(khai-sinh-thu).answer: fails to render (minimal sample unit)" in e for e in errors
    ), errors


def test_unknown_template_variable_fails_to_render(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"a.yaml": "entries:\n" + _entry(answer="{{ unit.fax }}")})
    assert any("(khai-sinh-thu).answer: fails to render" in e for e in errors), errors


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    files = {"a.yaml": "entries:\n" + _entry(), "b.yaml": "entries:\n" + _entry()}
    errors = _errors(tmp_path, files)
    assert any(
        "b.yaml: entries[0] (khai-sinh-thu).id: duplicate id (also in" in e and "a.yaml" in e
        for e in errors
    ), errors


def test_too_long_answer(tmp_path: Path) -> None:
    answer = "Dài quá. " * 100
    errors = _errors(tmp_path, {"a.yaml": "entries:\n" + _entry(answer=answer)})
    assert any("(khai-sinh-thu).answer: too long" in e for e in errors), errors


def test_non_https_url(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"a.yaml": "entries:\n" + _entry(url="http://dichvucong.gov.vn")})
    assert any("a.yaml: entries[0] (khai-sinh-thu).url: not an https URL" in e for e in errors)


def test_bad_id_and_future_date_and_non_nfc(tmp_path: Path) -> None:
    body = "entries:\n" + _entry("Khai_Sinh").replace("2026-01-02", "2999-01-01")
    body = body.replace("Đăng ký khai sinh", unicodedata.normalize("NFD", "Đăng ký khai sinh"))
    errors = _errors(tmp_path, {"a.yaml": body})
    assert any("(Khai_Sinh).id: bad id" in e for e in errors), errors
    assert any("(Khai_Sinh).checked: 2999-01-01 is in the future" in e for e in errors), errors
    assert any("(Khai_Sinh).title: text is not in Unicode NFC" in e for e in errors), errors


def test_yaml_syntax_error_reports_line(tmp_path: Path) -> None:
    body = "entries:\n  - id: x\n    title: [unclosed\n"
    errors = _errors(tmp_path, {"bad.yaml": body})
    assert any("bad.yaml: YAML syntax error: line" in e for e in errors), errors


def test_all_errors_are_collected_in_one_exception(tmp_path: Path) -> None:
    files = {
        "a.yaml": "entries:\n" + _entry(topic="nope"),
        "b.yaml": "entries:\n" + _entry("khac", url="ftp://x"),
    }
    errors = _errors(tmp_path, files)
    assert any("a.yaml" in e and ".topic:" in e for e in errors)
    assert any("b.yaml" in e and ".url:" in e for e in errors)


def test_missing_fields_and_unknown_field(tmp_path: Path) -> None:
    body = textwrap.dedent(
        """\
        entries:
          - id: thieu-truong
            topic: khai_sinh
            sources: [typo]
        """
    )
    errors = _errors(tmp_path, {"a.yaml": body})
    for field in ("title", "questions", "answer", "level", "source", "checked"):
        assert any(f"(thieu-truong).{field}: missing" in e for e in errors), field
    assert any("(thieu-truong).sources: unknown field" in e for e in errors)


def test_validate_reports_uncovered_listed_topics(tmp_path: Path) -> None:
    faq_dir = _write(tmp_path, {"a.yaml": "entries:\n" + _entry()})
    errors = validate_faq_dir(faq_dir, TOPICS)
    assert any("khai_tu: listed topic has no FAQ entry" in e for e in errors)
    assert not any("khai_sinh: listed topic" in e for e in errors)
