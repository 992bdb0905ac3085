"""Stored updates processed one contact at a time, many contacts at once, with no rounds.

  fetch (next `batch` ids) ──▶ lanes {contact: [id, id …]} ──▶ `workers` tasks, each drains a lane
        ▲                                                                  │
        └──────────── when fewer lanes wait than there are workers ◀──────┘

- A contact's updates stay in order: one worker drains its lane, and an update fetched while
  its contact's lane is still running joins the end of that lane.
- Nothing waits for a whole batch: a worker that finishes a lane takes the next one, and more
  ids are fetched as soon as fewer lanes wait than there are workers. (Rounds of 100 with a
  barrier left most workers idle while the slowest lanes of a round finished.)
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Hashable

# after this id → up to `batch` (id, lane key) pairs in id order
Fetch = Callable[[int], Awaitable[list[tuple[int, Hashable]]]]


async def run_lanes(
    fetch: Fetch, process: Callable[[int], Awaitable[object]], workers: int, batch: int
) -> int:
    """Process every id `fetch` returns until it returns fewer than `batch`; return how many."""
    lanes: dict[Hashable, deque[int]] = {}
    waiting: deque[Hashable] = deque()  # lanes no worker has taken yet
    refill = asyncio.Lock()
    state = {"after": 0, "more": True, "count": 0}

    async def fill() -> None:
        rows = await fetch(state["after"])
        state["more"] = len(rows) >= batch
        for item_id, key in rows:
            state["after"] = max(state["after"], item_id)
            state["count"] += 1
            lane = lanes.get(key)
            if lane is None:
                lanes[key] = lane = deque()
                waiting.append(key)
            lane.append(item_id)

    async def worker() -> None:
        while True:
            if state["more"] and (not waiting or (len(waiting) < workers and not refill.locked())):
                async with refill:
                    if state["more"] and len(waiting) < workers:
                        await fill()
            if not waiting:
                return
            key = waiting.popleft()
            lane = lanes[key]
            while lane:
                await process(lane.popleft())
            del lanes[key]  # no await since the lane was seen empty: nothing can join it now

    await asyncio.gather(*(worker() for _ in range(max(1, workers))))
    return state["count"]
