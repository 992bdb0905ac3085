"""The one error the importer raises for input it cannot use."""

from __future__ import annotations


class PlanImportError(Exception):
    """A file that cannot be imported as a plan.

    The message is Vietnamese and meant for the staff member who chose the file: it says
    what is wrong and, when possible, what to do instead.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
