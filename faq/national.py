"""Matters of a national agency (ministries, courts, tax, customs, schools, insurers) in a
citizen's message (pure): a commune chatbot points to the national portal for these rather
than offering unrelated commune procedures; see faq/understand.py."""

from __future__ import annotations

from faq import intent_cues as cues
from faq.intents import prepare
from faq.matcher import MatcherIndex
from faq.policy import is_redirect
from faq.types import Candidate

__all__ = ["entry_knows", "national_matter"]


def national_matter(prepared: str, asked: str) -> str | None:
    """The cue of a national agency's matter, in the whole message and in what it ``asked``
    (a long story's question clause, prepared; else the message itself): "con đi làm ở khu
    công nghiệp" told as background is not what is asked, nor is anywhere a pension told as
    someone's state ("bà có lương hưu")."""

    def named(words: str) -> str | None:
        found = cues.OOS_NATIONAL.search(cues.NATIONAL_BACKGROUND.sub(" ", words))
        return found.group(0).strip() if found else None

    cue = named(prepared)
    return cue if cue is None or asked is prepared else named(asked)


def entry_knows(
    index: MatcherIndex, cand: Candidate, cue: str, listed: frozenset[str] | None
) -> bool:
    """The entry speaks of the national matter itself ("xuất khẩu lao động" in the criminal
    record entry), or is a redirect entry that says where to go."""
    if is_redirect(cand, listed):
        return True
    doc = next((d for d in index.same_topic(cand.topic) if d.id == cand.entry), None)
    if doc is None:
        return False
    return f" {cue} " in prepare(" ".join((doc.title, *doc.questions, *doc.keywords)))
