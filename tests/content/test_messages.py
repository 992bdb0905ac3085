"""UI strings (bot/content/messages.py): rendered once per template and values."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from bot.content import messages
from bot.content.errors import ContentError
from bot.content.messages import load_messages


def _load(tmp_path: Path, text: str) -> messages.Messages:
    path = tmp_path / "messages.vi.yaml"
    path.write_text(text, encoding="utf-8")
    return load_messages(path)


def test_a_rendering_is_kept_per_template_and_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    msgs = _load(
        tmp_path, "hello: 'Chào {{ name }}, mã {{ code }}'\nitems: '{{ xs|join(\", \") }}'\n"
    )
    calls: list[int] = []
    real = jinja2.Template.render

    def counted(self: jinja2.Template, *a: object, **k: object) -> str:
        calls.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(jinja2.Template, "render", counted)
    assert msgs.render("hello", name="An", code=7) == "Chào An, mã 7"
    assert msgs.render("hello", code=7, name="An") == "Chào An, mã 7"  # kept
    assert msgs.render("hello", name="Bình", code=7) == "Chào Bình, mã 7"
    assert len(calls) == 2
    xs = ["a"]
    assert msgs.render("items", xs=xs) == "a"
    xs.append("b")  # a value that can change is never kept
    assert msgs.render("items", xs=xs) == "a, b"
    assert len(calls) == 4


def test_a_failed_rendering_is_not_kept(tmp_path: Path) -> None:
    msgs = _load(tmp_path, "hello: 'Chào {{ name }}'\n")
    with pytest.raises(jinja2.UndefinedError):
        msgs.render("hello")
    with pytest.raises(KeyError):
        msgs.render("nope")
    assert msgs.render("hello", name="An") == "Chào An"


def test_a_bad_file_names_the_entry(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="broken"):
        _load(tmp_path, "broken: '{{ name '\n")
