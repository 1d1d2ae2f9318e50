"""Long-lived parts of a service come back after they fail, each restart counted."""

import asyncio
from collections import Counter

import pytest

from regsys_runtime import runtime
from regsys_runtime.runtime import supervise


async def test_a_part_that_fails_is_restarted_with_backoff_and_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "RESTART_FIRST_SECONDS", 0.01)
    runs = 0
    serving = asyncio.Event()

    async def consumer_that_loses_its_group_twice() -> None:
        nonlocal runs
        runs += 1
        if runs <= 2:
            raise RuntimeError("CommitFailedError: the group rebalanced")
        serving.set()
        await asyncio.Event().wait()

    restarts: Counter[str] = Counter()
    task = asyncio.create_task(supervise(consumer_that_loses_its_group_twice, "event consumer", restarts))
    await asyncio.wait_for(serving.wait(), timeout=5)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert runs == 3
    assert restarts == Counter({"event consumer": 2})


async def test_cancelling_stops_the_part_for_good() -> None:
    started = asyncio.Event()

    async def worker() -> None:
        started.set()
        await asyncio.Event().wait()

    restarts: Counter[str] = Counter()
    task = asyncio.create_task(supervise(worker, "worker", restarts))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert restarts == Counter()
