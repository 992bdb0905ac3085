"""The event loop of the long-running commands (`loaxa run`, `loaxa worker`).

uvloop (libuv) runs the same asyncio code with less CPU per socket event and callback: on the
hot path a webhook, a Bot API call and the pipeline's hand-offs are mostly that (issue #19,
bench/README.md). Where uvloop is not installed (it is not built for Windows), or with
EVENT_LOOP=asyncio, it is asyncio's own loop. Short commands (`ask`, `eval` …) keep asyncio.run.
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


def new_event_loop(kind: str = "uvloop") -> asyncio.AbstractEventLoop:
    if kind == "uvloop":
        try:
            import uvloop
        except ImportError:
            log.info("uvloop is not installed: asyncio's event loop")
        else:
            return uvloop.new_event_loop()
    return asyncio.new_event_loop()
