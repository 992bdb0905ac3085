"""Why a campaign action was refused (shared by the service and its preview)."""

from __future__ import annotations


class CampaignError(Exception):
    """A refused action; `code` for programs, `reason` (Vietnamese) for staff."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class Refused(CampaignError):
    """The campaign cannot be approved or sent as it is (template, audience, schedule)."""


class InvalidTransition(CampaignError):
    pass
