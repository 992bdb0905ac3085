"""The one error type for invalid content; each message names the file, the entry and the field."""

from __future__ import annotations

from collections.abc import Iterable


class ContentError(Exception):
    def __init__(self, errors: Iterable[str] | str) -> None:
        self.errors: list[str] = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))
