"""UI strings from content/messages.<lang>.yaml, rendered as jinja2 templates."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import yaml

from bot.content.errors import ContentError

_ENV = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701 - chat text, not HTML


class Messages:
    def __init__(self, templates: Mapping[str, jinja2.Template], source: str) -> None:
        self._templates = dict(templates)
        self.source = source

    def names(self) -> list[str]:
        return sorted(self._templates)

    def has(self, key: str) -> bool:
        return key in self._templates

    def render(self, key: str, **context: Any) -> str:
        try:
            template = self._templates[key]
        except KeyError:
            raise KeyError(f"{self.source}: no message {key!r}") from None
        return unicodedata.normalize("NFC", template.render(**context).strip())


def load_messages(path: Path) -> Messages:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping of message keys to texts")
    errors: list[str] = []
    templates: dict[str, jinja2.Template] = {}
    for key, text in data.items():
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{path}: {key}: text missing")
            continue
        if unicodedata.normalize("NFC", text) != text:
            errors.append(f"{path}: {key}: text is not in Unicode NFC form")
        try:
            templates[str(key)] = _ENV.from_string(text)
        except jinja2.TemplateSyntaxError as exc:
            errors.append(f"{path}: {key}: template error line {exc.lineno}: {exc.message}")
    if errors:
        raise ContentError(errors)
    return Messages(templates, str(path))
